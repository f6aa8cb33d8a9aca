"""The jäv rules as a table: which ties in force, to which organisations, block whom, from what.

Small factories instead of the demo: one fund, one application with an applicant and a partner, one person.
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from samhandling.partnership import conflict_of_interest as coi
from samhandling.partnership.models import ConflictOfInterest, Item, Meeting, Partnership, Person, PersonTie
from samhandling.partnership.selectors import votes_at
from samhandling.programmes.models import Fund
from samhandling.projects.models import Organisation, ProgrammeRegion, Project

DAY = timedelta(days=1)


def make_application(name="Ansökan"):
    fund, _ = Fund.objects.get_or_create(code="ESF+", defaults={"name": "ESF+", "managing_authority": "ESF-rådet"})
    applicant = Organisation.objects.create(name="Sökande kommun")
    partner = Organisation.objects.create(name="Partnerhögskolan")
    application = Project.objects.create(name=name, fund=fund, applicant=applicant, status=Project.Status.SUBMITTED)
    application.partners.add(partner)
    return application, {"applicant": applicant, "partner": partner, "other": Organisation.objects.create(name="Annan")}


def make_person(username="bedomare"):
    return Person.objects.create(name="Bo Bedömare", user=User.objects.create_user(username))


# (tie to, kind, valid_from, valid_to relative to today in days (None = open), conflicted?)
GROUNDS = [
    ("applicant", PersonTie.Kind.EMPLOYMENT, None, None, True),
    ("partner", PersonTie.Kind.BOARD, None, None, True),
    ("partner", PersonTie.Kind.OTHER, None, None, True),
    ("other", PersonTie.Kind.BOARD, None, None, False),
    ("applicant", PersonTie.Kind.BOARD, 0, None, True),  # starts today: in force (inclusive)
    ("applicant", PersonTie.Kind.BOARD, 1, None, False),  # starts tomorrow
    ("applicant", PersonTie.Kind.BOARD, None, 0, True),  # ends today: still in force
    ("applicant", PersonTie.Kind.BOARD, None, -1, False),  # ended yesterday
    ("partner", PersonTie.Kind.EMPLOYMENT, -30, 30, True),
    ("partner", PersonTie.Kind.EMPLOYMENT, -30, -1, False),
]


@pytest.mark.django_db
@pytest.mark.parametrize("to,kind,start,end,conflicted", GROUNDS)
def test_a_tie_in_force_to_the_applicant_or_a_partner_is_a_ground(to, kind, start, end, conflicted):
    application, orgs = make_application()
    person = make_person()
    today = timezone.localdate()  # at the test, not at import: a run that passes midnight must not see two days
    PersonTie.objects.create(
        person=person,
        organisation=orgs[to],
        kind=kind,
        valid_from=None if start is None else today + start * DAY,
        valid_to=None if end is None else today + end * DAY,
    )
    assert bool(coi.user_grounds(person.user, application)) is conflicted
    assert coi.is_conflicted(person.user, application) is conflicted
    assert (application.pk in coi.conflicted_application_ids(person.user, Project.objects.all())) is conflicted
    if conflicted:
        reason = coi.reason(coi.user_grounds(person.user, application)[0], application)
        assert orgs[to].name in reason and "Ansökan" in reason


# (recorded conflict: stage, on an item?, for this application?) -> blocked from the application?
RECORDED = [
    (ConflictOfInterest.Stage.ASSESSMENT, False, True, True),
    (ConflictOfInterest.Stage.DECISION, True, True, True),
    (ConflictOfInterest.Stage.DECISION, True, False, False),  # declared on an item only: the item, not the case
]


@pytest.mark.django_db
@pytest.mark.parametrize("stage,on_item,on_application,blocked", RECORDED)
def test_a_recorded_conflict_blocks_without_a_tie(stage, on_item, on_application, blocked):
    application, _orgs = make_application()
    person = make_person()
    item = None
    if on_item:
        meeting = Meeting.objects.create(
            partnership=Partnership.objects.create(name="P", programme_region=ProgrammeRegion.objects.first()),
            year=2026,
            number=1,
            date=timezone.localdate(),
        )
        item = Item.objects.create(meeting=meeting, number=1, title="Prioritering")
    ConflictOfInterest.objects.create(
        person=person, application=application if on_application else None, item=item, stage=stage, reason="Skäl"
    )
    assert not coi.user_grounds(person.user, application)
    assert coi.is_conflicted(person.user, application) is blocked
    if item is not None:
        assert person in votes_at(item).conflicted  # left out of the item's vote count either way


@pytest.mark.django_db
def test_no_user_or_no_person_is_never_conflicted():
    from django.contrib.auth.models import AnonymousUser

    application, _orgs = make_application()
    assert not coi.is_conflicted(AnonymousUser(), application)
    assert not coi.is_conflicted(User.objects.create_user("utan-person"), application)


@pytest.mark.django_db
def test_a_conflict_needs_an_item_or_an_application():
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        ConflictOfInterest.objects.create(person=make_person(), reason="Skäl")
