"""Question scope: the article a question names decides which holder of a role it means."""
from __future__ import annotations

import pytest

from retrieval.scope import naming_words

STUDIES = ("宁夏", "重庆", "江西", "河南")   # the four 中心组学习实录 of the transcripts, each with a 纪委书记


def test_places_organisations_and_years_name_an_article_topic_words_do_not():
    assert "河南省委" in naming_words("在河南省委的学习会上，纪委书记说了什么？")
    assert "1999" in naming_words("1999年两会上谁谈了扩大内需？")
    assert naming_words("谁说城里人和乡下人的收入差距扩大了？") == []


@pytest.mark.parametrize("role", ["纪委书记", "宣传部长", "组织部长"])
def test_the_named_article_picks_the_role_holder(transcripts_engine, role):
    """The scene (在河南省委的学习会上) names the article and is no topic: the holder's words come back."""
    engine = transcripts_engine
    asked = 0
    for place in STUDIES:
        holders = {(r.doc, r.name) for r in engine.directory.lookup(role)
                   if place in engine.documents[r.doc].title}
        if not holders:
            continue
        asked += 1
        answer = engine.ask(f"在{place}的学习会上，{role}说了什么？")
        assert answer.passages, (place, role, answer.message)
        assert {(p.citation.doc, p.speaker) for p in answer.passages} <= holders, place
        assert [place in d.title for d in answer.scope] == [True] * len(answer.scope) != [], place
    assert asked >= 2


def test_a_question_naming_no_article_keeps_every_holder(transcripts_engine):
    answer = transcripts_engine.ask("纪委书记说了什么？")
    assert answer.scope == ()
    assert len({p.citation.doc for p in answer.passages}) >= 2
