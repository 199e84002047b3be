"""Security: the token stays secret, strangers and floods are held off, message sizes are kept, no root.

Beyond tests/bot/test_telegram_app.py (token absent from logs of a 502/400 run, allowlisted users and
chats, a refused private message, the per-user limit on messages): the token through every fault kind
and an unreachable API, tracebacks redacted, presses and inline queries from strangers and past the
limit, the engine never run for a stranger, answers longer than 4096 UTF-16 units, the Docker user.
"""
from __future__ import annotations

import asyncio
import functools
import io
import logging
import socket
from pathlib import Path

import pytest
from telegram.ext._utils import networkloop

from bot import telegram_app
from bot.indexing import build_engine
from bot.telegram_app import APOLOGY, NOT_ALLOWED, SLOW_DOWN, run
from bot.telegram_delivery import RedactToken
from tests.bot.stub_bot_api import MAX_TEXT, StubBotAPI, check_telegram_html, utf16_len
from tests.bot.test_telegram_app import replies, reply_to, settle

from .conftest import SEED

ROOT = Path(__file__).resolve().parents[2]
ALICE = {"id": 8001, "is_bot": False, "first_name": "Alice"}
MALLORY = {"id": 8666, "is_bot": False, "first_name": "Mallory"}
GROUP = {"id": -1008000000001, "type": "supergroup", "title": "外面的群"}


class CountingEngine:
    """The seed engine, counting what it is asked; "boom" raises, as a bug would."""

    def __init__(self, engine) -> None:
        self.engine = engine
        self.asked: list[str] = []

    def ask(self, text: str):
        self.asked.append(text)
        if text == "boom":
            raise RuntimeError("engine bug")
        return self.engine.ask(text)


def secret_of(token: str) -> str:
    return token.partition(":")[2]


def assert_no_secret(secret: str, caplog: pytest.LogCaptureFixture) -> None:
    assert secret not in caplog.text
    formatter = logging.Formatter("%(name)s %(message)s")
    for record in caplog.records:
        assert secret not in formatter.format(record)
        error = record.exc_info[1] if record.exc_info else None
        while error is not None:
            assert secret not in str(error) and secret not in repr(error.args)
            error = error.__cause__ or error.__context__


# ---------------------------------------------------------------- the token


async def test_token_never_logged_through_every_fault(stub: StubBotAPI, running, seed_engine, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    httpx_logger = logging.getLogger("httpx")
    level = httpx_logger.level
    httpx_logger.setLevel(logging.DEBUG)     # as a user's own logging set-up might
    try:
        for kind in ("malformed", "drop", "429", "503"):
            stub.fail("getUpdates", kind=kind, retry_after=1)
        for kind in ("502", "drop", "429", "400", "slow"):
            stub.fail("sendMessage", kind=kind, retry_after=1, delay=1.0)
        async with running(engine=CountingEngine(seed_engine), read_timeout=0.5):
            for text in ("谁谈到了腐败？", "boom", "/speaker", "/section 2", "/help"):
                stub.send_text(text, ALICE)
            await stub.until("sendMessage", 5, timeout=30)
            await settle(stub, 1.5)
        assert httpx_logger.level == logging.WARNING   # build_application quieted it
    finally:
        httpx_logger.setLevel(level)
    assert [r for r in caplog.records if r.exc_info]     # tracebacks were logged, and checked below
    assert_no_secret(secret_of(stub.token), caplog)


class _NoWaits:
    """The asyncio module, with sleeps cut to a hundredth of a second."""

    def __getattr__(self, name: str):
        return getattr(asyncio, name)

    @staticmethod
    async def sleep(delay: float, result=None):
        return await asyncio.sleep(min(delay, 0.01), result)


def test_unreachable_api_exits_1_without_the_token(monkeypatch, capsys, caplog, test_settings) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]             # closed again: connections are refused
    token = "987654:SECRET-never-printed-abcdefghijklmn"
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", token)
    monkeypatch.setenv("TELEGRAM_BASE_URL", f"http://127.0.0.1:{port}/bot")
    # Quick: our retries without backoff, and PTB's start-up retries (bootstrap_retries) without waits.
    monkeypatch.setattr(telegram_app, "build_application",
                        functools.partial(telegram_app.build_application, retry_backoff=0.01))
    monkeypatch.setattr(networkloop, "asyncio", _NoWaits())
    caplog.set_level(logging.DEBUG)
    assert run(test_settings) == 1
    err = capsys.readouterr().err
    assert "cannot reach the Bot API" in err
    assert secret_of(token) not in err
    assert_no_secret(secret_of(token), caplog)


