"""Start-up without the whole dictionary: rjieba given only the words of the texts it has to cut.

Building rjieba's dictionary (349,045 words) takes 0.12-0.25 s, a third of answering the first
question from a warm cache. Yet cutting a text looks up nothing but words that occur in it: the
DAG holds the dictionary words starting at each character, the route weighs them by
log(freq) - log(total), search mode checks the text's 2- and 3-grams, HMM uses its own tables.
So an empty rjieba given exactly the dictionary words found in the text, with their
frequencies, plus one word no text contains that carries the rest of the total, cuts the text
exactly as the whole dictionary does.

`Lexicon` is the dictionary (jieba's dict.txt, which rjieba embeds) with the frequencies the
segmenter's own words (speaker names, roles) end up with, stored in the index cache.
`PartialJieba` feeds a fresh `rjieba.Jieba.empty()` from it, text by text, and loads the whole
dictionary once a process has cut more than a few questions' worth of texts. Each lexicon is
checked against the whole dictionary on a sample of the corpus before it is stored; a
mismatch means no lexicon, never different tokens.
"""
from __future__ import annotations

import hashlib
import importlib.util
import logging
import os
import shutil
import threading
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from .backends import rjieba_class
from .columns import StringTable
from .store import DamagedStore, load_arrays, pack_strings, save_arrays, unpack_strings

log = logging.getLogger(__name__)

FILLER = "\U000f0000\U000f0001"   # private-use characters: in no text, carries the rest of the total
# Distinct texts looked up in a partial dictionary before the whole one is loaded (0.1-0.2 s, once):
# a question's words are found by one hashed lookup of its pieces (~0.1 ms), the whole dictionary
# then cuts it in ~0.01 ms, so a process answering more than a few dozen questions switches.
SWITCH_AFTER = 60
CHECK_TEXTS = 300                # corpus texts cut both ways before a lexicon is trusted
DICTIONARY_FORMAT = 3            # 3: words as a string table findable by CRC-32, with parts of speech


@dataclass(frozen=True)
class Dictionary:
    """jieba's dict.txt as sorted words, their frequencies and parts of speech."""

    words: StringTable        # sorted, findable by hash; memory-mapped when loaded (no decoding at start)
    freqs: np.ndarray
    longest: int              # characters in the longest word
    tags: np.ndarray          # each word's part of speech, a number into tag_names
    tag_names: tuple[str, ...]


