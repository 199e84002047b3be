"""`qabot` command line: console, ask, telegram. Errors become one-line messages and exit codes."""
from __future__ import annotations

import argparse
import atexit
import gc
import logging
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .settings import Settings

# The engine (and numpy with it) is imported after the arguments are read: how the process is set up
# for it depends on the command (`_answer_once`).

log = logging.getLogger("qabot")

EXIT_OK, EXIT_CORPUS, EXIT_USAGE = 0, 1, 2


def _common(sub: bool) -> argparse.ArgumentParser:
    """The options every subcommand takes; a subcommand's own copy must not reset one given before it."""
    default = {"default": argparse.SUPPRESS} if sub else {}
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", metavar="PATH", help="settings file (default: $QABOT_CONFIG or ./config.yaml)",
                        **default)
    common.add_argument("--corpus", metavar="PATH", action="append",
                        help="a corpus file or folder, replacing the configured corpus (repeatable)", **default)
    common.add_argument("--strict", action="store_true", help="fail (exit 1) when any corpus file cannot be used",
                        **default)
    return common


def parser() -> argparse.ArgumentParser:
    common = _common(sub=True)
    top = argparse.ArgumentParser(
        prog="qabot",
        description="Ask who said what in People's Daily transcripts.",
        parents=[_common(sub=False)],
    )
    sub = top.add_subparsers(dest="command", metavar="COMMAND")
    sub.add_parser("console", parents=[common], help="interactive console that answers like the bot")
    ask = sub.add_parser("ask", parents=[common], help="answer one question (or a batch) and exit")
    ask.add_argument("question", nargs="?", help="a question or a /command, e.g. 谁谈到了腐败？")
    ask.add_argument("--json", action="store_true", help="print the answer as JSON")
    ask.add_argument("--batch", metavar="FILE", help="one question per line ('-' = stdin); answers in the same order")
    tg = sub.add_parser("telegram", parents=[common], help="run the Telegram bot (token from TELEGRAM_BOT_TOKEN)")
    tg.add_argument("--webhook", metavar="URL", help="serve a webhook at this public URL instead of long polling")
    tg.add_argument("--listen", default="0.0.0.0", help="webhook listen address (default 0.0.0.0)")
    tg.add_argument("--port", type=int, default=8443, help="webhook listen port (default 8443)")
    tg.add_argument("--secret-token", help="webhook secret token Telegram must send (default: none)")
    sub.add_parser("index", parents=[common], help="build the index cache now and print its figures")
    ev = sub.add_parser("eval", parents=[common], help="score answers against a development set (YAML)")
    ev.add_argument("file", nargs="+", metavar="FILE.yaml", help="questions with expected speakers")
    ev.add_argument("--json", action="store_true", help="print the figures as JSON")
    ev.add_argument("--baseline", action="store_true", help="score plain jieba + rank-bm25 instead of qabot")
    ev.add_argument("--subset", metavar="NAME", help="only the questions marked `corpus: NAME`")
    return top


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if argv is None and _one_question(args):   # this process's own command line (not a caller's list)
        _answer_once()
    from retrieval import ConfigError, CorpusError, QabotError

    from .settings import check_corpus_paths, load_settings

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    for noisy in ("httpx", "httpcore", "jieba"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    if args.command is None:
        parser().print_help()
        return EXIT_USAGE
    try:
        settings = load_settings(args.config)
        if not args.corpus:   # --corpus replaces the configured paths: only these must exist
            check_corpus_paths(settings)
        if args.strict:
            from dataclasses import replace

            settings = replace(settings, corpus=replace(settings.corpus, strict=True))
        return _dispatch(args, settings)
    except BrokenPipeError:
        _quiet_stdout()   # the reader left (`qabot ask … | head`): stop without a traceback
        return EXIT_OK
    except ConfigError as exc:
        print(f"qabot: config error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except CorpusError as exc:
        print(f"qabot: corpus error: {exc}", file=sys.stderr)
        return EXIT_CORPUS
    except QabotError as exc:
        print(f"qabot: {exc}", file=sys.stderr)
        return EXIT_CORPUS


def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    if args.command == "telegram":
        from . import telegram_app

        return telegram_app.run(settings, webhook_url=args.webhook, listen=args.listen, port=args.port,
                                secret_token=args.secret_token, corpus_override=args.corpus)
    if args.command == "index":
        from .indexing import index_command

        return index_command(settings, args.corpus, on_problem=_report_problem)
    if args.command == "ask" and args.question is None and not args.batch:   # "" is a question: it gets an answer
        print("qabot ask: give a QUESTION or --batch FILE", file=sys.stderr)
        return EXIT_USAGE
    from . import console
    from .indexing import build_engine

    engine = build_engine(settings, args.corpus, on_problem=_report_problem)
    # The engine lives until exit: later collections need not walk its records again (at 1M
    # passages one full pass took 1.1 s and landed inside an answer).
    gc.freeze()
    if args.command == "eval":
        return _eval(engine, args)
    if args.command == "ask":
        if args.batch:
            return console.ask_batch(engine, args.batch, as_json=args.json)
        return console.ask_one(engine, args.question, as_json=args.json)
    return console.interactive(engine, settings)


def _one_question(args: argparse.Namespace) -> bool:
    """`qabot ask QUESTION`: a process that answers once and exits."""
    return args.command == "ask" and args.question is not None and not args.batch


def _answer_once() -> None:
    """Set up a process that answers one question and exits, before numpy and the engine are imported."""
    # OpenBLAS starts a worker thread per core when numpy loads it, and the idle worker spins: ~35 ms
    # of CPU at every start, more than one answer's products (split to stay on one thread anyway,
    # retrieval/semantic.py) could win back. A longer-lived process keeps the library's default.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    # Nor does it need the cyclic collector: what the imports and the answer make lives until the exit,
    # and its passes over the objects of numpy's and the engine's imports cost ~6 ms.
    gc.disable()


def _eval(engine, args: argparse.Namespace) -> int:
    from retrieval import baseline_ranker, engine_ranker, evaluate

    from .eval_cli import dump_json, load_cases, print_report

    cases = [c for f in args.file for c in load_cases(f, args.subset)]
    ranker = baseline_ranker(engine) if args.baseline else engine_ranker(engine)
    report = evaluate(cases, ranker)
    if args.json:
        dump_json(report, sys.stdout)
    else:
        label = "baseline (jieba + rank-bm25)" if args.baseline else "qabot"
        print_report(report, sys.stdout, f"{label}: {', '.join(args.file)}")
    return EXIT_OK


def _quiet_stdout() -> None:
    """Point stdout at /dev/null so flushing at exit does not raise again on the closed pipe."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def _report_problem(problem) -> None:
    """One line per corpus problem; the reason says whether the file was skipped or served."""
    print(f"qabot: {one_line(problem.source)}: {one_line(problem.reason)}", file=sys.stderr)


def one_line(text: str) -> str:
    """`text` with line breaks and other control characters shown as escapes (a file may be named a\\nb.txt)."""
    return "".join(ch if ch.isprintable() or ch == " " else ascii(ch)[1:-1] for ch in text)


def run() -> None:
    """The `qabot` command: main(), then leave without tearing down the heap (seconds at 1M passages).

    Output is flushed and atexit handlers (logging, the console's history) run first; only the
    interpreter's object-by-object teardown is skipped.
    """
    code = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):   # a closed pipe: main() has said all it could
            pass
    atexit._run_exitfuncs()
    os._exit(code)


if __name__ == "__main__":
    run()
