"""Taking in the projects written since a search index was loaded, without rebuilding it.

A server process holds one loaded index (`facetindex.FacetIndex`, a million positions). After a write, the
change log (`changes`) names the projects written since that index was read; here they are read back from
the facet table and the full-text table alone (milliseconds for a few thousand) and appended as new
positions of a copy of the index, while their old positions are marked dead. The copy answers exactly
as a fresh index would: the same codes for the same facet values, sorting ranks that interleave the new
positions with the old, and BM25 scores for the new texts from the loaded index's statistics.

What it costs per write and process is copying the arrays once (tens of milliseconds at a million
projects); past `facetindex.DELTA_LIMIT` changes a fresh index is loaded instead.
"""

import threading
from collections import OrderedDict

import numpy as np

from . import textindex
from .facetindex import COUNTED, PLACES, FacetIndex, _grids, _inverse, amount_buckets

COLUMNS = ("fund", "period", "region", "amount", "date", "year", "intervention", "regulation_objective")


def with_changes(base: FacetIndex, version: int, ids: list[int]) -> FacetIndex:
    """A copy of `base` (an index without a delta) in which the projects `ids` are as they are now."""
    new = FacetIndex.__new__(FacetIndex)
    new.__dict__.update(base.__dict__)
    new.base, new.version, new.answering_for = base, version, version
    new.cache, new.lock = OrderedDict(), threading.Lock()
    at, known = textindex.find(base.ids, np.asarray(ids, dtype=np.int64))
    new.dead = at[known]
    part = FacetIndex.__new__(FacetIndex)
    part.loader = base.loader
    part._load(ids)
    new.ids = np.concatenate([base.ids, part.ids])
    new.size = len(new.ids)
    for name in COLUMNS:
        setattr(new, name, np.concatenate([getattr(base, name), getattr(part, name)]))
    for name, keys in (("objective", "objective_keys"), ("sector", "sector_keys")):
        setattr(new, keys, list(getattr(base, keys)))
        setattr(
            new,
            name,
            np.concatenate(
                [getattr(base, name), _recode(getattr(new, keys), getattr(part, keys), getattr(part, name))]
            ),
        )
    for name in PLACES:
        _extend_sets(new, base, part, name)
    new.objective_labels = {**base.objective_labels, **base.loader.objective_labels(ids)}
    new.amount_bucket = np.concatenate([base.amount_bucket, amount_buckets(part.amount)])
    new.date_rank, new.amount_rank = _ranks(base, part, "by_date", "date"), _ranks(base, part, "by_amount", "amount")
    new.grids = _grids({name: getattr(new, column) for name, column in COUNTED.items()})
    new._load_values()
    if base.text is not None:
        delta_text = textindex.build(base.loader.analysed_batches(part.ids.tolist()), part.ids, base=base.text)
        new.text = DeltaText(base.text, delta_text, base.size)
    return new


def _recode(keys: list[str], part_keys: list[str], codes: np.ndarray) -> np.ndarray:
    """The part's codes in the base's numbering, new values appended to `keys`."""
    numbering = {key: i for i, key in enumerate(keys)}
    mapped = [numbering.setdefault(key, len(numbering)) for key in part_keys]
    keys[:] = list(numbering)
    return np.asarray(mapped, dtype=np.int32)[codes] if len(codes) else np.zeros(0, dtype=np.int32)


