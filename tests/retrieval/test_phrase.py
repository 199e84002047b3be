"""Phrase evidence: the question's text as written, and verbatim quotations as lookups."""
from __future__ import annotations

import pytest

from retrieval.excerpt import sentences
from retrieval.models import SPEECH
from retrieval.phrase import coverage, phrases, quotes_in, squeeze


def test_runs_are_split_at_punctuation_and_quotations_found():
    said = phrases("说“群众利益无小事”，要办实事", "“群众利益无小事”是谁说的？")
    assert said.runs == ("群众利益无小事", "要办实事")
    assert said.quotations == ("群众利益无小事",)


def test_coverage_counts_runs_found_as_written_not_scattered_parts():
    runs = ("差额选举",)
    assert coverage(squeeze("实行差额选举，扩大党内民主"), runs, 3) == 1.0
    assert coverage(squeeze("选举产生了新的领导班子，差额不大"), runs, 3) == 0.0


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
