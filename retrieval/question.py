"""Question understanding: what kind of question, about whom, in which section, on what topic."""
from __future__ import annotations

import importlib
import importlib.util
import re
import unicodedata
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from itertools import accumulate
from pathlib import Path

from .directory import SpeakerDirectory, SpeakerRef
from .tables import DATA

# "Who" is asked in many ways; English "who" too, for glossary-backed English questions.
_WHO = re.compile(r"谁|哪位|哪些人|哪些领导|哪些代表|哪些委员|哪几位|哪个领导|哪一位|什么人|何人|\bwho\b", re.I)
# The who-phrase itself is no topic: 哪位领导 asks for a person, not for the word 领导.
_WHO_PHRASE = re.compile(r"(?:哪位|哪个|哪些|哪几位|哪一位)(?:领导同志|领导|同志|人士|人|负责人|官员|嘉宾)?|有谁|是谁|谁|什么人|何人")
# "在……这一节/那部分里" names a section; the words before the anchor say which.
_SECTION_ANCHOR = re.compile(
    r"(?:(?:这|那)一?|一)(?:部分|节)(?:里|中|内)?|的?部分(?:里|中|内)|的部分(?=[，,])|第(?P<n>[0-9一二三四五六七八九十]+)(?:部分|节)(?:里|中|内)?"
)
_HINT_START = re.compile(r".*(?:[，,。？?！!；;]|^在|^关于|^)", re.S)
_CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九十")}
_SPACES = re.compile(r"\s+")
_LATIN = re.compile(r"[A-Za-z]{2,}")
_SURROGATE = re.compile("[\ud800-\udfff]")
_QUOTATION = re.compile(r"“[^”]*”|「[^」]*」|『[^』]*』")


@dataclass(frozen=True)
class Question:
    text: str                          # the normalised question
    who: bool                          # asks for speakers
    speakers: Sequence[SpeakerRef]     # speaker filter from a name or role in the question (RefList: made when read)
    topic: str                         # what is left to rank on
    section_hint: str = ""             # words naming a section (在作风建设一节)
    section_number: int | None = None  # 第2部分
    mentioned: Sequence[SpeakerRef] = ()  # people a who-question names as context (谁向李鹏介绍…)
    preferred: Sequence[SpeakerRef] = ()  # holders of a role a who-question asks among (哪位政协委员…)
    role_span: tuple[int, int] | None = None   # where the role word the holders were found by stands in `text`
    shortened: tuple[str, ...] = ()    # roles given shortened (村支书): not in the topic, still title words
    glossed: tuple[tuple[str, float], ...] = ()   # an English question's words the hand glossary lacks, as
                                                  # Chinese from the generated one, weighted (retrieval/glossary.py)


def normalize_question(text: str, max_chars: int) -> tuple[str, bool]:
    """(question, was_cut): full-width and traditional forms folded, control characters dropped."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C" or ch in "\n\t")
    text = _SPACES.sub(" ", text).strip()
    if has_han(text):
        text = to_simplified(text)
    if len(text) > max_chars:
        return text[:max_chars], True
    return text, False


def valid_text(text: str) -> str:
    """`text` with lone surrogates (argv or stdin bytes that were not UTF-8) as U+FFFD: writable as UTF-8."""
    return _SURROGATE.sub("\ufffd", text)


def to_simplified(text: str) -> str:
    # Most questions are simplified already: zhconv's zh-cn table (~15 ms to load at the first question)
    # only for a text one of its conversions could apply to.
    if not zhconv_conversions().may_change(text):
        return text
    try:
        zhconv = _zhconv()
    except ImportError:  # optional: without it traditional questions just match less
        return text
    return zhconv.convert(text, "zh-cn")


ZHCONV_MARKS = DATA / "zhconv_marks.txt"


@dataclass(frozen=True)
class Conversions:
    """What zhconv's zh-cn table replaces, as tests cheaper than loading it: `zhconv.convert` replaces only
    entries of the table that occur whole in a text and are not mapped to themselves, so a text with
    none of their characters `marks` (the one-character entries: traditional characters) and none of
    the longer entries without such a character (`phrases`: 么九, 反覆) comes back unchanged."""

    marks: frozenset[str]
    phrases: tuple[str, ...]

    def may_change(self, text: str) -> bool:
        if not self.marks.isdisjoint(text):
            return True
        # The text's pieces of each phrase length looked up in a set: a test of each of the ~500
        # phrases was ~50 µs a question.
        found, lengths = self._phrase_set
        return any(text[i:i + n] in found for n in lengths for i in range(len(text) - n + 1))

    @cached_property
    def _phrase_set(self) -> tuple[frozenset[str], tuple[int, ...]]:
        return frozenset(self.phrases), tuple(sorted({len(p) for p in self.phrases if p}))

    @classmethod
    def of(cls, table: dict[str, str]) -> "Conversions":
        changing = [word for word, to in table.items() if word and word != to]
        marks = frozenset(word for word in changing if len(word) == 1)
        return cls(marks, tuple(sorted(word for word in changing if marks.isdisjoint(word))))

    def lines(self) -> str:
        return "".join(sorted(self.marks)) + "\n" + "".join(f"{phrase}\n" for phrase in self.phrases)


@cache
def zhconv_conversions() -> Conversions:
    """`Conversions` of the installed zhconv: read from retrieval/data/zhconv_marks.txt when it was made
    from the same table (its first line: the CRC-32 of zhcdict.json; scripts/convert_zhconv.py), else
    taken from the table itself; none without zhconv."""
    try:
        spec = importlib.util.find_spec("zhconv")
    except (ImportError, ValueError):
        spec = None
    if spec is None or spec.origin is None:
        return Conversions(frozenset(), ())   # no zhconv: to_simplified changes nothing
    table = Path(spec.origin).parent / "zhcdict.json"
    try:
        crc_line, marks, *phrases = ZHCONV_MARKS.read_text(encoding="utf-8").splitlines()
        if crc_line == f"crc32 {zlib.crc32(table.read_bytes())}":
            return Conversions(frozenset(marks), tuple(phrases))
    except (OSError, ValueError):
        pass
    return zhconv_table_conversions(_zhconv())


def zhconv_table_conversions(zhconv) -> Conversions:
    """`Conversions` of the zh-cn table the package's `convert(text, "zh-cn")` uses."""
    return Conversions.of(importlib.import_module(f"{zhconv.__name__}.zhconv").getdict("zh-cn"))