def _extend_sets(new: FacetIndex, base: FacetIndex, part: FacetIndex, name: str) -> None:
    """The part's place sets coded as the base's (same set, same number), unseen sets appended."""
    offsets, values = getattr(base, f"{name}_set_offsets"), getattr(base, f"{name}_set_values")
    known = {tuple(values[offsets[i] : offsets[i + 1]].tolist()): i for i in range(len(offsets) - 1)}
    p_offsets, p_values = getattr(part, f"{name}_set_offsets"), getattr(part, f"{name}_set_values")
    mapping, extra = [], []
    for i in range(len(p_offsets) - 1):
        members = tuple(p_values[p_offsets[i] : p_offsets[i + 1]].tolist())
        if members not in known:
            known[members] = len(known)
            extra.append(members)
        mapping.append(known[members])
    lengths = np.array([len(m) for m in extra], dtype=np.int64)
    new_offsets = np.concatenate([offsets, offsets[-1] + np.cumsum(lengths)]) if extra else offsets
    new_values = np.concatenate([values, np.array([v for m in extra for v in m], dtype=np.int64)]) if extra else values
    codes = np.asarray(mapping, dtype=np.int64)[getattr(part, name)] if len(part.ids) else np.zeros(0, np.int64)
    setattr(new, name, np.concatenate([getattr(base, name), codes]))
    setattr(new, f"{name}_set_offsets", new_offsets)
    setattr(new, f"{name}_set_values", new_values)
    setattr(new, f"{name}_set_rows", np.repeat(np.arange(len(new_offsets) - 1), np.diff(new_offsets)))


def _ranks(base: FacetIndex, part: FacetIndex, order: str, key: str) -> np.ndarray:
    """Sorting ranks over base and part positions: newest (or largest) first, then the higher id, as a fresh
    index sorts. The part's positions are slotted between the base's by binary search, not a full sort."""
    sorted_positions = getattr(base, order)
    base_keys, base_ids = -getattr(base, key)[sorted_positions], -base.ids[sorted_positions]
    part_keys, part_ids = -getattr(part, key), -part.ids
    slots = np.empty(len(part_ids), dtype=np.int64)
    for i, (k, pk) in enumerate(zip(part_keys.tolist(), part_ids.tolist())):
        low, high = np.searchsorted(base_keys, k, "left"), np.searchsorted(base_keys, k, "right")
        slots[i] = low + np.searchsorted(base_ids[low:high], pk)
    within = _inverse(np.lexsort((part_ids, part_keys)))  # the part's own order among equal slots
    width = len(part_ids) + 1  # base rank r → r·width + width − 1; a part position in slot s → s·width + within
    return np.concatenate([getattr(base, f"{key}_rank") * width + width - 1, slots * width + within])


class DeltaText:
    """The base's text index and the delta's, answering over the combined positions (the delta's after)."""

    def __init__(self, base: textindex.TextIndex, part: textindex.TextIndex, offset: int):
        self.base, self.part, self.offset = base, part, offset

    def match(self, groups, *, ranked: bool):
        groups = [self._resolved(group) for group in groups]
        positions, rank = self.base.match(groups, ranked=ranked, fuzzy=False)
        more, more_rank = self.part.match(groups, ranked=ranked, fuzzy=False)
        positions = np.concatenate([positions, more + self.offset])
        if ranked:
            rank = np.concatenate([rank, more_rank])
        return positions, rank

    def _resolved(self, group) -> tuple[str, ...]:
        """A word is known when either index has it; a typo is judged against both vocabularies together, as
        one fresh index would judge it."""
        if any(stem in self.base.term_numbers or stem in self.part.term_numbers for stem in group):
            return tuple(group)
        near = {self.base.term_list[n] for n in self.base.similar(group)}
        near |= {self.part.term_list[n] for n in self.part.similar(group)}
        return tuple(sorted(near))

    def like(self, weights: dict[str, float]) -> tuple[np.ndarray, np.ndarray]:
        positions, scores = self.base.like(weights)
        more, more_scores = self.part.like(weights)  # scored with the base's statistics (see textindex.build)
        return np.concatenate([positions, more + self.offset]), np.concatenate([scores, more_scores])

    def idf(self, stem: str) -> float | None:
        found = self.base.idf(stem)
        return self.part.idf(stem) if found is None else found

    def completions(self, prefix: str, limit: int) -> list[str]:
        """The stems beginning with `prefix` in either index, the loaded index's most common first."""
        found = self.base.completions(prefix, limit)
        found += [t for t in self.part.completions(prefix, limit) if t not in found]
        return found[:limit]
