"""BM25 index: scores worked out by hand, equivalence with rank-bm25, save/load, parallel build."""
from __future__ import annotations

import json
import math
import random
from pathlib import Path

import numpy as np
import pytest

from retrieval import parallel
from retrieval.index import BM25Index, BM25Params, PostingsBuilder, count_postings
from retrieval.segment import Segmenter
from retrieval.store import DamagedStore

# ---------------------------------------------------------------- by hand

# Three units, 9 tokens: avgdl = 3. Document frequencies: a 1, b 2, c 2, d 1, e 1, f 1.
TOY = [["a", "b", "a"], ["b", "c"], ["c", "d", "e", "f"]]
K1, B, EPS = 1.5, 0.75, 0.25

# idf = ln(N - df + 0.5) - ln(df + 0.5) with N = 3
IDF_RARE = math.log(2.5) - math.log(1.5)          # df 1: ln(5/3) = 0.5108256
IDF_HALF = math.log(1.5) - math.log(2.5)          # df 2: ln(3/5) = -0.5108256, negative
# rank-bm25 floors a negative idf at epsilon x the mean idf over all 6 terms
MEAN_IDF = (4 * IDF_RARE + 2 * IDF_HALF) / 6      # = IDF_RARE / 3 = 0.1702752
IDF_FLOOR = EPS * MEAN_IDF                        # = 0.0425688


def tf_part(tf: int, dl: int, avgdl: float = 3.0) -> float:
    """tf (k1 + 1) / (tf + k1 (1 - b + b dl / avgdl))"""
    return tf * (K1 + 1) / (tf + K1 * (1 - B + B * dl / avgdl))


def test_idf_by_hand():
    index = BM25Index.build(TOY, BM25Params(K1, B, EPS))
    assert index.idf("a") == pytest.approx(0.5108256237659907, abs=1e-12)
    assert index.idf("b") == pytest.approx(0.04256880198049922, abs=1e-12)   # floored
    assert index.idf("a") == pytest.approx(IDF_RARE, abs=1e-12)
    assert index.idf("b") == pytest.approx(IDF_FLOOR, abs=1e-12)
    assert index.idf("zzz") == 0.0


@pytest.mark.parametrize(
    "query, expected",
    [
        # unit 0 holds "a" twice, dl 3 = avgdl: norm = 1.5, tf part = 2 * 2.5 / 3.5 = 1.4285714
        (["a"], {0: IDF_RARE * tf_part(2, 3)}),                         # 0.7297509
        # "b" once in unit 0 (dl 3: 2.5 / 2.5 = 1) and once in unit 1 (dl 2: 2.5 / 2.125)
        (["b"], {0: IDF_FLOOR * 1.0, 1: IDF_FLOOR * 2.5 / 2.125}),      # 0.0425688, 0.0500809
        # unit 2 has dl 4: norm = 1.5 * (0.25 + 0.75 * 4 / 3) = 1.875, tf part = 2.5 / 2.875
        (["c", "d"], {1: IDF_FLOOR * 2.5 / 2.125, 2: (IDF_FLOOR + IDF_RARE) * 2.5 / 2.875}),  # 0.0500809, 0.4812125
        # a repeated query word counts twice, as in rank-bm25
        (["a", "a"], {0: 2 * IDF_RARE * 1.4285714285714286}),
        (["nothing"], {}),
    ],
)
def test_scores_by_hand(query, expected):
    index = BM25Index.build(TOY, BM25Params(K1, B, EPS))
    ids, scores = index.scores(query)
    assert expected == pytest.approx(dict(zip(ids.tolist(), scores.tolist())), abs=1e-12)
    assert [i for i, _ in index.top(query, 10)] == sorted(expected, key=lambda i: -expected[i])


def test_written_out_numbers():
    index = BM25Index.build(TOY, BM25Params(K1, B, EPS))
    assert index.top(["c", "d"], 2) == [(2, pytest.approx(0.4812125, abs=1e-7)), (1, pytest.approx(0.0500809, abs=1e-7))]


def test_idf_exactly_zero_is_floored_unlike_rank_bm25():
    """Our one deliberate difference: rank-bm25 floors idf < 0 only, so a word in exactly half the
    units (idf = ln(1.5/1.5) = 0 with 2 units) scores 0 everywhere and can never be found."""
    from rank_bm25 import BM25Okapi

    units = [["x", "y"], ["y", "z"]]
    assert BM25Okapi(units).get_scores(["x"]).tolist() == [0.0, 0.0]
    index = BM25Index.build(units)
    assert index.idf("x") > 0
    assert [i for i, _ in index.top(["x"], 5)] == [0]


def test_empty_corpus_finds_nothing():
    index = BM25Index.build([])
    assert index.top(["a"], 5) == []
    assert index.n_units == 0


