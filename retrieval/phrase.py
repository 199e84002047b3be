"""Phrase evidence: the question's own words as written, found next to each other in a passage.

BM25 scores words one by one, so a passage holding the question's words side by side (浙江徐力弑母事件)
ties with one holding them pages apart. Here each pair of neighbouring question words with at least
one content word in it (a word bigram of the question as written) is looked up in the passage's text,
and the share found is the phrase evidence; a quotation the question gives is looked up whole.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .columns import StringTable
from .segment import Token

# A quotation the reader typed: “……” (or "……", 「……」, 『……』).
_QUOTED = re.compile(r"[“\"「『]([^”\"」』]+)[”\"」』]")
# What is not a letter, digit or CJK character: punctuation and spaces are ignored in matching,
# so a quotation typed with other punctuation still matches.
_NOT_WORD = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class Phrases:
    """What a question says as written: its neighbouring word pairs and the quotations it gives."""

    pairs: tuple[str, ...] = ()
    quotations: tuple[str, ...] = ()
    naming: frozenset[str] = frozenset()   # index terms of the words that can name an article (scope.naming_words)
    titled: tuple[str, ...] = ()           # terms for the title match only (a role given shortened, 村支书)

    def __bool__(self) -> bool:
        return bool(self.pairs or self.quotations)


def squeeze(text: str) -> str:
    """Text without punctuation and spaces, lower-cased: the form runs are matched in."""
    return _NOT_WORD.sub("", text).lower()


def phrases(tokens: Sequence[Token], question: str, min_quote: int = 4) -> Phrases:
    """The topic's neighbouring word pairs (not across punctuation, at least one a content word), and the
    question's quotations of `min_quote`+ characters."""
    pairs: list[str] = []
    for a, b in zip(tokens, tokens[1:]):
        left, right = squeeze(a.surface), squeeze(b.surface)
        if left and right and len(left) == len(a.surface.strip()) and len(right) == len(b.surface.strip()) \
                and (a.term or b.term):
            pairs.append(left + right)
    quotes = tuple(q for q in (squeeze(m) for m in _QUOTED.findall(question)) if len(q) >= min_quote)
    return Phrases(tuple(dict.fromkeys(pairs)), quotes)


# Texts are scanned joined by NUL (never a word character): a run may have anything squeeze drops
# between its characters, short of the separator, so one regular-expression scan finds every text
# whose squeezed form holds it.
SEP = "\x00"
_GAP = r"(?:[^\w\x00]|_)*"


class Texts:
    """Candidate passages' texts, searched for squeezed runs all at once."""

    def __init__(self, joined: str, count: int, text_of: Callable[[int], str]) -> None:
        parts = joined.split(SEP)
        # A text holding NUL itself (never seen in a transcript) would break the join: such a batch is
        # squeezed text by text instead.
        self.parts = parts if len(parts) == count else [text_of(i) for i in range(count)]
        self.joined = joined if len(parts) == count else None
        lengths = np.fromiter(map(len, parts), dtype=np.int64, count=len(parts))
        self.starts = np.cumsum(lengths + 1) - (lengths + 1)
        self._squeezed: list[str] | None = None

    def holding(self, run: str) -> np.ndarray:
        """Which texts hold `run` (squeezed) in their squeezed form."""
        found = np.zeros(len(self.parts), dtype=bool)
        # No cased character lower-cases to an uncased one (checked over all of Unicode), so a run
        # without cased characters is found in the raw text exactly as in the squeezed, lowered text.
        if self.joined is not None and run == run.upper():
            pattern = re.compile(_GAP.join(map(re.escape, run)))
            at = [m.start() for m in pattern.finditer(self.joined)]
            found[np.searchsorted(self.starts, at, side="right") - 1] = True
            return found
        if self._squeezed is None:
            self._squeezed = [squeeze(t) for t in self.parts]
        found[:] = [run in t for t in self._squeezed]
        return found


