"""Pick the sentences of a passage that match a question and mark the matched words."""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Collection, Iterable, Mapping, Sequence
from itertools import accumulate, repeat
from typing import NamedTuple

import numpy as np

from .columns import csr
from .models import Fragment
from .segment import Segmenter, fold

# A sentence ends at 。！？； (full or half width) or a line break; closing quotes stay with it.
_SENTENCE = re.compile(r"[^。！？；!?;\n]*(?:[。！？；!?;\n]+[”’」』）)]*|$)")


def sentences(text: str) -> list[str]:
    """The sentences of a paragraph, concatenating back to the paragraph exactly."""
    return [s for s in _SENTENCE.findall(text) if s]


class Bounds(NamedTuple):
    """Where a paragraph's sentences and tokens end (character offsets), as excerpts cut it."""

    sentences: Sequence[int]
    tokens: Sequence[int]


def bounds(text: str, segmenter: Segmenter, folded: tuple[Sequence[int], str | None] | None = None) -> Bounds:
    """Sentence and token ends of a paragraph, each sentence cut on its own as `Segmenter.tokens` cuts
    it; computed once at index time so an excerpt is a lookup and a mark-up.

    `folded`: where the pieces of the whole folded paragraph's cut end, and `fold_in_place` of the
    paragraph (as `Segmenter.terms_and_ends` gives them). The segmenter cuts runs of Han characters,
    letters and digits one by one, and a sentence ends on a sign outside them, so each sentence's
    own cut is the paragraph's where each sentence folds to the paragraph's fold in its place and
    every sentence end is a piece end: those ends are taken then.
    """
    if folded is not None:
        cut = _bounds_from(text, *folded)
        if cut is not None:
            return cut
    sentence_ends: list[int] = []
    token_ends: list[int] = []
    at = 0
    for sentence in sentences(text) or [text]:
        for piece in segmenter.pieces(sentence):
            at += len(piece)
            token_ends.append(at)
        sentence_ends.append(at)
    return Bounds(sentence_ends, token_ends)


def _bounds_from(text: str, piece_ends: Sequence[int], in_place: str | None) -> Bounds | None:
    """`bounds` from the whole folded paragraph's piece ends; None when a sentence's own cut could differ."""
    parts = sentences(text)
    if in_place is None or not parts:
        return None
    ends = list(accumulate(map(len, parts)))
    starts = [0] + ends[:-1]
    if not set(ends) <= set(piece_ends) or not all(
            unicodedata.is_normalized("NFKC", in_place[a:b]) for a, b in zip(starts, ends)):
        return None
    return Bounds(ends, list(piece_ends))


def excerpt(
    text: str,
    terms: Mapping[str, float],
    segmenter: Segmenter,
    max_sentences: int = 2,
    max_chars: int = 300,
    cut: Bounds | None = None,
) -> tuple[Fragment, ...]:
    """The best matching sentences (in text order) as fragments, matched words flagged.

    A sentence ranks by the weights of the distinct question words it holds, so the user's own
    words (weight 1) outrank synonyms added by expansion. `cut` is the paragraph's stored
    `bounds` (computed here when not given); only sentences holding a question word are marked.
    """
    cut = cut or bounds(text, segmenter)
    ends = _ints(cut.sentences)
    token_ends = _ints(cut.tokens)
    starts = [0] + ends[:-1]
    parts = [text[a:b] for a, b in zip(starts, ends)]
    first = [bisect_right(token_ends, a) for a in starts]
    last = [bisect_right(token_ends, b) for b in ends]
    folded = _folded(parts)
    words = [t for t in terms if t]

    def mark(i: int) -> list[Fragment]:
        return _mark(parts[i], starts[i], token_ends, first[i], last[i], terms, words, segmenter, folded[i])

    marked: dict[int, list[Fragment]] = {}
    hits, weight = [0] * len(parts), [0.0] * len(parts)
    for i in _candidates(parts, folded, words):
        marked[i] = m = mark(i)
        matched = [f.text for f in m if f.matched]
        hits[i] = len(matched)
        if matched:
            weight[i] = sum(_weight(w, terms) for w in set(matched))
    ranked = sorted(range(len(parts)), key=lambda i: (-weight[i], -hits[i], i))
    chosen = sorted(i for i in ranked[:max_sentences] if hits[i]) or [0]
    pieces: list[Fragment] = []
    for n, i in enumerate(chosen):
        if n and chosen[n - 1] != i - 1:
            pieces.append(Fragment("…"))
        pieces.extend(marked[i] if i in marked else mark(i))
    if chosen[-1] != len(parts) - 1 and not parts[chosen[-1]].rstrip().endswith(_FULL_STOPS):
        pieces.append(Fragment("…"))
    return _clip(_merge(pieces), max_chars)


_FULL_STOPS = tuple("。！？；!?;")


def _candidates(parts: Sequence[str], folded: Sequence[str], words: Sequence[str]) -> list[int]:
    """Sentences that may hold a question word (as written or folded): every matched token's term
    contains one. `words`: the question's words, none empty."""
    if not words:
        return []
    found = []
    for i, (part, fold_) in enumerate(zip(parts, folded)):
        # Both forms in one string: no word holds the NUL between them.
        forms = part.lower() if part == fold_ else f"{part.lower()}\x00{fold_.lower()}"
        if any(map(forms.__contains__, words)):
            found.append(i)
    return found


