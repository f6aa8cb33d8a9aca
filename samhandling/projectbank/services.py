"""Writes for the project bank: the full-text rows and the facet table of given projects.

Every project write reaches these through the one change hook, `changes.projects_changed`; `reindex()`
rebuilds both from scratch (`samhandling projectbank reindex`).
"""

import hashlib
import secrets
from functools import lru_cache

from django.db import connection, transaction

from samhandling.imports.bulk import insert_rows
from samhandling.projects.models import Project

from . import search
from .models import IndexState, ProjectFacet

INDEXED = ("id", "name", "summary", "applicant__name", "location_text")
FACET_SOURCE = (
    "id",
    "status",
    "fund_id",
    "period__start_year",
    "programme_region_id",
    "objective_id",
    "thematic_objective",
    "applicant__sector",
    "amount_granted",
    "start_date",
    "intervention_field_id",
    "objective__regulation_objective_id",
)


def reindex(*, batch_size: int = 5000, progress=None) -> int:
    """Rebuilds the full-text rows and the facet table of every project. Returns how many."""
    search.clear()
    qs = Project.objects.order_by("id")
    done, last = 0, 0
    while True:
        rows = list(qs.filter(id__gt=last).values_list(*INDEXED)[:batch_size])
        if not rows:
            break
        search.index_rows(rows)
        done += len(rows)
        last = rows[-1][0]
        if progress:
            progress.update(len(rows))
    refresh_facets(batch_size=batch_size)
    return done


def refresh_text(project_ids, *, batch_size: int = 5000) -> None:
    """Rewrites the full-text rows of these projects, removing those of deleted ones."""
    ids = sorted(set(project_ids))
    for start in range(0, len(ids), batch_size):
        chunk = ids[start : start + batch_size]
        rows = list(Project.objects.filter(id__in=chunk).values_list(*INDEXED))
        search.remove(set(chunk) - {row[0] for row in rows})
        search.index_rows(rows)


@lru_cache(maxsize=4096)  # a bulk import asks for the same few objectives a million times
def objective_key(objective_id, thematic: str) -> str:
    """The facet value of a project's objective: `so<id>` for a specific objective, `to<hash>` for a thematic one."""
    if objective_id:
        return f"so{objective_id}"
    if thematic:
        return "to" + hashlib.sha1(thematic.strip().encode()).hexdigest()[:8]
    return ""


def facet_values(
    pk,
    fund_id,
    period_year,
    region_id,
    objective_id,
    thematic,
    sector,
    amount,
    start_date,
    intervention_id=None,
    regulation_objective_id=None,
    *,
    county_ids=(),
    municipality_ids=(),
) -> tuple:
    """One row of the facet table (FACET_COLUMNS) for a public project: what `write_facets` takes."""
    return (
        pk,
        fund_id,
        period_year,
        region_id,
        objective_key(objective_id, thematic),
        sector or "",
        None if amount is None else int(round(amount * 100)),
        start_date,
        ",".join(map(str, sorted(county_ids))),
        ",".join(map(str, sorted(municipality_ids))),
        intervention_id,
        regulation_objective_id,
    )


FACET_COLUMNS = (
    "project_id",
    "fund_id",
    "period_year",
    "region_id",
    "objective",
    "sector",
    "amount_ore",
    "start_date",
    "counties",
    "municipalities",
    "intervention_id",
    "regulation_objective_id",
)


def write_facets(rows, *, replace: bool = True) -> None:
    """Writes facet_values rows in bulk; `replace=False` for projects known to have none yet (new ones)."""
    if not rows:
        return
    table = ProjectFacet._meta.db_table
    if replace:
        with connection.cursor() as cursor:
            cursor.executemany(f"DELETE FROM {table} WHERE project_id = %s", [(row[0],) for row in rows])
    insert_rows(table, FACET_COLUMNS, [v for row in rows for v in row])


def _places(through, column, ids) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    for project_id, value in through.objects.filter(project_id__in=ids).values_list("project_id", column):
        found.setdefault(project_id, []).append(value)
    return found


def _facet_batch(ids: list[int]) -> bool:
    """Replaces the facet rows of these projects; True when any row was removed or written."""
    rows = Project.objects.granted().filter(id__in=ids).values_list(*FACET_SOURCE)
    public = list(rows)
    public_ids = [r[0] for r in public]
    counties = _places(Project.counties.through, "county_id", public_ids)
    municipalities = _places(Project.municipalities.through, "municipality_id", public_ids)
    removed = _delete_facets(ids)
    write_facets(
        [  # FACET_SOURCE's fields after the status are facet_values' own, in its order
            facet_values(pk, *fields, county_ids=counties.get(pk, ()), municipality_ids=municipalities.get(pk, ()))
            for pk, _status, *fields in public
        ],
        replace=False,
    )
    return bool(removed or public)


def _delete_facets(ids) -> int:
    """Plain SQL: the ORM's delete reads every column first, and a migration that fills the table runs before
    later columns exist."""
    with connection.cursor() as cursor:
        if ids is None:
            cursor.execute(f"DELETE FROM {ProjectFacet._meta.db_table}")
        else:
            cursor.execute(
                f"DELETE FROM {ProjectFacet._meta.db_table} WHERE project_id IN ({', '.join(['%s'] * len(ids))})", ids
            )
        return cursor.rowcount


@transaction.atomic(savepoint=False)  # no savepoint: see changes
def refresh_facets(project_ids=None, *, batch_size: int = 5000, bump: bool = True) -> None:
    """Rebuilds the facet rows of the given projects (or of all), public ones only; bumps the version on change
    unless the caller does (`bump=False`)."""
    changed = False
    if project_ids is None:
        changed = bool(_delete_facets(None))
        last = 0
        while True:
            ids = list(Project.objects.filter(id__gt=last).order_by("id").values_list("id", flat=True)[:batch_size])
            if not ids:
                break
            changed |= _facet_batch(ids)
            last = ids[-1]
    else:
        ids = sorted(set(project_ids))
        for start in range(0, len(ids), batch_size):
            changed |= _facet_batch(ids[start : start + batch_size])
    if bump and (changed or project_ids is None):
        bump_version()


@transaction.atomic(savepoint=False)  # no savepoint: see changes
def bump_version() -> int:
    """A fresh random version, not a counter: a rolled-back transaction must not leave a number reused.

    Returns the version it replaces. The row stays locked until the writer commits, so writers that log
    changes take their turns here (`changes.projects_changed`)."""
    state = IndexState.objects.select_for_update().filter(pk=1).first() or IndexState(pk=1)
    previous, state.version = state.version, secrets.randbits(62)
    state.save()
    return previous


def fill_analysed_text(*, batch_size: int = 5000, **_signal) -> int:
    """post_migrate: rewrites the search rows that lack their analysed text (written on PostgreSQL before it was
    kept, migration 0008), so the in-memory text index holds every project. Returns how many."""
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT project_id FROM projectbank_search WHERE name IS NULL ORDER BY project_id")
        ids = [row[0] for row in cursor.fetchall()]
    refresh_text(ids, batch_size=batch_size)
    return len(ids)
