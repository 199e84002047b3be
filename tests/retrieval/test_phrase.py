"""Phrase evidence: the question's text as written, and verbatim quotations as lookups."""
from __future__ import annotations

import numpy as np
import pytest

from retrieval.columns import StringTable
from retrieval.excerpt import sentences
from retrieval.models import SPEECH
from retrieval.phrase import SEP, PhraseRanking, Phrases, Texts, phrases, rerank, squeeze


def test_pairs_are_neighbouring_words_within_punctuation_and_quotations_found(seed_engine):
    tokens = seed_engine.segmenter.tokens("谈到浙江徐力弑母事件，群众利益")
    said = phrases(tokens, "“群众利益无小事”是谁说的？")
    assert "浙江徐力" in said.pairs and "事件群众" not in said.pairs
    assert said.quotations == ("群众利益无小事",)


def _texts(strings: list[str]) -> Texts:
    table = StringTable.pack(strings)
    ids = np.arange(len(strings))
    return Texts(table.joined(ids, SEP), len(strings), table.__getitem__)


def test_pairs_are_found_side_by_side_not_scattered(seed_engine):
    said = phrases(seed_engine.segmenter.tokens("扩大党内民主"), "")
    found = _texts(["要扩大党内民主，健全制度", "党内要讲民主，也要扩大交流"])
    assert [found.holding(p).tolist() for p in said.pairs] == [[True, False]] * len(said.pairs)


def test_a_quotation_matches_whatever_punctuation_it_was_typed_with():
    found = _texts(["他说：“群众利益无小事，一枝一叶总关情。”", "群众利益无大事"])
    assert found.holding(squeeze("群众利益无小事 一枝一叶总关情")).tolist() == [True, False]
    assert found.holding(squeeze("群众利益无大事")).tolist() == [False, True]


def test_batch_search_finds_what_squeezing_each_text_finds(transcripts_engine):
    """Runs across punctuation, cased (GDP) runs, texts holding NUL: as squeeze(text) would say."""
    texts = [t for t in list(transcripts_engine.columns.texts)[:400]]
    texts += ["国内生产总值（ＧＤＰ）增长", "gdp，增长", "经济\x00发展", "经济发展"]
    runs = {squeeze(t[i:i + n]) for t in texts[::7] for i in range(0, len(t) - 4, 9) for n in (2, 4)}
    runs |= {"gdp增长", "ｇｄｐ增长", "经济发展", "济发"}
    runs.discard("")
    for batch in (texts, texts[:-2]):   # with and without a text holding the separator
        found = _texts(batch)
        for run in sorted(runs):
            assert found.holding(run).tolist() == [run in squeeze(t) for t in batch], run


def test_rerank_puts_the_passage_with_the_pairs_first_and_a_quotation_above_all():
    table = StringTable.pack(["扩大交流", "要扩大党内民主", "他说：“群众利益无小事”"])
    ids, scores = np.array([0, 1, 2]), np.array([3.0, 2.0, 1.0])
    said = Phrases(pairs=("扩大党内", "党内民主"))
    assert rerank(ids, scores, table, said, 1.0) == [(1, 4.0), (0, 3.0), (2, 1.0)]
    said = Phrases(pairs=("扩大党内",), quotations=("群众利益无小事",))
    assert rerank(ids, scores, table, said, 1.0) == [(2, 5.0), (1, 4.0), (0, 3.0)]


def _quotable(engine, step: int):
    """(sentence, speaker) for sentences of 12+ characters said once in the corpus, every step-th unit."""
    said: dict[str, set[str]] = {}
    for unit in engine.units:
        for s in sentences(unit.utterance.text):
            said.setdefault(squeeze(s), set()).add(unit.utterance.speaker or "")
    out = []
    for unit in engine.units[::step]:
        u = unit.utterance
        if u.kind != SPEECH or not u.speaker or len(u.speaker) < 2:
            continue
        for s in sentences(u.text):
            if len(squeeze(s)) >= 12 and said[squeeze(s)] == {u.speaker} and "“" not in s and "”" not in s:
                out.append((s.rstrip("。！？；"), u.speaker))
                break
    return out


@pytest.mark.parametrize("engine_name, step", [("seed_engine", 1), ("transcripts_engine", 15)])
def test_a_verbatim_quotation_names_its_speaker_first(request, engine_name, step):
    engine = request.getfixturevalue(engine_name)
    cases = _quotable(engine, step)
    assert len(cases) >= 10
    firsts = [(q, who, [s.name for s in engine.ask(f"“{q}”是谁说的？").speakers[:1]]) for q, who in cases]
    wrong = [case for case in firsts if case[2] != [case[1]]]
    assert not wrong, wrong[:5]


def test_the_phrase_ranking_settles_reranks_first_hits_in_its_order(transcripts_engine):
    """The head a PhraseRanking settles is rerank's first hits, and with any other candidates added they
    stand in rerank's order: over the pools of questions made from the corpus' own word pairs."""
    engine = transcripts_engine
    texts = engine.columns.texts
    rng = np.random.default_rng(7)
    checked = 0
    for unit in rng.choice(len(texts), 60, replace=False).tolist():
        tokens = [t for t in engine.segmenter.tokens(texts[unit]) if t.term][:6]
        topic = "".join(t.surface for t in tokens)
        said = phrases(engine.segmenter.tokens(topic), topic)
        terms = list(dict.fromkeys(engine.segmenter.terms(topic)))
        ids, scores = engine.index.scores(terms)
        if not said.pairs or len(ids) < 20:
            continue
        ids, scores = ids[:300], scores[:300]
        whole = rerank(ids, scores, texts, said, 1.0)
        for n in (1, 5, 40):
            head = PhraseRanking(ids, scores, texts, said, 1.0, first=4).head(lambda h: len(h) >= n)
            assert head == whole[: len(head)] and (len(head) >= n or head == whole)
        ranking = PhraseRanking(ids, scores, texts, said, 1.0, first=4)
        head = ranking.head(lambda h: len(h) >= 5)
        wanted = rng.random(len(ranking.ids)) < 0.1
        picked = {int(i) for i, _ in head} | set(ranking.ids[wanted].tolist())
        assert ranking.adding(wanted) == [hit for hit in whole if hit[0] in picked]
        checked += 1
    assert checked >= 20


def test_answers_read_from_the_settled_head_equal_answers_from_the_whole_rerank(transcripts_engine, monkeypatch):
    """Vectors off, the answers take the phrase ranking's settled head; rescoring every candidate instead
    gives the same answers (the transcripts eval questions, who and passages, and the who-questions with
    people named as context)."""
    import dataclasses

    import yaml

    from bot.render import to_json
    from retrieval import Engine
    from tests.conftest import ROOT

    engine = transcripts_engine
    options = dataclasses.replace(engine.options, semantic=dataclasses.replace(engine.options.semantic, vectors=False))
    plain = Engine(engine.documents, engine.segmenter, options, index=engine.index, title_index=engine.title_index)
    questions = [item["question"] for item in yaml.safe_load((ROOT / "eval" / "transcripts.yaml").read_text("utf-8"))]
    questions += [q.replace("谁", "谁向李鹏") for q in questions[:40] if q.startswith("谁")]
    questions += [q.strip("？?").replace("谁", "") for q in questions[:60]]
    settled = [to_json(plain.ask(q)) for q in questions]
    head = PhraseRanking.head
    monkeypatch.setattr(PhraseRanking, "head", lambda self, enough: head(self, lambda h: False))   # to the end
    assert [to_json(plain.ask(q)) for q in questions] == settled
