"""Hostile input: every text a stranger may send gets an Answer with a friendly message or results.

Never an exception, never a traceback, never the user's markup echoed unescaped in the Telegram HTML.
The same inputs go through the engine, the renderers, `qabot ask` and the Telegram bot.
"""
from __future__ import annotations

import io
import json
import logging
import re
import sys

import pytest

from bot.render import render_html_pages, render_plain, to_json
from bot.telegram_app import APOLOGY
from retrieval.models import ANSWER_KINDS
from tests.bot.stub_bot_api import MAX_TEXT, StubBotAPI, check_telegram_html, utf16_len

CUT_NOTE = "问题太长，只取了前 500 个字。"

# (id, input, a piece the answer must contain: message text, a speaker, or "" for any friendly answer)
HOSTILE = [
    ("empty", "", "请输入一个问题"),
    ("whitespace", " \t\n\u3000\u00a0 ", "请输入一个问题"),
    ("cjk-punctuation", "？？！！。。……，，、；：", "请"),
    ("ascii-punctuation", "?!.,;:'\"()[]{}<>-_=+*&^%$#@~`|\\", "请"),
    ("20000-chars-cjk", "腐败" * 10000, "刘丰富"),
    ("20000-chars-latin", "a" * 20000, ""),
    ("20000-chars-markup", "<b>" * 6667, ""),
    ("control-chars", "谁\x00谈\x07到\x1b[31m了\x7f腐败\x08？", "刘丰富"),
    ("only-control-chars", "\x00\x01\x02\x1b\x7f", "请输入一个问题"),
    ("zero-width-and-bidi", "\u202e谁\u200b谈到\u200d了\ufeff腐败\u2066？", "刘丰富"),
    ("lone-surrogates", "\udcff\udcfe谁谈到了腐败？\ud800", "刘丰富"),
    ("emoji", "😀🔥谁谈到了腐败🇨🇳👍🏽？", "刘丰富"),
    ("only-emoji", "😀😀👨‍👩‍👧🇨🇳", ""),
    ("html-injection", "<script>alert(1)</script>谁谈到了<b>腐败</b>？", "刘丰富"),
    ("html-broken-tags", "</b></i><i><a href='javascript:x'>谁谈到了腐败", "刘丰富"),
    ("html-entities", "&lt;b&gt; &amp; &#x3C;i&#x3E; &bogus; 腐败", "刘丰富"),
    ("markdown-injection", "**谁** _谈到_ [腐败](http://evil.example) `code` ~~x~~", ""),
    ("sql", "'; DROP TABLE speakers; -- 谁谈到了腐败", "刘丰富"),
    ("sql-tautology", "1' OR '1'='1", ""),
    ("format-strings", "%s %d %n {0} {__class__} ${PATH} $(id)", ""),
    ("newlines", "谁\n谈到\r\n了\r腐败\u2028？", "刘丰富"),
    ("traditional", "誰談到了腐敗？", "刘丰富"),
    ("fullwidth-command", "／ｓｅｃｔｉｏｎ　２", "第2部分"),
    ("unknown-command", "/nosuchcommand", "不认识的命令"),
    ("unknown-command-markup", "/x<b>y</b>", "不认识的命令"),
    ("slash-only", "/", "不认识的命令"),
    ("section-999", "/section 999", "没有第 999 部分"),
    ("section-minus-1", "/section -1", "没有第 -1 部分"),
    ("section-abc", "/section abc", "没有标题含“abc”的部分"),
    ("section-huge", "/section 99999999999999999999999999", "部分"),
    ("section-bad-doc", "/section 2@999", "没有第 999 篇文章"),
    ("section-markup", "/section <i>作风", "没有标题含“<i>作风”"),
    ("doc-markup", "/doc <a href=\"x\">", "没有标题含"),
    ("doc-path", "/doc ../../../etc/passwd", "没有标题含"),
    ("speaker-unknown", "/speaker 张三", "没有找到发言人“张三”"),
    ("speaker-markup", "/speaker <b>刘</b>&<script>", "没有找到发言人“<b>刘</b>&<script>”"),
    ("speaker-20000", "/speaker " + "刘" * 20000, "没有找到发言人"),
    ("unknown-person-question", "王小二谈到了腐败吗？", ""),
    ("unknown-speaker-who", "谁是张三？", ""),
]
IDS = [case[0] for case in HOSTILE]


def html_plain(pages: list[str]) -> str:
    """The plain text Telegram shows for these pages, whitespace removed."""
    return "".join("".join(check_telegram_html(page) for page in pages).split())


@pytest.mark.parametrize("name, text, expected", HOSTILE, ids=IDS)
def test_engine_answers_hostile_input(seed_engine, name: str, text: str, expected: str) -> None:
    answer = seed_engine.ask(text)
    assert answer.kind in ANSWER_KINDS
    if answer.kind == "empty":
        assert answer.message and re.search(r"[\u4e00-\u9fff]", answer.message)   # says why, in Chinese
    else:
        assert answer.speakers or answer.passages or answer.sections or answer.documents or answer.message
    shown = render_plain(answer)
    assert expected in shown
    assert "Traceback" not in shown and "Error" not in shown


