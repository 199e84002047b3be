"""Word segmentation: one function for passages and questions, speaker names kept whole."""
from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import accumulate
from typing import NamedTuple, Protocol

from .backends import rjieba_class
from .errors import ConfigError
from .options import setting
from .tables import stopwords

BACKENDS = ("jieba", "rjieba")

STOPWORDS = stopwords()

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORDISH = re.compile(rf"[{_CJK}0-9a-z]")
_MEMO_LIMIT = 2_000_000   # distinct pieces remembered before the memo starts over


class _Cutter(Protocol):
    def cut(self, text: str, hmm: bool = True) -> Iterable[str]: ...


class _Tagger(Protocol):
    def tag(self, text: str) -> list[tuple[str, str]]: ...


class _PosegTagger:
    """jieba.posseg as a tagger (the jieba backend without rjieba: the same dictionary, slower)."""

    def tag(self, text: str) -> list[tuple[str, str]]:
        import jieba.posseg

        return [(p.word, p.flag) for p in jieba.posseg.cut(text)]


class Token(NamedTuple):
    """A piece of a text (a named tuple: excerpts make tens of thousands of them a second)."""

    surface: str            # as it appears in the text
    term: str | None        # index term, or None for punctuation, spaces and stopwords


class _FoldTable(dict):
    """code point -> its own NFKC form (itself when unchanged), filled as characters are met."""

    def __missing__(self, code: int) -> int | str:
        char = chr(code)
        form = unicodedata.normalize("NFKC", char)
        folded = self[code] = code if form == char else form
        return folded


_FOLDS = _FoldTable()


def fold(text: str) -> str:
    """NFKC: full-width letters, digits and signs as their ASCII forms (a no-op for most text)."""
    if unicodedata.is_normalized("NFKC", text):
        return text
    # Each character replaced by its own NFKC form first (twice as fast as `normalize` on the
    # corpus' paragraphs, nearly all of which hold a full-width comma): the NFKD of that text is
    # the original's (NFKD of a character's NFKC form is its NFKD), so their NFKC forms agree.
    text = text.translate(_FOLDS)
    return text if unicodedata.is_normalized("NFKC", text) else unicodedata.normalize("NFKC", text)


def fold_in_place(text: str) -> str | None:
    """`fold(text)` when it replaces each character by one (its own NFKC form), else None.

    Any piece of it in NFKC is then the fold of the same piece of the text (see `fold`)."""
    if unicodedata.is_normalized("NFKC", text):
        return text
    folded = text.translate(_FOLDS)
    return folded if len(folded) == len(text) and unicodedata.is_normalized("NFKC", folded) else None


def normalize_term(surface: str) -> str:
    """Fold full-width forms and case so ２００３ and 2003, ＡＢ and ab match."""
    return unicodedata.normalize("NFKC", surface).strip().lower()


@dataclass(frozen=True)
class SegmentOptions:
    """How passages and questions are cut into words."""

    backend: str = setting("rjieba", choices=("rjieba", "jieba"),
                           help="rjieba (jieba's dictionary in Rust, faster start) or jieba (the reference)")
    hmm: bool = setting(True, help="let the segmenter guess words missing from its dictionary (jieba's HMM)")
    subwords: bool = setting(True, help="index long words' dictionary sub-words too (惩治腐败 -> 腐败)")
    extra_words: tuple[str, ...] = setting((), help="words never to split, besides speakers' names")
    extra_stopwords: tuple[str, ...] = setting((), help="words to ignore besides the built-in function words")

    def segmenter(self, cache_dir: str | None = None) -> "Segmenter":
        return Segmenter(self.backend, hmm=self.hmm, subwords=self.subwords, words=self.extra_words,
                         stopwords=STOPWORDS | set(self.extra_stopwords), cache_dir=cache_dir)


