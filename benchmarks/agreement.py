"""Token agreement of rjieba with jieba on the bulk corpus, as qabot indexes it.

    .venv/bin/python benchmarks/agreement.py [--corpus DIR] [--limit N]

Both backends cut every body paragraph (lines starting with two U+3000) through qabot's
Segmenter: search-mode terms (what the index holds) and precise-mode tokens (what excerpts
highlight). Per paragraph the shared tokens are counted as a multiset; agreement is shared /
max(len) summed over the corpus. Runs on every core.
"""
from __future__ import annotations

import argparse
import multiprocessing
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from retrieval.segment import Segmenter  # noqa: E402

BULK = ROOT.parent / "shared" / "corpus" / "bulk"
_segmenters: dict[str, Segmenter] = {}


def paragraphs(folder: Path, limit: int | None = None) -> list[str]:
    found = [line[2:].rstrip("\n") for f in sorted(folder.glob("*.txt"))
             for line in f.open(encoding="utf-8") if line.startswith("\u3000\u3000")]
    return found[:limit] if limit else found


def _compare(batch: list[str]) -> tuple[int, int, int, int, int, int, int]:
    if not _segmenters:
        _segmenters.update(jieba=Segmenter("jieba"), rjieba=Segmenter("rjieba"))
    j, r = _segmenters["jieba"], _segmenters["rjieba"]
    shared_t = max_t = same_t = shared_p = max_p = same_p = chars = 0
    for text in batch:
        a, b = j.terms(text), r.terms(text)
        shared_t += sum((Counter(a) & Counter(b)).values())
        max_t += max(len(a), len(b))
        same_t += a == b
        a, b = [t.surface for t in j.tokens(text)], [t.surface for t in r.tokens(text)]
        shared_p += sum((Counter(a) & Counter(b)).values())
        max_p += max(len(a), len(b))
        same_p += a == b
        chars += len(text)
    return shared_t, max_t, same_t, shared_p, max_p, same_p, chars


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=BULK)
    ap.add_argument("--limit", type=int, help="first N paragraphs only")
    args = ap.parse_args()
    texts = paragraphs(args.corpus, args.limit)
    batches = [texts[i:i + 1000] for i in range(0, len(texts), 1000)]
    start = time.perf_counter()
    with multiprocessing.get_context("fork").Pool() as pool:
        totals = [sum(x) for x in zip(*pool.imap_unordered(_compare, batches))]
    shared_t, max_t, same_t, shared_p, max_p, same_p, chars = totals
    n = len(texts)
    print(f"{n:,} paragraphs, {chars:,} characters, {time.perf_counter() - start:.0f} s on {multiprocessing.cpu_count()} cores")
    print(f"index terms (search mode): {shared_t / max_t:.5%} of tokens agree; {same_t / n:.3%} of paragraphs identical")
    print(f"precise tokens:            {shared_p / max_p:.5%} of tokens agree; {same_p / n:.3%} of paragraphs identical")


if __name__ == "__main__":
    main()
