"""A TF-IDF inverted index of the project bank, so that matching an idea reads only its own terms' postings.

Documents are analysed with the shared Swedish analyser (`portfolio.textanalysis.tokens`). Each document is a
row of sublinear TF × smoothed IDF, L2-normalised, stored column-wise (CSC): a column is the posting list of
one stem, so a query touches the postings of its own stems and never scans the rows. Cosine similarity is the
dot product of two normalised vectors.

The same class scores a handful of calls in memory and a million projects persisted on disk.
"""

import json
import math
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import numpy as np
from scipy import sparse

from samhandling.portfolio.textanalysis import tokens

FORMAT = 1


@dataclass
class Index:
    ids: np.ndarray  # document ids (int64), one per row, ascending
    matrix: sparse.csc_matrix  # rows × terms, float32
    vocabulary: dict[str, int]
    idf: np.ndarray  # float32, one per term
    eligible: np.ndarray  # bool per row: may appear in results (e.g. granted); others only shape the IDF
    max_id: int = 0
    meta: dict = field(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self.ids)

    def unseen_idf(self) -> float:
        """The weight of a stem the corpus has never seen (document frequency 0)."""
        return math.log(1 + self.size) + 1

    def vector(self, text: str) -> dict[str, float]:
        """A text's normalised weights by stem, with this corpus' IDF (unseen stems get the highest weight)."""
        counts = Counter(tokens(text))
        weights = {}
        for term, count in counts.items():
            col = self.vocabulary.get(term)
            idf = float(self.idf[col]) if col is not None else self.unseen_idf()
            weights[term] = (1 + math.log(count)) * idf
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return {t: w / norm for t, w in weights.items()}

    def scores(self, query: dict[str, float]) -> np.ndarray:
        """Cosine similarity of every row with a query vector, reading only the query stems' postings."""
        cols = [(self.vocabulary[t], w) for t, w in query.items() if t in self.vocabulary]
        if not cols or not self.size:
            return np.zeros(self.size, dtype=np.float32)
        col_ids = np.fromiter((c for c, _ in cols), dtype=np.int64, count=len(cols))
        weights = np.fromiter((w for _, w in cols), dtype=np.float32, count=len(cols))
        postings = self.matrix[:, col_ids]
        lengths = np.diff(postings.indptr)
        return np.bincount(
            postings.indices, weights=postings.data * np.repeat(weights, lengths), minlength=self.size
        ).astype(np.float32)

    def search(self, text: str, limit: int = 20, *, exclude_ids: Iterable[int] = ()) -> list[tuple[int, float]]:
        """The best rows as (id, score), best first; rows in `exclude_ids` are left out (they changed)."""
        scores = self.scores(self.vector(text))
        scores[~self.eligible] = 0
        exclude = np.fromiter(exclude_ids, dtype=np.int64)
        if exclude.size and self.size:
            rows = np.searchsorted(self.ids, exclude)
            found = rows < self.size
            rows, exclude = rows[found], exclude[found]
            scores[rows[self.ids[rows] == exclude]] = 0
        return top(self.ids, scores, limit)


def top(ids: np.ndarray, scores: np.ndarray, limit: int) -> list[tuple[int, float]]:
    positive = np.flatnonzero(scores > 0)
    if positive.size > limit:
        positive = positive[np.argpartition(-scores[positive], limit - 1)[:limit]]
    order = positive[np.lexsort((ids[positive], -scores[positive]))]
    return [(int(ids[i]), float(scores[i])) for i in order]


def build(documents: Iterable[tuple[int, str, bool]]) -> Index:
    """Builds an index from (id, text, eligible) triples given in ascending id order."""
    vocabulary: dict[str, int] = {}
    ids, eligible, rows, cols, counts = [], [], [], [], []
    for row, (doc_id, text, ok) in enumerate(documents):
        ids.append(doc_id)
        eligible.append(ok)
        for term, count in Counter(tokens(text)).items():
            col = vocabulary.get(term)
            if col is None:
                col = vocabulary[term] = len(vocabulary)
            rows.append(row)
            cols.append(col)
            counts.append(count)
    n_docs, n_terms = len(ids), len(vocabulary)
    rows_a = np.asarray(rows, dtype=np.int32)
    cols_a = np.asarray(cols, dtype=np.int32)
    data = 1 + np.log(np.asarray(counts, dtype=np.float32))
    df = np.bincount(cols_a, minlength=n_terms)
    idf = (np.log((1 + n_docs) / (1 + df)) + 1).astype(np.float32)
    data *= idf[cols_a]
    norms = np.sqrt(np.bincount(rows_a, weights=data.astype(np.float64) ** 2, minlength=n_docs))
    data /= norms[rows_a].astype(np.float32)
    matrix = sparse.csc_matrix((data, (rows_a, cols_a)), shape=(n_docs, n_terms), dtype=np.float32)
    matrix.sort_indices()
    ids_a = np.asarray(ids, dtype=np.int64)
    return Index(
        ids=ids_a,
        matrix=matrix,
        vocabulary=vocabulary,
        idf=idf,
        eligible=np.asarray(eligible, dtype=bool),
        max_id=int(ids_a.max()) if n_docs else 0,
    )


def save(index: Index, directory: Path) -> Path:
    """Writes the index atomically (a reader never sees half a file)."""
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / "projects.npz"
    tmp = directory / f".projects.{os.getpid()}.npz"
    terms = [""] * len(index.vocabulary)
    for term, col in index.vocabulary.items():
        terms[col] = term
    with open(tmp, "wb") as fh:
        np.savez(
            fh,
            ids=index.ids,
            data=index.matrix.data,
            indices=index.matrix.indices,
            indptr=index.matrix.indptr,
            shape=np.asarray(index.matrix.shape, dtype=np.int64),
            idf=index.idf,
            eligible=index.eligible,
            terms=np.frombuffer(json.dumps(terms).encode(), dtype=np.uint8),
            meta=np.frombuffer(
                json.dumps({**index.meta, "format": FORMAT, "max_id": index.max_id}).encode(), dtype=np.uint8
            ),
        )
    os.replace(tmp, target)
    return target


def load(path: Path) -> Index:
    with np.load(path) as z:
        meta = json.loads(z["meta"].tobytes())
        terms = json.loads(z["terms"].tobytes())
        matrix = sparse.csc_matrix((z["data"], z["indices"], z["indptr"]), shape=tuple(z["shape"]))
        matrix.has_sorted_indices = True  # saved sorted by build(); spares the first query a full check
        return Index(
            ids=z["ids"],
            matrix=matrix,
            vocabulary={t: i for i, t in enumerate(terms)},
            idf=z["idf"],
            eligible=z["eligible"],
            max_id=int(meta["max_id"]),
            meta=meta,
        )
