"""The word vectors shipped in retrieval/data: loaded from the package, memory-mapped, with known neighbours."""
from __future__ import annotations

import numpy as np
import pytest

from retrieval.vectors import DATA, WordVectors, shipped_vectors


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
