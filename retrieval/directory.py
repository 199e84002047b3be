"""Who spoke where: names, surnames and role words resolved to speakers, per article."""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from .models import Document

_ROLE_SPLIT = re.compile(r"[、，,；;/\s]+|和|兼")
# Common shortenings of role words, so 宣传部长 finds 宣传部部长 and 政法委书记 finds itself.
_ROLE_VARIANTS = (("部部长", "部长"), ("委员会主任", "委主任"), ("人民政府", "政府"))


@dataclass(frozen=True)
class SpeakerRef:
    doc: int
    name: str
    role: str | None


@dataclass(frozen=True)
class Mention:
    refs: tuple[SpeakerRef, ...]
    spans: list[tuple[int, int]]     # where the names or role words stand in the text
    by_name: bool                    # named (陈建国) rather than described (纪委书记)


def role_keys(role: str) -> set[str]:
    """Every tail of every part of a role (纪委书记, 委书记, 书记 ...) that a question may use for it."""
    keys: set[str] = set()
    for part in filter(None, _ROLE_SPLIT.split(role)):
        for variant in _variants(part):
            keys.update(variant[i:] for i in range(len(variant) - 1))
    return keys


def _variants(part: str) -> set[str]:
    found = {part}
    for long, short in _ROLE_VARIANTS:
        found |= {p.replace(long, short) for p in found if long in p}
    return found


class SpeakerDirectory:
    """Speakers of every document, findable by name, unique surname or role word."""

    def __init__(self, documents: Sequence[Document]) -> None:
        self.refs: list[SpeakerRef] = []
        self._by_name: dict[str, list[SpeakerRef]] = defaultdict(list)
        self._by_role: dict[str, list[SpeakerRef]] = defaultdict(list)
        for doc_index, doc in enumerate(documents):
            for name, role in self._speakers(doc).items():
                ref = SpeakerRef(doc_index, name, role)
                self.refs.append(ref)
                self._by_name[name].append(ref)
                for key in role_keys(role or ""):
                    self._by_role[key].append(ref)

    @staticmethod
    def _speakers(doc: Document) -> dict[str, str | None]:
        # One-character labels (答, 问) are not names a user could ask for.
        return {n: r for n, r in doc.speakers.items() if len(n) >= 2}

    @property
    def names(self) -> list[str]:
        return list(self._by_name)

    @property
    def role_words(self) -> set[str]:
        return set(self._by_role)

    def lookup(self, query: str) -> list[SpeakerRef]:
        """Speakers a user means by a full name, a unique surname, a name part or a role word."""
        query = query.strip()
        if not query:
            return []
        if query in self._by_name:
            return list(self._by_name[query])
        by_surname = [n for n in self._by_name if n.startswith(query)]
        if len(by_surname) == 1:
            return list(self._by_name[by_surname[0]])
        if query in self._by_role:
            return list(self._by_role[query])
        return [r for n in by_surname for r in self._by_name[n]] or [
            r for n, refs in self._by_name.items() if query in n for r in refs
        ]

    def find_in(self, text: str) -> Mention:
        """Speakers named, or else described by role, in a question, and where in the text."""
        spans: list[tuple[int, int]] = []
        refs: list[SpeakerRef] = []
        for key in self._longest_first(self._by_name):
            refs += self._take(text, key, self._by_name, spans)
        if refs:
            return Mention(tuple(dict.fromkeys(refs)), spans, by_name=True)
        for key in self._longest_first(self._by_role):
            refs += self._take(text, key, self._by_role, spans)
        return Mention(tuple(dict.fromkeys(refs)), spans, by_name=False)

    @staticmethod
    def _longest_first(table: dict[str, list[SpeakerRef]]) -> list[str]:
        return sorted(table, key=len, reverse=True)

    @staticmethod
    def _take(text: str, key: str, table: dict[str, list[SpeakerRef]], spans: list[tuple[int, int]]) -> list[SpeakerRef]:
        start = text.find(key)
        while start >= 0:
            end = start + len(key)
            if not any(a < end and start < b for a, b in spans):
                spans.append((start, end))
                return list(table[key])
            start = text.find(key, start + 1)
        return []

