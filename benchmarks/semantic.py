"""The word vectors' cost: who-question latency at 100k passages with and without them.

    .venv/bin/python benchmarks/semantic.py [--size 100000] [--queries 200] [--rounds 3]

Cuts the bulk corpus to --size utterances (as bench.py does), builds or loads its index in a temp
cache, reopens it from the cache as after a restart (vectors off, then on: the first who-question
timed, the vectors' rows per unit and the character field memory-mapped from the cache), then answers
the same questions (half of them who-questions, from bench.make_queries) with `semantic.vectors` off,
on, and with one part of it off (after each one's first question, timed apart). The configurations take turns on each question, --rounds times,
and each question's time is its best round: a shared machine's load then falls on all of them alike
instead of on whichever ran during a busy minute. Prints p50/p99 per configuration and the one-off
build times.
Figures go to docs/quality.md; never run by the tests.
"""
from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench import _rss_mb, cut_corpus, make_queries, pct  # noqa: E402


def latencies(engines: list, questions: list[str], rounds: int) -> list[list[float]]:
    """Each engine's best time per question over the rounds, the engines taking turns on each question."""
    best = [[float("inf")] * len(questions) for _ in engines]
    for _ in range(rounds):
        for n, q in enumerate(questions):
            for e, engine in enumerate(engines):
                t = time.perf_counter()
                engine.ask(q)
                best[e][n] = min(best[e][n], time.perf_counter() - t)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    from bot.indexing import open_engine
    from bot.settings import CacheSettings, Settings
    from retrieval import Engine

    with tempfile.TemporaryDirectory(prefix="qabot-sem-") as tmp:
        corpus = cut_corpus([args.size], Path(tmp))[args.size]
        settings = Settings(cache=CacheSettings(dir=str(Path(tmp) / "cache")))
        t = time.perf_counter()
        built = open_engine(settings, [str(corpus)]).engine
        print(f"{len(built.units):,} units, index built in {time.perf_counter() - t:.1f} s")
        questions, _ = make_queries(built, args.queries)
        who = [q for q in questions if q.startswith("谁")]
        # A restart: the engine opened from the cache, its first who-question with vectors off and on
        # (on: the vectors' rows per unit and the character field come memory-mapped from the cache).
        for on in (False, True):
            semantic = dataclasses.replace(settings.engine.semantic, vectors=on)
            restart = dataclasses.replace(settings, engine=dataclasses.replace(settings.engine, semantic=semantic))
            t = time.perf_counter()
            opened = open_engine(restart, [str(corpus)])
            opening = time.perf_counter() - t
            t = time.perf_counter()
            opened.engine.ask(who[0])
            print(f"restart, vectors {'on' if on else 'off'}: opened in {opening:.2f} s, "
                  f"first who-question {time.perf_counter() - t:.2f} s")
        base, folder = opened.engine, opened.folder

        def variant(**semantic) -> Engine:
            options = dataclasses.replace(base.options, semantic=dataclasses.replace(base.options.semantic, **semantic))
            engine = Engine(base.documents, base.segmenter, options, index=base.index, title_index=base.title_index,
                            bounds=base.bounds, columns=base.columns, directory=base.directory)
            engine.semantics.load(folder)
            return engine

        configurations = [("vectors off", variant(vectors=False)), ("vectors on (defaults)", variant()),
                          ("expansion only (weight 0)", variant(weight=0.0)),
                          ("blend only (no neighbours)", variant(neighbours=0)),
                          ("no character field (characters 0)", variant(characters=0.0))]
        firsts = []
        for label, engine in configurations:
            t = time.perf_counter()
            engine.ask(who[0])
            firsts.append(time.perf_counter() - t)
            if label.startswith("vectors on"):
                t = time.perf_counter()
                engine.semantics.passages  # noqa: B018  # only the "mean" score needs them
                print(f"passage vectors (score: mean) built in {time.perf_counter() - t:.2f} s")
        engines = [engine for _, engine in configurations]
        latencies(engines, questions[:5], 1)
        times = latencies(engines, questions, args.rounds)
        whos = latencies(engines, who, args.rounds)
        rows = [(label, firsts[e], times[e], whos[e]) for e, (label, _) in enumerate(configurations)]
        print(f"\n{args.queries} questions ({len(who)} who-questions), best of {args.rounds} rounds, "
              f"{len(base.units):,} units, RSS {_rss_mb():.0f} MB")
        print("| configuration | first question | all p50 | all p99 | who p50 | who p99 |")
        print("|---|---|---|---|---|---|")
        for label, first, times, whos in rows:
            ms = lambda xs, p: f"{pct(xs, p) * 1000:.2f} ms"  # noqa: E731
            print(f"| {label} | {first * 1000:.0f} ms | {ms(times, 50)} | {ms(times, 99)} | {ms(whos, 50)} | {ms(whos, 99)} |")
        print(f"mean who: {statistics.mean(rows[1][3]) * 1000 - statistics.mean(rows[0][3]) * 1000:+.2f} ms with vectors")
    return 0


if __name__ == "__main__":
    sys.exit(main())
