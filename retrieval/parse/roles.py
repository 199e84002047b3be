"""After attribution: one role per speaker across the article, and named interviewers marked as questioners."""
from __future__ import annotations

import re

from ..models import QUESTION, SPEECH, Section, Utterance
from .context import Context
from .names import fullest_role, name_chars, roles_from_text, split_subject

_AFTER_DOT = re.compile(r"·([\u4e00-\u9fff]{2,10})")  # the part after a transliterated name's dot
# Header lists that give roles ("被采访者：吉林省农安县县委书记张俊先，…") and what parts their items.
_LIST_KEYS = ("被采访者", "被采访人", "受访者", "主持人")
_LIST_SPLIT = re.compile(r"[，、,；;]")


def finish(groups: list[tuple[str, list[Utterance]]], ctx: Context, metadata: dict[str, str]) -> tuple[Section, ...]:
    """Give every speaker one role across the document and mark named interviewers as questioners."""
    utterances = [u for _, us in groups for u in us]
    if not any(u.speaker for u in utterances):  # most news articles: nothing to fix
        return tuple(Section(number, heading, tuple(us)) for number, (heading, us) in enumerate(groups))
    roles = _roles(utterances, ctx, metadata)
    askers = _interviewers(utterances, ctx)
    whole = _whole_names({u.speaker for u in utterances if u.speaker}, ctx.text) if "·" in ctx.text else {}
    return tuple(Section(number, heading, tuple(_fix(u, roles, askers, whole) for u in us))
                 for number, (heading, us) in enumerate(groups))


def _whole_names(speakers: set[str], text: str) -> dict[str, str]:
    """Speakers cut from the end of a transliterated name the article gives in full ("苏夫" of "肉孜坦木·米纳苏夫",
    met as "米纳苏夫委员说"): the longer name, when every mention of the short one is part of it."""
    tails = {m[1] for m in _AFTER_DOT.finditer(text)}
    whole: dict[str, str] = {}
    for name in speakers:
        for tail in tails:
            k = tail.find(name, 1)
            if 0 < k <= 4 and name_chars(tail[:k]) and text.count(tail[:k + len(name)]) == text.count(name):
                whole[name] = tail[:k + len(name)]
    return whole


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


def _fix(u: Utterance, roles: dict[str, str], askers: set[str], whole: dict[str, str]) -> Utterance:
    """One utterance with its speaker's whole name, document-wide role and kind."""
    if not u.speaker or u.kind != SPEECH:
        return u
    kind = QUESTION if u.speaker in askers else u.kind
    return Utterance(whole.get(u.speaker, u.speaker), roles.get(u.speaker, u.role), u.section, u.text, u.position,
                     kind)


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
            if len(texts) >= 3 and ctx.labels[name] >= 2
            and sum(t.rstrip("”。 ").endswith(("？", "?")) for t in texts) * 2 >= len(texts)}  # mostly questions
