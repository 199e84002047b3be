"""qabot on Telegram: PTB handlers that ask the engine and send its answer as HTML pages.

Nothing here computes an answer: every text goes to `Engine.ask` (off the event loop) and the
`Answer` is rendered by `bot.render`. What this module adds is Telegram's side of things: who may
ask, how often, in which chats, paging by inline buttons, inline mode, retries and shutdown.

Delivery policy (see docs/telegram.md): 429 answers are retried by PTB's AIORateLimiter after
`retry_after`; other failures are retried by `RetryingRequest` only when the request cannot have
been carried out — the connection was never made, the server dropped it without answering, or a
gateway answered 5xx. A read timeout on a send is not retried: the message may have been delivered,
and a reply sent twice is worse than a log line about one that may be missing.
"""
from __future__ import annotations

import asyncio
import dataclasses
import gc
import logging
import os
import re
import secrets
import signal
import sys
from collections.abc import Sequence
from urllib.parse import urlsplit

from telegram import (
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Message,
    MessageEntity,
    ReplyParameters,
    Update,
)
from telegram.constants import ChatType, ParseMode
from telegram.error import BadRequest, InvalidToken, TelegramError, TimedOut
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    InlineQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.indexing import build_engine
from bot.render import render_html_pages
from bot.telegram_delivery import PerChatOrder, RateLimit, RedactToken, RetryingRequest, quiet_token_loggers
from bot.settings import Settings
from retrieval import Answer, Engine

_LOGGER = logging.getLogger(__name__)

TOKEN_ENV = "TELEGRAM_BOT_TOKEN"
BASE_URL_ENV = "TELEGRAM_BASE_URL"
DEFAULT_BASE_URL = "https://api.telegram.org/bot"
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
ALLOWED_UPDATES = ["message", "callback_query", "inline_query"]

# The menu shown by Telegram clients; every name is a command the engine answers.
COMMANDS = (
    ("start", "开始：能问什么、怎么问"),
    ("help", "帮助：用法与示例"),
    ("speaker", "发言人列表；/speaker 名字 看某人的全部发言"),
    ("section", "各部分及发言人；/section 2 看某一部分"),
    ("doc", "文章列表；/doc 3 看某篇文章"),
)

PAGE_DATA = re.compile(r"p:(\d{1,4})")
PREVIOUS, NEXT = "◀ 上一页", "下一页 ▶"
MAX_INLINE_RESULTS = 50

SLOW_DOWN = "问得太快啦，请休息一下，一分钟后再问。"
NOT_ALLOWED = "抱歉，这个机器人只对授权的用户和群组开放。"
APOLOGY = "抱歉，处理这条消息时出了点问题，请稍后再试。"
STALE_PAGE = "这条回答已过期，请重新提问。"
BAD_BUTTON = "这个按钮无效，请重新提问。"

# Loggers that would print the token: httpx/httpcore log every URL, PTB's bots log their base URL.

# ---------------------------------------------------------------- the application


@dataclasses.dataclass
class BotState:
    """What every handler shares, kept in `context.bot_data["qabot"]`."""

    engine: Engine
    allowed_users: frozenset[int]
    allowed_chats: frozenset[int]
    limits: RateLimit
    blocks_per_page: int


