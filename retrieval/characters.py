"""Characters as a second field: Chinese paraphrases often share a character where they share no word
(种地/种田, 铁道/铁路, 偿清/还清), and words the segmenter guessed wrongly (嫌洋|债要) still hold the
right characters. BM25 over each passage's Han characters, built when first needed."""
from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from .columns import StringTable
from .index import BATCH, BM25Index, BM25Params, Postings, PostingsBuilder

# The Han ranges `han` keeps, as code points.
_HAN = ((0x4E00, 0x9FFF), (0x3400, 0x4DBF))
_HAN_BASE = 0x3400   # the lowest: offsets from it fit 16 bits, which numpy sorts by radix


def han(text: str) -> list[str]:
    """The text's Han (CJK unified) characters, in order."""
    return [c for c in text if "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf"]


def distinct(words: Iterable[str]) -> list[str]:
    """The words' Han characters, each once, in order of first use."""
    return list(dict.fromkeys(c for w in words for c in han(w)))


class CharacterField:
    """BM25 over the Han characters of each unit."""

    def __init__(self, index: BM25Index) -> None:
        self.index = index

    @classmethod
    def build(cls, texts: Sequence[str], params: BM25Params = BM25Params()) -> "CharacterField":
        """The index `BM25Index.build` makes of each text's `han` list, counted from code points a batch
        at a time (a list of one-character strings per unit cost ~5 s at 100k passages)."""
        builder = PostingsBuilder()
        for start in range(0, len(texts), BATCH):
            stop = min(start + BATCH, len(texts))
            if isinstance(texts, StringTable):
                codes, units = _stored_code_points(texts, start, stop)
            else:
                codes, units = _code_points(texts[start:stop])
            builder.add(count_code_points(codes, units, stop - start))
        if not builder.vocabulary:
            builder.add(count_characters([]))
        return cls(builder.index(params))

    def weights(self, char: str, ids: np.ndarray) -> np.ndarray:
        """The character's BM25 part in each of the given units (0 where a unit lacks it)."""
        return posting_weights(self.index, char, ids)


def count_characters(texts: Sequence[str]) -> Postings:
    """`count_postings` of each text's `han` list (the same arrays, terms numbered by first occurrence)."""
    return count_code_points(*_code_points(texts), len(texts))


def count_code_points(codes: np.ndarray, units: np.ndarray, n_units: int) -> Postings:
    """`count_characters` from the texts' code points (`units` ascending: the text each is in): one radix
    sort of 16-bit code offsets, no string per character."""
    keep = np.zeros(len(codes), dtype=bool)
    for low, high in _HAN:
        keep |= (codes >= low) & (codes <= high)
    offsets, units = (codes[keep] - _HAN_BASE).astype(np.uint16), units[keep]
    doc_len = np.bincount(units, minlength=n_units).astype(np.int32)
    order = np.argsort(offsets, kind="stable")   # by character, positions ascending within one
    offsets, units = offsets[order], units[order]
    new_char = _changes(offsets)
    group = np.cumsum(new_char) - 1            # each position's distinct character, in code order
    starts = np.flatnonzero(new_char)
    number = np.empty(len(starts), dtype=np.int64)
    number[np.argsort(order[starts], kind="stable")] = np.arange(len(starts))   # by first occurrence
    pairs = np.flatnonzero(new_char | _changes(units))   # (character, unit) runs
    tfs = np.diff(np.append(pairs, len(units)))
    terms, pair_units = number[group[pairs]], units[pairs]
    by_term = np.argsort(terms.astype(np.uint16), kind="stable")   # units stay ascending within a term
    vocabulary = [chr(c) for c in (offsets[starts][np.argsort(number)].astype(np.int64) + _HAN_BASE).tolist()]
    return Postings(vocabulary, terms[by_term].astype(np.int32), pair_units[by_term].astype(np.int32),
                    tfs[by_term].astype(np.int32), doc_len)


def _changes(values: np.ndarray) -> np.ndarray:
    """True where a value differs from the one before it (and at the first)."""
    changed = np.ones(len(values), dtype=bool)
    np.not_equal(values[1:], values[:-1], out=changed[1:])
    return changed


def _code_points(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Every code point of the texts in order, and the number of the text it is in."""
    codes = np.frombuffer("".join(texts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    return codes, np.repeat(np.arange(len(texts), dtype=np.int32), lengths)


def _stored_code_points(texts: StringTable, start: int, stop: int) -> tuple[np.ndarray, np.ndarray]:
    """`_code_points` of texts[start:stop], decoded in one go (each text's length counted from its
    UTF-8 lead bytes, not from a string per text)."""
    a, b = int(texts.offsets[start]), int(texts.offsets[stop])
    raw = texts.blob[a:b]
    codes = np.frombuffer(raw.tobytes().decode("utf-8", "surrogatepass").encode("utf-32-le", "surrogatepass"),
                          dtype=np.uint32)
    leads = np.zeros(len(raw) + 1, dtype=np.int64)
    np.cumsum((raw & 0xC0) != 0x80, out=leads[1:])
    lengths = np.diff(leads[texts.offsets[start:stop + 1] - a])
    return codes, np.repeat(np.arange(stop - start, dtype=np.int32), lengths)


def posting_weights(index: BM25Index, term: str, ids: np.ndarray) -> np.ndarray:
    """A term's BM25 weight in each of the given units, from its postings (sorted by unit); 0 where absent."""
    t = index.vocabulary.get(term)
    if t is None:
        return np.zeros(len(ids))
    units = index.unit_ids[index.ptr[t]:index.ptr[t + 1]]
    at = np.minimum(np.searchsorted(units, ids), max(len(units) - 1, 0))
    held = units[at] == ids if len(units) else np.zeros(len(ids), dtype=bool)
    return np.where(held, index.weights[index.ptr[t] + at], 0.0)
