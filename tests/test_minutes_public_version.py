"""The public version of the minutes: personal data and withheld items left out of the page, the PDF and the
open data; both versions frozen and signed; the full original only for the secretariat and members."""

import io
import json
from datetime import date, time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from pypdf import PdfReader

from samhandling.partnership import services, signing
from samhandling.partnership.models import Meeting, SignedMinutes
from samhandling.partnership.public import MASK, mask_text

PRIVATE = "Anna Privatsson"
CONTACT = ("anna.privat@exempel.se", "070-123 45 67", "19850312-1234")
SECRET = "Hemlig uppgift om affärsförhållanden"


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def signed_meeting(demo) -> Meeting:
    """A meeting with a private person named in a matter, contact details, and an item withheld under OSL."""
    demo_minutes = Meeting.objects.get(year=2026, number=1)
    p = demo_minutes.partnership
    m = services.create_meeting(p, date=date(2026, 5, 20), start_time=time(10), end_time=time(12), place="Regionen")
    m.chair, m.secretary = demo_minutes.chair, demo_minutes.secretary
    m.save()
    m.adjusters.set(demo_minutes.adjusters.all())
    for membership in p.memberships.filter(role__in=["chair", "vice_chair", "member"]):
        services.record_attendance(m, membership)
    named = services.add_item(m, title=f"Ansökan från {PRIVATE}")
    services.update_item(
        named,
        title=f"Ansökan från {PRIVATE}",
        matter=f"{PRIVATE} ({CONTACT[0]}, tel. {CONTACT[1]}, personnummer {CONTACT[2]}) söker stöd.",
        decision=[f"Ansökan från {PRIVATE} prioriteras."],
        personal_data=PRIVATE,
    )
    withheld = services.add_item(m, title="Upphandling av utvärdering")
    services.update_item(
        withheld,
        title="Upphandling av utvärdering",
        matter=SECRET,
        decision=["Anbudet antas."],
        public=False,
        withheld_reason="sekretess enligt 31 kap. 16 § OSL",
    )
    services.add_attachment(
        withheld, title="Anbud", upload=SimpleUploadedFile("anbud.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n")
    )
    services.add_participant(m, kind="guest", name="Gustav Gäst", organisation="Företaget AB")
    services.set_status(m, Meeting.Status.HELD)
    services.set_status(m, Meeting.Status.MINUTES_DRAFTED)
    for person in [m.chair, *m.adjusters.all()]:
        services.approve_minutes(m, person, confirm_late=True)
    m.refresh_from_db()
    services.publish(m)
    return Meeting.objects.get(pk=m.pk)


LEFT_OUT = (PRIVATE, *CONTACT, SECRET, "Gustav Gäst", "Upphandling av utvärdering")