def build_application(settings: Settings, engine: Engine, token: str, *,
                      read_timeout: float = 10.0, retry_backoff: float = 0.5) -> Application:
    """Returns the configured PTB Application for `token`, not yet started."""
    quiet_token_loggers()
    tg = settings.telegram
    base_url = os.environ.get(BASE_URL_ENV) or tg.base_url or DEFAULT_BASE_URL
    request = RetryingRequest(retries=tg.send_retries, backoff=retry_backoff,
                              connection_pool_size=max(16, 2 * tg.concurrent_updates),
                              read_timeout=read_timeout, write_timeout=read_timeout,
                              connect_timeout=5.0, pool_timeout=5.0)
    # getUpdates may always be repeated: the offset makes it idempotent.
    polling = RetryingRequest(retries=tg.send_retries, backoff=retry_backoff, connection_pool_size=1,
                              read_timeout=5.0, connect_timeout=5.0, pool_timeout=1.0)
    application = (
        ApplicationBuilder()
        .token(token)
        .base_url(base_url)
        .base_file_url(file_url_for(base_url))
        .request(request)
        .get_updates_request(polling)
        .rate_limiter(AIORateLimiter(max_retries=tg.send_retries))
        .concurrent_updates(PerChatOrder(max(1, tg.concurrent_updates)))
        .post_init(post_init)
        .build()
    )
    application.bot_data["qabot"] = BotState(
        engine=engine,
        allowed_users=frozenset(tg.allowed_user_ids),
        allowed_chats=frozenset(tg.allowed_chat_ids),
        limits=RateLimit(tg.rate_limit_per_minute),
        blocks_per_page=tg.passages_per_page,
    )
    only_new = filters.UpdateType.MESSAGE  # edits are not questions asked again
    application.add_handler(TypeHandler(Update, gate), group=-1)
    for name, _ in COMMANDS:
        application.add_handler(CommandHandler(name, on_command, filters=only_new))
    application.add_handler(MessageHandler(filters.COMMAND & only_new, on_other_command))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND & only_new, on_text))
    application.add_handler(CallbackQueryHandler(on_page))
    application.add_handler(InlineQueryHandler(on_inline))
    application.add_error_handler(on_error)
    return application


async def post_init(application: Application) -> None:
    """Registers the command menu; a failure is logged, the bot still starts."""
    try:
        await application.bot.set_my_commands([BotCommand(n, d) for n, d in COMMANDS])
    except TelegramError as exc:
        _LOGGER.warning("could not register the command menu: %s", exc)


def file_url_for(base_url: str) -> str:
    """Returns the file URL that goes with a Bot API base URL (…/bot → …/file/bot)."""
    head, sep, tail = base_url.rpartition("/bot")
    return f"{head}/file/bot{tail}" if sep else base_url.rstrip("/") + "/file/bot"


# ---------------------------------------------------------------- running


def run(settings: Settings, *, webhook_url: str | None = None, listen: str = "0.0.0.0", port: int = 8443,
        secret_token: str | None = None, corpus_override: Sequence[str] | None = None) -> int:
    """Serves the bot until SIGINT/SIGTERM; returns the process exit status."""
    token = os.environ.get(TOKEN_ENV, "").strip()
    if not token:
        print(f"qabot telegram: the environment variable {TOKEN_ENV} is not set. Create a bot with "
              f"@BotFather and run: export {TOKEN_ENV}=<token>", file=sys.stderr)
        return 2
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    redact = RedactToken(token)
    for handler in logging.getLogger().handlers:
        handler.addFilter(redact)
    engine = build_engine(settings, corpus_override,
                          on_problem=lambda p: _LOGGER.warning("corpus file %r: %s", p.source, p.reason))
    engine.preload()   # ~0.2 s now rather than inside the first answers
    gc.freeze()   # the engine lives as long as the bot: collections need not walk its records
    application = build_application(settings, engine, token)
    try:
        if webhook_url:
            if not secret_token:
                # Telegram then signs every update with it; only this process knows it.
                secret_token = secrets.token_urlsafe(32)
                _LOGGER.info("no webhook secret token given: using a random one for this run")
            _LOGGER.info("serving the webhook on %s:%d", listen, port)
            application.run_webhook(listen=listen, port=port, url_path=urlsplit(webhook_url).path.lstrip("/"),
                                    webhook_url=webhook_url, secret_token=secret_token,
                                    allowed_updates=ALLOWED_UPDATES, bootstrap_retries=3,
                                    stop_signals=STOP_SIGNALS)
        else:
            _LOGGER.info("polling for updates")
            application.run_polling(allowed_updates=ALLOWED_UPDATES, bootstrap_retries=3,
                                    stop_signals=STOP_SIGNALS)
    except InvalidToken:
        print(f"qabot telegram: the Bot API refused the token in {TOKEN_ENV}; check it with @BotFather.",
              file=sys.stderr)
        return 2
    except TelegramError as exc:
        print(f"qabot telegram: cannot reach the Bot API ({exc.__class__.__name__}: {redact.redact(str(exc))})",
              file=sys.stderr)
        return 1
    _LOGGER.info("stopped")
    return 0


