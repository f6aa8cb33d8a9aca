"""The public project bank's facet index: the facet table held in memory as numpy columns, per process.

Counting nine facets for any combination of filters over a million projects with SQL would scan or join
the project tables on every request. Instead each server process reads the compact facet table
(`ProjectFacet`) once into arrays, one position per public project, and answers a search with vectorised
masks and `bincount`s (a few milliseconds at a million projects). The full-text match comes from the
database (`search.matching_sql`) and is intersected by position.

The arrays are reloaded when `IndexState.version` changes, which `services` does on every write, so
processes never serve a stale index for long; results of repeated searches are kept in a small per-index
cache that goes with it.
"""
import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
from django.db import connection

from samhandling.programmes.models import Fund, ProgrammePeriod, SpecificObjective
from samhandling.projects.models import County, Municipality, Organisation, ProgrammeRegion, Project

from . import search
from .models import IndexState
from .services import objective_key

# Amount buckets in SEK: [lower, upper) — the amount facet and its links to amount_min/amount_max.
AMOUNT_EDGES = (0, 1_000_000, 5_000_000, 10_000_000, 50_000_000)
CACHE_SIZE = 512


@dataclass(frozen=True)
class Value:
    """One possible value of a facet: what goes in the URL and what people read."""
    param: str
    label: str


@dataclass
class Match:
    """The public projects a search selects: a boolean mask over positions, plus relevance when there is a query."""
    mask: np.ndarray
    positions: np.ndarray | None = None
    scores: np.ndarray | None = None


