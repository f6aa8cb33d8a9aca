"""Attendance, serving substitutes, partial presence, quorum and jäv per item, and the rules-of-procedure warnings."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from samhandling.partnership import services
from samhandling.partnership.models import Meeting, Membership, Person, RulesOfProcedure
from samhandling.partnership.rules import working_days_before
from samhandling.partnership.selectors import meeting_warnings, votes_per_item

TZ = ZoneInfo("Europe/Stockholm")


def test_votes_per_item_of_minutes_1_2026(demo):
    meeting = Meeting.objects.get(year=2026, number=1)
    counts = {i.number: votes_per_item(meeting)[i.id] for i in meeting.items.all()}
    # 15 members + 7 serving substitutes; Vikman Rindevall leaves after § 8; Edén and Åkersten after § 9
    assert [counts[n].votes for n in (1, 8, 9, 10, 12)] == [22, 22, 21, 19, 19]
    assert all(c.seats == 23 and c.quorum for c in counts.values())
    voters9 = {m.person.name for m in counts[9].voters}
    assert "Karin Åkersten" in voters9 and "Farzana Khan" not in voters9 and "Arvid Vikman Rindevall" not in voters9


@pytest.fixture
def meeting(demo):
    p = Meeting.objects.get(year=2026, number=1).partnership
    m = services.create_meeting(
        p, date=date(2026, 5, 20), start_time=time(10), end_time=time(12), place="Region Stockholm"
    )
    services.add_item(m, title="Prioritering ERUF 2026:2")
    return m


def ms(meeting, name) -> Membership:
    return meeting.partnership.memberships.get(person__name=name)


def test_standard_items_and_numbering(meeting):
    titles = list(meeting.items.order_by("number").values_list("number", "title"))
    assert titles[0] == (1, "Sammanträdet öppnas") and titles[-1] == (7, "Sammanträdet avslutas")
    assert titles[4] == (5, "Prioritering ERUF 2026:2") and titles[5] == (6, "Övriga frågor")
    assert meeting.number == 2


def test_per_year_numbering(meeting):
    rules = RulesOfProcedure.objects.create(partnership=meeting.partnership, item_numbering="per_year")
    third = services.create_meeting(meeting.partnership, date=date(2026, 9, 1))
    assert third.items.order_by("number").first().number == 8  # continues after meeting 2's § 7
    rules.delete()


def test_quorum_per_item_and_warning_before_deciding(meeting):
    item = meeting.items.get(number=5)
    for m in meeting.partnership.memberships.filter(role__in=["chair", "member"])[:12]:
        services.record_attendance(meeting, m, until_item=4 if m.person.name == "Harry Bouveng" else None)
    counts = votes_per_item(meeting)
    assert counts[meeting.items.get(number=4).id].quorum  # 12 of 23
    assert not counts[item.id].quorum  # 11 of 23 once Bouveng has left
    with pytest.raises(ValidationError, match="inte beslutfört"):
        services.set_decision(item, ["Ansökan prioriteras."])
    services.set_decision(item, ["Ansökan prioriteras."], confirm_without_quorum=True)
    item.refresh_from_db()
    assert item.decided_without_quorum
    assert any("utan att partnerskapet var beslutfört" in w for w in meeting_warnings(meeting))


def test_jav_leaves_the_vote_count_and_the_member_returns(meeting):
    for m in meeting.partnership.memberships.filter(role__in=["chair", "member"]):
        services.record_attendance(meeting, m)
    item = meeting.items.get(number=5)
    holm = Person.objects.get(name="Svante Holm")
    services.declare_conflict(item, holm, "Styrelseledamot i sökande organisation")
    counts = votes_per_item(meeting)
    assert counts[item.id].votes == 22 and holm in counts[item.id].conflicted
    assert counts[meeting.items.get(number=6).id].votes == 23  # back for the following item
    services.set_decision(item, ["Ansökan prioriteras."])
    with pytest.raises(ValidationError, match="deltog inte i beslutet"):
        services.add_dissent(item, holm, "Jävig men vill reservera sig")
    from samhandling.partnership.minutes import minutes_context, paragraph_lines

    ctx = minutes_context(meeting)
    lines = paragraph_lines(next(p for p in ctx["paragraphs"] if p.item_id == item.pk))
    assert any("Svante Holm anmäler jäv" in line and "deltar inte" in line for line in lines)


def test_dissent_only_for_those_who_took_part(meeting):
    item = meeting.items.get(number=5)
    for m in meeting.partnership.memberships.filter(role__in=["chair", "member"]):
        services.record_attendance(meeting, m)
    services.record_attendance(meeting, ms(meeting, "Farzana Khan"))  # present, not serving
    services.set_decision(item, ["Ansökan prioriteras inte."])
    services.add_dissent(item, Person.objects.get(name="Maria Aziz"), "Projektet borde prioriteras.")
    with pytest.raises(ValidationError, match="deltog inte"):
        services.add_dissent(item, Person.objects.get(name="Farzana Khan"))


def test_notice_deadline_in_swedish_working_days_and_late_warning(meeting, run_tasks):
    run_tasks()
    mail.outbox.clear()
    # Ascension Day (14 May) is a holiday: 10 working days before 20 May 2026 is 5 May
    assert working_days_before(date(2026, 5, 20), 10) == date(2026, 5, 5)
    Person.objects.update(email="")
    Person.objects.filter(name="Michaela Haga").update(email="ordf@example.org")
    with pytest.raises(ValidationError, match="för sent"):
        services.send_notice(meeting, at=datetime(2026, 5, 6, 9, tzinfo=TZ))
    notice = services.send_notice(meeting, at=datetime(2026, 5, 6, 9, tzinfo=TZ), confirm_late=True)
    run_tasks()
    assert notice.late and len(mail.outbox) == 1 and "Prioritering ERUF 2026:2" in mail.outbox[0].body
    assert any(r["name"] == "Michaela Haga" and r["address"] for r in notice.recipients)
    assert any("Kallelsen skickades för sent" in w for w in meeting_warnings(meeting))


def test_late_adjustment_is_warned(meeting):
    meeting.chair = Person.objects.get(name="Michaela Haga")
    meeting.save()
    meeting.adjusters.add(Person.objects.get(name="Daniel Forslund"))
    services.set_status(meeting, Meeting.Status.HELD)
    services.set_status(meeting, Meeting.Status.MINUTES_DRAFTED)
    late = datetime(2026, 6, 10, 9, tzinfo=TZ)  # more than 14 days after 20 May
    with pytest.raises(ValidationError, match="tidsgränsen"):
        services.approve_minutes(meeting, meeting.chair, at=late)
    services.approve_minutes(meeting, meeting.chair, at=late, confirm_late=True)
    assert any("efter tidsgränsen" in w for w in meeting_warnings(meeting))
