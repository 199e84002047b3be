"""Pronoun resolution on its own: whom 他/她/这位 means, given who holds the floor and who was named last."""
from __future__ import annotations

from retrieval.models import SPEECH
from retrieval.parse.context import Context, Turn
from retrieval.parse.pronoun import compatible, resolve

from .helpers import transcript


def nobody(since: int):
    return None


def test_the_person_named_since_the_floor_was_taken_wins():
    current, latest = ("李鹏", "总理", 0), ("钱书远", "代表", 10)
    assert resolve("pronoun", None, current, latest, nobody) == ("钱书远", "代表")
    assert resolve("pronoun", None, current, ("李鹏", "总理", 12), nobody) == ("李鹏", "总理")
    assert resolve("pronoun", None, None, None, lambda since: ("张云", None)) == ("张云", None)


def test_this_description_must_fit_the_person():
    current, latest = ("王广平", "老工人", 0), ("李鹏", "代总理", 5)
    assert resolve("this", "老工人", current, latest, nobody) == ("王广平", "老工人")
    assert resolve("this", "省委副书记", None, ("刘丰富", "副书记", 3), nobody) == ("刘丰富", "省委副书记")
    assert compatible("副省长", "省长") and not compatible("老工人", "代总理")


def test_the_reporter_is_no_one_a_pronoun_means():
    assert resolve("pronoun", None, ("记者", None, 0), None, nobody) is None


def test_a_paragraph_opening_with_he_said_means_whom_the_previous_paragraphs_name():
    # the newest paragraph names nobody and nobody spoke it; the one before was 林丽韫's
    ctx = Context("", "甲\n乙", paragraph=2, previous=["甲", "乙"], history=[(0, Turn("林丽韫", None, "甲", SPEECH))])
    assert ctx.previous_mention() == ("林丽韫", None)
    ctx = Context("", "徐永基说\n乙", known={"徐永基"}, paragraph=2, previous=["徐永基说", "乙"])
    assert ctx.previous_mention() == ("徐永基", None)   # named, not speaking: the name still counts


def test_this_description_means_the_subject_named_before_not_the_object():
    # "88岁的谷牧忘不了邓小平同志那震撼人心的7个字…" / "“…”这位党的十大至十四大代表感慨尤深地说": 谷牧
    doc = transcript("2002-11-08_p02_old-new-party-delegates-history_fromjson.txt")
    said = next(u for u in doc.utterances if u.text.startswith("“可见思想解放、实事求是"))
    assert said.speaker == "谷牧"
