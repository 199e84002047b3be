"""Parse, segment and count a large corpus on every core; results joined in order.

Each worker gets a copy of the segmenter's settings and words, segments a batch of unit texts
and sends back its postings as numpy arrays (cheap to pass between processes), never the
millions of token strings. Merging in batch order numbers the terms exactly as one process
would, so the index is the same whichever way it was built.
"""
from __future__ import annotations

import gc
import os
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from .excerpt import BoundsTable
from .index import BM25Index, BM25Params, Postings, PostingsBuilder, count_postings
from .segment import Segmenter

if TYPE_CHECKING:
    from .corpus import Corpus

BATCH_UNITS = 2000            # units per batch: small enough for a smooth progress bar
PARALLEL_MIN_CHARS = 1_000_000  # below this (about 7k paragraphs) a pool costs more than it saves
PARALLEL_MIN_BYTES = 2_000_000  # corpus files smaller than this in all are parsed in one process

_worker_segmenter: Segmenter | None = None
R = TypeVar("R")


def available_cores() -> int:
    """Cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def segment_units(
    texts: Sequence[str],
    segmenter: Segmenter,
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[PostingsBuilder, BoundsTable]:
    """Postings of every text as `segmenter.terms` cuts it, and its excerpt bounds; in parallel when
    the corpus is large. Texts are read a batch at a time (a `StringTable` is decoded as it goes)
    and each batch's postings joined as it comes back."""
    starts = range(0, len(texts), BATCH_UNITS)
    batches = (texts[i : i + BATCH_UNITS] for i in starts)
    workers = available_cores() if workers is None else workers
    if workers <= 1 or len(starts) < 2 or sum(map(len, texts)) < PARALLEL_MIN_CHARS:
        return _joined((_segment(segmenter, batch) for batch in batches), progress)
    spec = (segmenter.backend, segmenter.hmm, segmenter.subwords, sorted(segmenter.words),
            sorted(segmenter.stopwords), segmenter.cache_dir)
    with _pool(min(workers, len(starts)), _start_worker, (spec,)) as pool:
        return _joined(pool.imap(_count_batch, batches), progress)


def _segment(segmenter: Segmenter, texts: Sequence[str]) -> tuple[Postings, BoundsTable]:
    """A batch's postings and bounds from one search-mode cut of each text."""
    cut = [segmenter.terms_and_ends(text) for text in texts]
    return (count_postings([terms for terms, _, _ in cut]),
            BoundsTable.build(texts, segmenter, [(ends, folded) for _, ends, folded in cut]))


def _joined(parts: Iterable[tuple[Postings, BoundsTable]],
            progress: Callable[[int], None] | None) -> tuple[PostingsBuilder, BoundsTable]:
    builder, cuts = PostingsBuilder(), []
    for postings, bounds in parts:
        builder.add(postings)
        cuts.append(bounds)
        if progress:
            progress(len(postings.doc_len))
    return builder, BoundsTable.join(cuts)


def load_corpus(
    paths: Sequence[str | Path],
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> "Corpus":
    """`corpus.load_corpus(paths)`, its files parsed on every core when there are many of them.

    Files are taken in load_corpus's order, each given to load_corpus alone, and the parts
    joined in that order: the same documents and problems as one call.
    """
    from . import corpus as corpus_module

    items: list[Path] = []
    seen: set[Path] = set()
    for path in map(Path, paths):
        if not path.exists():
            items.append(path)           # load_corpus reports it
            continue
        for file in corpus_module.corpus_files(path):
            if file.resolve() not in seen:
                seen.add(file.resolve())
                items.append(file)
    workers = available_cores() if workers is None else workers
    size = sum(f.stat().st_size for f in items if f.is_file())
    if workers <= 1 or len(items) < 2 or size < PARALLEL_MIN_BYTES:
        corpus = corpus_module.load_corpus(paths)
        if progress:
            progress(len(items))
        return corpus
    joined = corpus_module.Corpus()
    with _pool(min(workers, len(items))) as pool:
        for part in pool.imap(_load_file, [str(f) for f in items], chunksize=2):
            joined.documents.extend(part.documents)
            joined.problems.extend(part.problems)
            if progress:
                progress(1)
    return joined


@contextmanager
def _pool(workers: int, initializer: Callable | None = None, initargs: tuple = ()) -> Iterator:
    import multiprocessing

    # fork shares the parent's loaded modules; it is only safe while no other thread runs.
    method = "fork" if threading.active_count() == 1 and sys.platform != "win32" else "spawn"
    # Frozen objects are left alone by the collector, so the forked workers do not copy the
    # pages of the parent's large heap (the parsed corpus) when a collection runs in them.
    gc.freeze()
    try:
        with multiprocessing.get_context(method).Pool(workers, initializer=initializer, initargs=initargs) as pool:
            yield pool
    finally:
        gc.unfreeze()


_aside: tuple[Callable[..., object], tuple] | None = None   # what `aside`'s forked process works out
ASIDE_MIN_UNITS = 20_000   # below this (a second or less of storing) a fork costs more than it saves


@contextmanager
def aside(function: Callable[..., R], *args: object, units: int = ASIDE_MIN_UNITS) -> Iterator[Callable[[], R]]:
    """`function(*args)` worked out in a forked process while the caller goes on; the callable yielded
    waits for its result (which must pickle, the arguments need not: the fork inherits them). Storing a
    large index writes its arrays on one core while the other checks the lexicon. In this process when
    there is one core, when `units` is small, or when a fork is unsafe (another thread runs)."""
    global _aside
    if units < ASIDE_MIN_UNITS or available_cores() < 2 or threading.active_count() > 1 or sys.platform == "win32":
        yield lambda: function(*args)
        return
    _aside = (function, args)   # the fork inherits it: the arguments are not pickled
    try:
        with _pool(1) as pool:   # a fork (no other thread runs), the parent's heap frozen
            yield pool.apply_async(_run_aside).get
    finally:
        _aside = None


def _run_aside() -> object:
    assert _aside is not None
    function, args = _aside
    return function(*args)


def _load_file(path: str) -> "Corpus":
    from .corpus import load_corpus as load_one

    return load_one([path])


def build_index(
    texts: Sequence[str],
    segmenter: Segmenter,
    params: BM25Params = BM25Params(),
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[BM25Index, BoundsTable]:
    """The BM25 index of the texts and their excerpt bounds, segmented on `workers` processes (default:
    every core)."""
    postings, cuts = segment_units(texts, segmenter, workers, progress)
    return postings.index(params), cuts


def _start_worker(spec: tuple) -> None:
    global _worker_segmenter
    backend, hmm, subwords, words, stopwords, cache_dir = spec
    _worker_segmenter = Segmenter(backend, hmm=hmm, subwords=subwords, words=words,
                                  stopwords=stopwords, cache_dir=cache_dir)
    _worker_segmenter.terms("")  # load the dictionary before the first batch


def _count_batch(texts: Sequence[str]) -> tuple[Postings, BoundsTable]:
    assert _worker_segmenter is not None
    return _segment(_worker_segmenter, texts)
