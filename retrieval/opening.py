"""Opening an engine over corpus paths: from the index cache when it is current, else parsed, indexed and
cached. The one call an adapter needs (`open_engine`)."""
from __future__ import annotations

import gc
import logging
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path

from .answer import Engine, EngineOptions
from .cache import IndexCache, cache_key, new_engine
from .corpus import corpus_files, embedded_corpus_path
from .errors import CorpusError
from .models import Document, Problem
from .parallel import load_corpus
from .segment import SegmentOptions

log = logging.getLogger(__name__)

# progress(label, total) -> a context giving advance(n), or None for no progress display
Progress = Callable[[str, int], AbstractContextManager[Callable[[int], None] | None]]


@dataclass(frozen=True)
class Opened:
    """An engine and how it was obtained."""

    engine: Engine
    seconds: float           # to load it from the cache, or to parse and index the corpus
    from_cache: bool
    folder: Path | None      # its cache folder; None when caching is off or failed

    @property
    def documents(self) -> int:
        return len(self.engine.documents)

    @property
    def utterances(self) -> int:
        return len(self.engine.units)

    @property
    def terms(self) -> int:
        return len(self.engine.index.vocabulary)

    @property
    def bytes(self) -> int:
        if self.folder is None or not self.folder.is_dir():
            return 0
        return sum(f.stat().st_size for f in self.folder.iterdir() if f.is_file())


def open_engine(
    paths: Sequence[str | Path] = (),
    options: EngineOptions = EngineOptions(),
    segmentation: SegmentOptions = SegmentOptions(),
    *,
    cache_dir: str | Path | None = None,
    rebuild: bool = False,
    strict: bool = False,
    on_problem: Callable[[Problem], None] | None = None,
    progress: Progress | None = None,
    resident_mb: int = 0,
) -> Opened:
    """The engine over `paths` (files or folders; none = the article embedded in the package).

    With a `cache_dir`, a current cached index is loaded, else the corpus is parsed and indexed
    (both cores for a large one) and stored there. Each corpus problem goes to `on_problem`;
    with `strict`, any problem is a CorpusError, and so is a corpus with no readable article.
    `resident_mb`: the mapped cache's pages kept in this process between answers (0: no limit; see
    `store.MappedPages`).
    """
    start = time.perf_counter()
    paths = [str(p) for p in paths] or [str(embedded_corpus_path())]
    segmenter = segmentation.segmenter(str(cache_dir) if cache_dir is not None else None)
    cache = IndexCache(cache_dir) if cache_dir is not None else None
    key = cache_key(paths, segmenter, options.bm25, options.expansion.thesaurus, cache.root) if cache else ""
    loaded = cache.load(key, segmenter, options) if cache and not rebuild else None
    if cache and loaded is not None:
        engine, problems = loaded
        engine.resident_limit = resident_mb << 20
        _check(problems, engine.documents, paths, strict, on_problem)
        return Opened(engine, time.perf_counter() - start, True, cache.folder(key))
    bar = progress or (lambda label, total: nullcontext(None))
    with collector_on():
        files = sum(len(corpus_files(Path(p))) for p in paths if Path(p).exists())
        with bar("parsing", files) as advance:
            corpus = load_corpus(paths, progress=advance)
        _check(corpus.problems, corpus.documents, paths, strict, on_problem)
        with bar("indexing", sum(len(d.utterances) for d in corpus.documents)) as advance:
            engine = new_engine(corpus.documents, segmenter, options, progress=advance)
        folder = None
        if cache:
            try:
                folder, _ = cache.store(key, engine, corpus.problems)
            except OSError as exc:
                log.warning("cannot write the index cache in %s (%s); answering without it", cache.root, exc)
    return Opened(engine, time.perf_counter() - start, False, folder)


@contextmanager
def collector_on() -> Iterator[None]:
    """The cyclic collector on for a build, also in a process that switched it off to start faster
    (`qabot ask QUESTION`): a build makes and drops far more than a start (the steps that gain from
    pausing it pause it themselves)."""
    was = gc.isenabled()
    gc.enable()
    try:
        yield
    finally:
        if not was:
            gc.disable()


def _check(problems: Sequence[Problem], documents: Sequence[Document], paths: Sequence[str], strict: bool,
           on_problem: Callable[[Problem], None] | None) -> None:
    """Report the corpus problems (cached ones too); stop when strict or when nothing is left."""
    for problem in problems:
        if on_problem:
            on_problem(problem)
    if problems and strict:
        raise CorpusError(f"{len(problems)} corpus file(s) could not be used (corpus.strict is on)")
    if not documents:
        raise CorpusError(f"no readable article in {', '.join(paths)}")
