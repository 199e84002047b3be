"""Who spoke where: names, surnames and role words resolved to speakers, per article."""
from __future__ import annotations

import functools
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from .columns import LazyRows, StringTable, csr
from .models import Deferred, Document

_ROLE_SPLIT = re.compile(r"[、，,；;/\s]+|和|兼")
# Common shortenings of role words, so 宣传部长 finds 宣传部部长 and 政法委书记 finds itself.
_ROLE_VARIANTS = (("部部长", "部长"), ("委员会主任", "委主任"), ("人民政府", "政府"))


@dataclass(frozen=True)
class SpeakerRef:
    doc: int
    name: str
    role: str | None
    number: int = field(default=-1, compare=False, repr=False)   # its place in the directory, -1 if none


class RefList(Deferred[SpeakerRef]):
    """Directory entries by number, their `SpeakerRef`s made only when read: a role word in a question
    (代表, 委员) may name thousands of holders, of whom an answer reads a few, or only their numbers."""

    __slots__ = ("_directory", "numbers")

    def __init__(self, directory: "SpeakerDirectory", numbers: np.ndarray) -> None:
        super().__init__(lambda: tuple(map(directory.ref, numbers.tolist())))
        self._directory = directory
        self.numbers = numbers

    @property
    def docs(self) -> np.ndarray:
        """Each entry's document."""
        return self._directory._ref_doc[self.numbers]

    def where(self, keep: np.ndarray) -> "RefList":
        return RefList(self._directory, self.numbers[keep])

    def __len__(self) -> int:
        return len(self.numbers)

    def __add__(self, other: Sequence[SpeakerRef]) -> "RefList | tuple[SpeakerRef, ...]":
        if isinstance(other, RefList) and other._directory is self._directory:
            return RefList(self._directory, np.concatenate((self.numbers, other.numbers)))
        return self.items + tuple(other)


@dataclass(frozen=True)
class Mention:
    named: RefList        # people a question is about, by name (陈建国说了什么)
    context: RefList      # people named as someone's partner (和李先念座谈时, 向李鹏介绍)
    described: RefList    # holders of a role word in the question (纪委书记)
    spans: list[tuple[int, int]]       # where those names and role words stand in the text
    role_span: tuple[int, int] | None = None   # where the role word `described` holds stands, if any
    shortened: tuple[str, ...] = ()            # roles given shortened (村支书), as the question writes them


# A name right after one of these is the other party of the talk, not the speaker asked about.
_PARTNER_BEFORE = ("和", "与", "同", "跟", "向", "对", "给", "问", "告诉", "请", "陪同")


@functools.lru_cache(maxsize=65536)  # a large corpus repeats its roles (总书记, 委员 ...) thousands of times
def role_keys(role: str) -> tuple[str, ...]:
    """Every tail of every part of a role (纪委书记, 委书记, 书记 ...) that a question may use for it, sorted
    (the directory's table numbers its keys in this order: a set's order changed from run to run with
    the string hash, and the stored table, and ties between keys, with it)."""
    keys: set[str] = set()
    for part in filter(None, _ROLE_SPLIT.split(role)):
        for variant in _variants(part):
            keys.update(variant[i:] for i in range(len(variant) - 1))
    return tuple(sorted(keys))


def _variants(part: str) -> set[str]:
    found = {part}
    for long, short in _ROLE_VARIANTS:
        found |= {p.replace(long, short) for p in found if long in p}
    return found


