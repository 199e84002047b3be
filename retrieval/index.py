"""BM25 (Okapi, as rank-bm25 scores it) over an inverted index touching only the query's postings."""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

# Where rank-bm25 would give an idf of zero or below and the epsilon floor is not positive
# either (a corpus of one or two units), a word that matches must still count for something.
MIN_IDF = 1e-3


@dataclass(frozen=True)
class BM25Params:
    k1: float = 1.5
    b: float = 0.75
    epsilon: float = 0.25


def okapi_idf(doc_freq: np.ndarray, n_docs: int, epsilon: float) -> np.ndarray:
    """rank-bm25's BM25Okapi idf, with the floor applied to zero as well as negative values."""
    idf = np.log(n_docs - doc_freq + 0.5) - np.log(doc_freq + 0.5)
    floor = epsilon * float(idf.mean()) if len(idf) else 0.0
    # rank-bm25 floors only idf < 0; a word in exactly half the units gets idf 0 there and then
    # cannot be found at all. Flooring it too is the one deliberate difference.
    return np.where(idf <= 0, max(floor, MIN_IDF), idf)


def okapi_weight(tf: np.ndarray, doc_len: np.ndarray, avgdl: float, params: BM25Params) -> np.ndarray:
    """The tf part of BM25Okapi for each posting."""
    norm = params.k1 * (1 - params.b + params.b * doc_len / avgdl)
    return tf * (params.k1 + 1) / (tf + norm)


class BM25Index:
    """Postings in CSR layout: term t's units are unit_ids[ptr[t]:ptr[t+1]] with weights[...]."""

    def __init__(
        self,
        vocabulary: dict[str, int],
        ptr: np.ndarray,
        unit_ids: np.ndarray,
        weights: np.ndarray,
        idfs: np.ndarray,
        n_units: int,
        params: BM25Params,
    ) -> None:
        self.vocabulary = vocabulary
        self.ptr = ptr
        self.unit_ids = unit_ids
        self.weights = weights
        self.idfs = idfs
        self.n_units = n_units
        self.params = params

    @classmethod
    def build(cls, units: Sequence[Sequence[str]], params: BM25Params = BM25Params()) -> "BM25Index":
        """Index tokenized units; an empty corpus gives an index that finds nothing."""
        vocabulary: dict[str, int] = {}
        rows: list[int] = []
        cols: list[int] = []
        tfs: list[int] = []
        doc_len = np.fromiter((len(u) for u in units), dtype=np.float64, count=len(units))
        for unit_id, tokens in enumerate(units):
            for term, tf in Counter(tokens).items():
                rows.append(vocabulary.setdefault(term, len(vocabulary)))
                cols.append(unit_id)
                tfs.append(tf)
        return cls.from_postings(vocabulary, np.array(rows, np.int64), np.array(cols, np.int32),
                                 np.array(tfs, np.float64), doc_len, params)

    @classmethod
    def from_postings(
        cls,
        vocabulary: dict[str, int],
        term_ids: np.ndarray,
        unit_ids: np.ndarray,
        tfs: np.ndarray,
        doc_len: np.ndarray,
        params: BM25Params,
    ) -> "BM25Index":
        """Weight and sort (term, unit, tf) triples into the index."""
        n_units = len(doc_len)
        order = np.lexsort((unit_ids, term_ids))
        term_ids, unit_ids, tfs = term_ids[order], unit_ids[order], tfs[order]
        counts = np.bincount(term_ids, minlength=len(vocabulary))
        ptr = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
        doc_freq = counts.astype(np.float64)
        avgdl = float(doc_len.mean()) if n_units and doc_len.sum() else 1.0
        idf = okapi_idf(doc_freq, n_units, params.epsilon)
        weights = idf[term_ids] * okapi_weight(tfs, doc_len[unit_ids], avgdl, params)
        return cls(vocabulary, ptr, unit_ids.astype(np.int32), weights, idf, n_units, params)

    def scores(self, query: Sequence[str], weights: Sequence[float] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(unit ids, scores) of every unit holding a query term.

        Repeated terms count again, as in rank-bm25; `weights` scales each query term's part
        (expansion words count less than the user's own).
        """
        spans = [
            (self.ptr[t], self.ptr[t + 1], 1.0 if weights is None else weights[n])
            for n, q in enumerate(query)
            if (t := self.vocabulary.get(q)) is not None
        ]
        if not spans:
            return np.empty(0, np.int32), np.empty(0, np.float64)
        ids = np.concatenate([self.unit_ids[a:b] for a, b, _ in spans])
        parts = [self.weights[a:b] if w == 1.0 else self.weights[a:b] * w for a, b, w in spans]
        touched, inverse = np.unique(ids, return_inverse=True)
        return touched, np.bincount(inverse, weights=np.concatenate(parts), minlength=len(touched))

    def top(
        self,
        query: Sequence[str],
        k: int,
        allowed: np.ndarray | None = None,
        weights: Sequence[float] | None = None,
    ) -> list[tuple[int, float]]:
        """The k best (unit id, score) pairs, best first; `allowed` is a boolean mask over units."""
        ids, scores = self.scores(query, weights)
        if allowed is not None and len(ids):
            keep = allowed[ids]
            ids, scores = ids[keep], scores[keep]
        if not len(ids) or k <= 0:
            return []
        if len(ids) > k:
            part = np.argpartition(-scores, k - 1)[:k]
            ids, scores = ids[part], scores[part]
        order = np.lexsort((ids, -scores))
        return [(int(ids[i]), float(scores[i])) for i in order]

    def document_frequency(self, term: str) -> int:
        t = self.vocabulary.get(term)
        return 0 if t is None else int(self.ptr[t + 1] - self.ptr[t])

    def idf(self, term: str) -> float:
        """The idf used for a term (0 for an unknown one)."""
        t = self.vocabulary.get(term)
        return 0.0 if t is None else float(self.idfs[t])
