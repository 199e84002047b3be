"""jieba's dictionary as the parser reads it: person names and ordinary words."""
from __future__ import annotations

from retrieval.parse.dictionary import ordinary, person


def test_person_names_of_three_characters():
    assert person("时传祥") and person("张海迪") and person("毛泽东")
    assert not person("马上") and not person("油晓峰")   # an adverb; a name the dictionary does not hold


def test_ordinary_words_are_the_frequent_words_of_other_tags():
    assert ordinary("马上") and ordinary("团长") and ordinary("心里") and ordinary("房子")
    assert not ordinary("毛泽东") and not ordinary("油晓峰") and not ordinary("王广平")
