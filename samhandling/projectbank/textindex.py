"""The project bank's full-text index in memory: postings per stem, scored with BM25, per server process.

Why: FTS5 answers "which projects match" quickly, but a public search also needs all matches (for the
count and the facet counts) and the best twenty by relevance. A common word matches a third of a million
projects, and FTS5 must hand every match back through SQL and rank each of them: about 300 ms. Postings held
as numpy arrays answer the same question with a few vectorised operations.

The index is built from the analysed text the database keeps (the shared Swedish analyser, so the same stems and
variants match) over the facet index's positions, and scored like FTS5's `bm25()`: per query stem,
idf × f·(k1+1) / (f + k1·(1 − b + b·|D|/avgdl)), where f counts a stem in the name `NAME_WEIGHT`
times. It is snapshotted to a directory of .npy files per data version, which the other server processes
memory-map instead of building it again. The database's own query (FTS5, or PostgreSQL's GIN-indexed tsvector)
answers while a large index is being built.
"""

import bisect
import fcntl
import math
import os
import shutil
from collections import Counter
from functools import cached_property
from itertools import chain
from pathlib import Path

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from samhandling.portfolio.textanalysis import query_terms, tokens

NAME_WEIGHT = 10.0  # a stem in a project's name counts as often as this many in its body
MAX_QUERY_WORDS = 16  # a pasted page of text is searched by its first words, not refused


def query_groups(q: str) -> list[tuple[str, ...]]:
    """The stem variants of each searched word: a project matches when it has one variant of every word."""
    return query_terms(q)[:MAX_QUERY_WORDS]


def text_weights(text: str) -> dict[str, float]:
    """A whole text (an idea) as a query: each of its stems, weighted 1 + log(times it occurs)."""
    return {stem: 1 + math.log(n) for stem, n in Counter(tokens(text)).items()}


def likeness(index, text: str) -> tuple[np.ndarray, np.ndarray]:
    """(positions sharing a stem with the text, their likeness from 0 to 1), in no order: the BM25 score of
    the text's stems, any of them, as a share of the best score those stems could give (each present in
    abundance). What idea matching ranks by; `index` is a TextIndex or a delta's `DeltaText`."""
    weights = text_weights(text)
    positions, scores = index.like(weights)
    best = sum(w * (K1 + 1) * idf for stem, w in weights.items() if (idf := index.idf(stem)) is not None)
    return positions, (scores / best if best else scores)


K1, B = 1.2, 0.75
FUZZY_FROM = 5  # stem length from which a word unknown to the index is looked up with a typo allowed
ARRAYS = ("terms", "starts", "postings", "freqs", "df", "norm")


