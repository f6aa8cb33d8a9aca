"""Reads for the portfolio dashboard, call orientation support and the follow-up report.

Every figure is over granted projects (granted, ongoing or completed): decisions are public, applications
still in the pipeline are not, so the public dashboard shows only the former and the secretariat's version
adds the pipeline and targets not yet published. A project with several counties, municipalities, areas or
themes counts in full under each of them; shares are of the total granted. The dashboard's tables are read
from the running sums in `summary`; the call orientation counts within one objective with queries.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear
from django.utils.translation import gettext as _

from samhandling.partnership import scope
from samhandling.partnership.scope import scoped
from samhandling.core.money import format_sek
from samhandling.core.language import in_reader_language
from samhandling.programmes import followup
from samhandling.programmes.models import InterventionField, RegulationObjective, SpecificObjective
from samhandling.programmes.selectors import objectives_of, objectives_with_balances, remaining_to_call
from samhandling.projects.models import County, Municipality, Organisation, Project

from . import summary
from .models import ProjectLabel, SmartSpecialisationArea, Target, Theme

_ZERO = Value(Decimal("0.00"), output_field=DecimalField(max_digits=14, decimal_places=2))
PIPELINE_STATES = (Project.Status.SUBMITTED, Project.Status.ASSESSED, Project.Status.PRIORITISED)


@dataclass
class Row:
    label: str
    count: int
    amount: Decimal
    share: float = 0.0  # of the total granted amount, 0–100

    @property
    def share_text(self) -> str:
        return f"{self.share:.0f}\u00a0%"


@dataclass
class Table:
    key: str
    title: str
    dimension: str
    rows: list[Row] = field(default_factory=list)


def partnership_regions() -> list[int] | None:
    """The programme regions whose projects the current partnership's portfolio counts (0: projects without a
    region, which the installation's default partnership counts); None when there is no partnership yet."""
    partnership = scope.current()
    if partnership is None:
        return None
    return [partnership.programme_region_id] + ([0] if scope.is_default(partnership) else [])


def in_partnership(qs):
    regions = partnership_regions()
    if regions is None:
        return qs
    return qs.filter(
        Q(programme_region__in=regions) | (Q(programme_region__isnull=True) if 0 in regions else Q(pk=None))
    )


def granted_projects(year_from: int | None = None, year_to: int | None = None):
    qs = in_partnership(Project.objects.granted())
    year = ExtractYear(Coalesce("decision_date", "start_date"))
    if year_from or year_to:
        qs = qs.annotate(decision_year=year)
        if year_from:
            qs = qs.filter(decision_year__gte=year_from)
        if year_to:
            qs = qs.filter(decision_year__lte=year_to)
    return qs


def _rows(values, label, total) -> list[Row]:
    rows = [Row(label(v) or _("Uppgift saknas"), v["n"], v["amount"]) for v in values]
    for row in rows:
        row.share = float(row.amount / total * 100) if total else 0.0
    return sorted(rows, key=lambda r: (-r.amount, r.label))


def total(qs) -> tuple[int, Decimal]:
    agg = qs.order_by().aggregate(n=Count("id"), amount=Coalesce(Sum("amount_granted"), _ZERO))
    return agg["n"], agg["amount"]


def objective_label(v: dict) -> str:
    if v.get("objective__code"):
        return f"{v['objective__code']} {v['objective__name']}"
    return v.get("thematic_objective") or ""


def _label_rows(qs, kind, total_amount):
    """Per area (named with its strategy: two strategies may share an area name) or theme."""
    fields = ("area__name", "area__strategy") if kind == ProjectLabel.Kind.AREA else ("theme__name",)
    values = (
        ProjectLabel.objects.counted()
        .filter(kind=kind, project__in=qs.values("pk"))
        .order_by()
        .values(*fields)
        .annotate(n=Count("project", distinct=True), amount=Coalesce(Sum("project__amount_granted"), _ZERO))
    )
    return _rows(
        values,
        lambda v: f"{v['area__name']} ({v['area__strategy']})" if "area__name" in v else v["theme__name"],
        total_amount,
    )


