"""qabot vs rank-bm25 on the bulk corpus cut to 1k, 10k and 100k utterances; cold start vs bare jieba.

    .venv/bin/python benchmarks/bench.py [--sizes 1000 10000 100000] [--queries 200] [--full]

Every measurement runs in a fresh subprocess with its own empty cache folder, so peak memory
(ru_maxrss) is per step and nothing is warm that a user's process would not have warm. Prints a
Markdown table; docs/benchmarks.md records one run. Never run by the test suite.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CODE_ENV = "QABOT_BENCH_CODE"   # a snapshot of the code the children import (see snapshot_code)
sys.path.insert(0, os.environ.get(CODE_ENV, str(ROOT)))
BULK = ROOT.parent / "shared" / "corpus" / "bulk"
PY = sys.executable
QABOT = str(Path(PY).parent / "qabot")


# ---------------------------------------------------------------- corpus cuts


def cut_corpus(sizes: list[int], out: Path) -> dict[int, Path]:
    """Folders of day files holding the first N utterances of the bulk corpus (cut between articles)."""
    from retrieval.corpus import corpus_files
    from retrieval.parse import parse_text_with_problems

    counts: dict[Path, list[tuple[str, int]]] = {}

    def articles(file: Path) -> list[tuple[str, int]]:
        """(text, utterances) of each article of a day file."""
        if file not in counts:
            parts = file.read_text(encoding="utf-8").split("\n### ")
            texts = [parts[0]] + ["### " + p for p in parts[1:]]
            counts[file] = [(t, sum(len(d.utterances) for d in parse_text_with_problems(t)[0])) for t in texts]
        return counts[file]

    folders: dict[int, Path] = {}
    for size in sizes:
        folder = out / f"corpus-{size}"
        folder.mkdir(parents=True, exist_ok=True)
        count = 0
        for file in corpus_files(BULK):
            kept = []
            for text, n in articles(file):
                if count >= size:
                    break
                kept.append(text)
                count += n
            if kept:
                (folder / file.name).write_text("\n".join(kept), encoding="utf-8")
            if count >= size:
                break
        folders[size] = folder
    return folders


# ---------------------------------------------------------------- child steps


def step_build(corpus: str, cache: str) -> dict:
    """Cold build through build_engine; then segmentation, our index and rank-bm25 timed separately."""
    from bot.indexing import open_engine
    from bot.settings import CacheSettings, Settings
    from retrieval.index import BM25Index
    from retrieval.parallel import segment_postings

    settings = Settings(cache=CacheSettings(dir=cache))
    start = time.perf_counter()
    opened = open_engine(settings, [corpus])
    total = time.perf_counter() - start
    engine = opened.engine
    texts = [u.utterance.text for u in engine.units]
    fresh = type(engine.segmenter)(engine.segmenter.backend, words=engine.segmenter.words)
    fresh.terms("")
    t = time.perf_counter()
    segment_postings(texts, fresh)                      # both cores, as the build does
    seg_parallel = time.perf_counter() - t
    t = time.perf_counter()
    tokens = [fresh.terms(x) for x in texts]            # one core, for the token lists below
    seg_serial = time.perf_counter() - t
    t = time.perf_counter()
    BM25Index.build(tokens, engine.options.bm25)
    ours = time.perf_counter() - t
    return {"documents": len(engine.documents), "utterances": len(texts), "terms": len(engine.index.vocabulary),
            "chars": sum(map(len, texts)), "build_total": total, "segment_2cores": seg_parallel,
            "segment_1core": seg_serial, "index_from_tokens": ours, "cache_bytes": opened.bytes,
            "rss_mb": _rss_mb()}


def step_serve(corpus: str, cache: str, n_queries: int) -> dict:
    """Warm start from the cache; per-query latency of the engine end to end and of its index alone."""
    t = time.perf_counter()
    from bot.console import format_answer
    from bot.indexing import open_engine
    from bot.settings import CacheSettings, Settings

    imports = time.perf_counter() - t
    settings = Settings(cache=CacheSettings(dir=cache))
    for _ in range(3):  # the key covers qabot's sources: a colleague's edit in between rebuilds once
        t = time.perf_counter()
        opened = open_engine(settings, [corpus])
        load = time.perf_counter() - t
        if opened.from_cache:
            break
    assert opened.from_cache, "the cache was not warm"
    engine = opened.engine
    questions, term_lists = make_queries(engine, n_queries)
    for q in questions[:5]:                              # first answers load the dictionary, thesaurus
        format_answer(engine, q, as_json=False)
    end_to_end = []
    for q in questions:
        t = time.perf_counter()
        format_answer(engine, q, as_json=False)
        end_to_end.append(time.perf_counter() - t)
    retrieval = []
    for terms in term_lists:
        t = time.perf_counter()
        engine.index.top(terms, 10)
        retrieval.append(time.perf_counter() - t)
    return {"imports": imports, "load": load, "e2e": end_to_end, "index_top10": retrieval, "rss_mb": _rss_mb()}


def step_rank_bm25(corpus: str, cache: str, n_queries: int) -> dict:
    """rank-bm25 BM25Okapi on the very token lists qabot indexes: build, get_scores + top-10, top-10 agreement."""
    import numpy as np
    from rank_bm25 import BM25Okapi

    from bot.indexing import open_engine
    from bot.settings import CacheSettings, Settings

    engine = open_engine(Settings(cache=CacheSettings(dir=cache)), [corpus]).engine
    seg = type(engine.segmenter)(engine.segmenter.backend, words=engine.segmenter.words)
    tokens = [seg.terms(u.utterance.text) for u in engine.units]
    rss_before = _rss_mb()
    t = time.perf_counter()
    reference = BM25Okapi(tokens)
    build = time.perf_counter() - t
    _, term_lists = make_queries(engine, n_queries)
    latencies, same, compared = [], 0, 0
    order_ids = np.arange(len(tokens))
    half = {w for w in engine.index.vocabulary if 2 * engine.index.document_frequency(w) == len(tokens)}
    for terms in term_lists:
        t = time.perf_counter()
        scores = reference.get_scores(terms)
        top = np.argpartition(-scores, 10)[:10] if len(scores) > 10 else np.arange(len(scores))
        top = top[np.argsort(-scores[top], kind="stable")]
        latencies.append(time.perf_counter() - t)
        if half & set(terms):
            continue                                     # idf exactly 0: our deliberate difference
        ref = [int(i) for i in np.lexsort((order_ids, -scores))[:10] if scores[i] > 0]
        ours = engine.index.top(terms, 10)
        compared += 1
        same += [i for i, _ in ours] == ref and all(abs(s - scores[i]) < 1e-6 for i, s in ours)
    return {"build": build, "get_scores_top10": latencies, "same_top10": same, "compared": compared,
            "rss_mb": _rss_mb(), "rss_before_mb": rss_before}


def make_queries(engine, n: int, seed: int = 5) -> tuple[list[str], list[list[str]]]:
    """Questions built from 2-4 words of random units (half of them who-questions), and their terms."""
    rng = random.Random(seed)
    questions, term_lists = [], []
    units = engine.units
    while len(questions) < n:
        text = units[rng.randrange(len(units))].utterance.text
        words = [w for w in dict.fromkeys(engine.segmenter.terms(text)) if len(w) >= 2]
        if len(words) < 2:
            continue
        picked = rng.sample(words, min(len(words), rng.randint(2, 4)))
        question = f"谁谈到了{'、'.join(picked)}？" if len(questions) % 2 else " ".join(picked)
        questions.append(question)
        term_lists.append(picked)
    return questions, term_lists


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ---------------------------------------------------------------- cold start


def cold_start(runs: int, cache: str) -> dict:
    """Median wall time of `qabot ask` on the embedded seed with a warm cache vs the bare jieba line."""
    Path(cache).mkdir(parents=True, exist_ok=True)
    config = Path(cache) / "config.yaml"
    config.write_text(f"cache:\n  dir: {cache}\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(Path(cache) / "pycache")  # bytecode cached, as in an installed package
    ours = [QABOT, "ask", "--config", str(config), "谁谈到了腐败？"]
    bare = [PY, "-c", "import jieba; jieba.lcut('测试')"]
    for command in (ours, ours, bare):                  # build the cache, write bytecode, warm the disk
        subprocess.run(command, env=env, capture_output=True, check=True)
    times: dict[str, list[float]] = {"qabot": [], "jieba": []}
    for _ in range(runs):                               # interleaved: a busy moment hits both
        for name, command in (("qabot", ours), ("jieba", bare)):
            t = time.perf_counter()
            subprocess.run(command, env=env, capture_output=True, check=True)
            times[name].append(time.perf_counter() - t)
    return times


# ---------------------------------------------------------------- driver


def snapshot_code(out: Path) -> Path:
    """A copy of qabot's packages as they are now: colleagues editing the tree during a run must
    neither change the code measured nor (the cache key covers the sources) force rebuilds."""
    import shutil

    code = out / "code"
    for package in ("retrieval", "bot"):
        shutil.copytree(ROOT / package, code / package, ignore=shutil.ignore_patterns("__pycache__"))
    os.environ[CODE_ENV] = str(code)
    os.environ["PYTHONPATH"] = str(code)
    return code


def run_child(step: str, *args: str) -> dict:
    result = subprocess.run([PY, __file__, "--child", step, *args], capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"{step} failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def _git_head() -> str:
    try:
        head = subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=%h"], capture_output=True, text=True)
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "retrieval", "bot"],
                               capture_output=True, text=True).stdout.strip()
        return head.stdout.strip() + (" + uncommitted edits" if dirty else "")
    except OSError:
        return "unknown"


def _times(ratio: float) -> str:
    return f"{ratio:.1f}×" if ratio < 10 else f"{ratio:.0f}×"


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--cold-runs", type=int, default=9)
    ap.add_argument("--full", action="store_true", help="also time `qabot index` on the whole bulk corpus")
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        step, *rest = args.child
        out = {"build": lambda: step_build(*rest), "serve": lambda: step_serve(rest[0], rest[1], int(rest[2])),
               "rank_bm25": lambda: step_rank_bm25(rest[0], rest[1], int(rest[2]))}[step]()
        print(json.dumps(out))
        return
    cores = len(os.sched_getaffinity(0))
    print(f"# qabot benchmark, {time.strftime('%Y-%m-%d %H:%M')}, {cores} cores, Python {sys.version.split()[0]}, "
          f"load average {os.getloadavg()[0]:.2f}\n", flush=True)
    with tempfile.TemporaryDirectory(prefix="qabot-bench-") as tmp:
        code = snapshot_code(Path(tmp))
        print(f"code: {ROOT} as of the start ({_git_head()}), copied to {code}\n", flush=True)
        folders = cut_corpus(args.sizes, Path(tmp))
        rows = []
        for size, folder in folders.items():
            cache = str(Path(tmp) / f"cache-{size}")
            build = run_child("build", str(folder), cache)
            serve = run_child("serve", str(folder), cache, str(args.queries))
            ref = run_child("rank_bm25", str(folder), cache, str(args.queries))
            rows.append((size, build, serve, ref))
            print(f"done {size}: {build['utterances']} utterances", file=sys.stderr, flush=True)
        full = None
        if args.full:
            cache = str(Path(tmp) / "cache-full")
            t = time.perf_counter()
            done = subprocess.run([QABOT, "index", "--config", os.devnull, "--corpus", str(BULK)],
                                  capture_output=True, text=True, env=os.environ | {"XDG_CACHE_HOME": cache})
            full = (time.perf_counter() - t, done.stdout)
        cold = cold_start(args.cold_runs, str(Path(tmp) / "cold"))
    print_report(rows, full, cold, cores)


def print_report(rows, full, cold, cores: int) -> None:
    ms = 1000
    print("| utterances (documents) | qabot end to end p50 / p99 | qabot index top-10 p50 / p99 | rank-bm25 get_scores+top-10 p50 / p99 | speed-up, end to end (p50) | same top-10 as rank-bm25 |")
    print("|---|---|---|---|---|---|")
    for size, build, serve, ref in rows:
        e2e, top, rb = serve["e2e"], serve["index_top10"], ref["get_scores_top10"]
        print(f"| {build['utterances']:,} ({build['documents']:,}) "
              f"| {pct(e2e, 50) * ms:.2f} / {pct(e2e, 99) * ms:.2f} ms "
              f"| {pct(top, 50) * ms:.3f} / {pct(top, 99) * ms:.3f} ms "
              f"| {pct(rb, 50) * ms:.2f} / {pct(rb, 99) * ms:.2f} ms "
              f"| {_times(pct(rb, 50) / pct(e2e, 50))} "
              f"| {ref['same_top10']}/{ref['compared']} |")
    print()
    print("| utterances | segmentation, 2 cores (1 core) | qabot index from tokens | rank-bm25 build | whole cold build (parse + index + cache) | load from cache | cache on disk | peak RSS: build / serve / rank-bm25 |")
    print("|---|---|---|---|---|---|---|---|")
    for size, build, serve, ref in rows:
        print(f"| {build['utterances']:,} | {build['segment_2cores']:.2f} s ({build['segment_1core']:.2f} s) "
              f"| {build['index_from_tokens']:.2f} s | {ref['build']:.2f} s | {build['build_total']:.2f} s "
              f"| {serve['load']:.3f} s | {build['cache_bytes'] / 2**20:.1f} MB "
              f"| {build['rss_mb']:.0f} / {serve['rss_mb']:.0f} / {ref['rss_mb']:.0f} MB |")
    if full:
        seconds, out = full
        print(f"\nFull bulk build (`qabot index --corpus bulk`, wall clock incl. start-up): {seconds:.1f} s")
        print("```\n" + out.strip() + "\n```")
    q, j = statistics.median(cold["qabot"]), statistics.median(cold["jieba"])
    print(f"\nCold start, median of {len(cold['qabot'])} interleaved runs: `qabot ask '谁谈到了腐败？'` on the seed with "
          f"a warm cache {q:.2f} s (min {min(cold['qabot']):.2f}); bare `python -c \"import jieba; jieba.lcut('测试')\"` "
          f"{j:.2f} s (min {min(cold['jieba']):.2f}); ratio {q / j:.2f} (target ≤ 0.33).")
    print(f"Cores: {cores}.")


if __name__ == "__main__":
    main()
