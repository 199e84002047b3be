"""Load corpus files and folders into Documents; a file that cannot be used becomes a Problem, never an error."""
from __future__ import annotations

import gc
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .errors import CorpusError, ParseError
from .models import Document, Problem
from .tables import DATA

SUFFIXES = (".txt", ".md")
_BOM = b"\xef\xbb\xbf"


@dataclass
class Corpus:
    """The parsed articles of a corpus and the files (or articles) that had to be left out."""

    documents: list[Document] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def embedded_corpus_path() -> Path:
    """The folder of articles packaged with qabot (`retrieval/data/corpus`)."""
    return DATA / "corpus"


def load_corpus(paths: Sequence[str | Path] | str | Path) -> Corpus:
    """Parse every corpus file under `paths` (files or folders, folders searched recursively)."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    corpus = Corpus()
    seen: set[Path] = set()
    # Parsing makes millions of small acyclic objects; pausing the cycle collector saves ~10% on big corpora.
    collecting = gc.isenabled()
    gc.disable()
    try:
        for path in map(Path, paths):
            if not path.exists():
                corpus.problems.append(Problem(str(path), "skipped: no such file or folder"))
                continue
            for file in corpus_files(path):
                key = file.resolve()
                if key not in seen:
                    seen.add(key)
                    _load_file(file, corpus)
    finally:
        if collecting:
            gc.enable()
    return corpus


def corpus_files(path: Path) -> list[Path]:
    """`path` itself when it is a file, else its *.txt / *.md files, sorted, without READMEs and hidden files."""
    if not path.is_dir():
        return [path]
    found = []
    for file in path.rglob("*"):
        parts = file.relative_to(path).parts
        if file.suffix.lower() not in SUFFIXES or file.name.lower() == "readme.md":
            continue
        if any(part.startswith(".") for part in parts):
            continue
        found.append(file)
    return sorted(found)


def _load_file(file: Path, corpus: Corpus) -> None:
    """Parse one file into `corpus`, recording why it (or an article in it) could not be used."""
    # Imported here: a start-up served from the index cache lists corpus files but never parses.
    from .parse import parse_text_with_problems

    try:
        text, note = read_text(file)
        docs, problems = parse_text_with_problems(text, str(file))
    except (CorpusError, ParseError) as exc:
        corpus.problems.append(Problem(str(file), f"skipped: {exc}"))
        return
    if note:
        corpus.problems.append(Problem(str(file), note))
    corpus.documents.extend(docs)
    corpus.problems.extend(problems)


def read_text(file: Path) -> tuple[str, str]:
    """The text of a corpus file and a note when it was not plain UTF-8; CorpusError when unusable."""
    try:
        data = file.read_bytes()
    except PermissionError:
        raise CorpusError("unreadable: permission denied") from None
    except IsADirectoryError:
        raise CorpusError("is a folder, not a file") from None
    except OSError as exc:
        raise CorpusError(f"unreadable: {exc.strerror or exc}") from None
    if not data.strip():
        raise CorpusError("empty file")
    if b"\x00" in data:
        raise CorpusError("binary file (NUL bytes), not text")
    data = data.removeprefix(_BOM)
    try:
        return data.decode("utf-8"), ""
    except UnicodeDecodeError as exc:
        if exc.end == len(data) and exc.reason == "unexpected end of data":
            # Cut inside a character, as a copy or download that stopped short leaves it: not GB18030.
            return data[: exc.start].decode("utf-8"), "ends inside a character (truncated?); served up to the cut"
    try:
        # Served, but reported: the corpus format is UTF-8 and the fallback may have guessed wrong.
        return data.decode("gb18030"), "not UTF-8; decoded as GB18030 and served"
    except UnicodeDecodeError:
        raise CorpusError("not UTF-8 or GB18030 text") from None