def _summed(values: dict[str, tuple[int, Decimal]], names: dict[str, str], total_amount) -> list[Row]:
    """Rows of one dimension of the sums, named; values without a name (none, or deleted since) go together."""
    merged: dict[str, list] = defaultdict(lambda: [0, Decimal(0)])
    for value, (n, amount) in values.items():
        entry = merged[str(names.get(value) or "")]
        entry[0] += n
        entry[1] += amount
    return _rows(
        [{"label": label, "n": n, "amount": amount} for label, (n, amount) in merged.items()],
        lambda v: v["label"],
        total_amount,
    )


def _names() -> dict[str, dict[str, str]]:
    """Dimension values → what people read, looked up when read so that renaming anything shows at once."""
    objectives = {
        summary.objective_value(pk, ""): f"{code} {in_reader_language(name, name_en)}"
        for pk, code, name, name_en in SpecificObjective.objects.values_list("pk", "code", "name", "name_en")
    }
    return {
        "objective": objectives,
        "area": {str(a.pk): str(a) for a in SmartSpecialisationArea.objects.all()},
        "theme": {str(t.pk): in_reader_language(t.name, t.name_en) for t in Theme.objects.all()},
        "county": {str(pk): name for pk, name in County.objects.values_list("pk", "name")},
        "municipality": {str(pk): name for pk, name in Municipality.objects.values_list("pk", "name")},
        "sector": {key: str(label) for key, label in Organisation.Sector.choices},
        "size": {str(i): str(label) for i, (_upper, label) in enumerate(summary.SIZE_BANDS)},
        "rso": {o.code: f"{o.code} {in_reader_language(o.name, o.name_en)}" for o in RegulationObjective.objects.all()},
        "intervention": {
            f.code: f"{f.code} {in_reader_language(f.name, f.name_en)}" for f in InterventionField.objects.all()
        },
    }


def tables(sums: dict, amount: Decimal) -> list[Table]:
    """Granted counts and amounts by every dimension of the dashboard, from `summary.sums`; shares are of
    `amount`, the total granted."""
    names = _names()
    for value in sums["objective"]:
        if value.startswith("tm:"):
            names["objective"][value] = value[3:]
    names["year"] = {year: year for year in sums["year"]}

    def rows(dimension):
        return _summed(sums[dimension], names[dimension], amount)

    bands = [str(label) for _upper, label in summary.SIZE_BANDS]
    return [
        Table("objective", _("Per mål"), _("Mål"), rows("objective")),
        Table("rso", _("Per specifikt mål 2021–2027 (förordningens kod)"), _("Specifikt mål"), rows("rso")),
        Table("intervention", _("Per interventionsområde"), _("Interventionsområde"), rows("intervention")),
        Table("area", _("Per smart specialiseringsområde"), _("Område"), rows("area")),
        Table("theme", _("Per tema"), _("Tema"), rows("theme")),
        Table("county", _("Per län"), _("Län"), rows("county")),
        Table("municipality", _("Per kommun"), _("Kommun"), rows("municipality")),
        Table("sector", _("Per stödmottagarens sektor"), _("Sektor"), rows("sector")),
        Table(
            "size",
            _("Per projektstorlek (beviljat belopp)"),
            _("Storlek"),
            sorted(rows("size"), key=lambda r: bands.index(r.label) if r.label in bands else len(bands)),
        ),
        Table("year", _("Över tid (beslutsår)"), _("År"), sorted(rows("year"), key=lambda r: r.label)),
    ]


@dataclass
class Figures:
    count: int
    amount: Decimal
    tables: list[Table]


def figures(year_from: int | None = None, year_to: int | None = None) -> Figures:
    """Totals and every table of the dashboard, shared by the dashboard, its charts and reports.

    A sum over the few thousand rows of `summary` (milliseconds however many projects), never stale: the
    sums change in the same transaction as the projects.
    """
    sums = summary.sums(year_from, year_to, partnership_regions())
    sizes = sums["size"].values()  # every granted project has exactly one size band
    amount = sum((a for _n, a in sizes), Decimal(0))
    return Figures(sum(n for n, _a in sizes), amount, tables(sums, amount))


