"""Reads for calls: public listings, the partnership's mode and an applicant's own applications."""

from django.db.models import Prefetch, QuerySet

from samhandling.partnership.selectors import current_partnership
from samhandling.projects.models import Project

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


def held_objectives(call: Call) -> QuerySet:
    return call.call_objectives.filter(held=True).select_related("objective").order_by("objective__code")


def closing_soon(today, days: int = 30) -> QuerySet:
    """Open calls that close within `days` days from today (the last day included), soonest first."""
    from datetime import timedelta

    return (
        Call.objects.filter(status=Call.Status.OPEN, closes_on__gte=today, closes_on__lte=today + timedelta(days=days))
        .select_related("fund")
        .order_by("closes_on")
    )


def in_preparation() -> QuerySet:
    """Calls whose orientation is not yet approved: the secretariat's and the managing authority's drafts."""
    return (
        Call.objects.exclude(status__in=PUBLIC_STATUSES)
        .select_related("fund")
        .order_by("-year", "fund__code", "number")
    )
