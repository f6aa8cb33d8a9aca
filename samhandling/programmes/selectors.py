"""Reads of the budget ledger: every figure is derived from the movements, never stored."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import DecimalField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from .models import BudgetMovement, Earmark, SpecificObjective

_ZERO = Value(Decimal("0.00"), output_field=DecimalField(max_digits=14, decimal_places=2))
_K = BudgetMovement.Kind


def _sum(*kinds):
    return Coalesce(Sum("movements__amount", filter=Q(movements__kind__in=kinds)), _ZERO)


def objectives_with_balances(queryset: QuerySet | None = None) -> QuerySet:
    """Objectives annotated with budget, earmarked, reserved, granted and remaining_to_call (SEK, Decimal)."""
    qs = queryset if queryset is not None else SpecificObjective.objects.all()
    earmarked = Earmark.objects.filter(objective=OuterRef("pk")).order_by().values("objective")
    qs = qs.select_related("fund", "programme__period", "programme__programme_region").annotate(
        budget=_sum(_K.ALLOCATION, _K.REALLOCATION),
        reserved=_sum(_K.RESERVATION),
        granted=_sum(_K.GRANT),
        earmarked=Coalesce(Subquery(earmarked.annotate(total=Sum("amount")).values("total")), _ZERO),
    )
    return qs.order_by("programme__period__start_year", "programme__programme_region__code", "fund__code", "code")


@dataclass(frozen=True)
class Balance:
    budget: Decimal
    reserved: Decimal
    granted: Decimal

    @property
    def remaining_to_call(self) -> Decimal:
        return self.budget - self.reserved - self.granted


def balance(objective: SpecificObjective) -> Balance:
    row = objectives_with_balances(SpecificObjective.objects.filter(pk=objective.pk)).get()
    return Balance(row.budget, row.reserved, row.granted)


@dataclass
class EarmarkBalance:
    """An earmark's own ledger: what is set aside, reserved for and granted in its calls, and what is left."""

    earmark: Earmark
    reserved: Decimal
    granted: Decimal

    @property
    def amount(self) -> Decimal:
        return self.earmark.amount

    @property
    def remaining(self) -> Decimal:
        return self.earmark.amount - self.reserved - self.granted


def earmark_balances(objectives=None) -> list[EarmarkBalance]:
    """Per earmark (of the given objectives, else all): reserved and granted in the calls made under it."""
    earmarks = list(
        Earmark.objects.select_related("objective__fund", "intermediate_body", "partnership").filter(
            **({"objective__in": objectives} if objectives is not None else {})
        )
    )
    used: dict[tuple, Decimal] = defaultdict(Decimal)
    rows = (
        BudgetMovement.objects.filter(kind__in=(_K.RESERVATION, _K.GRANT))
        .annotate(earmark_id=Coalesce("call__earmark", "project__call__earmark"))
        .filter(earmark_id__in=[e.pk for e in earmarks])
        .order_by()
        .values("earmark_id", "kind")
        .annotate(total=Sum("amount"))
    )
    for row in rows:
        used[(row["earmark_id"], row["kind"])] += row["total"]
    return [EarmarkBalance(e, used[(e.pk, _K.RESERVATION)], used[(e.pk, _K.GRANT)]) for e in earmarks]


def remaining_to_call(obj) -> Decimal:
    """For an annotated objective from objectives_with_balances()."""
    return obj.budget - obj.reserved - obj.granted


def ledger(objective: SpecificObjective) -> QuerySet:
    return objective.movements.select_related("call", "project", "counterpart__objective").order_by("date", "id")


def objectives_of(partnership) -> QuerySet:
    """The objectives a partnership works with: those of its programme region's programmes (every objective
    when there is no partnership). Objective codes repeat between regions: budgets are never summed across."""
    qs = SpecificObjective.objects.all()
    if partnership is None:
        return qs
    return qs.filter(programme__programme_region_id=partnership.programme_region_id)


def funds_overview(period_start_year: int | None = None, partnership=None) -> list[dict]:
    """Per fund: the partnership's objectives (every objective without one) with balances and fund totals."""
    qs = objectives_with_balances(objectives_of(partnership))
    if period_start_year is not None:
        qs = qs.filter(programme__period__start_year=period_start_year)
    funds: dict[int, dict] = {}
    for obj in qs:
        entry = funds.setdefault(
            obj.fund_id,
            {
                "fund": obj.fund,
                "objectives": [],
                "budget": Decimal(0),
                "granted": Decimal(0),
                "reserved": Decimal(0),
                "remaining_to_call": Decimal(0),
                "earmarked": Decimal(0),
                "earmarks": [],
            },
        )
        obj.remaining_to_call = remaining_to_call(obj)
        entry["objectives"].append(obj)
        for key in ("budget", "granted", "reserved", "remaining_to_call", "earmarked"):
            entry[key] += getattr(obj, key)
    for row in earmark_balances([o for f in funds.values() for o in f["objectives"]]):
        funds[row.earmark.objective.fund_id]["earmarks"].append(row)
    return list(funds.values())
