"""The Telegram bot through PTB's real HTTP path, against the stub Bot API on 127.0.0.1.

Every test runs the real Application (or `qabot telegram` as a process), feeds it updates through the
stub's getUpdates and asserts on the Bot API calls the stub recorded. After each test the `stub`
fixture also checks every text the bot sent: valid Telegram HTML, at most 4096 characters.
"""
from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from telegram import Bot
from telegram.error import BadRequest, NetworkError, RetryAfter

from bot.telegram_app import (
    APOLOGY,
    BAD_BUTTON,
    COMMANDS,
    NOT_ALLOWED,
    SLOW_DOWN,
    STALE_PAGE,
    engine_text,
    file_url_for,
    run,
)
from bot.telegram_delivery import RateLimit

from .stub_bot_api import Call, StubBotAPI, check_telegram_html, decode_params, entities_for

ALICE = {"id": 1001, "is_bot": False, "first_name": "Alice"}
BOB = {"id": 1002, "is_bot": False, "first_name": "Bob"}
GROUP = {"id": -1001234567890, "type": "supergroup", "title": "学习小组"}
QABOT = Path(sys.executable).with_name("qabot")


def replies(stub: StubBotAPI, message: dict) -> list[Call]:
    """Returns the sendMessage calls that answer `message` (quote it)."""
    return [c for c in stub.sent("sendMessage")
            if (c.params.get("reply_parameters") or {}).get("message_id") == message["message_id"]]


async def reply_to(stub: StubBotAPI, message: dict, timeout: float = 10.0) -> Call:
    """Waits for the one reply to `message` and returns it."""
    deadline = time.monotonic() + timeout
    while not replies(stub, message):
        if time.monotonic() > deadline:
            raise TimeoutError(f"no reply to {message['text']!r}; calls: {[c.method for c in stub.calls]}")
        await asyncio.sleep(0.01)
    return replies(stub, message)[0]


async def settle(stub: StubBotAPI, seconds: float = 0.3) -> None:
    """Waits until every update was fetched, then a little more for stray replies to show up."""
    await stub.drained()
    await asyncio.sleep(seconds)


# ---------------------------------------------------------------- the stub itself


def test_stub_html_check_accepts_telegram_tags_only() -> None:
    assert check_telegram_html("<b>刘丰富</b>：“反<i>腐败</i>” &lt;x&gt; &amp;") == "刘丰富：“反腐败” <x> &"
    for bad in ("<b>x", "<div>x</div>", "<b><i>x</b></i>", "a & b", "1 < 2", "<span>x</span>", "<br/>"):
        with pytest.raises(ValueError):
            check_telegram_html(bad)


def test_stub_entities_count_utf16_units() -> None:
    assert entities_for("/speaker@qabot_test_bot 刘丰富") == [{"type": "bot_command", "offset": 0, "length": 23}]
    assert entities_for("😀 @qabot_test_bot 腐败") == [{"type": "mention", "offset": 3, "length": 15}]


def test_stub_decodes_form_values_as_ptb_encodes_them() -> None:
    body = b"chat_id=7&text=123&reply_markup=%7B%22a%22%3A+1%7D&disable_notification=true"
    assert decode_params(body, "application/x-www-form-urlencoded") == {
        "chat_id": 7, "text": "123", "reply_markup": {"a": 1}, "disable_notification": True}


