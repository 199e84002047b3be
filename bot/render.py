"""One Answer, three faces: plain text (console), Telegram HTML pages, JSON."""
from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable
from typing import NamedTuple

from retrieval import OPENING, Answer, Citation, DocInfo, Fragment, Passage, SectionInfo, SpeakerHit

TELEGRAM_LIMIT = 4096
_QUOTE_MARK = re.compile("[“”]")

SCOPE_LABEL = "问题所指的文章："

# Styles of spans; each renderer maps them to its own markup.
PLAIN, BOLD, MATCH, ITALIC = "", "b", "m", "i"


class Span(NamedTuple):
    """A piece of text in one style (a tuple: answers make dozens of them)."""

    text: str
    style: str = PLAIN


Line = list[Span]
Block = list[Line]   # a unit that stays on one page when it can: a speaker, a passage, a list


# ---------------------------------------------------------------- structure


def blocks(answer: Answer) -> list[Block]:
    """The answer as blocks of styled lines, the same for every output."""
    out: list[Block] = []
    if answer.message:
        out.append([[Span(line)] for line in answer.message.split("\n")])
    for note in answer.notes:
        out.append([[Span(note, ITALIC)]])
    if answer.scope:
        named = "、".join(f"《{d.title}》 {d.date}" for d in answer.scope)
        out.append([[Span(f"{SCOPE_LABEL}{named}", ITALIC)]])
    builder = _BUILDERS.get(answer.kind)
    if builder:
        out.extend(builder(answer))
    return out


def _who(answer: Answer) -> list[Block]:
    """Ranked speakers; the article is named once when they all come from one, else per speaker."""
    one_doc = len({h.doc for h in answer.speakers}) == 1
    out: list[Block] = []
    if one_doc and answer.speakers:
        out.append([[Span(f"《{answer.speakers[0].title}》 {answer.speakers[0].date}", ITALIC)]])
    for rank, hit in enumerate(answer.speakers, 1):
        source = [] if one_doc else [Span(f" — 《{hit.title}》 {hit.date}", ITALIC)]
        block: Block = [[Span(f"{rank}. "), Span(hit.name, BOLD), *_role(hit.role), *source]]
        for p in hit.passages:
            block += _passage_lines(p, show_speaker=False, cite_doc=False)
        out.append(block)
    return out


def _passages(answer: Answer) -> list[Block]:
    return [_passage_lines(p, show_speaker=True, cite_doc=True, rank=i) for i, p in enumerate(answer.passages, 1)]


def _turns(answer: Answer) -> list[Block]:
    out: list[Block] = []
    if answer.kind == "section_turns" and answer.sections:
        s = answer.sections[0]
        out.append([[Span(_section_label(s.number, s.title), BOLD)], [Span(f"{s.doc_title} {s.date}", ITALIC)]])
    doc = None
    first: dict[int, SpeakerHit] = {}   # each article's first speaker (a role word may give thousands)
    if answer.kind == "speaker_turns":
        for hit in answer.speakers:
            first.setdefault(hit.doc, hit)
    for p in answer.passages:
        if answer.kind == "speaker_turns" and p.citation.doc != doc:
            doc = p.citation.doc
            who = first.get(doc)
            head = [Span(who.name if who else (p.speaker or ""), BOLD), *_role(who.role if who else p.role)]
            out.append([head, [Span(f"{p.citation.title} {p.citation.date}", ITALIC)]])
        out.append(_turn_lines(p, answer.kind))
    return out


def _speaker_list(answer: Answer) -> list[Block]:
    out: list[Block] = []
    doc = None
    block: Block = []
    several = len({h.doc for h in answer.speakers}) > 1   # once, not per speaker (a role word gives thousands)
    for hit in answer.speakers:
        if hit.doc != doc and several:
            if block:
                out.append(block)
            block = [[Span(f"[{hit.doc + 1}] {hit.title} {hit.date}", ITALIC)]]
            doc = hit.doc
        block.append([Span("• "), Span(hit.name, BOLD), *_role(hit.role)])
    if block:
        out.append(block)
    return out


def _section_list(answer: Answer) -> list[Block]:
    out: list[Block] = []
    for d in answer.documents:
        out.append([[Span(f"[{d.number}] {d.title}", BOLD)], [Span(_doc_line(d), ITALIC)]])
    if answer.sections and not answer.documents:
        s = answer.sections[0]
        out.append([[Span(f"{s.doc_title} {s.date}", ITALIC)]])
    for s in answer.sections:
        names = "、".join(name for name, _ in s.speakers) or "（无具名发言）"
        out.append([[Span(_section_label(s.number, s.title), BOLD)], [Span(f"  发言：{names}")]])
    if answer.speakers:
        out.append([[Span("发言人：", BOLD)], *[[Span("• "), Span(h.name), *_role(h.role)] for h in answer.speakers]])
    return out


