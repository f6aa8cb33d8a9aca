"""The dashboard's figures kept as running sums, so that every request, the first after a change too, is fast.

Counting granted projects per objective, area, county … takes seconds per table over a million projects,
yet one project's change moves only a few of those sums. So every write that can move a figure calls
`refresh(ids)`: the projects' previous contributions (`ProjectFigures`, one row per granted project) are
subtracted from `FigureSum`, their present ones are read from the project tables and added. A refresh
reads only the projects it is given, is idempotent and leaves the sums equal to a fresh count whatever the
write was. Callers: the one project change hook (`projectbank.changes.projects_changed`, which every kind
of project write calls), the label receivers in `signals`, and the migration that filled the tables.
The sums are written in the writer's transaction and roll back with it.

Each dimension is summed per decision year, so a year range is a sum over a few thousand rows as well.
A project with several counties, municipalities, areas or themes counts in full under each of them.
"""

from collections import defaultdict
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Sum
from django.utils.translation import gettext_lazy

from samhandling.imports.bulk import insert_rows
from samhandling.projects.models import Project

from .models import FigureSum, ProjectFigures, ProjectLabel

SIZE_BANDS = [  # (upper bound in SEK, exclusive; label)
    (1_000_000, gettext_lazy("under 1 mnkr")),
    (5_000_000, gettext_lazy("1–5 mnkr")),
    (20_000_000, gettext_lazy("5–20 mnkr")),
    (None, gettext_lazy("20 mnkr eller mer")),
]
BATCH = 5000
_FACT_FIELDS = (
    "project_id",
    "year",
    "objective",
    "sector",
    "amount_ore",
    "counties",
    "municipalities",
    "areas",
    "themes",
    "region",
    "regulation_objective",
    "intervention",
)
_CENT = Decimal("0.01")


def objective_value(objective_id, thematic: str) -> str:
    """A project's objective as a dimension value, in the form the call orientation's choices use."""
    if objective_id:
        return f"so:{objective_id}"
    return f"tm:{thematic}" if thematic else ""


def size_value(amount_ore) -> str:
    """The size band (index into SIZE_BANDS) of a granted amount; none when the amount is not known."""
    if amount_ore is None:
        return ""
    for i, (upper, _label) in enumerate(SIZE_BANDS):
        if upper is None or amount_ore < upper * 100:
            return str(i)


# -- writing ---------------------------------------------------------------------------------------

_pending: ContextVar[dict | None] = ContextVar("pending_figure_sums", default=None)


@contextmanager
def deferred():
    """Inside it, the refreshes' changes to the sums are added up and written once, when it is left without
    an error: a bulk writer of many batches (the importer) then writes each sum once, not once per batch.
    Enter it inside the writer's transaction, so that nothing reads the sums in between."""
    if _pending.get() is not None:
        yield
        return
    token = _pending.set(delta := defaultdict(lambda: [0, 0]))
    try:
        yield
    finally:
        _pending.reset(token)
    _apply(delta)


@transaction.atomic(savepoint=False)  # no savepoint: see projectbank.changes
def refresh(project_ids=None, *, facts: list[tuple] | None = None, created: bool = False) -> None:
    """Brings the sums in step with the given projects (all of them when None: the tables are rebuilt).

    A bulk writer that has the projects' rows at hand may pass their present contributions as `facts` (one
    `fact()` per granted project among the ids), to spare reading them back; `created` says the projects were
    inserted in this transaction, so they have no contribution to take out yet."""
    if connection.vendor == "postgresql":  # one refresh at a time: two must not both subtract the same old row
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext('portfolio_figure_sum'))")
    if project_ids is None:
        with connection.cursor() as cursor:  # plain SQL: Django's delete would fetch every row first
            cursor.execute(f"DELETE FROM {ProjectFigures._meta.db_table}")
            cursor.execute(f"DELETE FROM {FigureSum._meta.db_table}")
        last = 0
        while ids := list(Project.objects.filter(id__gt=last).order_by("id").values_list("id", flat=True)[:BATCH]):
            _refresh_batch(ids, rebuilding=True)
            last = ids[-1]
        return
    ids = sorted(set(project_ids))
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        if facts is None:
            _refresh_batch(batch, fresh=created)
        else:
            _refresh_batch(batch, facts=[f for f in facts if batch[0] <= f[0] <= batch[-1]], fresh=created)


