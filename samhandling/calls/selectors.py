"""Reads for calls: public listings, the partnership's mode and an applicant's own applications."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from samhandling.access.roles import Role, has_role
from samhandling.core.money import format_sek
from samhandling.partnership import scope
from samhandling.partnership.scope import scoped
from samhandling.partnership.selectors import current_partnership
from samhandling.programmes.selectors import objectives_of
from samhandling.projects.models import Project

from .access import EDITORS
from .models import Call, CallObjective, CallPlan, PartnershipMode

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
        .prefetch_related(Prefetch("call_objectives", queryset=objectives), "strands__objectives")
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


def fund_objectives():
    """The specific objectives a call can make money available for: the partnership's in the current period."""
    return (
        objectives_of(scope.current())
        .filter(programme__period__start_year=2021)
        .select_related("fund")
        .order_by("fund__code", "code")
    )


def strand_rules(strand) -> list[str]:
    """The rules of a strand in words, as applicants and the public call plan show them."""
    rules = [strand.get_kind_display().lower()]
    if strand.max_support is not None:
        rules.append(_("högst %(amount)s i stöd per projekt") % {"amount": format_sek(strand.max_support)})
    if strand.cofinancing_share is not None:
        rules.append(_("minst %(share)s medfinansiering") % {"share": percent(strand.cofinancing_share)})
    if strand.simplified_reporting:
        rules.append(_("förenklad redovisning"))
    if strand.final_report_only:
        rules.append(_("enbart slutrapport"))
    return rules


def strand_summary(strand) -> str:
    codes = ", ".join(strand.objective_codes)
    return f"{strand.name} ({codes}: {'; '.join(str(r) for r in strand_rules(strand))})"


def percent(share: Decimal) -> str:
    """0.46 → "46 %", 0.125 → "12,5 %"."""
    return f"{(share * 100).quantize(Decimal('0.1'))} %".replace(".", ",").replace(",0 %", " %")


def calls_for(user) -> QuerySet:
    """The call list: the public calls for everyone, and every call, drafts too, for those who edit them."""
    if has_role(user, *EDITORS):
        objectives = CallObjective.objects.select_related("objective").order_by("objective__code")
        return (
            scoped(Call.objects)
            .select_related("fund", "approved_at__meeting")
            .prefetch_related(Prefetch("call_objectives", queryset=objectives))
            .order_by("-year", "fund__code", "-number")
        )
    return scoped(public_calls())


def latest_call_plans() -> list[CallPlan]:
    """The newest version of each call plan (per partnership, fund and year)."""
    plans = CallPlan.objects.select_related("fund", "partnership", "agreed_at__meeting").order_by(
        "partnership_id", "fund__code", "-year", "-version"
    )
    latest: dict[tuple, CallPlan] = {}
    for plan in plans:
        latest.setdefault((plan.partnership_id, plan.fund_id, plan.year), plan)
    return list(latest.values())


@dataclass
class PlanRow:
    """One call in the public call plan (article 49.2 of regulation (EU) 2021/1060)."""

    fund: str
    code: str
    title: str
    status: str
    objectives: list[str]
    strands: list[str]
    amount: Decimal
    opens_on: date | None
    closes_on: date | None
    condition: str
    call_id: int | None

    def as_dict(self) -> dict:
        return {
            "fund": self.fund,
            "call": self.code,
            "title": self.title,
            "status": self.status,
            "objectives": self.objectives,
            "strands": self.strands,
            "amount": str(self.amount),
            "opens_on": self.opens_on.isoformat() if self.opens_on else None,
            "closes_on": self.closes_on.isoformat() if self.closes_on else None,
            "condition": self.condition,
        }


UPCOMING = (Call.Status.APPROVED, Call.Status.OPEN)


def public_call_plan() -> list[PlanRow]:
    """Planned, upcoming and open calls with fund, objectives, strands, amounts and dates; nothing personal.

    A call whose orientation is approved speaks for itself; a row of the latest call plan without such a call
    is shown as planned. Calls already closed or decided are not part of the timetable.
    """
    rows, covered = [], set()
    calls = (
        Call.objects.filter(status__in=PUBLIC_STATUSES)
        .select_related("fund")
        .prefetch_related(
            "call_objectives__objective", "call_objectives__not_held_if_exhausted_by__fund", "strands__objectives"
        )
        .order_by("opens_on", "fund__code", "year", "number")
    )
    for call in calls:
        covered.add((call.fund_id, call.year, call.number))
        if call.status not in UPCOMING:
            continue
        waiting = [str(c) for c in call.condition_calls] if not call.condition_lifted_at_id else []
        rows.append(
            PlanRow(
                fund=call.fund.code,
                code=call.code,
                title=call.title,
                status=str(_("Öppen") if call.status == Call.Status.OPEN else _("Kommande")),
                objectives=[f"{co.objective.code} {co.objective.name}" for co in call.call_objectives.all() if co.held],
                strands=[strand_summary(s) for s in call.strands.all()],
                amount=sum((co.amount for co in call.call_objectives.all() if co.held), Decimal(0)),
                opens_on=call.opens_on,
                closes_on=call.closes_on,
                condition=_("Hålls bara om %(calls)s lämnar medel") % {"calls": ", ".join(waiting)} if waiting else "",
                call_id=call.pk,
            )
        )
    for plan in latest_call_plans():
        by_number: dict[int, list] = {}
        for entry in plan.entries.select_related("objective").order_by("number", "objective__code"):
            by_number.setdefault(entry.number, []).append(entry)
        for number, entries in by_number.items():
            if (plan.fund_id, plan.year, number) in covered:
                continue
            rows.append(
                PlanRow(
                    fund=plan.fund.code,
                    code=f"{plan.year}:{number}",
                    title="",
                    status=str(_("Planerad")),
                    objectives=[f"{e.objective.code} {e.objective.name}" for e in entries],
                    strands=[],
                    amount=sum((e.amount for e in entries), Decimal(0)),
                    opens_on=min((e.opens_on for e in entries if e.opens_on), default=None),
                    closes_on=max((e.closes_on for e in entries if e.closes_on), default=None),
                    condition="",
                    call_id=None,
                )
            )
    return sorted(rows, key=lambda r: (r.opens_on is None, r.opens_on or 0, r.fund, r.code))


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
        scoped(Call.objects.exclude(status__in=PUBLIC_STATUSES))
        .select_related("fund")
        .order_by("-year", "fund__code", "number")
    )
