"""Who spoke where: names, surnames and role words resolved to speakers, per article."""
from __future__ import annotations

import functools
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
    named: tuple[SpeakerRef, ...]      # people a question is about, by name (陈建国说了什么)
    context: tuple[SpeakerRef, ...]    # people named as someone's partner (和李先念座谈时, 向李鹏介绍)
    described: tuple[SpeakerRef, ...]  # holders of a role word in the question (纪委书记)
    spans: list[tuple[int, int]]       # where those names and role words stand in the text


# A name right after one of these is the other party of the talk, not the speaker asked about.
_PARTNER_BEFORE = ("和", "与", "同", "跟", "向", "对", "给", "问", "告诉", "请", "陪同")


@functools.lru_cache(maxsize=65536)  # a large corpus repeats its roles (总书记, 委员 ...) thousands of times
def role_keys(role: str) -> frozenset[str]:
    """Every tail of every part of a role (纪委书记, 委书记, 书记 ...) that a question may use for it."""
    keys: set[str] = set()
    for part in filter(None, _ROLE_SPLIT.split(role)):
        for variant in _variants(part):
            keys.update(variant[i:] for i in range(len(variant) - 1))
    return frozenset(keys)


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
        self._rankings: dict[int, tuple[dict[str, int], int]] = {}
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
        """Speakers a question names (as subject or as partner) or describes by role, and where."""
        spans: list[tuple[int, int]] = []
        named: list[SpeakerRef] = []
        context: list[SpeakerRef] = []
        described: list[SpeakerRef] = []
        for key in self._longest_first(self._by_name, text):
            start = self._take(text, key, spans)
            if start is not None:
                partner = text[:start].endswith(_PARTNER_BEFORE)
                (context if partner else named).extend(self._by_name[key])
        longest = 0
        for key in self._longest_first(self._by_role, text):
            if self._take(text, key, spans) is not None:
                # Of several role words (两会代表委员……辽宁省省长), the longest says whom the question means;
                # the shorter ones are still cut from the topic.
                longest = longest or len(key)
                if len(key) == longest:
                    described.extend(self._by_role[key])
        unique = lambda refs: tuple(dict.fromkeys(refs))  # noqa: E731
        return Mention(unique(named), unique(context), unique(described), spans)

    def _longest_first(self, table: dict[str, list[SpeakerRef]], text: str) -> list[str]:
        """The table's keys that occur in the text, longest first, ties in table order.

        Only keys found among the text's substrings are tried: the others would match nothing,
        and trying all of them (tens of thousands over a large corpus) cost ~50 ms a question.
        """
        rank, longest = self._ranking(table)
        n = len(text)
        present = {text[i:j] for i in range(n) for j in range(i + 1, min(n, i + longest) + 1)}
        return sorted((key for key in present if key in rank), key=rank.__getitem__)

    def _ranking(self, table: dict[str, list[SpeakerRef]]) -> tuple[dict[str, int], int]:
        """Each key's place in longest-first order, and the longest key's length (computed once)."""
        cached = self._rankings.get(id(table))
        if cached is None or len(cached[0]) != len(table):
            ordered = sorted(table, key=len, reverse=True)
            cached = ({key: i for i, key in enumerate(ordered)}, len(ordered[0]) if ordered else 0)
            self._rankings[id(table)] = cached
        return cached

    @staticmethod
    def _take(text: str, key: str, spans: list[tuple[int, int]]) -> int | None:
        """Where the key first stands clear of the spans already taken (then taken too)."""
        start = text.find(key)
        while start >= 0:
            end = start + len(key)
            if not any(a < end and start < b for a, b in spans):
                spans.append((start, end))
                return start
            start = text.find(key, start + 1)
        return None

