"""One body line of an article and its shape: indentation, signature, heading, cut off mid-sentence."""
from __future__ import annotations

import re
from dataclasses import dataclass

INDENT = " \t\u3000\u00a0\r"
_SIGNATURE_INDENT = 6   # wider leading space than any paragraph indent: a right-aligned signature
_HEADING_MAX = 60       # study transcripts have headings of ~50 characters
_HEADING_TAIL = 8       # "…典型例子。该" (a cut-off paragraph) is not a heading
_END_PUNCT = tuple("。！？!?…；;，,：:、")
_CREDIT = re.compile(r"摄$|电$|讯$|^(?:本报|新华社)?记者|(?:照片|图片|附图)）?$")
_NOT_HEADING = re.compile(r"^[（(\d０-９]|^——|摄）?$|^(?:本报|新华社|据)|整理）?$")
SENTENCE_END = re.compile(r"[。！？]")


@dataclass(frozen=True, slots=True)
class Line:
    """One body line without its indentation; `signature` when it was right-aligned."""

    text: str
    signature: bool


def body_line(raw: str) -> Line:
    """Strip indentation; remember right-aligned lines (signatures)."""
    if raw.startswith("\u3000\u3000") and raw[2:3] not in INDENT:  # the usual indent: fast path
        return Line(raw[2:].rstrip(INDENT), False)
    stripped = raw.lstrip(INDENT)
    indent = raw[: len(raw) - len(stripped)]
    width = indent.count(" ") + 2 * indent.count("\u3000") + indent.count("\u00a0")
    return Line(stripped.rstrip(INDENT), width > _SIGNATURE_INDENT)


def heading_shape(line: Line) -> bool:
    """A short line with no closing punctuation: a heading unless it is a speaker's turn."""
    text = line.text
    if line.signature or len(text) > _HEADING_MAX or text.endswith(_END_PUNCT) or _NOT_HEADING.search(text):
        return False
    if sum(c.isdecimal() or c in "．.%％" for c in text) * 3 > len(text):  # a table row, not a heading
        return False
    ends = [m.end() for m in SENTENCE_END.finditer(text)]
    return not ends or len(text) - ends[-1] >= _HEADING_TAIL


def cut_off(line: Line) -> bool:
    """True when a paragraph stops mid-sentence ("…完全是客"): the next line finishes it."""
    last = line.text[-1:]
    return not line.signature and (last in "，、—；" or "\u4e00" <= last <= "\u9fff") and not _CREDIT.search(line.text)
