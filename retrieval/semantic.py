"""Questions in other words than the text: word-vector neighbours added to a question, and a
semantic score (cosine between question and passage vectors) blended with BM25 over the candidates."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from .index import BM25Index
from .options import setting
from .vectors import VocabularyVectors, WordVectors, shipped_vectors


@dataclass(frozen=True)
class SemanticOptions:
    """Word vectors (retrieval/data/vectors.*) for questions phrased in other words than the text."""

    vectors: bool = setting(True, help="use the shipped word vectors (false: plain BM25 and the synonym tables)")
    source: str = setting("vectors", choices=("vectors", "domain"),
                          help="vectors: cnsyn's general ones; domain: learned from People's Daily text here")
    neighbours: int = setting(4, low=0, help="vector neighbours a question word adds, at most")
    min_similarity: float = setting(0.7, low=0, high=1, help="cosine a neighbour needs to be added")
    max_share: float = setting(0.05, low=0, high=1,
                               help="question words in more than this share of passages add no neighbours")
    neighbour_weight: float = setting(0.5, low=0, help="a neighbour counts this x its cosine (the user's words: 1)")
    weight: float = setting(0.3, low=0, high=1, help="share of the semantic score in a candidate's score; 0 = BM25 alone")
    pool: int = setting(0, low=0, help="best passages by the semantic score alone added to the candidates")
    score: str = setting("words", choices=("words", "mean"),
                         help="words: each question word's best cosine with a passage word (idf-weighted mean); "
                              "mean: cosine of the question's and the passage's mean vectors")


MIN_COMMON = 3   # in a small corpus, a word in this many passages is not yet common


@dataclass(frozen=True)
class Topic:
    """A question's topic words that have vectors."""

    words: tuple[str, ...]
    idf: np.ndarray          # each word's idf (the highest one for a word no passage holds)
    vectors: np.ndarray      # words x dimensions