class Lexicon:
    """Word frequencies as rjieba holds them once the segmenter's words are added."""

    def __init__(self, base: "Dictionary | Callable[[], Dictionary | None]", added: list[str],
                 added_freqs: list[int], total: int, tagger_total: int | None = None,
                 recent: "_Recent | None" = None) -> None:
        self._base = base                     # or a function that loads it when first needed
        # The base words of the last texts looked up, shared with the tagger's lexicon: a question
        # is cut for its terms and its tokens and tagged, three lookups of the same text.
        self._recent = recent if recent is not None else _Recent()
        self.added = added                    # the segmenter's words, in the order it adds them
        self.overrides = dict(zip(added, added_freqs))
        self.added_sorted = sorted(added)
        self.added_longest = max(map(len, added), default=0)
        self.total = total
        # The whole dictionary's total, when a partial one was checked to tag as rjieba.tag does.
        self.tagger_total = tagger_total

    def tagger(self) -> "Lexicon":
        """The dictionary alone (rjieba.tag's: none of the segmenter's words), sharing this base."""
        assert self.tagger_total is not None
        return Lexicon(lambda: self.base, [], [], self.tagger_total, recent=self._recent)

    @property
    def base(self) -> Dictionary:
        if not isinstance(self._base, Dictionary):
            loaded = self._base()
            if loaded is None:
                raise DamagedStore("the stored dictionary is missing")
            self._base = loaded
        return self._base

    def entries(self, text: str) -> dict[str, tuple[int, str | None]]:
        """Every dictionary word that occurs in the text, with its frequency and part of speech (None for
        the segmenter's words); DamagedStore if it cannot tell."""
        found: dict[str, tuple[int, str | None]] = dict(self._base_entries(text))
        _walk(self.added_sorted, text, self.added_longest,
              lambda k, word: found.__setitem__(word, (self.overrides[word], None)))
        return found

    def _base_entries(self, text: str) -> list[tuple[str, tuple[int, str]]]:
        """(word, (frequency, part of speech)) of each base dictionary word in the text, in text order."""
        held = self._recent.get(text)
        if held is not None:
            return held
        base = self.base
        present = _present(base.words, text, base.longest)
        numbers = np.array([k for k, _ in present], dtype=np.int64)
        names = base.tag_names
        held = [(word, (freq, names[tag])) for (_, word), freq, tag in
                zip(present, base.freqs[numbers].tolist(), base.tags[numbers].tolist())]
        self._recent.put(text, held)
        return held

    # ------------------------------------------------------------ on disk

    def save(self, folder: Path) -> int:
        """The segmenter's part (the base dictionary is shared, see `base_dictionary`)."""
        arrays = {f"added_{k}": v for k, v in pack_strings(self.added).items()}
        arrays["added_freqs"] = np.array([self.overrides[w] for w in self.added], dtype=np.int64)
        return save_arrays(folder, "lexicon", arrays, {"total": self.total, "tagger_total": self.tagger_total})

    @classmethod
    def load(cls, folder: Path, base: "Dictionary | Callable[[], Dictionary | None]") -> "Lexicon":
        arrays, meta = load_arrays(folder, "lexicon")
        try:
            added = unpack_strings(arrays["added_blob"], arrays["added_offsets"])
            tagger_total = meta.get("tagger_total")
            return cls(base, added, arrays["added_freqs"].tolist(), int(meta["total"]),
                       None if tagger_total is None else int(tagger_total))
        except (KeyError, TypeError, ValueError) as exc:
            raise DamagedStore(f"lexicon: {type(exc).__name__}: {exc}") from None


class _Recent:
    """A few texts' lookups, the oldest dropped first (locked: the cutter and the tagger share it)."""

    def __init__(self, size: int = 16) -> None:
        self._size = size
        self._held: dict[str, list] = {}
        self._lock = threading.Lock()

    def get(self, text: str) -> list | None:
        return self._held.get(text)

    def put(self, text: str, value: list) -> None:
        with self._lock:
            if len(self._held) >= self._size:
                del self._held[next(iter(self._held))]
            self._held[text] = value


def _present(words: StringTable, text: str, longest: int) -> list[tuple[int, str]]:
    """(number, word) of each word of the table that occurs in the text, by position, then length.

    Every piece of the text up to `longest` characters is looked up in one hashed search: bisecting
    the memory-mapped table decoded a word per step, ~18 per piece (0.5 ms for a short question)."""
    n = len(text)
    pieces = [text[i:j] for i in range(n) for j in range(i + 1, min(n, i + longest) + 1)]
    return [(k, piece) for k, piece in zip(words.find(pieces), pieces) if k is not None]


def _walk(words: Sequence[str], text: str, longest: int, found: Callable[[int, str], None]) -> None:
    """Report each word of the sorted list that occurs in the text (a trie walk by bisection)."""
    n, size = len(text), len(words)
    for i in range(n):
        lo = 0
        for j in range(i + 1, min(n, i + longest) + 1):
            piece = text[i:j]
            k = bisect_left(words, piece, lo)
            if k == size:
                break
            word = words[k]
            if word == piece:
                found(k, word)
            elif not word.startswith(piece):
                break
            lo = k