async def test_stub_speaks_bot_api_to_ptb() -> None:
    # Its own stub: the `stub` fixture would fail on the bad HTML sent here on purpose.
    with StubBotAPI() as stub:
        async with Bot(stub.token, base_url=stub.base_url) as bot:
            assert bot.username == stub.username
            first = stub.send_text("谁谈到了腐败？", ALICE)
            stub.send_text("/help", ALICE)
            updates = await bot.get_updates(timeout=0)
            assert [u.message.text for u in updates] == ["谁谈到了腐败？", "/help"]
            sent = await bot.send_message(ALICE["id"], "<b>刘丰富</b> &amp;", parse_mode="HTML",
                                          reply_to_message_id=first["message_id"])
            assert (sent.text, sent.reply_to_message.text) == ("刘丰富 &", "谁谈到了腐败？")
            with pytest.raises(BadRequest, match="(?i)can't parse entities"):
                await bot.send_message(ALICE["id"], "<b>unclosed", parse_mode="HTML")
            stub.fail("sendMessage", kind="429", retry_after=3)
            with pytest.raises(RetryAfter):
                await bot.send_message(ALICE["id"], "x")
            stub.fail("sendMessage", kind="502")
            with pytest.raises(NetworkError, match="Bad Gateway"):
                await bot.send_message(ALICE["id"], "x")
            # Asking from the next offset forgets what came before, as Telegram does.
            assert await bot.get_updates(offset=updates[-1].update_id + 1, timeout=0) == ()
            assert stub.pending_updates() == 0


# ---------------------------------------------------------------- pure helpers


def test_engine_text_strips_the_bot_name() -> None:
    assert engine_text("/speaker@QAbot_test_bot 刘丰富", "qabot_test_bot") == "/speaker 刘丰富"
    assert engine_text("@qabot_test_bot 谁谈到了腐败？", "qabot_test_bot") == "谁谈到了腐败？"
    assert engine_text("@qabot_test_bot谁谈到了腐败？", "qabot_test_bot") == "谁谈到了腐败？"
    assert engine_text("/section@other_bot 2", "qabot_test_bot") == "/section@other_bot 2"


def test_file_url_follows_the_base_url() -> None:
    assert file_url_for("https://api.telegram.org/bot") == "https://api.telegram.org/file/bot"
    assert file_url_for("http://127.0.0.1:8081/bot") == "http://127.0.0.1:8081/file/bot"


def test_rate_limit_warns_once_then_stays_silent() -> None:
    limits = RateLimit(2)
    verdicts = [limits.check(1, now=t) for t in (0, 1, 2, 3)]
    assert verdicts == ["ok", "ok", "warn", "drop"]
    assert limits.check(2, now=3) == "ok"            # other users are not affected
    assert limits.check(1, now=60.5) == "ok"         # the window has moved on
    assert RateLimit(0).check(1) == "ok"             # 0 = no limit


# ---------------------------------------------------------------- commands and questions


async def test_start_registers_the_menu_and_greets(stub: StubBotAPI, running) -> None:
    async with running():
        start = stub.send_text("/start", ALICE)
        text = (await reply_to(stub, start)).params["text"]
    assert [c["command"] for c in stub.commands] == [name for name, _ in COMMANDS]
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in c["description"]) for c in stub.commands)
    assert "发言人" in text and "/speaker" in text


async def test_help_lists_every_menu_command(stub: StubBotAPI, running) -> None:
    async with running():
        help_ = stub.send_text("/help", ALICE)
        text = (await reply_to(stub, help_)).params["text"]
    for name, _ in COMMANDS:
        if name != "start":   # /start is the same answer as /help
            assert f"/{name}" in text


ASKED = [
    ("/speaker", ["刘丰富", "陈建国"]),
    ("/speaker 刘丰富", ["<b>刘丰富</b>", "纪委书记"]),
    ("/section", ["开场", "第1部分"]),
    ("/section 2", ["第2部分"]),
    ("/doc", ["始终保持党同人民群众的血肉联系"]),
    ("谁谈到了腐败？", ["<b>刘丰富</b>", "<b>腐败</b>"]),
    ("/nosuchcommand", ["不认识的命令"]),
    ("谁谈到了<b>腐败</b>&<script>？", ["<b>刘丰富</b>"]),     # markup in questions is text
    ("/speaker <i>刘 & 王", ["&lt;i&gt;刘 &amp; 王"]),
]


