"""Phrase evidence: the question's own words as written, found next to each other in a passage.

BM25 scores words one by one, so a passage holding the question's words side by side (浙江徐力弑母事件)
ties with one holding them pages apart. Here each pair of neighbouring question words with at least
one content word in it (a word bigram of the question as written) is looked up in the passage's text,
and the share found is the phrase evidence; a quotation the question gives is looked up whole.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

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


def coverage(text: str, pairs: tuple[str, ...]) -> float:
    """Share of the pairs that `text` (squeezed) holds as written."""
    return sum(p in text for p in pairs) / len(pairs) if pairs else 0.0


def quotes_in(text: str, quotations: tuple[str, ...]) -> bool:
    """Whether `text` (squeezed) holds one of the quotations word for word."""
    return any(q in text for q in quotations)


def rerank(hits: list[tuple[int, float]], text_of, said: Phrases, weight: float) -> list[tuple[int, float]]:
    """Hits rescored on phrase evidence, best first: score x (1 + weight x coverage), and a passage
    quoting the question verbatim above every passage that does not."""
    if not hits or not said:
        return hits
    rescored: list[tuple[int, float, bool]] = []
    for i, score in hits:
        text = squeeze(text_of(i))
        quoted = quotes_in(text, said.quotations)
        rescored.append((i, score * (1 + weight * coverage(text, said.pairs)), quoted))
    lift = max(s for _, s, _ in rescored)   # a lookup: containing the quotation beats any score
    out = [(i, s + lift if quoted else s) for i, s, quoted in rescored]
    return sorted(out, key=lambda h: (-h[1], h[0]))
