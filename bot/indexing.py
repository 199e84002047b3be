"""Settings to engine (through the index cache); the `qabot index` command; a progress bar on a terminal."""
from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TextIO

import retrieval
from retrieval import Engine, Opened, Problem

from .settings import Settings


def open_engine(
    settings: Settings,
    corpus_override: Sequence[str] | None = None,
    on_problem: Callable[[Problem], None] | None = None,
    rebuild: bool = False,
    progress_stream: TextIO | None = None,
) -> Opened:
    """The engine the settings (or --corpus) name, through the index cache when it is on."""
    return retrieval.open_engine(
        list(corpus_override or settings.corpus.paths), settings.engine, settings.segmentation,
        cache_dir=settings.cache_dir if settings.cache.enabled else None, rebuild=rebuild,
        strict=settings.corpus.strict, on_problem=on_problem, resident_mb=settings.cache.resident_mb,
        progress=lambda label, total: progress_bar(total, label, progress_stream,
                                                   unit=" files" if label == "parsing" else " utt"))


def build_engine(
    settings: Settings,
    corpus_override: Sequence[str] | None = None,
    on_problem: Callable[[Problem], None] | None = None,
) -> Engine:
    """The engine alone (see `open_engine`)."""
    return open_engine(settings, corpus_override, on_problem).engine


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
    settings: Settings,
    corpus_override: Sequence[str] | None,
    on_problem: Callable[[Problem], None] | None,
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
