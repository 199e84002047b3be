"""Word vectors shipped with the package (retrieval/data/vectors.*, from cnsyn; see its LICENSE file):
loaded lazily and memory-mapped, never unpickled. Built by scripts/convert_cnsyn.py."""
from __future__ import annotations

import threading
import zlib
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path

import numpy as np

from .tables import DATA

SCALE = 127.0          # rows are unit vectors stored as int8 x SCALE
KEPT_LOOKUPS = 10_000  # words whose row a search of the word list found, kept (all forgotten past it)
NEAR_K = 16            # nearest rows each row has in NAME.near.npy (scripts/vector_neighbours.py)
# Parts of speech (jieba's) that carry no topic: numbers, time words, adverbs, conjunctions, prepositions,
# particles, pronouns, measure words, interjections …
_NO_EXPANSION = ("m", "t", "d", "c", "p", "u", "r", "q", "f", "y", "e", "o", "z", "k", "h", "g", "x", "w")
# A question's frame (谁认为…, 哪位代表强调…) is no topic: verbs of saying and thinking are found as the
# words near these ones, so that unseen ones (声称, 谈及) are recognised too.
_SPEECH = ("表示", "认为", "指出", "提出")
SPEECH_SIMILARITY = 0.45
_NAME_TAGS = ("nr", "ns")   # people's names (nr, nrfg, nrt …) and places


