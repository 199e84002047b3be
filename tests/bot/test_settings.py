"""config.yaml: documented defaults, one-line errors naming key and file."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from bot.settings import Settings, load_settings
from retrieval.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]


def test_config_yaml_states_the_built_in_defaults():
    settings = load_settings(ROOT / "config.yaml")
    tables = dataclasses.replace(settings.expansion, synonyms=(), glossary={})
    assert dataclasses.replace(settings, expansion=tables, source="") == Settings()


def test_config_yaml_carries_the_domain_table_and_glossary():
    expansion = load_settings(ROOT / "config.yaml").expansion
    assert len(expansion.synonyms) >= 20 and expansion.glossary["corruption"] == "腐败"


def test_without_a_config_file_the_projects_own_is_used(tmp_path, monkeypatch):
    monkeypatch.delenv("QABOT_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    assert load_settings().expansion.glossary["corruption"] == "腐败"


def test_config_yaml_comments_every_key():
    lines = (ROOT / "config.yaml").read_text(encoding="utf-8").splitlines()
    data_indent = None  # lines deeper than a commented list/mapping key are its data
    for i, line in enumerate(lines):
        stripped = line.strip()
        indent = len(line) - len(line.lstrip())
        if data_indent is not None and (not stripped or indent > data_indent):
            continue
        data_indent = None
        if stripped.endswith(":") and lines[i - 1].strip().startswith("#"):
            data_indent = indent
        elif stripped and not stripped.startswith("#") and not stripped.endswith(":"):
            assert "#" in line or lines[i - 1].strip().startswith("#"), f"config.yaml line {i + 1} has no comment: {line}"


@pytest.mark.parametrize(
    "text, words",
    [
        ("answers:\n  max_speakerz: 3\n", ["answers.max_speakerz", "unknown key"]),
        ("answers:\n  max_speakers: lots\n", ["answers.max_speakers", "integer"]),
        ("bm25: 3\n", ["bm25", "mapping"]),
        ("corpus:\n  paths: notalist\n", ["corpus.paths", "list"]),
        ("telegram:\n  allowed_user_ids: [1, x]\n", ["telegram.allowed_user_ids[1]", "integer"]),
        (": : :\n", ["not valid YAML"]),
    ],
)
def test_bad_config_gives_one_line_error_naming_key_and_file(tmp_path, text, words):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_settings(path)
    message = str(err.value)
    assert "\n" not in message and str(path) in message
    for word in words:
        assert word in message


def test_missing_config_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="cannot read"):
        load_settings(tmp_path / "nope.yaml")


def test_relative_corpus_paths_are_relative_to_the_config_file(tmp_path):
    (tmp_path / "c.yaml").write_text("corpus:\n  paths: [texts]\n", encoding="utf-8")
    assert load_settings(tmp_path / "c.yaml").corpus.paths == (str(tmp_path / "texts"),)
