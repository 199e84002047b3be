"""Renderers: the same answer as console text, Telegram HTML pages and JSON."""
from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest

from bot.render import quoted, render_html_pages, render_plain, to_json
from retrieval.models import Answer, Citation, Fragment, Passage

TELEGRAM_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre", "blockquote", "span", "tg-spoiler"}


class TagChecker(HTMLParser):
    """Fails on tags Telegram does not accept and on unbalanced tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.text = ""

    def handle_starttag(self, tag, attrs):
        assert tag in TELEGRAM_TAGS, tag
        self.stack.append(tag)

    def handle_endtag(self, tag):
        assert self.stack and self.stack.pop() == tag, tag

    def handle_data(self, data):
        self.text += data


def check_html(page: str) -> str:
    checker = TagChecker()
    checker.feed(page)
    checker.close()
    assert not checker.stack
    return checker.text


def test_console_text_names_speaker_role_quote_and_citation(seed_engine):
    text = render_plain(seed_engine.ask("谁谈到了腐败？"))
    assert text.startswith("《始终保持党同人民群众的血肉联系")  # one article: named once, first
    assert "\n1. 刘丰富（自治区党委副书记、纪委书记）\n" in text
    assert "【腐败】" in text
    assert "2003-11-06" in text and "第9版(理论)" in text and "第4部分" in text


def test_telegram_html_bolds_matches_and_is_valid(seed_engine):
    pages = render_html_pages(seed_engine.ask("谁谈到了腐败？"))
    assert len(pages) == 1
    assert "<b>刘丰富</b>" in pages[0] and "<b>腐败</b>" in pages[0]
    check_html(pages[0])


def test_every_page_fits_telegram_and_nothing_is_lost(seed_engine):
    answer = seed_engine.ask("/section 4")
    pages = render_html_pages(answer, max_chars=1000)
    assert len(pages) > 1
    assert all(len(p) <= 1000 for p in pages)
    text = "".join(check_html(p) for p in pages)
    for passage in answer.passages:
        assert passage.text[:50] in text.replace("\n", "")


def _hostile_answer(text: str) -> Answer:
    citation = Citation(0, "<script>alert(1)</script>", "2003-11-06", "第1版", "", 1, "a & b", 0)
    fragments = (Fragment(text), Fragment("<b>", True), Fragment(text))
    passage = Passage("<i>x</i>", "&amp;", text * 3, fragments, citation, 1.0)
    return Answer(kind="passages", message="<a href='x'>hi</a>", passages=(passage,) * 20)


@pytest.mark.parametrize("size", [100, 4096])
def test_hostile_text_is_escaped_and_split_without_cutting_tags(size):
    pages = render_html_pages(_hostile_answer("<&>" * 700), max_chars=size)
    assert all(len(p) <= size for p in pages)
    for page in pages:
        check_html(page)
        assert "<script>" not in page and "<a href" not in page


def test_json_has_the_documented_keys(seed_engine):
    data = to_json(seed_engine.ask("谁谈到了腐败？"))
    json.dumps(data, ensure_ascii=False)
    assert {"speakers", "passages", "sections", "message"} <= data.keys()
    assert {"name", "role", "score", "title", "date"} <= data["speakers"][0].keys()
    assert {"speaker", "role", "title", "date", "section", "text", "score"} <= data["passages"][0].keys()


def test_json_sections_list_speakers(seed_engine):
    data = to_json(seed_engine.ask("/section"))
    assert data["sections"][1]["number"] == 1
    assert {"name": "马启智", "role": "自治区党委副书记、自治区政府主席"} in data["sections"][1]["speakers"]


def test_an_excerpt_ending_in_its_own_closing_quote_is_not_given_two(transcripts_engine):
    """The passage ends `……是完全可能的。”` inside a quotation: shown once, the inner quotation in ‘ ’."""
    text = render_plain(transcripts_engine.ask("谁说从中挤出十亿八亿元的闲置资金是完全可能的？"), mark=("", ""))
    line = next(line for line in text.splitlines() if "完全可能的" in line)
    assert line.endswith("是完全可能的。’”")
    assert "””" not in text and "““" not in text


def test_quote_marks_follow_the_excerpts_own_quotation():
    def shown(text: str) -> str:
        return "".join(s.text for s in quoted([Fragment(text)]))

    assert shown("不坚决惩治腐败。") == "“不坚决惩治腐败。”"
    assert shown("“群众利益无小事。”") == "“群众利益无小事。”"          # one quotation: as it is
    assert shown("不坚决惩治腐败。”") == "“不坚决惩治腐败。”"          # its opening came before the excerpt
    assert shown("“坚持密切联系群众，…") == "“坚持密切联系群众，…”"    # it closes after the excerpt
    assert shown("他说：“好。”") == "“他说：‘好。’”"                  # nested: single marks inside


def test_a_nested_quotation_the_excerpt_cuts_keeps_its_pair():
    def shown(text: str) -> str:
        return "".join(s.text for s in quoted([Fragment(text)]))

    assert shown("石生华说，“去年挣了1.2万多元。") == "“石生华说，‘去年挣了1.2万多元。’”"    # it closes after the excerpt
    assert shown("奔小康。”他说。") == "“‘奔小康。’他说。”"                           # it opened before the excerpt
    assert shown("“他说“好，…") == "“他说‘好，…’”"                                    # both run on: ours is the outer
    assert shown("好。”他说“对。") == "“‘好。’他说‘对。’”"
    for text in ("石生华说，“去年", "奔小康。”他说", "“他说“好", "“甲”乙“丙", "甲”乙”丙“丁“"):
        marks = [c for c in shown(text) if c in "“”‘’"]
        depth = 0
        for c in marks:                      # every mark is paired, doubles outside singles
            depth += 1 if c in "“‘" else -1
            assert depth >= 0
        assert depth == 0 and marks[0] == "“" and marks[-1] == "”"


def test_the_article_a_question_named_is_said_in_every_output(transcripts_engine):
    answer = transcripts_engine.ask("在河南省委的学习会上，纪委书记说了什么？")
    assert "问题所指的文章：《" in render_plain(answer).splitlines()[0]
    assert "河南" in render_plain(answer).splitlines()[0]
    assert "问题所指的文章：" in render_html_pages(answer)[0]
    assert "河南" in to_json(answer)["scope"][0]["title"]
