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
        found = Texts(texts.joined(ids, SEP), len(ids), lambda k: texts[int(ids[k])])
        if said.pairs:
            share = sum(found.holding(p).astype(np.int64) for p in said.pairs) / len(said.pairs)
            scores = scores * (1 + weight * share)
        quoted = np.zeros(len(ids), dtype=bool)
        for q in said.quotations:
            quoted |= found.holding(q)
        if quoted.any():   # a lookup: containing the quotation beats any score
            scores = np.where(quoted, scores + scores.max(), scores)
    order = np.lexsort((ids, -scores))
    return list(zip(ids[order].tolist(), scores[order].tolist()))