def is_allowed(state: BotState, user_id: int | None, chat_id: int | None) -> bool:
    """Returns whether the allowlist admits this user or chat (both lists empty = everyone)."""
    if not state.allowed_users and not state.allowed_chats:
        return True
    return user_id in state.allowed_users or chat_id in state.allowed_chats


async def gate(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stops updates from users and chats outside the allowlist before any handler sees them."""
    state: BotState = context.bot_data["qabot"]
    user, chat = update.effective_user, update.effective_chat
    if is_allowed(state, user.id if user else None, chat.id if chat else None):
        return
    _LOGGER.info("refused an update from user %s in chat %s", user.id if user else "-", chat.id if chat else "-")
    if update.callback_query:
        await update.callback_query.answer(NOT_ALLOWED)
    elif update.message and chat and chat.type == ChatType.PRIVATE and user:
        if state.limits.check(user.id) == RateLimit.OK:
            await update.message.reply_text(NOT_ALLOWED, do_quote=True)
    raise ApplicationHandlerStop


# ---------------------------------------------------------------- messages


def engine_text(text: str, username: str) -> str:
    """Returns the text the engine should read: `/cmd@bot args` → `/cmd args`, `@bot` mentions removed."""
    name = rf"@{re.escape(username)}(?![A-Za-z0-9_])"
    text = re.sub(rf"^(/\w+){name}", r"\1", text.strip(), flags=re.IGNORECASE)
    return re.sub(name, " ", text, flags=re.IGNORECASE).strip()


def addressed_to_bot(message: Message, bot_id: int, username: str) -> bool:
    """Returns whether a group message mentions the bot or replies to one of its messages."""
    reply = message.reply_to_message
    if reply and reply.from_user and reply.from_user.id == bot_id:
        return True
    for entity, text in message.parse_entities([MessageEntity.MENTION, MessageEntity.TEXT_MENTION]).items():
        if entity.type == MessageEntity.TEXT_MENTION and entity.user and entity.user.id == bot_id:
            return True
        if text.lower() == f"@{username.lower()}":
            return True
    return False


def page_keyboard(page: int, total: int) -> InlineKeyboardMarkup | None:
    """Returns the ◀ n/N ▶ buttons under page `page` of `total`, or None for a single page."""
    if total <= 1:
        return None
    row = []
    if page > 0:
        row.append(InlineKeyboardButton(PREVIOUS, callback_data=f"p:{page - 1}"))
    row.append(InlineKeyboardButton(f"{page + 1}/{total}", callback_data=f"p:{page}"))
    if page < total - 1:
        row.append(InlineKeyboardButton(NEXT, callback_data=f"p:{page + 1}"))
    return InlineKeyboardMarkup([row])


async def ask(state: BotState, text: str) -> list[str]:
    """Returns the engine's answer to `text` as Telegram HTML pages, computed off the event loop."""
    answer: Answer = await asyncio.to_thread(state.engine.ask, text)
    return render_html_pages(answer, blocks_per_page=state.blocks_per_page)


async def answer_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Replies to the message with the first page of its answer, quoting it so paging can re-ask."""
    state: BotState = context.bot_data["qabot"]
    message = update.effective_message
    user = update.effective_user
    verdict = state.limits.check(user.id) if user else RateLimit.OK
    quote = ReplyParameters(message_id=message.message_id, allow_sending_without_reply=True)
    if verdict == RateLimit.WARN:
        await message.reply_text(SLOW_DOWN, reply_parameters=quote)
    if verdict != RateLimit.OK:
        return
    pages = await ask(state, engine_text(message.text or "", context.bot.username))
    await message.reply_html(pages[0], reply_parameters=quote, reply_markup=page_keyboard(0, len(pages)))


async def on_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answers /start, /help, /speaker, /section and /doc (also as /cmd@bot in groups)."""
    await answer_message(update, context)


async def on_other_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Lets the engine explain an unknown command, in groups only when it names this bot."""
    message = update.effective_message
    command = (message.text or "").split(maxsplit=1)[0]
    if message.chat.type != ChatType.PRIVATE and "@" not in command:
        return   # /cmd without @name in a group may be meant for another bot
    if "@" in command and command.split("@", 1)[1].lower() != context.bot.username.lower():
        return
    await answer_message(update, context)


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answers a question: any text in a private chat, in groups only when addressed to the bot."""
    message = update.effective_message
    if message.chat.type != ChatType.PRIVATE and not addressed_to_bot(message, context.bot.id, context.bot.username):
        return
    await answer_message(update, context)


# ---------------------------------------------------------------- paging


async def on_page(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Shows another page of an answer, re-derived from the question the answer replies to."""
    state: BotState = context.bot_data["qabot"]
    query = update.callback_query
    match = PAGE_DATA.fullmatch(query.data or "")
    message = query.message if isinstance(query.message, Message) else None
    question = message.reply_to_message if message else None
    if not match:
        await query.answer(BAD_BUTTON)
        return
    if question is None or not question.text:
        await query.answer(STALE_PAGE)
        return
    if state.limits.check(query.from_user.id) != RateLimit.OK:
        await query.answer(SLOW_DOWN)
        return
    page = int(match.group(1))
    pages = await ask(state, engine_text(question.text, context.bot.username))
    if page >= len(pages):
        await query.answer(STALE_PAGE)
        return
    try:
        await query.edit_message_text(pages[page], parse_mode=ParseMode.HTML,
                                      reply_markup=page_keyboard(page, len(pages)))
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            raise   # the page is already shown (a double press): nothing to change
    await query.answer()


# ---------------------------------------------------------------- inline mode


def inline_results(answer: Answer, blocks_per_page: int = 1) -> list[InlineQueryResultArticle]:
    """Returns the answer's passages (best first, at most 50) as inline articles in HTML."""
    passages = list(answer.passages)
    for hit in answer.speakers:
        passages.extend(hit.passages)
    seen: set[tuple[int, int]] = set()
    results = []
    for passage in passages:
        key = (passage.citation.doc, passage.citation.position)
        if key in seen:
            continue
        seen.add(key)
        single = Answer(kind="passages", query=answer.query, terms=answer.terms, passages=(passage,))
        excerpt = "".join(f.text for f in passage.excerpt) or passage.text
        results.append(InlineQueryResultArticle(
            id=f"{key[0]}:{key[1]}",
            title=passage.speaker or passage.citation.title,
            description=excerpt[:120],
            input_message_content=InputTextMessageContent(render_html_pages(single)[0], parse_mode=ParseMode.HTML),
        ))
        if len(results) == MAX_INLINE_RESULTS:
            break
    return results


async def on_inline(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Offers the top passages for `@bot words` in any chat."""
    state: BotState = context.bot_data["qabot"]
    query = update.inline_query
    text = query.query.strip()
    if not text or state.limits.check(query.from_user.id) != RateLimit.OK:
        await query.answer([], cache_time=0)
        return
    answer: Answer = await asyncio.to_thread(state.engine.ask, text)
    await query.answer(inline_results(answer), cache_time=60)


# ---------------------------------------------------------------- errors


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Logs a failed update with its trace and sends the user a short apology."""
    update_id = update.update_id if isinstance(update, Update) else None
    if isinstance(context.error, TimedOut):
        # Telegram may well have carried the call out: an apology could follow a good answer.
        _LOGGER.warning("update %s: a Bot API call timed out (%s)", update_id, context.error)
        return
    _LOGGER.error("update %s failed", update_id, exc_info=context.error)
    if not isinstance(update, Update):
        return
    try:
        if update.callback_query:
            await update.callback_query.answer(APOLOGY)
        elif update.effective_message and update.effective_message.text:
            await update.effective_message.reply_text(APOLOGY)
    except TelegramError as exc:
        _LOGGER.warning("could not send the apology for update %s: %s", update_id, exc)