class Semantics:
    """An index's word vectors and passage vectors, built when first needed."""

    def __init__(self, options: SemanticOptions, index: BM25Index, exclude: Iterable[str] = (),
                 vectors: WordVectors | None = None) -> None:
        self.options = options
        self.index = index
        self._exclude = tuple(exclude)
        self._vectors = vectors
        self._vocabulary: VocabularyVectors | None = None
        self._passages: np.ndarray | None = None
        self._by_unit: tuple[np.ndarray, np.ndarray] | None = None
        self._expansion: np.ndarray | None = None
        self._topics: dict[tuple[str, ...], Topic] = {}
        self._similarities: dict[tuple[str, ...], np.ndarray] = {}

    @property
    def available(self) -> bool:
        return self.options.vectors and self.vocabulary is not None

    @property
    def vocabulary(self) -> VocabularyVectors | None:
        if self._vocabulary is None and self.options.vectors:
            vectors = self._vectors or shipped_vectors(self.options.source)
            if vectors is not None:
                self._vocabulary = VocabularyVectors(vectors, self.index.vocabulary, self._exclude)
        return self._vocabulary

    @property
    def passages(self) -> np.ndarray:
        """One unit-length vector per unit: the BM25-weighted sum of its words' vectors (float16)."""
        if self._passages is None:
            self._passages = passage_vectors(self.index, self.vocabulary)
        return self._passages

    # ------------------------------------------------------------ one question's words

    def topic(self, terms: Sequence[str]) -> Topic | None:
        """The question's topic words with vectors and their idf (kept for a few recent questions)."""
        vocabulary = self.vocabulary
        if vocabulary is None:
            return None
        key = tuple(terms)
        found = self._topics.get(key)
        if found is None:
            words = tuple(t for t in dict.fromkeys(terms) if vocabulary.vectors.is_topic(t))
            if not words:
                return None
            question = np.stack([vocabulary.vectors.vector(t) for t in words])
            top_idf = float(self.index.idfs.max()) if len(self.index.idfs) else 1.0
            idf = np.array([self.index.idfs[n] if (n := self.index.vocabulary.get(t)) is not None else top_idf
                            for t in words])
            found = Topic(words, idf, question)
            if len(self._topics) > 256:
                self._topics.clear()
            self._topics[key] = found
        return found

    def similarities(self, topic: Topic) -> np.ndarray:
        """Cosines of every vocabulary word (rows) with each topic word (columns): one matrix product
        per question, shared by the expansion and the semantic score."""
        found = self._similarities.get(topic.words)
        if found is None:
            found = blocked_product(self.vocabulary.matrix, topic.vectors.T)
            if len(self._similarities) > 16:
                self._similarities.clear()
            self._similarities[topic.words] = found
        return found

    # ------------------------------------------------------------ expansion

    def expand(self, terms: Sequence[str], words: list[str], weights: list[float]) -> None:
        """Add each question word's nearest vocabulary words (not names), weighted below the user's."""
        topic = self.topic(terms) if self.options.neighbours else None
        if topic is None:
            return
        vocabulary = self.vocabulary
        common = self.common
        rows = self.expansion_rows
        similarities = self.similarities(topic)
        seen = set(words)
        for j, term in enumerate(topic.words):
            if self.index.document_frequency(term) > common:
                continue  # a common word matches enough by itself; its neighbours would match everything
            sims = similarities[rows, j]
            candidates = np.flatnonzero(sims >= self.options.min_similarity)
            added = 0
            for c in candidates[np.lexsort((candidates, -sims[candidates]))]:
                word = vocabulary.words[rows[c]]
                if added >= self.options.neighbours:
                    break
                if word in seen or word == term:
                    continue
                seen.add(word)
                words.append(word)
                weights.append(self.options.neighbour_weight * float(sims[c]))
                added += 1

    @property
    def common(self) -> float:
        """Passages a word may be in before it counts as common: it then neither adds nor is added."""
        return max(self.options.max_share * self.index.n_units, MIN_COMMON)

    @property
    def expansion_rows(self) -> np.ndarray:
        """The vocabulary words expansion may add (no names, no common words), as rows of its matrix."""
        if self._expansion is None:
            vocabulary = self.vocabulary
            df = np.diff(self.index.ptr)[vocabulary.term_ids]
            self._expansion = np.flatnonzero(vocabulary.expandable & (df <= self.common))
        return self._expansion

    # ------------------------------------------------------------ scoring

    def question_vector(self, terms: Sequence[str]) -> np.ndarray | None:
        """The idf-weighted sum of the question words' vectors, unit length; None without any."""
        vocabulary = self.vocabulary
        if vocabulary is None:
            return None
        top_idf = float(self.index.idfs.max()) if len(self.index.idfs) else 1.0
        total = np.zeros(vocabulary.vectors.dimensions, np.float32)
        for term in terms:
            v = vocabulary.vectors.vector(term) if vocabulary.vectors.is_topic(term) else None
            if v is not None:
                known = self.index.vocabulary.get(term)
                total += v * (self.index.idfs[known] if known is not None else top_idf)
        norm = float(np.linalg.norm(total))
        return total / norm if norm > 0 else None

    def blend(self, hits: list[tuple[int, float]], terms: Sequence[str]) -> list[tuple[int, float]]:
        """Candidates re-scored as (1 - w) x BM25 / best BM25 + w x semantic score (scaled to 0..1 over
        the candidates), best first; as given when w = 0."""
        w = self.options.weight
        if not hits or not w or not self.options.vectors:
            return hits
        ids = np.array([i for i, _ in hits], dtype=np.int64)
        cosine = self.word_match(terms, ids) if self.options.score == "words" else self.mean_match(terms, ids)
        if cosine is None:
            return hits
        bm25 = np.array([s for _, s in hits], dtype=np.float64)
        # Both parts spread over 0..1 within the candidates: the cosines of one corpus' passages
        # crowd into a narrow band that a raw blend would hardly let count.
        lo, hi = float(cosine.min()), float(cosine.max())
        spread = (cosine - lo) / (hi - lo) if hi > lo else np.zeros_like(cosine)
        scores = (1 - w) * bm25 / max(float(bm25.max()), 1e-9) + w * spread
        order = np.lexsort((ids, -scores))
        return [(int(ids[i]), float(scores[i])) for i in order]

    def mean_match(self, terms: Sequence[str], ids: np.ndarray) -> np.ndarray | None:
        """Cosine between the question's vector and each unit's."""
        q = self.question_vector(terms)
        return None if q is None else self.passages[ids].astype(np.float32) @ q

    def word_match(self, terms: Sequence[str], ids: np.ndarray) -> np.ndarray | None:
        """For each unit, the idf-weighted mean over the question's topic words of their best cosine
        with one of the unit's words: a passage saying each thing in its own words scores high."""
        topic = self.topic(terms)
        if topic is None:
            return None
        ptr, rows = self.unit_rows
        starts, lengths = ptr[ids], ptr[ids + 1] - ptr[ids]
        best = np.zeros((len(ids), len(topic.words)), np.float32)
        held = lengths > 0
        if held.any():
            offsets = np.concatenate(([0], np.cumsum(lengths[held])[:-1]))
            picked = rows[np.repeat(starts[held] - offsets, lengths[held]) + np.arange(int(lengths.sum()))]
            best[held] = np.maximum.reduceat(self.similarities(topic)[picked], offsets, axis=0)
        return best @ topic.idf / topic.idf.sum()

    @property
    def unit_rows(self) -> tuple[np.ndarray, np.ndarray]:
        """Each unit's words that have vectors, as rows of the vocabulary's matrix (CSR by unit)."""
        if self._by_unit is None:
            vocabulary = self.vocabulary
            n_terms = len(self.index.ptr) - 1
            row_of = np.full(n_terms, -1, np.int64)
            if vocabulary is not None:
                row_of[vocabulary.term_ids] = np.arange(len(vocabulary.term_ids))
            rows = row_of[np.repeat(np.arange(n_terms), np.diff(self.index.ptr))]
            keep = rows >= 0
            units, rows = self.index.unit_ids[keep].astype(np.int64), rows[keep]
            # Grouped by unit with one sort of (unit, row) keys, several times faster than an argsort;
            # the order of a unit's words does not matter (their best cosine is taken).
            by_unit = np.sort((units << 32) | rows) & 0xFFFFFFFF
            counts = np.bincount(units, minlength=self.index.n_units)
            self._by_unit = (np.concatenate(([0], np.cumsum(counts))), by_unit)
        return self._by_unit

    def nearest(self, terms: Sequence[str], allowed: np.ndarray, k: int) -> list[int]:
        """The k allowed units whose vectors are nearest the question's."""
        q = self.question_vector(terms) if k else None
        if q is None:
            return []
        ids = np.flatnonzero(allowed)
        cosine = self.passages[ids].astype(np.float32) @ q
        best = np.argsort(-cosine, kind="stable")[:k]
        return [int(i) for i in ids[best]]