class TextIndex:
    """Postings of every stem over public positions; `df` and `rows` count every indexed project."""

    def __init__(self, terms, starts, postings, freqs, df, norm, rows: int, avgdl: float = 1.0):
        self.terms = terms  # the stems in term-number order, as UTF-8 joined by line feeds (see `pack_terms`)
        self.term_list = unpack_terms(terms)
        self.term_numbers = {t: i for i, t in enumerate(self.term_list)}
        self.starts, self.postings, self.freqs = starts, postings, freqs
        self.df, self.norm, self.rows, self.avgdl = df, norm, rows, avgdl

    @property
    def size(self) -> int:
        return len(self.norm)

    def match(self, groups, *, ranked: bool, fuzzy: bool = True) -> tuple[np.ndarray, np.ndarray | None]:
        """(positions having a stem of every group, ascending; their rank, lower is better, or None).

        `groups` are the query words as tuples of alternative stems (textanalysis.query_terms). The rarest
        word is looked up first and every other word only among its matches, so a query costs what its
        rarest word matches, not what its most common one does. Scores are summed per stem in query order,
        as FTS5 sums them, so equal documents get equal scores. `fuzzy`: a word no project has is taken as a
        typo of the stems near it (off when the caller has already resolved the words, as a delta does).
        """
        plan = []
        for number, group in enumerate(groups):
            terms = [self.term_numbers[stem] for stem in group if stem in self.term_numbers]
            if not terms and fuzzy:
                terms = self.similar(group)
            if not terms:
                return np.zeros(0, dtype=np.int64), (np.zeros(0) if ranked else None)
            plan.append((sum(int(self.starts[t + 1] - self.starts[t]) for t in terms), number, terms))
        plan.sort()
        candidates = None
        contributions: dict[tuple[int, int], np.ndarray] = {}
        for _size, number, terms in plan:
            if candidates is None:
                candidates = self._union([self.postings[self.starts[t] : self.starts[t + 1]] for t in terms])
            found = np.zeros(len(candidates), dtype=bool)
            for variant, term in enumerate(terms):
                start, end = int(self.starts[term]), int(self.starts[term + 1])
                postings = self.postings[start:end]
                at, hit = self._locate(postings, candidates, first=len(terms) == 1 and len(postings) == len(candidates))
                found |= hit
                if ranked and hit.all():
                    contributions[(number, variant)] = self._weights(term, candidates, start + at)
                elif ranked:
                    where = np.flatnonzero(hit)
                    weights = np.zeros(len(candidates))
                    weights[where] = self._weights(term, candidates[where], start + at[where])
                    contributions[(number, variant)] = weights
            if not found.all():
                keep = np.flatnonzero(found)
                candidates = candidates[keep]
                contributions = {key: weights[keep] for key, weights in contributions.items()}
        if not ranked:
            return candidates, None
        score = np.zeros(len(candidates))
        for key in sorted(contributions):
            score = score + contributions[key]
        return candidates, -score

    def like(self, weights: dict[str, float]) -> tuple[np.ndarray, np.ndarray]:
        """(positions having any of the stems, ascending; their BM25 scores summed with the stems' weights)."""
        scores, lists = None, []
        for stem, weight in weights.items():
            term = self.term_numbers.get(stem)
            if term is None or self.starts[term] == self.starts[term + 1]:
                continue
            start, end = int(self.starts[term]), int(self.starts[term + 1])
            postings = self.postings[start:end]
            scores = np.zeros(self.size) if scores is None else scores
            scores[postings] += weight * self._weights(term, postings, np.arange(start, end))
            lists.append(postings)
        if scores is None:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        positions = self._union(lists)
        return positions, scores[positions]

    def idf(self, stem: str) -> float | None:
        """The stem's BM25 weight over every indexed project, or None for a stem no project has."""
        term = self.term_numbers.get(stem)
        return None if term is None else self._idf(int(self.df[term]))

    def similar(self, group) -> list[int]:
        """The indexed stems one typing error away from a word no project has (two for long words), so that
        `kompetns` finds what `kompetens` finds. Short words are taken as they are: too many stems are near."""
        found: set[int] = set()
        for stem in group:
            if len(stem) < FUZZY_FROM:
                continue
            terms, numbers = self.by_initial.get(stem[0], ((), ()))
            near = process.extract(
                stem, terms, scorer=Levenshtein.distance, score_cutoff=1 if len(stem) < 8 else 2, limit=8
            )
            found.update(numbers[at] for _term, _distance, at in near)
        return sorted(found)

    def completions(self, prefix: str, limit: int) -> list[str]:
        """The indexed stems beginning with `prefix`, the most common first (search-as-you-type)."""
        start = bisect.bisect_left(self.sorted_terms, prefix)
        end = bisect.bisect_left(self.sorted_terms, prefix + "\uffff", start)
        found = [self.term_numbers[t] for t in self.sorted_terms[start : min(end, start + 500)]]
        return [self.term_list[n] for n in sorted(found, key=lambda n: -int(self.df[n]))[:limit]]

    @cached_property
    def sorted_terms(self) -> list[str]:
        return sorted(self.term_list)

    @cached_property
    def by_initial(self) -> dict[str, tuple[list[str], list[int]]]:
        """The stems by first letter: a typo is rarely in the first, and most stems are spared the comparison."""
        found: dict[str, tuple[list[str], list[int]]] = {}
        for number, term in enumerate(self.term_list):
            if len(term) >= FUZZY_FROM - 1:
                terms, numbers = found.setdefault(term[:1], ([], []))
                terms.append(term)
                numbers.append(number)
        return found

    def _locate(self, postings, candidates, *, first: bool):
        """(index in `postings` of each candidate, whether it is there). Binary search for few candidates; for
        many, a position → index table is cheaper than a million scattered searches."""
        if first:  # the candidates are these postings
            return np.arange(len(postings)), np.ones(len(postings), dtype=bool)
        if len(candidates) < self.size // 64:
            return find(postings, candidates)
        slots = np.full(self.size, -1, dtype=np.int32)
        slots[postings] = np.arange(len(postings))
        at = slots[candidates]
        return at, at >= 0

    def _union(self, lists) -> np.ndarray:
        """The positions in any of these sorted posting lists, ascending: sorted when short, marked when long."""
        if len(lists) == 1:
            return np.array(lists[0], dtype=np.int64)
        if sum(len(p) for p in lists) < self.size // 64:
            return np.unique(np.concatenate(lists)).astype(np.int64)
        marked = np.zeros(self.size, dtype=bool)
        for postings in lists:
            marked[postings] = True
        return np.flatnonzero(marked)

    def _weights(self, term: int, positions, entries) -> np.ndarray:
        """BM25 of one stem for the given positions, whose postings are at `entries`."""
        f = self.freqs[entries].astype(np.float64)
        return self._idf(int(self.df[term])) * f * (K1 + 1) / (f + self.norm[positions])

    def _idf(self, df: int) -> float:
        rows = max(self.rows, df)  # a delta's own counts can pass the loaded index's row count it scores with
        return max(math.log((rows - df + 0.5) / (df + 0.5)), 1e-6)

    # Snapshots ---------------------------------------------------------------------------------------------
    def write(self, path: Path) -> None:
        """Writes the arrays into a fresh directory and renames it into place, so readers never see half."""
        partial = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)
        for name in ARRAYS:
            np.save(partial / f"{name}.npy", getattr(self, name), allow_pickle=False)
        (partial / "rows").write_text(f"{self.rows} {self.avgdl}")
        os.replace(partial, path)

    @classmethod
    def read(cls, path: Path) -> "TextIndex":
        """Memory-maps a snapshot: the processes of one server share its pages. The arrays are plain views of
        the maps, since numpy's memmap class adds Python work to every slice."""
        arrays = {name: np.asarray(np.load(path / f"{name}.npy", mmap_mode="r", allow_pickle=False)) for name in ARRAYS}
        rows, avgdl = (path / "rows").read_text().split()
        return cls(**arrays, rows=int(rows), avgdl=float(avgdl))


