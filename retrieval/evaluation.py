"""Measure answers against expected speakers: top-1, MRR and recall@3, overall and per kind."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .models import SPEECH, Answer

if TYPE_CHECKING:
    from .answer import Engine

# A ranked speaker: (name, article title).
Ranked = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Case:
    question: str
    expect: tuple[str, ...]
    kind: str = "who"
    paraphrase: bool = False
    lang: str = "zh"
    article: str = ""        # a part of the expected article's title
    section: int | None = None
    corpus: str = ""         # which corpus a mixed file's question is for (seed, transcripts)


@dataclass(frozen=True)
class Outcome:
    case: Case
    ranked: Ranked
    rank: int | None         # 1-based rank of the first expected speaker, None when absent

    @property
    def groups(self) -> list[str]:
        c = self.case
        return [f"kind={c.kind}", "paraphrased" if c.paraphrase else "literal", f"lang={c.lang}"]


@dataclass(frozen=True)
class Scores:
    n: int
    top1: float
    mrr: float
    recall3: float


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)

    def scores(self, outcomes: Sequence[Outcome] | None = None) -> Scores:
        items = self.outcomes if outcomes is None else outcomes
        n = len(items) or 1
        return Scores(
            n=len(items),
            top1=sum(o.rank == 1 for o in items) / n,
            mrr=sum(1 / o.rank for o in items if o.rank) / n,
            recall3=sum(bool(o.rank and o.rank <= 3) for o in items) / n,
        )

    def by_group(self) -> dict[str, Scores]:
        groups: dict[str, list[Outcome]] = {}
        for o in self.outcomes:
            for g in o.groups:
                groups.setdefault(g, []).append(o)
        return {g: self.scores(v) for g, v in sorted(groups.items())}

    @property
    def misses(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.rank != 1]


def ranked_speakers(answer: Answer) -> Ranked:
    """Speakers an answer puts forward, best first: ranked speakers, else the passages' speakers."""
    if answer.kind == "who":
        return tuple((s.name, s.title) for s in answer.speakers)
    found = [(p.speaker, p.citation.title) for p in answer.passages if p.speaker and p.kind == SPEECH]
    if not found:
        found = [(s.name, s.title) for s in answer.speakers]
    return tuple(dict.fromkeys(found))


def rank_of(case: Case, ranked: Ranked) -> int | None:
    for i, (name, title) in enumerate(ranked, 1):
        if name in case.expect and (not case.article or case.article in title):
            return i
    return None


def evaluate(cases: Iterable[Case], rank: Callable[[str], Ranked]) -> Report:
    """Run every case through a ranking function (the engine, or a baseline)."""
    report = Report()
    for case in cases:
        ranked = rank(case.question)
        report.outcomes.append(Outcome(case, ranked, rank_of(case, ranked)))
    return report


def engine_ranker(engine: "Engine") -> Callable[[str], Ranked]:
    return lambda question: ranked_speakers(engine.ask(question))


def baseline_ranker(engine: "Engine") -> Callable[[str], Ranked]:
    """Plain jieba + rank-bm25 over the same units, no question handling: the yardstick to beat."""
    import logging

    import jieba
    from rank_bm25 import BM25Okapi

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenize = lambda text: [w for w in tokenizer.lcut(text) if w.strip() and any(c.isalnum() for c in w)]
    speech = [u for u in engine.units if u.utterance.kind == SPEECH and u.utterance.speaker]
    bm25 = BM25Okapi([tokenize(u.utterance.text) or [""] for u in speech])

    def rank(question: str) -> Ranked:
        scores = bm25.get_scores(tokenize(question))
        order = sorted(range(len(speech)), key=lambda i: -scores[i])
        found = [(speech[i].utterance.speaker, engine.documents[speech[i].doc].title) for i in order if scores[i] > 0]
        return tuple(dict.fromkeys(found))[:10]

    return rank