@pytest.mark.parametrize("shown", ["{token}", "{bot_id}%3A{secret}"], ids=["plain", "percent-encoded"])
def test_tracebacks_are_redacted_too(shown: str) -> None:
    token = "123456:ABCdef-ghiJKL_mnoPQR"
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.addFilter(RedactToken(token))
    logger = logging.getLogger("qabot.test.redact")
    logger.addHandler(handler)
    logger.propagate = False
    url = "https://api.telegram.org/bot" + shown.format(token=token, bot_id="123456", secret=secret_of(token))
    try:
        try:
            raise ValueError(f"cannot fetch {url}/getMe")
        except ValueError:
            logger.exception("request to %s failed", url)
    finally:
        logger.removeHandler(handler)
    assert secret_of(token) not in out.getvalue()
    assert out.getvalue().count("<token>") == 2      # the message and the exception in the trace


# ---------------------------------------------------------------- strangers


async def test_strangers_never_reach_the_engine(stub: StubBotAPI, running, seed_engine) -> None:
    engine = CountingEngine(seed_engine)
    async with running(engine=engine, allowed_user_ids=(ALICE["id"],), rate_limit_per_minute=5):
        answer = await reply_to(stub, stub.send_text("/section 2", ALICE))
        flood = [stub.send_text(f"谁谈到了腐败？{i}", MALLORY) for i in range(30)]
        stub.send_text(f"@{stub.username} 谁谈到了腐败？", MALLORY, GROUP)
        stub.press(answer.result, "p:1", MALLORY)
        stub.inline("腐败", MALLORY)
        await stub.until("answerCallbackQuery")
        await settle(stub, 0.5)
    assert engine.asked == ["/section 2"]
    refusals = [c for c in stub.sent("sendMessage") if c.params["text"] == NOT_ALLOWED]
    assert len(refusals) == 5                      # a flood of strangers is refused at the rate limit
    assert all(c.params["chat_id"] == MALLORY["id"] for c in refusals)   # silence in the group
    assert sum(len(replies(stub, m)) for m in flood) == 5
    assert [c.params.get("text") for c in stub.sent("answerCallbackQuery")] == [NOT_ALLOWED]
    assert not stub.sent("editMessageText") and not stub.sent("answerInlineQuery")


# ---------------------------------------------------------------- the rate limit


async def test_presses_and_inline_queries_count_against_the_limit(stub: StubBotAPI, running) -> None:
    async with running(rate_limit_per_minute=3, passages_per_page=1):
        answer = await reply_to(stub, stub.send_text("/speaker 刘丰富", ALICE))      # 1
        stub.press(answer.result, "p:1", ALICE)                                       # 2
        await stub.until("editMessageText")
        stub.inline("腐败", ALICE)                                                    # 3
        await stub.until("answerInlineQuery")
        late = stub.send_text(f"@{stub.username} 谁谈到了群众？", ALICE, GROUP)       # over, in another chat
        await reply_to(stub, late)
        stub.press(answer.result, "p:2", ALICE)                                       # over
        stub.inline("群众", ALICE)                                                    # over
        await stub.until("answerCallbackQuery", 2)
        await stub.until("answerInlineQuery", 2)
        await settle(stub)
    assert len(stub.sent("editMessageText")) == 1
    assert stub.sent("answerCallbackQuery")[-1].params["text"] == SLOW_DOWN
    first, second = stub.sent("answerInlineQuery")
    assert first.params["results"] and second.params["results"] == []
    assert [c.params["text"] for c in replies(stub, late)] == [SLOW_DOWN]