def _doc_list(answer: Answer) -> list[Block]:
    return [[[Span(f"[{d.number}] "), Span(d.title, BOLD)], [Span(_doc_line(d), ITALIC)]] for d in answer.documents]


def _help(answer: Answer) -> list[Block]:
    if not answer.documents:
        return []
    return [[[Span("文章：", BOLD)], *[[Span(f"[{d.number}] {d.title} {d.date}")] for d in answer.documents]]]


_BUILDERS: dict[str, Callable[[Answer], list[Block]]] = {
    "who": _who,
    "passages": _passages,
    "speaker_turns": _turns,
    "section_turns": _turns,
    "speaker_list": _speaker_list,
    "section_list": _section_list,
    "doc_list": _doc_list,
    "help": _help,
}


def _role(role: str | None) -> list[Span]:
    return [Span(f"（{role}）")] if role else []


def _doc_line(d: DocInfo) -> str:
    return f"{d.date} {d.page}，{d.speakers} 位发言人，{d.paragraphs} 段"


def _section_label(number: int, title: str) -> str:
    return OPENING if number == 0 else f"第{number}部分 {title}"


def citation_text(c: Citation, with_doc: bool = True) -> str:
    """《title》 date 第9版(理论) · section — how every passage is cited."""
    page = f"{c.page}({c.column})" if c.column else c.page
    section = _section_label(c.section, c.section_title)
    return f"《{c.title}》 {c.date} {page} · {section}" if with_doc else f"{page} · {section}"


def _fragments(fragments: Iterable[Fragment]) -> list[Span]:
    new = tuple.__new__   # Span's own __new__ is a Python function: an excerpt has a dozen pieces
    return [new(Span, (f.text, MATCH if f.matched else PLAIN)) for f in fragments]


def _passage_lines(p: Passage, show_speaker: bool, cite_doc: bool, rank: int | None = None) -> Block:
    head: Line = [Span(f"{rank}. ")] if rank else []
    if show_speaker and p.speaker:
        head += [Span(p.speaker, BOLD), *_role(p.role), Span("：")]
    lines: Block = [head + quoted(p.excerpt)]
    lines.append([Span("—— " + citation_text(p.citation, cite_doc), ITALIC)])
    return lines


def quoted(fragments: Iterable[Fragment]) -> list[Span]:
    """An excerpt between “ ”: marks its own quotation already supplies are not doubled, and quotations
    nested inside take single marks ‘ ’ as Chinese typesetting does (no ……。””), a nested one the
    excerpt cuts closed or opened at its edge so every mark has its pair."""
    spans = _fragments(fragments)
    text = "".join([s.text for s in spans])
    if "“" not in text and "”" not in text:
        return [Span("“"), *spans, Span("”")]
    opens: list[int] = []
    pairs: dict[int, int] = {}
    stray: list[int] = []   # closing marks whose opening lies before the excerpt
    for mark in _QUOTE_MARK.finditer(text):
        i = mark.start()
        if mark.group() == "“":
            opens.append(i)
        elif opens:
            pairs[opens.pop()] = i
        else:
            stray.append(i)
    last = len(text) - 1
    if text.startswith("“") and pairs.get(0) == last:
        return spans   # the excerpt is one quotation already
    # A quotation running on past the excerpt's end lends its opening mark as ours, one begun before
    # its start its closing mark; at most one of the two can hold.
    own_open = text.startswith("“") and 0 in opens
    own_close = text.endswith("”") and last in stray
    kept = {0} if own_open else {last} if own_close else set()
    opener = [] if own_open else [Span("“" + "‘" * sum(i not in kept for i in stray))]
    closer = [] if own_close else [Span("’" * sum(i not in kept for i in opens) + "”")]
    return [*opener, *_single_marks(spans, kept), *closer]


def _single_marks(spans: list[Span], kept: set[int]) -> list[Span]:
    """The spans with every “ ” turned ‘ ’ but those at the `kept` offsets of their joined text."""
    inner = str.maketrans("“”", "‘’")
    out, at = [], 0
    for s in spans:
        if any(at <= k < at + len(s.text) for k in kept):
            text = "".join(c if at + n in kept else c.translate(inner) for n, c in enumerate(s.text))
        else:
            text = s.text.translate(inner)
        out.append(Span(text, s.style))
        at += len(s.text)
    return out


def _turn_lines(p: Passage, kind: str) -> Block:
    head: Line = []
    if kind == "section_turns" and p.speaker:
        head = [Span(p.speaker, BOLD), Span("：")]
    elif kind == "speaker_turns":
        head = [Span(f"[{_section_label(p.citation.section, p.citation.section_title)}] ", ITALIC)]
    return [head + [Span(p.text)]]


# ---------------------------------------------------------------- plain text