def _folded(parts: Sequence[str]) -> list[str]:
    """`fold` of each sentence, in one call: NUL composes with nothing and no form folds to it, so
    NFKC of the sentences joined by NUL is their NFKC forms joined by NUL."""
    joined = "\x00".join(parts)
    if joined.count("\x00") != len(parts) - 1:   # a sentence holding NUL itself
        return [fold(p) for p in parts]
    return fold(joined).split("\x00")


def _ints(ends: Sequence[int]) -> list[int]:
    return ends.tolist() if isinstance(ends, np.ndarray) else [int(e) for e in ends]


def plain(fragments: tuple[Fragment, ...]) -> str:
    return "".join(f.text for f in fragments)


def _mark(sentence: str, start: int, token_ends: list[int], lo: int, hi: int, terms: Collection[str],
          words: Sequence[str], segmenter: Segmenter, folded: str) -> list[Fragment]:
    """The sentence's tokens (those ending at token_ends[lo:hi], offsets in the paragraph) with matches
    flagged; the unmatched ones between two matches as one fragment (`_merge` joins them anyway).
    `folded` is the sentence's `fold`, `words` the non-empty terms."""
    if not terms:
        return [Fragment(sentence)]
    if len(folded) != len(sentence):
        folded = sentence
    lowered = folded.lower()
    if folded is sentence or len(lowered) != len(folded):
        candidates: Iterable[int] = range(hi - lo)    # forms that fold or lower unevenly: try every token
    else:
        candidates = _holding(lowered, start, token_ends, lo, hi, words)
    term_of = segmenter.term_of
    marked: list[Fragment] = []
    at = 0
    for t in candidates:
        a = token_ends[lo + t - 1] - start if t else 0
        b = token_ends[lo + t] - start
        if _matches(term_of(folded[a:b]), terms):
            if a > at:
                marked.append(Fragment(sentence[at:a]))
            marked.append(Fragment(sentence[a:b], True))
            at = b
    if at < len(sentence):
        marked.append(Fragment(sentence[at:]))
    return marked


def _holding(lowered: str, start: int, token_ends: list[int], lo: int, hi: int, words: Sequence[str]) -> list[int]:
    """Tokens (numbered from lo) whose text holds a whole occurrence of a question word: the only ones
    that can match (a matching term is a question word or contains one)."""
    found: set[int] = set()
    for word in words:
        at = lowered.find(word)
        while at >= 0:
            t = bisect_right(token_ends, at + start, lo, hi)
            if t < hi and at + len(word) + start <= token_ends[t]:
                found.add(t - lo)
            at = lowered.find(word, at + 1)
    return sorted(found)


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


class BoundsTable:
    """Every paragraph's `Bounds` in four flat arrays (CSR layout), stored with the index."""

    def __init__(self, sentence_ptr: np.ndarray, sentence_ends: np.ndarray,
                 token_ptr: np.ndarray, token_ends: np.ndarray) -> None:
        self.sentence_ptr, self.sentence_ends = sentence_ptr, sentence_ends
        self.token_ptr, self.token_ends = token_ptr, token_ends

    @classmethod
    def build(cls, texts: Iterable[str], segmenter: Segmenter,
              folded: Iterable[tuple[Sequence[int], str | None]] | None = None) -> "BoundsTable":
        """The texts' bounds; `folded`, one per text, as `bounds` takes it."""
        ends = folded if folded is not None else repeat(None)
        cuts = [bounds(text, segmenter, e) for text, e in zip(texts, ends)]
        return cls(*csr([c.sentences for c in cuts]), *csr([c.tokens for c in cuts]))

    @classmethod
    def join(cls, parts: Sequence["BoundsTable"]) -> "BoundsTable":
        """Tables of consecutive batches of paragraphs as one."""
        def ptr(arrays: list[np.ndarray]) -> np.ndarray:
            return _ptr(np.concatenate([np.diff(a) for a in arrays]) if arrays else [])
        return cls(ptr([p.sentence_ptr for p in parts]), _concat([p.sentence_ends for p in parts]),
                   ptr([p.token_ptr for p in parts]), _concat([p.token_ends for p in parts]))

    def __len__(self) -> int:
        return len(self.sentence_ptr) - 1

    def __getitem__(self, i: int) -> Bounds:
        s, t = self.sentence_ptr, self.token_ptr
        return Bounds(self.sentence_ends[s[i] : s[i + 1]], self.token_ends[t[i] : t[i + 1]])

    def arrays(self) -> dict[str, np.ndarray]:
        return {"sentence_ptr": self.sentence_ptr, "sentence_ends": self.sentence_ends,
                "token_ptr": self.token_ptr, "token_ends": self.token_ends}

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, np.ndarray], n_units: int) -> "BoundsTable":
        """The table `arrays` gave; ValueError when its parts do not fit together."""
        table = cls(arrays["sentence_ptr"], arrays["sentence_ends"], arrays["token_ptr"], arrays["token_ends"])
        if not (len(table.sentence_ptr) == len(table.token_ptr) == n_units + 1
                and int(table.sentence_ptr[-1]) == len(table.sentence_ends)
                and int(table.token_ptr[-1]) == len(table.token_ends)):
            raise ValueError("sentence and token bounds do not match the paragraphs")
        return table


def _ptr(counts: Sequence[int] | np.ndarray) -> np.ndarray:
    ptr = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(counts, out=ptr[1:])
    return ptr


def _concat(arrays: list[np.ndarray]) -> np.ndarray:
    return np.concatenate(arrays).astype(np.int32) if arrays else np.empty(0, np.int32)
