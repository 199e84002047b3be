"""jieba's dictionary as the parser reads it: ordinary words, not person names."""
from __future__ import annotations

from retrieval.parse.dictionary import ordinary


def test_ordinary_words_are_the_frequent_words_of_other_tags():
    assert ordinary("马上") and ordinary("团长") and ordinary("心里") and ordinary("房子")
    assert not ordinary("毛泽东") and not ordinary("油晓峰") and not ordinary("王广平")
