"""Minutes 1/2026 as the demo signs them: PAdES signatures checked by pyHanko and by poppler's pdfsig, the CLI
verification, the public check page, the meeting page's signatures, and the frozen content after renames."""

import hashlib
import io
import re
import shutil
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from docx import Document

from samhandling.partnership import minutes, signing
from samhandling.partnership.minutes import render_docx
from samhandling.partnership.models import Meeting, Person, SignedMinutes
from samhandling.projects.models import Organisation


@pytest.fixture
def signed(demo) -> SignedMinutes:
    return SignedMinutes.objects.select_related("meeting").get(meeting__year=2026, meeting__number=1)


def one_byte_changed(pdf: bytes) -> bytes:
    """The first revision's page content with one byte altered (a digit inside the document body)."""
    data = bytearray(pdf)
    position = data.index(b"stream", len(data) // 8) + 40
    data[position] ^= 0x01
    return bytes(data)


def test_demo_minutes_carry_one_valid_signature_per_signatory(signed):
    checks = signing.check_pdf(bytes(signed.pdf))
    assert [(c.signer_name, c.role, c.reason) for c in checks] == [
        ("Michaela Haga", "Ordförande", "Justerat"),
        ("Daniel Forslund", "Justerare", "Justerat"),
    ]
    assert all(c.intact and c.valid and c.trusted and c.covers_revision and c.unchanged_after for c in checks)
    assert checks[-1].covers_file and not checks[0].covers_file  # the chair's covers its own revision only
    assert all("(demo)" in c.certificate for c in checks)  # the demo's certificates say so


def test_pdfsig_finds_each_signature_valid(signed, tmp_path):
    assert shutil.which("pdfsig"), "poppler-utils (pdfsig) is needed for this test"
    path = tmp_path / "protokoll.pdf"
    path.write_bytes(bytes(signed.pdf))
    out = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, check=False).stdout
    blocks = re.split(r"\nSignature #\d+:", out)[1:]
    assert len(blocks) == 2
    assert all("Signature Validation: Signature is Valid." in b for b in blocks)
    assert "Michaela Haga (demo)" in blocks[0] and "Daniel Forslund (demo)" in blocks[1]
    assert "Total document signed" in blocks[1]
    # each signature ends exactly where its revision ends: after that revision's %%EOF
    size = len(bytes(signed.pdf))
    ends = [int(m) for m in re.findall(r"Signed Ranges: \[\d+ - \d+\], \[\d+ - (\d+)\]", out)]
    pdf = bytes(signed.pdf)
    assert ends[-1] == size
    assert pdf[: ends[0]].rstrip().endswith(b"%%EOF")

    path.write_bytes(one_byte_changed(pdf))
    broken = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, check=False).stdout
    assert "Signature is Valid." not in broken.split("Signature #2")[0]


def test_cli_verify_one_line_per_signature(signed, capsys):
    call_command("minutes", "verify", "1/2026")
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if line.startswith("Signatur ")]
    assert len(lines) == 2 and all("– OK" in line for line in lines)
    assert "Michaela Haga, Ordförande, Justerat" in lines[0]
    assert "oförändrat" in out


def test_cli_verify_fails_on_a_stored_pdf_altered_by_one_byte(signed, capsys):
    altered = one_byte_changed(bytes(signed.pdf))
    with connection.cursor() as cursor:  # the tamperer also fixes the stored hash: only the signatures tell
        cursor.execute(
            "UPDATE partnership_signedminutes SET pdf = %s, pdf_sha256 = %s",
            [altered, hashlib.sha256(altered).hexdigest()],
        )
    with pytest.raises(SystemExit) as exc:
        call_command("minutes", "verify", "1/2026")
    assert exc.value.code == 1
    assert "FEL" in capsys.readouterr().err


def test_cli_verify_file(signed, tmp_path, capsys):
    good = tmp_path / "original.pdf"
    good.write_bytes(bytes(signed.pdf))
    call_command("minutes", "verify", "--file", str(good))
    assert "oförändrade signerade originalet av protokoll 1/2026" in capsys.readouterr().out
    bad = tmp_path / "andrad.pdf"
    bad.write_bytes(one_byte_changed(bytes(signed.pdf)))
    with pytest.raises(SystemExit):
        call_command("minutes", "verify", "--file", str(bad))
    assert "inte ett oförändrat signerat original" in capsys.readouterr().err
    text = tmp_path / "inte.pdf"
    text.write_bytes(b"hej")
    with pytest.raises(SystemExit):
        call_command("minutes", "verify", "--file", str(text))
    assert "inte en läsbar PDF" in capsys.readouterr().err


