"""Several stretches of presence per attendee: someone leaves at § 4 and returns at § 7. The attendance list,
the quorum and vote count per §, a substitute serving meanwhile, and the minutes' text follow."""

import io
from datetime import date, time

import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from samhandling.partnership import minutes, services
from samhandling.partnership.models import Attendance, Meeting, Membership
from samhandling.partnership.selectors import votes_per_item


@pytest.fixture
def meeting(demo):
    p = Meeting.objects.get(year=2026, number=1).partnership
    m = services.create_meeting(p, date=date(2026, 5, 20), start_time=time(10), end_time=time(12), place="Regionen")
    services.add_item(m, title="Prioritering ERUF 2026:2")
    services.add_item(m, title="Inriktning ESF+")
    return m  # §§ 1–8: the two matters are § 5 and § 6


def seated(meeting):
    return list(meeting.partnership.memberships.filter(role__in=["chair", "vice_chair", "member"]).order_by("order"))


def counts_by_number(meeting):
    counts = votes_per_item(meeting)
    return {i.number: counts[i.id] for i in meeting.items.all()}


def test_leave_and_return_through_the_attendance_form(meeting, client, make_user):
    members = seated(meeting)
    for m in members[:12]:
        services.record_attendance(meeting, m)  # 12 of 23 seats: quorate only with everyone
    leaver = members[0]
    client.force_login(make_user("sekr", "secretariat"))
    url = f"/sammantraden/{meeting.year}/{meeting.number}/narvaro/"
    bad = client.post(url, {"membership": leaver.pk, "present": "1", "absences": "4 till 6"})
    assert bad.status_code == 400 and "Skriv paragraferna som 4–6" in bad.content.decode()
    assert Attendance.objects.get(meeting=meeting, membership=leaver).absences == []
    response = client.post(url, {"membership": leaver.pk, "present": "1", "absences": "4–5, 7"})
    assert response.status_code == 302
    assert Attendance.objects.get(meeting=meeting, membership=leaver).absences == [[4, 5], [7, 7]]

    counts = counts_by_number(meeting)
    assert [counts[n].votes for n in range(1, 9)] == [12, 12, 12, 11, 11, 12, 11, 12]
    assert counts[3].quorum and not counts[5].quorum and counts[6].quorum
    page = client.get(f"/sammantraden/{meeting.year}/{meeting.number}/hantera/").content.decode()
    assert "ej närvarande §§ 4–5, § 7" in page

    text = " ".join(PdfReader(io.BytesIO(minutes.render_pdf(meeting))).pages[0].extract_text().split())
    assert f"{leaver.person.name}" in text and "ej närvarande §§ 4–5, ej närvarande § 7" in text


def test_substitute_serves_only_while_the_member_is_away(meeting):
    member = next(m for m in seated(meeting) if m.group)
    substitute = (
        meeting.partnership.memberships.filter(
            role=Membership.Role.SUBSTITUTE, organisation=member.organisation
        ).first()
        or meeting.partnership.memberships.filter(role=Membership.Role.SUBSTITUTE, group=member.group).first()
    )
    services.record_attendance(meeting, member, absences=[[4, 6]])
    with pytest.raises(ValidationError, match="själv närvarande"):
        services.record_attendance(meeting, substitute, serving_for=member)
    with pytest.raises(ValidationError, match="själv närvarande"):
        services.record_attendance(meeting, substitute, from_item=3, until_item=6, serving_for=member)
    services.record_attendance(meeting, substitute, from_item=4, until_item=6, serving_for=member)
    counts = counts_by_number(meeting)
    assert substitute in counts[5].voters and member not in counts[5].voters
    assert member in counts[7].voters and substitute not in counts[7].voters


@pytest.mark.parametrize(
    ("stretches", "message"),
    [([[6, 4]], "slutet ligger före"), ([[4, 6], [5, 7]], "överlappar"), ([[1, 3]], "mellan ankomst och avgång")],
)
def test_bad_stretches_refused_and_nothing_stored(meeting, stretches, message):
    member = seated(meeting)[0]
    with pytest.raises(ValidationError, match=message):
        services.record_attendance(meeting, member, from_item=2, until_item=8, absences=stretches)
    assert not Attendance.objects.filter(meeting=meeting, membership=member).exists()
