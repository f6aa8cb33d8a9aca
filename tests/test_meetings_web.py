"""Public meeting pages, drafts hidden from the public, and the secretariat's journey through the web UI."""

import io
import re
from datetime import date

import pytest
from pypdf import PdfReader

from samhandling.partnership import services
from samhandling.partnership.models import Meeting, Person


@pytest.fixture
def draft(demo):
    p = Meeting.objects.get(year=2026, number=1).partnership
    m = services.create_meeting(p, date=date(2026, 4, 23), registry_number="RS 2026–0200")
    services.add_item(m, title="Hemlig utkastparagraf", matter="Utkast till text.")
    return m


def test_public_list_and_published_minutes(demo, client):
    html = client.get("/sammantraden/").content.decode()
    assert "1/2026" in html and "Sammanträden" in html
    page = client.get("/sammantraden/2026/1/").content.decode()
    assert "Arbetsordning" in page and "tjänstgör" in page and "RS 2026–0070" in page
    assert "@samhandling.example" not in page
    pdf = client.get("/sammantraden/2026/1/protokoll.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert "Sammanträdet avslutas" in PdfReader(io.BytesIO(pdf.content)).pages[-1].extract_text()
    signed = client.get("/sammantraden/2026/1/signerat-protokoll.pdf")
    assert signed.status_code == 200 and signed.content.startswith(b"%PDF")


def test_drafts_hidden_from_the_public(draft, client, make_user):
    base = f"/sammantraden/{draft.year}/{draft.number}/"
    assert "Hemlig utkastparagraf" not in client.get("/sammantraden/").content.decode()
    assert client.get(base).status_code == 404
    assert client.get(base + "protokoll.pdf").status_code == 404
    client.force_login(make_user("sokande", "applicant"))
    assert client.get(base).status_code == 404
    # a member role without a membership in the partnership is not enough
    client.force_login(make_user("annan", "member"))
    assert client.get(base).status_code == 404
    member = make_user("ledamot", "member")
    Person.objects.filter(name="Svante Holm").update(user=member)
    client.force_login(member)
    assert "Hemlig utkastparagraf" in client.get(base).content.decode()
    client.force_login(make_user("sekr", "secretariat"))
    assert client.get(base + "protokoll.pdf").status_code == 200


def test_public_sees_agenda_of_noticed_meeting_only(draft, client):
    services.send_notice(draft, confirm_late=True)
    html = client.get(f"/sammantraden/{draft.year}/{draft.number}/").content.decode()
    assert "Kallelse" in html and "Hemlig utkastparagraf" in html and "Utkast till text." not in html


def test_secretariat_journey_create_meeting_attendance_items_minutes(demo, client, make_user):
    client.force_login(make_user("sekr", "secretariat"))
    assert client.get("/sammantraden/nytt/").status_code == 200
    haga = Person.objects.get(name="Michaela Haga")
    r = client.post(
        "/sammantraden/nytt/",
        {
            "date": "2026-06-11",
            "start_time": "10:00",
            "end_time": "12:00",
            "registry_number": "RS 2026–0300",
            "place": "Regionens hus",
            "chair": haga.pk,
        },
    )
    meeting = Meeting.objects.get(year=2026, number=2)
    base = "/sammantraden/2026/2/"
    assert r.status_code == 302 and r["Location"] == base + "hantera/"
    page = client.get(base + "hantera/").content.decode()
    assert (
        "Sammanträdet öppnas" in page
        and 'for="id_attendance_membership"' in page
        and 'for="id_attendance_serving_for"' in page
    )
    ms = {m.person.name: m for m in meeting.partnership.memberships.select_related("person")}
    client.post(base + "narvaro/", {"membership": ms["Meeri Wasberg"].pk, "present": "0"})
    r = client.post(
        base + "narvaro/",
        {"membership": ms["Håkan Lindberg"].pk, "present": "1", "serving_for": ms["Meeri Wasberg"].pk},
        HTTP_HX_REQUEST="true",
    )
    assert r.status_code == 200 and "tjänstgör för" in r.content.decode() and "Meeri Wasberg" in r.content.decode()
    r = client.post(
        base + "narvaro/",
        {"membership": ms["Maria Nilsson"].pk, "present": "1", "serving_for": ms["Anton Västberg"].pk},
    )
    assert r.status_code == 400 and "samma organisation eller grupp" in r.content.decode()
    client.post(base + "paragrafer/", {"title": "Inriktning ESF+ 2026:3", "presenter": "Svenska ESF-rådet"})
    item = meeting.items.get(title="Inriktning ESF+ 2026:3")
    assert item.number == 5
    r = client.post(
        f"{base}paragrafer/{item.pk}/",
        {"item-title": "Ny rubrik", "item-matter": "Förslaget presenteras.", "item-decision": "Förslaget godkänns."},
    )
    assert r.status_code == 400 and "inte beslutfört" in r.content.decode()  # one vote of 23: warned, not saved
    item.refresh_from_db()  # a refused decision stores nothing: no half-saved title or matter either
    assert not item.decision_points.exists() and item.title == "Inriktning ESF+ 2026:3" and item.matter == ""
    pdf = client.get(base + "protokoll.pdf")
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert (
        "PROTOKOLL 2/2026" in text
        and "Håkan Lindberg (s), tjänstgör för Meeri Wasberg" in text
        and "§ 5. Inriktning ESF+ 2026:3" in text
    )
    docx = client.get(base + "protokoll.docx")
    assert docx.status_code == 200 and docx.content.startswith(b"PK")


def test_public_cannot_reach_secretariat_pages(draft, client):
    r = client.get(f"/sammantraden/{draft.year}/{draft.number}/hantera/")
    assert r.status_code == 302 and "/logga-in/" in r["Location"]
    r = client.post(f"/sammantraden/{draft.year}/{draft.number}/narvaro/", {})
    assert r.status_code in (302, 403)


def test_attachment_type_and_size_checked(draft, client, make_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(make_user("sekr", "secretariat"))
    item = draft.items.get(title="Hemlig utkastparagraf")
    url = f"/sammantraden/{draft.year}/{draft.number}/paragrafer/{item.pk}/attachment/"
    r = client.post(url, {"attachment-title": "Skript", "attachment-file": SimpleUploadedFile("x.exe", b"MZ...")})
    assert r.status_code == 400 and "Filtypen .exe är inte tillåten" in r.content.decode()
    r = client.post(
        url, {"attachment-title": "Falsk PDF", "attachment-file": SimpleUploadedFile("x.pdf", b"not a pdf")}
    )
    assert r.status_code == 400 and "stämmer inte med filtypen" in r.content.decode()
    assert not item.attachments.exists()


def test_attendance_error_over_htmx_answers_the_form_with_the_message_at_its_field(draft, client, make_user):
    """Issue 20 (1): a refused attendance (until § before from §) answers 400 with the form itself, the message
    next to the field and linked to it; a saved one answers the fresh form and the agenda's vote counts."""
    client.force_login(make_user("sek-htmx", "secretariat"))
    meeting = draft
    base = f"/sammantraden/{meeting.year}/{meeting.number}/"
    member = meeting.partnership.memberships.select_related("person").first()
    r = client.post(
        base + "narvaro/",
        {"membership": member.pk, "present": "1", "from_item": "3", "until_item": "1"},
        HTTP_HX_REQUEST="true",
    )
    body = r.content.decode()
    assert r.status_code == 400 and '<form id="attendance-form"' in body and 'class="error-summary"' in body
    assert 'aria-invalid="true"' in body and "<html" not in body
    for described in re.findall(r'aria-describedby="([^"]+)"', body):
        for ref in described.split():
            assert f'id="{ref}"' in body, ref
    r = client.post(base + "narvaro/", {"membership": member.pk, "present": "1"}, HTTP_HX_REQUEST="true")
    body = r.content.decode()
    assert r.status_code == 200 and f"Närvaron för {member.person.name} är registrerad." in body
    assert 'id="agenda" hx-swap-oob="true"' in body and 'id="attendance" hx-swap-oob="true"' in body