def test_certificate_outside_the_trust_roots_is_untrusted(signed, tmp_path, capsys):
    stranger = signing.DemoSigner(tmp_path / "other-ca")  # a CA of its own, not among the trust roots
    request = signing.SignatureRequest("Michaela Haga", "Ordförande", "Justerat", "Signatur-1-Falsk")
    forged = stranger.sign(minutes.render_pdf(signed.meeting), request)
    checks = signing.check_pdf(forged)
    assert len(checks) == 1 and checks[0].intact and not checks[0].trusted
    path = tmp_path / "forged.pdf"
    path.write_bytes(forged)
    with pytest.raises(SystemExit):
        call_command("minutes", "verify", "--file", str(path))
    assert "obetrott" in capsys.readouterr().err


def upload(client, name, data):
    return client.post("/protokoll/kontrollera/", {"file": SimpleUploadedFile(name, data)})


def test_public_check_page(signed, client):
    page = client.get("/protokoll/kontrollera/")
    assert page.status_code == 200 and "Kontrollera ett protokoll" in page.content.decode()
    ok = upload(client, "protokoll.pdf", bytes(signed.pdf)).content.decode()
    assert "Äkta och oförändrat" in ok and "protokoll 1/2026" in ok
    assert "Michaela Haga, Ordförande, Justerat" in ok and "Daniel Forslund, Justerare, Justerat" in ok
    changed = upload(client, "protokoll.pdf", one_byte_changed(bytes(signed.pdf))).content.decode()
    assert "Inte ett oförändrat signerat original" in changed and "Äkta" not in changed
    appended = upload(client, "protokoll.pdf", bytes(signed.pdf) + "\n% tillägg\n".encode()).content.decode()
    assert "Inte ett oförändrat signerat original" in appended
    r = upload(client, "protokoll.pdf", "Detta är ingen PDF".encode())
    assert r.status_code == 400 and "inte en PDF" in r.content.decode()
    r = upload(client, "protokoll.pdf", b"%PDF-1.7\n\x00\x01 trasig")
    assert r.status_code == 400 and "trasig" in r.content.decode()
    r = upload(client, "stor.pdf", b"%PDF-1.7\n" + b"0" * (50 * 1024 * 1024))
    assert r.status_code == 400 and "för stor" in r.content.decode()


def test_meeting_page_shows_signatures_only_when_present(signed, client, make_user):
    page = client.get("/sammantraden/2026/1/").content.decode()
    assert "signerats digitalt" in page and "Underskrifter" in page
    assert re.search(r"<td>Michaela Haga</td><td>Ordförande</td><td>Justerat</td><td>\d{4}-\d\d-\d\d \d\d:\d\d", page)
    from datetime import date

    from samhandling.partnership import services

    draft = services.create_meeting(signed.meeting.partnership, date=date(2026, 9, 3))
    client.force_login(make_user("sekr", "secretariat"))
    page = client.get(f"/sammantraden/{draft.year}/{draft.number}/").content.decode()
    assert "signerats digitalt" not in page and "Underskrifter" not in page


def test_signed_minutes_do_not_follow_renames(signed, client, capsys):
    """Issue 19 #10: everything signed minutes show is their frozen content."""
    pdf_before = client.get("/sammantraden/2026/1/protokoll.pdf").content
    Person.objects.filter(name="Michaela Haga").update(name="Omdöpt Ordförande")
    Person.objects.filter(name="Svante Holm").update(name="Omdöpt Ledamot")
    Organisation.objects.filter(name="Region Stockholm").update(name="Omdöpt Region")
    partnership = signed.meeting.partnership
    partnership.name = "Omdöpt partnerskap"
    partnership.save()
    page = client.get("/sammantraden/2026/1/").content.decode()
    assert "Omdöpt" not in page
    assert "Michaela Haga" in page and "Svante Holm antecknar" in page and "Region Stockholm" in page
    assert client.get("/sammantraden/2026/1/protokoll.pdf").content == pdf_before == bytes(signed.public_pdf)
    meeting = Meeting.objects.get(pk=signed.meeting_id)  # the DOCX renders from the frozen content too
    text = "\n".join(p.text for p in Document(io.BytesIO(render_docx(meeting))).paragraphs)
    assert "Omdöpt" not in text and "Ordförande: Michaela Haga" in text
    call_command("minutes", "verify", "1/2026")
    assert "oförändrat" in capsys.readouterr().out


