"""Phrase evidence: the question's own words as written, found as runs of characters in a passage.

BM25 scores words one by one, so a passage holding the question's compound verbatim (差额选举) ties
with one holding its parts apart. Here the question's text is matched as written: the share of it
that a passage contains in runs of a few characters or more, and any quotation it gives verbatim.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# A quotation the reader typed: “……” (or "……", 「……」, 『……』).
_QUOTED = re.compile(r"[“\"「『]([^”\"」』]+)[”\"」』]")
# What is not a letter, digit or CJK character: punctuation and spaces split runs and are ignored
# inside quotations, so a quotation typed with other punctuation still matches.
_NOT_WORD = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class Phrases:
    """What a question says as written: its runs of text and the quotations it gives."""

    runs: tuple[str, ...]
    quotations: tuple[str, ...]

    def __bool__(self) -> bool:
        return bool(self.runs or self.quotations)


def squeeze(text: str) -> str:
    """Text without punctuation and spaces, lower-cased: the form runs are matched in."""
    return _NOT_WORD.sub("", text).lower()


def phrases(topic: str, question: str, min_quote: int = 4) -> Phrases:
    """The topic's runs between punctuation, and the question's quotations of `min_quote`+ characters."""
    runs = tuple(r for r in (squeeze(p) for p in _NOT_WORD.split(topic)) if len(r) >= 2)
    quotes = tuple(q for q in (squeeze(m) for m in _QUOTED.findall(question)) if len(q) >= min_quote)
    return Phrases(runs, quotes)


def coverage(text: str, runs: tuple[str, ...], min_len: int) -> float:
    """Share of the runs' characters that `text` (squeezed) contains in pieces of `min_len`+ characters."""
    total = sum(len(r) for r in runs)
    if not total:
        return 0.0
    covered = 0
    for run in runs:
        covered += _covered(text, run, min_len)
    return covered / total


def _covered(text: str, run: str, min_len: int) -> int:
    """Characters of `run` inside some substring of it, min_len long or more, that occurs in `text`."""
    marked = [False] * len(run)
    start = 0
    while start <= len(run) - min_len:
        end = start + min_len
        if run[start:end] not in text:
            start += 1
            continue
        while end < len(run) and run[start:end + 1] in text:
            end += 1
        for i in range(start, end):
            marked[i] = True
        start += 1
    return sum(marked)


def quotes_in(text: str, quotations: tuple[str, ...]) -> bool:
    """Whether `text` (squeezed) holds one of the quotations word for word."""
    return any(q in text for q in quotations)


def rerank(hits: list[tuple[int, float]], text_of, said: Phrases, weight: float, min_len: int) -> list[tuple[int, float]]:
    """Hits rescored on phrase evidence, best first: score x (1 + weight x coverage), and a passage
    quoting the question verbatim above every passage that does not."""
    if not hits or not said:
        return hits
    rescored: list[tuple[int, float, bool]] = []
    for i, score in hits:
        text = squeeze(text_of(i))
        quoted = quotes_in(text, said.quotations)
        rescored.append((i, score * (1 + weight * coverage(text, said.runs, min_len)), quoted))
    lift = max(s for _, s, _ in rescored)   # a lookup: containing the quotation beats any score
    out = [(i, s + lift if quoted else s) for i, s, quoted in rescored]
    return sorted(out, key=lambda h: (-h[1], h[0]))
