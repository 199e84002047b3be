"""Headings, sections and positions."""
from __future__ import annotations

from retrieval.parse import parse_text

from .helpers import article, body


def test_positions_and_sections_of_a_headed_body():
    doc = parse_text(article(body("开头一段。", "第一部分", "正文一。", "第二部分", "正文二。", "正文三。")))[0]
    assert [(s.number, s.title, [u.position for u in s.utterances]) for s in doc.sections] == [
        (0, "", [0]), (1, "第一部分", [1]), (2, "第二部分", [2, 3])]


def test_a_heading_shaped_last_line_is_narration():
    doc = parse_text(article(body("开头一段。", "第一部分", "正文一。", "新华书店  北方杂志社同贺")))[0]
    assert [s.title for s in doc.sections] == ["", "第一部分"]
    last = doc.utterances[-1]
    assert (last.text, last.speaker, last.section, last.position) == ("新华书店  北方杂志社同贺", None, 1, 2)


def test_verse_and_table_rows_are_not_headings():
    verse = ["春风吹过山岗", "吹绿了田野", "也吹暖了人心"]
    doc = parse_text(article(body("序言一段。", *verse, "尾声一段。", "上证指数１２３４．５６２３４５．６７")))[0]
    assert len(doc.sections) == 1
    assert [u.text for u in doc.utterances][1:4] == verse
