"""Question understanding over the transcripts: who is asked about when a question names several people."""
from __future__ import annotations


def test_a_role_beside_a_named_person_who_does_not_hold_it_is_the_one_asked(transcripts_engine):
    """在李鹏与代表委员探讨…时，上海交通大学副校长说了什么: 李鹏 sets the scene, the vice-president speaks."""
    engine = transcripts_engine
    (holder,) = engine.directory.lookup("上海交通大学副校长")
    answer = engine.ask("在李鹏与代表委员探讨中小学生减负时，上海交通大学副校长说了什么？")
    assert answer.passages and {(p.citation.doc, p.speaker) for p in answer.passages} == {(holder.doc, holder.name)}


def test_a_named_person_who_holds_the_role_stays_the_one_asked(seed_engine):
    answer = seed_engine.ask("纪委书记刘丰富谈了什么？")
    assert {p.speaker for p in answer.passages} == {"刘丰富"}
