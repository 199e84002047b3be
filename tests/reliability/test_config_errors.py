"""Bad config files through `qabot` in-process: one stderr line naming the key and the file, exit status 2."""
from __future__ import annotations

import copy
import dataclasses
import json
from pathlib import Path

import pytest

from retrieval import EngineOptions
from retrieval.models import ANSWER_KINDS
from retrieval.options import rule

from .conftest import SEED

# (id, config text, the key the line must name, words it must hold)
BAD_CONFIGS = [
    ("unknown-top-key", "nonsense: 1\n", "nonsense", "unknown key"),
    ("unknown-nested-key", "answers:\n  max_speakerz: 3\n", "answers.max_speakerz", "unknown key"),
    ("unknown-deep-key", "telegram:\n  token: 123:abc\n", "telegram.token", "unknown key"),
    ("string-for-int", "answers:\n  max_speakers: '5'\n", "answers.max_speakers", "must be an integer"),
    ("float-for-int", "answers:\n  max_passages: 2.5\n", "answers.max_passages", "must be an integer"),
    ("bool-for-int", "telegram:\n  rate_limit_per_minute: true\n", "telegram.rate_limit_per_minute", "integer"),
    ("string-for-bool", "cache:\n  enabled: yes please\n", "cache.enabled", "true or false"),
    ("int-for-bool", "corpus:\n  strict: 1\n", "corpus.strict", "true or false"),
    ("string-for-float", "bm25:\n  k1: high\n", "bm25.k1", "must be a number"),
    ("nan", "bm25:\n  k1: .nan\n", "bm25.k1", "finite number"),
    ("infinity", "answers:\n  title_weight: .inf\n", "answers.title_weight", "finite number"),
    ("scalar-for-list", "corpus:\n  paths: texts\n", "corpus.paths", "must be a list"),
    ("list-for-mapping", "corpus: [a, b]\n", "corpus", "must be a mapping"),
    ("mapping-in-list", "segmentation:\n  extra_words: [{a: 1}]\n", "segmentation.extra_words[0]", "a string"),
    ("negative-count", "answers:\n  max_speakers: -3\n", "answers.max_speakers", "at least 1"),
    ("zero-question-chars", "answers:\n  max_question_chars: 0\n", "answers.max_question_chars", "at least 1"),
    ("b-over-1", "bm25:\n  b: 1.5\n", "bm25.b", "between 0 and 1"),
    ("negative-weight", "expansion:\n  thesaurus_weight: -1\n", "expansion.thesaurus_weight", "at least 0"),
    ("zero-concurrency", "telegram:\n  concurrent_updates: 0\n", "telegram.concurrent_updates", "at least 1"),
    ("negative-retries", "telegram:\n  send_retries: -1\n", "telegram.send_retries", "at least 0"),
    ("unknown-backend", "segmentation:\n  backend: nosuch\n", "segmentation.backend", "one of rjieba, jieba"),
    ("user-id-not-int", "telegram:\n  allowed_user_ids: [1, alice]\n", "telegram.allowed_user_ids[1]", "integer"),
    ("missing-corpus-path", "corpus:\n  paths: [/nonexistent/qabot-corpus]\n", "corpus.paths[0]",
     "no such file or folder: /nonexistent/qabot-corpus"),
    ("missing-relative-path", "corpus:\n  paths: [texts]\n", "corpus.paths[0]", "no such file or folder"),
    ("second-path-missing", f"corpus:\n  paths: [{SEED}, gone]\n", "corpus.paths[1]", "no such file or folder"),
]


def one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


@pytest.mark.parametrize("name, text, key, words", BAD_CONFIGS, ids=[c[0] for c in BAD_CONFIGS])
def test_bad_config_is_one_line_naming_key_and_file(qabot, tmp_path: Path, name: str, text: str, key: str,
                                                    words: str) -> None:
    config = tmp_path / "bad config.yaml"
    config.write_text(text, encoding="utf-8")
    status, out, err = qabot("ask", "谁谈到了腐败？", "--config", str(config))
    line = one_error_line(err)
    assert status == 2 and out == ""
    assert line.startswith(f"qabot: config error: {config}: ")
    assert key in line and words in line, line


@pytest.mark.parametrize("text, words", [
    (": : :\n", "not valid YAML"),
    ("- a\n- b\n", "expected a mapping of settings at the top level"),
    ("answers: [\n", "not valid YAML"),
], ids=["bad-yaml", "top-level-list", "unclosed"])
def test_unreadable_structure_is_one_line_naming_the_file(qabot, tmp_path: Path, text: str, words: str) -> None:
    config = tmp_path / "c.yaml"
    config.write_text(text, encoding="utf-8")
    status, _, err = qabot("ask", "x", "--config", str(config))
    line = one_error_line(err)
    assert status == 2 and str(config) in line and words in line


@pytest.mark.parametrize("make", ["missing", "folder", "binary"])
def test_config_file_that_cannot_be_read(qabot, tmp_path: Path, make: str) -> None:
    config = tmp_path / "c.yaml"
    if make == "folder":
        config.mkdir()
    elif make == "binary":
        config.write_bytes(b"\xff\xfe\x00binary")
    status, _, err = qabot("ask", "x", "--config", str(config))
    line = one_error_line(err)
    assert status == 2 and str(config) in line


def test_corpus_option_replaces_a_broken_configured_path(qabot, tmp_path: Path) -> None:
    config = tmp_path / "c.yaml"
    config.write_text("corpus:\n  paths: [/nonexistent/qabot-corpus]\n", encoding="utf-8")
    status, out, err = qabot("ask", "谁谈到了腐败？", "--json", "--config", str(config), "--corpus", str(SEED))
    assert status == 0, err
    assert json.loads(out)["speakers"][0]["name"] == "刘丰富"


def test_home_relative_corpus_paths_are_expanded(qabot, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "home" / "texts").mkdir(parents=True)
    (tmp_path / "home" / "texts" / "seed.txt").write_bytes(SEED.read_bytes())
    config = tmp_path / "c.yaml"
    config.write_text("corpus:\n  paths: ['~/texts']\n", encoding="utf-8")
    status, out, err = qabot("ask", "谁谈到了腐败？", "--json", "--config", str(config))
    assert status == 0, err
    assert json.loads(out)["speakers"][0]["name"] == "刘丰富"


# Each answer setting's range, as the schema (EngineOptions' field rules) states it.
ANSWER_LIMITS = {f.name: (rule(f).low, rule(f).high) for f in dataclasses.fields(EngineOptions) if rule(f).low is not None}


def test_every_ranged_answer_setting_is_covered():
    assert len(ANSWER_LIMITS) == 16 and ANSWER_LIMITS["speaker_damping"] == (0, 1)


@pytest.mark.parametrize("field, value", [
    (field, value) for field, (low, high) in ANSWER_LIMITS.items()
    for value in (low, high if high is not None else 10**6)
])
def test_every_allowed_answer_setting_answers(seed_engine, field: str, value: float) -> None:
    hint = EngineOptions.__dataclass_fields__[field].type
    engine = copy.copy(seed_engine)
    engine.options = dataclasses.replace(EngineOptions(), **{field: int(value) if hint == "int" else float(value)})
    for question in ("谁谈到了腐败？", "腐败", "纪委书记说了什么？", "/speaker 刘丰富", "/section 2", "谁" * 600):
        assert engine.ask(question).kind in ANSWER_KINDS
