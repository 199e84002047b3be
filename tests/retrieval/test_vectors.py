"""The word vectors shipped in retrieval/data: loaded from the package, memory-mapped, with known neighbours."""
from __future__ import annotations

import numpy as np
import pytest

from retrieval.vectors import DATA, WordVectors, shipped_vectors, stamp


@pytest.fixture(scope="module")
def vectors() -> WordVectors:
    found = shipped_vectors()
    assert found is not None, "retrieval/data/vectors.* missing: run scripts/convert_cnsyn.py"
    return found


def test_vectors_load_from_the_package_memory_mapped(vectors):
    assert isinstance(vectors.matrix, np.memmap) and vectors.matrix.dtype == np.int8
    assert vectors.matrix.shape == (len(vectors.words), 75) and len(vectors.words) > 50_000
    assert (DATA / "vectors.LICENSE.txt").read_text(encoding="utf-8").count("Apache License") >= 1


def test_rows_are_unit_vectors(vectors):
    norms = np.linalg.norm(vectors.matrix[:1000].astype(np.float32) / 127, axis=1)
    assert np.allclose(norms, 1, atol=0.02)


@pytest.mark.parametrize("word, near, within", [
    ("汽车", "轿车", 5), ("清廉", "廉明", 3), ("贪污", "受贿", 3), ("种田", "种地", 3), ("老百姓", "百姓", 3),
])
def test_neighbours_are_known_pairs(vectors, word, near, within):
    assert near in [w for w, _ in vectors.neighbours(word, within)]


def test_neighbours_are_ranked_by_cosine(vectors):
    found = vectors.neighbours("轿车", 20)
    sims = [s for _, s in found]
    assert sims == sorted(sims, reverse=True) and "汽车" in [w for w, _ in found]


def test_unknown_word_has_no_vector_and_no_neighbours(vectors):
    assert vectors.vector("𠀀𠀁") is None and vectors.neighbours("𠀀𠀁") == []


@pytest.mark.parametrize("word", ["认为", "指出", "声称", "强调", "今年", "但是", "我们"])
def test_verbs_of_saying_and_function_words_carry_no_topic(vectors, word):
    assert not vectors.is_topic(word)


@pytest.mark.parametrize("word", ["轿车", "腐败", "农民", "下岗", "假药", "庄稼人"])
def test_content_words_carry_a_topic(vectors, word):
    assert vectors.is_topic(word)


def test_words_looked_up_in_the_file_as_in_the_decoded_list():
    """A fresh load finds words, rows, tags and the row tests in the file's bytes (no 80k-line decode at
    start): each must agree with the decoded list and the whole-matrix tests (the one-row product, for
    every shipped row; a lookup in the bytes, for every 20th word and the ends)."""
    decoded = WordVectors.load()
    words, tags = decoded.words, decoded.tags
    topics, frames = decoded.topic_rows, decoded.frame_rows
    lazy = WordVectors.load()
    assert [lazy.frame_row(n) for n in range(len(words))] == frames.tolist()
    for n in [*range(0, len(words), 20), len(words) - 1]:
        word = words[n]
        assert lazy.number(word) == n and lazy.word_at(n) == word and lazy.tag_at(n) == tags[n]
        assert lazy.is_topic(word) == bool(topics[n]) and lazy.is_frame(word) == bool(frames[n])
    assert lazy._words is None, "the lookups above decoded the whole list"
    assert lazy.number("不是一个词xyz") is None and lazy.number("") is None
    assert stamp(lazy) == stamp(decoded)