class Segmenter:
    """A private segmenter instance (no global jieba state), loaded on first use."""

    def __init__(
        self,
        backend: str = "jieba",
        *,
        hmm: bool = True,
        subwords: bool = True,
        words: Iterable[str] = (),
        stopwords: Iterable[str] = STOPWORDS,
        cache_dir: str | None = None,
    ) -> None:
        if backend not in BACKENDS:
            raise ConfigError(f"unknown segmentation backend {backend!r}; choose from {', '.join(BACKENDS)}")
        self.backend = backend
        self.hmm = hmm
        self.subwords = subwords
        self.stopwords = frozenset(stopwords)
        self.cache_dir = cache_dir
        self._words: set[str] = set()
        self._cutter: _Cutter | None = None
        self._loading = threading.Lock()   # many threads may ask for the first cut at once
        self._lexicon = None  # see use_lexicon
        self._tagger: _Tagger | None = None   # see tag
        # piece -> its term ("" when dropped): a corpus has a few hundred thousand distinct
        # pieces and millions of occurrences, so normalising each piece once pays off.
        self._memo: dict[str, str] = {}
        self.add_words(words)

    def add_words(self, words: Iterable[str]) -> None:
        """Teach the dictionary names and roles so they are never split."""
        with self._loading:
            new = {w.strip() for w in words if w and len(w.strip()) > 1} - self._words
            self._words |= new
            if self._cutter is not None:
                for word in sorted(new):
                    self._add(self._cutter, word)

    @property
    def words(self) -> frozenset[str]:
        return frozenset(self._words)

    def tokens(self, text: str) -> list[Token]:
        """Every piece of the text, in order, with its index term (None when dropped).

        The text is cut as `terms` cuts it (full-width forms folded) wherever folding keeps
        every character in place, so ２００３年 is one piece 2003 here as in the index.
        """
        folded = fold(text)
        if len(folded) != len(text):
            folded = text
        found, at = [], 0
        for piece in self._cut(folded):
            end = at + len(piece)
            found.append(Token(text[at:end], self.term_of(piece)))
            at = end
        return found

    def pieces(self, text: str) -> list[str]:
        """The pieces `tokens` cuts the text into (of the folded text where folding keeps its length)."""
        folded = fold(text)
        return self._cut(folded if len(folded) == len(text) else text)

    def term_of(self, piece: str) -> str | None:
        """The index term of one piece `tokens` cut, or None when it is dropped (remembered)."""
        term = self._memo.get(piece)
        if term is None:
            if len(self._memo) > _MEMO_LIMIT:
                self._memo.clear()
            term = self._memo[piece] = self._term(piece) or ""
        return term or None

    def terms(self, text: str) -> list[str]:
        """The index terms of a text: what both passages and questions are reduced to.

        With subwords on, long words also give their dictionary sub-words (jieba's search
        mode), so 惩治腐败 in a passage is found by 腐败 in a question and the other way round.
        Full-width letters and digits are folded first, as questions are: the segmenter would
        otherwise cut ２００３ into four digits that a question's 2003 never matches.
        """
        text = fold(text)
        return self._terms_of(self._cut_for_search(text) if self.subwords else self._cut(text))

    def _terms_of(self, pieces: list[str]) -> list[str]:
        """The terms of the pieces, in order (dropped ones left out), from the memo where it holds them."""
        memo = self._memo   # filter(None, map(...)): no Python frame per piece
        try:
            return list(filter(None, map(memo.__getitem__, pieces)))
        except KeyError:
            if len(memo) > _MEMO_LIMIT:
                memo.clear()
            for piece in set(pieces).difference(memo):
                memo[piece] = self._term(piece) or ""
        try:
            return list(filter(None, map(memo.__getitem__, pieces)))
        except KeyError:   # another thread cleared the memo meanwhile
            return list(filter(None, map(self._term, pieces)))

    def terms_and_ends(self, text: str) -> tuple[list[str], list[int], str | None]:
        """`terms(text)`, where the pieces of `fold(text)` end (its precise cut, as `pieces` cuts a
        text), and `fold_in_place(text)`: what indexing a passage needs, the text folded once."""
        in_place = fold_in_place(text)
        text = in_place if in_place is not None else fold(text)
        terms = self._terms_of(self._cut_for_search(text) if self.subwords else self._cut(text))
        return terms, list(accumulate(map(len, self._cut(text)))), in_place

    def _term(self, piece: str) -> str | None:
        term = normalize_term(piece)
        if not term or term in self.stopwords or not _WORDISH.search(term):
            return None
        return term

    def _cut(self, text: str) -> list[str]:
        if self.backend == "rjieba":
            return self.cutter.cut(text, self.hmm)
        return list(self.cutter.cut(text, HMM=self.hmm))

    def _cut_for_search(self, text: str) -> list[str]:
        if self.backend == "rjieba":
            return self.cutter.cut_for_search(text, self.hmm)
        return list(self.cutter.cut_for_search(text, HMM=self.hmm))

    @property
    def cutter(self) -> _Cutter:
        if self._cutter is None:
            with self._loading:
                if self._cutter is None:
                    cutter = self._load()
                    words = sorted(self._words)
                    if hasattr(cutter, "add_words"):   # a PartialJieba: its stored words in one go
                        cutter.add_words(words)
                    else:
                        for word in words:
                            self._add(cutter, word)
                    self._cutter = cutter   # published only once it holds every word
        return self._cutter

    def tag(self, text: str) -> list[tuple[str, str]]:
        """(word, part of speech) as `rjieba.tag` gives them: jieba's dictionary alone, none of this
        segmenter's words (jieba.posseg without rjieba)."""
        return self.tagger.tag(text)

    @property
    def tagger(self) -> _Tagger:
        if self._tagger is None:
            with self._loading:
                if self._tagger is None:
                    self._tagger = self._load_tagger()
        return self._tagger

    def _load_tagger(self) -> _Tagger:
        lexicon = self._lexicon
        if lexicon is not None and lexicon.tagger_total is not None:
            from .lexicon import PartialJieba   # the stored dictionary's words of each text, as for cutting

            return PartialJieba(lexicon.tagger(), lambda: rjieba_class()(), tags=True)
        try:
            return rjieba_class()()   # the dictionary `rjieba.tag` uses, without its module's own copy
        except ImportError:
            return _PosegTagger()

    def use_lexicon(self, lexicon) -> None:
        """Start from the words of a `retrieval.lexicon.Lexicon` instead of the whole dictionary.

        Cuts are the same (the lexicon was checked against the whole dictionary when stored);
        only start-up is shorter. No effect once the dictionary is loaded, or with jieba.
        """
        if self.backend == "rjieba" and self._cutter is None:
            self._lexicon = lexicon
            with self._loading:   # its words are this segmenter's words when it was stored
                self._words |= set(lexicon.added)

    @property
    def holds_stored_words(self) -> bool:
        """Whether its words came from a stored lexicon (which holds the corpus' speaker names already)."""
        return self._lexicon is not None

    def preload(self) -> None:
        """Load the whole dictionary and tagger now, which a stored lexicon otherwise loads inside
        some later answer (a long-running process, once its first answer is out)."""
        for loaded in (self.cutter, self.tagger):
            if hasattr(loaded, "load_whole"):
                loaded.load_whole()

    def _load(self) -> _Cutter:
        if self.backend == "rjieba":
            if self._lexicon is not None:
                from .lexicon import PartialJieba

                return PartialJieba(self._lexicon, lambda: rjieba_class()())
            return rjieba_class()()
        import jieba

        jieba.setLogLevel(logging.WARNING)
        tokenizer = jieba.Tokenizer()
        if self.cache_dir and _writable_dir(self.cache_dir):
            tokenizer.tmp_dir = self.cache_dir
        tokenizer.initialize()
        return tokenizer

    def _add(self, cutter: _Cutter, word: str) -> None:
        if self.backend == "rjieba":
            cutter.add_word(word, None, None)
        else:
            cutter.add_word(word)


def _writable_dir(path: str) -> bool:
    """Create the cache folder if needed; False when that is not possible (jieba then uses /tmp)."""
    import os

    try:
        os.makedirs(path, exist_ok=True)
    except OSError:
        return False
    return os.access(path, os.W_OK)
