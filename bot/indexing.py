"""Settings to engine through the index cache; the `qabot index` command; a progress bar on a terminal."""
from __future__ import annotations

import logging
import sys
import time
import typing
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from retrieval.errors import CorpusError

if typing.TYPE_CHECKING:
    from retrieval import Document, Engine, Problem

    from .settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Opened:
    """An engine and how it was obtained."""

    engine: "Engine"
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


def corpus_paths(settings: "Settings", corpus_override: Sequence[str] | None = None) -> list[str]:
    from retrieval.corpus import embedded_corpus_path

    return list(corpus_override or settings.corpus.paths) or [str(embedded_corpus_path())]


def open_engine(
    settings: "Settings",
    corpus_override: Sequence[str] | None = None,
    on_problem: Callable[["Problem"], None] | None = None,
    rebuild: bool = False,
    progress_stream: TextIO | None = None,
) -> Opened:
    """The engine for these settings: from the index cache when it is current, else built (and cached)."""
    from retrieval.cache import IndexCache, cache_key, new_engine
    from retrieval.corpus import corpus_files
    from retrieval.parallel import load_corpus

    from .settings import engine_options, make_segmenter

    start = time.perf_counter()
    paths = corpus_paths(settings, corpus_override)
    segmenter = make_segmenter(settings)
    options = engine_options(settings)
    cache = IndexCache(settings.cache_dir) if settings.cache.enabled else None
    key = cache_key(paths, segmenter, options.bm25, options.expansion.thesaurus) if cache else ""
    loaded = cache.load(key, segmenter, options) if cache and not rebuild else None
    if cache and loaded is not None:
        engine, problems = loaded
        _check(problems, engine.documents, paths, settings, on_problem)
        return Opened(engine, time.perf_counter() - start, True, cache.folder(key))
    files = sum(len(corpus_files(Path(p))) for p in paths if Path(p).exists())
    with progress_bar(files, "parsing", progress_stream, unit=" files") as advance:
        corpus = load_corpus(paths, progress=advance)
    _check(corpus.problems, corpus.documents, paths, settings, on_problem)
    units = sum(len(d.utterances) for d in corpus.documents)
    with progress_bar(units, "indexing", progress_stream) as advance:
        engine = new_engine(corpus.documents, segmenter, options, progress=advance)
    folder = None
    if cache:
        try:
            folder, _ = cache.store(key, engine, corpus.problems)
        except OSError as exc:
            log.warning("cannot write the index cache in %s (%s); answering without it", cache.root, exc)
    return Opened(engine, time.perf_counter() - start, False, folder)


def _check(
    problems: Sequence["Problem"],
    documents: Sequence["Document"],
    paths: Sequence[str],
    settings: "Settings",
    on_problem: Callable[["Problem"], None] | None,
) -> None:
    """Report the corpus problems (cached ones too); stop when strict or when nothing is left."""
    for problem in problems:
        if on_problem:
            on_problem(problem)
    if problems and settings.corpus.strict:
        raise CorpusError(f"{len(problems)} corpus file(s) could not be used (corpus.strict is on)")
    if not documents:
        raise CorpusError(f"no readable article in {', '.join(paths)}")


@contextmanager
def progress_bar(
    total: int, label: str, stream: TextIO | None = None, unit: str = " utt"
) -> Iterator[Callable[[int], None] | None]:
    """A tqdm bar on a terminal (an `advance(n)` callable); None, and tqdm not even imported, otherwise."""
    stream = stream or sys.stderr
    if not _is_terminal(stream) or total <= 0:
        yield None
        return
    from tqdm import tqdm

    with tqdm(total=total, desc=label, unit=unit, file=stream, leave=False, dynamic_ncols=True) as bar:
        yield bar.update


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


# ---------------------------------------------------------------- qabot index


def index_command(
    settings: "Settings",
    corpus_override: Sequence[str] | None,
    on_problem: Callable[["Problem"], None] | None,
    out: TextIO | None = None,
) -> int:
    """Build the index cache now (always from the corpus) and print what it holds."""
    out = out or sys.stdout
    opened = open_engine(settings, corpus_override, on_problem, rebuild=True)
    size = opened.bytes
    where = str(opened.folder) if opened.folder else "not cached (cache.enabled is false or the folder is not writable)"
    print(f"documents:  {opened.documents:,}", file=out)
    print(f"utterances: {opened.utterances:,}", file=out)
    print(f"terms:      {opened.terms:,}", file=out)
    print(f"seconds:    {opened.seconds:.2f}", file=out)
    print(f"on disk:    {_size(size)} in {where}", file=out)
    return 0


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} B"