class WordVectors:
    """Unit-length word vectors (int8 on disk) with each word's part of speech."""

    def __init__(self, matrix: np.ndarray, lines: "_Lines", near: np.ndarray | None = None,
                 twins: np.ndarray | None = None) -> None:
        if matrix.ndim != 2 or len(matrix) != len(lines):
            raise ValueError("vectors and word list do not agree")
        self.matrix = matrix
        # Each row's nearest rows and near-identical pairs (scripts/vector_neighbours.py), when shipped
        # for these rows: a question word's neighbours then need no product over a vocabulary.
        fits = near is not None and twins is not None and near.shape == (len(matrix), NEAR_K + 1) \
            and twins.ndim == 2 and twins.shape[1] == 2
        self._near = near if fits else None
        self._twins = twins if fits else None
        # The word list is kept as the file's bytes: a start decoded all 80k lines into lists and a dict
        # (~35 ms of the seed's first answer) to look up a handful of words. Decoded on first need.
        self._lines = lines
        self._words: list[str] | None = None
        self._tags: list[str] | None = None
        self._row: dict[str, int] | None = None
        self._speech: np.ndarray | None = None
        self._topics: np.ndarray | None = None
        self._frame: np.ndarray | None = None
        self._frame_of: dict[int, bool] = {}
        self._found: dict[str, int | None] = {}

    @classmethod
    def load(cls, folder: Path = DATA, name: str = "vectors") -> "WordVectors":
        """The vectors of `folder/name.npy` (memory-mapped) and `name.words.txt` ("word\tTAG" a line)."""
        near = twins = None
        if (folder / f"{name}.near.npy").is_file() and (folder / f"{name}.twins.npy").is_file():
            near = np.load(folder / f"{name}.near.npy", mmap_mode="r")
            twins = np.load(folder / f"{name}.twins.npy")
        return cls(np.load(folder / f"{name}.npy", mmap_mode="r"), _Lines((folder / f"{name}.words.txt").read_bytes()),
                   near, twins)

    @property
    def words(self) -> list[str]:
        if self._words is None:
            self._decode()
        return self._words

    @property
    def tags(self) -> list[str]:
        if self._tags is None:
            self._decode()
        return self._tags

    @property
    def row(self) -> dict[str, int]:
        """Each word's row (made on first use: looking up a few words does not need it, see `number`)."""
        if self._row is None:
            self._row = {word: n for n, word in enumerate(self.words)}
        return self._row

    def _decode(self) -> None:
        words, tags = [], []
        for line in self._lines.data.decode("utf-8").splitlines():
            word, _, tag = line.partition("\t")
            words.append(word)
            tags.append(tag)
        self._words, self._tags = words, tags

    def number(self, word: str) -> int | None:
        """The word's row, None when it has none: found in the file's bytes until the whole list is
        decoded for some other use, and kept (a search scans half the file, ~0.4 ms; a question asks
        for each of its words several times). A word of an index is found faster through it
        (`VocabularyVectors.row_of_term`)."""
        if self._row is not None:
            return self._row.get(word)
        if word in self._found:
            return self._found[word]
        found = self._lines.find(word)
        if len(self._found) >= KEPT_LOOKUPS:
            self._found.clear()
        self._found[word] = found
        return found

    def word_at(self, n: int) -> str:
        """The word of row n."""
        return self._words[n] if self._words is not None else self._lines.field(n, 0)

    def words_crc(self) -> int:
        """CRC-32 of the words joined by newlines, without decoding them when they are not yet."""
        if self._words is None:
            return self._lines.words_crc()
        return zlib.crc32("\n".join(self._words).encode("utf-8"))

    def tag_at(self, n: int) -> str:
        """The part of speech of row n."""
        return self._tags[n] if self._tags is not None else self._lines.field(n, 1)

    @property
    def dimensions(self) -> int:
        return int(self.matrix.shape[1])

    def __contains__(self, word: str) -> bool:
        return self.number(word) is not None

    def vector(self, word: str) -> np.ndarray | None:
        """The word's unit vector (float32), None when the word has none."""
        v = self.integers(word)
        return None if v is None else v / SCALE

    def integers(self, word: str) -> np.ndarray | None:
        """The word's stored int8 values (its unit vector x SCALE) as float32, None when it has none."""
        n = self.number(word)
        return None if n is None else self.row_integers(n)

    def row_integers(self, n: int) -> np.ndarray:
        """Row n's stored int8 values as float32."""
        return self.matrix[n].astype(np.float32)

    @property
    def has_near(self) -> bool:
        """Whether each row's nearest rows are shipped (`near_rows`, `twin_rows`)."""
        return self._near is not None

    def near_rows(self, n: int) -> np.ndarray:
        """The NEAR_K rows of highest product with row n (itself included), in no particular order; a
        row outside them has a product no higher than the lowest of theirs (needs `has_near`)."""
        entry = self._near[n].astype(np.int64)
        high = (int(entry[NEAR_K]) >> np.arange(NEAR_K)) & 1
        return entry[:NEAR_K] | (high << 16)

    def twin_rows(self, n: int) -> np.ndarray:
        """The other rows whose product with row n is at least 0.98 x 127²: all those a cosine at EXACT
        (0.99) counts as the same word (needs `has_near`)."""
        firsts = self._twins[:, 0]
        return self._twins[np.searchsorted(firsts, n):np.searchsorted(firsts, n, side="right"), 1].astype(np.int64)

    def is_name(self, word: str) -> bool:
        """A person's or place's name by jieba's part of speech (nr…, ns): never added by expansion."""
        n = self.number(word)
        return n is not None and self.tag_at(n).startswith(_NAME_TAGS)

    def is_topic(self, word: str) -> bool:
        """A word that may carry a question's topic: a content word that is no name and no verb of saying."""
        n = self.number(word)
        return n is not None and self.topic_row(n)

    def topic_row(self, n: int) -> bool:
        """`is_topic` of row n's word."""
        if self._topics is not None:
            return bool(self._topics[n])
        return len(self.word_at(n)) >= 2 and not self.frame_row(n)

    @property
    def topic_rows(self) -> np.ndarray:
        """Which rows are topic words (see `is_topic`), for all words at once: one product, not one per word."""
        if self._topics is None:
            long = np.fromiter(map(len, self.words), dtype=np.int64, count=len(self.words)) >= 2
            self._topics = long & ~self.frame_rows
        return self._topics

    @property
    def frame_rows(self) -> np.ndarray:
        """Which rows are a question's frame, whatever their length: function words by part of speech, and
        verbs of saying and thinking by their vector."""
        if self._frame is None:
            function = _tags_in(self.tags, _NO_EXPANSION)
            speech = (self.matrix.astype(np.float32) @ self.speech_direction) / SCALE
            self._frame = function | (speech >= SPEECH_SIMILARITY)
        return self._frame

    def is_frame(self, word: str) -> bool:
        """A function word or a verb of saying (see `frame_rows`); False for a word without a vector."""
        n = self.number(word)
        return n is not None and self.frame_row(n)

    def frame_row(self, n: int) -> bool:
        """`frame_rows[n]` for one row, without making it for all 80k when a question needs a few; the
        one row's product decides as the whole matrix' does (tests/retrieval/test_vectors.py)."""
        if self._frame is not None:
            return bool(self._frame[n])
        found = self._frame_of.get(n)
        if found is None:
            speech = float((self.matrix[n:n + 1].astype(np.float32) @ self.speech_direction)[0]) / SCALE
            found = self.tag_at(n).startswith(_NO_EXPANSION) or speech >= SPEECH_SIMILARITY
            self._frame_of[n] = found
        return found

    def name_rows(self, rows: np.ndarray) -> np.ndarray:
        """`is_name` for the given rows."""
        return _tags_in([self.tags[n] for n in rows.tolist()], _NAME_TAGS)

    @property
    def speech_direction(self) -> np.ndarray:
        """The unit mean of the verbs of saying' vectors."""
        if self._speech is None:
            found = [v for w in _SPEECH if (v := self.vector(w)) is not None]
            total = np.sum(found, axis=0) if found else np.zeros(self.dimensions, np.float32)
            self._speech = total / max(float(np.linalg.norm(total)), 1e-9)
        return self._speech

    def neighbours(self, word: str, k: int = 10) -> list[tuple[str, float]]:
        """The k words nearest to `word` by cosine, best first (the word itself left out)."""
        v = self.vector(word)
        if v is None:
            return []
        sims = self.matrix.astype(np.float32) @ v / SCALE
        sims[self.row[word]] = -np.inf
        order = np.argsort(-sims, kind="stable")[:k]
        return [(self.words[i], float(sims[i])) for i in order]