async def test_commands_and_questions_get_their_answers(stub: StubBotAPI, running) -> None:
    async with running():
        asked = [(stub.send_text(text, ALICE), expected) for text, expected in ASKED]
        for message, expected in asked:
            call = await reply_to(stub, message)
            assert call.params["parse_mode"] == "HTML"
            for piece in expected:
                assert piece in call.params["text"], (message["text"], piece)
        await settle(stub)
    assert all(len(replies(stub, message)) == 1 for message, _ in asked)


async def test_long_answers_are_paged_in_place(stub: StubBotAPI, running) -> None:
    async with running(passages_per_page=1):
        question = stub.send_text("/speaker 刘丰富", ALICE)
        first = await reply_to(stub, question)
        buttons = first.params["reply_markup"]["inline_keyboard"][0]
        assert [b["text"] for b in buttons][-1] == "下一页 ▶"
        assert all(len(b["callback_data"].encode()) <= 64 for b in buttons)
        sent = first.result
        stub.press(sent, buttons[-1]["callback_data"], ALICE)
        (edit,) = await stub.until("editMessageText")
        stub.press(sent, "p:0", ALICE)
        edits = await stub.until("editMessageText", 2)
        await stub.until("answerCallbackQuery", 2)
    assert edit.params["message_id"] == sent["message_id"] == edits[1].params["message_id"]
    assert edit.params["text"] != first.params["text"]
    assert edits[1].params["text"] == first.params["text"]
    labels = [b["text"] for b in edit.params["reply_markup"]["inline_keyboard"][0]]
    assert labels[0] == "◀ 上一页"
    assert len(stub.sent("sendMessage")) == 1   # paging never sends a new message


async def test_a_short_list_stays_on_one_page(stub: StubBotAPI, running) -> None:
    """Pages of lists are cut by length: the seed's opening and four sections fit one message."""
    async with running(passages_per_page=1):
        first = await reply_to(stub, stub.send_text("/section", ALICE))
    assert first.params.get("reply_markup") is None
    for piece in ("开场", "第1部分", "第4部分", "发言：陈建国"):
        assert piece in first.params["text"]


async def test_answers_over_4096_characters_are_split_and_paged(stub: StubBotAPI, running,
                                                                transcripts_engine) -> None:
    async with running(engine=transcripts_engine, passages_per_page=0):
        question = stub.send_text("/speaker", ALICE)
        first = await reply_to(stub, question)
        labels = [b["text"] for b in first.params["reply_markup"]["inline_keyboard"][0]]
        total = int(labels[0].split("/")[1])
        for page in range(1, total):
            stub.press(first.result, f"p:{page}", ALICE)
            await stub.until("editMessageText", page)
    pages = [first.params["text"]] + [c.params["text"] for c in stub.sent("editMessageText")]
    assert total >= 2 and len(set(pages)) == total
    assert max(len(page) for page in pages) > 3000      # pages are filled, not cut short
    assert all(len(page) <= 4096 for page in pages)


async def test_paging_survives_a_restart(stub: StubBotAPI, running) -> None:
    async with running(passages_per_page=1):
        question = stub.send_text("/section 2", ALICE)
        sent = (await reply_to(stub, question)).result
    # A new process knows nothing of the first: the button alone must be enough.
    async with running(passages_per_page=1):
        stub.press(sent, "p:1", BOB)
        (edit,) = await stub.until("editMessageText")
        (answer,) = await stub.until("answerCallbackQuery")
    assert edit.params["message_id"] == sent["message_id"]
    assert not answer.params.get("text")


