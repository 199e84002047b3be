"""Parse People's Daily text (the fangj/rmrb `### title` format) into Documents with speakers and sections."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import ParseError
from .models import NARRATION, QUESTION, SPEECH, Document, Problem, Section, Utterance
from .parse_context import Context, Turn, new_context
from .parse_names import fullest_role, roles_from_text, split_subject
from .parse_turns import attribute, detect

_HEADER = re.compile(r"(?m)^### ")
_DATE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")
_PAGE = re.compile(r"^(第[^()（）]{0,8}?版)\s*[(（](.*?)[)）]\s*$")
_COLUMN = re.compile(r"^专栏[：:](.*)$")
_SPACES = re.compile(r"[ \t\u3000\u00a0]+")
_INDENT = " \t\u3000\u00a0\r"
_SIGNATURE_INDENT = 6   # wider leading space than any paragraph indent: a right-aligned signature
_HEADING_MAX = 60       # study transcripts have headings of ~50 characters
_VERSE_RUN = 3          # three short unpunctuated lines in a row: a poem or a list, not headings
_HEADING_TAIL = 8       # "…典型例子。该" (a cut-off paragraph) is not a heading
_END_PUNCT = tuple("。！？!?…；;，,：:、")
_META = re.compile(r"●?(学习时间|学习地点|参加人员|被采访者|被采访人|受访者|时间|地点|主持人)[：:]")
_BYLINE_LABEL = re.compile(r"(?:本报|新华社|新华|华社|人民日报|中新社)?(?:特约|驻\S{1,6})?(?:记者|评论员|通讯员)")
_BYLINE = re.compile("^" + _BYLINE_LABEL.pattern)
_CREDIT = re.compile(r"摄$|电$|讯$|^(?:本报|新华社)?记者|(?:照片|图片|附图)）?$")
_NOT_HEADING = re.compile(r"^[（(\d０-９]|^——|摄）?$|^(?:本报|新华社|据)|整理）?$")
_DIGITS = re.compile(r"[\d０-９．.%％]")
_SENTENCE_END = re.compile(r"[。！？]")
# A heading-shaped line with none of these is a heading even when it names a speaker: 王丙乾说“要防止‘水土流失’”
_UNPUNCTUATED = re.compile(r"[。！？，；：,;:!?]")


@dataclass(frozen=True, slots=True)
class _Line:
    """One body line without its indentation; `signature` when it was right-aligned."""

    text: str
    signature: bool


def parse_text(text: str, source: str = "") -> list[Document]:
    """All articles of one file's text; raise ParseError when it holds no article at all."""
    return parse_text_with_problems(text, source)[0]


def parse_text_with_problems(text: str, source: str = "") -> tuple[list[Document], list[Problem]]:
    """All articles of one file's text, plus the articles that had to be skipped and why."""
    docs: list[Document] = []
    problems: list[Problem] = []
    for number, chunk in enumerate(split_articles(text), 1):
        try:
            docs.append(parse_article(chunk, source))
        except ParseError as exc:
            problems.append(Problem(source, f"article {number} skipped: {exc}"))
    return docs, problems


