"""The header block an article body repeats: title, byline, 学习时间/地点/参加人员 metadata, deck lines."""
from __future__ import annotations

import re

from .lines import Line, heading_shape

SPACES = re.compile(r"[ \t\u3000\u00a0]+")
_META = re.compile(r"●?(学习时间|学习地点|参加人员|被采访者|被采访人|受访者|时间|地点|主持人)[：:]")
_BYLINE_LABEL = re.compile(r"(?:本报|新华社|新华|华社|人民日报|中新社)?(?:特约|驻\S{1,6})?(?:记者|评论员|通讯员)")


def _norm(text: str) -> str:
    """Text reduced for comparing with the title: no spaces, no leading dash or bullet."""
    return SPACES.sub("", text).lstrip("—●").rstrip("：:")


def _front_kind(line: Line, title: str, byline: str) -> str | None:
    """What a line of the repeated header block is: title, byline, meta, head (deck) or None."""
    text, norm = line.text, _norm(line.text)
    if norm and (len(norm) >= 2 and norm in _norm(title) or norm == _norm(byline)):
        return "title"
    if _BYLINE_LABEL.match(text) and len(text) <= 60 and not re.search(r"[。，：]", text):
        return "byline"
    m = _META.match(text)
    if m:
        value = text[m.end():]
        if m[1] != "主持人" or len(value) <= 30 and not re.search(r"[。！？，]", value):
            return "meta"
    if heading_shape(line):
        return "head"
    return None


def front(body: list[Line], title: str, byline: str, metadata: dict[str, str]) -> tuple[int, list[str]]:
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
        if kind == "byline" and (names := SPACES.sub(" ", _BYLINE_LABEL.sub(" ", body[i - 1].text)).strip()):
            metadata["记者"] = f"{metadata['记者']} {names}" if "记者" in metadata else names  # keep earlier bylines
        elif kind == "meta":
            i = _meta(body, i - 1, metadata)
    return i - len(pending), deck


def _meta(body: list[Line], i: int, metadata: dict[str, str]) -> int:
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

