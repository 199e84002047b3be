"""What the parser learns about a document before attributing turns: labels, aliases, who is interviewed."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property, wraps

from ..models import QUESTION, SPEECH
from ..tables import cues
from .attrib import find_attribution
from .dictionary import ordinary
from .floor import last_mention
from .names import ROLE_SUFFIXES, dotted_name, ends_with_role, label_person, occurrences, split_subject, valid_name

_C = "\u4e00-\u9fff"
_NOPUNCT = r"[^，。！？；：“”\s]"

# ---------------------------------------------------------------- label turns ("Name（role）：")
LABEL = re.compile(rf"^(?P<name>[{_C}·]{{1,12}}?)(?:（(?P<role>[^（）]{{1,40}})）)?(?P<ans>答)?[：:](?P<rest>.*)$", re.S)
BARE_LABEL = re.compile(rf"^(?P<name>[{_C}]{{2,4}})（(?P<role>[^（）]{{2,30}})）(?P<rest>[^：:].*)$", re.S)
TRAILING_LABEL = re.compile(rf"^(?P<rest>.*[。！？…”])(?P<name>[{_C}]{{2,4}})（(?P<role>[^（）]{{2,30}})）$", re.S)
_ALIAS = re.compile(rf"以下简称(?P<alias>[{_C}]{{1,2}})）?")
# A label that is a role phrase ending in a name ("青海省河南蒙古族自治县县长阿琼："): up to 40 characters, no punctuation.
_ROLE_LABEL = re.compile(rf"^(?P<label>[{_C}、·]{{4,40}}?)[：:](?P<rest>.*)$", re.S)
# A header list of the people who speak: "叶海林（中国社会科学院…副院长）" or "国家统计局总经济师    姚景源" alone on a line.
_LISTED = re.compile(rf"^(?P<name>[{_C}·]{{2,12}})（(?P<role>[^（）]{{2,40}})）$"
                     rf"|^(?P<role2>[{_C}、]{{2,30}})[ \u3000]{{2,}}(?P<name2>[{_C}·]{{2,8}})$")
BIO = re.compile(r"^[^：]{2,8}：[男女][，,]")
# A signer's line (signs): the paragraph below ends like one; a heading between is at most this long.
_PARAGRAPH_END = tuple("。！？：；…”")
_SIGNED_HEADING = 20
# ---------------------------------------------------------------- questions
QUESTION_LABEL = re.compile(
    rf"^(?:●)?(?P<who>(?:会后)?有记者|一[{_C}]{{0,8}}?记者|本报记者|记者|[{_C}]{{2,14}}?(?:台|社|报|网|刊|站|杂志)记者)?"
    rf"(?P<q>问)?[：:，,](?P<rest>.*)$", re.S)
# Who is interviewed or asks: "——访…教授张树义", "…答记者问" in the title; "答者是…" in the text.
_INTERVIEW_TITLE = (
    re.compile(r"——访(?P<subj>[^—，。]{2,40})$"),
    re.compile(r"(?:——|^)(?P<subj>[^—，。、]{2,20}?)(?:谈|答记者问|答问|访谈录|谈话实录)"),
)
_ROLE_IN_TEXT = re.compile(rf"(?P<who>[问答])者(?:还|就|则)?是(?P<subj>{_NOPUNCT}{{2,40}}?)[。，：:]")

ROLE_FOLLOW = frozenset("们团会部处级的")
# A name in a title that the title gives the floor: "王家瑞部长谈…", "…——访张树义", "吴仪等答记者问".
_TITLE_PERSON = re.compile(rf"([{_C}]{{2,3}})(?=(?:{'|'.join(ROLE_SUFFIXES)})?(?:等)?(?:{'|'.join(cues()['title verb'])}))"
                           rf"|(?<=访)([{_C}]{{2,3}})$")
_TITLE_START = re.compile(rf"(?:^|(?<=[《“——：:，、]))([{_C}]{{3}})")
# After a name standing alone: punctuation, a role word, a speech verb or a function word.
_ALONE_CHARS = frozenset("，。！？；：、“”（）\n 说在对的和与等也还")
_ALONE_WORDS = cues()["alone after name"]
_RECURS = 3  # a name met this often is the article's person, role or not
TITLE_PREFIX = frozenset("副代总前原老新")


def _memoized(method):
    """A Context method of one key, worked out once per document and key (the text never changes)."""
    name = method.__name__

    @wraps(method)
    def cached(self, key: str):
        table = self._memo.setdefault(name, {})
        if key not in table:
            table[key] = method(self, key)
        return table[key]
    return cached


@dataclass(frozen=True, slots=True)
class Turn:
    """One speaker's part of a paragraph."""

    speaker: str | None
    role: str | None
    text: str
    kind: str
    others: tuple[tuple[str, str | None], ...] = ()  # who else says it: a joint subject ("王照环和方晓宇认为")


