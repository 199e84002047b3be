"""A speaker the name tables miss, told by jieba's tagger: right after a quotation or opening a sentence,
the words before the speech verb end in what the tagger reads as a person's name (“…”宁夏同心县脱贫攻坚
督导马希丰说, 导演潘西平说) or in a transliterated name written with dots (利娅·塔德塞说). The tagger
(rjieba: jieba's dictionary, and its HMM for words the dictionary lacks) is asked only when the tables
found no subject there."""
from __future__ import annotations

from functools import cache

from ..backends import rjieba_class
from .dictionary import frequent, person
from .names import COMPOUND_SURNAMES, ORG_CHARS, ends_with_role, trim_role

# A name right after one of these is the object of the clause, not its subject ("…”他对张三说").
_GOVERNS = frozenset("和与及同、对向跟给被把让叫请替为")
# The last characters of organisations that no given name is read to end with (卫健委), ORG_CHARS without
# those that end many (李军, 张山, 王河).
_OFFICE_ENDS = ORG_CHARS - frozenset("军山河湖港岛州园林业")
_DASHES = "—─-"
# Tags of one character that never piece out a transliterated name: punctuation, prepositions, particles,
# adverbs, conjunctions (…·卡萨在会上, …·高锐所说).
_NOT_PIECE = ("x", "p", "u", "uj", "ul", "d", "c")


@cache
def _tagger():
    return rjieba_class()()


def tagged_name(subject: str, verb: str, surnames: frozenset[str], described_only: bool = False
                ) -> tuple[str, str | None] | None:
    """(name, role) when `subject`, the words before the speech verb `verb`, ends in a name the tagger reads
    (tag nr, 2-3 characters, 4 after a two-character surname); the role is what precedes the name when that
    ends in a noun or a role word. `described_only`: only a name so described."""
    if not subject or "“" in subject or "”" in subject:
        return None
    tags = _upto(_tagger().tag(subject + verb), len(subject))   # tagged with the verb, as it reads in the text
    if not tags:
        return None
    if "·" in subject:
        return None if "《" in subject else _dotted(subject, tags)   # not 《家·国》
    word, flag = tags[-1]
    if flag != "nr" or not _plausible(word, surnames):
        return None
    before, before_flag = tags[-2] if len(tags) > 1 else ("", "")
    if before_flag.startswith("nr") and before[-1] not in ORG_CHARS or len(before) == 1 and before != "的":
        return None   # the end of a longer name: "侯|阳春", "吐尔汗·|艾依达", "若|阿基姆", "阿荣|胡斯乐"
    # (a piece ending as a place does is the place before the name: "…贡镇昌汉|白村|石生华")
    described = subject[: -len(word)].strip()
    if described[-1:] in _GOVERNS or described and word[0] in ORG_CHARS:
        return None   # "…对张三说"; "妇幼司王亮": 司 ends the office
    # One word before the name is taken for its title whatever its tag (导演 and 会计 are tagged verbs).
    titled = before_flag.startswith("n") or before_flag == "eng" or ends_with_role(described) \
        or len(tags) == 2 and len(before) >= 2
    if described_only and not (described and titled):
        return None
    role = trim_role(described) if described and before != "的" and titled else ""
    return word, role or None


def _dotted(subject: str, tags: list[tuple[str, str]]) -> tuple[str, str | None] | None:
    """A transliterated name written with dots (利娅·塔德塞, 玛丽亚·海伦娜·塞梅多) in the subject: its last dotted
    run, each piece the name pieces the tagger reads around a dot; what follows it before the verb must be
    an adverbial (近日, 在会上), what precedes it is its role when that ends in a noun or a role word."""
    last = max(n for n, (word, _) in enumerate(tags) if word == "·")
    stop = last + 1
    while stop < len(tags) and _piece(*tags[stop]):
        stop += 1
    start = last
    while start > 0 and (_piece(*tags[start - 1]) or tags[start - 1][0] == "·" and start > 1):
        start -= 1
    if start == last or stop == last + 1 or tags[start][0] == "·":
        return None
    if any(flag.startswith(("n", "v")) and not flag.startswith("nr") for _, flag in tags[stop:]):
        return None   # "罗伯特·科赫研究所", "约翰·拉贝回信": not a person speaking
    while tags[start][0] in _DASHES:
        start += 1
    at = sum(len(word) for word, _ in tags[:start])
    name = "".join(word for word, _ in tags[start:stop])
    described = subject[:at].strip()
    titled = described and (tags[start - 1][1].startswith("n") or ends_with_role(described))
    return name, (trim_role(described) if titled else None) or None


def _piece(word: str, flag: str) -> bool:
    """A piece of a transliterated name: what the tagger reads as a name, or a lone character it tags
    otherwise (塔德|塞, 塞梅|多), or the dash of 圣—阿芒."""
    return flag.startswith("nr") or word in _DASHES or len(word) == 1 and flag not in _NOT_PIECE and not word.isdigit()


def _upto(tags: list[tuple[str, str]], end: int) -> list[tuple[str, str]]:
    """The tags of the first `end` characters; empty when no word ends there ("宿华说" is one word)."""
    at = 0
    for n, (word, _) in enumerate(tags):
        at += len(word)
        if at >= end:
            return tags[: n + 1] if at == end else []
    return []


def _plausible(word: str, surnames: frozenset[str]) -> bool:
    """A name the HMM found (no frequent dictionary word, nor one's start) after a surname and not ending as an
    organisation does, or a 3-character name jieba's dictionary lists as a person's; not its common words
    tagged nr (顾客, 卫星, 陈列柜)."""
    if not (len(word) in (2, 3) or len(word) == 4 and word[:2] in COMPOUND_SURNAMES) \
            or frequent(word) or len(word) == 3 and frequent(word[:2]):
        return False
    if person(word):
        return True
    return word[0] in surnames and word[-1] not in _OFFICE_ENDS   # not "卫健委"