@pytest.mark.parametrize("name, text, expected", HOSTILE, ids=IDS)
def test_telegram_html_never_echoes_markup(seed_engine, name: str, text: str, expected: str) -> None:
    answer = seed_engine.ask(text)
    pages = render_html_pages(answer)
    for page in pages:
        assert utf16_len(page) <= MAX_TEXT
        assert check_telegram_html(page).strip()
        assert not re.search(r"<(?!/?(?:b|i)>)", page), page[:200]   # only the renderer's own tags
    # What Telegram shows is exactly the plain answer: no user text was taken for markup.
    assert html_plain(pages) == "".join(render_plain(answer, mark=("", "")).split())


@pytest.mark.parametrize("name, text, expected", HOSTILE, ids=IDS)
def test_json_answer_is_valid_utf8(seed_engine, name: str, text: str, expected: str) -> None:
    data = to_json(seed_engine.ask(text))
    encoded = json.dumps(data, ensure_ascii=False).encode("utf-8")   # lone surrogates would fail here
    assert json.loads(encoded)["kind"] in ANSWER_KINDS


@pytest.mark.parametrize("text", ["腐败" * 10000, "谁谈到了腐败？" + "。" * 600, "/speaker " + "刘" * 20000])
def test_overlong_questions_are_cut_with_a_note(seed_engine, text: str) -> None:
    answer = seed_engine.ask(text)
    assert answer.notes == (CUT_NOTE,)
    assert CUT_NOTE in render_plain(answer)
    assert CUT_NOTE in to_json(answer)["message"]
    assert len(answer.message) < 600     # an echo of the question is an echo of the cut question


def test_questions_up_to_the_limit_are_not_cut(seed_engine) -> None:
    assert seed_engine.ask("谁谈到了腐败？" + "腐" * 493).notes == ()


# ---------------------------------------------------------------- through `qabot ask`


def test_qabot_ask_batch_answers_every_hostile_line(qabot, tmp_path) -> None:
    lines = [text.replace("\n", " ").replace("\r", " ").replace("\u2028", " ") for _, text, _ in HOSTILE]
    batch = tmp_path / "hostile.txt"
    batch.write_bytes("\n".join(lines).encode("utf-8", "surrogatepass") + b"\n")   # bytes that are not UTF-8
    status, out, err = qabot("ask", "--batch", str(batch), "--json")
    answers = [json.loads(line) for line in out.splitlines()]
    assert status == 0 and "Traceback" not in err
    assert len(answers) == len(HOSTILE)
    assert all(a["kind"] in ANSWER_KINDS and (a["message"] or a["speakers"] or a["passages"] or a["sections"])
               for a in answers)


@pytest.mark.parametrize("as_json", [False, True], ids=["plain", "json"])
def test_qabot_ask_with_undecodable_argument_bytes(qabot, as_json: bool) -> None:
    # On POSIX, argv bytes that are not UTF-8 arrive as lone surrogates (surrogateescape).
    question = b"\xff\xfe\xe8\xb0\x81\xe8\xb0\x88\xe5\x88\xb0\xe4\xba\x86\xe8\x85\x90\xe8\xb4\xa5".decode(
        "utf-8", "surrogateescape")
    status, out, err = qabot("ask", question, *(["--json"] if as_json else []))
    assert status == 0 and "Traceback" not in err
    assert "刘丰富" in out
    out.encode("utf-8")


def test_qabot_ask_batch_from_stdin_with_undecodable_bytes(qabot, monkeypatch) -> None:
    stdin = io.TextIOWrapper(io.BytesIO("谁谈到了腐败\udcff？\n/section 999\n".encode("utf-8", "surrogateescape")),
                             encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stdin)
    status, out, err = qabot("ask", "--batch", "-", "--json")
    answers = [json.loads(line) for line in out.splitlines()]
    assert status == 0 and "Traceback" not in err
    assert answers[0]["speakers"][0]["name"] == "刘丰富"
    assert "没有第 999 部分" in answers[1]["message"]


# ---------------------------------------------------------------- through Telegram


async def test_telegram_answers_every_hostile_message_once(stub: StubBotAPI, running, caplog) -> None:
    alice = stub.user(4242, "Alice")
    # Telegram delivers no empty messages and at most 4096 characters; the rest as it comes.
    texts = [text[:4096] for _, text, _ in HOSTILE if text.strip() and "\ud800" not in text]
    async with running(rate_limit_per_minute=0):
        asked = [stub.send_text(text, alice) for text in texts]
        sent = await stub.until("sendMessage", len(asked), timeout=30)
        await stub.drained()
    quoted = [c.params["reply_parameters"]["message_id"] for c in sent]
    assert quoted == [m["message_id"] for m in asked]          # each once, in order
    assert all(c.params["parse_mode"] == "HTML" and c.params["text"] != APOLOGY for c in sent)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    by_text = {m["text"]: c.params["text"] for m, c in zip(asked, sent)}
    assert "&lt;b&gt;刘&lt;/b&gt;&amp;&lt;script&gt;" in by_text["/speaker <b>刘</b>&<script>"]
    assert CUT_NOTE in by_text["腐败" * 2048]
