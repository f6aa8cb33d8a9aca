"""The rules of procedure as tables: quorum, who may serve for whom, and notice in Swedish working days.

Unit-level: small factories instead of the demo, each row a boundary of one rule.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from samhandling.partnership import services
from samhandling.partnership.models import Membership, RulesOfProcedure
from samhandling.partnership.rules import is_working_day, notice_deadline, quorum_reached, working_days_before
from samhandling.partnership.selectors import votes_at
from factories import (
    ItemFactory,
    MeetingFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    RulesOfProcedureFactory,
)

Q = RulesOfProcedure.Quorum
R = RulesOfProcedure.Replacement
TZ = ZoneInfo("Europe/Stockholm")


@pytest.mark.parametrize(
    ("votes", "seats", "rule", "reached"),
    [
        (0, 0, Q.MORE_THAN_HALF, False),  # no seats: never quorate
        (0, 0, Q.AT_LEAST_HALF, False),
        (11, 23, Q.MORE_THAN_HALF, False),
        (12, 23, Q.MORE_THAN_HALF, True),
        (11, 22, Q.MORE_THAN_HALF, False),  # exactly half is not more than half
        (12, 22, Q.MORE_THAN_HALF, True),
        (11, 22, Q.AT_LEAST_HALF, True),  # exactly half is enough
        (10, 22, Q.AT_LEAST_HALF, False),
        (11, 23, Q.AT_LEAST_HALF, False),
        (12, 23, Q.AT_LEAST_HALF, True),
        (14, 21, Q.TWO_THIRDS, True),  # exactly two thirds
        (13, 21, Q.TWO_THIRDS, False),
        (14, 22, Q.TWO_THIRDS, False),  # 14/22 < 2/3
        (15, 22, Q.TWO_THIRDS, True),
        (23, 23, Q.TWO_THIRDS, True),
    ],
)
def test_quorum(votes, seats, rule, reached):
    assert quorum_reached(votes, seats, rule) is reached


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 5, 20), True),  # an ordinary Wednesday
        (date(2026, 5, 16), False),  # Saturday
        (date(2026, 5, 17), False),  # Sunday
        (date(2026, 1, 1), False),  # New Year's Day
        (date(2026, 1, 6), False),  # Epiphany
        (date(2026, 1, 5), True),  # Twelfth Night eve is not a holiday
        (date(2026, 4, 3), False),  # Good Friday
        (date(2026, 4, 6), False),  # Easter Monday
        (date(2026, 4, 30), True),  # Walpurgis Night is a working day
        (date(2026, 5, 1), False),  # May Day
        (date(2026, 5, 14), False),  # Ascension Day
        (date(2025, 6, 6), False),  # National Day on a Friday
        (date(2025, 6, 9), True),  # Whit Monday has not been a holiday since 2005
        (date(2026, 6, 19), False),  # Midsummer Eve, treated as a holiday (lag 1930:173)
        (date(2026, 6, 18), True),  # the day before Midsummer Eve
        (date(2026, 10, 30), True),  # All Saints' Eve is a working day
        (date(2026, 12, 24), False),  # Christmas Eve, treated as a holiday
        (date(2026, 12, 23), True),
        (date(2026, 12, 25), False),  # Christmas Day
        (date(2026, 12, 31), False),  # New Year's Eve, treated as a holiday
    ],
)
def test_swedish_working_days(day, working):
    assert is_working_day(day) is working


@pytest.mark.parametrize(
    ("meeting_day", "days", "deadline"),
    [
        (date(2026, 5, 20), 0, date(2026, 5, 20)),  # no notice period: the meeting day itself
        (date(2026, 5, 20), 1, date(2026, 5, 19)),
        (date(2026, 5, 18), 1, date(2026, 5, 15)),  # over a weekend
        (date(2026, 5, 20), 10, date(2026, 5, 5)),  # Ascension Day (14 May) does not count
        (date(2026, 5, 15), 1, date(2026, 5, 13)),  # the day before is Ascension Day
        (date(2026, 4, 7), 1, date(2026, 4, 2)),  # back over Easter Monday, the weekend and Good Friday
        (date(2026, 5, 4), 1, date(2026, 4, 30)),  # back over the weekend and May Day
        (date(2026, 6, 22), 1, date(2026, 6, 18)),  # back over the weekend and Midsummer Eve
        (date(2026, 12, 28), 1, date(2026, 12, 23)),  # back over Christmas Eve and Christmas Day
        (date(2027, 1, 4), 1, date(2026, 12, 30)),  # across the year, back over New Year's Eve and Day
        (date(2027, 1, 7), 1, date(2027, 1, 5)),  # back over Epiphany; its eve counts
        (date(2026, 11, 2), 1, date(2026, 10, 30)),  # All Saints' Eve counts
    ],
)
def test_notice_deadline_in_working_days(meeting_day, days, deadline):
    assert working_days_before(meeting_day, days) == deadline


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("notice_days", "sent_on", "late"),
    [
        (10, date(2026, 5, 5), False),  # on the last day
        (10, date(2026, 5, 6), True),  # one day after
        (5, date(2026, 5, 12), False),  # the partnership's own notice period: 5 working days before 20 May
        (5, date(2026, 5, 13), True),
    ],
)
def test_notice_period_follows_the_partnerships_rules(settings, notice_days, sent_on, late):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    rules = RulesOfProcedureFactory(notice_working_days=notice_days)
    meeting = MeetingFactory(partnership=rules.partnership, date=date(2026, 5, 20))
    at = datetime(sent_on.year, sent_on.month, sent_on.day, 16, tzinfo=TZ)
    if late:
        with pytest.raises(ValidationError, match="för sent"):
            services.send_notice(meeting, at=at)
        assert not meeting.notices.exists()
    else:
        assert services.send_notice(meeting, at=at).late is False
        assert notice_deadline(meeting) == sent_on


def _seats(rule: str):
    """A meeting with items § 1–4 and a member from organisation A of group G, under the replacement rule."""
    partnership = PartnershipFactory()
    RulesOfProcedureFactory(partnership=partnership, replacement=rule)
    meeting = MeetingFactory(partnership=partnership)
    for n in range(1, 5):
        ItemFactory(meeting=meeting, number=n)
    org_a, org_b = OrganisationFactory(name="A"), OrganisationFactory(name="B")
    member = MembershipFactory(partnership=partnership, organisation=org_a, group="G")
    return meeting, member, org_a, org_b


def _substitute(meeting, organisation, group=""):
    return MembershipFactory(
        partnership=meeting.partnership, organisation=organisation, group=group, role=Membership.Role.SUBSTITUTE
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("rule", "same_org", "same_group", "allowed"),
    [
        (R.ORGANISATION, True, False, True),
        (R.ORGANISATION, False, True, False),
        (R.ORGANISATION, False, False, False),
        (R.GROUP, True, False, True),
        (R.GROUP, False, True, True),
        (R.GROUP, False, False, False),
        (R.ORGANISATION_THEN_GROUP, True, False, True),
        (R.ORGANISATION_THEN_GROUP, False, True, True),
        (R.ORGANISATION_THEN_GROUP, False, False, False),
        (R.ANY, False, False, True),
    ],
)
def test_who_may_serve_for_whom(rule, same_org, same_group, allowed):
    meeting, member, org_a, org_b = _seats(rule)
    substitute = _substitute(meeting, org_a if same_org else org_b, "G" if same_group else "H")
    services.record_attendance(meeting, member, present=False)
    if allowed:
        services.record_attendance(meeting, substitute, serving_for=member)
        assert votes_at(meeting.items.get(number=1)).votes == 1  # the serving substitute votes in the seat
    else:
        with pytest.raises(ValidationError) as exc:
            services.record_attendance(meeting, substitute, serving_for=member)
        assert "serving_for" in exc.value.error_dict
        assert not meeting.attendances.filter(membership=substitute).exists()


@pytest.mark.django_db
def test_own_organisations_free_substitute_goes_first():
    meeting, member, org_a, org_b = _seats(R.ORGANISATION_THEN_GROUP)
    services.record_attendance(meeting, member, present=False)
    own = _substitute(meeting, org_a)
    services.record_attendance(meeting, own)  # present, not yet serving
    with pytest.raises(ValidationError, match="egen ersättare"):
        services.record_attendance(meeting, _substitute(meeting, org_b, "G"), serving_for=member)
    services.record_attendance(meeting, own, serving_for=member)
    assert meeting.attendances.get(membership=own).serving_for == member


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("member_until", "substitute_from", "allowed"),
    [
        (None, None, False),  # the member is present throughout
        (3, None, False),  # overlap at § 1–3
        (3, 3, False),  # overlap at § 3
        (3, 4, True),  # swap between § 3 and § 4
    ],
)
def test_a_substitute_serves_only_while_the_member_is_away(member_until, substitute_from, allowed):
    meeting, member, org_a, _org_b = _seats(R.ORGANISATION)
    services.record_attendance(meeting, member, until_item=member_until)
    substitute = _substitute(meeting, org_a)
    if not allowed:
        with pytest.raises(ValidationError, match="själv närvarande"):
            services.record_attendance(meeting, substitute, from_item=substitute_from, serving_for=member)
        return
    services.record_attendance(meeting, substitute, from_item=substitute_from, serving_for=member)
    votes = {n: votes_at(meeting.items.get(number=n)).voters for n in (3, 4)}
    assert votes == {3: [member], 4: [substitute]}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("present_members", "conflicted", "substitute_serves", "votes", "quorum"),
    [
        (2, 0, False, 2, False),  # 2 of 5 seats
        (3, 0, False, 3, True),  # 3 of 5: more than half
        (3, 1, False, 2, False),  # a member with jäv leaves the count
        (2, 0, True, 3, True),  # a serving substitute fills an absent member's seat
    ],
)
def test_votes_and_quorum_per_item(present_members, conflicted, substitute_serves, votes, quorum):
    partnership = PartnershipFactory()
    meeting = MeetingFactory(partnership=partnership)
    item = ItemFactory(meeting=meeting, number=1)
    org = OrganisationFactory()
    members = [MembershipFactory(partnership=partnership, organisation=org) for _ in range(5)]
    for m in members[:present_members]:
        services.record_attendance(meeting, m)
    for m in members[:conflicted]:
        services.declare_conflict(item, m.person, "Anställd hos sökande")
    if substitute_serves:
        services.record_attendance(meeting, _substitute(meeting, org), serving_for=members[-1])
    count = votes_at(item)
    assert (count.seats, count.votes, count.quorum) == (5, votes, quorum)
