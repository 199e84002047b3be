"""Pick the sentences of a passage that match a question and mark the matched words."""
from __future__ import annotations

import re
from collections.abc import Collection, Mapping

from .models import Fragment
from .segment import Segmenter

# A sentence ends at 。！？； (full or half width) or a line break; closing quotes stay with it.
_SENTENCE = re.compile(r"[^。！？；!?;\n]*(?:[。！？；!?;\n]+[”’」』）)]*|$)")


def sentences(text: str) -> list[str]:
    """The sentences of a paragraph, concatenating back to the paragraph exactly."""
    return [s for s in _SENTENCE.findall(text) if s]


def excerpt(
    text: str,
    terms: Mapping[str, float],
    segmenter: Segmenter,
    max_sentences: int = 2,
    max_chars: int = 300,
) -> tuple[Fragment, ...]:
    """The best matching sentences (in text order) as fragments, matched words flagged.

    A sentence ranks by the weights of the distinct question words it holds, so the user's own
    words (weight 1) outrank synonyms added by expansion.
    """
    parts = sentences(text) or [text]
    marked = [_mark(s, terms, segmenter) for s in parts]
    hits = [sum(1 for f in m if f.matched) for m in marked]
    weight = [sum(_weight(w, terms) for w in {f.text for f in m if f.matched}) for m in marked]
    ranked = sorted(range(len(parts)), key=lambda i: (-weight[i], -hits[i], i))
    chosen = sorted(i for i in ranked[:max_sentences] if hits[i]) or [0]
    pieces: list[Fragment] = []
    for n, i in enumerate(chosen):
        if n and chosen[n - 1] != i - 1:
            pieces.append(Fragment("…"))
        pieces.extend(marked[i])
    if chosen[-1] != len(parts) - 1 and not parts[chosen[-1]].rstrip().endswith(tuple("。！？；!?;")):
        pieces.append(Fragment("…"))
    return _clip(_merge(pieces), max_chars)


def plain(fragments: tuple[Fragment, ...]) -> str:
    return "".join(f.text for f in fragments)


def _mark(sentence: str, terms: Collection[str], segmenter: Segmenter) -> list[Fragment]:
    if not terms:
        return [Fragment(sentence)]
    return [Fragment(t.surface, _matches(t.term, terms)) for t in segmenter.tokens(sentence)]


def _weight(surface: str, terms: Mapping[str, float]) -> float:
    term = surface.lower()
    if term in terms:
        return terms[term]
    return max((w for q, w in terms.items() if len(q) > 1 and q in term), default=0.0)


def _matches(term: str | None, terms: Collection[str]) -> bool:
    """A word matches a question word it is, or one it contains (惩治腐败 holds 腐败)."""
    if not term:
        return False
    return term in terms or (len(term) > 2 and any(len(q) > 1 and q in term for q in terms))


def _merge(pieces: list[Fragment]) -> list[Fragment]:
    merged: list[Fragment] = []
    for piece in pieces:
        if merged and merged[-1].matched == piece.matched and not piece.matched:
            merged[-1] = Fragment(merged[-1].text + piece.text)
        else:
            merged.append(piece)
    return merged


def _clip(pieces: list[Fragment], max_chars: int) -> tuple[Fragment, ...]:
    """Cut long excerpts at a fragment boundary, keeping the first match in view."""
    total = sum(len(p.text) for p in pieces)
    if total <= max_chars:
        return tuple(pieces)
    out: list[Fragment] = []
    used = 0
    for piece in pieces:
        room = max_chars - used
        if room <= 0:
            break
        text = piece.text if len(piece.text) <= room or piece.matched else piece.text[:room]
        out.append(Fragment(text, piece.matched))
        used += len(text)
    out.append(Fragment("…"))
    return tuple(out)
