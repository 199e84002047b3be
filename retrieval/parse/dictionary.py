"""jieba's dictionary as the parser reads it: which name-sized words are people (tagged nr) and which are
ordinary words, so a name is told by data that exists rather than by lists typed here."""
from __future__ import annotations

import re
from functools import cache

from ..lexicon import dictionary_file

# dict.txt lines are "word freq tag"; names are 3 characters tagged nr…, ordinary words 2-3 characters
# met at least 50 times under any other tag.
_PEOPLE = re.compile(r"^(\S{3}) \d+ nr", re.M)
_COMMON = re.compile(r"^(\S{2,3}) (?:[5-9]\d|\d{3,}) (?!nr)", re.M)


@cache
def _words() -> tuple[frozenset[str], frozenset[str]]:
    """(person names of 3 characters, ordinary words of 2-3 characters); empty without jieba's dict.txt."""
    path = dictionary_file()
    if path is None:
        return frozenset(), frozenset()
    text = path.read_text(encoding="utf-8")
    return frozenset(_PEOPLE.findall(text)), frozenset(_COMMON.findall(text))


def person(word: str) -> bool:
    """True for a 3-character word jieba's dictionary gives as a person's name (时传祥, 张海迪)."""
    return word in _words()[0]


def ordinary(word: str) -> bool:
    """True for a 2-3 character word jieba's dictionary knows as something other than a person (马上, 团长)."""
    return word in _words()[1]