@dataclass
class Context:
    """What the parser knows about one document while walking its paragraphs."""

    title: str
    text: str
    interviewee: str | None = None
    asker: str | None = None        # a named questioner for 问：, when the narration says who asks
    aliases: dict[str, str] = field(default_factory=dict)
    labels: Counter = field(default_factory=Counter)
    bare_labels: int = 0
    bylines: int = 0                # lines that only name the person whose speech follows ("张海迪")
    listed: dict[str, str] = field(default_factory=dict)  # header-list names and their roles
    has_questions: bool = False
    known: set[str] = field(default_factory=set)
    current: Turn | None = None     # the open turn later unlabelled paragraphs continue
    last: Turn | None = None        # the previous turn (for 他说 / 她说)
    paragraph: int = 0              # paragraphs attributed so far (a heading counts as one)
    previous: list[str] = field(default_factory=list)  # the last paragraphs' texts (for a 他 that starts one)
    history: list[tuple[int, Turn]] = field(default_factory=list)  # recent turns by named people
    _memo: dict[str, dict] = field(default_factory=dict)  # per method of _memoized, its answers by key

    def open(self, turn: Turn) -> Turn:
        """Make `turn` the one later unlabelled paragraphs continue."""
        self.close(turn)
        self.current = turn
        return turn

    def close(self, turn: Turn) -> Turn:
        """Record `turn`; later unlabelled paragraphs do not continue it."""
        self.current, self.last = None, turn
        if turn.speaker and turn.kind == SPEECH:
            self.known.add(turn.speaker)
        return turn

    @_memoized
    def mentioned_with_role(self, name: str) -> bool:
        """True when the document names `name` next to a role word somewhere ("部长唐克", "王广平代表")."""
        return any(ends_with_role(self.text[max(0, k - 6):k]) or self.text.startswith(ROLE_SUFFIXES, k + len(name))
                   for k in occurrences(self.text, name))

    def vouched(self, name: str) -> bool:
        """A bare name ("唐克说，") counts when the document already knows it as a person: a speaker, a name
        next to a role word anywhere, a name the title gives the floor ("王家瑞部长谈…", "钱其琛会见…"), or a
        name the article keeps coming back to ("艾夏说：" in a story that names 艾夏 many times) and jieba's
        dictionary does not know as an ordinary word (房子)."""
        if name in self.known or name in self.title_people or name in self.listed:
            return True
        if self.count(name) >= _RECURS and self.alone(name) and not ordinary(name):
            return True
        return self.mentioned_with_role(name)

    @cached_property
    def title_people(self) -> set[str]:
        """Names the title gives the floor to."""
        title = self.title.replace(" ", "")
        people = {n for m in _TITLE_PERSON.finditer(title) for n in m.groups() if n and valid_name(n)}
        # "周继红当选中国跳水协会主席", "《周恩来外交学》面世": a name opening the title (or a part of it)
        # that the body repeats
        return people | {m[1] for m in _TITLE_START.finditer(title) if valid_name(m[1]) and self.text.count(m[1]) >= 3}

    @_memoized
    def alone(self, name: str) -> bool:
        """True when the document has `name` followed by something no name continues with."""
        text, n = self.text, len(name)
        return any(k + n == len(text) or text[k + n] in _ALONE_CHARS or text.startswith(_ALONE_WORDS, k + n)
                   for k in occurrences(text, name))

    @_memoized
    def count(self, word: str) -> int:
        """How often the document has `word`."""
        return self.text.count(word)

    @_memoized
    def title_holder(self, title: str) -> str | None:
        """The one person the document gives `title` ("李鹏总理", "国务院总理李鹏"), for a bare "总理问："."""
        names: set[str] = set()
        text = self.text
        for start in occurrences(text, title):  # (no title in cues.tsv overlaps itself)
            end = start + len(title)
            if text[start - 1:start] not in TITLE_PREFIX and text[end:end + 1] not in ROLE_FOLLOW:
                for size in (3, 2):
                    before = text[max(0, start - size):start]
                    if len(before) == size and valid_name(before):
                        names.add(before)
                    after = text[end:end + size]
                    if valid_name(after):
                        names.add(after)
        # "总理李鹏来到…" offers 李鹏 and 李鹏来: the 3-character name only when every 李鹏 is part of it;
        # a name met once ("总理左侧第三排") is no holder
        names = {n if len(n) == 2 or text.count(n) == text.count(n[:2]) else n[:2] for n in names}
        names = {n for n in names if self.count(n) >= 2 or n in self.known}
        names = {n for n in names if len(n) == 3 or n not in {m[:2] for m in names if len(m) == 3}}
        return names.pop() if len(names) == 1 else None

    @_memoized
    def surname_holder(self, surname: str) -> str | None:
        """The one person of this surname the article names in full (习近平 for "习主席"), or None."""
        names = {m.group() for m in re.finditer(surname + f"[{_C}]{{1,2}}", self.text)}
        names = {n if valid_name(n) else n[:2] for n in names}
        full = {n for n in names if valid_name(n) and (n in self.known or n in self.title_people
                                                      or self.mentioned_with_role(n))}
        full = {n for n in full if not any(m != n and m.startswith(n) for m in full)}
        return full.pop() if len(full) == 1 else None

    def previous_mention(self, subject: bool = False) -> tuple[str, str | None] | None:
        """Whom a 他/她 at the start of a paragraph means: the last person the previous paragraphs (newest first,
        at most three) named, or who spoke last in them; `subject`: a 这位… description, which means someone
        named as a subject, not as an object ("忘不了邓小平同志")."""
        for back, text in enumerate(reversed(self.previous)):
            found = last_mention(text, None, 0, len(text), self, subject)
            if found:
                return found
            spoke = [(t.speaker, t.role) for n, t in self.history
                     if n == self.paragraph - 1 - back and t.kind == SPEECH and t.speaker]
            if spoke and spoke[-1][0] != "记者":
                return spoke[-1]
        return None

    def record(self, turns: list[Turn], text: str) -> None:
        """Remember a paragraph's turns by named people (for dialogues) and its text (for 他)."""
        for turn in turns:
            if turn.speaker and turn.kind in (SPEECH, QUESTION):
                self.history.append((self.paragraph, turn))
        del self.history[:-4]
        self.previous.append(text)
        del self.previous[:-3]
        self.paragraph += 1


