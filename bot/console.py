"""The local console: the bot's answers in a terminal or a script."""
from __future__ import annotations

import json
import sys
import threading
from pathlib import Path
from typing import TextIO

from retrieval import Engine

from .render import render_plain, to_json
from .settings import Settings

PROMPT = "问> "
QUIT = {"/quit", "/exit", "quit", "exit", "退出"}
BOLD = ("\033[1m", "\033[0m")
MATCH = ("\033[1;33m", "\033[0m")


def format_answer(engine: Engine, question: str, as_json: bool, color: bool = False) -> str:
    """One answer as text: JSON on one line, or the plain text the bot would send."""
    answer = engine.ask(question)
    if as_json:
        return json.dumps(to_json(answer), ensure_ascii=False)
    if color:
        return render_plain(answer, mark=MATCH, bold=BOLD)
    return render_plain(answer)


def ask_one(engine: Engine, question: str, as_json: bool, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    print(format_answer(engine, question, as_json), file=out)
    return 0


def ask_batch(engine: Engine, path: str, as_json: bool, out: TextIO | None = None) -> int:
    """Answer each line of a file (or stdin for '-'), in order; blank lines get an answer too."""
    out = out or sys.stdout
    try:
        source = sys.stdin if path == "-" else open(path, encoding="utf-8", errors="replace")
        if path == "-" and hasattr(source, "reconfigure"):
            source.reconfigure(errors="replace")   # bytes that are not text become U+FFFD, as in a file
    except OSError as exc:
        print(f"qabot ask: cannot read {path}: {exc.strerror}", file=sys.stderr)
        return 2
    with source:
        for n, line in enumerate(source):
            text = line.rstrip("\n")
            if as_json:
                print(format_answer(engine, text, True), file=out, flush=True)
            else:
                print(("\n---\n" if n else "") + format_answer(engine, text, False), file=out, flush=True)
    return 0


def interactive(engine: Engine, settings: Settings, stdin: TextIO | None = None, out: TextIO | None = None) -> int:
    """Read questions until /quit or end of input; line editing and history on a terminal."""
    stdin, out = stdin or sys.stdin, out or sys.stdout
    tty = stdin.isatty() and out.isatty()
    # While a person reads the help and types, not inside their first answer (a script's lines
    # come at once: it would only wait for this).
    preloading = threading.Thread(target=engine.preload, name="preload", daemon=True)
    if tty:
        _enable_history(settings.cache_dir / "history")
        print(render_plain(engine.ask("/help")), file=out)
        print("\n输入 /quit 或按 Ctrl-D 退出。", file=out)
        preloading.start()
    while True:
        try:
            line = input(PROMPT) if tty else stdin.readline()
        except (EOFError, KeyboardInterrupt):
            print(file=out)
            return 0
        if not tty and not line:
            return 0
        text = line.strip()
        if text in QUIT:
            return 0
        if not text:
            continue
        if preloading.is_alive():
            preloading.join()
        print(format_answer(engine, text, as_json=False, color=tty), file=out, flush=True)
        if tty:
            print(file=out)


def _enable_history(path: Path) -> None:
    """Arrow keys and a history kept between sessions, where readline exists."""
    try:
        import atexit
        import readline
    except ImportError:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            readline.read_history_file(path)
    except OSError:
        return
    readline.set_history_length(1000)
    atexit.register(lambda: _save_history(readline, path))


def _save_history(readline, path: Path) -> None:
    try:
        readline.write_history_file(path)
    except OSError:
        pass
