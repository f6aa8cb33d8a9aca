"""Follow-up of the 2021–2027 programmes: indicator targets, planned and achieved values, and money followed
through as dated cumulative snapshots (the shape of Article 42 of Regulation (EU) 2021/1060).

Writes (services) and reads (selectors) for the secretariat's forms, the dashboard, the report, open data and
the `snapshot` command live here, so every one of them counts the same way: planned and achieved values are
those of granted projects (granted, ongoing, completed) in the objective; targets are the programme's own
(no partnership) or a partnership's.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date as Date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.utils.translation import gettext as _

from samhandling.core.money import to_money
from samhandling.projects.models import Project

from .models import FinancialSnapshot, Indicator, IndicatorTarget, ProjectIndicatorValue, SpecificObjective
from .selectors import objectives_of

MAX_VALUE = Decimal("1e13")
CENT = Decimal("0.01")


# -- writes ------------------------------------------------------------------------------------------


def _value(value, name: str, label: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).replace(" ", "").replace("\u00a0", "").replace(",", "."))
    except ArithmeticError:
        number = None
    if number is None or not number.is_finite() or number < 0 or number >= MAX_VALUE:
        raise ValidationError({name: _("%(field)s: ange ett tal, 0 eller mer.") % {"field": label}})
    return number.quantize(Decimal("0.01"))


def _check_serves(indicator: Indicator, objective: SpecificObjective | None, name: str) -> None:
    """An indicator belongs to the specific objectives the regulation lists it for."""
    regulation = objective.regulation_objective if objective else None
    if regulation is not None and not indicator.objectives.filter(pk=regulation.pk).exists():
        raise ValidationError(
            {
                name: _("Indikatorn %(indicator)s hör inte till specifikt mål %(objective)s.")
                % {"indicator": indicator.code, "objective": regulation.code}
            }
        )


@transaction.atomic
def set_indicator_target(
    *, indicator: Indicator, objective: SpecificObjective, partnership=None, target, year: int = 2029
) -> IndicatorTarget:
    """The programme's (no partnership) or a partnership's target for an indicator in an objective; a new
    decision replaces the earlier one (the audit trail keeps both)."""
    _check_serves(indicator, objective, "indicator")
    if partnership is not None and objective.programme.programme_region_id not in (
        None,
        partnership.programme_region_id,
    ):
        raise ValidationError(
            {"partnership": _("Partnerskapet: programmet gäller ett annat programområde än partnerskapets.")}
        )
    amount = _value(target, "target", _("Målvärde"))
    if amount is None:
        raise ValidationError({"target": _("Målvärde: ange ett tal, 0 eller mer.")})
    if not 2021 <= int(year) <= 2035:
        raise ValidationError({"year": _("Målår: ange ett år mellan 2021 och 2035.")})
    found, _created = IndicatorTarget.objects.update_or_create(
        indicator=indicator,
        objective=objective,
        partnership=partnership,
        defaults={"target": amount, "year": int(year)},
    )
    return found


@transaction.atomic
def record_indicator_value(*, project: Project, indicator: Indicator, planned=None, achieved=None):
    """A project's planned and/or achieved value for an indicator (the other one is kept as it was)."""
    _check_serves(indicator, project.objective, "indicator")
    planned = _value(planned, "planned", _("Planerat värde"))
    achieved = _value(achieved, "achieved", _("Uppnått värde"))
    if planned is None and achieved is None:
        raise ValidationError({"planned": _("Ange planerat eller uppnått värde.")})
    row, _created = ProjectIndicatorValue.objects.get_or_create(project=project, indicator=indicator)
    if planned is not None:
        row.planned = planned
    if achieved is not None:
        row.achieved = achieved
    row.save()
    return row


@transaction.atomic
def take_snapshot(day: Date, *, partnership=None, paid: dict | None = None, source: str = "samhandling") -> int:
    """Writes the cumulative figures of `day` for every objective (of the partnership's programme region):
    planned = budget, decided = granted, both from the budget ledger up to that day; paid from `paid`
    ({objective id: amount}, e.g. the managing authority's figures), else unknown. Re-running a day
    replaces that day's rows. Returns how many rows were written."""
    paid = paid or {}
    counts = dict(
        Project.objects.granted()
        .filter(Q(decision_date__lte=day) | Q(decision_date__isnull=True, start_date__lte=day))
        .values("objective_id")
        .annotate(n=Count("id"))
        .values_list("objective_id", "n")
    )
    FinancialSnapshot.objects.filter(date=day, partnership=partnership).delete()
    written = 0
    for objective in objectives_of(partnership).filter(programme__period__start_year__gte=2021):
        planned, decided = _dated_balance(objective, day)
        FinancialSnapshot.objects.create(
            date=day,
            objective=objective,
            partnership=partnership,
            planned=planned,
            decided=decided,
            paid=to_money(paid[objective.pk]) if objective.pk in paid else None,
            projects=counts.get(objective.pk, 0),
            source=source,
        )
        written += 1
    return written