def new_context(title: str, paragraphs: list[str]) -> Context:
    """Scan a document once for labels, aliases and the interviewee before attributing turns."""
    ctx = Context(title=title, text="\n".join([title, *paragraphs]))
    for p, nxt, after in zip(paragraphs, [*paragraphs[1:], ""], [*paragraphs[2:], "", ""]):
        ctx.bylines += signs(p, nxt, after) is not None
        if has_label_colon(p):
            m = LABEL.match(p)
            if m:
                ctx.labels[m["name"]] += 1
            found = role_label(p)
            if found:
                ctx.labels[found[1]] += 1
        elif found := listed(p):
            ctx.listed.setdefault(*found)
        if asks(p) and QUESTION_LABEL.match(p):
            ctx.has_questions = True
        if bare_label(p) or trailing_label(p):
            ctx.bare_labels += 1
        if "以下简称" in p:
            for m in _ALIAS.finditer(p):  # "…主席吴子恒（以下简称吴）": 吴 for the full name that ends before it
                before, alias = p[:m.start()].rstrip("（"), m["alias"]
                names = [n for n in (before[-size:] for size in (3, 2, 4)) if n.startswith(alias) and valid_name(n)]
                if names:
                    ctx.aliases[alias] = names[0]
    ctx.interviewee = interviewee(title, paragraphs)
    ctx.asker = _named_in_text(paragraphs, "问")
    return ctx


# Cheap tests that rule a paragraph out before the (slower) regular expressions run: most
# paragraphs of ordinary news are narration and fail all of them.
def has_label_colon(p: str) -> bool:
    """A "Name（role）：" label needs a colon near the start."""
    head = p[:52]
    return "：" in head or ":" in head