def find(ordered: np.ndarray, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(index in the ascending array `ordered` of each wanted value, whether the value is there at all)."""
    if not len(ordered):
        return np.zeros(len(wanted), dtype=np.int64), np.zeros(len(wanted), dtype=bool)
    at = np.minimum(np.searchsorted(ordered, wanted), len(ordered) - 1)
    return at, ordered[at] == wanted


def build(batches, ids: np.ndarray, *, base: TextIndex | None = None) -> TextIndex:
    """Tokenises batches of (id, analysed name, analysed body) rows, in id order, into postings over the
    positions of `ids` (rows of other ids only count for the statistics: the non-public projects).

    With a `base`, the batches hold only the rows of `ids` (a delta, see `delta`), scored with the base's
    statistics (document frequencies, number of rows, average length), so scores compare across the two.

    Each batch's (stem, position) pairs come out sorted by stem, then position, and batches come in id
    order; so the postings are laid out by counting, each batch's pairs copied to their stems' next free
    places, without sorting them all at once (at a million projects that sort needed gigabytes).
    """
    vocabulary: dict[str, int] = {}
    parts = []
    df = np.zeros(0, dtype=np.int64)
    counts = np.zeros(0, dtype=np.int64)  # public postings per stem
    lengths = np.zeros(len(ids), dtype=np.float64)
    rows = tokens = 0
    for batch in batches:
        if batch:
            rowids = np.fromiter((r[0] for r in batch), dtype=np.int64, count=len(batch))
            names = [r[1].split() for r in batch]
            bodies = [r[2].split() for r in batch]
            name_lengths = np.fromiter(map(len, names), dtype=np.int64, count=len(batch))
            body_lengths = np.fromiter(map(len, bodies), dtype=np.int64, count=len(batch))
            words = chain(chain.from_iterable(names), chain.from_iterable(bodies))
            terms = np.fromiter((vocabulary.setdefault(w, len(vocabulary)) for w in words), dtype=np.int64)
            docs = np.concatenate(
                [np.repeat(np.arange(len(batch)), name_lengths), np.repeat(np.arange(len(batch)), body_lengths)]
            )
            weights = np.concatenate([np.full(name_lengths.sum(), NAME_WEIGHT), np.ones(body_lengths.sum())])
            pairs, inverse = np.unique(terms * len(batch) + docs, return_inverse=True)  # by stem, then doc
            freq = np.bincount(inverse.ravel(), weights=weights)
            term, doc = pairs // len(batch), pairs % len(batch)
            df = np.pad(df, (0, len(vocabulary) - len(df)))
            df += np.bincount(term, minlength=len(vocabulary))
            at, public = find(ids, rowids)
            lengths[at[public]] = (name_lengths + body_lengths)[public]
            keep = public[doc]
            parts.append(
                (
                    term[keep].astype(np.int32),
                    at[doc[keep]].astype(np.int32),
                    np.minimum(freq[keep], 65535).astype(np.uint16),
                )
            )
            counts = np.pad(counts, (0, len(vocabulary) - len(counts)))
            counts += np.bincount(parts[-1][0], minlength=len(vocabulary))
            rows += len(batch)
            tokens += int(name_lengths.sum() + body_lengths.sum())
    starts = np.zeros(len(vocabulary) + 1, dtype=np.int64)
    np.cumsum(counts, out=starts[1:])
    positions, freqs = np.empty(starts[-1], dtype=np.int32), np.empty(starts[-1], dtype=np.uint16)
    free = starts[:-1].copy()  # each stem's next free place
    parts.reverse()
    while parts:
        term, position, freq = parts.pop()  # in batch order; each batch is dropped once copied
        in_batch = np.bincount(term, minlength=len(vocabulary))
        first = np.cumsum(in_batch) - in_batch  # where each stem's pairs start within the batch
        places = free[term] + (np.arange(len(term)) - first[term])
        positions[places], freqs[places] = position, freq
        free += in_batch
    avgdl = tokens / rows if rows else 1.0
    if base is not None:
        avgdl, rows = base.avgdl, base.rows
        df = np.array([base.df[base.term_numbers[t]] if t in base.term_numbers else 1 for t in vocabulary])
    norm = K1 * ((1 - B) + B * lengths / avgdl)
    return TextIndex(pack_terms(vocabulary), starts, positions, freqs, df.astype(np.int32), norm, rows, avgdl)


def pack_terms(vocabulary) -> np.ndarray:
    """The stems as one byte array: each stem costs its own length, never the longest stem's (a fixed-width
    numpy string array made every one of 716 words as wide as one huge word: gigabytes)."""
    return np.frombuffer("\n".join(vocabulary).encode(), dtype=np.uint8) if vocabulary else np.zeros(0, np.uint8)


def unpack_terms(terms: np.ndarray) -> list[str]:
    if terms.dtype.kind == "U":  # a snapshot written before the terms were packed
        return [str(t) for t in terms]
    return terms.tobytes().decode().split("\n") if len(terms) else []


def build_or_read(batches, ids: np.ndarray, path: Path, still_current) -> TextIndex | None:
    """The index for these positions: read from the snapshot `path` when there is one, else built from
    `batches()` and written there. One process builds at a time; the others wait for its snapshot. None when
    the data has changed since (`still_current()` is false): an older version's build would only replace the
    newer snapshot."""
    family = path.name.rsplit("-", 1)[0]  # the snapshots of one database, one per data version
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(family + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists():
            if not still_current():
                return None
            for old in path.parent.glob(family + "-*"):
                shutil.rmtree(old, ignore_errors=True)
            build(batches(), ids).write(path)
    return TextIndex.read(path)
