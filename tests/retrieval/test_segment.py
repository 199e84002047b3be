"""Segmentation: names whole, punctuation dropped, one function for passages and questions, backends agree."""
from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from bot.settings import load_settings
from retrieval import SegmentOptions
from retrieval.segment import STOPWORDS, Segmenter, fold

ROOT = Path(__file__).resolve().parents[2]
BACKENDS = ["jieba", "rjieba"]
# Speakers of the seed; the dictionary alone splits 马文学, 马锡广, 李东东, 刘丰富 and 傅思和
NAMES = ["陈建国", "马启智", "韩茂华", "马文学", "马锡广", "李东东", "刘丰富", "傅思和", "于革胜"]
SENTENCE = "刘丰富说，傅思和和陈建国都强调了马启智提出的要求；马文学、马锡广、李东东、于革胜和韩茂华也发了言。"


@pytest.fixture(scope="module", params=BACKENDS)
def segmenter(request) -> Segmenter:
    return Segmenter(request.param, words=NAMES)


def test_speaker_names_are_kept_whole(segmenter):
    text = SENTENCE
    surfaces = [t.surface for t in segmenter.tokens(text)]
    terms = segmenter.terms(text)
    for name in NAMES:
        assert name in surfaces, (segmenter.backend, surfaces)
        assert name in terms


def test_names_are_split_without_being_taught(segmenter):
    """The reason names are added: without them the dictionary cuts at least one of them up."""
    plain = Segmenter(segmenter.backend)
    split = [n for n in NAMES if n not in plain.terms(SENTENCE)]
    assert {"马文学", "李东东", "刘丰富", "傅思和"} <= set(split)


def test_punctuation_whitespace_and_stopwords_are_dropped(segmenter):
    assert segmenter.terms("，。、；：？！“”（）《》——…… \u3000\t\n ,.!?") == []
    assert segmenter.terms("我们的和了是在") == []
    assert all(t.term is None for t in segmenter.tokens("，。 \u3000！"))
    assert "".join(t.surface for t in segmenter.tokens("腐败， 问题！")) == "腐败， 问题！"  # nothing lost


def test_full_width_forms_and_case_are_folded(segmenter):
    """Passages are folded as questions are: ２００３ is one term 2003, not four digits."""
    assert segmenter.terms("２００３年ＡＢ计划") == segmenter.terms("2003年AB计划") == segmenter.terms("2003年ab计划")
    assert "2003" in segmenter.terms("２００３年")
    tokens = segmenter.tokens("２００３年ＡＢ计划")
    assert [t.surface for t in tokens][:1] == ["２００３"] and tokens[0].term == "2003"  # surfaces as written


def test_search_mode_adds_sub_words(segmenter):
    terms = segmenter.terms("惩治腐败")
    assert {"惩治", "腐败", "惩治腐败"} <= set(terms)


def test_one_function_for_passages_and_questions(seed_engine):
    """The index holds `terms` of each passage and a question is cut with the same `terms`."""
    from retrieval.index import BM25Index

    seg = seed_engine.segmenter
    rebuilt = BM25Index.build([seg.terms(u.utterance.text) for u in seed_engine.units], seed_engine.options.bm25)
    assert rebuilt.vocabulary == seed_engine.index.vocabulary
    assert (rebuilt.weights == seed_engine.index.weights).all()
    passage = seed_engine.units[3].utterance.text
    answer = seed_engine.ask(passage[:60])
    assert set(seg.terms(passage[:60])) <= set(answer.terms)


def test_memo_gives_the_same_terms_as_cutting_afresh():
    seg = Segmenter("rjieba")
    texts = ["腐败问题", "２００３年的ＡＢ计划", "我们的", "腐败问题", "群众路线教育实践活动"]
    first = [seg.terms(t) for t in texts]
    fresh = [[x for p in seg._cut_for_search(fold(t)) if (x := seg._term(p))] for t in texts]
    assert first == fresh == [seg.terms(t) for t in texts]