def _dated_balance(objective: SpecificObjective, day: Date) -> tuple[Decimal, Decimal]:
    from .models import BudgetMovement

    K = BudgetMovement.Kind
    moves = objective.movements.filter(date__lte=day)
    budget = moves.filter(kind__in=(K.ALLOCATION, K.REALLOCATION)).aggregate(s=Sum("amount"))["s"] or Decimal(0)
    granted = moves.filter(kind=K.GRANT).aggregate(s=Sum("amount"))["s"] or Decimal(0)
    return budget, granted


# -- reads -------------------------------------------------------------------------------------------


@dataclass
class IndicatorRow:
    indicator: Indicator
    target: Decimal | None
    planned: Decimal
    achieved: Decimal

    @property
    def achieved_percent(self) -> int | None:
        return round(self.achieved / self.target * 100) if self.target else None


@dataclass
class ObjectiveIndicators:
    objective: SpecificObjective
    rows: list[IndicatorRow] = field(default_factory=list)


def indicator_overview(partnership=None) -> list[ObjectiveIndicators]:
    """Per objective with a target or a project value: per indicator its target (the partnership's when one is
    given, else the programme's), and the planned and achieved sums of granted projects."""
    targets = IndicatorTarget.objects.filter(
        Q(partnership=partnership) if partnership is not None else Q(partnership__isnull=True)
    ).select_related("indicator", "objective")
    # The values are read first and each one's project looked up by key: joined the other way round, SQLite
    # walks every granted project (a second at a million) to find the few that report indicators.
    project = Project.objects.filter(pk=OuterRef("project_id"), status__in=Project.GRANTED_STATES)
    if partnership is not None:
        project = project.filter(objective__programme__programme_region_id=partnership.programme_region_id)
    values = (
        ProjectIndicatorValue.objects.annotate(objective_pk=Subquery(project.values("objective_id")[:1]))
        .filter(objective_pk__isnull=False)
        .values("objective_pk", "indicator_id")
        .annotate(planned=Sum("planned"), achieved=Sum("achieved"))
    )
    found: dict[tuple[int, int], list] = defaultdict(lambda: [None, Decimal("0.00"), Decimal("0.00")])
    for t in targets:
        found[(t.objective_id, t.indicator_id)][0] = t.target
    for v in values:
        entry = found[(v["objective_pk"], v["indicator_id"])]
        entry[1], entry[2] = (Decimal(v[k] or 0).quantize(CENT) for k in ("planned", "achieved"))
    objectives = SpecificObjective.objects.select_related("fund").in_bulk({k[0] for k in found})
    indicators = Indicator.objects.in_bulk({k[1] for k in found})
    grouped: dict[int, ObjectiveIndicators] = {}
    for (objective_id, indicator_id), (target, planned, achieved) in found.items():
        group = grouped.setdefault(objective_id, ObjectiveIndicators(objectives[objective_id]))
        group.rows.append(IndicatorRow(indicators[indicator_id], target, planned, achieved))
    for group in grouped.values():
        group.rows.sort(key=lambda r: (r.indicator.kind, r.indicator.code))
    return sorted(grouped.values(), key=lambda g: (g.objective.fund.code, g.objective.code))


def snapshot_series(partnership=None) -> list[dict]:
    """Per objective, its snapshots in date order: {"objective", "points": [FinancialSnapshot …]}."""
    qs = (
        FinancialSnapshot.objects.filter(
            Q(partnership=partnership) if partnership is not None else Q(partnership__isnull=True)
        )
        .select_related("objective__fund", "partnership")
        .order_by("objective__fund__code", "objective__code", "date")
    )
    series: dict[int, dict] = {}
    for snapshot in qs:
        series.setdefault(snapshot.objective_id, {"objective": snapshot.objective, "points": []})["points"].append(
            snapshot
        )
    return list(series.values())
