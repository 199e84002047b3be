"""Typed records shared by every step: parsed documents and the engine's answers."""
from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

T = TypeVar("T")

# Utterance kinds. Only SPEECH by a named speaker counts as evidence for "who" questions.
SPEECH = "speech"          # words of a named speaker (direct turn or reported speech)
QUESTION = "question"      # an interviewer's or reporter's question (记者：, 问：)
NARRATION = "narration"    # anything else: ordinary article text, scene-setting


@dataclass(frozen=True)
class Utterance:
    """One body paragraph (or one speaker's part of it) with who said it."""

    speaker: str | None      # canonical name, e.g. 刘丰富; None for narration
    role: str | None         # e.g. 自治区党委副书记、纪委书记; the speaker's role in this document
    section: int             # 0 = opening (before the first heading), then 1, 2, ... in heading order
    text: str                # paragraph text without indentation and without the speaker label
    position: int            # 0-based paragraph index inside the document body
    kind: str = SPEECH


@dataclass(frozen=True)
class Section:
    number: int              # 0 for the opening, headings numbered from 1
    title: str               # heading text; "" for the opening
    utterances: tuple[Utterance, ...]


@dataclass(frozen=True)
class Document:
    title: str
    byline: str
    date: str                # YYYY-MM-DD as printed
    page: str                # e.g. 第9版
    column: str              # 栏目 in 第9版(理论), may be ""
    metadata: dict[str, str]  # 专栏, 学习时间, 学习地点, 参加人员, 记者 ...
    sections: tuple[Section, ...]
    source: str = ""         # file the document came from (for messages only)

    @property
    def utterances(self) -> list[Utterance]:
        return [u for s in self.sections for u in s.utterances]

    @property
    def speakers(self) -> dict[str, str | None]:
        """Named speakers of SPEECH turns, in order of first turn, with their role."""
        found: dict[str, str | None] = {}
        for u in self.utterances:
            if u.kind == SPEECH and u.speaker:
                if found.get(u.speaker) is None:
                    found[u.speaker] = u.role
        return found


@dataclass(frozen=True)
class Problem:
    """A corpus file (or part of one) that could not be used, and why."""

    source: str
    reason: str


# ---------------------------------------------------------------- answers


@dataclass(frozen=True)
class Fragment:
    """A piece of an excerpt; matched pieces are the question's words found in the text."""

    text: str
    matched: bool = False


class Deferred(Sequence[T]):
    """A tuple made on first use: an answer cites more passages (and lists more speakers) than a page
    shows, and each excerpt costs a mark-up."""

    __slots__ = ("_make", "_items")

    def __init__(self, make: Callable[[], tuple[T, ...]]) -> None:
        self._make: Callable[[], tuple[T, ...]] | None = make
        self._items: tuple[T, ...] = ()

    @property
    def items(self) -> tuple[T, ...]:
        make = self._make
        if make is not None:   # two threads may both make it: the same items either way
            self._items = make()
            self._make = None
        return self._items

    @property
    def made(self) -> bool:
        """Whether the items have been made yet."""
        return self._make is None

    def __getitem__(self, i):  # type: ignore[override]
        return self.items[i]

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (Deferred, tuple)):
            return self.items == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.items)

    def __repr__(self) -> str:
        return repr(self.items)


@dataclass(frozen=True)
class Citation:
    doc: int                 # index of the document in the corpus
    title: str
    date: str
    page: str
    column: str
    section: int             # 0 = opening
    section_title: str
    position: int


@dataclass(frozen=True)
class Passage:
    speaker: str | None
    role: str | None
    text: str                        # the whole paragraph
    excerpt: Sequence[Fragment]      # the matching sentence(s), matched words flagged (often Deferred)
    citation: Citation
    score: float = 0.0
    kind: str = SPEECH


@dataclass(frozen=True)
class SpeakerHit:
    name: str
    role: str | None
    score: float
    doc: int
    title: str
    date: str
    passages: tuple[Passage, ...] = ()


@dataclass(frozen=True)
class SectionInfo:
    number: int
    title: str
    speakers: tuple[tuple[str, str | None], ...]
    doc: int = 0
    doc_title: str = ""
    date: str = ""


@dataclass(frozen=True)
class DocInfo:
    number: int              # 1-based, as users pick it
    title: str
    date: str
    page: str
    speakers: int
    paragraphs: int


@dataclass(frozen=True)
class Answer:
    """What the engine says to one input. Adapters only format it."""

    kind: str                # see ANSWER_KINDS
    message: str = ""        # text the user should read first (errors included)
    query: str = ""
    terms: tuple[str, ...] = ()
    speakers: Sequence[SpeakerHit] = ()   # a tuple, or Deferred
    passages: tuple[Passage, ...] = ()
    sections: tuple[SectionInfo, ...] = ()
    documents: tuple[DocInfo, ...] = ()
    notes: tuple[str, ...] = field(default=())
    scope: tuple[DocInfo, ...] = ()   # the article(s) the question named, when that chose among speakers


ANSWER_KINDS = (
    "who",            # ranked speakers, each with cited passages
    "passages",       # cited passages
    "speaker_list",   # /speaker
    "speaker_turns",  # /speaker NAME: passages in order
    "section_list",   # /section
    "section_turns",  # /section N: passages in order
    "doc_list",       # /doc
    "help",           # /help, /start
    "empty",          # nothing found, unknown speaker, bad section: message says why
)
