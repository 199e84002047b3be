"""Whom 他/她/这位… means: the person last named or the one holding the floor (pronoun resolution).

The scanners that find names (floor.py) hand in what they found; this module only decides."""
from __future__ import annotations

from collections.abc import Callable

Who = tuple[str, str | None]          # a speaker and their role
Held = tuple[str, str | None, int]    # …and where in the paragraph they took the floor or were named

_HONORIFICS = ("同志", "先生", "女士")


def resolve(kind: str, role: str | None, current: Held | None, latest: Held | None,
            mentioned: Callable[[int], Who | None]) -> Who | None:
    """The person a pronoun ("pronoun": 他/她) or a description ("this": 这位<role>) stands for.

    `current` holds the floor, `latest` was named last as a subject; `mentioned(since)` finds the last
    person named in the paragraph from `since` (or in the paragraphs before) when neither will do."""
    since = current[2] if current else 0
    if latest and latest[2] >= since and (not current or latest[0] != current[0]):
        who: Who | None = (latest[0], latest[1])
    elif current:
        who = (current[0], current[1])
    else:
        who = mentioned(since)
    if who is None or who[0] == "记者":
        return None
    if kind == "this" and role and who[1] and not compatible(role, who[1]) and current \
            and who[0] != current[0] and (not current[1] or compatible(role, current[1])):
        who = (current[0], current[1])   # "这位…的老工人" is the worker holding the floor, not 李鹏代总理
    if kind == "this" and role:
        return who[0], role if not who[1] or len(role) > len(who[1]) else who[1]
    return who


def compatible(description: str, role: str) -> bool:
    """Whether "这位…<description>" can describe someone known as `role` (the two share their head word)."""
    if role.endswith(_HONORIFICS):
        return True
    return description[-2:] in role or role[-2:] in description

