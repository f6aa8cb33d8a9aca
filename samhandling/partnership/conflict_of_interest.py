"""Jäv (conflict of interest): the grounds, who is blocked and from what, for assessment and meetings alike.

Grounds: a tie in force on the day (employment, board seat or other tie; `valid_from` and `valid_to` both
inclusive) between a person and the applicant or a partner of an application, or a conflict already recorded
for the person on the application or declared on a meeting item. A conflicted person may not assess the
application, may not see its assessments (scores, means, spread, totals, quality in a prioritisation, their
audit entries), and takes no part in the decision on it (left out of the item's vote count).
Writes (recording a conflict) are services: `partnership.services.record_conflicts` and `declare_conflict`.
"""

from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import ConflictOfInterest, Person, PersonTie


def organisation_ids(application) -> set[int]:
    """The applicant and the partners: the organisations a tie to which is a ground for jäv."""
    ids = set(application.partners.values_list("pk", flat=True))
    if application.applicant_id:
        ids.add(application.applicant_id)
    return ids


def _in_force(on: date) -> Q:
    return Q(valid_from__isnull=True) | Q(valid_from__lte=on), Q(valid_to__isnull=True) | Q(valid_to__gte=on)


def grounds(application, persons=None, on: date | None = None) -> QuerySet:
    """Ties in force on the day between persons and the applicant or a partner; each one is a ground for jäv."""
    qs = (
        PersonTie.objects.filter(organisation_id__in=organisation_ids(application))
        .filter(*_in_force(on or timezone.localdate()))
        .select_related("person", "organisation")
    )
    return qs.filter(person__in=persons) if persons is not None else qs


def reason(tie: PersonTie, application) -> str:
    return f"{tie.get_kind_display()} – {tie.organisation} (ansökan ”{application.name}”)"[:300]


def person_of(user) -> Person | None:
    if user is None or not user.is_authenticated:
        return None
    return Person.objects.filter(user=user).first()


def user_grounds(user, application) -> list[PersonTie]:
    person = person_of(user)
    return list(grounds(application, persons=[person])) if person else []


def conflicted_application_ids(user, applications: QuerySet) -> set[int]:
    """Of the given applications, those the user is blocked on: by a tie in force or a recorded conflict."""
    person = person_of(user)
    if person is None:
        return set()
    ids = set(applications.values_list("pk", flat=True))
    recorded = ConflictOfInterest.objects.filter(person=person, application_id__in=ids)
    blocked = set(recorded.values_list("application_id", flat=True))
    ties = PersonTie.objects.filter(person=person).filter(*_in_force(timezone.localdate()))
    organisations = set(ties.values_list("organisation_id", flat=True))
    if organisations:
        blocked |= set(
            applications.filter(Q(applicant_id__in=organisations) | Q(partners__in=organisations)).values_list(
                "pk", flat=True
            )
        )
    return blocked


def is_conflicted(user, application) -> bool:
    from samhandling.projects.models import Project

    return application.pk in conflicted_application_ids(user, Project.objects.filter(pk=application.pk))


def blocked_on_item(item) -> dict[int, Person]:
    """Persons recorded as conflicted on a meeting item: they take no part and are not counted."""
    return {c.person_id: c.person for c in item.conflicts.select_related("person")}
