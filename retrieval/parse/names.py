"""Person names and role words in Chinese newspaper text: the tables and checks the parser uses."""
from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from ..tables import cues
from .dictionary import ordinary, person

# Surnames, compound surnames and surname-shaped words that are no person: retrieval/data/cues.tsv.
SURNAMES = frozenset(cues()["surname"])
COMPOUND_SURNAMES = frozenset(cues()["compound surname"])

# Characters that never occur in the person names the parser should accept; they mark
# a phrase ("代表们", "省委", "记者") taken for a name.
BAD_NAME_CHARS = frozenset("们的是了等这那其些说谈讲称道问答在对把被从将已都也还就又很最更所之及与或并且而却则因为我你他她它"
                           "个每各该此市省县区部局委会院厅处社界员者记表负责")

NOT_NAMES = frozenset(cues()["not name"])
# 道 ends verbs (说道, 问道) but stands in the middle of names (杨道喜, 李道豫).
_MIDDLE_OK = "道"

# Words a role or description ends with; a name right after one of them is a named person
# ("水利部部长汪恕诚", "上海代表周谷城", "著名青年数学家杨乐").
ROLE_ENDINGS = cues()["role head"]
# Role words that may follow a name ("王炜钰代表", "段里仁教授"); longest first.
ROLE_SUFFIXES = tuple(sorted(cues()["role after"], key=len, reverse=True))

_SUFFIX_BY_FIRST = {c: tuple(s for s in ROLE_SUFFIXES if s[0] == c) for c in {s[0] for s in ROLE_SUFFIXES}}
_SUFFIX_BY_LAST = {c: tuple(s for s in ROLE_SUFFIXES if s[-1] == c) for c in {s[-1] for s in ROLE_SUFFIXES}}
_TWO_CHAR_ROLES = tuple(r for r in ROLE_SUFFIXES + ROLE_ENDINGS if len(r) == 2)
_ONE_CHAR_ENDINGS = frozenset(r for r in ROLE_ENDINGS if len(r) == 1)
_MULTI_SET = frozenset(r for r in ROLE_ENDINGS if len(r) > 1)
assert all(2 <= len(r) <= 4 for r in _MULTI_SET)  # ends_with_role looks at the last 2-4 characters
CJK = r"\u4e00-\u9fff"
_ETHNIC_TAIL = re.compile(rf"（[{CJK}]{{1,6}}族）$")
JOINER = re.compile("[和与及、]")
# "他对…法官江静说": the named person is spoken to, not speaking.
_ADDRESSEE = re.compile(r"对(?!外)|向|跟|给|告诉")
# Last characters of organisations and places ("冶金部", "黄金村", "考察组"), never of a person's name.
ORG_CHARS = frozenset("部局厅委院省市县区乡村镇厂矿站所校处科组队团社党军司馆店园场业界系办山河湖街路港岛州")
REPORTERS = ("记者", "通讯员")  # roles of whoever reports (特约记者 too): never a speaker's
_BOUNDARY_TAIL = ("的", "、", "，", "——", "“", "”", "：")
_PREPOSITIONS = frozenset("在是了的把被将向给对到")  # never the middle of a name (曾在武汉)
# A one-character role ending counts unless the word it ends is a known non-role ("国家", "石家庄",
# "三者齐备", "发生", "携手"); a missed role costs less than a place or a verb taken for one.
_NOT_ROLES = frozenset(cues()["not role"])
# Words before a role that are not part of it ("这是…", "现任…"); roles the text states ("…是民建中央副主席").
_ROLE_LEADS = cues()["role lead"]
_LABEL_ROLES = _MULTI_SET | frozenset(ROLE_SUFFIXES)
# Where a role phrase before a name can start: after punctuation or a verb/preposition ("本报对外交部长").
_CUT = re.compile(r"[，。！？；：“”（）《》\s—…◆●■▲★了是请和与及等把被将在向访据让给使叫到]|本报对|对(?!外)|会见|会谈"
                  r"|(?<!自)由(?!党)|(?<!华)为|(?<![司指号口])令"
                  r"|来(?!自)"
                  r"|(?:^|(?<=[，。！？；\s]))当(?![地今前年代时家选然局中天日晚夜场面])"
                  r"|(?<=[\u4e00-\u9fff]{2})同|(?:电|讯)(?=[^，。]{0,20}$)")
