"""Settings files read without PyYAML: the same data as PyYAML's safe loaders, or the text handed to them."""
from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot import plain_yaml
from bot.settings import load_settings

ROOT = Path(__file__).resolve().parents[2]

# Scalars a settings file holds, and spellings YAML 1.1 reads as something else than they look
# (booleans, octal, sexagesimal, dates, .inf, merge keys, escapes, tags, anchors): drawn 1 in 4.
PLAIN = [
    "rjieba", "vectors", "0", "-0", "+1", "20", "-1", "300", "0.25", "1.0", "-0.5", "true", "false", "True",
    "FALSE", "null", "Null", "~", '""', "''", '"x y"', "'a b'", '"a#b"', "~/corpus", "/data/人民日报", "刘丰富",
    "a b", "a  b", "a #c", "a\\b", "[]", "[ ]", "{}", "[a, 1, true]", "[刘丰富, 王正伟]", "[-1001234567890]",
    "0.6 # note", "''  # empty",
]
TRICKY = [
    "'it''s'", '"a\\nb"', "yes", "No", "on", "OFF", "y", "n", "012", "0x1f", "1_000", "12:30", "1e3", ".5",
    ".inf", ".nan", "2003-11-06", "<<", "=", "&a x", "*a", "!!str 3", "~x", "a#b", "a: b", "a:b",
    "http://x.org/bot", "-x", "- x", "{ }", "[a, [b]]", "[a,]", "{a: 1}", "|", ">", "%x", "@x", "`x", "'x", '"x',
    "a'b", 'a"b', "it's", "C:\\x", '"x" y', '"x"y', "[a", "a]",
]
SCALARS = PLAIN * 12 + TRICKY
KEYS = ["paths", "dir", "k1", "b", "_x", "刘", "max_speakers"] * 6 + ["on", "yes", "y", "null", "a b", "1", '"q"']
COMMENTS = ["", "  # a comment", " #c", "#c"]


@st.composite
def documents(draw) -> str:
    """Mappings and sequences two levels deep, with comments, blank lines and odd indentation."""
    lines = []
    for key in draw(st.lists(st.sampled_from(KEYS), max_size=4, unique=draw(st.integers(0, 9)) > 0)):
        if draw(st.booleans()):
            lines.append(f"{key}: {draw(st.sampled_from(SCALARS))}{draw(st.sampled_from(COMMENTS))}")
            continue
        lines.append(f"{key}:{draw(st.sampled_from(COMMENTS))}")
        indent = " " * draw(st.sampled_from([2, 2, 2, 4, 0, 1]))
        items = draw(st.booleans())
        for inner in draw(st.lists(st.sampled_from(KEYS), max_size=3, unique=True)):
            if items if draw(st.integers(0, 9)) > 0 else not items:
                lines.append(f"{indent}- {draw(st.sampled_from(SCALARS))}")
            else:
                lines.append(f"{indent}{inner}: {draw(st.sampled_from(SCALARS))}")
            if draw(st.integers(0, 7)) == 0:
                lines.append(draw(st.sampled_from(["", "# note", "    # deeper note", "   ", " odd", "\tx: 1"])))
    return "\n".join(lines) + draw(st.sampled_from(["\n", "", "\n\n"]))


def pyyaml(text: str, loader) -> str:
    try:
        return repr(yaml.load(text, Loader=loader))   # noqa: S506 (safe loaders) -- repr: True is not 1
    except yaml.YAMLError:
        return "error"


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_what_it_reads_pyyaml_reads_the_same(text):
    data = plain_yaml.parse(text)
    if data is not plain_yaml.UNSURE:
        assert repr(data) == pyyaml(text, yaml.SafeLoader) == pyyaml(text, yaml.CSafeLoader), text


def test_each_scalar_in_each_place_reads_as_pyyaml_reads_it():
    places = ["k: {}\n", "k:\n  - {}\n", "k:\n- {}\n", "k: [{}]\n", "k: [a, {}]\n", "- {}\n", "k:\n  j: {}\n",
              "{}: 1\n", "k:\n  {}: 1\n", "k: {}  # c\n", "- {}\nk: 1\n", "k: {}\n  j: 1\n", "k: {}\n -  x\n"]
    read = 0
    for scalar in PLAIN + TRICKY + KEYS:
        for place in places:
            text = place.format(scalar)
            data = plain_yaml.parse(text)
            if data is not plain_yaml.UNSURE:
                read += 1
                assert repr(data) == pyyaml(text, yaml.SafeLoader) == pyyaml(text, yaml.CSafeLoader), text
    assert read > 300   # most of the plain ones in most places


def test_it_reads_the_shipped_config_and_short_files():
    """The files qabot is started with: the commented example, a cache folder, a corpus list."""
    for text in [(ROOT / "config.yaml").read_text(encoding="utf-8"), "cache:\n  dir: /tmp/qabot cache\n",
                 "corpus:\n  paths:\n  - texts\n  - ~/more\nsemantic:\n  vectors: false\n", "", "# nothing\n"]:
        data = plain_yaml.parse(text)
        assert data is not plain_yaml.UNSURE, text
        assert repr(data) == pyyaml(text, yaml.SafeLoader)


def test_settings_load_without_pyyaml_when_the_file_is_plain(tmp_path):
    """A plain config (the shipped one, or the two lines the benchmark writes) never imports PyYAML;
    one it cannot read does, and gets PyYAML's data."""
    plain = tmp_path / "plain.yaml"
    plain.write_text(f"cache:\n  dir: {tmp_path / 'cache'}\n", encoding="utf-8")
    tagged = tmp_path / "tagged.yaml"
    tagged.write_text("answers:\n  max_speakers: !!int '3'\n", encoding="utf-8")
    script = textwrap.dedent(f"""
        import sys
        from bot.settings import load_settings
        for path in ({str(ROOT / "config.yaml")!r}, {str(plain)!r}):
            load_settings(path)
        print("yaml" in sys.modules)
        print(load_settings({str(tagged)!r}).engine.max_speakers, "yaml" in sys.modules)
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.stdout.split() == ["False", "3", "True"], result.stderr
    assert load_settings(plain).cache.dir == str(tmp_path / "cache")