def test_allowed_mask_and_k():
    index = BM25Index.build(TOY)
    assert [i for i, _ in index.top(["b", "c"], 1)] == [1]
    allowed = np.array([True, False, True])
    assert [i for i, _ in index.top(["b", "c"], 5, allowed)] == [0, 2] or [i for i, _ in index.top(["b", "c"], 5, allowed)] == [2, 0]
    assert index.top(["b"], 0) == []


# ---------------------------------------------------------------- against rank-bm25


def _queries(index: BM25Index, n: int, seed: int) -> list[list[str]]:
    """Random 1-4 word queries over the vocabulary, common words included (epsilon floor), but no
    word with idf exactly 0 (in exactly half the units), where we differ on purpose."""
    rng = random.Random(seed)
    half = {t for t in index.vocabulary if 2 * index.document_frequency(t) == index.n_units}
    words = sorted(set(index.vocabulary) - half)
    common = sorted(words, key=lambda t: -index.document_frequency(t))[:30]
    return [rng.sample(words, rng.randint(1, 3)) + rng.sample(common, rng.randint(0, 1)) for _ in range(n)]


def _assert_same_top10(units: list[list[str]], queries: list[list[str]]) -> None:
    from rank_bm25 import BM25Okapi

    reference = BM25Okapi(units)
    index = BM25Index.build(units)
    checked = 0
    for query in queries:
        ref_scores = reference.get_scores(query)
        ref_ids = [i for i in np.lexsort((np.arange(len(units)), -ref_scores))[:10] if ref_scores[i] > 0]
        ours = index.top(query, 10)
        assert [i for i, _ in ours] == ref_ids, query
        for (i, score) in ours:
            assert abs(score - ref_scores[i]) < 1e-6, (query, i)
        checked += bool(ref_ids)
    assert checked > len(queries) // 2


def test_same_top10_as_rank_bm25_on_the_seed(seed_engine):
    seg = Segmenter("rjieba", words=seed_engine.segmenter.words)
    units = [seg.terms(u.utterance.text) for u in seed_engine.units]
    index = BM25Index.build(units)
    # the seed has common words in over half its 18 units: the epsilon floor is exercised
    assert any(2 * index.document_frequency(t) > index.n_units for t in index.vocabulary)
    _assert_same_top10(units, _queries(index, 150, seed=1))


def test_same_top10_as_rank_bm25_on_a_bulk_sample(bulk_sample):
    seg = Segmenter("rjieba")
    units = [seg.terms(text) for text in bulk_sample[:3000]]
    _assert_same_top10(units, _queries(BM25Index.build(units), 150, seed=2))


# ---------------------------------------------------------------- building


def test_counting_in_batches_gives_the_same_index():
    rng = random.Random(7)
    units = [[rng.choice("abcdefghij") * rng.randint(1, 2) for _ in range(rng.randint(0, 12))] for _ in range(500)]
    whole = BM25Index.build(units)
    builder = PostingsBuilder()
    for i in range(0, 500, 37):
        builder.add(count_postings(units[i:i + 37]))
    merged = builder.index(BM25Params())
    _assert_identical(whole, merged)


def test_parallel_build_is_identical_to_one_process(bulk_sample, monkeypatch):
    texts = bulk_sample[:1500]
    seg = Segmenter("rjieba", words=["习近平", "新冠肺炎"])
    monkeypatch.setattr(parallel, "PARALLEL_MIN_CHARS", 0)
    monkeypatch.setattr(parallel, "BATCH_UNITS", 200)
    done: list[int] = []
    two, two_cuts = parallel.build_index(texts, seg, workers=2, progress=done.append)
    one, one_cuts = parallel.build_index(texts, seg, workers=1)
    _assert_identical(one, two)
    _assert_identical(one, BM25Index.build([seg.terms(t) for t in texts]))
    assert sum(done) == len(texts)
    for name, array in one_cuts.arrays().items():
        assert np.array_equal(array, two_cuts.arrays()[name]), name


def _assert_identical(a: BM25Index, b: BM25Index) -> None:
    assert list(a.vocabulary.items()) == list(b.vocabulary.items())
    for name in ("ptr", "unit_ids", "weights", "idfs"):
        assert np.array_equal(getattr(a, name), getattr(b, name)), name
        assert getattr(a, name).dtype == getattr(b, name).dtype, name
    assert a.n_units == b.n_units


# ---------------------------------------------------------------- on disk


