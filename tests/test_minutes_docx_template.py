"""A partnership's own DOCX template: uploaded by the secretariat through the one upload validator, checked for
its placeholders, and the generated Word minutes render into it (letterhead in the header, minutes in the body)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from samhandling.partnership.selectors import current_partnership

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
URL = "/sammantraden/protokollmall/"


def template(body="{{p innehall }}", header="BREVHUVUD {{ partnerskap }}", footer="{{ protokoll }}") -> bytes:
    doc = Document()
    doc.sections[0].header.paragraphs[0].text = header
    doc.sections[0].footer.paragraphs[0].text = footer
    for line in body.split("\n"):
        doc.add_paragraph(line)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def upload(client, data: bytes, name="mall.docx"):
    return client.post(URL, {"file": SimpleUploadedFile(name, data, content_type=DOCX)})


@pytest.fixture
def secretariat(demo, client, make_user):
    client.force_login(make_user("sekr", "secretariat"))
    return client


def test_uploaded_template_is_used_for_the_word_minutes(secretariat):
    assert upload(secretariat, template()).status_code == 302
    partnership = current_partnership()
    assert partnership.minutes_template.name.endswith(".docx")
    assert "Nuvarande mall" in secretariat.get(URL).content.decode()

    response = secretariat.get("/sammantraden/2026/1/protokoll.docx")
    docx = Document(io.BytesIO(response.content))
    section = docx.sections[0]
    assert section.header.paragraphs[0].text == f"BREVHUVUD {partnership.name}"
    assert section.footer.paragraphs[0].text == "Protokoll 1/2026"
    body = "\n".join(p.text for p in docx.paragraphs)
    assert "PROTOKOLL 1/2026" in body and "§ 1. Sammanträdet öppnas" in body and "{{" not in body
    assert "Justerare / Vid protokollet" in body
    headings = [p.text for p in docx.paragraphs if p.style.name == "Heading 1"]
    assert headings[0] == "§ 1. Sammanträdet öppnas"

    assert secretariat.post(URL, {"action": "remove"}).status_code == 302
    partnership.refresh_from_db()
    assert not partnership.minutes_template
    plain = Document(io.BytesIO(secretariat.get("/sammantraden/2026/1/protokoll.docx").content))
    assert not plain.sections[0].header.paragraphs[0].text.startswith("BREVHUVUD")


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"%PDF-1.4\n%%EOF\n", "mall.pdf", "Filtypen .pdf är inte tillåten. Tillåtna filtyper: docx."),
        (b"not a zip", "mall.docx", "Filens innehåll stämmer inte med filtypen .docx."),
        (template(body="Inget protokoll här"), "mall.docx", "saknar platshållaren {{p innehall }}"),
        (template(body="{{p innehall }}\nDatum {{ datum"), "mall.docx", "Mallens platshållare kan inte läsas"),
    ],
)
def test_bad_templates_refused_with_a_message_and_nothing_stored(secretariat, data, name, message):
    response = upload(secretariat, data, name)
    assert response.status_code == 400
    assert message in response.content.decode().replace("&quot;", '"').replace("&#x27;", "'")
    assert not current_partnership().minutes_template


def test_only_the_secretariat_uploads(demo, client, make_user):
    client.force_login(make_user("ledamot", "member"))
    assert upload(client, template()).status_code == 403
    assert not current_partnership().minutes_template
