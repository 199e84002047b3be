"""The yardstick: metrics computed right, and the seed development set above its floor."""
from __future__ import annotations

from pathlib import Path

import pytest

from bot.eval_cli import load_cases
from retrieval.errors import ConfigError
from retrieval.evaluation import Case, baseline_ranker, engine_ranker, evaluate

EVAL = Path(__file__).resolve().parents[2] / "eval"


def test_metrics_are_top1_mrr_and_recall_at_3():
    cases = [Case("a", ("甲",)), Case("b", ("乙",)), Case("c", ("丙",)), Case("d", ("丁",))]
    answers = {"a": ["甲", "乙"], "b": ["甲", "乙"], "c": ["甲", "乙", "戊", "丙"], "d": []}
    report = evaluate(cases, lambda q: tuple((n, "t") for n in answers[q]))
    scores = report.scores()
    assert scores.top1 == 1 / 4
    assert scores.mrr == pytest.approx((1 + 1 / 2 + 1 / 4 + 0) / 4)
    assert scores.recall3 == 2 / 4
    assert [o.case.question for o in report.misses] == ["b", "c", "d"]


def test_expected_article_must_match_too():
    case = Case("a", ("甲",), article="宁夏")
    report = evaluate([case], lambda q: (("甲", "重庆市委学习"), ("甲", "宁夏学习实录")))
    assert report.outcomes[0].rank == 2


def test_a_malformed_entry_names_file_and_entry(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("- question: 谁？\n  expect: []\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="entry 1 needs 'expect'"):
        load_cases(path)


def test_dev_sets_are_large_and_a_third_paraphrased():
    seed, transcripts = load_cases(EVAL / "seed.yaml"), load_cases(EVAL / "transcripts.yaml")
    assert len(seed) >= 40 and len(transcripts) >= 80
    for cases in (seed, transcripts):
        assert sum(c.paraphrase for c in cases) >= len(cases) / 3
        assert {"who", "role", "what", "section", "quote"} <= {c.kind for c in cases}


def test_seed_dev_set_beats_the_baseline_and_stays_above_its_floor(seed_engine):
    cases = load_cases(EVAL / "seed.yaml")
    qabot = evaluate(cases, engine_ranker(seed_engine))
    baseline = evaluate(cases, baseline_ranker(seed_engine))
    literal = [o for o in qabot.outcomes if not o.case.paraphrase]
    paraphrased = [o for o in qabot.outcomes if o.case.paraphrase]
    # Floors a little under the measured figures (docs/quality.md): a regression guard, not a target.
    # Paraphrased: 0.714 with the word vectors since the hand-written table went (issue 9).
    assert qabot.scores(literal).top1 >= 0.9
    assert qabot.scores(paraphrased).top1 >= 0.65
    assert qabot.scores().top1 > baseline.scores().top1 + 0.2