def test_cli_approvals_sign_and_a_change_between_them_starts_over(demo, capsys):
    """Each approval adds its signature; a change of content voids the earlier ones; the secretary signs when the
    rules of procedure say so ('Signerat')."""
    from django.core.management.base import CommandError
    from django.utils import timezone

    from samhandling.partnership import services
    from samhandling.partnership.models import RulesOfProcedure

    partnership = Meeting.objects.get(year=2026, number=1).partnership
    RulesOfProcedure.objects.update_or_create(partnership=partnership, defaults={"secretary_signs": True})
    haga, forslund, kroes = (Person.objects.get(name=n) for n in ("Michaela Haga", "Daniel Forslund", "Evert Kroes"))
    today = timezone.localdate()
    meeting = services.create_meeting(partnership, date=today, chair=haga, secretary=kroes)
    meeting.adjusters.add(forslund)
    services.set_status(meeting, Meeting.Status.HELD)
    services.set_status(meeting, Meeting.Status.MINUTES_DRAFTED)
    code = meeting.code
    with pytest.raises(CommandError, match="varken ordförande"):
        call_command("minutes", "approve", code, "--person", "Svante Holm")
    call_command("minutes", "approve", code, "--person", "Michaela Haga")
    from samhandling.partnership.models import SigningCopy

    assert len(signing.read_signatures(bytes(SigningCopy.objects.get(meeting=meeting).pdf))) == 1
    item = meeting.items.get(number=1)
    services.update_item(item, title=item.title, matter="Ordföranden öppnar sammanträdet kl. 13.")
    call_command("minutes", "approve", code, "--person", "Daniel Forslund")
    call_command("minutes", "approve", code, "--person", "Evert Kroes")
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.MINUTES_DRAFTED  # the chair approved other content
    call_command("minutes", "approve", code, "--person", "Michaela Haga")
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SIGNED
    checks = signing.check_pdf(bytes(meeting.signed_minutes.pdf))
    assert [(c.signer_name, c.reason) for c in checks] == [
        ("Daniel Forslund", "Justerat"),
        ("Evert Kroes", "Signerat"),
        ("Michaela Haga", "Justerat"),
    ]
    assert all(c.ok for c in checks)
    capsys.readouterr()
    call_command("minutes", "verify", code)
    assert "Sekreterare, Signerat" in capsys.readouterr().out


def test_correction_is_a_new_signed_record_and_the_original_stays(signed, client, make_user, capsys):
    original = bytes(signed.pdf)
    item = signed.meeting.items.get(number=9)
    client.force_login(make_user("sekr", "secretariat"))
    r = client.post(f"/sammantraden/2026/1/paragrafer/{item.pk}/rattelse/", {"text": "A.2: 181 mnkr, inte 134."})
    assert r.status_code == 302
    page = client.get("/sammantraden/2026/1/").content.decode()
    link = re.search(r'href="(/sammantraden/2026/1/rattelser/\d+\.pdf)"', page).group(1)
    pdf = client.get(link).content
    checks = signing.check_pdf(pdf)
    assert [(c.signer_name, c.role, c.reason) for c in checks] == [("Evert Kroes", "Sekreterare", "Rättelse")]
    assert checks[0].ok and checks[0].covers_file
    assert signed.pdf_sha256 in " ".join(p for p in minutes_pdf_text(pdf))  # it refers to the signed original
    assert bytes(SignedMinutes.objects.get(pk=signed.pk).pdf) == original
    capsys.readouterr()
    call_command("minutes", "verify", "1/2026")
    assert "Rättelse till § 9" in capsys.readouterr().out


def minutes_pdf_text(pdf: bytes) -> list[str]:
    from pypdf import PdfReader

    return ["".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def test_decisions_as_open_data_from_the_frozen_content(signed, client):
    data = client.get("/oppna-data/beslut.json").json()
    sections = {(d["meeting"], d["section"]) for d in data["decisions"]}
    assert {("1/2026", 7), ("1/2026", 8), ("1/2026", 9)} <= sections and ("1/2026", 1) not in sections
    one = client.get("/sammantraden/2026/1/paragrafer/7/beslut.json").json()
    assert one["title"] == "Arbetsordning" and len(one["decision"]) == 2
    assert one["signed_pdf"].endswith("/sammantraden/2026/1/offentlig-version.pdf")  # the signed public version
    assert one["signed_pdf_sha256"] == signed.public_pdf_sha256 and one["id"].endswith("/paragrafer/7/beslut.json")
    raw = client.get("/oppna-data/beslut.json").content.decode()
    assert "Michaela Haga" not in raw and "Svante Holm" not in raw  # no personal data
    assert client.get("/sammantraden/2026/1/paragrafer/1/beslut.json").status_code == 404
    page = client.get("/sammantraden/2026/1/").content.decode()
    assert "/sammantraden/2026/1/paragrafer/9/beslut.json" in page


def test_a_failed_signature_stores_no_approval(demo, settings):
    """With a time-stamp server configured that does not answer, the approval is refused and nothing is kept."""
    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from samhandling.partnership import services
    from samhandling.partnership.models import SigningCopy

    partnership = Meeting.objects.get(year=2026, number=1).partnership
    haga = Person.objects.get(name="Michaela Haga")
    meeting = services.create_meeting(partnership, date=timezone.localdate(), chair=haga)
    meeting.adjusters.add(Person.objects.get(name="Daniel Forslund"))
    services.set_status(meeting, Meeting.Status.HELD)
    services.set_status(meeting, Meeting.Status.MINUTES_DRAFTED)
    settings.SIGNING_TSA_URL = "http://127.0.0.1:9/tsa"  # the discard port on loopback: nothing answers
    with pytest.raises(ValidationError, match="kunde inte signeras elektroniskt"):
        services.approve_minutes(meeting, haga)
    assert not meeting.approvals.exists() and not SigningCopy.objects.filter(meeting=meeting).exists()