class SpeakerDirectory:
    """Speakers of every document, findable by name, unique surname or role word.

    Kept as arrays (stored with the index cache, so a start does not rebuild it): the refs in
    document order, and name and role-word tables whose entries point at their refs. A
    `SpeakerRef` is made only for the speakers a question or command returns.
    """

    def __init__(self, arrays: Mapping[str, np.ndarray]) -> None:
        self.arrays = arrays
        self._names = StringTable.from_arrays(arrays, "names")      # in order of first appearance
        self._roles = StringTable.from_arrays(arrays, "roles")      # role keys, likewise
        self._role_text = StringTable.from_arrays(arrays, "role_text")
        self._ref_doc, self._ref_name, self._ref_role = arrays["ref_doc"], arrays["ref_name"], arrays["ref_role"]
        self._ref_key = arrays["ref_key"]
        self._name_ptr, self._name_refs = arrays["name_ptr"], arrays["name_refs"]
        self._role_ptr, self._role_refs = arrays["role_ptr"], arrays["role_refs"]
        if not (len(self._ref_doc) == len(self._ref_name) == len(self._ref_role) == len(self._ref_key)
                and len(self._name_ptr) == len(self._names) + 1 and len(self._role_ptr) == len(self._roles) + 1
                and int(self._name_ptr[-1]) == len(self._name_refs) and int(self._role_ptr[-1]) == len(self._role_refs)):
            raise ValueError("speaker directory arrays do not fit together")
        self._longest = (int(arrays["longest"][0]), int(arrays["longest"][1]))
        self._all_names: list[str] | None = None
        self._starts = {table: StringTable.from_arrays(arrays, f"{table}_starts") for table in ("names", "roles")}
        self._start_sets: dict[str, frozenset[str]] = {}   # decoded on first use
        self._role_part_cache: dict[str, tuple[str, np.ndarray, np.ndarray] | None] = {}   # see _role_parts
        self.refs = RefView(self)

    @classmethod
    def build(cls, documents: Sequence[Document],
              speaker_id: Callable[[int, str], int | None] = lambda doc, name: None) -> "SpeakerDirectory":
        """The directory of the documents; `speaker_id` numbers each speaker's speech (Columns.speaker_id)."""
        names: dict[str, list[int]] = {}       # name -> its refs, in order of first appearance
        roles: dict[str, list[int]] = {}
        role_text: dict[str, int] = {}
        name_ids: dict[str, int] = {}
        ref_doc, ref_name, ref_role = [], [], []
        for doc_index, doc in enumerate(documents):
            for name, role in cls._speakers(doc).items():
                n = len(ref_doc)
                ref_doc.append(doc_index)
                if name not in names:
                    names[name] = []
                    name_ids[name] = len(name_ids)
                ref_name.append(name_ids[name])
                names[name].append(n)
                ref_role.append(-1 if role is None else role_text.setdefault(role, len(role_text)))
                for key in role_keys(role or ""):
                    roles.setdefault(key, []).append(n)
        names_of = list(names)
        name_ptr, name_refs = csr(list(names.values()))
        role_ptr, role_refs = csr(list(roles.values()))
        arrays = {
            "ref_doc": np.array(ref_doc, dtype=np.int32), "ref_name": np.array(ref_name, dtype=np.int32),
            "ref_role": np.array(ref_role, dtype=np.int32),
            "ref_key": np.array([k if (k := speaker_id(d, names_of[n])) is not None else -1
                                 for d, n in zip(ref_doc, ref_name)], dtype=np.int32),
            "name_ptr": name_ptr, "name_refs": name_refs, "role_ptr": role_ptr, "role_refs": role_refs,
            "longest": np.array([max(map(len, names), default=0), max(map(len, roles), default=0)], dtype=np.int64),
            **StringTable.pack(names, findable=True).arrays("names"),
            **StringTable.pack(roles, findable=True).arrays("roles"),
            **StringTable.pack(role_text).arrays("role_text"),
            **StringTable.pack(sorted({k[:2] for k in names})).arrays("names_starts"),
            **StringTable.pack(sorted({k[:2] for k in roles})).arrays("roles_starts"),
        }
        return cls(arrays)

    @staticmethod
    def _speakers(doc: Document) -> dict[str, str | None]:
        # One-character labels (答, 问) are not names a user could ask for.
        return {n: r for n, r in doc.speakers.items() if len(n) >= 2}

    def ref(self, n: int) -> SpeakerRef:
        role = int(self._ref_role[n])
        return SpeakerRef(int(self._ref_doc[n]), self._names[int(self._ref_name[n])],
                          None if role < 0 else self._role_text[role], n)

    def speaker_ids(self, refs: Sequence[SpeakerRef]) -> np.ndarray:
        """Each ref's speaker id (see Columns.unit_speaker); -1 where unknown or not one of ours."""
        numbers = refs.numbers if isinstance(refs, RefList) else \
            np.fromiter((r.number for r in refs), dtype=np.int64, count=len(refs))
        found = np.full(len(refs), -1, dtype=np.int64)
        ours = (numbers >= 0) & (numbers < len(self._ref_key))
        found[ours] = self._ref_key[numbers[ours]]
        return found

    def _refs(self, ptr: np.ndarray, refs: np.ndarray, key: int) -> list[SpeakerRef]:
        return [self.ref(n) for n in refs[ptr[key] : ptr[key + 1]].tolist()]

    def _named(self, name: int) -> list[SpeakerRef]:
        """The refs of name number `name`."""
        return self._refs(self._name_ptr, self._name_refs, name)

    def _described(self, role: int) -> list[SpeakerRef]:
        """The refs of role key number `role`."""
        return self._refs(self._role_ptr, self._role_refs, role)

    @property
    def names(self) -> list[str]:
        if self._all_names is None:
            self._all_names = list(self._names)
        return self._all_names

    @property
    def role_words(self) -> set[str]:
        return set(self._roles)

    def lookup(self, query: str) -> list[SpeakerRef]:
        """Speakers a user means by a full name, a unique surname, a name part or a role word."""
        query = query.strip()
        if not query:
            return []
        exact = self._names.index_of(query)
        if exact is not None:
            return self._named(exact)
        by_surname = [i for i, n in enumerate(self.names) if n.startswith(query)]
        if len(by_surname) == 1:
            return self._named(by_surname[0])
        role = self._roles.index_of(query)
        if role is not None:
            return self._described(role)
        return [r for i in by_surname for r in self._named(i)] or [
            r for i, n in enumerate(self.names) if query in n for r in self._named(i)
        ]

    def find_in(self, text: str, starts: Collection[int] | None = None) -> Mention:
        """Speakers a question names (as subject or as partner) or describes by role, and where.

        `starts`: where the question's words start (its segmentation). A role word is taken only where
        a word starts: role keys are every tail of a role (书记 of 纪委书记), so without it the tail of
        one word and the head of the next read as a role (河北代表团 as 湖北代表's 北代表, 人大常委会's
        常委, 中联部部长 as 部部长); 代表 in 北京代表团 still counts, as it starts a word."""
        spans: list[tuple[int, int]] = []
        named: list[np.ndarray] = []
        context: list[np.ndarray] = []
        described: list[np.ndarray] = []
        for key, n in self._longest_first("names", self._longest[0], text):
            start = self._take(text, key, spans)
            if start is not None:
                partner = text[:start].endswith(_PARTNER_BEFORE)
                (context if partner else named).append(self._name_refs[self._name_ptr[n] : self._name_ptr[n + 1]])
        longest = 0
        role_span = None
        for key, n in self._longest_first("roles", self._longest[1], text):
            start = self._take(text, key, spans, starts)
            # A role after 向/和/与 is the other party, as a name there is (哪位村支书向总理说了心里话).
            if start is not None and not text[:start].endswith(_PARTNER_BEFORE):
                # Of several role words (两会代表委员……辽宁省省长), the longest says whom the question means;
                # the shorter ones are still cut from the topic.
                longest = longest or len(key)
                role_span = role_span or (start, start + len(key))
                if len(key) == longest:
                    described.append(self._role_refs[self._role_ptr[n] : self._role_ptr[n + 1]])
        if not described and starts is not None:
            taken = len(spans)
            described = self._abbreviated(text, starts, spans)
            shortened = tuple(text[a:b] for a, b in spans[taken:])
        else:
            shortened = ()
        return Mention(self._unique(named), self._unique(context), self._unique(described), spans, role_span,
                       shortened)

    def _abbreviated(self, text: str, starts: Collection[int], spans: list[tuple[int, int]]) -> list[np.ndarray]:
        """Holders of a role the question gives shortened, when it names none in full: a word of 3+
        characters that stand in order, with gaps, in one part of a role up to its last character or
        the one before (村支书 for 村党支部书记). A word standing in a role whole is a role key already,
        so only shortenings are looked for here."""
        bounds = sorted(starts)
        found: list[np.ndarray] = []
        for a, b in zip(bounds, bounds[1:]):
            word = text[a:b]
            if b - a < 3 or not all("\u4e00" <= c <= "\u9fff" for c in word) or any(x < b and a < y for x, y in spans):
                continue
            parts = self._role_parts(word[-1])   # only the parts the word's last character can end
            if parts is None:
                continue
            joined, part_starts, part_role = parts
            if not all(c in joined for c in word[:-1]):
                continue   # a character no part holds: no match (compiling the pattern costs ~50 µs)
            pattern = re.compile("[^\n]{0,3}".join(map(re.escape, word)) + "[^\n]?\n")
            at = [m.start() for m in pattern.finditer(joined)]
            if not at:
                continue
            roles = np.unique(part_role[np.searchsorted(part_starts, at, side="right") - 1])
            refs = np.flatnonzero(np.isin(self._ref_role, roles))
            if len(refs):
                spans.append((a, b))
                found.append(refs)
        return found

    def _role_parts(self, char: str) -> tuple[str, np.ndarray, np.ndarray] | None:
        """The parts of every role (split as role keys are) that `char` ends or stands last but one in,
        joined by newlines, with where each part starts and the role it is of; None when there are none.

        Made per character when first asked for: grouping all parts by all their characters at once was
        ~25 ms of the first question at 100k passages, and a question asks for a few characters. The
        parts are picked by comparing the code points of their last two characters as arrays (a loop
        over the ~9k parts at 100k was ~2 ms for every new character)."""
        cache = self._role_part_cache
        if char not in cache:
            roles, parts = self._role_part_list
            last, before = self._role_part_ends
            code = ord(char)
            picked = np.flatnonzero((last == code) | (before == code))
            texts = [parts[i] + "\n" for i in picked.tolist()]
            sizes = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
            cache[char] = ("".join(texts), np.cumsum(sizes) - sizes, roles[picked]) if texts else None
        return cache[char]

    @functools.cached_property
    def _role_part_list(self) -> tuple[np.ndarray, list[str]]:
        """(role number of each part, the parts) for the parts of every role, in order."""
        pairs = [(r, part) for r, role in enumerate(self._role_text) for part in filter(None, _ROLE_SPLIT.split(role))]
        return np.array([r for r, _ in pairs], dtype=np.int64), [part for _, part in pairs]

    @functools.cached_property
    def _role_part_ends(self) -> tuple[np.ndarray, np.ndarray]:
        """The code points of each part's last character and of the one before it (-1 for a part of one)."""
        parts = self._role_part_list[1]
        last = np.fromiter((ord(p[-1]) for p in parts), dtype=np.int64, count=len(parts))
        before = np.fromiter((ord(p[-2]) if len(p) > 1 else -1 for p in parts), dtype=np.int64, count=len(parts))
        return last, before

    def _unique(self, parts: list[np.ndarray]) -> RefList:
        """The entries of `parts`, each once, in order of first appearance."""
        if len(parts) < 2:   # one name's or role word's entries are distinct already
            return RefList(self, parts[0].astype(np.int64) if parts else np.empty(0, np.int64))
        numbers = np.concatenate(parts).astype(np.int64)
        _, first = np.unique(numbers, return_index=True)
        return RefList(self, numbers[np.sort(first)])

    def _longest_first(self, table: str, longest: int, text: str) -> list[tuple[str, int]]:
        """The keys of `table` (names, roles) in the text with their numbers, longest first, ties in table order.

        Only the text's substrings that start like some key (its first two characters: every name and
        role key has two or more) are looked up, in one hashed search: trying every key (tens of
        thousands over a large corpus) cost ~50 ms a question.
        """
        starts = self.starts(table)
        n = len(text)
        present = list({text[i:j] for i in range(n - 1) if text[i : i + 2] in starts
                        for j in range(i + 2, min(n, i + longest) + 1)})
        keys = self._names if table == "names" else self._roles
        found = [(key, k) for key, k in zip(present, keys.find(present)) if k is not None]
        return sorted(found, key=lambda item: (-len(item[0]), item[1]))

    def starts(self, table: str) -> frozenset[str]:
        """The first two characters of every key of `table` (names, roles), decoded once: a set lookup per
        piece of a question, where bisecting the stored table decoded a dozen strings each (~0.5 ms a
        question at 100k passages)."""
        found = self._start_sets.get(table)
        if found is None:
            stored = self._starts[table]
            text = stored.blob.tobytes().decode("utf-8", "surrogatepass")
            if len(text) == 2 * len(stored):   # every key has two or more characters: cut the text in pairs
                found = frozenset(text[i : i + 2] for i in range(0, len(text), 2))
            else:
                found = frozenset(stored)
            self._start_sets[table] = found
        return found

    @staticmethod
    def _take(text: str, key: str, spans: list[tuple[int, int]], starts: Collection[int] | None = None) -> int | None:
        """Where the key first stands clear of the spans already taken (then taken too), at one of
        `starts` when given."""
        start = text.find(key)
        while start >= 0:
            end = start + len(key)
            if (starts is None or _whole(start, end, starts)) and not any(a < end and start < b for a, b in spans):
                spans.append((start, end))
                return start
            start = text.find(key, start + 1)
        return None


def _whole(start: int, end: int, starts: Collection[int]) -> bool:
    """Whether text[start:end] is made of the question's words: it starts a word, and it ends one
    or holds a whole word before running into the next (重庆代表 of 重庆代表团, where 代表团 alone is a
    delegation, not a deputy)."""
    return start in starts and (end in starts or any(start < i < end for i in starts))


class RefView(LazyRows[SpeakerRef]):
    """The directory's speakers in document order, each made when asked for."""

    def __init__(self, directory: SpeakerDirectory) -> None:
        self._directory = directory

    def __len__(self) -> int:
        return len(self._directory._ref_doc)

    def row(self, n: int) -> SpeakerRef:
        return self._directory.ref(n)

    def in_doc(self, doc: int) -> list[SpeakerRef]:
        """The speakers of one document (refs come in document order)."""
        docs = self._directory._ref_doc
        a, b = np.searchsorted(docs, [doc, doc + 1]).tolist()
        return [self._directory.ref(n) for n in range(a, b)]
