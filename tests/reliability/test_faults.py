"""Faults the stub Bot API injects, beyond those tests/bot/test_telegram_app.py already covers.

Covered there: 429 and 502 on sendMessage, one 502 on getUpdates, a dropped sendMessage, 503 on an
edit, 429 on a callback answer, a slow send not repeated. Here: malformed JSON, dropped connections,
503 and 429 on getUpdates, a poll slower than its timeout, faults on inline answers, and waves of mixed
faults while messages, page presses and inline queries keep coming. The bot keeps polling, repeats
what is safe to repeat, loses no reply and sends none twice.
"""
from __future__ import annotations

import asyncio
import logging
from collections import Counter

from bot.telegram_app import APOLOGY
from tests.bot.stub_bot_api import StubBotAPI
from tests.bot.test_telegram_app import replies, reply_to, settle

QUESTIONS = ["谁谈到了腐败？", "/speaker 刘丰富", "谁谈到了群众？", "/section 2", "纪委书记说了什么？"]

# Waves of faults, each then met by new messages, presses and inline queries. No wave holds more than
# three network faults for one method: four in a row would use up a send's retries (send_retries: 3).
WAVES = [
    {"getUpdates": ["malformed"], "sendMessage": ["502", "503", "drop"]},
    {"getUpdates": ["drop", "503"], "sendMessage": ["429", "429", "slow"]},
    {"getUpdates": ["429"], "sendMessage": ["drop", "drop", "502"], "editMessageText": ["502", "drop"],
     "answerCallbackQuery": ["503", "429"]},
    {"getUpdates": ["502", "malformed"], "answerInlineQuery": ["502", "drop"], "sendMessage": ["503", "429"],
     "editMessageText": ["429", "slow"]},
]


def inject(stub: StubBotAPI, wave: dict[str, list[str]]) -> None:
    for method, kinds in wave.items():
        for kind in kinds:
            stub.fail(method, kind=kind, retry_after=1, delay=1.0)


async def test_waves_of_faults_lose_no_reply_and_send_none_twice(stub: StubBotAPI, running, caplog, capsys) -> None:
    users = [stub.user(7000 + i, f"用户{i}") for i in range(5)]
    asked, presses, inline = [], 0, []
    async with running(read_timeout=0.5, passages_per_page=1):
        for number, wave in enumerate(WAVES):
            inject(stub, wave)
            batch = [stub.send_text(QUESTIONS[(number + i) % len(QUESTIONS)], user) for i, user in enumerate(users)]
            for message in batch:
                await reply_to(stub, message, timeout=30)
            asked += batch
            if number >= 2:   # page through the answers of this wave, and ask inline
                for message in batch[:2]:
                    sent = replies(stub, message)[0]
                    if sent.params.get("reply_markup"):
                        stub.press(sent.result, "p:1", users[0])
                        presses += 1
                inline.append(stub.inline("腐败", users[1]))
                await stub.until("editMessageText", presses, timeout=30)
                await stub.until("answerCallbackQuery", presses, timeout=30)
                await stub.until("answerInlineQuery", len(inline), timeout=30)
        await settle(stub, 1.5)    # a late or repeated reply would show up now
        late = stub.send_text("谁谈到了腐败？", users[0])     # still polling after all of it
        await reply_to(stub, late)
        await settle(stub)
    asked.append(late)
    assert Counter(len(replies(stub, m)) for m in asked) == {1: len(asked)}
    assert len(stub.sent("sendMessage")) == len(asked)
    assert APOLOGY not in {c.params["text"] for c in stub.sent("sendMessage")}
    assert len(stub.sent("editMessageText")) == len(stub.sent("answerCallbackQuery")) == presses > 0
    assert {c.params["inline_query_id"] for c in stub.sent("answerInlineQuery")} == set(inline)
    injected = Counter(kind for wave in WAVES for kinds in wave.values() for kind in kinds if kind != "slow")
    assert Counter(c.fault for c in stub.calls if c.fault) == injected      # every fault was met
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR and r.name == "bot.telegram_app"]
    slow = sum(kinds.count("slow") for wave in WAVES for kinds in wave.values())
    with capsys.disabled():
        print(f"\n[reliability] faults: {sum(injected.values())} injected faults and {slow} slow answers survived "
              f"({dict(injected)}); {len(asked)} messages, {presses} page presses, {len(inline)} inline "
              f"queries: 0 replies lost, 0 sent twice")


async def test_a_poll_slower_than_its_timeout_is_repeated_and_nothing_is_lost(stub: StubBotAPI, running) -> None:
    # getUpdates waits timeout (1 s) + read timeout (5 s); this answer comes after 8 s, to a closed connection.
    alice = stub.user(7100, "Alice")
    async with running():
        await asyncio.sleep(0.2)
        stub.fail("getUpdates", kind="slow", delay=8.0)
        await asyncio.sleep(1.2)   # the current long poll ends; the next one is the slow one
        question = stub.send_text("谁谈到了腐败？", alice)
        await reply_to(stub, question, timeout=20)
        second = stub.send_text("/speaker", alice)
        await reply_to(stub, second)
        await settle(stub)
    assert len(replies(stub, question)) == len(replies(stub, second)) == 1
    assert len(stub.sent("sendMessage")) == 2


async def test_a_malformed_answer_to_a_send_is_not_repeated(stub: StubBotAPI, running) -> None:
    # The message may have gone out: the user gets an apology, never the answer twice.
    alice = stub.user(7200, "Alice")
    stub.fail("sendMessage", kind="malformed")
    async with running():
        question = stub.send_text("谁谈到了腐败？", alice)
        (apology,) = await stub.until("sendMessage")
        await settle(stub)
        again = stub.send_text("谁谈到了腐败？", alice)
        await reply_to(stub, again)
    assert [c.fault for c in stub.calls if c.method == "sendMessage"] == ["malformed", None, None]
    assert apology.params["text"] == APOLOGY and replies(stub, question) == []
    assert "<b>刘丰富</b>" in replies(stub, again)[0].params["text"]
