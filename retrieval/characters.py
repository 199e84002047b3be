"""Characters as a second field: Chinese paraphrases often share a character where they share no word
(种地/种田, 铁道/铁路, 偿清/还清), and words the segmenter guessed wrongly (嫌洋|债要) still hold the
right characters. BM25 over each passage's Han characters, built when first needed."""
from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from .index import BM25Index, BM25Params


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
    def build(cls, texts: Iterable[str], params: BM25Params = BM25Params()) -> "CharacterField":
        return cls(BM25Index.build((han(t) for t in texts), params))   # counted a batch at a time

    def weights(self, char: str, ids: np.ndarray) -> np.ndarray:
        """The character's BM25 part in each of the given units (0 where a unit lacks it)."""
        return posting_weights(self.index, char, ids)


def posting_weights(index: BM25Index, term: str, ids: np.ndarray) -> np.ndarray:
    """A term's BM25 weight in each of the given units, from its postings (sorted by unit); 0 where absent."""
    t = index.vocabulary.get(term)
    if t is None:
        return np.zeros(len(ids))
    units = index.unit_ids[index.ptr[t]:index.ptr[t + 1]]
    at = np.minimum(np.searchsorted(units, ids), max(len(units) - 1, 0))
    held = units[at] == ids if len(units) else np.zeros(len(ids), dtype=bool)
    return np.where(held, index.weights[index.ptr[t] + at], 0.0)