def asks(p: str) -> bool:
    """记者：/问：/有记者问，… need 记者 or 问 at the start."""
    return p[:1] in "问答●" or "记者" in p[:18]


def bare_label(p: str) -> re.Match[str] | None:
    """A usable Name（role）text: the bracket comes right after a 2-4 character name."""
    return _usable(BARE_LABEL.match(p)) if "（" in p[2:5] else None


def role_label(p: str) -> tuple[str, str, str, str] | None:
    """(label, name, role, rest) of "武汉市人大常委会主任赵零：…", a label that is a role phrase ending in a
    person's name; None for reported speech ("…陈彬藩委员指出：")."""
    m = _ROLE_LABEL.match(p)
    found = label_person(m["label"]) if m and len(m["label"]) > 4 else None
    return (m["label"], *found, m["rest"]) if found and not find_attribution(p) else None


def trailing_label(p: str) -> re.Match[str] | None:
    """A usable text…Name（role）: the paragraph ends with a bracket."""
    return _usable(TRAILING_LABEL.match(p)) if p.endswith("）") and "（" in p[-33:] else None


def listed(p: str) -> tuple[str, str] | None:
    """(name, role) of a header-list line ("叶海林（…副院长）", "国家统计局总经济师    姚景源"): narration, not a
    heading; None otherwise ("江家福  郝文明" is two names, not a role and a name)."""
    m = _LISTED.match(p) if len(p) <= 60 and ("（" in p or "  " in p or "\u3000" in p) else None
    if not m:
        return None
    name, role = (m["name"], m["role"]) if m["name"] else (m["name2"], m["role2"])
    person = valid_name(name) or dotted_name(name) or label_person(role + name) is not None
    return (name, role) if person and not ends_with_role(name) and not valid_name(role) else None


def signs(p: str, nxt: str, after: str = "") -> tuple[str, str | None] | None:
    """(name, role) when line `p` only names a person, bare or with a role ("张海迪", "赵勇（代表共青团中央）"),
    and the next line is a paragraph (or, after a name with its role, a short heading and then one, `after`):
    in a digest of speeches, who speaks the paragraphs below it. (A quote next is a profile's heading: "孟迪"
    / "“该上的时候不能当逃兵”" / a story about her; a bare name before a heading signs what is above it.)"""
    who = name_line(p) if len(p) <= 40 else None
    if who and who[1] and not nxt.endswith(_PARAGRAPH_END) and len(nxt) <= _SIGNED_HEADING and not name_line(nxt):
        nxt = after  # "池彬（…副旅长）" / "南部海岸，带弹起飞" / his account
    return who if who and nxt.endswith(_PARAGRAPH_END) and not nxt.startswith("“") and not name_line(nxt) else None


def name_line(p: str) -> tuple[str, str | None] | None:
    """(name, role) of a line that only names a person."""
    return (p, None) if len(p) <= 4 and valid_name(p) and not ordinary(p) else listed(p)


def _usable(m: re.Match[str] | None) -> re.Match[str] | None:
    """`m` when it is a usable "Name（role）" without colon (2003-11-05 beijing-traffic-voices), else None."""
    if not m or not valid_name(m["name"]) or re.search(r"[\d０-９摄左右图化族女男]|记者|以下简称", m["role"]):
        return None
    return m


def interviewee(title: str, opening: list[str]) -> str | None:
    """The one person the title names as interviewed ("——访…教授张树义"), or None."""
    for m in filter(None, (pattern.search(title.replace(" ", "")) for pattern in _INTERVIEW_TITLE)):
        subj = m["subj"]
        found = split_subject(subj)
        if found:
            return found[0]
        if subj.endswith("负责人") and "、" not in subj:
            return subj
    return _named_in_text(opening, "答")


def _named_in_text(paragraphs: list[str], who: str) -> str | None:
    """"答者是…书记郑瑞英" / "问者还是吴志泉" in the narration: who answers or asks."""
    for p in paragraphs:
        if "答者" not in p and "问者" not in p:
            continue
        for m in _ROLE_IN_TEXT.finditer(p):
            found = split_subject(m["subj"])
            if m["who"] == who and found:
                return found[0]
    return None
