"""Reads for calls: public listings, the partnership's mode and an applicant's own applications."""

from django.db.models import Prefetch, Q, QuerySet

from samhandling.access.roles import Role, has_role

from samhandling.partnership.selectors import current_partnership
from samhandling.projects.models import Project

from .access import EDITORS
from .models import Call, CallObjective, PartnershipMode

PUBLIC_STATUSES = [
    s
    for s in Call.Status
    if s not in (Call.Status.ORIENTATION_DRAFT, Call.Status.PROPOSED, Call.Status.PARTNERSHIP_OPINION)
]


def public_calls() -> QuerySet:
    """Calls whose orientation the partnership has approved; drafts stay internal."""
    objectives = CallObjective.objects.select_related("objective").order_by("objective__code")
    return (
        Call.objects.filter(status__in=PUBLIC_STATUSES)
        .select_related("fund", "approved_at__meeting")
        .prefetch_related(Prefetch("call_objectives", queryset=objectives))
    )


def call_period(call: Call):
    first = call.call_objectives.select_related("objective__programme__period").first()
    return first.objective.programme.period if first else None


def partnership_mode(call: Call) -> str:
    """The mode of the current partnership in the call's programme period; today's law when not set."""
    period = call_period(call)
    row = PartnershipMode.objects.filter(partnership=current_partnership(), period=period).first()
    return row.mode if row else PartnershipMode.Mode.CALL_ORIENTATION


def applications_for(user) -> QuerySet:
    """An applicant sees only the applications they own."""
    return (
        Project.objects.filter(owner=user, call__isnull=False)
        .select_related("call__fund", "objective", "applicant")
        .order_by("-updated_at")
    )


def visible_applications(user) -> QuerySet | None:
    """Applications the user may read: an applicant their own (drafts too), staff and the managing authority
    every submitted one (a draft is the applicant's alone until it is submitted); None for anyone else."""
    qs = Project.objects.filter(call__isnull=False).select_related("call__fund", "applicant", "objective")
    if has_role(user, *EDITORS):
        own = Q(owner=user) if user.is_authenticated else Q(pk__in=[])
        return qs.filter(own | ~Q(status=Project.Status.DRAFT))
    if has_role(user, Role.APPLICANT):
        return qs.filter(owner=user)
    return None


def held_objectives(call: Call) -> QuerySet:
    return call.call_objectives.filter(held=True).select_related("objective").order_by("objective__code")