def test_public_version_holds_no_personal_data_that_the_full_version_has(signed_meeting, client, make_user):
    signed = SignedMinutes.objects.get(meeting=signed_meeting)
    base = f"/sammantraden/{signed_meeting.year}/{signed_meeting.number}/"
    full_pdf = pdf_text(bytes(signed.pdf))
    assert all(value in full_pdf for value in LEFT_OUT)

    public_pdf = client.get(base + "offentlig-version.pdf")
    text = pdf_text(public_pdf.content)
    assert not [value for value in LEFT_OUT if value in text]
    assert "OFFENTLIG VERSION" in text and "lämnas ut på begäran" in text
    assert MASK in text and "Företaget AB" in text
    assert "Ej offentlig paragraf" in text and "sekretess enligt 31 kap. 16 § OSL" in text
    assert public_pdf.content == bytes(signed.public_pdf)

    # the public reader of the meeting page, protokoll.pdf and signerat-protokoll.pdf gets the public version
    page = client.get(base).content.decode()
    assert "Detta är protokollets offentliga version." in page
    assert not [value for value in LEFT_OUT if value in page]
    assert client.get(base + "protokoll.pdf").content == bytes(signed.public_pdf)
    assert client.get(base + "signerat-protokoll.pdf").content == bytes(signed.public_pdf)
    attachment = signed_meeting.items.get(title="Upphandling av utvärdering").attachments.get()
    item = attachment.item
    assert client.get(f"{base}paragrafer/{item.pk}/bilagor/{attachment.pk}/").status_code == 404

    decisions = json.dumps(client.get("/oppna-data/beslut.json").json(), ensure_ascii=False)
    assert not [value for value in LEFT_OUT if value in decisions] and "Anbudet antas" not in decisions
    assert "offentlig-version.pdf" in decisions

    # the secretariat sees the full original, and the public version at its own address
    client.force_login(make_user("sekr", "secretariat"))
    full_page = client.get(base).content.decode()
    assert PRIVATE in full_page and SECRET in full_page and "Detta är protokollets offentliga version." not in full_page
    assert client.get(base + "signerat-protokoll.pdf").content == bytes(signed.pdf)
    assert client.get(f"{base}paragrafer/{item.pk}/bilagor/{attachment.pk}/").status_code == 200
    assert PRIVATE not in client.get(base + "offentlig-version/").content.decode()


def test_both_versions_are_signed_and_verified(signed_meeting, client, capsys):
    signed = SignedMinutes.objects.get(meeting=signed_meeting)
    checks = signing.check_pdf(bytes(signed.public_pdf))
    assert len(checks) == 2 and all(c.ok for c in checks)
    assert [c.signer_name for c in checks] == [c.signer_name for c in signing.check_pdf(bytes(signed.pdf))]

    call_command("minutes", "verify", signed_meeting.code)
    out = capsys.readouterr().out
    assert len([line for line in out.splitlines() if line.startswith("Offentlig version: Signatur")]) == 2

    upload = SimpleUploadedFile("offentlig.pdf", bytes(signed.public_pdf), content_type="application/pdf")
    page = client.post("/protokoll/kontrollera/", {"file": upload}).content.decode()
    assert "oförändrade signerade offentliga versionen av protokoll" in page and "Äkta och oförändrat" in page


def test_withheld_item_needs_a_reason(signed_meeting):
    draft = services.create_meeting(signed_meeting.partnership, date=date(2026, 6, 1))
    item = draft.items.first()
    with pytest.raises(Exception, match="skälet"):
        services.update_item(item, title=item.title, public=False)
    item.refresh_from_db()
    assert item.public


@pytest.mark.parametrize(
    ("text", "left"),
    [
        ("Ring 08-123 456 78 eller +46 70 123 45 67.", "Ring"),
        ("Skriv till a.b@c.se.", "Skriv till"),
        ("Personnummer 850312-1234.", "Personnummer"),
    ],
)
def test_contact_details_always_masked(text, left):
    masked = mask_text(text, [])
    assert MASK in masked and masked.startswith(left) and not any(ch.isdigit() for ch in masked.replace("46", ""))


def test_public_data_kept():
    text = "Org.nr 556123-4567 beviljas 1 200 000 kronor av 1 000 000 000, RS 2026–0123, den 2026-03-12."
    assert mask_text(text, []) == text


def test_decisions_are_a_described_resource_of_the_open_data_package(signed_meeting, client):
    package = client.get("/oppna-data/datapackage/").json()
    resource = next(r for r in package["resources"] if r["name"] == "beslut")
    assert resource["path"] == "http://testserver/oppna-data/beslut.json" and resource["format"] == "json"
    decisions = client.get(resource["path"]).json()["decisions"]
    assert decisions
    described = [f["name"] for f in resource["schema"]["fields"]]
    assert all(list(record) == described for record in decisions)  # every field described, in order
    assert all(f["type"] and f["description"] for f in resource["schema"]["fields"])
    page = client.get("/oppna-data/").content.decode()
    assert 'href="/oppna-data/beslut.json"' in page
