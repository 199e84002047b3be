"""Phrase evidence: the question's text as written, and verbatim quotations as lookups."""
from __future__ import annotations

import pytest

from retrieval.excerpt import sentences
from retrieval.models import SPEECH
from retrieval.phrase import coverage, phrases, quotes_in, squeeze


def test_pairs_are_neighbouring_words_within_punctuation_and_quotations_found(seed_engine):
    tokens = seed_engine.segmenter.tokens("谈到浙江徐力弑母事件，群众利益")
    said = phrases(tokens, "“群众利益无小事”是谁说的？")
    assert "浙江徐力" in said.pairs and "事件群众" not in said.pairs
    assert said.quotations == ("群众利益无小事",)


def test_coverage_counts_pairs_found_side_by_side_not_scattered(seed_engine):
    said = phrases(seed_engine.segmenter.tokens("扩大党内民主"), "")
    assert coverage(squeeze("要扩大党内民主，健全制度"), said.pairs) == 1.0
    assert coverage(squeeze("党内要讲民主，也要扩大交流"), said.pairs) == 0.0


def test_a_quotation_matches_whatever_punctuation_it_was_typed_with():
    text = squeeze("他说：“群众利益无小事，一枝一叶总关情。”")
    assert quotes_in(text, (squeeze("群众利益无小事 一枝一叶总关情"),))
    assert not quotes_in(text, (squeeze("群众利益无大事"),))


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