_WINDOW = 50  # how far before a name a role phrase may start
_IS_ROLE = re.compile(r"，?(?:曾经|现在|现|也|就)?是(?:位|一位|一名|个)?(?P<role>[^，。！？；：“”、（）]{2,24})(?=[，。；])")
_MEMBERSHIP = ("代表", "委员")  # a deputy's or member's status, added to a fuller role


def han(text: str) -> bool:
    """True when every character of `text` is a CJK ideograph (U+4E00–U+9FFF)."""
    return all("\u4e00" <= c <= "\u9fff" for c in text)


@lru_cache(maxsize=1 << 16)
def valid_name(name: str) -> bool:
    """True when `name` can be a Chinese person's name (2-4 characters, known surname)."""
    if not 2 <= len(name) <= 4 or name in NOT_NAMES:
        return False
    rest = name[2:] if len(name) == 3 and name[1] == _MIDDLE_OK else name[1:]
    if not han(rest) or not BAD_NAME_CHARS.isdisjoint(rest) and not _known_person(name) \
            or name.endswith(_TWO_CHAR_ROLES):
        return False
    if name[:2] in COMPOUND_SURNAMES:
        return len(name) >= 3
    return name[0] in SURNAMES and len(name) <= 3


def _known_person(name: str) -> bool:
    """A 3-character name whose middle character is one of a phrase's (其, 之, 为) that jieba's dictionary
    knows as a person's (钱其琛, 李为民); the last character still may not be one (华容县, 严重者), the middle no
    preposition (曾在武汉), the first two no role (顾问团)."""
    return len(name) == 3 and name[2] not in BAD_NAME_CHARS and name[1] not in _PREPOSITIONS and person(name) \
        and not ends_with_role(name[:2])


def ends_with_role(text: str) -> bool:
    """True when `text` ends with a role or description word."""
    return text[-2:] in _MULTI_SET or text[-3:] in _MULTI_SET or text[-4:] in _MULTI_SET \
        or text[-1:] in _ONE_CHAR_ENDINGS and len(text) >= 2 and text[-2:] not in _NOT_ROLES


def clean_role(prefix: str) -> str:
    """The role part of a subject's prefix: the text after the last 的, without dashes or "这是"."""
    role = prefix.rsplit("的", 1)[-1].strip("、，——“”：")
    return next((role[len(w):] for w in _ROLE_LEADS if role.startswith(w)), role).strip("、，——“”： ")


def trim_role(text: str) -> str:
    """A role phrase without what precedes its last break ("本报北京4月1日电  国台办发言人" → 国台办发言人)."""
    cuts = [m.end() for m in _CUT.finditer(text) if m.group() != "同" and _break(text, m)]
    return clean_role(text[cuts[-1]:] if cuts else text)


@lru_cache(maxsize=1 << 16)
def split_subject(subject: str) -> tuple[str, str, bool] | None:
    """Split "上海代表周谷城" into (name, role, has_role_evidence); None when no name ends it."""
    if subject.endswith("族）"):
        subject = _ETHNIC_TAIL.sub("", subject)
    suffix = next((s for s in _SUFFIX_BY_LAST.get(subject[-1:], ()) if subject.endswith(s) and len(subject) > len(s) + 1),
                  "")
    core = subject[: len(subject) - len(suffix)]
    if core[:1] in "他她我你" or any(name_ends_at(core, m.start()) for m in JOINER.finditer(core)):
        return None  # "罗植龄和保定地区专员丁文斌": someone else is named before the last name
    tail = core.rsplit("的", 1)[-1]
    addressed = _ADDRESSEE.search(tail)
    if addressed and addressed.start() == len(tail) - 2 and valid_name(tail[-3:]) \
            and (len(core) == 3 or ends_with_role(tail[:-3])):
        addressed = None  # "厅长徐向春", "丁向阳": 向 inside the name that ends the subject
    if addressed:  # "杨群对护士长说": the name before 对 speaks; "他对…法官江静说": the name after it does not
        before = core[:addressed.start()]
        return (before, "", False) if addressed.start() > 0 and valid_name(before) else None
    fallback: tuple[str, str, bool] | None = None
    for size in (3, 2, 4):  # a role word right before the name decides; else the longest name wins
        name, rest = core[-size:], core[:-size]
        if len(core) < size or not valid_name(name):
            continue
        if ends_with_role(rest):
            return name, clean_role(rest) or suffix, True
        if fallback is None and (suffix or rest == "" or rest.endswith(_BOUNDARY_TAIL)):
            fallback = (name, suffix or clean_role(rest), bool(suffix))
    if fallback is None:
        found = _shaped_name(core)
        if found:
            return found[0], found[1] or suffix, True
    return fallback


