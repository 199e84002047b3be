"""The parser's one cue table (retrieval/data/cues.tsv), read from the installed package."""
from __future__ import annotations

from importlib import resources

from retrieval.tables import cues

CLASSES = {"speech verb", "role head", "role after", "title", "not role", "not name", "compound surname", "surname",
           "label stop", "adverbial", "lead", "foreign", "after name", "predicate", "span before name", "span after name",
           "crowd", "place head", "place tail", "adverbial tail", "group", "alone after name", "manner", "running verb",
           "after subject", "name end", "not after bare", "reaction", "own words", "title verb", "role lead"}


def test_every_class_the_parser_reads_is_in_the_table():
    assert CLASSES <= set(cues()) and all(cues()[c] for c in CLASSES)


def test_rows_are_word_tab_class_and_unique():
    text = (resources.files("retrieval") / "data" / "cues.tsv").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]
    assert all(len(row) == 2 and row[0] and row[0] == row[0].strip() for row in rows)
    assert len({tuple(r) for r in rows}) == len(rows)
    assert all(len(w) == 1 for w in cues()["surname"])


def test_no_role_word_is_also_listed_as_no_role():
    assert not set(cues()["not role"]) & set(cues()["role head"])
