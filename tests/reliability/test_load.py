"""Load through the stub Bot API: 1,000 updates from 200 users in bursts, every one answered once, in order.

The bot runs with the default `telegram.concurrent_updates` (8 updates at once, one chat's updates one
after another). Peak memory and throughput are printed, never asserted: they depend on the machine.

In production AIORateLimiter holds sending to Telegram's limits, 30 messages a second overall and 20 a
minute per group; here the overall limit is lifted so that the figure is the bot's own pace, and each
group gets 10 messages, under its limit.
"""
from __future__ import annotations

import asyncio
import functools
import resource
import time
from collections import Counter, defaultdict
from pathlib import Path

import pytest

import bot.telegram_app
from bot.telegram_app import APOLOGY, SLOW_DOWN
from bot.telegram_delivery import RateLimit
from tests.bot.stub_bot_api import StubBotAPI

USERS = 200
UPDATES = 1000
BURST = 100
GROUPS = 10
QUESTIONS = ["谁谈到了腐败？", "谁谈到了群众？", "纪委书记说了什么？", "/speaker", "/section 2", "/speaker 刘丰富",
             "农民增收", "陈建国关于作风建设讲了什么？", "/doc", "/help", "谁谈到了国防？", "/section 999"]


def rss_mib() -> float:
    """The process' resident memory now (Linux), else its peak so far."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def sample_peak(peak: list[float]) -> None:
    """Keeps the highest resident memory seen in `peak[0]` until cancelled (tracemalloc would slow the bot 4x)."""
    while True:
        peak[0] = max(peak[0], rss_mib())
        await asyncio.sleep(0.05)


@pytest.mark.parametrize("engine_from", ["built", "cache"])
async def test_1000_updates_from_200_users_each_answered_once_in_order(stub: StubBotAPI, running, capsys,
                                                                        monkeypatch, request, engine_from) -> None:
    """Also with an engine fresh from the index cache, as after a restart (its dictionary still partial)."""
    monkeypatch.setattr(bot.telegram_app, "AIORateLimiter",
                        functools.partial(bot.telegram_app.AIORateLimiter, overall_max_rate=0))
    users = [stub.user(50_000 + i, f"用户{i}") for i in range(USERS)]
    groups = [stub.group_chat(-100_500 - g, f"学习小组{g}") for g in range(GROUPS)]
    asked: list[dict] = []
    engine = request.getfixturevalue("cache_loaded_seed_engine") if engine_from == "cache" else None
    async with running(engine=engine) as application:
        if engine is None:
            application.bot_data["qabot"].engine.ask("谁谈到了腐败？")   # warm, before measuring
        before = rss_mib()
        peak = [before]
        sampler = asyncio.create_task(sample_peak(peak))
        started = time.perf_counter()
        for burst in range(UPDATES // BURST):
            for j in range(BURST):
                n = burst * BURST + j
                user, question = users[n % USERS], QUESTIONS[n % len(QUESTIONS)]
                if n % 10 == 9:     # a tenth of them in groups, addressed to the bot
                    asked.append(stub.send_text(f"@{stub.username} {question}", user, groups[n // 10 % GROUPS]))
                else:
                    asked.append(stub.send_text(question, user))
            await asyncio.sleep(0.05)   # the next burst comes while this one is being answered
        sent = await stub.until("sendMessage", UPDATES, timeout=120)
        elapsed = time.perf_counter() - started
        sampler.cancel()
        await stub.drained()
        await asyncio.sleep(0.5)     # time for a stray second reply to show up
        processor = application.update_processor
        state = application.bot_data["qabot"]
    sent = stub.sent("sendMessage")
    quoted = Counter(c.params["reply_parameters"]["message_id"] for c in sent)
    assert len(sent) == UPDATES
    assert set(quoted) == {m["message_id"] for m in asked} and set(quoted.values()) == {1}
    chat_of = {m["message_id"]: m["chat"]["id"] for m in asked}
    assert all(c.params["chat_id"] == chat_of[c.params["reply_parameters"]["message_id"]] for c in sent)
    replies_by_chat: defaultdict[int, list[int]] = defaultdict(list)
    for call in sent:
        replies_by_chat[call.params["chat_id"]].append(call.params["reply_parameters"]["message_id"])
    asked_by_chat: defaultdict[int, list[int]] = defaultdict(list)
    for message in asked:
        asked_by_chat[message["chat"]["id"]].append(message["message_id"])
    assert replies_by_chat == asked_by_chat                      # in order in every chat
    assert not {APOLOGY, SLOW_DOWN} & {c.params["text"] for c in sent}
    assert processor._locks == {}                                # no per-chat state left behind
    assert state.limits.remembered == USERS
    with capsys.disabled():
        print(f"\n[reliability] load ({engine_from} engine): {UPDATES} updates from {USERS} users "
              f"({len(asked_by_chat)} chats) in "
              f"{UPDATES // BURST} bursts: {elapsed:.1f}s, {UPDATES / elapsed:.0f} updates/s (bot and stub on one "
              f"process), {len(sent)} replies, 0 lost, 0 twice; resident memory {before:.0f} MiB before, "
              f"peak {peak[0]:.0f} MiB (+{peak[0] - before:.0f})")


def test_rate_limiter_forgets_idle_users() -> None:
    # A public bot meets new users forever: the limiter must not keep every one of them.
    limits = RateLimit(20)
    for user in range(10_000):
        assert limits.check(user, now=0.0) == RateLimit.OK
    assert limits.remembered == 10_000
    assert limits.check(10_000, now=61.0) == RateLimit.OK
    assert limits.remembered == 1
    for _ in range(21):
        limits.check(7, now=62.0)
    assert limits.check(7, now=62.5) == RateLimit.DROP            # a sweep does not forget a busy user
    assert limits.check(8, now=123.0) == RateLimit.OK and limits.remembered == 1