def _tags_in(tags: list[str], prefixes: tuple[str, ...]) -> np.ndarray:
    """Which tags start with one of the prefixes, each distinct tag (a few dozen) tested once: a test per
    word cost ~10 ms of the first question's 80k words."""
    starts = {tag: tag.startswith(prefixes) for tag in set(tags)}
    return np.fromiter(map(starts.__getitem__, tags), dtype=bool, count=len(tags))


_lock = threading.Lock()


@cache
def _shipped(name: str) -> WordVectors | None:
    try:
        return WordVectors.load(DATA, name)
    except (OSError, ValueError):
        return None


def shipped_vectors(name: str = "vectors") -> WordVectors | None:
    """The package's vectors (`vectors`: cnsyn's; `domain`: learned here), loaded on first use; None
    when the files are missing or damaged."""
    with _lock:
        return _shipped(name)


class VocabularyVectors:
    """The vectors of an index's vocabulary: the words expansion may add and passages are made of.

    Held as aligned arrays, the index's term numbers, their rows in the shipped matrix and whether
    expansion may add them, which the index cache stores (`find` walks the whole vocabulary and looks up
    every speaker's name to make them: seconds at 100k passages)."""

    def __init__(self, vectors: WordVectors, term_ids: np.ndarray, rows: np.ndarray, expandable: np.ndarray) -> None:
        self.vectors = vectors
        self.term_ids = term_ids
        self.rows = rows
        self.expandable = expandable   # which of them expansion may add
        self._floats: np.ndarray | None = None
        self._positions: np.ndarray | None = None

    def integers(self, positions: np.ndarray) -> np.ndarray:
        """The stored int8 values of the given words (positions in `rows`) as float32."""
        return np.take(self.floats, positions, axis=0)

    @property
    def floats(self) -> np.ndarray:
        """The stored int8 values of every word here as float32, made on first use (~15 MB at 100k
        passages): a question's semantic score gathers thousands of its rows, and converting them from
        the shipped int8 matrix for each question cost ~1.5 ms at 100k passages."""
        if self._floats is None:
            self._floats = self.vectors.matrix[self.rows].astype(np.float32)
        return self._floats

    @classmethod
    def find(cls, vectors: WordVectors, vocabulary: Mapping[str, int], exclude: Iterable[str] = ()) -> "VocabularyVectors":
        """The index words that have a vector, found by walking the vocabulary."""
        words = [t for t in vocabulary if t in vectors.row]
        term_ids = np.fromiter((vocabulary[t] for t in words), np.int64, len(words))
        rows = np.fromiter((vectors.row[t] for t in words), np.int64, len(words))
        # Names never come in through expansion: neither people's names (by part of speech) nor
        # the speakers and roles of this corpus.
        skip = np.fromiter({n for t in exclude if (n := vocabulary.get(t)) is not None}, np.int64)
        expandable = vectors.topic_rows[rows] & ~vectors.name_rows(rows) & ~np.isin(term_ids, skip)
        return cls(vectors, term_ids, rows, expandable)

    def row_of_term(self, term_id: int) -> int | None:
        """The shipped row of the index's term `term_id`, None when it has no vector: two array reads,
        where searching the word list for it costs ~0.4 ms (`WordVectors.number`)."""
        if self._positions is None:
            positions = np.full(int(self.term_ids.max()) + 1 if len(self.term_ids) else 0, -1, np.int32)
            positions[self.term_ids] = np.arange(len(self.term_ids), dtype=np.int32)
            self._positions = positions
        at = int(self._positions[term_id]) if term_id < len(self._positions) else -1
        return int(self.rows[at]) if at >= 0 else None

    def word(self, n: int) -> str:
        """The word at position n of `rows`."""
        return self.vectors.word_at(int(self.rows[n]))

    def by_term_id(self, n_terms: int) -> np.ndarray:
        """Vectors indexed by the index's term numbers (zero rows for words without a vector)."""
        full = np.zeros((n_terms, self.vectors.dimensions), np.float32)
        full[self.term_ids] = self.vectors.matrix[self.rows].astype(np.float32) / SCALE
        return full


