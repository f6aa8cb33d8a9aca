"""Votes (omröstning) with names and reservations, vacant seats in the quorum, substitutes refused for present
members: through the services, the secretariat's pages, and the PDF and DOCX of the minutes."""

import io
from datetime import date, time

import pytest
from django.core.exceptions import ValidationError
from docx import Document
from pypdf import PdfReader

from samhandling.partnership import minutes, services
from samhandling.partnership.models import Meeting, Membership, Person, RulesOfProcedure
from samhandling.partnership.selectors import votes_per_item


@pytest.fixture
def meeting(demo):
    p = Meeting.objects.get(year=2026, number=1).partnership
    m = services.create_meeting(p, date=date(2026, 5, 20), start_time=time(10), end_time=time(12), place="Regionen")
    services.add_item(m, title="Prioritering ERUF 2026:2")
    return m


def seated(meeting):
    return list(meeting.partnership.memberships.filter(role__in=["chair", "vice_chair", "member"]).order_by("order"))


def test_open_vote_with_names_and_reservation_in_pdf_and_docx(meeting, client, make_user):
    members = seated(meeting)
    for m in members:
        services.record_attendance(meeting, m)
    item = meeting.items.get(number=5)
    services.set_decision(item, ["Ansökan prioriteras."])
    yes, no, abstain = members[:12], members[12:20], members[20:21]
    ballots = dict.fromkeys(yes, "yes") | dict.fromkeys(no, "no") | dict.fromkeys(abstain, "abstain")
    substitute = meeting.partnership.memberships.filter(role="substitute").first()
    services.record_attendance(meeting, substitute)  # present but not serving: no vote
    with pytest.raises(ValidationError, match="har inte rösträtt"):
        services.record_vote(item, proposal_yes="bifall", proposal_no="avslag", ballots={substitute: "no"})
    vote = services.record_vote(
        item, proposal_yes="bifall till beredningens förslag", proposal_no="avslag", ballots=ballots
    )
    assert (vote.yes, vote.no, vote.abstain, vote.winner) == (12, 8, 1, "yes")
    with pytest.raises(ValidationError, match="röstade inte emot"):
        services.add_dissent(item, yes[0].person, "Jag röstade ja.")
    with pytest.raises(ValidationError, match="röstade inte emot"):
        services.add_dissent(item, abstain[0].person)
    dissenter = no[0].person
    services.add_dissent(item, dissenter, "Projektet saknar förankring.")

    pdf = minutes.render_pdf(meeting)
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Öppen omröstning 1: ja för bifall till beredningens förslag; nej för avslag." in text
    assert "Ja: 12" in text and "Nej: 8" in text and "Avstår: 1" in text
    assert no[1].person.name in text and abstain[0].person.name in text
    assert "Partnerskapet har beslutat enligt bifall till beredningens förslag." in text
    assert f"{dissenter.name} reserverar sig mot beslutet: Projektet saknar förankring." in text

    docx = Document(io.BytesIO(minutes.render_docx(meeting)))
    body = "\n".join(p.text for p in docx.paragraphs)
    assert "Öppen omröstning 1" in body and f"Nej: 8 ({', '.join(m.person.name for m in no)})" in body
    assert f"{dissenter.name} reserverar sig mot beslutet" in body

    client.force_login(make_user("sekr", "secretariat"))
    page = client.get(f"/sammantraden/2026/{meeting.number}/").content.decode()
    assert "Öppen omröstning" in page and dissenter.name in page


def test_vote_through_the_item_page(meeting, client, make_user):
    members = seated(meeting)
    for m in members:
        services.record_attendance(meeting, m)
    item = meeting.items.get(number=5)
    services.set_decision(item, ["Ansökan prioriteras."])
    client.force_login(make_user("sekr", "secretariat"))
    url = f"/sammantraden/2026/{meeting.number}/paragrafer/{item.pk}/"
    page = client.get(url).content.decode()
    for prefix in ("item", "note", "dissent", "conflict", "attachment", "vote"):  # unique ids, one per form
        assert f'id="id_{prefix}-' in page
    assert 'id="id_person"' not in page and 'id="id_text"' not in page and 'id="id_title"' not in page
    r = client.post(
        url + "vote/",
        {
            "vote-proposal_yes": "bifall",
            "vote-proposal_no": "avslag",
            "vote-kind": "open",
            "vote-yes_voters": [m.pk for m in members[:3]],
            "vote-no_voters": [m.pk for m in members[:1]],
        },
    )
    assert r.status_code == 400 and "kan bara rösta en gång" in r.content.decode()
    assert not item.votes.exists()
    r = client.post(
        url + "vote/",
        {
            "vote-proposal_yes": "bifall",
            "vote-proposal_no": "avslag",
            "vote-kind": "closed",
            "vote-yes": "5",
            "vote-no": "5",
            "vote-casting_vote": "no",
        },
    )
    assert r.status_code == 302
    vote = item.votes.get()
    assert vote.winner == "no" and "utslagsröst" in vote.outcome and not vote.ballots.exists()


