"""config.yaml: documented defaults, one-line errors naming key and file."""
from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pytest

import yaml

from bot.settings import CacheSettings, CorpusSettings, Settings, TelegramSettings, load_settings
from retrieval import ConfigError, EngineOptions, SegmentOptions, describe

ROOT = Path(__file__).resolve().parents[2]


def test_config_yaml_states_the_built_in_defaults():
    assert dataclasses.replace(load_settings(ROOT / "config.yaml"), source="") == Settings()


def test_config_yaml_shows_every_setting_of_the_schema():
    data = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
    shown = {f"{section}.{key}" for section, keys in data.items() for key in keys}
    schema = {f"answers.{k}" if "." not in k else k for k, _, _ in describe(EngineOptions)}
    for section, cls in (("corpus", CorpusSettings), ("cache", CacheSettings), ("segmentation", SegmentOptions),
                         ("telegram", TelegramSettings)):
        schema |= {f"{section}.{k}" for k, _, _ in describe(cls)}
    assert shown == schema


def test_every_setting_has_help_text():
    for cls in (EngineOptions, SegmentOptions, CorpusSettings, CacheSettings, TelegramSettings):
        assert all(help for _, _, help in describe(cls)), cls


def test_word_tables_ship_with_the_package(tmp_path, monkeypatch):
    monkeypatch.delenv("QABOT_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)   # no config.yaml anywhere near: the built-in defaults
    settings = load_settings()
    assert settings.source == "" and settings.engine.expansion.glossary["corruption"] == "腐败"
    assert "的" in settings.segmentation.segmenter().stopwords


def test_a_file_adds_to_the_word_tables_instead_of_replacing_them(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("expansion:\n  glossary: {inflation: 通货膨胀, corruption: 贪腐}\n  synonyms: ['物价 价格']\n",
                    encoding="utf-8")
    expansion = load_settings(path).engine.expansion
    default = Settings().engine.expansion
    assert expansion.glossary["inflation"] == "通货膨胀" and expansion.glossary["corruption"] == "贪腐"
    assert set(default.glossary) - {"corruption"} < set(expansion.glossary)
    assert expansion.synonyms == (*default.synonyms, "物价 价格")


def test_a_two_line_file_changes_only_what_it_names(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text(f"cache:\n  dir: {tmp_path / 'cache'}\n", encoding="utf-8")
    settings = load_settings(path)
    assert settings.cache.dir == str(tmp_path / "cache")
    assert dataclasses.replace(settings, cache=Settings().cache, source="") == Settings()


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


def _start(config: Path, cache_home: Path) -> list[str]:
    """A fresh process's settings from `config`, and whether it imported PyYAML to read them."""
    script = ("import sys; from bot.settings import load_settings; "
              f"s = load_settings({str(config)!r}); print(s.engine.max_speakers, s.cache.dir, 'yaml' in sys.modules)")
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home)}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, env=env,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_a_settings_file_read_before_starts_without_pyyaml(tmp_path):
    """The second start reads the file's data from the memo of its text: the same settings, no PyYAML."""
    config = tmp_path / "config.yaml"
    config.write_text("answers:\n  max_speakers: 3\ncache:\n  dir: /tmp/qabot cache\n", encoding="utf-8")
    assert _start(config, tmp_path / "xdg") == ["3", "/tmp/qabot", "cache", "True"]
    assert _start(config, tmp_path / "xdg") == ["3", "/tmp/qabot", "cache", "False"]
    shipped = ROOT / "config.yaml"
    _start(shipped, tmp_path / "xdg")
    assert _start(shipped, tmp_path / "xdg")[-1] == "False"


def test_an_edited_or_damaged_memo_never_serves_stale_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    config = tmp_path / "config.yaml"
    config.write_text("answers:\n  max_speakers: 3\n", encoding="utf-8")
    assert load_settings(config).engine.max_speakers == 3
    memos = list((tmp_path / "xdg" / "qabot" / "settings").iterdir())
    assert len(memos) == 1
    config.write_text("answers:\n  max_speakers: 4\n", encoding="utf-8")   # same length, other text
    assert load_settings(config).engine.max_speakers == 4
    for memo in (tmp_path / "xdg" / "qabot" / "settings").iterdir():
        memo.write_text('{"text": "answers:\\n  max_speakers: 4\\n", "data": {"answers": {"max_speakers": 9}}',
                        encoding="utf-8")                                    # cut short: not JSON
    assert load_settings(config).engine.max_speakers == 4


def test_no_memo_is_written_where_caching_is_off(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    config = tmp_path / "config.yaml"
    config.write_text("cache:\n  enabled: false\n", encoding="utf-8")
    assert load_settings(config).cache.enabled is False
    assert not (tmp_path / "xdg").exists()


def test_a_settings_file_only_pyyaml_can_read_is_read_by_it(tmp_path, monkeypatch):
    """Tags, dates: what JSON cannot give back unchanged is parsed again each start, never memoised wrong."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    config = tmp_path / "config.yaml"
    config.write_text("answers:\n  max_speakers: !!int '3'\n", encoding="utf-8")
    assert load_settings(config).engine.max_speakers == 3
    assert load_settings(config).engine.max_speakers == 3