def _zhconv():
    """zhconv, imported without pkg_resources: it only locates its data file with it, for 0.4 s of start-up."""
    import sys

    hide = "pkg_resources" not in sys.modules
    if hide:
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # `import` then raises ImportError
    try:
        import zhconv
    finally:
        if hide:
            del sys.modules["pkg_resources"]
    return zhconv


def has_han(text: str) -> bool:
    """Whether the text holds a CJK unified ideograph (U+4E00-U+9FFF). Not a regex: compiling that
    character class walks its 20,992 code points, ~1.2 ms of every start, for a question's few characters."""
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def is_english(text: str) -> bool:
    return bool(_LATIN.search(text)) and not has_han(text)


def understand(text: str, directory: SpeakerDirectory, pieces: Callable[[str], list[str]] | None = None) -> Question:
    """Split a question into its kind, its speaker and section filters and its topic. `pieces`: the
    segmenter's cut of a text, when role words should start where the question's words do."""
    starts = set(accumulate(map(len, pieces(text)), initial=0)) if pieces else None
    masked = _QUOTATION.sub(lambda m: "\u3000" * len(m.group()), text)   # a quotation's names are its text
    mention = directory.find_in(masked, starts)
    who = bool(_WHO.search(text))
    topic = _cut_spans(text, mention.spans)
    topic, hint, number = _section_reference(topic)
    # A who-question asks for somebody: people it names are context (谁向李鹏总理介绍了…); a role
    # it names narrows the choice, but roles are often unrecorded, so it only prefers their holders.
    role_span = mention.role_span
    if who:
        speakers, mentioned, preferred = (), mention.named + mention.context, mention.described
    else:
        speakers, mentioned, preferred = mention.named or mention.described, mention.context, ()
        role_span = None if mention.named else role_span
        beside = _role_beside_names(mention)
        if beside:   # 在李鹏与代表委员探讨时，上海交通大学副校长说了什么: the role is asked about, 李鹏 is context
            speakers, mentioned, role_span = beside, mention.context + mention.named, mention.role_span
    return Question(
        text=text,
        who=who,
        speakers=speakers,
        topic=_WHO_PHRASE.sub(" ", topic).strip(),
        section_hint=hint,
        section_number=number,
        mentioned=mentioned,
        preferred=preferred,
        role_span=role_span,
        shortened=mention.shortened,
    )


def _role_beside_names(mention) -> tuple[SpeakerRef, ...]:
    """Holders of the role a question names who speak in the same article as the people it names,
    when none of those people holds it: then the people set the scene and the role is the one asked."""
    if not mention.named or not mention.described or set(mention.named) & set(mention.described):
        return ()
    docs = {r.doc for r in mention.named}
    return tuple(r for r in mention.described if r.doc in docs)


def _cut_spans(text: str, spans: list[tuple[int, int]]) -> str:
    for start, end in sorted(spans, reverse=True):
        text = text[:start] + " " + text[end:]
    return text


def _section_reference(text: str) -> tuple[str, str, int | None]:
    """(text without the reference, words naming the section, its number if given)."""
    match = _SECTION_ANCHOR.search(text)
    if not match:
        return text, "", None
    if match.group("n"):
        return text[: match.start()] + " " + text[match.end():], "", _number(match.group("n"))
    prefix = text[: match.start()]
    start = _HINT_START.match(prefix).end()
    hint = re.sub(r"^(?:在|关于)", "", prefix[start:].strip()).strip(" “”\"'「」的")
    if len(hint) < 2:
        return text, "", None
    return text[:start] + " " + text[match.end():], hint, None


def _number(digits: str) -> int | None:
    if digits.isdigit():
        return int(digits)
    if digits == "十":
        return 10
    if len(digits) == 2 and digits[0] == "十":
        return 10 + _CN_DIGITS.get(digits[1], 0)
    return _CN_DIGITS.get(digits)
