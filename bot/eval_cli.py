"""`qabot eval FILE.yaml`: read a development set, run it, print the figures."""
from __future__ import annotations

import json
from pathlib import Path
from typing import TextIO

from retrieval import Case, ConfigError, Report, Scores

from .settings import read_yaml

_KEYS = {"question", "expect", "kind", "paraphrase", "lang", "article", "section", "corpus"}


def load_cases(path: str | Path, subset: str | None = None) -> list[Case]:
    """Cases from a YAML list (only those marked `corpus: SUBSET` when given); errors name file and entry."""
    data = read_yaml(path, "evaluation file")
    if not isinstance(data, list):
        raise ConfigError(f"{path}: expected a list of questions")
    cases = [_case(entry, path, n) for n, entry in enumerate(data, 1)]
    return [c for c in cases if subset is None or c.corpus == subset]


def _case(entry: object, path: str | Path, n: int) -> Case:
    if not isinstance(entry, dict) or not isinstance(entry.get("question"), str):
        raise ConfigError(f"{path}: entry {n} needs a 'question' string")
    unknown = set(entry) - _KEYS
    if unknown:
        raise ConfigError(f"{path}: entry {n} has unknown key(s) {', '.join(sorted(unknown))}")
    expect = entry.get("expect")
    if isinstance(expect, str):
        expect = [expect]
    if not expect or not all(isinstance(e, str) for e in expect):
        raise ConfigError(f"{path}: entry {n} needs 'expect', a list of speaker names")
    return Case(
        question=entry["question"],
        expect=tuple(expect),
        kind=str(entry.get("kind", "who")),
        paraphrase=bool(entry.get("paraphrase", False)),
        lang=str(entry.get("lang", "zh")),
        article=str(entry.get("article") or ""),
        section=entry.get("section"),
        corpus=str(entry.get("corpus") or ""),
    )


def _row(name: str, s: Scores) -> str:
    return f"{name:<22} {s.n:>4}   {s.top1:6.3f}  {s.mrr:6.3f}  {s.recall3:6.3f}"


def print_report(report: Report, out: TextIO, title: str = "") -> None:
    if title:
        print(title, file=out)
    print(f"{'':<22} {'n':>4}   {'top-1':>6}  {'MRR':>6}  {'R@3':>6}", file=out)
    print(_row("all", report.scores()), file=out)
    for group, scores in report.by_group().items():
        print(_row(group, scores), file=out)
    if report.misses:
        print(f"\nmisses ({len(report.misses)}):", file=out)
    for o in report.misses:
        got = "、".join(name for name, _ in o.ranked[:3]) or "（无）"
        rank = f"rank {o.rank}" if o.rank else "not found"
        print(f"  {o.case.question}  expected {'/'.join(o.case.expect)}, got {got} ({rank})", file=out)


def report_json(report: Report) -> dict:
    def scores(s: Scores) -> dict:
        return {"n": s.n, "top1": s.top1, "mrr": s.mrr, "recall3": s.recall3}

    return {
        "overall": scores(report.scores()),
        "groups": {g: scores(s) for g, s in report.by_group().items()},
        "misses": [
            {"question": o.case.question, "expect": list(o.case.expect), "rank": o.rank,
             "got": [name for name, _ in o.ranked[:5]]}
            for o in report.misses
        ],
    }


def dump_json(report: Report, out: TextIO) -> None:
    print(json.dumps(report_json(report), ensure_ascii=False), file=out)