class FacetIndex:
    def __init__(self, version: int):
        self.version = version
        self.cache: OrderedDict = OrderedDict()
        self.lock = threading.Lock()
        self._load()
        self._load_values()

    # Loading ---------------------------------------------------------------------------------------------
    def _load(self) -> None:
        date_int = ("CAST(to_char(start_date, 'YYYYMMDD') AS integer)" if connection.vendor == "postgresql"
                    else "CAST(REPLACE(start_date, '-', '') AS integer)")
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT project_id, fund_id, COALESCE(period_year, 0), COALESCE(region_id, 0), objective, sector,"
                f" COALESCE(amount_ore, -1), COALESCE({date_int}, 0), counties, municipalities"
                " FROM projectbank_facet ORDER BY project_id"
            )
            rows = cursor.fetchall()
        columns = list(zip(*rows)) if rows else [()] * 10
        self.size = len(rows)
        self.ids = np.array(columns[0], dtype=np.int64)
        self.fund = np.array(columns[1], dtype=np.int32)
        self.period = np.array(columns[2], dtype=np.int32)
        self.region = np.array(columns[3], dtype=np.int32)
        self.objective_keys, self.objective = _codes(columns[4])
        self.sector_keys, self.sector = _codes(columns[5])
        self.amount = np.array(columns[6], dtype=np.int64)
        self.date = np.array(columns[7], dtype=np.int64)
        self.year = self.date // 10000
        self.county_rows, self.county = _links(columns[8])
        self.municipality_rows, self.municipality = _links(columns[9])
        newest_first = -self.date
        self.by_date = np.lexsort((-self.ids, newest_first))
        self.by_amount = np.lexsort((-self.ids, -self.amount))

    def _load_values(self) -> None:
        """Every known value per facet (URL parameter and label), by the value the arrays hold."""
        self.values: dict[str, dict] = {
            "fund": {f.pk: Value(f.code, f"{f.code} – {f.name}") for f in Fund.objects.all()},
            "period": {p.start_year: Value(str(p.start_year), f"{p.start_year}–{p.end_year}")
                       for p in ProgrammePeriod.objects.all()},
            "region": {r.pk: Value(r.code, r.name) for r in ProgrammeRegion.objects.all()},
            "county": {c.pk: Value(c.code, c.name) for c in County.objects.all()},
            "municipality": {m.pk: Value(m.code, m.name) for m in Municipality.objects.all()},
            "sector": {i: Value(key, str(Organisation.Sector(key).label) if key in Organisation.Sector.values else key)
                       for i, key in enumerate(self.sector_keys) if key},
        }
        objectives = {}
        for o in SpecificObjective.objects.select_related("fund"):
            objectives[objective_key(o.pk, "")] = f"{o.fund.code} {o.code} {o.name}"
        thematic = Project.objects.exclude(thematic_objective="").values_list("thematic_objective", flat=True)
        for text in thematic.distinct():
            objectives.setdefault(objective_key(None, text), text.strip())
        self.objective_labels = objectives
        self.values["objective"] = {i: Value(key, objectives.get(key, key))
                                    for i, key in enumerate(self.objective_keys) if key}
        # Parameter → array value; known values that no public project has yet select nothing (-1).
        self.by_param = {name: {v.param: key for key, v in values.items()} for name, values in self.values.items()}
        for key in objectives:
            self.by_param["objective"].setdefault(key, -1)
        for key in Organisation.Sector.values:
            self.by_param["sector"].setdefault(key, -1)

    # Matching --------------------------------------------------------------------------------------------
    def match(self, q: str, filters: dict, *, ranked: bool) -> Match:
        """Positions selected by the query and the filters (already validated into array values)."""
        mask = np.ones(self.size, dtype=bool)
        positions = scores = None
        if q:
            found = search.matching_sql(q, ranked=ranked)
            mask[:] = False
            if found is not None:
                sql, params = found
                with connection.cursor() as cursor:
                    cursor.execute(sql, params)
                    rows = cursor.fetchall()
                if rows and self.size:
                    pairs = np.array(rows, dtype=np.float64)
                    ids = pairs[:, 0].astype(np.int64)
                    at = np.minimum(np.searchsorted(self.ids, ids), self.size - 1)
                    public = self.ids[at] == ids
                    positions, scores = at[public], pairs[public, 1]
                    mask[positions] = True
        for name, value in filters.items():
            mask &= self.filter_mask(name, value)
        return Match(mask, positions, scores)

    def filter_mask(self, name: str, value) -> np.ndarray:
        if name in ("county", "municipality"):
            rows = getattr(self, f"{name}_rows")
            mask = np.zeros(self.size, dtype=bool)
            mask[rows[getattr(self, name) == value]] = True
            return mask
        if name == "amount":
            low, high = value
            mask = self.amount >= (0 if low is None else low)
            return mask if high is None else mask & (self.amount < high)
        if name == "start_year":
            return self.year == value
        return getattr(self, name) == value

    def counts(self, mask: np.ndarray) -> dict[str, dict]:
        """Per facet: {array value: number of selected projects}, zero counts left out."""
        out = {}
        for name in ("fund", "period", "region", "objective", "sector"):
            out[name] = _nonzero(np.bincount(getattr(self, name)[mask]))
        for name in ("county", "municipality"):
            rows = getattr(self, f"{name}_rows")
            out[name] = _nonzero(np.bincount(getattr(self, name)[mask[rows]]))
        out["start_year"] = _nonzero(np.bincount(self.year[mask]))
        out["start_year"].pop(0, None)
        amounts = self.amount[mask]
        buckets = np.searchsorted(np.array(AMOUNT_EDGES, dtype=np.int64) * 100, amounts[amounts >= 0], side="right")
        out["amount"] = _nonzero(np.bincount(buckets))
        for name in ("period", "region", "objective", "sector"):
            out[name].pop(0, None)
        return out

    def order(self, match: Match, sort: str) -> np.ndarray:
        """Selected positions in display order."""
        if sort == "relevance" and match.positions is not None:
            keep = match.mask[match.positions]
            positions, scores = match.positions[keep], match.scores[keep]
            return positions[np.lexsort((-self.ids[positions], -self.date[positions], scores))]
        ordered = self.by_amount if sort == "amount" else self.by_date
        return ordered[match.mask[ordered]]

    def cached(self, key, compute):
        """A per-index LRU cache: searches repeat, and the index version is part of every answer's validity."""
        with self.lock:
            if key in self.cache:
                self.cache.move_to_end(key)
                return self.cache[key]
        value = compute()
        with self.lock:
            self.cache[key] = value
            while len(self.cache) > CACHE_SIZE:
                self.cache.popitem(last=False)
        return value


def _codes(values) -> tuple[list[str], np.ndarray]:
    """Small integer codes for a text column; code 0 is the empty value."""
    keys = {"": 0}
    codes = np.fromiter((keys.setdefault(v, len(keys)) for v in values), dtype=np.int32, count=len(values))
    return list(keys), codes


def _links(values) -> tuple[np.ndarray, np.ndarray]:
    """(row positions, ids) for a column of comma-separated id lists."""
    counts = np.fromiter((v.count(",") + 1 if v else 0 for v in values), dtype=np.int64, count=len(values))
    joined = ",".join(v for v in values if v)
    ids = np.array(joined.split(","), dtype=np.int64) if joined else np.zeros(0, dtype=np.int64)
    return np.repeat(np.arange(len(values), dtype=np.int64), counts), ids


def _nonzero(counts: np.ndarray) -> dict[int, int]:
    return {int(i): int(counts[i]) for i in np.flatnonzero(counts)}


_current: FacetIndex | None = None
_loading = threading.Lock()


def current() -> FacetIndex:
    """The facet index of the current data, loaded (or reloaded after a write) on demand."""
    global _current
    version = IndexState.objects.filter(pk=1).values_list("version", flat=True).first() or 0
    index = _current
    if index is None or index.version != version:
        with _loading:
            if _current is None or _current.version != version:
                _current = FacetIndex(version)
            index = _current
    return index