def test_save_load_round_trip(tmp_path):
    index = BM25Index.build(TOY + [["你好", "世界"], [], ["a\x00b"]], BM25Params(1.2, 0.6, 0.3))
    index.save(tmp_path, "toy")
    loaded = BM25Index.load(tmp_path, "toy")
    _assert_identical(index, loaded)
    assert loaded.params == BM25Params(1.2, 0.6, 0.3)
    assert loaded.top(["c", "d"], 3) == index.top(["c", "d"], 3)
    manifest = json.loads((tmp_path / "toy.json").read_text(encoding="utf-8"))
    assert set(manifest["files"]) >= {"ptr", "unit_ids", "weights", "idfs"}
    for name in manifest["files"]:  # plain .npy, readable without pickle
        np.load(tmp_path / f"toy.{name}.npy", allow_pickle=False)


@pytest.mark.parametrize("damage", ["truncate", "flip", "delete", "manifest"])
def test_damaged_index_files_are_detected(tmp_path, damage):
    BM25Index.build(TOY).save(tmp_path, "toy")
    target = tmp_path / "toy.weights.npy"
    data = target.read_bytes()
    if damage == "truncate":
        target.write_bytes(data[: len(data) // 2])
    elif damage == "flip":
        target.write_bytes(data[:-3] + bytes([data[-3] ^ 0x10]) + data[-2:])
    elif damage == "delete":
        target.unlink()
    else:
        (tmp_path / "toy.json").write_text('{"store_format": 1, "fil', encoding="utf-8")
    with pytest.raises(DamagedStore):
        BM25Index.load(tmp_path, "toy")


def test_object_arrays_are_never_loaded(tmp_path):
    BM25Index.build(TOY).save(tmp_path, "toy")
    manifest = json.loads((tmp_path / "toy.json").read_text(encoding="utf-8"))
    evil = tmp_path / "toy.idfs.npy"
    import io
    import zlib

    buffer = io.BytesIO()
    np.save(buffer, np.array([{"x": 1}], dtype=object), allow_pickle=True)
    evil.write_bytes(buffer.getvalue())
    manifest["files"]["idfs"] = {"bytes": len(buffer.getvalue()), "crc32": zlib.crc32(buffer.getvalue())}
    (tmp_path / "toy.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(DamagedStore):
        BM25Index.load(tmp_path, "toy")


@pytest.fixture(scope="module")
def bulk_sample(shared_corpus: Path) -> list[str]:
    """Every 40th body paragraph of the bulk corpus (about 2,900)."""
    folder = shared_corpus / "bulk"
    if not folder.is_dir():
        pytest.skip("no bulk corpus")
    lines = [line[2:].rstrip("\n") for f in sorted(folder.glob("*.txt"))
             for line in f.open(encoding="utf-8") if line.startswith("\u3000\u3000")]
    return lines[::40]


def test_parallel_parsing_gives_what_load_corpus_gives(shared_corpus, monkeypatch):
    from retrieval import corpus

    monkeypatch.setattr(parallel, "PARALLEL_MIN_BYTES", 0)
    paths = [shared_corpus / "transcripts", shared_corpus / "format_samples", shared_corpus / "missing"]
    files: list[int] = []
    two = parallel.load_corpus(paths, workers=2, progress=files.append)
    one = corpus.load_corpus(paths)
    assert two.documents == one.documents and two.problems == one.problems
    assert sum(files) == len(corpus.corpus_files(paths[0])) + len(corpus.corpus_files(paths[1])) + 1


def test_merged_and_slotted_postings_give_the_same_scores(bulk_sample, monkeypatch):
    """A query's postings merged by a stable sort (few of them) or added into a slot per unit (many):
    the same units and bit-for-bit the same sums (each unit's parts added in the query's order)."""
    from retrieval import index as index_module

    seg = Segmenter("rjieba")
    index = BM25Index.build([seg.terms(text) for text in bulk_sample[:3000]])
    queries = _queries(index, 80, seed=3)
    weights = [[1.0 - 0.1 * n for n in range(len(q))] for q in queries]

    def all_scores(merged: int) -> list[tuple[list[int], bytes]]:
        monkeypatch.setattr(index_module, "MERGED", merged)
        return [(ids.tolist(), scores.tobytes()) for q, w in zip(queries, weights) for ids, scores in [index.scores(q, w)]]

    merged, slotted = all_scores(1 << 30), all_scores(0)
    assert merged == slotted
    assert sum(len(ids) > 1 for ids, _ in merged) > len(queries) // 2
    # A mask given to `scores` keeps what filtering its whole result would, on either path.
    allowed = np.arange(index.n_units) % 3 != 0
    for merged in (1 << 30, 0):
        monkeypatch.setattr(index_module, "MERGED", merged)
        for q, w in zip(queries, weights):
            ids, scores = index.scores(q, w)
            kept_ids, kept_scores = index.scores(q, w, allowed)
            assert kept_ids.tolist() == ids[allowed[ids]].tolist()
            assert kept_scores.tobytes() == scores[allowed[ids]].tobytes()