def _shaped_name(core: str) -> tuple[str, str] | None:
    """A name told by its place, right after a role word ("石楼县委书记油晓峰", "社区干部权亚红"), when no surname
    table knows it: 2-3 characters that are no ordinary word (jieba's dictionary) and no role themselves."""
    for size in (3, 2):
        name, rest = core[-size:], core[:-size]
        if len(rest) >= 2 and rest[-2:] in _LABEL_ROLES and name_chars(name) and not ends_with_role(name) \
                and not ends_with_role(rest + name[0]) and not ordinary(name) and not ordinary(name[:2]) \
                and not ordinary(rest[-1] + name[0]) and not ordinary(rest[-2:] + name[0]):
            # (not "委员|长曾", "大使|馆联系", "代表|团时": the role runs on into the would-be name)
            return name, clean_role(rest)
    return None


def occurrences(text: str, word: str) -> Iterator[int]:
    """Every index where `word` starts in `text`, overlapping ones included."""
    k = text.find(word)
    while k >= 0:
        yield k
        k = text.find(word, k + 1)


def suffix_at(text: str, k: int) -> str:
    """The role word ("代表", "委员长") that starts at text[k], longest first, or ""."""
    return next((s for s in _SUFFIX_BY_FIRST.get(text[k:k + 1], ()) if text.startswith(s, k)), "")


def label_person(label: str) -> tuple[str, str] | None:
    """(name, role) for a turn label that ends in a person's name after a role ("…自治县县长阿琼",
    "内蒙古…村农民裴云魁", "全国人大常委会法工委发言人、研究室主任臧铁伟"); None when no role stands before it."""
    found = split_subject(label)
    return (found[0], found[1]) if found and found[2] and found[1] else None


def name_chars(name: str) -> bool:
    """Characters a Chinese given name may have: CJK, none of the phrase characters."""
    return han(name) and BAD_NAME_CHARS.isdisjoint(name) and name not in NOT_NAMES


def dotted_name(name: str) -> bool:
    """A transliterated name with a middle dot ("赫克马图拉·阿扎米"): CJK parts of 1-8 characters."""
    parts = name.split("·")
    return 2 <= len(parts) <= 3 and all(1 <= len(p) <= 8 and han(p) for p in parts)


def _break(text: str, cut: re.Match[str]) -> bool:
    """False for a dateline's 电 that starts a word instead (上海电影局顾问, 中央电视台记者)."""
    return cut.group() != "电" or not ordinary(text[cut.start():cut.start() + 2])


def roles_from_text(name: str, text: str) -> list[tuple[str, bool]]:
    """Every role `text` gives `name`, in order: (role, True) before the name ("部长唐克"), (role, False) after it."""
    found_roles: list[tuple[str, bool]] = []
    for start in occurrences(text, name):
        before = text[max(0, start - _WINDOW):start]
        if ends_with_role(before):  # else no role stands right before the name
            cuts = [m.end() for m in _CUT.finditer(before)
                    if (m.group() != "同" or name_ends_at(before, m.start())) and _break(before, m)]
            found = split_subject(before[cuts[-1] if cuts else 0:] + name)
            if found and found[0] == name and found[2] and found[1]:
                found_roles.append((found[1], True))
        end = start + len(name)
        suffix = suffix_at(text, end)
        if suffix:
            found_roles.append((suffix, False))
        said = _IS_ROLE.match(text, end + len(suffix))
        if said and ends_with_role(said["role"]):  # "冯克煦代表是民建中央副主席", "白士明，是…照相个体户"
            role = clean_role(said["role"])
            if role and not valid_name(role):
                found_roles.append((role, False))
    return found_roles


def fullest_role(roles: list[str | None]) -> str | None:
    """The role that says most: the longest, plus a deputy's or member's status it does not already say."""
    best = max((role for role in roles if role and not valid_name(role)), key=len, default=None)
    if best is None:
        return None
    for role in roles:
        if role and role.endswith(_MEMBERSHIP) and role not in best and best not in role and not valid_name(role):
            best = f"{best}、{role}"
    return best


def name_ends_at(text: str, end: int) -> bool:
    """True when a person's name ends at `end` ("习近平同…总统马茂"); not an ordinary word run on from the word
    before it ("国家林业和草原局", "中国劳动和社会保障科学研究院": an organisation's name, not two people)."""
    return any(valid_name(n) and not (ordinary(n) and end > len(n) and han(text[end - len(n) - 1]))
               for n in (text[max(0, end - 3):end], text[max(0, end - 2):end]))