def _refresh_batch(
    ids: list[int], rebuilding: bool = False, facts: list[tuple] | None = None, fresh: bool = False
) -> None:
    # A run of consecutive ids (a rebuild, the generator) is selected by range: a few thousand values in an
    # IN list cost Django more than the query itself.
    if rebuilding or ids[-1] - ids[0] + 1 == len(ids):
        lookup, values, where, params = "range", (ids[0], ids[-1]), "project_id BETWEEN %s AND %s", [ids[0], ids[-1]]
    else:
        lookup, values, where, params = "in", ids, f"project_id IN ({', '.join(['%s'] * len(ids))})", ids
    pending = _pending.get()
    delta = defaultdict(lambda: [0, 0]) if pending is None else pending
    table, columns = ProjectFigures._meta.db_table, ", ".join(_FACT_FIELDS)
    with connection.cursor() as cursor:  # plain SQL on this derived table: the ORM would build objects
        if not (rebuilding or fresh):
            cursor.execute(f"SELECT {columns} FROM {table} WHERE {where}", params)
            for old in cursor.fetchall():
                _count(delta, old, -1)
            cursor.execute(f"DELETE FROM {table} WHERE {where}", params)
        new = _facts(lookup, values) if facts is None else facts
        for row in new:
            _count(delta, row, 1)
    insert_rows(table, _FACT_FIELDS, [v for row in new for v in row])
    if pending is None:
        _apply(delta)


def _facts(lookup: str, ids) -> list[tuple]:
    """The present contribution of the granted projects among `project_id__<lookup>=ids`, in `_FACT_FIELDS` order."""

    def of(qs, field="project__id"):
        return qs.filter(**{f"{field}__{lookup}": ids})

    projects = of(Project.objects.granted(), "id").values_list(
        "id",
        "decision_date",
        "start_date",
        "objective_id",
        "thematic_objective",
        "applicant__sector",
        "amount_granted",
        "programme_region_id",
        "objective__regulation_objective__code",
        "intervention_field__code",
    )
    counties = _lists(of(Project.counties.through.objects).values_list("project_id", "county_id"))
    municipalities = _lists(of(Project.municipalities.through.objects).values_list("project_id", "municipality_id"))
    labels = of(ProjectLabel.objects.counted()).filter(kind__in=(ProjectLabel.Kind.AREA, ProjectLabel.Kind.THEME))
    areas = _lists(labels.filter(area__isnull=False).values_list("project_id", "area_id"))
    themes = _lists(labels.filter(theme__isnull=False).values_list("project_id", "theme_id"))
    # A project's 2021–2027 objective: its programme objective's, else the secretariat's or the suggested one.
    specific = dict(
        of(ProjectLabel.objects.counted()).filter(kind=ProjectLabel.Kind.SPECIFIC).values_list("project_id", "value")
    )
    return [
        fact(
            pk,
            decided or started,
            objective_id,
            thematic,
            sector,
            amount,
            region,
            regulation or specific.get(pk, ""),
            intervention,
            counties=counties.get(pk, ""),
            municipalities=municipalities.get(pk, ""),
            areas=areas.get(pk, ""),
            themes=themes.get(pk, ""),
        )
        for pk, decided, started, objective_id, thematic, sector, amount, region, regulation, intervention in projects
    ]