def rerank(ids: np.ndarray, scores: np.ndarray, texts: StringTable, said: Phrases, weight: float
           ) -> list[tuple[int, float]]:
    """Hits (unit ids, scores) rescored on phrase evidence, best first: score x (1 + weight x share of
    the pairs found side by side), and a passage quoting the question verbatim above every passage
    that does not."""
    if len(ids) and said:
        found = _texts(ids, texts)
        scores = _rescored(found, scores, said, weight)
        quoted = np.zeros(len(ids), dtype=bool)
        for q in said.quotations:
            quoted |= found.holding(q)
        if quoted.any():   # a lookup: containing the quotation beats any score
            scores = np.where(quoted, scores + scores.max(), scores)
    return _ranked(ids, scores)


def _texts(ids: np.ndarray, texts: StringTable) -> Texts:
    return Texts(texts.joined(ids, SEP), len(ids), lambda k: texts[int(ids[k])])


def _rescored(found: Texts, scores: np.ndarray, said: Phrases, weight: float) -> np.ndarray:
    """The scores of the texts `found` times their phrase factor, 1 + weight x the share of the pairs held."""
    if not said.pairs:
        return scores
    share = sum(found.holding(p).astype(np.int64) for p in said.pairs) / len(said.pairs)
    return scores * (1 + weight * share)


Hits = list[tuple[int, float]]


def _ranked(ids: np.ndarray, scores: np.ndarray) -> Hits:
    """(id, score) best first, ties to the lower id."""
    order = np.lexsort((ids, -scores))
    return list(zip(ids[order].tolist(), scores[order].tolist()))


class PhraseRanking:
    """`rerank` done only as far as an answer reads it.

    The phrase factor is at most 1 + weight, so once the best candidates by base score are rescored,
    those standing above every other's base score x (1 + weight) are `rerank`'s first hits, in its
    order (the settled head): candidates are rescored in that order, `first` and then as many again
    each round (fewer rounds cost less than the texts they would leave undecoded), and much of a pool
    of 300 is never decoded (decoding was half the rerank's time). A
    quotation lifts a passage by the best score of all, and a negative score grows less than its
    bound: both rescore every candidate at once, as does a small pool."""

    def __init__(self, ids: np.ndarray, scores: np.ndarray, texts: StringTable, said: Phrases, weight: float,
                 first: int = 64) -> None:
        order = np.lexsort((ids, -scores))
        self.ids, self.base = ids[order], scores[order]        # best base score first
        self.texts, self.said, self.weight, self.first = texts, said, weight, first
        self.exact = np.full(len(ids), np.nan)                # rescored so far (NaN: not yet)
        self.done = 0                                         # the first `done` are rescored
        self.whole: Hits | None = None                        # rerank's whole list, once known
        # A pool a round or two would decode anyway is rescored in one go (each round costs ~20 µs).
        if said.quotations or len(ids) <= 2 * first or self.base[-1] < 0:
            self.whole = rerank(self.ids, self.base, texts, said, weight)

    def head(self, enough: Callable[[np.ndarray], bool]) -> Hits:
        """The settled head, grown until `enough` accepts its unit ids (in any order); rerank's whole
        list when it never does."""
        while self.whole is None:
            self.done = min(len(self.ids), max(self.first, 2 * self.done))
            self._rescore(np.arange(self.done))
            if self.done == len(self.ids):
                self.whole = _ranked(self.ids, self.exact)
                break
            settled = self._settled()
            if enough(self.ids[settled]):
                return _ranked(*self._at(settled))
        return self.whole

    def adding(self, wanted: np.ndarray) -> Hits:
        """The settled head and the candidates `wanted` picks (a mask over `ids`), rescored, in rerank's
        order: a candidate outside the head scores below all of it, so they are rerank's hits in order."""
        if self.whole is not None:
            return self.whole
        picked = np.flatnonzero(wanted)
        self._rescore(picked)
        return _ranked(*self._at(np.union1d(self._settled(), picked)))

    def _settled(self) -> np.ndarray:
        """Positions of the rescored candidates above every unrescored candidate's bound."""
        bound = self.base[self.done] * (1 + self.weight) if self.done < len(self.ids) else -np.inf
        return np.flatnonzero(self.exact[: self.done] > bound)

    def _rescore(self, positions: np.ndarray) -> None:
        new = positions[np.isnan(self.exact[positions])]
        if len(new):
            self.exact[new] = _rescored(_texts(self.ids[new], self.texts), self.base[new], self.said, self.weight)

    def _at(self, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return self.ids[positions], self.exact[positions]