def budget():
    """Budget used and remaining per objective of the current partnership, from the budget ledger."""
    rows = list(objectives_with_balances(objectives_of(scope.current())))
    for obj in rows:
        obj.remaining_to_call = remaining_to_call(obj)
        obj.used = obj.reserved + obj.granted
    return rows


@dataclass
class Gap:
    name: str
    share: float
    target: float
    published: bool

    @property
    def under(self) -> bool:
        return self.share < self.target

    @property
    def text(self) -> str:
        share = f"{self.share:.0f}".replace(".", ",")
        target = f"{self.target:.0f}".replace(".", ",")
        return _("%(name)s: %(share)s %% av beviljat belopp, mål %(target)s %%") % {
            "name": self.name,
            "share": share,
            "target": target,
        }


def gaps(table_by_key: dict[str, Table], public: bool) -> list[Gap]:
    """Each area's and theme's share of the granted amount against the partnership's targets."""
    shares = {("area", r.label): r.share for r in table_by_key["area"].rows}
    shares.update({("theme", r.label): r.share for r in table_by_key["theme"].rows})
    targets = scoped(Target.objects.select_related("area", "theme"))
    if public:
        targets = targets.filter(published=True)
    result = []
    for t in targets:
        kind = "area" if t.area else "theme"
        name = str(t.area or t.theme)
        result.append(Gap(name, shares.get((kind, name), 0.0), float(t.share_percent), t.published))
    return sorted(result, key=lambda g: g.share - g.target)


def pipeline() -> list[Row]:
    """Applications under assessment per objective: not published, for the secretariat and members."""
    qs = in_partnership(Project.objects.filter(status__in=PIPELINE_STATES))
    values = (
        qs.order_by()
        .values("objective__code", "objective__name", "thematic_objective")
        .annotate(n=Count("id"), amount=Coalesce(Sum("amount_applied"), _ZERO))
    )
    return _rows(values, objective_label, None)


def dashboard(public: bool, year_from: int | None = None, year_to: int | None = None) -> dict:
    data = figures(year_from, year_to)
    by_key = {t.key: t for t in data.tables}
    context = {
        "count": data.count,
        "amount": data.amount,
        "tables": data.tables,
        "by_key": by_key,
        "gaps": gaps(by_key, public),
        "budget": budget(),
        "public": public,
        "indicators": followup.indicator_overview(),
        "money": followup.snapshot_series(),
    }
    if not public:
        context["pipeline"] = pipeline()
    return context


# -- call orientation support ---------------------------------------------------------------------


def objective_choices() -> list[tuple[str, str]]:
    """Objectives found among granted projects: ("so:<id>", "1.1 …") or ("tm:<text>", text), then the
    2021–2027 specific objectives by the regulation's code ("rso:RSO1.1") and the intervention fields
    ("if:013"), all with granted projects."""
    qs = (
        granted_projects()
        .order_by()
        .values("objective_id", "objective__code", "objective__name", "thematic_objective")
        .distinct()
    )
    choices = {}
    for v in qs:
        key = summary.objective_value(v["objective_id"], v["thematic_objective"])
        if key:
            choices[key] = objective_label(v)
    ordered = sorted(choices.items(), key=lambda kv: kv[1])
    sums = summary.sums()
    names = _names()
    for dimension, prefix in (("rso", "rso"), ("intervention", "if")):
        ordered += [(f"{prefix}:{code}", names[dimension].get(code, code)) for code in sorted(sums[dimension]) if code]
    return ordered


def filter_objective(qs, key: str):
    kind, _sep, value = (key or "").partition(":")
    if kind == "rso" and value:
        decided = ProjectLabel.objects.counted().filter(kind=ProjectLabel.Kind.SPECIFIC, value=value)
        named = Q(objective__regulation_objective__code=value)
        return qs.filter(named | (Q(objective__regulation_objective__isnull=True) & Q(portfolio_labels__in=decided)))
    if kind == "if" and value:
        return qs.filter(intervention_field__code=value)
    if kind == "so" and value.isdigit():
        return qs.filter(objective_id=int(value))
    if kind == "tm" and value:
        return qs.filter(Q(thematic_objective=value) & Q(objective__isnull=True))
    return qs.none()