def render_plain(answer: Answer, mark: tuple[str, str] = ("【", "】"), bold: tuple[str, str] = ("", "")) -> str:
    """The answer as console text; matched words between `mark`, names between `bold`."""
    wrap = {style: pair for style, pair in ((MATCH, mark), (BOLD, bold)) if pair != ("", "")}
    out: list[str] = []
    for b, block in enumerate(blocks(answer)):
        if b:
            out.append("\n\n")
        for n, line in enumerate(block):
            if n:
                out.append("\n")
            for text, style in line:
                pair = wrap.get(style)
                out.extend((pair[0], text, pair[1]) if pair else (text,))
    return "".join(out)


# ---------------------------------------------------------------- Telegram HTML


_TAGS = {BOLD: "b", MATCH: "b", ITALIC: "i"}
_PAGED_BY_COUNT = frozenset({"who", "passages", "speaker_turns", "section_turns"})


def _html_span(s: Span) -> str:
    text = html.escape(s.text, quote=False)
    tag = _TAGS.get(s.style)
    return f"<{tag}>{text}</{tag}>" if tag and text.strip() else text   # no tags around blanks


def _html_block(block: Block) -> str:
    return "\n".join("".join(_html_span(s) for s in line) for line in block)


def telegram_length(text: str) -> int:
    """Length as Telegram counts it, in UTF-16 units: 𠮷 or 😀 count 2."""
    return len(text.encode("utf-16-le")) // 2


def render_html_pages(answer: Answer, max_chars: int = TELEGRAM_LIMIT, blocks_per_page: int = 0) -> list[str]:
    """Telegram-HTML pages, each ≤ max_chars UTF-16 units, split between blocks (inside one only when it alone is too long).

    `blocks_per_page` counts passages and turns; lists (sections, speakers, articles) are cut by length only.
    """
    if answer.kind not in _PAGED_BY_COUNT:
        blocks_per_page = 0
    pages: list[str] = []
    current: list[str] = []
    for block in blocks(answer):
        for piece in _fit(block, max_chars):
            if not piece.strip():
                continue   # Telegram refuses a blank message
            joined = "\n\n".join([*current, piece])
            full = blocks_per_page and len(current) >= blocks_per_page
            if current and (telegram_length(joined) > max_chars or full):
                pages.append("\n\n".join(current))
                current = []
            current.append(piece)
    if current:
        pages.append("\n\n".join(current))
    return pages or [html.escape("（没有内容）")]


def _fit(block: Block, max_chars: int) -> list[str]:
    """A block as one HTML string, or several when it is longer than a message."""
    whole = _html_block(block)
    if telegram_length(whole) <= max_chars:
        return [whole]
    pieces: list[str] = []
    current = ""
    for line in block:
        for s in line:
            for chunk in _chunks(s, max_chars):
                if telegram_length(current) + telegram_length(chunk) > max_chars:
                    if current.strip():   # a line's "\n" may have tipped it over: drop it, and blank pieces
                        pieces.append(current.rstrip("\n"))
                    current = ""
                current += chunk
        current += "\n"
    if current.strip():
        pieces.append(current.rstrip("\n"))
    return pieces


def _chunks(s: Span, max_chars: int) -> Iterable[str]:
    """A span's HTML in pieces, each at most max_chars: the plain text is cut first, then escaped."""
    budget = max(1, (max_chars - 10) // 6)  # worst case: every character escapes to 5, plus tags
    for i in range(0, len(s.text), budget):
        yield _html_span(Span(s.text[i:i + budget], s.style))


# ---------------------------------------------------------------- JSON


def to_json(answer: Answer) -> dict:
    """The answer as JSON-ready data; always has speakers, passages, sections and message."""
    return {
        "kind": answer.kind,
        "query": answer.query,
        "message": "\n".join(x for x in (answer.message, *answer.notes) if x),
        "terms": list(answer.terms),
        "speakers": [_speaker_json(h) for h in answer.speakers],
        "passages": [_passage_json(p) for p in answer.passages],
        "sections": [_section_json(s) for s in answer.sections],
        "documents": [vars(d).copy() for d in answer.documents],
        "scope": [vars(d).copy() for d in answer.scope],
    }


def _speaker_json(h: SpeakerHit) -> dict:
    return {"name": h.name, "role": h.role, "score": h.score, "title": h.title, "date": h.date,
            "doc": h.doc + 1, "passages": [_passage_json(p) for p in h.passages]}


def _passage_json(p: Passage) -> dict:
    c = p.citation
    return {
        "speaker": p.speaker, "role": p.role, "title": c.title, "date": c.date, "page": c.page,
        "column": c.column, "section": c.section, "section_title": c.section_title or OPENING,
        "position": c.position, "doc": c.doc + 1, "text": p.text,
        "excerpt": "".join(f.text for f in p.excerpt),
        "matched": sorted({f.text for f in p.excerpt if f.matched}),
        "score": p.score, "kind": p.kind,
    }


def _section_json(s: SectionInfo) -> dict:
    return {"number": s.number, "title": s.title, "doc": s.doc + 1, "doc_title": s.doc_title, "date": s.date,
            "speakers": [{"name": n, "role": r} for n, r in s.speakers]}
