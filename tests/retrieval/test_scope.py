"""Question scope: the article a question names decides which holder of a role it means."""
from __future__ import annotations

import pytest

from retrieval.scope import naming_words, role_phrase

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


def test_words_of_the_named_title_do_not_tell_its_speakers_apart(transcripts_engine):
    """1993年 names the press conference of 四位民主党派负责人答中外记者问; inside it every answer is about
    民主党派, so 反腐败 decides: 王文元's answer, not 楚庄's on the democratic parties."""
    engine = transcripts_engine
    question = "1993年四位民主党派负责人答记者问时，谁谈了反腐败问题？"
    answer = engine.ask(question)
    assert answer.speakers[0].name == "王文元"
    assert "民主党派负责人" in answer.speakers[0].title
    # Without a naming word in that title (宝钢 is the topic, in the title by chance) the weights stay.
    words, weights = ["宝钢", "前期", "准备"], [1.0, 1.0, 1.0]
    bonus = engine._title_match(words, weights)
    assert engine._text_weights(words, weights, bonus, frozenset()) == weights
    assert engine.ask("谁承认宝钢工程前期准备草率、花了冤枉钱？").speakers[0].name == "唐克"


def test_title_words_keep_their_weight_where_the_setting_says_so(transcripts_engine):
    import dataclasses

    from retrieval import Engine

    engine = transcripts_engine
    plain = Engine(engine.documents, engine.segmenter, dataclasses.replace(engine.options, title_word_weight=1.0),
                   index=engine.index, title_index=engine.title_index)
    words, weights = ["1993", "民主党派", "反腐败"], [1.0, 1.0, 1.0]
    bonus = plain._title_match(words, weights)
    assert plain._text_weights(words, weights, bonus, frozenset({"1993"})) == weights
    scaled = engine._text_weights(words, weights, bonus, frozenset({"1993"}))
    assert scaled == [0.5, 0.5, 1.0]


def test_a_role_with_its_qualifiers_is_the_role_as_the_question_gives_it(transcripts_engine):
    tag = transcripts_engine.segmenter.tag
    question = "香港中华厂商联合会会长对香港经济结构调整有什么看法？"
    at = question.index("会长")
    assert role_phrase(question, (at, at + 2), tag) == "香港中华厂商联合会会长"
    question = "在江苏省委的学习会上，纪委书记说了什么？"
    at = question.index("纪委书记")
    assert role_phrase(question, (at, at + 4), tag) == "纪委书记"     # 的 and the comma end the qualifiers


def test_a_role_stated_in_the_text_finds_its_holder(transcripts_engine):
    """梁钦荣's label gives 香港维达企业有限公司董事长; the reporter's question says 梁钦荣委员也是香港中华
    厂商联合会会长. No recorded role holds that, so the text's statement decides."""
    engine = transcripts_engine
    assert "梁钦荣" not in {r.name for r in engine.directory.lookup("会长")}
    assert {r.name for r in engine._stated_holders("香港中华厂商联合会会长")} == {"梁钦荣"}
    answer = engine.ask("香港中华厂商联合会会长对香港经济结构调整有什么看法？")
    assert answer.passages[0].speaker == "梁钦荣"
    assert engine._stated_holders("南极科考站站长") == ()                # not in the corpus: nobody