BLOCK = 1024   # rows per product: small enough that OpenBLAS runs it on one thread


def blocked_product(matrix: np.ndarray, columns: np.ndarray) -> np.ndarray:
    """matrix @ columns, block by block: a tall, thin product split over threads spends longer waking and
    joining them than multiplying (2 to 10 x slower on a busy machine); the values are the same."""
    out = np.empty((len(matrix), columns.shape[1]), np.float32)
    for start in range(0, len(matrix), BLOCK):
        np.matmul(matrix[start:start + BLOCK], columns, out=out[start:start + BLOCK])
    return out


def passage_vectors(index: BM25Index, vocabulary: VocabularyVectors | None) -> np.ndarray:
    """Each unit's BM25-weighted sum of word vectors, unit length, from the index's postings."""
    dims = vocabulary.vectors.dimensions if vocabulary is not None else 1
    out = np.zeros((index.n_units, dims), np.float32)
    if vocabulary is None or not len(index.unit_ids):
        return out.astype(np.float16)
    n_terms = len(index.ptr) - 1
    has = np.zeros(n_terms, dtype=bool)
    has[vocabulary.term_ids] = True
    term_of = np.repeat(np.arange(n_terms), np.diff(index.ptr))
    keep = has[term_of]
    terms, units, weights = term_of[keep], index.unit_ids[keep], index.weights[keep]
    by_term = vocabulary.by_term_id(n_terms)
    for d in range(dims):
        out[:, d] = np.bincount(units, weights=weights * by_term[terms, d], minlength=index.n_units)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    out /= np.where(norms > 0, norms, 1)
    return out.astype(np.float16)
