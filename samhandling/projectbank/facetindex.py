"""The public project bank's facet index: the facet table held in memory as numpy columns, per process.

Counting nine facets for any combination of filters over a million projects with SQL would scan or join
the project tables on every request. Instead each server process reads the compact facet table
(`ProjectFacet`) once into arrays, one position per public project, and answers a search with vectorised
masks and `bincount`s (a few milliseconds at a million projects). The full-text match comes from the
in-memory `textindex` over the same positions, on SQLite and PostgreSQL alike; while a large text index is
still being built in the background, from the database's own match (the loader's `matching_ids`),
intersected by position.

The arrays are reloaded when the data version changes, which every write bumps; a large index is reloaded
in the background while the previous version goes on answering (see `current`), so processes never serve a
stale index for long, and the task worker writes snapshots that every process reads (`snapshots`). Results of
repeated searches are kept in a small per-index cache that goes with it.

This module knows no Django model and no SQL: a loader (`loader.DatabaseLoader`, fed at start by the app's
`ready`) hands it the columns, labels, texts, data version and change log.
"""

import math
import operator
import os
import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
from django.utils.functional import cached_property
from django.utils.translation import get_language

from samhandling.core.language import in_reader_language
from samhandling.portfolio.textanalysis import variants, words

from . import snapshots, textindex

# Amount buckets in SEK: [lower, upper) — the amount facet and its links to amount_min/amount_max.
AMOUNT_EDGES = (0, 1_000_000, 5_000_000, 10_000_000, 50_000_000)
CACHE_SIZE = 512
DELTA_LIMIT = 5000  # projects written since the index was loaded that it takes in as a delta (and the change
# hook's REBUILD_AFTER: beyond them a fresh index is cheaper than scoring them live)
DELTA_SHARE = 4  # a small index takes in at most 1/DELTA_SHARE of its own size as a delta (see _with_changes)
SNAPSHOT_FROM = 50_000  # projects; smaller indexes load faster than a file is written
FACETS = "facets4"  # the snapshots' kinds, named anew whenever their arrays change
TEXT = "text2"
PLACES = ("county", "municipality")
# Facet name → the array counted for it (places by set); see _grids.
COUNTED = {
    "fund": "fund",
    "period": "period",
    "region": "region",
    "objective": "objective",
    "sector": "sector",
    "county": "county",
    "municipality": "municipality",
    "start_year": "year",
    "amount": "amount_bucket",
    "specific_objective": "regulation_objective",
    "intervention": "intervention",
}
GRID_CELLS = 1 << 17


@dataclass(frozen=True)
class Value:
    """One possible value of a facet: what goes in the URL and what people read (maybe a lazy translation)."""

    param: str
    label: object


@dataclass(frozen=True)
class Named:
    """Reference data's label in the reader's language: the English name in English when there is one (as the
    `localized` template filter picks it), the Swedish otherwise."""

    sv: str
    en: str = ""

    def __str__(self) -> str:
        return in_reader_language(self.sv, self.en)


@dataclass
class Match:
    """The public projects a search selects as ascending positions, and for a ranked query the same positions
    in the words' order with their rank (lower is better)."""

    selected: np.ndarray
    positions: np.ndarray | None = None
    rank: np.ndarray | None = None


