"""The English -> Chinese glossary generated from CC-CEDICT (retrieval/data/cedict.tsv), used softly."""
from __future__ import annotations

import dataclasses

from retrieval import Engine
from retrieval.glossary import GeneratedGlossary, cedict, english_words, forms, keys_found


def engine_with(engine: Engine, **expansion) -> Engine:
    options = dataclasses.replace(engine.options, expansion=dataclasses.replace(engine.options.expansion, **expansion))
    return Engine(engine.documents, engine.segmenter, options, index=engine.index, title_index=engine.title_index)


def test_the_file_loads_from_the_package_with_known_pairs():
    table = cedict()
    assert len(table) > 50_000
    assert "腐败" in table["corruption"]
    assert table["glacier"][0] == "冰川"
    assert table["housework"][0] == "家务"
    assert "堵车" in table["traffic jam"]


def test_proper_names_and_stop_words_are_no_keys():
    table = cedict()
    assert "the" not in table and "who" not in table and "said" not in table
    assert not any("北京" in words for words in table.values())   # Beijing: a place, capitalised pinyin


def test_words_are_found_in_their_base_forms_phrases_first():
    assert "drug" in forms("drugs") and "glacier" in forms("glaciers") and "study" in forms("studies")
    words = english_words("Who said the traffic jams were caused by glaciers?")
    assert keys_found(words, cedict()) == ["traffic jam", "cause", "glacier"]


def test_english_question_adds_dictionary_words_below_the_glossarys(seed_engine):
    glossary = seed_engine.glossary
    added = dict(glossary.candidates(english_words(seed_engine.expander.untranslated("who spoke about corruption and glaciers?"))))
    assert all(w in seed_engine.index.vocabulary for w in added)
    assert all(0 < weight < 1 for weight in added.values())
    assert "腐败" not in added   # the hand glossary gave it already: the dictionary is not asked for it


def test_a_name_or_role_is_never_added(transcripts_engine):
    from bot.eval_cli import load_cases
    from tests.conftest import ROOT

    engine = transcripts_engine
    excluded = {*engine.directory.names, *engine.directory.role_words}
    assert "书记" in excluded and "书记" in cedict()["secretary"] and "书记" in engine.index.vocabulary
    assert "书记" not in dict(engine.glossary.candidates(["secretary"]))
    name = engine.directory.names[0]
    planted = GeneratedGlossary(0.5, 3, known=lambda w: True, excluded=lambda: excluded, table=lambda: {"x": (name, "水")})
    assert planted.candidates(["x"]) == [("水", 0.5)]
    for file in ("english.yaml", "transcripts.yaml", "seed.yaml"):
        for case in load_cases(ROOT / "eval" / file):
            if case.lang == "en":
                added = engine.glossary.candidates(english_words(engine.expander.untranslated(case.question)))
                assert not [w for w, _ in added if w in excluded], case.question


def test_weight_zero_reproduces_todays_answers(seed_engine):
    off = engine_with(seed_engine, generated_glossary=0.0)
    # Today an English word the hand glossary lacks is dropped: the answer is that of the question without it.
    a, b = off.ask("who spoke about corruption among the glaciers?"), off.ask("who spoke about corruption?")
    assert [(s.name, s.score) for s in a.speakers] == [(s.name, s.score) for s in b.speakers]
    assert [p.text for p in a.passages] == [p.text for p in b.passages]
    assert off.glossary.candidates(["glacier", "water"]) == []
    assert ("腐败", 0.5) in seed_engine.glossary.candidates(["corruption"])


def test_a_chinese_question_never_reads_the_dictionary(seed_engine, monkeypatch):
    def unread() -> dict:
        raise AssertionError("the dictionary was read for a Chinese question")

    monkeypatch.setattr(seed_engine.glossary, "_table", unread)
    assert seed_engine.ask("谁谈到了腐败？").speakers
