"""The parsed corpus as columns: utterance fields, texts and document headers in numpy arrays.

Loaded from the index cache these are memory-mapped, so opening a corpus costs the same at 10k
and at 1M passages; a `Document` or an `Utterance` is made only when an answer cites it.
"""
from __future__ import annotations

import json
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import TypeVar

import numpy as np

from .models import SPEECH, Citation, Document, Problem, Section, Utterance

T = TypeVar("T")

_DOC_CACHE = 4096   # documents kept made; a page cites a handful


class StringTable(Sequence[str]):
    """Strings as one UTF-8 blob with byte offsets: any one decoded alone, found by its CRC-32."""

    def __init__(self, blob: np.ndarray, offsets: np.ndarray, hashes: np.ndarray | None = None,
                 order: np.ndarray | None = None) -> None:
        self.blob, self.offsets = blob, offsets
        self.hashes, self.order = hashes, order     # CRC-32s sorted, and the string number of each
        self._bounds: list[int] | None = None

    @classmethod
    def pack(cls, strings: Iterable[str], findable: bool = False) -> "StringTable":
        encoded = [s.encode("utf-8", "surrogatepass") for s in strings]
        offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
        np.cumsum([len(b) for b in encoded], out=offsets[1:])
        blob = np.frombuffer(b"".join(encoded), dtype=np.uint8)
        if not findable:
            return cls(blob, offsets)
        crcs = np.fromiter(map(zlib.crc32, encoded), dtype=np.uint32, count=len(encoded))
        order = np.argsort(crcs, kind="stable").astype(np.int32)
        return cls(blob, offsets, crcs[order], order)

    def arrays(self, prefix: str) -> dict[str, np.ndarray]:
        found = {f"{prefix}_blob": self.blob, f"{prefix}_offsets": self.offsets}
        if self.hashes is not None:
            found.update({f"{prefix}_hashes": self.hashes, f"{prefix}_order": self.order})
        return found

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, np.ndarray], prefix: str) -> "StringTable":
        table = cls(arrays[f"{prefix}_blob"], arrays[f"{prefix}_offsets"], arrays.get(f"{prefix}_hashes"),
                    arrays.get(f"{prefix}_order"))
        if len(table.offsets) < 1 or int(table.offsets[-1]) != len(table.blob):
            raise ValueError(f"{prefix}: offsets do not match the text")
        if table.hashes is not None and not len(table.hashes) == len(table.order) == len(table):
            raise ValueError(f"{prefix}: hashes do not match the strings")
        return table

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        a, b = int(self.offsets[i]), int(self.offsets[i + 1])
        return self.blob[a:b].tobytes().decode("utf-8", "surrogatepass")

    def joined(self, ids: np.ndarray, sep: str = "\x00") -> str:
        """The strings `ids`, in that order, joined by `sep` and decoded in one go."""
        view = memoryview(self.blob)
        starts, ends = self.offsets[ids].tolist(), self.offsets[ids + 1].tolist()
        raw = sep.encode("utf-8").join([view[a:b] for a, b in zip(starts, ends)])
        return raw.decode("utf-8", "surrogatepass")

    def __iter__(self) -> Iterator[str]:
        """Every string, decoded in one go."""
        text = self.blob.tobytes()
        bounds = self.offsets.tolist()
        return (text[a:b].decode("utf-8", "surrogatepass") for a, b in zip(bounds, bounds[1:]))

    def find(self, strings: Sequence[str]) -> list[int | None]:
        """The number of each string in the table (None when absent): one vectorised hash lookup."""
        if self.hashes is None:
            raise TypeError("this table was packed without hashes")
        if not strings or not len(self.hashes):
            return [None] * len(strings)
        crcs = np.array([zlib.crc32(s.encode("utf-8", "surrogatepass")) for s in strings], dtype=np.uint32)
        size = len(self.hashes)
        at = np.searchsorted(self.hashes, crcs)
        # Only strings whose CRC is in the table are compared (most pieces of a text are no word).
        maybe = np.flatnonzero(self.hashes[np.minimum(at, size - 1)] == crcs)
        found: list[int | None] = [None] * len(strings)
        if not len(maybe):
            return found
        first = self.order[at[maybe]]
        view = memoryview(self.blob)
        starts, ends = self.offsets[first].tolist(), self.offsets[first + 1].tolist()
        for n, k, a, b in zip(maybe.tolist(), first.tolist(), starts, ends):
            s = strings[n]
            if view[a:b] == s.encode("utf-8", "surrogatepass"):
                found[n] = k
                continue
            crc, i = int(crcs[n]), int(at[n]) + 1    # strings sharing a CRC: the next ones in order
            while i < size and int(self.hashes[i]) == crc:
                if self[int(self.order[i])] == s:
                    found[n] = int(self.order[i])
                    break
                i += 1
        return found

    def index_of(self, string: str) -> int | None:
        return self.find([string])[0]


