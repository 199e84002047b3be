"""Question scope: the article a question names picks out which holder of a role it means.

"在河南省委的学习会上，纪委书记说了什么？": four articles have a 纪委书记; the question's naming words
(河南省委) pick one of them. Naming words are found by shape, not by list: what jieba's dictionary
tags as a place, organisation or other proper noun (ns, nt, nz, j) and years (1999年). Topic words
(扩大, 收入) do not name an article even when a title holds them. Articles are matched on their title
and year, the field the ranking's title bonus reads, and only among the articles the role's
holders come from, so a question naming no article keeps every holder.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .directory import RefList, SpeakerRef


_NAMING_TAGS = frozenset({"ns", "nt", "nz", "j"})
_SCENE_TAGS = frozenset({"t", "f"})
_YEAR = re.compile(r"((?:19|20)\d\d)\s*年")


Tagger = Callable[[str], list[tuple[str, str]]]   # (word, part of speech) as rjieba.tag gives them


def naming_words(text: str, tag: Tagger | None = None) -> list[str]:
    """The words of a question that can name an article: proper nouns of places and organisations, years.
    `tag`: a segmenter's (Segmenter.tag, from its stored dictionary), else rjieba's own."""
    words = [m.group(1) for m in _YEAR.finditer(text)]
    words += [word for word, pos in (tag or _tag)(text) if pos in _NAMING_TAGS]
    return words


def scene_words(text: str, tag: Tagger | None = None) -> list[str]:
    """Words of time and place that set a scene (会上, 期间, 中) rather than a topic."""
    return [word for word, pos in (tag or _tag)(text) if pos in _SCENE_TAGS]


def _tag(text: str) -> list[tuple[str, str]]:
    try:
        import rjieba
    except ImportError:   # the jieba backend alone: the same dictionary, slower
        import jieba.posseg

        return [(p.word, p.flag) for p in jieba.posseg.cut(text)]
    return rjieba.tag(text)


@dataclass(frozen=True)
class Scope:
    refs: Sequence[SpeakerRef]     # the holders left
    docs: tuple[int, ...]          # the articles the question was found to name (empty: none)


def narrow(refs: Sequence[SpeakerRef], title_scores: Callable[[], np.ndarray], min_score: float) -> Scope:
    """The holders in the articles whose title and year match the question best, when they are
    spread over several articles and one of those matches at least `min_score`."""
    listed = isinstance(refs, RefList)   # read by document number: no SpeakerRef made
    ref_docs = refs.docs if listed else np.array([r.doc for r in refs], dtype=np.int64)
    kept = refs if listed else tuple(refs)
    docs = np.unique(ref_docs)
    if len(docs) < 2:
        return Scope(kept, ())
    scores = title_scores()
    best = scores[docs].max()
    if best < min_score or best <= 0:
        return Scope(kept, ())
    chosen = docs[scores[docs] == best]
    keep = np.isin(ref_docs, chosen)
    kept = refs.where(keep) if listed else tuple(r for r, k in zip(refs, keep.tolist()) if k)
    return Scope(kept, tuple(chosen.tolist()))


# Parts of speech a role's qualifiers carry (香港/中华/厂商/联合会 before 会长): nouns, places,
# organisations, other proper nouns, abbreviations.
_QUALIFIER_TAGS = frozenset({"n", "nt", "ns", "nz", "j", "nrt", "vn"})


def role_phrase(text: str, span: tuple[int, int], tag: Tagger | None = None) -> str:
    """The role word at `span` with the nouns standing right before it (香港中华厂商联合会会长 for the
    role word 会长): the role as the question gives it, qualifiers and all. The role word alone when
    none stands before it."""
    start, end = span
    words, at = [], 0
    for word, pos in (tag or _tag)(text[:start]):
        words.append((at, word, pos))
        at += len(word)
    for begin, word, pos in reversed(words):
        if pos not in _QUALIFIER_TAGS or begin + len(word) != start:
            break
        start = begin
    return text[start:end]
