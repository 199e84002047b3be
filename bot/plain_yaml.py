"""The plain part of YAML that settings files use, read without PyYAML (its import is ~15 ms of a start).

`parse` reads block mappings and sequences of scalars, `[]`/`{}` and one-line flow sequences of
scalars, quoted strings without escapes, and comments, and resolves each scalar as PyYAML's safe
loader does (YAML 1.1: only the spellings below). Anything else (anchors, tags, escapes, multi-line
scalars, `yes`/`on`, octal or sexagesimal numbers, dates, odd indentation, duplicate keys) is
UNSURE, and the caller hands the text to PyYAML, which also words every error: a file read here
gives the data `yaml.safe_load` gives, or nothing.
"""
from __future__ import annotations

import re
from typing import Any

UNSURE = object()

_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):(?: +|$)")
_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\.[0-9]+")
_NULL = ("null", "Null", "NULL", "~")
_TRUE = ("true", "True", "TRUE")
_FALSE = ("false", "False", "FALSE")
# Words YAML 1.1 reads as booleans or null in other spellings (yes, On, nULL...): PyYAML decides.
_SPECIAL_WORDS = {"yes", "no", "on", "off", "y", "n", "true", "false", "null"}
# A plain string may not start with an indicator, a digit, a sign or a dot (numbers, dates, .inf, ~).
_NOT_FIRST = set("-?:,[]{}#&*!|>'\"%@`=<.+~0123456789 ")


class _Unsure(Exception):
    """Outside the plain part: PyYAML reads the text."""


def parse(text: str) -> Any:
    """The data of `text`, or UNSURE when it is not the plain YAML read here."""
    try:
        lines = _lines(text)
        if not lines:
            return None
        if lines[0][0] != 0:
            raise _Unsure
        value, end = _block(lines, 0, 0)
        if end != len(lines):
            raise _Unsure
        return value
    except _Unsure:
        return UNSURE


def _lines(text: str) -> list[tuple[int, str]]:
    """(indent, content) of each line that is not blank or a comment."""
    out = []
    for line in text.split("\n"):
        stripped = line.lstrip(" ")
        if not stripped or stripped.startswith("#"):
            if line and not line.isprintable():
                raise _Unsure
            continue
        if not line.isprintable() or stripped.startswith(("---", "...", "%")):
            raise _Unsure
        out.append((len(line) - len(stripped), stripped.rstrip(" ")))
    return out


def _block(lines: list[tuple[int, str]], i: int, indent: int) -> tuple[Any, int]:
    """The mapping or sequence whose lines start at `i` with `indent` spaces, and the line after it."""
    if lines[i][1].startswith("-"):
        return _sequence(lines, i, indent)
    return _mapping(lines, i, indent)


def _mapping(lines: list[tuple[int, str]], i: int, indent: int) -> tuple[dict, int]:
    out: dict = {}
    while i < len(lines) and lines[i][0] == indent:
        match = _KEY.match(lines[i][1])
        if match is None:
            raise _Unsure
        key = _plain(match.group(1))
        if not isinstance(key, str) or key in out:
            raise _Unsure
        rest = _uncomment(lines[i][1][match.end():])
        i += 1
        if rest:
            out[key] = _inline(rest)
        elif i < len(lines) and (lines[i][0] > indent or (lines[i][0] == indent and lines[i][1].startswith("-"))):
            out[key], i = _block(lines, i, lines[i][0])
        else:
            out[key] = None
    if i < len(lines) and lines[i][0] > indent:
        raise _Unsure   # a continued scalar, or indentation YAML reads otherwise
    return out, i


def _sequence(lines: list[tuple[int, str]], i: int, indent: int) -> tuple[list, int]:
    out: list = []
    while i < len(lines) and lines[i][0] == indent and lines[i][1].startswith("-"):
        content = lines[i][1]
        if not content.startswith("- "):
            raise _Unsure   # `-` alone (a nested block) or `-x` (a plain scalar)
        rest = _uncomment(content[2:].lstrip(" "))
        if not rest or _KEY.match(rest):
            raise _Unsure
        out.append(_inline(rest))
        i += 1
    if i < len(lines) and lines[i][0] > indent:
        raise _Unsure
    return out, i


def _uncomment(rest: str) -> str:
    """A value without its trailing comment (a `#` after a space, outside quotes)."""
    if rest.startswith("#"):
        return ""
    if rest[:1] in ("'", '"'):
        close = rest.find(rest[0], 1)
        if close < 0:
            raise _Unsure
        after = rest[close + 1:]
        if after.strip(" ") and not after.lstrip(" ").startswith("#") or after[:1] not in ("", " "):
            raise _Unsure
        return rest[:close + 1]
    cut = rest.find(" #")
    return (rest if cut < 0 else rest[:cut]).rstrip(" ")


def _inline(rest: str) -> Any:
    """A value on the key's (or the item's) line: a scalar, `[]`, `{}` or a flow sequence of scalars."""
    if rest == "{}":
        return {}
    if rest.startswith("["):
        if not rest.endswith("]"):
            raise _Unsure
        inner = rest[1:-1].strip(" ")
        if not inner:
            return []
        return [_scalar(item.strip(" ")) for item in inner.split(",")]
    return _scalar(rest)


def _scalar(text: str) -> Any:
    if text[:1] in ("'", '"'):
        body = text[1:-1]
        if len(text) < 2 or text[-1] != text[0] or text[0] in body or "\\" in body:
            raise _Unsure   # escapes and doubled quotes: PyYAML reads them
        return body
    return _plain(text)


def _plain(text: str) -> Any:
    """A plain scalar resolved as PyYAML's safe loader resolves the spellings accepted here."""
    if text in _NULL:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if _INT.fullmatch(text):
        return int(text)
    if _FLOAT.fullmatch(text):
        return float(text)
    home = text.startswith("~/")   # a path under the home folder: only `~` alone is null
    if (not text or (text[0] in _NOT_FIRST and not home) or text.lower() in _SPECIAL_WORDS
            or any(c in text for c in ":#,[]{}'\"")):
        raise _Unsure
    return text