async def test_a_flooding_user_does_not_hold_up_others(stub: StubBotAPI, running) -> None:
    bob = {"id": 8002, "is_bot": False, "first_name": "Bob"}
    async with running(rate_limit_per_minute=10):
        for i in range(200):
            stub.send_text(f"谁谈到了腐败{i}？", MALLORY)
        question = stub.send_text("谁谈到了腐败？", bob)
        reply = await reply_to(stub, question, timeout=20)
        await settle(stub)
    assert "<b>刘丰富</b>" in reply.params["text"]
    assert len([c for c in stub.sent("sendMessage") if c.params["chat_id"] == MALLORY["id"]]) == 11   # 10 + 1 notice


# ---------------------------------------------------------------- message sizes


async def test_answers_are_paged_by_telegram_length(stub: StubBotAPI, running, test_settings, tmp_path) -> None:
    # 2,100 emoji are 2,100 characters but 4,200 UTF-16 units, which is what Telegram counts.
    turn = "今天讨论表情问题" + "😀" * 2100 + "。"
    article = f"### 表情文章\n\n2003-11-06\n第1版(要闻)\n专栏：\n\n\u3000\u3000王表情（市长）：{turn}\n"
    (tmp_path / "emoji.txt").write_text(article, encoding="utf-8")
    engine = build_engine(test_settings, [str(tmp_path / "emoji.txt")])
    async with running(engine=engine, passages_per_page=0):
        reply = await reply_to(stub, stub.send_text("/speaker 王表情", ALICE))
        await settle(stub)
    assert reply.params["text"] != APOLOGY and reply.params["reply_markup"]     # paged, not refused
    assert utf16_len(check_telegram_html(reply.params["text"])) <= MAX_TEXT
    assert len(stub.sent("sendMessage")) == 1


async def test_longest_inline_query_and_message_are_answered(stub: StubBotAPI, running) -> None:
    async with running(rate_limit_per_minute=0):
        query = stub.inline("腐败" * 128, ALICE)                       # Telegram's 256-character limit
        question = stub.send_text("谁谈到了腐败？" + "。" * (4096 - 7), ALICE)   # Telegram's 4096
        (inline,) = await stub.until("answerInlineQuery")
        reply = await reply_to(stub, question)
    assert inline.params["inline_query_id"] == query and inline.params["results"]
    assert "问题太长" in reply.params["text"] and "<b>刘丰富</b>" in reply.params["text"]


# ---------------------------------------------------------------- the container


def test_docker_image_runs_as_a_non_root_user() -> None:
    lines = [line.strip() for line in (ROOT / "Dockerfile").read_text(encoding="utf-8").splitlines()]
    instructions = [line for line in lines if line and not line.startswith("#")]
    users = [line.split(None, 1)[1].strip() for line in instructions if line.upper().startswith("USER ")]
    assert users, "the Dockerfile sets no USER: the bot would run as root"
    final = users[-1].split(":")[0]
    assert final not in ("root", "0")
    adds = [line for line in instructions if "useradd" in line and final in line]
    assert adds and "--uid 0" not in adds[0] and "-o" not in adds[0].split()
    cmd = max(i for i, line in enumerate(instructions) if line.upper().startswith(("CMD", "ENTRYPOINT")))
    last_user = max(i for i, line in enumerate(instructions) if line.upper().startswith("USER "))
    assert last_user < cmd and "qabot" in instructions[cmd]
    assert SEED.name in {p.name for p in (ROOT / "retrieval" / "data" / "corpus").iterdir()}   # the image serves the seed