def split_articles(text: str) -> list[str]:
    """The articles of a file, each without its leading `### `; ParseError when there is none."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ParseError("empty text")
    starts = [m.end() for m in _HEADER.finditer(text)]
    if not starts:
        raise ParseError("no '### ' article header")
    ends = [s - 4 for s in starts[1:]] + [len(text)]
    return [text[s:e] for s, e in zip(starts, ends)]


def parse_article(chunk: str, source: str = "") -> Document:
    """One article: header lines, then one paragraph per line."""
    lines = chunk.split("\n")
    title = _SPACES.sub(" ", lines[0]).strip()
    if not title:
        raise ParseError("empty title")
    byline, date, page, column, metadata, body_start = _header(lines, title)
    body = [_line(raw) for raw in lines[body_start:] if raw.strip(_INDENT + "\n")]
    sections = _sections(body, title, byline, metadata)
    return Document(title=title, byline=byline, date=date, page=page, column=column,
                    metadata=metadata, sections=sections, source=source)


def _header(lines: list[str], title: str) -> tuple[str, str, str, str, dict[str, str], int]:
    """Byline, date, page, column, metadata and the index of the first body line."""
    i = 1
    byline = ""
    if i < len(lines) and not _DATE.match(lines[i].strip()):
        byline = _SPACES.sub(" ", lines[i]).strip()
        i += 1
    if i >= len(lines) or not _DATE.match(lines[i].strip()):
        raise ParseError(f"'{title[:30]}': no YYYY-MM-DD date line")
    date = lines[i].strip()
    i += 1
    m = _PAGE.match(lines[i].strip()) if i < len(lines) else None
    if not m:
        raise ParseError(f"'{title[:30]}': no 第N版(栏目) page line")
    page, column = m[1], m[2].strip()
    i += 1
    metadata: dict[str, str] = {}
    col = _COLUMN.match(lines[i].strip()) if i < len(lines) else None
    if col:
        if col[1].strip():
            metadata["专栏"] = col[1].strip()
        i += 1
    return byline, date, page, column, metadata, i


def _line(raw: str) -> _Line:
    """Strip indentation; remember right-aligned lines (signatures)."""
    if raw.startswith("\u3000\u3000") and raw[2:3] not in _INDENT:  # the usual indent: fast path
        return _Line(raw[2:].rstrip(_INDENT), False)
    stripped = raw.lstrip(_INDENT)
    indent = raw[: len(raw) - len(stripped)]
    width = indent.count(" ") + 2 * indent.count("\u3000") + indent.count("\u00a0")
    return _Line(stripped.rstrip(_INDENT), width > _SIGNATURE_INDENT)


# ---------------------------------------------------------------- front matter


def _norm(text: str) -> str:
    """Text reduced for comparing with the title: no spaces, no leading dash or bullet."""
    return _SPACES.sub("", text).lstrip("—●").rstrip("：:")


def _front_kind(line: _Line, title: str, byline: str) -> str | None:
    """What a line of the repeated header block is: title, byline, meta, head (deck) or None."""
    text, norm = line.text, _norm(line.text)
    if norm and (len(norm) >= 2 and norm in _norm(title) or norm == _norm(byline)):
        return "title"
    if _BYLINE.match(text) and len(text) <= 60 and not re.search(r"[。，：]", text):
        return "byline"
    if _META.match(text):
        m = _META.match(text)
        value = text[m.end():]
        if m[1] != "主持人" or len(value) <= 30 and not re.search(r"[。！？，]", value):
            return "meta"
    if _heading_shape(line):
        return "head"
    return None


def _front(body: list[_Line], title: str, byline: str, metadata: dict[str, str]) -> tuple[int, list[str]]:
    """Consume the repeated title/byline/metadata lines; return the first body index and deck lines."""
    deck: list[str] = []
    pending: list[str] = []
    i = 0
    while i < len(body):
        kind = _front_kind(body[i], title, byline)
        if kind is None:
            break
        i += 1
        if kind == "head":
            pending.append(body[i - 1].text)
            continue
        deck += pending  # headlines printed above the title block are a deck, not section headings
        pending = []
        if kind == "byline":
            _add(metadata, "记者", _SPACES.sub(" ", _BYLINE_LABEL.sub(" ", body[i - 1].text)).strip())
        elif kind == "meta":
            i = _meta(body, i - 1, metadata)
    return i - len(pending), deck


def _meta(body: list[_Line], i: int, metadata: dict[str, str]) -> int:
    """Store "学习时间：…学习地点：…" labels (several may share a line); return the next index."""
    text = body[i].text
    found = list(_META.finditer(text))
    for m, nxt in zip(found, found[1:] + [None]):
        value = text[m.end(): nxt.start() if nxt else len(text)].strip(" \u3000●")
        if not value and m[1] == "主持人" and i + 1 < len(body):
            i += 1  # "主持人：" alone: the name is on the next line
            value = body[i].text
        if value:
            metadata.setdefault(m[1], value)
    return i + 1


def _add(metadata: dict[str, str], key: str, value: str) -> None:
    """Add a value to a metadata field, keeping earlier values."""
    if value:
        metadata[key] = f"{metadata[key]} {value}" if key in metadata else value


# ---------------------------------------------------------------- headings and turns


def _heading_shape(line: _Line) -> bool:
    """A short line with no closing punctuation: a heading unless it is a speaker's turn."""
    text = line.text
    if line.signature or len(text) > _HEADING_MAX or text.endswith(_END_PUNCT) or _NOT_HEADING.search(text):
        return False
    if len(_DIGITS.findall(text)) * 3 > len(text):  # a table row, not a heading
        return False
    ends = [m.end() for m in _SENTENCE_END.finditer(text)]
    return not ends or len(text) - ends[-1] >= _HEADING_TAIL