async def test_forged_or_stale_buttons_get_a_polite_answer(stub: StubBotAPI, running, caplog) -> None:
    async with running(passages_per_page=1):
        question = stub.send_text("谁谈到了腐败？", ALICE)
        sent = (await reply_to(stub, question)).result
        # A copy whose question was deleted: Telegram then sends no reply_to_message.
        orphan = {k: v for k, v in sent.items() if k != "reply_to_message"} | {"message_id": 999999}
        stub.press(sent, "p:999", ALICE)
        stub.press(sent, "rm -rf /", ALICE)
        stub.press(sent, "p:" + "9" * 60, ALICE)
        stub.press(orphan, "p:1", ALICE)
        answers = await stub.until("answerCallbackQuery", 4)
    assert [a.params.get("text") for a in answers] == [STALE_PAGE, BAD_BUTTON, BAD_BUTTON, STALE_PAGE]
    assert not stub.sent("editMessageText")
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


# ---------------------------------------------------------------- inline mode


async def test_inline_query_offers_passages(stub: StubBotAPI, running) -> None:
    async with running():
        asked = stub.inline("腐败", ALICE), stub.inline("   ", ALICE)
        answers = {c.params["inline_query_id"]: c for c in await stub.until("answerInlineQuery", 2)}
    found, empty = (answers[query_id] for query_id in asked)
    results = found.params["results"]
    assert 1 <= len(results) <= 50
    assert all(r["type"] == "article" and r["input_message_content"]["parse_mode"] == "HTML" for r in results)
    assert any("<b>腐败</b>" in r["input_message_content"]["message_text"] for r in results)
    assert results[0]["title"] == "刘丰富"
    assert empty.params["results"] == []


# ---------------------------------------------------------------- groups


async def test_group_answers_commands_mentions_and_replies_only(stub: StubBotAPI, running) -> None:
    async with running():
        ignored = [
            stub.send_text("大家好，今天学习什么？", ALICE, GROUP),
            stub.send_text("/speaker@some_other_bot", ALICE, GROUP),
            stub.send_text("/nosuchcommand", ALICE, GROUP),
        ]
        answered = [
            stub.send_text("/speaker", ALICE, GROUP),
            stub.send_text("/section@qabot_test_bot 2", ALICE, GROUP),
            stub.send_text("@qabot_test_bot 谁谈到了腐败？", BOB, GROUP),
        ]
        bot_reply = (await reply_to(stub, answered[-1])).result
        answered.append(stub.send_text("谁谈到了群众？", BOB, GROUP, reply_to=bot_reply))
        calls = [await reply_to(stub, m) for m in answered]
        await settle(stub)
    assert not any(replies(stub, m) for m in ignored)
    assert len(stub.sent("sendMessage")) == len(answered)
    assert "第2部分" in calls[1].params["text"]
    assert "<b>刘丰富</b>" in calls[2].params["text"]
    assert all(c.params["chat_id"] == GROUP["id"] for c in calls)


# ---------------------------------------------------------------- allowlist and rate limit


async def test_allowlist_admits_listed_users_and_chats(stub: StubBotAPI, running) -> None:
    async with running(allowed_user_ids=(ALICE["id"],), allowed_chat_ids=(GROUP["id"],)):
        alice = stub.send_text("/speaker", ALICE)
        bob_private = stub.send_text("/speaker", BOB)
        bob_in_group = stub.send_text("/speaker", BOB, GROUP)
        stub.inline("腐败", BOB)
        assert "刘丰富" in (await reply_to(stub, alice)).params["text"]
        assert (await reply_to(stub, bob_private)).params["text"] == NOT_ALLOWED
        assert "刘丰富" in (await reply_to(stub, bob_in_group)).params["text"]
        await settle(stub)
    assert not stub.sent("answerInlineQuery")   # Bob is not listed, and inline has no chat


async def test_rate_limit_slows_a_user_down_politely(stub: StubBotAPI, running) -> None:
    async with running(rate_limit_per_minute=2):
        asked = [stub.send_text(f"谁谈到了{word}？", ALICE) for word in ("腐败", "群众", "农民", "教育")]
        other = stub.send_text("/speaker", BOB)
        await reply_to(stub, other)
        first, second, third = [await reply_to(stub, m) for m in asked[:3]]
        await settle(stub)
    assert "<b>" in first.params["text"] and "<b>" in second.params["text"]
    assert third.params["text"] == SLOW_DOWN
    assert not replies(stub, asked[3])     # told once; not again for every message