def stamp(vectors: WordVectors) -> list[int]:
    """What stored rows of these vectors must match: the matrix' shape and a CRC of the word list."""
    return [*map(int, vectors.matrix.shape), vectors.words_crc()]


class _Lines:
    """A word list file's bytes ("word\tTAG\n" a line), its words found without decoding the others."""

    def __init__(self, data: bytes) -> None:
        if data and not data.endswith(b"\n"):
            data += b"\n"
        self.data = data
        codes = np.frombuffer(data, np.uint8)
        self.ends = np.flatnonzero(codes == 10)                 # each line's newline
        self.starts = np.concatenate(([0], self.ends[:-1] + 1)).astype(np.int64)[:len(self.ends)]

    def __len__(self) -> int:
        return len(self.ends)

    def find(self, word: str) -> int | None:
        """The row of the line whose word is `word` (the first such line, as a dict of all would keep
        the last: the list has no repeated word), None when there is none."""
        if not word or "\t" in word or "\n" in word:
            return None
        key = word.encode("utf-8") + b"\t"
        if self.data.startswith(key):
            return 0
        at = self.data.find(b"\n" + key)
        return None if at < 0 else int(np.searchsorted(self.starts, at + 1))

    def field(self, n: int, column: int) -> str:
        line = self.data[int(self.starts[n]):int(self.ends[n])].decode("utf-8")
        return line.partition("\t")[2 * column]

    def words_crc(self) -> int:
        """CRC-32 of the words joined by newlines (what `stamp` takes of a decoded list), from the bytes:
        each line's tab up to its newline left out."""
        codes = np.frombuffer(self.data, np.uint8)
        tabs = np.flatnonzero(codes == 9)
        if not np.array_equal(np.searchsorted(self.ends, tabs), np.arange(len(self.ends))):
            # not one tab a line: the words as a decoded list splits them
            words = [line.partition("\t")[0] for line in self.data.decode("utf-8").splitlines()]
            return zlib.crc32("\n".join(words).encode("utf-8"))
        step = np.zeros(len(codes), np.int8)
        step[tabs] = 1
        step[self.ends] = -1
        keep = np.cumsum(step, dtype=np.int8) == 0
        keep[self.ends] = True
        return zlib.crc32(codes[keep][:-1].tobytes())
