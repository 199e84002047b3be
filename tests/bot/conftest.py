"""Fixtures for the Telegram tests: a stub Bot API per test, and the real Application polling it."""
from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import inspect
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from .stub_bot_api import MAX_TEXT, StubBotAPI, check_telegram_html


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Runs `async def` tests of this folder in a fresh event loop (no asyncio plugin needed)."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    names = pyfuncitem._fixtureinfo.argnames
    asyncio.run(pyfuncitem.obj(**{name: pyfuncitem.funcargs[name] for name in names}))
    return True


@pytest.fixture
def stub(monkeypatch: pytest.MonkeyPatch) -> StubBotAPI:
    """A running stub Bot API; after the test, every text the bot sent must be valid Telegram HTML."""
    monkeypatch.delenv("TELEGRAM_BASE_URL", raising=False)
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    with StubBotAPI() as server:
        yield server
    for text in sent_texts(server):
        assert len(text) <= MAX_TEXT
        check_telegram_html(text)


def sent_texts(server: StubBotAPI) -> list[str]:
    """Returns every HTML text the bot sent, edited in or offered inline."""
    texts = []
    for call in server.calls:
        if call.method in ("sendMessage", "editMessageText") and call.params.get("parse_mode") == "HTML":
            texts.append(call.params["text"])
        for result in call.params.get("results") or [] if call.method == "answerInlineQuery" else []:
            texts.append(result["input_message_content"]["message_text"])
    return texts


@pytest.fixture
def settings_for(test_settings, stub: StubBotAPI) -> Callable[..., Any]:
    """Returns test settings pointing at the stub, with `telegram` fields replaced by keywords."""
    def make(**telegram: Any) -> Any:
        tg = dataclasses.replace(test_settings.telegram, base_url=stub.base_url, **telegram)
        return dataclasses.replace(test_settings, telegram=tg)
    return make


@pytest.fixture
def running(stub: StubBotAPI, seed_engine, settings_for) -> Callable[..., Any]:
    """Returns `running(**telegram)`: an async context manager with the real Application polling the stub.

    Keywords are `telegram` settings, plus `engine` (default: the seed's) and `read_timeout`.
    """
    from bot.telegram_app import ALLOWED_UPDATES, build_application

    @contextlib.asynccontextmanager
    async def start(*, engine: Any = None, read_timeout: float = 10.0, **telegram: Any) -> AsyncIterator[Any]:
        application = build_application(settings_for(**telegram), engine or seed_engine, stub.token,
                                         read_timeout=read_timeout, retry_backoff=0.05)
        async with application:
            await application.post_init(application)
            await application.updater.start_polling(poll_interval=0.0, timeout=1,
                                                    allowed_updates=ALLOWED_UPDATES)
            await application.start()
            try:
                yield application
            finally:
                await application.updater.stop()
                await application.stop()

    return start