def test_vacant_seats_count_for_quorum(meeting):
    members = seated(meeting)
    assert len(members) == 23
    for m in members[:12]:
        services.record_attendance(meeting, m)
    item = meeting.items.get(number=5)
    assert votes_per_item(meeting)[item.id].quorum  # 12 of 23 seats
    RulesOfProcedure.objects.update_or_create(partnership=meeting.partnership, defaults={"seats": 26})
    count = votes_per_item(meeting)[item.id]
    assert (count.votes, count.seats, count.quorum) == (12, 26, False)  # three vacant seats: 12 of 26
    with pytest.raises(ValidationError, match="12 av 26"):
        services.set_decision(item, ["Ansökan prioriteras."])


def test_substitute_for_a_present_member_refused_with_a_message(meeting, client, make_user):
    client.force_login(make_user("sekr", "secretariat"))
    base = f"/sammantraden/2026/{meeting.number}/"
    ms = {m.person.name: m for m in meeting.partnership.memberships.select_related("person")}
    client.post(base + "narvaro/", {"membership": ms["Meeri Wasberg"].pk, "present": "1"})
    r = client.post(
        base + "narvaro/",
        {"membership": ms["Håkan Lindberg"].pk, "present": "1", "serving_for": ms["Meeri Wasberg"].pk},
    )
    assert r.status_code == 400 and "Meeri Wasberg är själv närvarande" in r.content.decode()
    assert not meeting.attendances.filter(membership=ms["Håkan Lindberg"]).exists()
    # once she is absent, he serves in her seat and the minutes say for whom
    client.post(base + "narvaro/", {"membership": ms["Meeri Wasberg"].pk, "present": "0"})
    r = client.post(
        base + "narvaro/",
        {"membership": ms["Håkan Lindberg"].pk, "present": "1", "serving_for": ms["Meeri Wasberg"].pk},
    )
    assert r.status_code == 302
    lines = [line for _t, rows in minutes.minutes_context(meeting)["groups"] for line, _o in rows]
    assert "Håkan Lindberg (s), tjänstgör för Meeri Wasberg" in lines


def test_item_edit_refused_for_quorum_stores_nothing(meeting):
    item = meeting.items.get(number=5)
    with pytest.raises(ValidationError, match="inte beslutfört"):
        services.update_item(item, title="Ändrad rubrik", matter="Ny text", decision=["Beslut."])
    item.refresh_from_db()
    assert item.title == "Prioritering ERUF 2026:2" and item.matter == "" and not item.decision_points.exists()
    assert Person.objects.exists() and Membership.objects.exists()


def test_formal_wording_registry_number_and_numbered_appendices(meeting):
    from django.core.files.uploadedfile import SimpleUploadedFile

    items = {i.number: i for i in meeting.items.all()}
    assert (
        items[1].matter == "Ordföranden förklarar sammanträdet öppnat." and items[3].matter == "Dagordningen godkänns."
    )
    for m in seated(meeting):
        services.record_attendance(meeting, m)
    services.update_item(items[5], title=items[5].title, registry_number="RS 2026–0123", decision=["Prioriteras."])
    services.add_attachment(
        items[5], title="Bedömningsunderlag", upload=SimpleUploadedFile("b.pdf", b"%PDF-1.4\n%%EOF\n")
    )
    services.add_attachment(
        items[6], title="Program Spaning 2027", upload=SimpleUploadedFile("c.pdf", b"%PDF-1.4\n%%EOF\n")
    )
    text = " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(minutes.render_pdf(meeting))).pages
    )
    assert "§ 5. Prioritering ERUF 2026:2 Diarienummer: RS 2026–0123" in text
    assert "Bilaga 1: Bedömningsunderlag" in text and "Bilaga 2: Program Spaning 2027" in text


def test_docx_header_footer_house_styles_and_contents_field(meeting):
    doc = Document(io.BytesIO(minutes.render_docx(meeting)))
    section = doc.sections[0]
    assert section.header.paragraphs[0].text == f"Strategiska partnerskapet Stockholm\tProtokoll {meeting.code}"
    footer = section.footer.paragraphs[0]._p.xml
    assert "Sida " in footer and " PAGE " in footer and " NUMPAGES " in footer
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3"):
        style = doc.styles[name]
        assert str(style.font.color.rgb) == "000000" and style.font.name == "Arial", name
        assert "Theme" not in style.element.rPr.rFonts.xml and "w:pBdr" not in style.element.xml
    assert 'TOC \\o "1-1"' in doc.element.body.xml
    assert "w:updateFields" in doc.settings.element.xml  # Word brings the contents up to date when it opens
    assert f"§§ 1–{meeting.items.count()}" in "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