def _sections(body: list[_Line], title: str, byline: str, metadata: dict[str, str]) -> tuple[Section, ...]:
    """Group the body into the opening (section 0) and headed sections, attributing every paragraph."""
    start, deck = _front(body, title, byline, metadata)
    rest = body[start:]
    if not deck and not rest and body:
        rest = body  # a one-line article whose line repeats the title: keep the line as its body
    ctx = new_context(title, [ln.text for ln in rest])
    groups: list[tuple[str, list[Utterance]]] = [("", [])]
    for position, text in enumerate(deck):
        groups[0][1].append(Utterance(None, None, 0, text, position, NARRATION))
    position = len(deck)
    heads = _heading_candidates(rest)
    previous: _Line | None = None  # the last line kept as a paragraph, None after a heading
    for i, line in enumerate(rest):
        broken = previous is not None and _cut_off(previous)
        if heads[i] and not broken and (_UNPUNCTUATED.search(line.text) is None or detect(line.text, ctx) is None):
            groups.append((line.text, []))
            previous = None
            ctx.paragraph += 1  # a heading parts a dialogue
            continue
        previous = line
        turns = [Turn(None, None, line.text, NARRATION)] if line.signature else attribute(line.text, ctx, broken)
        if line.signature:
            ctx.close(turns[0])
        number = len(groups) - 1
        for t in turns:
            groups[-1][1].append(Utterance(t.speaker, t.role, number, t.text, position, t.kind))
        position += 1
    if len(groups) > 1 and not groups[-1][1]:  # a heading-shaped last line heads nothing: a signature or credit
        heading = groups.pop()[0]
        groups[-1][1].append(Utterance(None, None, len(groups) - 1, heading, position, NARRATION))
    return _finish(groups, ctx, metadata)


def _heading_candidates(lines: list[_Line]) -> list[bool]:
    """Which lines are shaped like headings; runs of three or more such lines are verse or lists, not headings."""
    shaped = [_heading_shape(line) for line in lines]
    flags = shaped[:]
    i = 0
    while i < len(shaped):
        j = i
        while j < len(shaped) and shaped[j]:
            j += 1
        if j - i >= _VERSE_RUN:
            flags[i:j] = [False] * (j - i)
        i = max(j, i + 1)
    return flags


def _cut_off(line: _Line) -> bool:
    """True when a paragraph stops mid-sentence ("…完全是客"): the next line finishes it."""
    last = line.text[-1:]
    return not line.signature and (last in "，、—" or "\u4e00" <= last <= "\u9fff") and not _CREDIT.search(line.text)