class PartialJieba:
    """Quacks like rjieba.Jieba for the Segmenter, holding only the words of the texts cut so far."""

    def __init__(self, lexicon: Lexicon, load_whole: Callable[[], object], switch_after: int | None = None,
                 tags: bool = False) -> None:
        self.lexicon = lexicon
        self._tags = tags              # words added with their parts of speech (for `tag`)
        self._load_whole = load_whole
        self._switch_after = SWITCH_AFTER if switch_after is None else switch_after
        self._partial = rjieba_class().empty()
        self._have: set[str] = set()
        self._held: set[str] = set()   # texts whose words it holds already (a question is cut twice)
        self._sum = 0
        self._cut = 0
        self._pending: list[str] = []
        self._whole = None
        # The partial instance grows with each text and may be swapped for the whole dictionary:
        # rjieba cannot add a word while another thread cuts ("Already borrowed"), so while it is
        # partial every use goes through this lock. The whole dictionary, once loaded, never changes.
        self._lock = threading.RLock()

    @property
    def whole(self) -> bool:
        return self._whole is not None

    def add_word(self, word: str, freq: int | None = None, tag: str | None = None) -> int:
        with self._lock:
            return self._add_word(word, freq, tag)

    def _add_word(self, word: str, freq: int | None, tag: str | None) -> int:
        if self._whole is not None:
            return self._whole.add_word(word, freq, tag)
        self._pending.append(word)
        # Stored frequencies hold only for the same words added in the same order.
        n, expected = len(self._pending), self.lexicon.added
        if freq is not None or n > len(expected) or expected[n - 1] != word:
            self.load_whole()
            return self._whole.add_word(word, freq, tag)  # type: ignore[union-attr]
        return self.lexicon.overrides[word]

    def add_words(self, words: list[str]) -> None:
        """`add_word` for each, at once when they are the lexicon's own (a start from the cache)."""
        with self._lock:
            if self._whole is None and not self._pending and words == self.lexicon.added:
                self._pending = list(words)
                return
            for word in words:
                self._add_word(word, None, None)

    def cut(self, text: str, hmm: bool = True) -> list[str]:
        whole = self._whole
        if whole is None:
            with self._lock:
                return self._for(text).cut(text, hmm)
        return whole.cut(text, hmm)

    def cut_for_search(self, text: str, hmm: bool = True) -> list[str]:
        whole = self._whole
        if whole is None:
            with self._lock:
                return self._for(text).cut_for_search(text, hmm)
        return whole.cut_for_search(text, hmm)

    def tag(self, text: str, hmm: bool = True) -> list[tuple[str, str]]:
        whole = self._whole
        if whole is None:
            with self._lock:
                return self._for(text).tag(text, hmm)
        return whole.tag(text, hmm)

    def load_whole(self) -> None:
        """Switch to the whole dictionary, with the segmenter's words added as it added them."""
        with self._lock:
            if self._whole is None:
                whole = self._load_whole()
                for word in self._pending:
                    whole.add_word(word, None, None)
                self._whole, self._partial, self._have, self._held = whole, None, set(), set()

    def _for(self, text: str):
        if self._whole is None:
            held = text in self._held
            self._cut += not held      # texts looked up: what the partial dictionary costs
            if self._cut > self._switch_after or len(self._pending) != len(self.lexicon.added):
                self.load_whole()
        if self._whole is not None:
            return self._whole
        if held:
            return self._partial
        try:
            entries = self.lexicon.entries(text)
        except DamagedStore as exc:
            log.warning("partial dictionary unusable (%s); loading the whole one", exc)
            self.load_whole()
            return self._whole
        new = {w: e for w, e in entries.items() if w not in self._have}
        if new:
            for word, (freq, tag) in new.items():
                self._partial.add_word(word, freq, tag if self._tags else None)
            self._have.update(new)
            self._sum += sum(freq for freq, _ in new.values())
            self._partial.add_word(FILLER, self.lexicon.total - self._sum, None)
        if len(self._held) >= 4096:
            self._held.clear()
        self._held.add(text)
        return self._partial


# ---------------------------------------------------------------- building


class _Cutting(Protocol):
    """What a lexicon needs of a Segmenter (named so the segmenter's module need not be imported here)."""

    backend: str
    hmm: bool

    @property
    def words(self) -> frozenset[str]: ...


def dictionary_file() -> Path | None:
    """jieba's dict.txt: the dictionary rjieba embeds (checked on a sample before use)."""
    spec = importlib.util.find_spec("jieba")
    if spec is None or not spec.origin:
        return None
    path = Path(spec.origin).parent / "dict.txt"
    return path if path.is_file() else None


