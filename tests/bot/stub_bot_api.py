"""A stub Telegram Bot API on 127.0.0.1 that PTB reaches through `base_url`.

It answers the methods qabot uses, keeps the chat history it needs to build realistic updates
(replies, callback queries on its own messages), records every call, and can inject faults into the
next calls of a method. Only the standard library: one `ThreadingHTTPServer` in a daemon thread.

Telegram semantics kept on purpose:
- `getUpdates(offset=o)` forgets every update below `o` and long-polls up to `timeout` seconds;
- `sendMessage`/`editMessageText` with `parse_mode=HTML` reject bad markup ("can't parse entities")
  and texts over 4096 characters, editing to the same content is "message is not modified";
- PTB posts form data whose values are JSON encoded, except plain strings.
"""
from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

MAX_TEXT = 4096
MAX_CALLBACK_TEXT = 200
MAX_INLINE_RESULTS = 50

# Tags Telegram's HTML parse mode accepts (https://core.telegram.org/bots/api#html-style).
ALLOWED_TAGS = {
    "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre",
    "blockquote", "tg-spoiler", "span", "tg-emoji",
}
# Parameters PTB sends as raw strings; every other value is JSON.
STRING_PARAMS = {
    "text", "query", "callback_query_id", "inline_query_id", "parse_mode", "url", "secret_token",
    "caption", "description", "short_description", "name", "next_offset", "language_code",
}


class HTMLCheckError(ValueError):
    """The text is not valid Telegram HTML."""


