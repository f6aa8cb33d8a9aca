"""Reads of the budget ledger: every figure is derived from the movements, never stored."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from .models import BudgetMovement, SpecificObjective

_ZERO = Value(Decimal("0.00"), output_field=DecimalField(max_digits=14, decimal_places=2))
_K = BudgetMovement.Kind


def _sum(*kinds):
    return Coalesce(Sum("movements__amount", filter=Q(movements__kind__in=kinds)), _ZERO)


def objectives_with_balances(queryset: QuerySet | None = None) -> QuerySet:
    """Objectives annotated with budget, reserved, granted and remaining_to_call (SEK, Decimal)."""
    qs = queryset if queryset is not None else SpecificObjective.objects.all()
    qs = qs.select_related("fund", "programme__period").annotate(
        budget=_sum(_K.ALLOCATION, _K.REALLOCATION),
        reserved=_sum(_K.RESERVATION),
        granted=_sum(_K.GRANT),
    )
    return qs.order_by("programme__period__start_year", "fund__code", "code")


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


def remaining_to_call(obj) -> Decimal:
    """For an annotated objective from objectives_with_balances()."""
    return obj.budget - obj.reserved - obj.granted


def ledger(objective: SpecificObjective) -> QuerySet:
    return objective.movements.select_related("call", "project", "counterpart__objective").order_by("date", "id")


def funds_overview(period_start_year: int | None = None) -> list[dict]:
    """Per fund: its objectives with balances and fund totals, for the start page and the API."""
    qs = objectives_with_balances()
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
            },
        )
        obj.remaining_to_call = remaining_to_call(obj)
        entry["objectives"].append(obj)
        for key in ("budget", "granted", "reserved", "remaining_to_call"):
            entry[key] += getattr(obj, key)
    return list(funds.values())