def base_dictionary(cache_root: Path, build: bool = True) -> Dictionary | None:
    """dict.txt's words and frequencies, parsed once per cache folder and kept there.

    None when jieba's dict.txt is missing, or when it is not stored yet and `build` is false.
    """
    source = dictionary_file()
    if source is None:
        return None
    stat = source.stat()
    stamp = hashlib.sha1(f"{DICTIONARY_FORMAT}|{source}|{stat.st_size}|{stat.st_mtime_ns}".encode()).hexdigest()[:16]
    folder = cache_root / f"dictionary-{stamp}"
    try:
        arrays, meta = load_arrays(folder, "words", mapped=True)
        words = StringTable.from_arrays(arrays, "words")
        if words.hashes is None or not len(arrays["freqs"]) == len(arrays["tags"]) == len(words):
            raise ValueError("dictionary arrays do not agree")
        return Dictionary(words, arrays["freqs"], int(meta["longest"]), arrays["tags"], tuple(meta["tag_names"]))
    except (DamagedStore, KeyError, TypeError, ValueError):
        if not build:
            return None
    entries: dict[str, tuple[int, str]] = {}
    for line in source.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if parts:
            entries[parts[0]] = (int(parts[1]) if len(parts) > 1 else 0, parts[2] if len(parts) > 2 else "")
    words = sorted(entries)
    tag_names = tuple(sorted({tag for _, tag in entries.values()}))
    number = {tag: n for n, tag in enumerate(tag_names)}
    table = StringTable.pack(words, findable=True)
    dictionary = Dictionary(table, np.array([entries[w][0] for w in words], dtype=np.int64), max(map(len, words)),
                            np.array([number[entries[w][1]] for w in words], dtype=np.uint8), tag_names)
    arrays = {**table.arrays("words"), "freqs": dictionary.freqs, "tags": dictionary.tags}
    temp = folder.with_name(f"{folder.name}.tmp-{os.getpid()}")
    try:
        temp.mkdir(parents=True, exist_ok=True)
        save_arrays(temp, "words", arrays, {"source": str(source), "longest": dictionary.longest,
                                            "tag_names": list(tag_names)})
        os.rename(temp, folder)
    except OSError as exc:
        log.debug("dictionary not cached: %s", exc)
    finally:
        shutil.rmtree(temp, ignore_errors=True)
    return dictionary


def lexicon_for(segmenter: _Cutting, cache_root: Path, sample: Sequence[str]) -> Lexicon | None:
    """The segmenter's lexicon if it cuts the sample exactly as the whole dictionary does, else None."""
    if segmenter.backend != "rjieba":
        return None
    base = base_dictionary(cache_root)
    if base is None:
        return None
    words, freqs = list(base.words), base.freqs   # decoded once to bisect for the segmenter's words
    whole = rjieba_class()()
    added = sorted(segmenter.words)  # the order Segmenter.cutter adds them in
    added_freqs = [whole.add_word(w, None, None) for w in added]
    # total as rjieba keeps it: the sum of every word's current frequency
    total = int(freqs.sum())
    for word, freq in zip(added, added_freqs):
        k = bisect_left(words, word)
        total += freq - (int(freqs[k]) if k < len(words) and words[k] == word else 0)
    lexicon = Lexicon(base, added, added_freqs, total, int(freqs.sum()))
    partial = PartialJieba(lexicon, lambda: None, switch_after=10**9)
    for word in added:
        partial.add_word(word, None, None)
    for text in sample:
        if partial.cut_for_search(text, segmenter.hmm) != whole.cut_for_search(text, segmenter.hmm) or \
                partial.cut(text, segmenter.hmm) != whole.cut(text, segmenter.hmm):
            log.info("partial dictionary disagrees with rjieba on %r; start-up loads the whole one", text[:40])
            return None
    # Parts of speech as rjieba.tag gives them (the dictionary alone), for the question's naming words.
    tagger, plain = PartialJieba(lexicon.tagger(), lambda: None, switch_after=10**9, tags=True), rjieba_class()()
    if any(tagger.tag(text) != plain.tag(text) for text in sample):
        log.info("partial dictionary tags differently from rjieba; questions are tagged with the whole one")
        lexicon.tagger_total = None
    return lexicon