def csr(groups: Sequence[Sequence[int]]) -> tuple[np.ndarray, np.ndarray]:
    """(ptr, values): group g's values are values[ptr[g]:ptr[g + 1]]."""
    ptr = np.zeros(len(groups) + 1, dtype=np.int64)
    np.cumsum([len(g) for g in groups], out=ptr[1:])
    values = np.fromiter(chain.from_iterable(groups), dtype=np.int32, count=int(ptr[-1]))   # no frame per value
    return ptr, values


@dataclass(frozen=True)
class Unit:
    doc: int
    utterance: Utterance


# Columns of the unit table
_DOC, _SPEAKER, _ROLE, _SECTION, _POSITION, _KIND = range(6)


class Columns:
    """Documents and their utterances as arrays; `documents` and `units` make records on demand."""

    def __init__(self, arrays: Mapping[str, np.ndarray], meta: Mapping, known: Sequence[Document] | None = None) -> None:
        self.arrays = arrays
        self.table = arrays["units"]                          # (units, 6) int32, see _DOC ...
        self.doc_start = arrays["doc_start"]                  # units of doc d: doc_start[d]:doc_start[d + 1]
        self.texts = StringTable.from_arrays(arrays, "texts")
        self.strings = StringTable.from_arrays(arrays, "strings")   # speakers and roles; id -1 is None
        self.headers = StringTable.from_arrays(arrays, "docs")      # one JSON header per document
        self.section_titles = StringTable.from_arrays(arrays, "sec_titles")
        self.titles = StringTable.from_arrays(arrays, "titles")
        self.dates = StringTable.from_arrays(arrays, "dates")
        self._speaker_ids: dict[tuple[int, str], int | None] = {}   # remembered as questions ask
        self._headers: dict[int, list] = {}
        self.unit_speaker = arrays["unit_speaker"]           # speaker id of named speech, else -1
        self.key_doc, self.key_name = arrays["key_doc"], arrays["key_name"]   # speakers in (doc, name) order
        self.turn_ptr, self.turn_units = arrays["turn_ptr"], arrays["turn_units"]
        self.key_role = arrays["key_role"]                    # each speaker's role in Document.speakers
        self.doc_keys = arrays["doc_keys"]                    # speakers of doc d: doc_keys[d]:doc_keys[d + 1]
        self.kinds: list[str] = list(meta["kinds"])
        self.problems = [Problem(source, reason) for source, reason in meta["problems"]]
        n_units, n_docs = len(self.table), len(self.headers)
        if not (self.table.ndim == 2 and self.table.shape[1] == 6 and len(self.texts) == n_units
                and len(self.doc_start) == n_docs + 1 and int(self.doc_start[-1]) == n_units
                and len(self.unit_speaker) == n_units and len(self.doc_keys) == n_docs + 1
                and len(self.turn_ptr) == len(self.key_doc) + 1 == len(self.key_role) + 1 and int(self.turn_ptr[-1]) == len(self.turn_units)
                and len(arrays["sec_doc"]) == len(arrays["sec_number"]) == len(self.section_titles)
                and len(self.titles) == len(self.dates) == n_docs):
            raise ValueError("document columns do not fit together")
        self.documents = DocumentView(self, known)
        self.units = UnitView(self)

    # ---------------------------------------------------------------- building

    @classmethod
    def build(cls, documents: Sequence[Document], problems: Sequence[Problem] = ()) -> "Columns":
        """Columns of parsed documents (which stay the records `documents` hands out)."""
        strings: dict[str, int] = {}
        kinds: dict[str, int] = {}

        def number(value: str | None) -> int:
            return -1 if value is None else strings.setdefault(value, len(strings))

        rows: list[tuple[int, int, int, int, int, int]] = []
        texts: list[str] = []
        headers: list[str] = []
        doc_start = [0]
        sec_doc: list[int] = []
        sec_number: list[int] = []
        sec_titles: list[str] = []
        turns: dict[tuple[int, str], list[int]] = {}
        for d, doc in enumerate(documents):
            sections = []
            for section in doc.sections:
                sections.append([section.number, section.title, len(section.utterances)])
                sec_doc.append(d)
                sec_number.append(section.number)
                sec_titles.append(section.title)
                for u in section.utterances:
                    if u.kind == SPEECH and u.speaker:
                        turns.setdefault((d, u.speaker), []).append(len(rows))
                    rows.append((d, number(u.speaker), number(u.role), u.section, u.position,
                                 kinds.setdefault(u.kind, len(kinds))))
                    texts.append(u.text)
            doc_start.append(len(rows))
            headers.append(json.dumps([doc.title, doc.byline, doc.date, doc.page, doc.column, doc.source,
                                       doc.metadata, sections], ensure_ascii=False))
        keys = sorted(turns)
        roles = [doc.speakers for doc in documents]
        unit_speaker = np.full(len(rows), -1, dtype=np.int32)
        turn_ptr, turn_units = csr([turns[k] for k in keys])
        unit_speaker[turn_units] = np.repeat(np.arange(len(keys), dtype=np.int32), np.diff(turn_ptr))
        key_doc = np.array([d for d, _ in keys], dtype=np.int32)
        arrays = {
            "units": np.array(rows, dtype=np.int32).reshape(len(rows), 6),
            "doc_start": np.array(doc_start, dtype=np.int64),
            "unit_speaker": unit_speaker,
            "key_doc": key_doc,
            "key_name": np.array([number(n) for _, n in keys], dtype=np.int32),
            "key_role": np.array([number(roles[d].get(n)) for d, n in keys], dtype=np.int32),
            "turn_ptr": turn_ptr, "turn_units": turn_units,
            "doc_keys": np.searchsorted(key_doc, np.arange(len(documents) + 1)).astype(np.int64),
            **StringTable.pack(texts).arrays("texts"),
            **StringTable.pack(strings, findable=True).arrays("strings"),
            **StringTable.pack(headers).arrays("docs"),
            "sec_doc": np.array(sec_doc, dtype=np.int32), "sec_number": np.array(sec_number, dtype=np.int32),
            **StringTable.pack(sec_titles).arrays("sec_titles"),
            **StringTable.pack(d.title for d in documents).arrays("titles"),
            **StringTable.pack(d.date for d in documents).arrays("dates"),
        }
        meta = {"kinds": list(kinds), "problems": [[p.source, p.reason] for p in problems]}
        return cls(arrays, meta, known=list(documents))

    # ---------------------------------------------------------------- reading

    def string(self, sid: int) -> str | None:
        return None if sid < 0 else self.strings[sid]

    def utterance(self, i: int) -> Utterance:
        _, speaker, role, section, position, kind = self.table[i].tolist()
        return Utterance(self.string(speaker), self.string(role), section, self.texts[i], position, self.kinds[kind])

    @property
    def unit_doc(self) -> np.ndarray:
        return self.table[:, _DOC]

    def citation(self, d: int, section: int, position: int) -> Citation:
        """How a unit of document d in `section` at `position` is cited, from the document's header."""
        header = self._headers.get(d)
        if header is None:
            if len(self._headers) >= _DOC_CACHE:
                self._headers.pop(next(iter(self._headers)))
            header = self._headers[d] = self.header(d)
        title, _, date, page, column, _, _, sections = header
        # The first section of that number (as Document.sections is searched), else the first one.
        section_title = next((t for n, t, _ in sections if n == section), sections[0][1] if sections else "")
        return Citation(d, title, date, page, column, section, section_title, position)

    def speaker_role(self, doc: int, name: str) -> str | None:
        """The role `Document.speakers` gives `name` in `doc` (their first turn with one); None without."""
        k = self.speaker_id(doc, name)
        return None if k is None else self.string(int(self.key_role[k]))

    def title_and_date(self, d: int) -> tuple[str, str]:
        """A document's title and date without making the document."""
        doc = self.documents.made(d)
        return (doc.title, doc.date) if doc is not None else (self.titles[d], self.dates[d])

    def speaker_id(self, doc: int, name: str) -> int | None:
        """The number of `name`'s speech in `doc` (see unit_speaker), None when they have none."""
        key = (doc, name)
        if key not in self._speaker_ids:
            self._speaker_ids[key] = self._speaker_id(doc, name)
        return self._speaker_ids[key]

    def _speaker_id(self, doc: int, name: str) -> int | None:
        sid = self.strings.index_of(name)
        if sid is None or not 0 <= doc < len(self.headers):
            return None
        a, b = int(self.doc_keys[doc]), int(self.doc_keys[doc + 1])
        hits = np.flatnonzero(self.key_name[a:b] == sid)
        return a + int(hits[0]) if len(hits) else None

    def speaker_key(self, k: int) -> tuple[int, str]:
        key = int(self.key_doc[k]), self.strings[int(self.key_name[k])]
        # Remembered: the answer asks for this speaker's role next (by doc and name, a hashed search).
        self._speaker_ids.setdefault(key, k)
        return key

    def turns(self, doc: int, name: str) -> list[int]:
        """Units of `name`'s speech in `doc`, in order."""
        k = self.speaker_id(doc, name)
        return [] if k is None else self.turn_units[self.turn_ptr[k] : self.turn_ptr[k + 1]].tolist()

    def turns_of_speakers(self, keys: np.ndarray) -> np.ndarray:
        """Units of the speakers' speech (by speaker id), gathered from their turn lists at once."""
        starts, ends = self.turn_ptr[keys], self.turn_ptr[keys + 1]
        lengths = ends - starts
        if not len(keys) or not lengths.sum():
            return np.empty(0, np.int64)
        offsets = np.repeat(starts - np.concatenate(([0], np.cumsum(lengths)[:-1])), lengths)
        return self.turn_units[offsets + np.arange(int(lengths.sum()))]

    def in_docs(self, ids: np.ndarray, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(positions in `ids`, their document) of the units among `ids` (ascending) that belong to one of
        `docs` (ascending): searched in each document's unit range, so only those documents are read."""
        starts = np.searchsorted(ids, self.doc_start[docs])
        counts = np.searchsorted(ids, self.doc_start[docs + 1]) - starts
        total = int(counts.sum())
        firsts = np.repeat(starts - (np.cumsum(counts) - counts), counts)
        return firsts + np.arange(total), np.repeat(docs, counts)

    def section_units(self, doc: int, number: int) -> np.ndarray:
        """Units of one section of one document, in order."""
        a, b = int(self.doc_start[doc]), int(self.doc_start[doc + 1])
        return a + np.flatnonzero(self.table[a:b, _SECTION] == number)

    def section_mask(self, sections: Iterable[tuple[int, int]]) -> np.ndarray:
        """Which units belong to any of the (doc, number) sections."""
        wanted = np.array([(d << 32) | (n & 0xFFFFFFFF) for d, n in sections], dtype=np.int64)
        keys = (self.table[:, _DOC].astype(np.int64) << 32) | (self.table[:, _SECTION].astype(np.int64) & 0xFFFFFFFF)
        return np.isin(keys, wanted)

    def sections(self, docs: Iterable[int] | None = None) -> Iterator[tuple[int, int, str]]:
        """(doc, number, title) of each section of the documents (None: of all), from the section table."""
        sec_doc, sec_number = self.arrays["sec_doc"], self.arrays["sec_number"]
        if docs is None:
            rows: Iterable[int] = range(len(sec_doc))
        else:
            rows = (i for d in docs for i in range(*np.searchsorted(sec_doc, [d, d + 1]).tolist()))
        for i in rows:
            yield int(sec_doc[i]), int(sec_number[i]), self.section_titles[i]

    def header(self, d: int) -> list:
        return json.loads(self.headers[d])

    def document(self, d: int) -> Document:
        title, byline, date, page, column, source, metadata, sections = self.header(d)
        at = int(self.doc_start[d])
        parts = []
        for number, section_title, count in sections:
            parts.append(Section(number, section_title, tuple(self.utterance(i) for i in range(at, at + count))))
            at += count
        return Document(title=title, byline=byline, date=date, page=page, column=column, metadata=metadata,
                        sections=tuple(parts), source=source)


class LazyRows(Sequence[T]):
    """Rows made one at a time when asked for: a subclass gives the length and row i."""

    def row(self, i: int) -> T:
        raise NotImplementedError

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        return self.row(i)


class DocumentView(LazyRows[Document]):
    """The documents, each made from the columns when first asked for (the last few thousand kept)."""

    def __init__(self, columns: Columns, known: Sequence[Document] | None) -> None:
        self._columns = columns
        self._known = known
        self._made: dict[int, Document] = {}

    def __len__(self) -> int:
        return len(self._columns.headers)

    def row(self, d: int) -> Document:
        if self._known is not None:
            return self._known[d]
        doc = self._made.get(d)
        if doc is None:
            if len(self._made) >= _DOC_CACHE:
                self._made.pop(next(iter(self._made)))
            doc = self._made[d] = self._columns.document(d)
        return doc

    def forget(self) -> None:
        """Drop the parsed documents handed in: from now on each is made from the columns."""
        self._known = None

    def made(self, d: int) -> Document | None:
        """The document when it is already at hand (parsed, or made for an earlier answer)."""
        return self._known[d] if self._known is not None else self._made.get(d)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and len(self) == len(other) and all(a == b for a, b in zip(self, other))

    __hash__ = None  # type: ignore[assignment]


class UnitView(LazyRows[Unit]):
    """Every utterance with its document number, made from the columns when asked for."""

    def __init__(self, columns: Columns) -> None:
        self._columns = columns

    def __len__(self) -> int:
        return len(self._columns.table)

    def row(self, i: int) -> Unit:
        return Unit(int(self._columns.table[i, _DOC]), self._columns.utterance(i))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and len(self) == len(other) and all(a == b for a, b in zip(self, other))

    __hash__ = None  # type: ignore[assignment]
