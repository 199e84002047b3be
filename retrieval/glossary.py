"""English words the hand glossary lacks, reached through a glossary generated from CC-CEDICT.

The hand glossary (`retrieval/data/glossary.tsv`) replaces the English words it knows with exact Chinese.
For the other words of an English question, `retrieval/data/cedict.tsv` (written by
scripts/convert_cedict.py from CC-CEDICT, CC-BY-SA 4.0) gives candidate Chinese words, most specific
definition first. They are added softly: weighted below the user's words, only those in the index's
vocabulary, a few per English word, never a speaker's name or a role word (a role says whom to ask
among, and an English role word must not pick speakers by dictionary).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from functools import cache
from types import MappingProxyType

from .tables import DATA, english_stopwords

_FILE = DATA / "cedict.tsv"
_WORD = re.compile(r"[a-z][a-z'-]*")


@cache
def cedict() -> Mapping[str, tuple[str, ...]]:
    """English gloss -> simplified Chinese words, most specific first. Read on first need (~1.6 MB):
    only a question with Latin words asks for it."""
    table: dict[str, tuple[str, ...]] = {}
    with open(_FILE, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                continue
            key, _, words = line.rstrip("\n").partition("\t")
            table[key] = tuple(words.split())
    return MappingProxyType(table)


def forms(word: str) -> list[str]:
    """The word and the base forms its English ending may hide (drugs -> drug, killed -> kill, taxes ->
    tax, studies -> study, making -> make): the dictionary keys the base form."""
    out = [word]
    for ending, base in (("ies", "y"), ("ied", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"),
                         ("d", ""), ("ing", ""), ("ing", "e"), ("'s", "")):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            out.append(word[: len(word) - len(ending)] + base)
    return list(dict.fromkeys(out))


def english_words(text: str) -> list[str]:
    """The Latin words of `text`, lower-cased, in order, stop words left out (a stop word splits a
    phrase: it is no key's part)."""
    stop = english_stopwords()
    return [w if w not in stop else "" for w in _WORD.findall(text.lower())]


def keys_found(words: Sequence[str], table: Mapping[str, Sequence[str]]) -> list[str]:
    """The dictionary keys the words spell, left to right, a two-word phrase before its single words
    (traffic jam -> 堵车, not traffic + jam)."""
    found: list[str] = []
    i = 0
    while i < len(words):
        if not words[i]:
            i += 1
            continue
        if i + 1 < len(words) and words[i + 1]:
            pair = next((f"{words[i]} {f}" for f in forms(words[i + 1]) if f"{words[i]} {f}" in table), None)
            if pair is not None:
                found.append(pair)
                i += 2
                continue
        single = next((f for f in forms(words[i]) if f in table), None)
        if single is not None:
            found.append(single)
        i += 1
    return found


class GeneratedGlossary:
    """Chinese candidates, weighted, for the English words the hand glossary did not translate."""

    def __init__(self, weight: float, per_word: int, known: Callable[[str], bool],
                 excluded: Callable[[], Collection[str]],
                 table: Callable[[], Mapping[str, Sequence[str]]] = cedict) -> None:
        self.weight = weight
        self.per_word = per_word
        self.known = known
        self._excluded = excluded    # names and role words; read on first use
        self._table = table

    def candidates(self, words: Iterable[str]) -> list[tuple[str, float]]:
        """(Chinese word, weight) for each dictionary key the words spell: its first `per_word` words that
        the index holds, names and roles left out. Nothing when the weight is 0 (the file is not read)."""
        words = list(words)
        if self.weight <= 0 or self.per_word <= 0 or not words:
            return []
        table = self._table()
        excluded = self._excluded()
        out: dict[str, float] = {}
        for key in keys_found(words, table):
            added = 0
            for chinese in table[key]:
                if added >= self.per_word:
                    break
                if chinese in excluded or not self.known(chinese):
                    continue
                added += 1
                out.setdefault(chinese, self.weight)
        return list(out.items())