# ---------------------------------------------------------------- faults


async def test_every_update_answered_exactly_once_through_429_and_502(stub: StubBotAPI, running) -> None:
    stub.fail("sendMessage", times=2, kind="429", retry_after=1)
    stub.fail("getUpdates", times=1, kind="502")
    async with running(passages_per_page=1):
        asked = [stub.send_text(f"谁谈到了{word}？", user) for word, user in
                 (("腐败", ALICE), ("群众", BOB), ("农民", ALICE), ("教育", BOB))]
        await reply_to(stub, asked[0])
        stub.fail("sendMessage", times=2, kind="502")
        stub.fail("sendMessage", times=1, kind="drop")
        stub.fail("editMessageText", times=1, kind="503")
        stub.fail("answerCallbackQuery", times=1, kind="429", retry_after=1)
        asked += [stub.send_text("/speaker 刘丰富", ALICE), stub.send_text("/section 2", BOB)]
        for message in asked:
            await reply_to(stub, message, timeout=20)
        stub.press((await reply_to(stub, asked[-1])).result, "p:1", BOB)
        (edit,) = await stub.until("editMessageText")
        await stub.until("answerCallbackQuery")
        await settle(stub)
    faults = [c.fault for c in stub.calls if c.fault]
    assert sorted(faults) == sorted(["429"] * 3 + ["502"] * 3 + ["503", "drop"])
    assert all(len(replies(stub, m)) == 1 for m in asked)
    assert len(stub.sent("sendMessage")) == len(asked)
    assert len(stub.sent("editMessageText")) == len(stub.sent("answerCallbackQuery")) == 1
    assert APOLOGY not in [c.params["text"] for c in stub.sent("sendMessage")]


async def test_slow_send_is_not_repeated(stub: StubBotAPI, running) -> None:
    async with running(read_timeout=0.5):
        stub.fail("sendMessage", kind="slow", delay=1.0)
        question = stub.send_text("谁谈到了腐败？", ALICE)
        await reply_to(stub, question)
        await settle(stub, 1.0)
    assert len(stub.sent("sendMessage")) == 1    # delivered late, never twice, no apology after it


async def test_unexpected_error_is_logged_and_apologised_for(stub: StubBotAPI, running, caplog) -> None:
    stub.fail("sendMessage", kind="400")
    async with running():
        question = stub.send_text("谁谈到了腐败？", ALICE)
        call = await stub.until("sendMessage")
        await settle(stub)
    assert call[0].params["text"] == APOLOGY
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors and errors[0].exc_info and "injected by the test" in str(errors[0].exc_info[1]).lower()
    assert replies(stub, question) == []     # the apology is not a reply to page through


async def test_per_chat_order_is_kept(stub: StubBotAPI, running) -> None:
    async with running(concurrent_updates=4):
        asked = [stub.send_text(text, ALICE) for text, _ in ASKED * 2]
        for message in asked:
            await reply_to(stub, message)
    order = [c.params["reply_parameters"]["message_id"] for c in stub.sent("sendMessage")]
    assert order == [m["message_id"] for m in asked]


# ---------------------------------------------------------------- the token and the process


async def test_token_never_logged(stub: StubBotAPI, running, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    stub.fail("sendMessage", kind="502")
    stub.fail("sendMessage", kind="400")
    async with running():
        stub.send_text("谁谈到了腐败？", ALICE)
        stub.send_text("/help", ALICE)
        await stub.until("sendMessage", 2)
        await settle(stub)
    assert caplog.records
    secret = stub.token.split(":", 1)[1]
    assert secret not in caplog.text
    for record in caplog.records:
        assert secret not in logging.Formatter().format(record)


def test_missing_token_exits_2(monkeypatch, capsys, test_settings) -> None:
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    assert run(test_settings) == 2
    assert "TELEGRAM_BOT_TOKEN" in capsys.readouterr().err


def test_refused_token_exits_2(stub: StubBotAPI, monkeypatch, capsys, test_settings) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "42:not-the-token")
    monkeypatch.setenv("TELEGRAM_BASE_URL", stub.base_url)
    assert run(test_settings) == 2
    err = capsys.readouterr().err
    assert "refused the token" in err and "not-the-token" not in err


