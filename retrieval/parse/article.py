"""Parse People's Daily text (the fangj/rmrb `### title` format) into Documents with speakers and sections."""
from __future__ import annotations

import re

from ..errors import ParseError
from ..models import Document, Problem
from .front import SPACES
from .lines import INDENT, body_line
from .sections import sections

_HEADER = re.compile(r"(?m)^### ")
_DATE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")
_PAGE = re.compile(r"^(第[^()（）]{0,8}?版)\s*[(（](.*?)[)）]\s*$")


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
    title = SPACES.sub(" ", lines[0]).strip()
    if not title:
        raise ParseError("empty title")
    byline, date, page, column, metadata, body_start = _header(lines, title)
    body = [body_line(raw) for raw in lines[body_start:] if raw.strip(INDENT + "\n")]
    return Document(title=title, byline=byline, date=date, page=page, column=column,
                    metadata=metadata, sections=sections(body, title, byline, metadata), source=source)


def _header(lines: list[str], title: str) -> tuple[str, str, str, str, dict[str, str], int]:
    """Byline, date, page, column, metadata and the index of the first body line."""
    i, byline = 1, ""
    if i < len(lines) and not _DATE.match(lines[i].strip()):
        byline = SPACES.sub(" ", lines[i]).strip()
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
    line = lines[i].strip() if i < len(lines) else ""
    if line.startswith(("专栏：", "专栏:")):
        if line[3:].strip():
            metadata["专栏"] = line[3:].strip()
        i += 1
    return byline, date, page, column, metadata, i