def test_stopwords_can_be_extended():
    seg = Segmenter("rjieba", stopwords=STOPWORDS | {"问题"})
    assert "问题" not in seg.terms("腐败问题")


def test_jieba_stays_quiet():
    """jieba's "Building prefix dict ..." lines must not reach the user's terminal or logs."""
    script = "import logging; logging.basicConfig(level=logging.DEBUG); from retrieval.segment import Segmenter; " \
             "print(Segmenter('jieba').terms('测试一下'))"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0
    assert "测试" in result.stdout
    assert result.stderr == ""


def test_rjieba_is_the_default_in_settings_and_config_yaml():
    assert SegmentOptions().backend == "rjieba"
    assert load_settings(ROOT / "config.yaml").segmentation.backend == "rjieba"


def test_rjieba_loads_its_dictionary_once():
    """`import rjieba` builds an unused module-level instance; qabot loads the extension alone."""
    script = "import sys, time; from retrieval.segment import Segmenter; s = Segmenter('rjieba'); s.terms('测试'); " \
             "print('rjieba' in sys.modules, 'rjieba.rjieba' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.stdout.split() == ["False", "True"], result.stderr


def _agreement(texts: list[str]) -> tuple[float, float]:
    """(share of tokens that agree, share of texts cut identically), search-mode index terms."""
    jieba, rjieba = Segmenter("jieba"), Segmenter("rjieba")
    shared = longest = same = 0
    for text in texts:
        a, b = jieba.terms(text), rjieba.terms(text)
        shared += sum((Counter(a) & Counter(b)).values())
        longest += max(len(a), len(b))
        same += a == b
    return shared / longest, same / len(texts)


def _bulk_paragraphs(shared_corpus: Path) -> list[str]:
    folder = shared_corpus / "bulk"
    if not folder.is_dir():
        pytest.skip("no bulk corpus")
    return [line[2:].rstrip("\n") for f in sorted(folder.glob("*.txt"))
            for line in f.open(encoding="utf-8") if line.startswith("\u3000\u3000")]


def test_rjieba_agrees_with_jieba_on_a_bulk_sample(shared_corpus):
    tokens, paragraphs = _agreement(_bulk_paragraphs(shared_corpus)[::150])  # about 770 paragraphs
    assert tokens >= 0.999
    assert paragraphs >= 0.99


@pytest.mark.slow
def test_rjieba_agrees_with_jieba_on_the_whole_bulk_corpus(shared_corpus):
    tokens, _ = _agreement(_bulk_paragraphs(shared_corpus))
    assert tokens >= 0.999


TRICKY = ["", "ａｂｃ，１２３！", "e\u0301。x", "㎏与…。é", "ｶﾞ。ﾞ好", "  \r\n。”", "哈哈哈哈！？”好。", "\u3000２００３年。"]


def test_fold_is_nfkc(transcripts_engine):
    """`fold` goes character by character first: the same text as NFKC, on the corpus and on forms that
    compose (ｶﾞ), decompose (㎏, …) or combine (e + ◌́)."""
    import unicodedata

    texts = [u.utterance.text for u in transcripts_engine.units] + TRICKY
    assert [fold(t) for t in texts] == [unicodedata.normalize("NFKC", t) for t in texts]


@pytest.mark.parametrize("backend", BACKENDS)
def test_terms_and_ends_are_terms_and_the_folded_cut(backend, transcripts_engine):
    from itertools import accumulate

    segmenter = Segmenter(backend, words=NAMES)
    for text in [u.utterance.text for u in transcripts_engine.units[::5]] + TRICKY:
        terms, ends, in_place = segmenter.terms_and_ends(text)
        assert terms == segmenter.terms(text)
        assert ends == list(accumulate(map(len, segmenter._cut(fold(text)))))
        assert in_place is None or in_place == fold(text)