@pytest.fixture(scope="session")
def qabot_cache(tmp_path_factory) -> Path:
    """One cache folder for every `qabot` process of the session: later starts reuse the index."""
    return tmp_path_factory.mktemp("qabot-cache")


def _qabot(args: list[str], stub: StubBotAPI, cache: Path, token: str | None) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "QABOT_CONFIG"))}
    env |= {"TELEGRAM_BASE_URL": stub.base_url, "XDG_CACHE_HOME": str(cache),
            "PYTHONUNBUFFERED": "1"}
    if token:
        env["TELEGRAM_BOT_TOKEN"] = token
    return subprocess.Popen([str(QABOT), *args], cwd=cache, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _stop(process: subprocess.Popen, timeout: float = 5.0, sig: int = signal.SIGTERM) -> tuple[int, str]:
    process.send_signal(sig)
    started = time.monotonic()
    _, err = process.communicate(timeout=timeout + 5)
    assert time.monotonic() - started < timeout, "took too long to stop"
    return process.returncode, err


@pytest.mark.skipif(not QABOT.exists(), reason="the qabot console script is not installed")
def test_qabot_telegram_process_answers_and_stops_on_sigterm(stub: StubBotAPI, qabot_cache: Path) -> None:
    missing = _qabot(["telegram"], stub, qabot_cache, token=None)
    _, err = missing.communicate(timeout=30)
    assert missing.returncode == 2 and "TELEGRAM_BOT_TOKEN" in err

    process = _qabot(["telegram"], stub, qabot_cache, token=stub.token)
    try:
        stub.wait_for("setMyCommands", timeout=30)
        question = stub.send_text("谁谈到了腐败？", ALICE)
        deadline = time.monotonic() + 15
        while not replies(stub, question) and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        status, err = _stop(process)
    assert "<b>刘丰富</b>" in replies(stub, question)[0].params["text"]
    assert status == 0, err
    assert stub.token.split(":", 1)[1] not in err
    assert "polling" in err      # it logs, just not the token


@pytest.mark.skipif(not QABOT.exists(), reason="the qabot console script is not installed")
def test_qabot_telegram_webhook_checks_the_secret_and_stops_on_sigint(stub: StubBotAPI, qabot_cache: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/hook"
    process = _qabot(["telegram", "--webhook", url, "--listen", "127.0.0.1", "--port", str(port),
                      "--secret-token", "s3cret"], stub, qabot_cache, token=stub.token)
    try:
        (hook,) = stub.wait_for("setWebhook", timeout=30)
        update = {"update_id": 1, "message": {
            "message_id": 5, "date": int(time.time()), "chat": {"id": ALICE["id"], "type": "private"},
            "from": ALICE, "text": "/speaker", "entities": entities_for("/speaker")}}
        refused = _post(url, update, secret="wrong")
        accepted = _post(url, update, secret="s3cret")
        (reply,) = stub.wait_for("sendMessage", timeout=15)
    finally:
        status, err = _stop(process, sig=signal.SIGINT)
    assert (hook.params["url"], hook.params["secret_token"]) == (url, "s3cret")
    assert (refused, accepted) == (403, 200)
    assert "刘丰富" in reply.params["text"]
    assert status == 0, err


def _post(url: str, update: dict, secret: str) -> int:
    deadline = time.monotonic() + 10
    while True:
        request = urllib.request.Request(url, data=json.dumps(update).encode(), method="POST", headers={
            "Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": secret})
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)   # the server starts listening just after setWebhook
