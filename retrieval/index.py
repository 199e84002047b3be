"""BM25 (Okapi, as rank-bm25 scores it) over an inverted index touching only the query's postings."""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from itertools import chain, repeat
from pathlib import Path

import numpy as np

from .options import setting
from .columns import StringTable
from .store import DamagedStore, load_arrays, save_arrays

# Where rank-bm25 would give an idf of zero or below and the epsilon floor is not positive
# either (a corpus of one or two units), a word that matches must still count for something.
MIN_IDF = 1e-3
BATCH = 2000   # units counted at once by BM25Index.build
MERGED = 8     # a query's postings are merged by sorting while fewer than 1/MERGED of the units (see `scores`)


@dataclass(frozen=True)
class BM25Params:
    """Okapi BM25 as rank-bm25 computes it."""

    k1: float = setting(1.5, low=0, help="term-frequency saturation")
    b: float = setting(0.75, low=0, high=1, help="length normalisation (0 = none, 1 = full)")
    epsilon: float = setting(0.25, low=0, help="floor for words in over half the passages, as a share of the mean idf")


def okapi_idf(doc_freq: np.ndarray, n_docs: int, epsilon: float) -> np.ndarray:
    """rank-bm25's BM25Okapi idf, with the floor applied to zero as well as negative values."""
    idf = np.log(n_docs - doc_freq + 0.5) - np.log(doc_freq + 0.5)
    floor = epsilon * float(idf.mean()) if len(idf) else 0.0
    # rank-bm25 floors only idf < 0; a word in exactly half the units gets idf 0 there and then
    # cannot be found at all. Flooring it too is the one deliberate difference.
    return np.where(idf <= 0, max(floor, MIN_IDF), idf)


@dataclass(frozen=True)
class Postings:
    """(term, unit, tf) triples of tokenized units, grouped by term (units ascending within a term);
    terms numbered in order of first occurrence."""

    vocabulary: list[str]
    term_ids: np.ndarray     # int32, one per (term, unit) pair
    unit_ids: np.ndarray     # int32, 0-based within these units
    tfs: np.ndarray          # int32, occurrences of the term in the unit
    doc_len: np.ndarray      # int32, tokens per unit (repeats counted, as rank-bm25 does)