def fact(
    pk,
    day,
    objective_id,
    thematic,
    sector,
    amount,
    region,
    regulation,
    intervention,
    *,
    counties=(),
    municipalities=(),
    areas=(),
    themes=(),
) -> tuple:
    """One granted project's present contribution, in `_FACT_FIELDS` order: `day` is its decision date, else
    its start; `regulation` and `intervention` are codes; the places, areas and themes are ids."""
    return (
        pk,
        day.year if day else 0,
        objective_value(objective_id, thematic),
        sector or "",
        None if amount is None else int(round(amount * 100)),
        _ids(counties),
        _ids(municipalities),
        _ids(areas),
        _ids(themes),
        region or 0,
        regulation or "",
        intervention or "",
    )


def _ids(ids) -> str:
    """Ids as a fact holds them ("3,17", each once, in order); a string is taken as already so."""
    return ids if isinstance(ids, str) else ",".join(map(str, sorted(set(ids))))


def _lists(pairs) -> dict[int, str]:
    """(project, other id) pairs → {project: "3,17"}, each id once."""
    found: dict[int, set] = defaultdict(set)
    for project_id, other in pairs:
        found[project_id].add(other)
    return {pk: _ids(others) for pk, others in found.items()}


def _count(delta, fact: tuple, sign: int) -> None:
    """Adds (sign 1) or takes out (-1) one project's contribution to every dimension it counts under."""
    _pk, year, objective, sector, amount, counties, municipalities, areas, themes, region, regulation, intervention = (
        fact
    )
    values = [
        ("objective", objective),
        ("sector", sector),
        ("size", size_value(amount)),
        ("rso", regulation),
        ("intervention", intervention),
    ]
    for dimension, ids, missing in (
        ("county", counties, [""]),
        ("municipality", municipalities, [""]),
        ("area", areas, []),
        ("theme", themes, []),
    ):
        values += [(dimension, v) for v in (ids.split(",") if ids else missing)]
    ore = (amount or 0) * sign
    for dimension, value in values:
        entry = delta[(dimension, value, year, region)]
        entry[0] += sign
        entry[1] += ore


def _apply(delta) -> None:
    rows = [(*key, n, ore) for key, (n, ore) in delta.items() if n or ore]
    if not rows:
        return
    table = FigureSum._meta.db_table
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (dimension, value, year, region, projects, amount_ore) "
            f"VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (dimension, value, year, region) "
            f"DO UPDATE SET projects = {table}.projects + excluded.projects, "
            f"amount_ore = {table}.amount_ore + excluded.amount_ore",
            rows,
        )
    if any(n < 0 for n, _ore in delta.values()):  # only a sum that went down can have reached zero
        FigureSum.objects.filter(projects=0).delete()


# -- reading ---------------------------------------------------------------------------------------


def sums(
    year_from: int | None = None, year_to: int | None = None, regions: list[int] | None = None
) -> dict[str, dict[str, tuple[int, Decimal]]]:
    """{dimension: {value: (projects, amount in SEK)}} for projects decided in the years given, plus
    "year" (by decision year, "" when unknown). Every granted project has exactly one size band value.
    `regions`: only projects of these programme regions (0: those without one); None: every project."""
    qs = FigureSum.objects.order_by()
    if regions is not None:
        qs = qs.filter(region__in=regions)
    if year_from or year_to:
        qs = qs.filter(year__gt=0)
        if year_from:
            qs = qs.filter(year__gte=year_from)
        if year_to:
            qs = qs.filter(year__lte=year_to)
    found: dict[str, dict] = defaultdict(dict)
    totals = Sum("projects"), Sum("amount_ore")
    for dimension, value, n, ore in (
        qs.values("dimension", "value")
        .annotate(*totals)
        .values_list("dimension", "value", "projects__sum", "amount_ore__sum")
    ):
        found[dimension][value] = (int(n), _sek(ore))
    for year, n, ore in (
        qs.filter(dimension="size")
        .values("year")
        .annotate(*totals)
        .values_list("year", "projects__sum", "amount_ore__sum")
    ):
        found["year"][str(year or "")] = (int(n), _sek(ore))
    return found


def _sek(ore) -> Decimal:
    return (Decimal(int(ore)) / 100).quantize(_CENT)
