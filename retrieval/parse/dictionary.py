"""jieba's dictionary as the parser reads it: which name-sized words are ordinary words, so a name is told
by data that exists rather than by lists typed here."""
from __future__ import annotations

import re
from functools import cache

from ..lexicon import dictionary_file

# dict.txt lines are "word freq tag"; ordinary words are 2-3 characters met at least 50 times under a tag
# other than nr (person).
_COMMON = re.compile(r"^(\S{2,3}) (?:[5-9]\d|\d{3,}) (?!nr)", re.M)
_PERSON = re.compile(r"^(\S{3}) \d+ nr$", re.M)
_FREQUENT = re.compile(r"^(\S{2,3}) (?:[5-9]\d|\d{3,}) ", re.M)


@cache
def _words(pattern: re.Pattern[str]) -> frozenset[str]:
    """The dictionary's words that `pattern` picks; empty without jieba's dict.txt."""
    path = dictionary_file()
    return frozenset(pattern.findall(path.read_text(encoding="utf-8"))) if path else frozenset()


def ordinary(word: str) -> bool:
    """True for a 2-3 character word jieba's dictionary knows as something other than a person (马上, 团长)."""
    return word in _words(_COMMON)


def person(word: str) -> bool:
    """True for a 3-character word jieba's dictionary tags as a person's name (钱其琛, 张之洞)."""
    return word in _words(_PERSON)


def frequent(word: str) -> bool:
    """True for a 2-3 character word jieba's dictionary has met at least 50 times under any tag: its nr
    tag alone does not make a name (顾客, 卫星 and 陈列 are tagged nr there)."""
    return word in _words(_FREQUENT)
