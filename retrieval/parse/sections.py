"""Group an article's body into the opening and headed sections, attributing every paragraph."""
from __future__ import annotations

from itertools import groupby

from ..models import NARRATION, SPEECH, Section, Utterance
from .context import Turn, listed, name_line, new_context, signs
from .front import front
from .lines import Line, cut_off, heading_shape
from .roles import finish
from .turns import attribute, detect

_VERSE_RUN = 3          # three short unpunctuated lines in a row: a poem or a list, not headings
# A heading-shaped line with none of these is a heading even when it names a speaker: 王丙乾说“要防止‘水土流失’”
_PUNCTUATION = frozenset("。！？，；：,;:!?")


def sections(body: list[Line], title: str, byline: str, metadata: dict[str, str]) -> tuple[Section, ...]:
    """Group the body into the opening (section 0) and headed sections, attributing every paragraph."""
    start, deck = front(body, title, byline, metadata)
    rest = body[start:]
    if not deck and not rest and body:
        rest = body  # a one-line article whose line repeats the title: keep the line as its body
    texts = [ln.text for ln in rest]
    ctx = new_context(title, texts)
    groups: list[tuple[str, list[Utterance]]] = [("", [])]
    for position, text in enumerate(deck):
        groups[0][1].append(Utterance(None, None, 0, text, position, NARRATION))
    position = len(deck)
    heads = _heading_candidates(rest)
    digest = ctx.bylines >= 2  # speeches each signed by a line naming the speaker
    previous: Line | None = None  # the last line kept as a paragraph, None after a heading
    signed, padded = None, texts + ["", ""]
    for i, line in enumerate(rest):
        broken = previous is not None and cut_off(previous)
        # a line signing the speech below it (context.signs); a name also used as a `Name：` label is a header list
        who = signs(*padded[i:i + 3]) if digest else None
        signed_above, signed = signed is not None, who if who and not ctx.labels[who[0]] else None
        # a signature, a header-list line; in a digest a name alone (signing a speech or a photo) or a short
        # line that is no heading (the signer's role over the name: "湖南省十八洞村" / "第一书记" / "孙中元")
        aside = line.signature or bool(ctx.listed) and listed(line.text) is not None \
            or digest and (bool(name_line(line.text)) or not heads[i] and heading_shape(line))
        if heads[i] and not aside and not broken \
                and (_PUNCTUATION.isdisjoint(line.text) or detect(line.text, ctx) is None):
            groups.append((line.text, []))
            previous = None
            ctx.paragraph += 1  # a heading parts a dialogue
            if digest and not signed_above:
                ctx.current = None  # a heading starts the next speech (unless the line above just signed it)
            continue
        previous = None if aside and not line.signature else line  # a list line finishes no sentence
        turns = [ctx.close(Turn(None, None, line.text, NARRATION))] if aside else attribute(line.text, ctx, broken)
        if signed:
            ctx.open(Turn(*signed, "", SPEECH))
        number = len(groups) - 1
        for t in turns:  # a joint subject's words are each one's ("谢铁骊、左英、钱信忠等…建议")
            for speaker, role in ((t.speaker, t.role), *t.others):
                groups[-1][1].append(Utterance(speaker, role, number, t.text, position, t.kind))
        position += 1
    if len(groups) > 1 and not groups[-1][1]:  # a heading-shaped last line heads nothing: a signature or credit
        heading = groups.pop()[0]
        groups[-1][1].append(Utterance(None, None, len(groups) - 1, heading, position, NARRATION))
    return finish(groups, ctx, metadata)


def _heading_candidates(lines: list[Line]) -> list[bool]:
    """Which lines are shaped like headings; runs of three or more such lines are verse or lists, not headings."""
    flags: list[bool] = []
    for shaped, run in groupby(heading_shape(line) for line in lines):
        n = len(list(run))
        flags += [shaped and n < _VERSE_RUN] * n
    return flags


