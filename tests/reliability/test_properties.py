"""Properties over any text: the engine always answers, and every face of the answer is well formed.

For any input the engine returns an Answer; its Telegram HTML pages use only Telegram's tags, are
balanced, carry the answer's text unchanged and fit in a message (4096 UTF-16 units, as Telegram
counts); the plain text renders and the JSON encodes as UTF-8. A second property feeds the renderers
answers built from arbitrary text, as a corpus of any content would give them.
"""
from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.render import render_html_pages, render_plain, to_json
from retrieval.models import ANSWER_KINDS, Answer, Citation, DocInfo, Fragment, Passage, SectionInfo, SpeakerHit
from tests.bot.stub_bot_api import MAX_TEXT, check_telegram_html, utf16_len

ENGINE_EXAMPLES = 300   # per property run; the README's figures count them
RENDER_EXAMPLES = 200

# Pieces that mean something to the engine or to an HTML parser, mixed into generated questions.
WORDS = ["谁", "谈到", "了", "腐败", "群众", "纪委书记", "刘丰富", "陈建国", "说了什么", "第2部分", "这一节",
         "在", "关于", "哪位", "领导", "who", "corruption", "？", "。", "，", " ", "\n", "@", "@3",
         "<b>", "</b>", "<i>", "&", "&amp;", "<", ">", "\"", "'", "😀", "𠮷", "\u200b", "\u202e", "\x00", "\x1b"]
COMMANDS = ["/speaker", "/section", "/doc", "/help", "/start", "/nosuch", "/", "/SECTION", "/speaker@qabot_test_bot"]
ANY_CHAR = st.characters(exclude_categories=())           # every code point, lone surrogates included

questions = st.one_of(
    st.text(max_size=80),
    st.text(ANY_CHAR, max_size=40),
    st.lists(st.sampled_from(WORDS), max_size=12).map("".join),
    st.builds(lambda c, a: f"{c} {a}", st.sampled_from(COMMANDS),
              st.one_of(st.integers(-10**30, 10**30).map(str),
                        st.lists(st.sampled_from(WORDS), max_size=5).map("".join), st.text(max_size=20))),
    st.builds(lambda s, n: s * n, st.text(min_size=1, max_size=4), st.integers(100, 800)),   # over the limit
)


def check_pages(answer: Answer, pages: list[str]) -> None:
    """Pages Telegram accepts, which together show exactly the answer's plain text."""
    assert pages
    for page in pages:
        assert utf16_len(page) <= MAX_TEXT, utf16_len(page)
        assert check_telegram_html(page).strip()    # Telegram refuses a blank message
    shown = "".join("".join(check_telegram_html(page) for page in pages).split())
    plain = "".join(render_plain(answer, mark=("", "")).split())
    assert shown == (plain or "（没有内容）")


@settings(max_examples=ENGINE_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=questions)
def test_engine_answers_any_text(seed_engine, text: str) -> None:
    answer = seed_engine.ask(text)
    assert isinstance(answer, Answer) and answer.kind in ANSWER_KINDS
    assert answer.message or answer.speakers or answer.passages or answer.sections or answer.documents
    pages = render_html_pages(answer, blocks_per_page=3)
    check_pages(answer, pages)
    assert render_plain(answer).strip()
    data = json.loads(json.dumps(to_json(answer), ensure_ascii=False).encode("utf-8"))
    assert data["kind"] == answer.kind


# ---------------------------------------------------------------- the renderers on any content


texts = st.one_of(
    st.text(max_size=60),
    st.lists(st.sampled_from(["&", "<", ">", "<b>", "𠮷", "😀", "刘", "腐败", " ", "\n", "。"]), max_size=30).map("".join),
    st.builds(lambda s, n: s * n, st.sampled_from(["𠮷", "😀", "&", "<", "刘", "a", "&lt;", "腐败。"]),
              st.integers(500, 5000)),   # longer than a message, in characters that escape or take 2 units
)
names = st.text(min_size=1, max_size=12)
optional = st.one_of(st.none(), st.text(max_size=20))
citations = st.builds(Citation, doc=st.integers(0, 3), title=names, date=st.just("2003-11-06"), page=st.just("第9版"),
                      column=st.text(max_size=4), section=st.integers(0, 5), section_title=st.text(max_size=30),
                      position=st.integers(0, 99))
fragments = st.lists(st.builds(Fragment, texts, st.booleans()), max_size=4).map(tuple)
passages = st.builds(Passage, speaker=st.one_of(st.none(), names), role=optional, text=texts, excerpt=fragments,
                     citation=citations, score=st.floats(0, 50))
hits = st.builds(SpeakerHit, name=names, role=optional, score=st.floats(0, 50), doc=st.integers(0, 3), title=names,
                 date=st.just("2003-11-06"), passages=st.lists(passages, max_size=3).map(tuple))
section_infos = st.builds(SectionInfo, number=st.integers(0, 9), title=st.text(max_size=40),
                          speakers=st.lists(st.tuples(names, optional), max_size=4).map(tuple),
                          doc=st.integers(0, 3), doc_title=names, date=st.just("2003-11-06"))
doc_infos = st.builds(DocInfo, number=st.integers(1, 9), title=texts, date=st.just("2003-11-06"),
                      page=st.just("第1版"), speakers=st.integers(0, 30), paragraphs=st.integers(0, 300))
answers = st.builds(
    Answer, kind=st.sampled_from(ANSWER_KINDS), message=texts, query=st.text(max_size=20),
    speakers=st.lists(hits, max_size=3).map(tuple), passages=st.lists(passages, max_size=4).map(tuple),
    sections=st.lists(section_infos, max_size=3).map(tuple), documents=st.lists(doc_infos, max_size=3).map(tuple),
    notes=st.lists(st.text(max_size=30), max_size=2).map(tuple),
)


@settings(max_examples=RENDER_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answer=answers, per_page=st.integers(0, 4))
def test_any_answer_renders_to_pages_telegram_accepts(answer: Answer, per_page: int) -> None:
    check_pages(answer, render_html_pages(answer, blocks_per_page=per_page))
    render_plain(answer)
    json.dumps(to_json(answer), ensure_ascii=False).encode("utf-8")


def test_pages_are_measured_as_telegram_counts() -> None:
    # 3,000 characters outside the Basic Multilingual Plane are 6,000 UTF-16 units: two messages.
    cite = Citation(0, "标题", "2003-11-06", "第9版", "理论", 1, "小标题", 0)
    text = "𠮷" * 3000
    answer = Answer(kind="passages", passages=(Passage("刘丰富", None, text, (Fragment(text),), cite),))
    pages = render_html_pages(answer)
    assert len(pages) >= 2
    check_pages(answer, pages)
