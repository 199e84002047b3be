"""Excerpts from bounds stored at index time: the same tokens and fragments as cutting the text again."""
from __future__ import annotations

from bot.indexing import open_engine
from retrieval.excerpt import _folded, bounds, excerpt, sentences
from retrieval.models import Deferred, Fragment
from retrieval.segment import fold


def test_stored_bounds_give_the_tokens_each_sentence_is_cut_into(test_settings, shared_corpus):
    opened = open_engine(test_settings, [str(shared_corpus / "transcripts")])
    engine = opened.engine
    assert engine.bounds is not None and len(engine.bounds) == len(engine.units)
    fresh = type(engine.segmenter)(engine.segmenter.backend, words=engine.segmenter.words)
    for i in range(0, len(engine.units), 7):
        text = engine.units[i].utterance.text
        stored = engine.bounds[i]
        parts = sentences(text) or [text]
        ends = [t.surface for part in parts for t in fresh.tokens(part)]
        cut = [text[a:b] for a, b in zip([0, *stored.tokens[:-1]], stored.tokens)]
        assert cut == ends, text
        assert list(stored.sentences) == [sum(map(len, parts[: n + 1])) for n in range(len(parts))]


def test_an_excerpt_from_stored_bounds_equals_one_cut_afresh(transcripts_engine):
    engine = transcripts_engine
    terms = [{"发展": 1.0}, {"农民": 1.0, "群众": 0.5}, {"腐败": 1.0, "惩治腐败": 1.0}, {}]
    for i in range(0, len(engine.units), 11):
        text = engine.units[i].utterance.text
        for weighted in terms:
            assert excerpt(text, weighted, engine.segmenter, 2, 300, engine.bounds[i]) == \
                excerpt(text, weighted, engine.segmenter, 2, 300), text


def test_bounds_of_an_empty_paragraph(seed_engine):
    assert list(bounds("", seed_engine.segmenter).tokens) == []
    assert excerpt("", {"x": 1.0}, seed_engine.segmenter) == ()


def test_an_excerpt_is_made_when_first_read_and_once():
    made: list[int] = []

    def make() -> tuple[Fragment, ...]:
        made.append(1)
        return (Fragment("腐败", True), Fragment("问题"))

    lazy = Deferred(make)
    assert made == []
    assert lazy == (Fragment("腐败", True), Fragment("问题")) and "".join(f.text for f in lazy) == "腐败问题"
    assert len(lazy) == 2 and made == [1]


def test_sentences_folded_in_one_call_fold_as_each_alone(transcripts_engine):
    """NFKC over the sentences joined by NUL: full-width forms, combining marks at a sentence's edge,
    a sentence holding NUL itself."""
    texts = list(transcripts_engine.columns.texts)[::50]
    texts += ["ＧＤＰ增长８％。\u0301́开头的组合符！e\u0301。ｅ", "含\x00的句子。下一句", "ﬁ。①②。㈱"]
    for text in texts:
        parts = sentences(text)
        assert _folded(parts) == [fold(p) for p in parts]
    assert any(fold(t) != t for t in texts)


def test_bounds_from_the_whole_cut_equal_each_sentence_cut_alone(transcripts_engine):
    """The shortcut indexing takes (the paragraph cut once) gives each sentence's own cut, and is refused
    where folding a sentence alone differs from its place in the paragraph's fold."""
    segmenter = transcripts_engine.segmenter
    tricky = ["e\u0301。x", "㎏与…。é", "ｶﾞ。ﾞ好", "ａｂ。ｃ１！", "  \r\n。”", "好。\n\n还好？”是的"]
    for text in [u.utterance.text for u in transcripts_engine.units[::3]] + tricky:
        _, ends, in_place = segmenter.terms_and_ends(text)
        assert bounds(text, segmenter, (ends, in_place)) == bounds(text, segmenter), text
