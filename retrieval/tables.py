"""The word tables qabot ships as package data (`retrieval/data/`): its defaults, loaded once."""
from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from types import MappingProxyType

# The package's data folder, as importlib.resources finds it for a package on disk (importing that
# module and what it imports cost ~5 ms of every start).
DATA = Path(__file__).parent / "data"


def _lines(name: str) -> list[str]:
    """The file's non-empty lines, '#' comment lines left out."""
    text = (DATA / name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


@cache
def stopwords() -> frozenset[str]:
    """Function and question words: they carry a question's kind, not its topic."""
    return frozenset(word for line in _lines("stopwords.txt") for word in line.split())


@cache
def english_stopwords() -> frozenset[str]:
    """English function words and the who-question's frame: they carry no topic (retrieval/glossary.py)."""
    return frozenset(word for line in _lines("english_stopwords.txt") for word in line.split())


@cache
def synonym_groups() -> tuple[str, ...]:
    """Groups of interchangeable words, one space-separated group each."""
    return tuple(_lines("synonyms.txt"))


@cache
def glossary() -> Mapping[str, str]:
    """English word or phrase → the Chinese words searched for it."""
    entries = (line.split("\t", 1) for line in _lines("glossary.tsv"))
    return MappingProxyType({english.strip(): chinese.strip() for english, chinese in entries})


@cache
def cues() -> Mapping[str, tuple[str, ...]]:
    """The parser's cue words by class ("speech verb", "role head", "title", …), each in file order."""
    classes: dict[str, list[str]] = {}
    for line in _lines("cues.tsv"):
        word, cls = line.split("\t")
        classes.setdefault(cls.strip(), []).append(word.strip())
    return MappingProxyType({cls: tuple(words) for cls, words in classes.items()})
