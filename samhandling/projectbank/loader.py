"""What the public search's in-memory index is built from, read from the database.

The engine (`facetindex`, `textindex`, `delta`, `snapshots`) is numpy over arrays and knows no Django model
and no SQL: it asks a loader for the facet table's columns, the analysed texts, the labels of the reference
data, the data version and the change log. This is the loader the app feeds it at start
(`apps.ProjectbankConfig.ready`); the engine's tests, benches or another store may feed it another with the
same methods.
"""

import hashlib
from collections.abc import Iterator

import numpy as np
from django.db import connection

from samhandling.programmes.models import (
    Fund,
    InterventionField,
    ProgrammePeriod,
    RegulationObjective,
    SpecificObjective,
)
from samhandling.projects.models import County, Municipality, Organisation, ProgrammeRegion, Project

from . import changes, search
from .facetindex import Named, Value, int_array
from .models import IndexState
from .services import objective_key

TEXT_BATCH = 20_000  # analysed rows fetched and tokenised at a time: bounds the memory of a text index build


def stored_version() -> int:
    """The data version the database holds (asked on every search: plain SQL spares the ORM's query building)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT version FROM {IndexState._meta.db_table} WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else 0


class DatabaseLoader:
    """The project bank's own tables: the facet table, the full-text table, the change log and the reference
    data of programmes and places."""

    version = staticmethod(stored_version)
    position = staticmethod(changes.position)

    @property
    def vendor(self) -> str:
        return connection.vendor

    def database_key(self) -> str:
        """Names this database's snapshots, so two databases on one machine never read each other's."""
        return hashlib.sha1(f"{connection.vendor}:{connection.settings_dict['NAME']}".encode()).hexdigest()[:12]

    def changed_since(self, position: tuple[int, int], limit: int) -> list[int] | None:
        """The projects written after `position`, or None when a fresh index is needed (see `changes`)."""
        return changes.changed_since(position, limit)[1]

    def columns(self, ids: list[int] | None = None) -> list:
        """The facet table's columns in project order (all public projects, or those of `ids`): int64 arrays,
        and lists of strings for objective, sector, counties and municipalities. Each column is read as one
        aggregated string: far faster than a million row tuples in Python."""
        where = "" if ids is None else f"WHERE project_id IN ({','.join(str(int(pk)) for pk in ids) or 'NULL'})"
        date_int = (
            "CAST(to_char(start_date, 'YYYYMMDD') AS integer)"
            if connection.vendor == "postgresql"
            else "CAST(REPLACE(start_date, '-', '') AS integer)"
        )
        expressions = (
            ("project_id", False),
            ("fund_id", False),
            ("COALESCE(period_year, 0)", False),
            ("COALESCE(region_id, 0)", False),
            ("objective", True),
            ("sector", True),
            ("COALESCE(amount_ore, -1)", False),
            (f"COALESCE({date_int}, 0)", False),
            ("counties", True),
            ("municipalities", True),
            ("COALESCE(intervention_id, 0)", False),
            ("COALESCE(regulation_objective_id, 0)", False),
        )
        return [_column(expression, text=text, where=where) for expression, text in expressions]

    def objective_labels(self, ids: list[int] | None = None) -> dict[str, str]:
        """Objective facet values → labels: the specific objectives, and the thematic objectives in use (by
        these projects, when given)."""
        labels = {
            objective_key(o.pk, ""): f"{o.fund.code} {o.code} {o.name}"
            for o in SpecificObjective.objects.select_related("fund")
        }
        projects = Project.objects.all() if ids is None else Project.objects.filter(pk__in=ids)
        thematic = projects.exclude(thematic_objective="").values_list("thematic_objective", flat=True)
        for text in thematic.distinct():
            labels.setdefault(objective_key(None, text), text.strip())
        return labels

    def objective_english(self) -> dict[str, str]:
        """Objective facet values → English labels, where the specific objective has an English name."""
        return {
            objective_key(o.pk, ""): f"{o.fund.code} {o.code} {o.name_en}"
            for o in SpecificObjective.objects.select_related("fund").exclude(name_en="")
        }

    def sector_labels(self) -> dict[str, object]:
        return dict(Organisation.Sector.choices)

    def reference(self) -> dict[str, dict[int, Value]]:
        """Every known value of the facets coded by reference data, by the value the facet arrays hold."""
        return {
            "fund": {
                f.pk: Value(f.code, Named(f"{f.code} – {f.name}", f"{f.code} – {f.name_en}" if f.name_en else ""))
                for f in Fund.objects.all()
            },
            "period": {
                p.start_year: Value(str(p.start_year), f"{p.start_year}–{p.end_year}")
                for p in ProgrammePeriod.objects.all()
            },
            "region": {r.pk: Value(r.code, r.name) for r in ProgrammeRegion.objects.all()},
            "county": {c.pk: Value(c.code, c.name) for c in County.objects.all()},
            "municipality": {m.pk: Value(m.code, m.name) for m in Municipality.objects.all()},
            "intervention": {f.pk: Value(f.code, _named(f.code, f)) for f in InterventionField.objects.all()},
            "specific_objective": {o.pk: Value(o.code, _named(o.code, o)) for o in RegulationObjective.objects.all()},
        }

    def analysed_batches(self, ids: list[int] | None = None) -> Iterator[list[tuple[int, str, str]]]:
        """(project id, analysed name, analysed body) of every indexed project, or of `ids`, in id order, a
        batch at a time (PostgreSQL: through a server-side cursor, not every row at once)."""
        with connection.chunked_cursor() as cursor:
            search.analysed_rows(cursor, ids)
            while batch := cursor.fetchmany(TEXT_BATCH):
                yield batch

    def matching_ids(self, q: str, *, ranked: bool) -> np.ndarray:
        """The ids the database's own full-text match selects (best first when `ranked`): the answer while a
        large in-memory text index is still being built."""
        sql, params = search.matching_sql(q, ranked=ranked)
        if connection.vendor == "postgresql":
            wrapped = f"SELECT {_aggregate('id', 'score' if ranked else 'id', ',')} FROM ({sql}) m"
        else:
            wrapped = f"SELECT {_aggregate('id', '', ',')} FROM ({sql}{' ORDER BY score' if ranked else ''})"
        with connection.cursor() as cursor:
            cursor.execute(wrapped, params)
            return int_array(cursor.fetchone()[0])

    def close(self) -> None:
        """Called by a background thread of the engine when done: its own database connection is closed."""
        connection.close()


def _named(code: str, obj) -> Named:
    return Named(f"{code} {obj.name}", f"{code} {obj.name_en}" if obj.name_en else "")


def _aggregate(expression: str, order: str, separator: str) -> str:
    if connection.vendor == "postgresql":
        return f"string_agg(({expression})::text, '{separator}' ORDER BY {order})"
    return f"group_concat({expression}, '{separator}')"


def _column(expression: str, *, text: bool, where: str):
    """One column of the facet table in project order: an int64 array, or a list of strings when `text`."""
    separator = ";" if text else ","
    if connection.vendor == "postgresql":
        sql = f"SELECT {_aggregate(expression, 'project_id', separator)} FROM projectbank_facet {where}"
    else:
        sql = (
            f"SELECT {_aggregate('v', '', separator)} FROM"
            f" (SELECT {expression} AS v FROM projectbank_facet {where} ORDER BY project_id)"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        joined = cursor.fetchone()[0]
    if text:
        return joined.split(separator) if joined is not None else []
    return int_array(joined)