@dataclass
class Suggestion:
    kind: str
    name: str
    count: int
    amount: Decimal
    share: float
    reference: float
    reference_text: str
    examples: list[str]

    @property
    def text(self) -> str:
        examples = (
            _(" Exempel på beviljade projekt inom området i hela portföljen: %s.") % ", ".join(self.examples)
            if self.examples
            else ""
        )
        return _(
            "%(name)s är underrepresenterat inom målet: %(count)s projekt och %(amount)s, "
            "%(share)s %% av beviljat belopp mot %(reference)s.%(examples)s Ansökningar som stärker %(name)s "
            "inom målet efterfrågas särskilt i utlysningen."
        ) % {
            "name": self.name,
            "count": self.count,
            "amount": format_sek(self.amount),
            "share": f"{self.share:.0f}",
            "reference": self.reference_text,
            "examples": examples,
        }


def orientation(key: str, limit: int = 5) -> list[Suggestion]:
    """Under-represented areas and themes within an objective, with evidence, worded for a call orientation.

    The reference is the partnership's target where one is set, otherwise an equal share among the
    areas (or themes) of the strategy.
    """
    qs = filter_objective(granted_projects(), key)
    _count, amount = total(qs)
    table_by_key = {
        "area": Table("area", "", "", _label_rows(qs, ProjectLabel.Kind.AREA, amount)),
        "theme": Table("theme", "", "", _label_rows(qs, ProjectLabel.Kind.THEME, amount)),
    }
    suggestions = []
    targets = {(t.area_id, t.theme_id): float(t.share_percent) for t in scoped(Target.objects)}
    strategies: dict[str, list[SmartSpecialisationArea]] = {}
    areas = list(scoped(SmartSpecialisationArea.objects))
    for area in areas:
        strategies.setdefault(area.strategy, []).append(area)
    candidates: list[tuple[str, SmartSpecialisationArea | Theme, float | None, float]] = [
        ("area", a, targets.get((a.pk, None)), 100 / len(strategies[a.strategy])) for a in areas
    ]
    themes = list(Theme.objects.all())
    candidates += [("theme", t, targets.get((None, t.pk)), 100 / max(len(themes), 1)) for t in themes]
    for kind, obj, target, equal in candidates:
        row = next((r for r in table_by_key[kind].rows if r.label == str(obj)), Row(str(obj), 0, Decimal(0)))
        reference = target if target is not None else equal
        if row.share >= reference:
            continue
        reference_text = (
            _("målet %s %%") % f"{target:.0f}"
            if target is not None
            else _("en jämn fördelning på %s %%") % f"{equal:.0f}"
        )
        lookup = {"area": obj} if kind == "area" else {"theme": obj}
        examples = list(
            granted_projects()
            .filter(portfolio_labels__in=ProjectLabel.objects.counted().filter(**lookup))
            .order_by("-amount_granted")
            .values_list("name", flat=True)
            .distinct()[:3]
        )
        suggestions.append(
            Suggestion(kind, str(obj), row.count, row.amount, row.share, reference, reference_text, examples)
        )
    return sorted(suggestions, key=lambda s: s.share - s.reference)[: limit * 2]


# -- collaboration maturity ------------------------------------------------------------------------


def maturity_timelines(actor_id: int | None = None) -> list[dict]:
    """Per actor (and project): its evaluations in time order and how the answers moved first → last."""
    from .models import MaturityEvaluation

    qs = scoped(MaturityEvaluation.objects).select_related("actor", "project")
    if actor_id:
        qs = qs.filter(actor_id=actor_id)
    groups: dict[tuple, list] = {}
    for ev in qs.order_by("actor__name", "project__name", "evaluated_on", "id"):
        groups.setdefault((ev.actor, ev.project), []).append(ev)
    timelines = []
    for (actor, project), evaluations in groups.items():
        first, last = evaluations[0], evaluations[-1]
        moves = {"step": last.step - first.step, "phase": last.phase - first.phase}
        moves.update({c: getattr(last, c) - getattr(first, c) for c in MaturityEvaluation.CAPACITIES})
        timelines.append({"actor": actor, "project": project, "evaluations": evaluations, "moves": moves})
    return timelines
