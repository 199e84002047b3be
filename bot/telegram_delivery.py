"""Getting replies to Telegram whatever the network does: retries, per-chat order, pace, no token in logs."""
from __future__ import annotations

import asyncio
import logging
import time
from collections import defaultdict, deque
from collections.abc import Awaitable
from typing import Any

import httpx
from telegram import Update
from telegram.error import NetworkError, TimedOut
from telegram.ext import BaseUpdateProcessor
from telegram.request import BaseRequest, HTTPXRequest

_LOGGER = logging.getLogger(__name__)

_TOKEN_LOGGERS = {"httpx": logging.WARNING, "httpcore": logging.WARNING,
                  "telegram.Bot": logging.INFO, "telegram.ext.ExtBot": logging.INFO}


def quiet_token_loggers() -> None:
    """Raises the loggers whose lines carry the bot token above the levels that would print it."""
    for name, level in _TOKEN_LOGGERS.items():
        logger = logging.getLogger(name)
        if logger.getEffectiveLevel() < level:
            logger.setLevel(level)


class RedactToken(logging.Filter):
    """Replaces the token in any log line that still carries it (a second line of defence)."""

    def __init__(self, token: str) -> None:
        super().__init__()
        # The secret half alone, too: a URL may carry the token with its ':' percent-encoded.
        self._secrets = [s for s in (token, token.partition(":")[2]) if s]

    def redact(self, text: str) -> str:
        """Returns `text` with the token (or its secret half) replaced by <token>."""
        for secret in self._secrets:
            text = text.replace(secret, "<token>")
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if any(secret in message for secret in self._secrets):
            record.msg, record.args = self.redact(message), None
        if record.exc_info and not record.exc_text:
            # Formatters print the trace from this cached text: an exception message may carry the token.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        return True


RETRY_STATUSES = frozenset({500, 502, 503, 504})
# A request that failed in one of these ways never reached the Bot API, or was refused by it.
_NOT_DELIVERED = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.RemoteProtocolError)
_SENDS = ("send", "copy", "forward")   # methods whose repetition shows the user a second message


def safe_to_retry(api_method: str, error: NetworkError) -> bool:
    """Returns whether repeating `api_method` after `error` cannot show the user something twice."""
    if not api_method.startswith(_SENDS):
        return True   # edits, answers, settings: doing them twice is the same as once
    return isinstance(error.__cause__, _NOT_DELIVERED)


class RetryingRequest(HTTPXRequest):
    """HTTPXRequest that repeats a failed call, with exponential backoff, when that is safe."""

    def __init__(self, *, retries: int = 3, backoff: float = 0.5, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._retries = max(0, retries)
        self._backoff = backoff

    async def do_request(self, url: str, method: str, request_data: Any = None,
                         read_timeout: Any = BaseRequest.DEFAULT_NONE, write_timeout: Any = BaseRequest.DEFAULT_NONE,
                         connect_timeout: Any = BaseRequest.DEFAULT_NONE,
                         pool_timeout: Any = BaseRequest.DEFAULT_NONE) -> tuple[int, bytes]:
        api_method = url.rsplit("/", 1)[-1]   # the URL holds the token: never log it
        for attempt in range(self._retries + 1):
            last = attempt == self._retries
            try:
                code, payload = await super().do_request(
                    url, method, request_data, read_timeout=read_timeout, write_timeout=write_timeout,
                    connect_timeout=connect_timeout, pool_timeout=pool_timeout)
            except NetworkError as exc:
                if last or not safe_to_retry(api_method, exc):
                    if isinstance(exc, TimedOut):
                        _LOGGER.warning("%s timed out; not repeated, it may have been carried out", api_method)
                    raise
                reason = f"{exc.__class__.__name__}: {exc}"
            else:
                if last or code not in RETRY_STATUSES:
                    return code, payload
                reason = f"HTTP {code}"
            delay = self._backoff * 2 ** attempt
            _LOGGER.warning("%s failed (%s); retry %d of %d in %.1fs", api_method, reason, attempt + 1,
                            self._retries, delay)
            await asyncio.sleep(delay)
        raise AssertionError("unreachable")


class PerChatOrder(BaseUpdateProcessor):
    """Handles up to N updates at once, but the updates of one chat one after another, in order."""

    def __init__(self, max_concurrent_updates: int) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._users: defaultdict[int, int] = defaultdict(int)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None:
            await coroutine
            return
        # asyncio.Lock wakes waiters first come, first served: updates keep their arrival order.
        lock = self._locks.setdefault(chat.id, asyncio.Lock())
        self._users[chat.id] += 1
        try:
            async with lock:
                await coroutine
        finally:
            self._users[chat.id] -= 1
            if not self._users[chat.id]:
                del self._users[chat.id], self._locks[chat.id]

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to free."""


class RateLimit:
    """Sliding one-minute window of questions per user; 0 = no limit."""

    OK, WARN, DROP = "ok", "warn", "drop"

    def __init__(self, per_minute: int, window: float = 60.0) -> None:
        self.per_minute = per_minute
        self.window = window
        self._times: dict[int, deque[float]] = {}
        self._warned: set[int] = set()
        self._swept = float("-inf")

    @property
    def remembered(self) -> int:
        """Returns how many users the limiter keeps times for."""
        return len(self._times)

    def check(self, user_id: int, now: float | None = None) -> str:
        """Returns OK (go on), WARN (refuse and say so) or DROP (refuse silently: already said)."""
        if self.per_minute <= 0:
            return self.OK
        now = time.monotonic() if now is None else now
        if now - self._swept >= self.window:
            self._forget_idle(now)
        times = self._times.setdefault(user_id, deque())
        while times and times[0] <= now - self.window:
            times.popleft()
        if len(times) < self.per_minute:
            times.append(now)
            self._warned.discard(user_id)
            return self.OK
        if user_id in self._warned:
            return self.DROP
        self._warned.add(user_id)
        return self.WARN

    def _forget_idle(self, now: float) -> None:
        """Drops users with no question in the window: memory follows the active users, not all ever seen."""
        self._swept = now
        for user in [u for u, times in self._times.items() if not times or times[-1] <= now - self.window]:
            del self._times[user]
            self._warned.discard(user)