def count_postings(units: Iterable[Sequence[str]]) -> Postings:
    """Count each unit's terms; the same triples Counter(tokens) per unit would give."""
    units = units if isinstance(units, list) else list(units)
    tokens = list(chain.from_iterable(units))
    # Terms numbered in order of first occurrence, each token looked up at C level (no frame per term).
    vocabulary = list(dict.fromkeys(tokens))
    number = dict(zip(vocabulary, range(len(vocabulary))))
    n = max(len(units), 1)
    doc_len = np.fromiter(map(len, units), dtype=np.int64, count=len(units))
    keys = np.fromiter(map(number.__getitem__, tokens), dtype=np.int64, count=len(tokens)) * n
    keys += np.repeat(np.arange(len(units), dtype=np.int64), doc_len)
    keys, tfs = np.unique(keys, return_counts=True)
    return Postings(vocabulary, (keys // n).astype(np.int32), (keys % n).astype(np.int32),
                    tfs.astype(np.int32), doc_len.astype(np.int32))


class PostingsBuilder:
    """Postings of consecutive batches of units, joined as they come and laid out by term at the end.

    Each batch is kept as three int32 arrays with its terms renumbered as if counted in one go (12
    bytes a posting); the index is then filled batch by batch into its final places (a counting
    sort), each batch freed once placed: no sort of all postings, no int64 copies of them.
    """

    def __init__(self) -> None:
        self.vocabulary: dict[str, int] = {}
        self._parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        self._lengths: list[np.ndarray] = []
        self._units = 0

    def add(self, part: Postings) -> None:
        # Terms new to the builder numbered next, in the part's order: what setdefault term by term
        # gives, looked up by C-level map (a generator's frame per term cost ~1 s per 100k passages).
        vocabulary, terms = self.vocabulary, part.vocabulary
        local = np.fromiter(map(vocabulary.get, terms, repeat(-1)), dtype=np.int64, count=len(terms))
        new = np.flatnonzero(local < 0)
        if len(new):
            start = len(vocabulary)
            local[new] = np.arange(start, start + len(new))
            vocabulary.update(zip(map(terms.__getitem__, new.tolist()), range(start, start + len(new))))
        local = local.astype(np.int32)
        self._parts.append((local[part.term_ids], part.unit_ids.astype(np.int32) + np.int32(self._units),
                            part.tfs.astype(np.int32)))
        self._lengths.append(part.doc_len)
        self._units += len(part.doc_len)

    def index(self, params: BM25Params) -> "BM25Index":
        """The index of everything added (the builder is emptied)."""
        n_terms, n_units = len(self.vocabulary), self._units
        counts = np.zeros(n_terms, dtype=np.int64)
        for terms, _, _ in self._parts:
            counts += np.bincount(terms, minlength=n_terms)
        ptr = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
        doc_len = (np.concatenate(self._lengths) if self._lengths else np.empty(0)).astype(np.float64)
        avgdl = float(doc_len.mean()) if n_units and doc_len.sum() else 1.0
        idf = okapi_idf(counts.astype(np.float64), n_units, params.epsilon)
        unit_ids = np.empty(int(ptr[-1]), dtype=np.int32)
        weights = np.empty(int(ptr[-1]), dtype=np.float64)
        cursor = ptr[:-1].copy()
        parts, self._parts, self._lengths = self._parts, [], []
        while parts:                      # batches in unit order: a term's units stay ascending
            terms, units, tfs = parts.pop(0)
            if not len(terms):
                continue
            # A batch holds each term's postings side by side: a posting's place is its term's
            # cursor plus its rank within that run.
            starts = np.flatnonzero(np.concatenate(([True], terms[1:] != terms[:-1])))
            runs = np.diff(np.append(starts, len(terms)))
            at = cursor[terms] + (np.arange(len(terms)) - np.repeat(starts, runs))
            cursor[terms[starts]] += runs
            unit_ids[at] = units
            weights[at] = idf[terms] * okapi_weight(tfs.astype(np.float64), doc_len[units], avgdl, params)
        vocabulary, self.vocabulary = self.vocabulary, {}
        return BM25Index(vocabulary, ptr, unit_ids, weights, idf, n_units, params)


def okapi_weight(tf: np.ndarray, doc_len: np.ndarray, avgdl: float, params: BM25Params) -> np.ndarray:
    """The tf part of BM25Okapi for each posting."""
    norm = params.k1 * (1 - params.b + params.b * doc_len / avgdl)
    return tf * (params.k1 + 1) / (tf + norm)


_UNSEEN = object()
_KNOWN = 1 << 16   # terms a vocabulary remembers (a few MB); all forgotten past it


class Vocabulary(Mapping[str, int]):
    """term -> number over a stored string table: found by hash, nothing decoded until asked for."""

    def __init__(self, terms: StringTable) -> None:
        self._terms = terms
        # Terms looked up before: one question asks for its words a dozen times (its search, the title
        # match, document frequencies, idfs, the character field), each a hash and a decode.
        self._known: dict[str, int | None] = {}

    def get(self, term: str, default: int | None = None) -> int | None:  # type: ignore[override]
        found = self.numbers((term,))[0]
        return default if found is None else found

    def numbers(self, terms: Sequence[str]) -> list[int | None]:
        known = self._known
        found = [known.get(t, _UNSEEN) for t in terms]
        missing = list(dict.fromkeys(t for t, n in zip(terms, found) if n is _UNSEEN))
        if not missing:
            return found   # type: ignore[return-value]
        looked_up = dict(zip(missing, self._terms.find(missing)))
        if len(known) + len(looked_up) > _KNOWN:
            known.clear()
        known.update(looked_up)   # another thread may clear it meanwhile: the answer comes from looked_up
        return [looked_up[t] if n is _UNSEEN else n for t, n in zip(terms, found)]  # type: ignore[misc]

    def __getitem__(self, term: str) -> int:
        found = self.get(term)
        if found is None:
            raise KeyError(term)
        return found

    def __contains__(self, term: object) -> bool:
        return isinstance(term, str) and self.get(term) is not None

    def __iter__(self) -> Iterator[str]:
        return iter(self._terms)

    def __len__(self) -> int:
        return len(self._terms)

    def items(self):  # type: ignore[override]
        return zip(self._terms, range(len(self._terms)))


class BM25Index:
    """Postings in CSR layout: term t's units are unit_ids[ptr[t]:ptr[t+1]] with weights[...]."""

    def __init__(
        self,
        vocabulary: Mapping[str, int],
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
    def build(cls, units: Iterable[Sequence[str]], params: BM25Params = BM25Params()) -> "BM25Index":
        """Index tokenized units; an empty corpus gives an index that finds nothing.

        Counted BATCH units at a time, so a generator of token lists is never held whole (the character
        field's lists of one-character strings were ~1 GB per 100k passages)."""
        builder, batch = PostingsBuilder(), []
        for tokens in units:
            batch.append(tokens)
            if len(batch) == BATCH:
                builder.add(count_postings(batch))
                batch = []
        if batch or not builder.vocabulary:
            builder.add(count_postings(batch))
        return builder.index(params)

    @classmethod
    def from_counts(cls, postings: Postings, params: BM25Params = BM25Params()) -> "BM25Index":
        builder = PostingsBuilder()
        builder.add(postings)
        return builder.index(params)

    def scores(self, query: Sequence[str], weights: Sequence[float] | None = None,
               allowed: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(unit ids, ascending, and scores, a new array) of every unit holding a query term (that
        `allowed`, a boolean mask over units, lets through).

        Repeated terms count again, as in rank-bm25; `weights` scales each query term's part
        (expansion words count less than the user's own).
        """
        spans = [
            (self.ptr[t], self.ptr[t + 1], 1.0 if weights is None else weights[n])
            for n, t in enumerate(self.term_numbers(query))
            if t is not None
        ]
        if not spans:
            return np.empty(0, np.int32), np.empty(0, np.float64)
        parts = [self.weights[a:b] if w == 1.0 else self.weights[a:b] * w for a, b, w in spans]
        if len(spans) == 1:  # one term's postings: already one per unit, in unit order
            a, b, _ = spans[0]
            return _kept(self.unit_ids[a:b].copy(), np.array(parts[0], dtype=np.float64), allowed)
        ids = np.concatenate([self.unit_ids[a:b] for a, b, _ in spans])
        # Each term's units ascend: a stable sort merges those runs (~m log(terms)), where a slot per
        # unit costs ~n. Measured at 1M units, the merge wins up to about n/8 postings (26k postings:
        # 0.23 vs 0.90 ms through np.unique's full sort; 60k: 0.90 vs 2.1 ms through the slots).
        if len(ids) * MERGED < self.n_units and len(ids):
            order = np.argsort(ids, kind="stable")
            ordered = ids[order]
            first = np.empty(len(ordered), dtype=bool)
            first[0] = True
            np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
            inverse = np.empty(len(ordered), dtype=np.intp)
            inverse[order] = np.cumsum(first) - 1
            touched = ordered[first]
            # Summed in the postings' own order, as the slots below and rank-bm25 add them.
            totals = np.bincount(inverse, weights=np.concatenate(parts), minlength=len(touched))
            return _kept(touched, totals, allowed)
        # Many postings: add into one slot per unit instead of sorting them (same sums, same order).
        totals = np.bincount(ids, weights=np.concatenate(parts), minlength=self.n_units)
        held = np.zeros(self.n_units, dtype=bool)
        held[ids] = True
        if allowed is not None:   # the mask applied to the slots: the units it stops are never gathered
            held &= allowed
        touched = np.flatnonzero(held).astype(self.unit_ids.dtype)
        return touched, totals[touched]

    def term_numbers(self, terms: Sequence[str]) -> list[int | None]:
        """Each term's number in the vocabulary (None when absent), a stored one searched in one go."""
        if isinstance(self.vocabulary, Vocabulary):
            return self.vocabulary.numbers(terms)
        return [self.vocabulary.get(t) for t in terms]

    def top(
        self,
        query: Sequence[str],
        k: int,
        allowed: np.ndarray | None = None,
        weights: Sequence[float] | None = None,
    ) -> list[tuple[int, float]]:
        """The k best (unit id, score) pairs, best first; `allowed` is a boolean mask over units."""
        return top_k(*self.scores(query, weights, allowed), k)

    # ------------------------------------------------------------ on disk

    def save(self, folder: Path, name: str = "index") -> int:
        """Write the arrays as `.npy` files plus a JSON manifest; return the bytes written."""
        terms = [""] * len(self.vocabulary)
        for term, n in self.vocabulary.items():
            terms[n] = term
        arrays = {"ptr": self.ptr, "unit_ids": self.unit_ids, "weights": self.weights, "idfs": self.idfs}
        arrays.update(StringTable.pack(terms, findable=True).arrays("terms"))
        meta = {"n_units": self.n_units, "params": asdict(self.params)}
        return save_arrays(Path(folder), name, arrays, meta)

    @classmethod
    def load(cls, folder: Path, name: str = "index") -> "BM25Index":
        """The index `save` wrote, memory-mapped; DamagedStore when a file is missing, truncated or corrupt."""
        arrays, meta = load_arrays(Path(folder), name, mapped=True)
        try:
            terms = StringTable.from_arrays(arrays, "terms")
            ptr, unit_ids, weights, idfs = arrays["ptr"], arrays["unit_ids"], arrays["weights"], arrays["idfs"]
            n_units, params = int(meta["n_units"]), BM25Params(**meta["params"])
        except (KeyError, TypeError, ValueError, UnicodeDecodeError) as exc:
            raise DamagedStore(f"{name}: {type(exc).__name__}: {exc}") from None
        if terms.hashes is None or not (len(ptr) == len(terms) + 1 == len(idfs) + 1
                                        and int(ptr[-1]) == len(unit_ids) == len(weights)):
            raise DamagedStore(f"{name}: array lengths do not agree")
        # Unit ids are not range-checked here: that reads every posting (the checksums vouch for them).
        return cls(Vocabulary(terms), ptr, unit_ids, weights, idfs, n_units, params)

    def document_frequency(self, term: str) -> int:
        t = self.vocabulary.get(term)
        return 0 if t is None else int(self.ptr[t + 1] - self.ptr[t])

    def idf(self, term: str) -> float:
        """The idf used for a term (0 for an unknown one)."""
        t = self.vocabulary.get(term)
        return 0.0 if t is None else float(self.idfs[t])


def _kept(ids: np.ndarray, scores: np.ndarray, allowed: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """The (ids, scores) pairs whose unit `allowed` lets through (all when None)."""
    if allowed is None or not len(ids):
        return ids, scores
    keep = allowed[ids]
    return ids[keep], scores[keep]


def top_k(ids: np.ndarray, scores: np.ndarray, k: int) -> list[tuple[int, float]]:
    """The k best (id, score) pairs, best first, ties to the lower id as in a full sort."""
    ids, scores = best_k(ids, scores, k)
    return list(zip(ids.tolist(), scores.tolist()))


def best_k(ids: np.ndarray, scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """`top_k` as (ids, scores) arrays."""
    if not len(ids) or k <= 0:
        return ids[:0], scores[:0]
    if len(ids) > k:
        # The k-th score, whichever of the units tied at it partitioning put there: keep them all first.
        kth = np.partition(scores, len(scores) - k)[len(scores) - k]
        keep = scores >= kth
        ids, scores = ids[keep], scores[keep]
    order = np.lexsort((ids, -scores))[:k]
    return ids[order], scores[order]