class _TelegramHTML(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.plain: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            raise HTMLCheckError(f"unsupported start tag <{tag}>")
        if tag == "span" and dict(attrs).get("class") != "tg-spoiler":
            raise HTMLCheckError("<span> needs class=tg-spoiler")
        self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raise HTMLCheckError(f"self-closing tag <{tag}/>")

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            raise HTMLCheckError(f"unexpected end tag </{tag}>")
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.plain.append(data)

    def unknown_decl(self, data: str) -> None:
        raise HTMLCheckError(f"unsupported declaration {data!r}")

    def handle_comment(self, data: str) -> None:
        raise HTMLCheckError("comments are not allowed")


_BARE_AMP = re.compile(r"&(?!#\d+;|#x[0-9a-fA-F]+;|[a-zA-Z]+;)")


def check_telegram_html(text: str) -> str:
    """Returns the plain text of Telegram HTML; raises HTMLCheckError where Telegram would refuse."""
    if _BARE_AMP.search(text):
        raise HTMLCheckError("unescaped '&'")
    if re.search(r"<(?![a-zA-Z/])", text):
        raise HTMLCheckError("unescaped '<'")
    parser = _TelegramHTML()
    parser.feed(text)
    parser.close()
    if parser.stack:
        raise HTMLCheckError(f"unclosed tags {parser.stack}")
    if parser.rawdata:
        raise HTMLCheckError(f"unparsed rest {parser.rawdata[:20]!r}")
    return "".join(parser.plain)


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def entities_for(text: str) -> list[dict[str, Any]]:
    """Returns the entities Telegram would attach to a user's text: a leading command, mentions."""
    found = []
    command = re.match(r"/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?", text)
    if command:
        found.append({"type": "bot_command", "offset": 0, "length": utf16_len(command.group())})
    for match in re.finditer(r"(?<![A-Za-z0-9_])@[A-Za-z0-9_]{5,32}", text):
        if command and match.start() < command.end():
            continue
        found.append(
            {"type": "mention", "offset": utf16_len(text[: match.start()]),
             "length": utf16_len(match.group())}
        )
    return found


@dataclass
class Call:
    """One request the stub received: method, decoded parameters, and the fault it got, if any."""

    method: str
    params: dict[str, Any]
    at: float
    fault: str | None = None
    status: int = 200
    result: Any = None       # what the stub answered, e.g. the message it stored for sendMessage

    @property
    def ok(self) -> bool:
        return self.fault is None and self.status == 200


@dataclass
class Fault:
    kind: str                 # "429", "502", "503", "400", "slow", "drop", "malformed"
    retry_after: int = 1
    delay: float = 0.0


@dataclass
class _State:
    updates: list[dict[str, Any]] = field(default_factory=list)
    calls: list[Call] = field(default_factory=list)
    faults: dict[str, list[Fault]] = field(default_factory=dict)
    messages: dict[tuple[int, int], dict[str, Any]] = field(default_factory=dict)
    commands: list[dict[str, Any]] = field(default_factory=list)
    webhook: str = ""
    next_update_id: int = 1000
    next_message_id: int = 1
    next_query_id: int = 1


class StubBotAPI:
    """The stub server. Use as a context manager or call start()/stop()."""

    def __init__(self, token: str = "123456:TEST-token-abcdefghijklmnopqrstuvwx",
                 username: str = "qabot_test_bot", bot_id: int = 123456) -> None:
        self.token = token
        self.bot = {"id": bot_id, "is_bot": True, "first_name": "qabot", "username": username,
                    "can_join_groups": True, "can_read_all_group_messages": False,
                    "supports_inline_queries": True}
        self.username = username
        self._state = _State()
        self._cond = threading.Condition()
        self._stopping = False
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------ lifecycle

    def start(self) -> StubBotAPI:
        stub = self

        class Handler(_Handler):
            api = stub

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        if self._server:
            self._server.shutdown()
            self._server.server_close()

    def __enter__(self) -> StubBotAPI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._server is not None
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    # ------------------------------------------------------------ scripting updates

    def user(self, user_id: int, first_name: str = "用户") -> dict[str, Any]:
        return {"id": user_id, "is_bot": False, "first_name": first_name}

    def private_chat(self, user: dict[str, Any]) -> dict[str, Any]:
        return {"id": user["id"], "type": "private", "first_name": user["first_name"]}

    def group_chat(self, chat_id: int = -1001234567890, title: str = "学习小组") -> dict[str, Any]:
        return {"id": chat_id, "type": "supergroup", "title": title}

    def send_text(self, text: str, user: dict[str, Any], chat: dict[str, Any] | None = None,
                  reply_to: dict[str, Any] | None = None) -> dict[str, Any]:
        """Queues a user's message as an update and returns the message."""
        chat = chat or self.private_chat(user)
        with self._cond:
            message = {
                "message_id": self._new_message_id(),
                "date": int(time.time()),
                "chat": chat,
                "from": user,
                "text": text,
            }
            entities = entities_for(text)
            if entities:
                message["entities"] = entities
            if reply_to is not None:
                message["reply_to_message"] = _without_reply(reply_to)
            self._state.messages[(chat["id"], message["message_id"])] = message
            self._push({"message": message})
        return message

    def press(self, message: dict[str, Any], data: str, user: dict[str, Any]) -> str:
        """Queues a press on an inline button of `message` (or any forged data); returns the query id."""
        with self._cond:
            query_id = self._new_query_id()
            stored = self._state.messages.get((message["chat"]["id"], message["message_id"]), message)
            self._push({"callback_query": {
                "id": query_id, "from": user, "chat_instance": "42", "data": data,
                "message": json.loads(json.dumps(stored)),
            }})
        return query_id

    def inline(self, query: str, user: dict[str, Any]) -> str:
        """Queues an inline query `@bot query`; returns its id."""
        with self._cond:
            query_id = self._new_query_id()
            self._push({"inline_query": {"id": query_id, "from": user, "query": query,
                                         "offset": "", "chat_type": "sender"}})
        return query_id

    def push_raw(self, update: dict[str, Any]) -> None:
        """Queues any update body (without update_id)."""
        with self._cond:
            self._push(update)

    def message(self, chat_id: int, message_id: int) -> dict[str, Any]:
        with self._cond:
            return json.loads(json.dumps(self._state.messages[(chat_id, message_id)]))

    def pending_updates(self) -> int:
        with self._cond:
            return len(self._state.updates)

    # ------------------------------------------------------------ faults

    def fail(self, method: str, times: int = 1, kind: str = "502", *, retry_after: int = 1,
             delay: float = 0.0) -> None:
        """Makes the next `times` calls of `method` fail with `kind` before they are processed.

        "slow" is the exception: it sleeps `delay` seconds and then processes the call, as a slow
        Telegram would (so a client that timed out must not send again).
        """
        with self._cond:
            self._state.faults.setdefault(method, []).extend(
                Fault(kind, retry_after, delay) for _ in range(times))

    # ------------------------------------------------------------ inspection

    @property
    def calls(self) -> list[Call]:
        with self._cond:
            return list(self._state.calls)

    def sent(self, method: str | None = None) -> list[Call]:
        """Returns the calls that were processed successfully, of `method` if given."""
        return [c for c in self.calls if c.ok and (method is None or c.method == method)]

    @property
    def commands(self) -> list[dict[str, Any]]:
        with self._cond:
            return list(self._state.commands)

    def wait_for(self, method: str, count: int = 1, timeout: float = 10.0) -> list[Call]:
        """Blocks until `count` successful calls of `method` were recorded; returns them."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                found = [c for c in self._state.calls if c.ok and c.method == method]
                if len(found) >= count:
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"{len(found)} of {count} {method} calls after {timeout}s: "
                                       f"{[c.method for c in self._state.calls]}")
                self._cond.wait(left)

    async def until(self, method: str, count: int = 1, timeout: float = 10.0) -> list[Call]:
        """The same as wait_for, without blocking the event loop the bot runs in."""
        import asyncio

        deadline = time.monotonic() + timeout
        while True:
            found = self.sent(method)
            if len(found) >= count:
                return found
            if time.monotonic() > deadline:
                raise TimeoutError(f"{len(found)} of {count} {method} calls after {timeout}s: "
                                   f"{[c.method for c in self.calls]}")
            await asyncio.sleep(0.01)

    async def drained(self, timeout: float = 10.0) -> None:
        """Waits until the bot has fetched and confirmed every queued update."""
        import asyncio

        deadline = time.monotonic() + timeout
        while self.pending_updates():
            if time.monotonic() > deadline:
                raise TimeoutError(f"{self.pending_updates()} updates never confirmed")
            await asyncio.sleep(0.01)

    # ------------------------------------------------------------ internals (hold self._cond)

    def _push(self, body: dict[str, Any]) -> None:
        self._state.next_update_id += 1
        self._state.updates.append({"update_id": self._state.next_update_id, **body})
        self._cond.notify_all()

    def _new_message_id(self) -> int:
        self._state.next_message_id += 1
        return self._state.next_message_id

    def _new_query_id(self) -> str:
        self._state.next_query_id += 1
        return str(9_000_000 + self._state.next_query_id)

    def _record(self, call: Call) -> None:
        with self._cond:
            self._state.calls.append(call)
            self._cond.notify_all()

    def _take_fault(self, method: str) -> Fault | None:
        with self._cond:
            queue = self._state.faults.get(method)
            return queue.pop(0) if queue else None

    # ------------------------------------------------------------ methods

    def handle(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """Answers one Bot API method; returns (HTTP status, JSON body)."""
        if method == "getUpdates":
            return 200, _ok(self._get_updates(params))
        handler = getattr(self, f"_m_{method}", None)
        if handler is None:
            return 404, _error(404, "Not Found: method not found")
        try:
            with self._cond:
                return 200, _ok(handler(params))
        except _ApiError as err:
            return err.code, _error(err.code, err.description)

    def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        timeout = float(params.get("timeout") or 0)
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                if offset:
                    # Telegram forgets every update below the highest offset asked for.
                    self._state.updates = [u for u in self._state.updates if u["update_id"] >= offset]
                ready = self._state.updates[:limit]
                left = deadline - time.monotonic()
                if ready or left <= 0 or self._stopping:
                    return json.loads(json.dumps(ready))
                self._cond.wait(min(left, 0.5))

    def _m_getMe(self, params: dict[str, Any]) -> dict[str, Any]:
        return self.bot

    def _m_logOut(self, params: dict[str, Any]) -> bool:
        return True

    def _m_close(self, params: dict[str, Any]) -> bool:
        return True

    def _m_deleteWebhook(self, params: dict[str, Any]) -> bool:
        self._state.webhook = ""
        return True

    def _m_setWebhook(self, params: dict[str, Any]) -> bool:
        self._state.webhook = params.get("url", "")
        return True

    def _m_getWebhookInfo(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"url": self._state.webhook, "has_custom_certificate": False,
                "pending_update_count": len(self._state.updates)}

    def _m_setMyCommands(self, params: dict[str, Any]) -> bool:
        commands = params.get("commands") or []
        for command in commands:
            if not re.fullmatch(r"[a-z0-9_]{1,32}", command.get("command", "")):
                raise _ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(command.get("description", "")) <= 256:
                raise _ApiError(400, "Bad Request: command description is invalid")
        self._state.commands = commands
        return True

    def _m_getMyCommands(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        return self._state.commands

    def _m_deleteMyCommands(self, params: dict[str, Any]) -> bool:
        self._state.commands = []
        return True

    def _m_sendChatAction(self, params: dict[str, Any]) -> bool:
        return True

    def _m_sendMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = int(params["chat_id"])
        plain = _checked_text(params)
        chat = self._known_chat(chat_id)
        message: dict[str, Any] = {
            "message_id": self._new_message_id(), "date": int(time.time()), "chat": chat,
            "from": {k: self.bot[k] for k in ("id", "is_bot", "first_name", "username")},
            "text": plain,
        }
        reply = params.get("reply_parameters") or {}
        reply_id = reply.get("message_id") or params.get("reply_to_message_id")
        if reply_id:
            original = self._state.messages.get((chat_id, int(reply_id)))
            if original is not None:
                message["reply_to_message"] = _without_reply(original)
            elif not reply.get("allow_sending_without_reply"):
                raise _ApiError(400, "Bad Request: message to be replied not found")
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        self._state.messages[(chat_id, message["message_id"])] = message
        return message

    def _m_editMessageText(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id, message_id = int(params["chat_id"]), int(params["message_id"])
        plain = _checked_text(params)
        message = self._state.messages.get((chat_id, message_id))
        if message is None or message["from"].get("id") != self.bot["id"]:
            raise _ApiError(400, "Bad Request: message to edit not found")
        markup = params.get("reply_markup")
        if message["text"] == plain and message.get("reply_markup") == markup:
            raise _ApiError(400, "Bad Request: message is not modified: specified new message "
                                 "content and reply markup are exactly the same")
        message["text"] = plain
        message["edit_date"] = int(time.time())
        if markup:
            message["reply_markup"] = markup
        else:
            message.pop("reply_markup", None)
        return message

    def _m_answerCallbackQuery(self, params: dict[str, Any]) -> bool:
        if len(params.get("text") or "") > MAX_CALLBACK_TEXT:
            raise _ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        return True

    def _m_answerInlineQuery(self, params: dict[str, Any]) -> bool:
        results = params.get("results") or []
        if len(results) > MAX_INLINE_RESULTS:
            raise _ApiError(400, "Bad Request: RESULTS_TOO_MUCH")
        ids = [r.get("id", "") for r in results]
        if len(set(ids)) != len(ids) or any(len(i.encode()) > 64 or not i for i in ids):
            raise _ApiError(400, "Bad Request: RESULT_ID_INVALID")
        for result in results:
            content = result.get("input_message_content") or {}
            _checked_text({"text": content.get("message_text", ""),
                           "parse_mode": content.get("parse_mode")})
        return True

    def _known_chat(self, chat_id: int) -> dict[str, Any]:
        for (cid, _), message in self._state.messages.items():
            if cid == chat_id:
                return message["chat"]
        return {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"}


class _ApiError(Exception):
    def __init__(self, code: int, description: str) -> None:
        super().__init__(description)
        self.code = code
        self.description = description


def _ok(result: Any) -> dict[str, Any]:
    return {"ok": True, "result": result}


def _error(code: int, description: str, **parameters: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
    if parameters:
        body["parameters"] = parameters
    return body


def _without_reply(message: dict[str, Any]) -> dict[str, Any]:
    # Telegram nests reply_to_message one level deep only.
    return {k: v for k, v in message.items() if k != "reply_to_message"}


def _checked_text(params: dict[str, Any]) -> str:
    text = params.get("text") or ""
    if not text.strip():
        raise _ApiError(400, "Bad Request: message text is empty")
    if params.get("parse_mode") == "HTML":
        try:
            text = check_telegram_html(text)
        except HTMLCheckError as err:
            raise _ApiError(400, f"Bad Request: can't parse entities: {err}") from err
    if utf16_len(text) > MAX_TEXT:
        raise _ApiError(400, "Bad Request: message is too long")
    return text


def decode_params(body: bytes, content_type: str) -> dict[str, Any]:
    """Returns the parameters PTB posted: form fields whose non-string values are JSON."""
    if not body:
        return {}
    if content_type.startswith("application/json"):
        return json.loads(body)
    fields = parse_qs(body.decode("utf-8"), keep_blank_values=True)
    params: dict[str, Any] = {}
    for key, values in fields.items():
        value = values[-1]
        if key in STRING_PARAMS:
            params[key] = value
        else:
            try:
                params[key] = json.loads(value)
            except ValueError:
                params[key] = value
    return params


class _Handler(BaseHTTPRequestHandler):
    api: StubBotAPI
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        self._serve(b"")

    def do_POST(self) -> None:  # noqa: N802 - stdlib name
        length = int(self.headers.get("Content-Length") or 0)
        self._serve(self.rfile.read(length))

    def _serve(self, body: bytes) -> None:
        api = self.api
        match = re.fullmatch(r"/bot(?P<token>[^/]+)/(?P<method>\w+)", self.path.split("?")[0])
        if not match:
            return self._reply(404, _error(404, "Not Found"))
        if match["token"] != api.token:
            return self._reply(401, _error(401, "Unauthorized"))
        method = match["method"]
        params = decode_params(body, self.headers.get("Content-Type", ""))
        call = Call(method, params, time.monotonic())
        fault = api._take_fault(method)
        if fault and fault.kind == "slow":
            time.sleep(fault.delay)
            call.fault = None
        elif fault:
            call.fault = fault.kind
            api._record(call)
            return self._fail(fault)
        status, answer = api.handle(method, params)
        call.status = status
        call.result = answer.get("result")
        if method != "getUpdates" or answer.get("result"):
            # Empty long polls are not worth recording: they would drown the calls tests look at.
            api._record(call)
        self._reply(status, answer)

    def _fail(self, fault: Fault) -> None:
        if fault.kind == "429":
            self._reply(429, _error(429, f"Too Many Requests: retry after {fault.retry_after}",
                                    retry_after=fault.retry_after))
        elif fault.kind == "502":
            self._send_raw(502, b"<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html")
        elif fault.kind == "503":
            self._send_raw(503, b"<html><body><h1>503 Service Unavailable</h1></body></html>",
                           "text/html")
        elif fault.kind == "400":
            self._reply(400, _error(400, "Bad Request: injected by the test"))
        elif fault.kind == "malformed":
            self._send_raw(200, b'{"ok": true, "result": ', "application/json")
        elif fault.kind == "drop":
            self.close_connection = True
        else:
            raise ValueError(f"unknown fault {fault.kind!r}")

    def _reply(self, status: int, body: dict[str, Any]) -> None:
        self._send_raw(status, json.dumps(body, ensure_ascii=False).encode(), "application/json")

    def _send_raw(self, status: int, payload: bytes, content_type: str) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            # The client gave up (a cancelled long poll, a timeout): nothing to answer.
            self.close_connection = True


__all__ = ["ALLOWED_TAGS", "Call", "HTMLCheckError", "StubBotAPI", "check_telegram_html",
           "decode_params", "entities_for"]