class FacetIndex:
    base: "FacetIndex | None" = None  # for an index with a delta (see `delta`), the index it extends
    dead: np.ndarray | None = None  # positions of the base superseded by the delta, never selected

    def __init__(self, version: int):
        self.version = version
        self.loader = _loader
        self.answering_for = version  # the data version its remembered answers were read at (see outdated_by)
        self.cache: OrderedDict = OrderedDict()
        self.lock = threading.Lock()
        snapshot = self._snapshot(FACETS, suffix=".npz")
        if snapshot.exists():
            self._read(snapshot)
        else:
            self.log_position = self.loader.position()  # read first: a change made while loading comes again
            self._load()
            self.objective_labels = self.loader.objective_labels()
            if self.large:
                self._write(snapshot)
        self._derive()
        self._load_values()
        self.text: textindex.TextIndex | None = None
        self.text_ready = threading.Event()
        self._start_text_index()

    def _snapshot(self, kind: str, suffix: str = ""):
        return snapshots.path(self.loader.database_key(), self.version, kind, suffix)

    @property
    def large(self) -> bool:
        """Snapshotted, and reloaded in the background; every index is in the task that writes snapshots."""
        return self.size >= SNAPSHOT_FROM or snapshots.in_builder

    # A large index is also written to a file per version, so the server's other processes (and restarts)
    # read it in a moment instead of scanning the tables again.
    ARRAYS = (
        "ids",
        "fund",
        "period",
        "region",
        "objective",
        "sector",
        "amount",
        "date",
        "year",
        "county",
        "county_set_offsets",
        "county_set_values",
        "municipality",
        "municipality_set_offsets",
        "municipality_set_values",
        "by_date",
        "by_amount",
        "intervention",
        "regulation_objective",
    )

    def _read(self, path) -> None:
        with np.load(path, allow_pickle=False) as data:
            for name in self.ARRAYS:
                setattr(self, name, data[name])
            self.objective_keys, self.sector_keys = list(data["objective_keys"]), list(data["sector_keys"])
            self.objective_labels = dict(zip(data["label_keys"], data["label_texts"]))
            self.log_position = (int(data["sequence"]), int(data["log_version"]) if "log_version" in data else 0)
        self.objective_keys = [str(k) for k in self.objective_keys]
        self.sector_keys = [str(k) for k in self.sector_keys]
        self.objective_labels = {str(k): str(v) for k, v in self.objective_labels.items()}
        self.size = len(self.ids)

    def _write(self, path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        for old in path.parent.glob(f"*-{self.loader.database_key()}-*.npz"):  # this database's, of any format
            old.unlink(missing_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        with partial.open("wb") as fh:
            np.savez(
                fh,
                **{name: getattr(self, name) for name in self.ARRAYS},
                objective_keys=np.array(self.objective_keys),
                sector_keys=np.array(self.sector_keys),
                label_keys=np.array(list(self.objective_labels) or [""]),
                label_texts=np.array(list(self.objective_labels.values()) or [""]),
                sequence=np.array(self.log_position[0]),
                log_version=np.array(self.log_position[1]),
            )
        os.replace(partial, path)

    # Loading ---------------------------------------------------------------------------------------------
    def _load(self, ids: list[int] | None = None) -> None:
        """Reads the facet table's columns (of every public project, or of `ids`: a delta's)."""
        columns = self.loader.columns(ids)
        self.ids = columns[0]
        self.size = len(self.ids)
        self.fund, self.period, self.region = (c.astype(np.int32) for c in columns[1:4])
        self.objective_keys, self.objective = _codes(columns[4])
        self.sector_keys, self.sector = _codes(columns[5])
        self.amount, self.date = columns[6], columns[7]
        self.year = self.date // 10000
        self.county, self.county_set_offsets, self.county_set_values = _sets(columns[8])
        self.municipality, self.municipality_set_offsets, self.municipality_set_values = _sets(columns[9])
        self.intervention, self.regulation_objective = (c.astype(np.int32) for c in columns[10:12])
        self.by_date = np.lexsort((-self.ids, -self.date))
        self.by_amount = np.lexsort((-self.ids, -self.amount))

    def _derive(self) -> None:
        """Lookups computed from the stored arrays: each position's place in the date and amount orders, its
        amount bucket, and which place set each value of a set belongs to."""
        self.date_rank, self.amount_rank = (_inverse(order) for order in (self.by_date, self.by_amount))
        self.amount_bucket = amount_buckets(self.amount)
        for name in PLACES:
            offsets = getattr(self, f"{name}_set_offsets")
            setattr(self, f"{name}_set_rows", np.repeat(np.arange(len(offsets) - 1), np.diff(offsets)))
        self.grids = _grids({name: getattr(self, column) for name, column in COUNTED.items()})

    def _load_values(self) -> None:
        """Every known value per facet (URL parameter and label), by the value the arrays hold."""
        sectors = self.loader.sector_labels()
        self.values: dict[str, dict] = self.loader.reference()
        self.values["sector"] = {i: Value(key, sectors.get(key, key)) for i, key in enumerate(self.sector_keys) if key}
        objectives, english = self.objective_labels, self.loader.objective_english()
        self.values["objective"] = {
            i: Value(key, Named(objectives.get(key, key), english.get(key, "")))
            for i, key in enumerate(self.objective_keys)
            if key
        }
        # Parameter → array value; known values that no public project has yet select nothing (-1).
        self.by_param = {name: {v.param: key for key, v in values.items()} for name, values in self.values.items()}
        for key in objectives:
            self.by_param["objective"].setdefault(key, -1)
        for key in sectors:
            self.by_param["sector"].setdefault(key, -1)
        self._label_texts: dict[tuple[str, bool, str], dict] = {}

    def label_texts(self, name: str, by_param: bool) -> dict[int, tuple[str, str]]:
        """Facet value → (its label as text in the reader's language, its URL parameter), in the order a facet
        lists them (`label_order`), made once per index, order and language: turning some 300 labels into text
        took a tenth of every new search, and sorting them each time more."""
        key = (name, by_param, get_language())
        found = self._label_texts.get(key)
        if found is None:
            texts = {v: (str(value.label), value.param) for v, value in self.values[name].items()}
            order = label_order(by_param)
            found = dict(sorted(texts.items(), key=lambda item: order(item[1])))
            self._label_texts[key] = found
        return found

    # Full text -------------------------------------------------------------------------------------------
    def _start_text_index(self) -> None:
        """Builds or reads the in-memory text index: at once when small or snapshotted, else in the background
        (searches meanwhile go to the database's own full-text match)."""
        path = self._snapshot(TEXT)
        if self.large and not path.exists() and snapshots.in_builder:
            self.text = self._build_or_read(path)
        elif self.large and not path.exists():
            threading.Thread(target=self._build_text_index, args=(path,), daemon=True).start()
            return
        elif self.large:
            self.text = textindex.TextIndex.read(path)
        else:
            self.text = textindex.build(self.loader.analysed_batches(), self.ids)
        self.text_ready.set()

    def _build_or_read(self, path) -> textindex.TextIndex | None:
        return textindex.build_or_read(
            self.loader.analysed_batches, self.ids, path, lambda: self.loader.version() == self.version
        )

    def _build_text_index(self, path) -> None:
        try:
            self.text = self._build_or_read(path)
        finally:
            self.text_ready.set()  # built or not (the data moved on, or the build failed): nobody waits longer
            self.loader.close()  # this thread's own connection

    # Matching --------------------------------------------------------------------------------------------
    def match(self, q: str, filters: dict, *, ranked: bool) -> Match:
        """Positions selected by the query and the filters (already validated into array values).

        A query's matches are filtered by reading the filtered columns at their positions only: a few thousand
        reads instead of a pass over every project per filter (a new search's mask work had been almost a
        millisecond at a million projects)."""
        if not q:
            mask = np.ones(self.size, dtype=bool)
            for name, value in filters.items():
                mask &= self.filter_mask(name, value)
            if self.dead is not None and len(self.dead):
                mask[self.dead] = False
            return Match(np.flatnonzero(mask))
        groups = textindex.query_groups(q)
        positions = np.zeros(0, dtype=np.int64)
        rank = np.zeros(0) if ranked else None
        if groups and self.size:
            positions, rank = self._words_match(words(q)[: len(groups)], groups, ranked)
        keep = np.ones(len(positions), dtype=bool)
        for name, value in filters.items():
            keep &= self.filter_mask(name, value, positions)
        if self.dead is not None and len(self.dead):
            keep &= ~np.isin(positions, self.dead)
        if not keep.all():
            positions, rank = positions[keep], (None if rank is None else rank[keep])
        ascending = len(positions) < 2 or bool(np.all(positions[1:] > positions[:-1]))
        selected = positions if ascending else np.sort(positions)  # the database's are by rank
        return Match(selected, positions, rank)

    def _words_match(self, query_words: list[str], groups: list, ranked: bool):
        """(positions having every word, their rank or None). A word naming a county or municipality
        (`Botkyrka`, `Botkyrkas`) is also had by the projects in that place, ranked after those that say it."""
        places = [self._place_mask(group) for group in groups]
        plain = [i for i, place in enumerate(places) if place is None]
        positions = rank = None
        if plain:
            positions, rank = self._text_match([query_words[i] for i in plain], [groups[i] for i in plain], ranked)
        for i, place in enumerate(places):
            if place is None:
                continue
            said, said_rank = self._text_match([query_words[i]], [groups[i]], ranked)
            place[said] = True
            if positions is None:
                positions = np.flatnonzero(place)
                if ranked:  # those that say it by their own rank (negative), the others after them (0)
                    rank = np.zeros(len(positions))
                    rank[np.searchsorted(positions, said)] = said_rank if len(said_rank) else 0
            else:
                keep = place[positions]
                positions, rank = positions[keep], (rank[keep] if ranked else None)
        return positions, rank

    def _text_match(self, query_words: list[str], groups: list, ranked: bool):
        if self.text is not None:
            return self.text.match(groups, ranked=ranked)
        return self._database_match(" ".join(query_words), ranked)

    def most_like(self, text: str, limit: int) -> list[tuple[int, float]]:
        """(project id, likeness from 0 to 1) of the public projects most like a text (an idea), best first,
        ties by id: idea matching reads the same index as the search. Waits for a text index being built."""
        self.text_ready.wait()
        if self.text is None:  # the build gave way to newer data: the newer index answers
            newer = current()
            return newer.most_like(text, limit) if newer is not self else []
        positions, scores = textindex.likeness(self.text, text)
        if self.dead is not None and len(self.dead):
            alive = ~np.isin(positions, self.dead)
            positions, scores = positions[alive], scores[alive]
        if len(positions) > limit > 0:
            keep = scores >= np.partition(scores, len(scores) - limit)[len(scores) - limit]
            positions, scores = positions[keep], scores[keep]
        ids = self.ids[positions]
        order = np.lexsort((ids, -scores))[:limit]
        return [(int(ids[i]), float(scores[i])) for i in order]

    def _place_mask(self, group) -> np.ndarray | None:
        """The positions of the projects in the places this query word names, or None when it names none."""
        named = [place for stem in group for place in self.place_stems.get(stem, ())]
        if not named:
            return None
        mask = np.zeros(self.size, dtype=bool)
        for name, value in named:
            mask |= self.filter_mask(name, value)
        return mask

    @cached_property
    def place_stems(self) -> dict[str, list[tuple[str, int]]]:
        """The stem of each county's and municipality's name (its first word: `Stockholms län` → stockholm)."""
        found: dict[str, list[tuple[str, int]]] = {}
        for name in PLACES:
            for value, label in self.values[name].items():
                first = words(str(label.label))[:1]
                if first:
                    found.setdefault(variants(first[0])[0], []).append((name, value))
        return found

    def positions_of(self, ids: np.ndarray) -> np.ndarray:
        """The positions of these project ids (those the index holds), in the order given."""
        at, known = textindex.find(self.ids[: self.ordered], ids)
        if self.ordered == self.size:
            return at[known]
        later = self.ids[self.ordered :]  # a delta's projects, ascending among themselves
        at_later, in_later = textindex.find(later, ids)
        where = np.where(in_later, self.ordered + at_later, np.where(known, at, -1))
        return where[where >= 0]

    @property
    def ordered(self) -> int:
        """How many leading positions hold ascending ids (all of them but a delta's)."""
        return self.base.size if self.base is not None else self.size

    def _database_match(self, q: str, ranked: bool):
        positions = self.positions_of(self.loader.matching_ids(q, ranked=ranked))
        return positions, np.arange(len(positions)) if ranked else None

    def filter_mask(self, name: str, value, positions: np.ndarray | None = None) -> np.ndarray:
        """Whether each project (or each of these positions) passes one filter."""
        at = slice(None) if positions is None else positions
        if name in PLACES:
            offsets = getattr(self, f"{name}_set_offsets")
            holding = np.zeros(len(offsets) - 1, dtype=bool)
            holding[getattr(self, f"{name}_set_rows")[getattr(self, f"{name}_set_values") == value]] = True
            return holding[getattr(self, name)[at]]
        if name == "amount":
            low, high = value
            amount = self.amount[at]
            mask = amount >= (0 if low is None else low)
            return mask if high is None else mask & (amount < high)
        if name == "start_year":
            return self.year[at] == value
        return getattr(self, COUNTED.get(name, name))[at] == value

    def counts(self, positions: np.ndarray) -> dict[str, dict]:
        """Per facet: {array value: number of selected projects}, zero counts left out.

        Takes the selected positions, not a mask: gathering by position is far faster than by a scattered mask.
        Each grid is counted with one gather and one bincount, then summed per facet; places are counted per
        distinct set, then spread over the sets' values.
        """
        out = {}
        for grid in self.grids:
            cells = np.bincount(grid.cells[positions], minlength=math.prod(grid.sizes)).reshape(grid.sizes)
            axes = range(len(grid.sizes))
            for axis, name, values in zip(axes, grid.names, grid.values):
                totals = cells.sum(axis=tuple(a for a in axes if a != axis))
                if name in PLACES:
                    per_set = np.zeros(len(getattr(self, f"{name}_set_offsets")) - 1)
                    per_set[values] = totals
                    rows = getattr(self, f"{name}_set_rows")
                    out[name] = _nonzero(np.bincount(getattr(self, f"{name}_set_values"), weights=per_set[rows]))
                else:  # an empty bank still has one cell per axis (bincount's minlength), but no values
                    shown = totals[: len(values)] > 0
                    out[name] = dict(zip(values[shown].tolist(), totals[: len(values)][shown].tolist()))
        for name in (
            "period",
            "region",
            "objective",
            "sector",
            "start_year",
            "amount",
            "specific_objective",
            "intervention",
        ):
            out[name].pop(0, None)
        return out

    def order(self, match: Match, sort: str, limit: int | None = None) -> np.ndarray:
        """Selected positions in display order, the first `limit` of them; ties in rank go by position."""
        if sort == "relevance" and match.rank is not None:
            positions, rank = match.positions, match.rank
        else:
            positions = match.selected
            rank = (self.amount_rank if sort == "amount" else self.date_rank)[positions]
        if limit is not None and len(positions) > limit:  # only the first need sorting
            keep = rank <= np.partition(rank, limit - 1)[limit - 1]
            positions, rank = positions[keep], rank[keep]
        return positions[np.lexsort((positions, rank))][:limit]

    def place_names(self, name: str, position: int) -> list[str]:
        """The names of a public project's counties or municipalities, by code, read from the index (no query)."""
        offsets, values = getattr(self, f"{name}_set_offsets"), self.values[name]
        chosen = getattr(self, name)[position]
        found = (values.get(int(v)) for v in getattr(self, f"{name}_set_values")[offsets[chosen] : offsets[chosen + 1]])
        return [str(v.label) for v in sorted((v for v in found if v), key=lambda v: v.param)]

    def outdated_by(self, version: int) -> None:
        """Called while this index answers for newer data: its remembered hits and pages were read from the
        projects before the write (one may no longer be public), so they are forgotten once per new version."""
        if self.answering_for != version:
            with self.lock:
                self.cache.clear()
                self.answering_for = version

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


def label_order(by_param: bool):
    """The sort key of a facet's choices, each beginning (label text, URL parameter): by parameter where the
    values are codes, else by label."""
    return operator.itemgetter(1 if by_param else 0)


def amount_buckets(amount: np.ndarray) -> np.ndarray:
    """Bucket 1.. of each known amount (öre), 0 when unknown."""
    edges = np.array(AMOUNT_EDGES, dtype=np.int64) * 100
    return np.where(amount >= 0, np.searchsorted(edges, amount, side="right"), 0)


def _codes(values) -> tuple[list[str], np.ndarray]:
    """Small integer codes for a text column; code 0 is the empty value."""
    keys = {"": 0}
    codes = np.fromiter((keys.setdefault(v, len(keys)) for v in values), dtype=np.int32, count=len(values))
    return list(keys), codes


def _sets(values) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A column of comma-separated id lists as (set number per row, set start offsets, the sets' ids).

    Projects share few distinct place sets (a county, a region's municipalities), so counting and filtering
    per set costs far less than per link row; set 0 is the empty set.
    """
    keys, codes = _codes(values)
    lengths = np.fromiter((k.count(",") + 1 if k else 0 for k in keys), dtype=np.int64, count=len(keys))
    offsets = np.zeros(len(keys) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    return codes, offsets, int_array(",".join(k for k in keys if k))


def _inverse(order: np.ndarray) -> np.ndarray:
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return rank


@dataclass
class Grid:
    """Facets counted together: each position's cell, numbered over the facets' distinct values."""

    names: list[str]
    values: list[np.ndarray]  # per facet, the array value of each code
    sizes: list[int]
    cells: np.ndarray


def _grids(columns: dict[str, np.ndarray]) -> list[Grid]:
    """Facets packed into grids of at most GRID_CELLS cells, fewest values first, so most searches count
    all facets in two or three passes instead of one pass each."""
    coded = []
    for name, column in columns.items():
        present = np.bincount(column)
        values = np.flatnonzero(present)
        numbering = np.zeros(len(present), dtype=np.int32)
        numbering[values] = np.arange(len(values), dtype=np.int32)
        coded.append((max(len(values), 1), name, values, numbering[column]))
    grids: list[Grid] = []
    for size, name, values, codes in sorted(coded, key=lambda c: c[0]):
        grid = grids[-1] if grids else None
        if grid is None or math.prod(grid.sizes) * size > GRID_CELLS:
            grid = Grid([], [], [], np.zeros(len(codes), dtype=np.int32))
            grids.append(grid)
        grid.cells = grid.cells * size + codes
        grid.names.append(name)
        grid.values.append(values)
        grid.sizes.append(size)
    return grids


def _nonzero(counts: np.ndarray) -> dict[int, int]:
    found = np.flatnonzero(counts)
    return dict(zip(found.tolist(), counts[found].astype(np.int64).tolist()))


def int_array(joined: str | None) -> np.ndarray:
    """Comma-separated integers as an int64 array, parsed in C: no million Python strings."""
    return np.fromstring(joined, dtype=np.int64, sep=",") if joined else np.zeros(0, dtype=np.int64)


_loader = None  # fed by the app at start (`feed`)
_current: FacetIndex | None = None
_loading = threading.Lock()
_refreshing = threading.Lock()  # held by the one thread loading a large index's next version


def feed(loader) -> None:
    """Sets the loader every index reads its data from (see `loader.DatabaseLoader` for what it provides)."""
    global _loader, _current
    _loader, _current = loader, None


def current() -> FacetIndex:
    """The facet index of the current data, loaded (or reloaded after a write) on demand.

    A large index (SNAPSHOT_FROM projects or more) goes on answering while the next version loads in the
    background, its text index included: at a million projects that takes the better part of a minute, and
    no search should wait for it. A smaller one is reloaded at once, so a search right after a write sees it.
    """
    global _current
    version = _loader.version()
    index = _current
    if index is not None and index.version != version:
        index = _with_changes(index, version) or index
    if index is not None and index.version != version and index.large:
        index.outdated_by(version)
        if _refreshing.acquire(blocking=False):
            threading.Thread(target=_refresh, daemon=True).start()
        return index
    if index is None or index.version != version:
        with _loading:
            if _current is None or _current.version != version:
                _current = FacetIndex(version)
            index = _current
    return index


def _with_changes(index: FacetIndex, version: int) -> FacetIndex | None:
    """The loaded index with the projects written since it was loaded taken in (see `delta`), or None when
    they are too many, or a write was not logged (a full rebuild), and a fresh index must be loaded.

    A delta is scored with the loaded index's statistics, so a small index (which loads afresh in little
    time) takes in at most a quarter of its own size: a server that started on an empty bank would otherwise
    rank every project imported since by the statistics of none. A large one goes on answering with its
    delta while its next version loads in the background."""
    global _current
    from . import delta

    base = index.base or index
    with _loading:
        if _current is not None and _current.version == version:
            return _current
        ids = base.loader.changed_since(base.log_position, DELTA_LIMIT)
        if not ids or (not base.large and len(ids) * DELTA_SHARE > base.size):
            return None
        _current = delta.with_changes(base, version, ids)
        return _current


def _refresh() -> None:
    """Loads the newest version (again while writes keep coming) and swaps it in once its texts are ready."""
    global _current
    try:
        while _current is not None and _loader.version() != _current.version:
            fresh = FacetIndex(version := _loader.version())
            fresh.text_ready.wait()
            if fresh.text is not None or _loader.version() == version:  # else the data moved on meanwhile
                _current = fresh
    finally:
        _refreshing.release()
        _loader.close()  # this thread's own connection


def build_snapshots() -> FacetIndex:
    """`samhandling projectbank snapshot` and the task worker's `tasks.rebuild_indexes`: the current data's
    index, built in this process and written as snapshots for the server's processes to read."""
    snapshots.in_builder = True
    try:
        index = FacetIndex(_loader.version())
    finally:
        snapshots.in_builder = False
    if _loader.vendor == "sqlite" and index.text is None and _loader.version() == index.version:
        raise RuntimeError("the text index could not be built")
    return index