def _finish(groups: list[tuple[str, list[Utterance]]], ctx: Context, metadata: dict[str, str]) -> tuple[Section, ...]:
    """Give every speaker one role across the document and mark named interviewers as questioners."""
    utterances = [u for _, us in groups for u in us]
    if not any(u.speaker for u in utterances):  # most news articles: nothing to fix
        return tuple(Section(number, heading, tuple(us)) for number, (heading, us) in enumerate(groups))
    roles = _roles(utterances, ctx, metadata)
    askers = _interviewers(utterances, ctx)
    sections = []
    for number, (heading, us) in enumerate(groups):
        fixed = tuple(_fix(u, roles, askers) for u in us)
        sections.append(Section(number, heading, fixed))
    return tuple(sections)


def _roles(utterances: list[Utterance], ctx: Context, metadata: dict[str, str]) -> dict[str, str]:
    """Each speaker's fullest role anywhere in the article: labels, the 被采访者 list, the text ("…部长唐克")."""
    stated: dict[str, list[str | None]] = {}
    for u in utterances:
        if u.kind == SPEECH and u.speaker:
            stated.setdefault(u.speaker, []).append(u.role)
    listed = _listed_roles(metadata)
    roles: dict[str, str] = {}
    for name, candidates in stated.items():
        candidates = [*candidates, listed.get(name)]
        if len(name) <= 8:
            body = [role for role, _ in roles_from_text(name, ctx.text[len(ctx.title):])]
            # a headline runs into the role ("…推进对外经贸发展对外贸易经济合作部部长吴仪"): the body's role wins
            heads = [role for role, _ in roles_from_text(name, ctx.title)]
            known = body + [c for c in candidates if c]
            candidates += body + [h for h in heads if not any(_run_in(h, b) for b in known)]
        role = fullest_role(candidates)
        if role:
            roles[name] = role
    return roles


def _run_in(head_role: str, body_role: str) -> bool:
    """True when a title's role is a full body role with headline words glued before it."""
    prefix = head_role[: len(head_role) - len(body_role)]
    return head_role.endswith(body_role) and len(body_role) >= 6 and bool(prefix) and not prefix.endswith(("、", "，"))


_LIST_KEYS = ("被采访者", "被采访人", "受访者", "主持人")
_LIST_SPLIT = re.compile(r"[，、,；;]")


def _listed_roles(metadata: dict[str, str]) -> dict[str, str]:
    """Roles in "被采访者：吉林省农安县县委书记张俊先，…" lists; a role may itself hold a 、."""
    roles: dict[str, str] = {}
    for key in _LIST_KEYS:
        buffer = ""
        for part in _LIST_SPLIT.split(metadata.get(key, "")):
            item = (buffer + "、" + part) if buffer else part
            found = split_subject(item.strip()) if part else None
            if found and item.endswith(found[0]):
                if found[1]:
                    roles.setdefault(found[0], found[1])
                buffer = ""
            else:
                buffer = item if len(item) < 40 else ""
    return roles


def _fix(u: Utterance, roles: dict[str, str], askers: set[str]) -> Utterance:
    """One utterance with its speaker's document-wide role and kind."""
    if not u.speaker or u.kind != SPEECH:
        return u
    kind = QUESTION if u.speaker in askers else u.kind
    return Utterance(u.speaker, roles.get(u.speaker, u.role), u.section, u.text, u.position, kind)


def _interviewers(utterances: list[Utterance], ctx: Context) -> set[str]:
    """Named speakers with labelled turns ("多布斯：") who mostly ask questions when someone else answers.

    (Someone who asks in a narrated dialogue, 李鹏总理 in 1998-03-10, also says other things.)"""
    turns: dict[str, list[str]] = {}
    for u in utterances:
        if u.kind == SPEECH and u.speaker and u.text:
            turns.setdefault(u.speaker, []).append(u.text)
    if len(turns) < 2:
        return set()
    return {name for name, texts in turns.items()
            if len(texts) >= 3 and sum(map(_asks, texts)) * 2 >= len(texts) and ctx.labels[name] >= 2}


def _asks(text: str) -> bool:
    """A turn that ends with a question."""
    return text.rstrip("”。 ").endswith(("？", "?"))
