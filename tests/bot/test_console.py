"""`qabot ask` and `qabot console`, in-process and as a real subprocess."""
from __future__ import annotations

import gc
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot import cli, console

QABOT = Path(sys.executable).parent / "qabot"


@pytest.fixture
def run(tmp_path, monkeypatch, capsys):
    """Call `qabot ARGS` in-process with a private cache; returns (status, stdout, stderr)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("QABOT_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)

    def call(*args: str) -> tuple[int, str, str]:
        status = cli.main(list(args))
        out, err = capsys.readouterr()
        return status, out, err

    return call


def test_ask_prints_the_answer_as_plain_text(run):
    status, out, _ = run("ask", "谁谈到了腐败？")
    assert status == 0
    assert "\n1. 刘丰富（自治区党委副书记、纪委书记）\n" in out


def test_ask_json_has_speakers_passages_and_message(run):
    status, out, _ = run("ask", "谁谈到了腐败？", "--json")
    data = json.loads(out)
    assert status == 0
    assert data["speakers"][0]["name"] == "刘丰富"
    assert data["passages"][0]["section"] == 4
    assert data["message"] == ""


def test_nothing_found_still_exits_zero_with_a_message(run):
    status, out, _ = run("ask", "/section 99", "--json")
    assert status == 0
    assert "没有第 99 部分" in json.loads(out)["message"]


def test_batch_answers_each_line_in_order(run, tmp_path):
    questions = ["谁谈到了腐败？", "", "/speaker 傅思和", "谁谈到了国防？"]
    batch = tmp_path / "q.txt"
    batch.write_text("\n".join(questions) + "\n", encoding="utf-8")
    status, out, _ = run("ask", "--batch", str(batch), "--json")
    answers = [json.loads(line) for line in out.splitlines()]
    assert status == 0
    assert [a["query"] for a in answers] == ["谁谈到了腐败？", "", "/speaker 傅思和", "谁谈到了国防？"]
    assert answers[0]["speakers"][0]["name"] == "刘丰富"
    assert answers[1]["message"]
    assert answers[3]["speakers"][0]["name"] == "杨锦岭"


@pytest.mark.parametrize(
    "args, status, words",
    [
        (["ask"], 2, "QUESTION"),
        (["ask", "x", "--config", "/nonexistent/config.yaml"], 2, "cannot read"),
        (["ask", "x", "--corpus", "/nonexistent/folder"], 1, "corpus"),
        (["ask", "--batch", "/nonexistent/q.txt"], 2, "cannot read"),
    ],
)
def test_unusable_options_exit_non_zero_with_one_line(run, args, status, words):
    code, _, err = run(*args)
    assert code == status
    assert words in err
    assert "Traceback" not in err


def test_corpus_option_replaces_the_embedded_article(run, shared_corpus):
    path = shared_corpus / "transcripts" / "2003-12-15_p07_li-zhaoxing-yearend-interview_fromjson.txt"
    status, out, _ = run("ask", "/speaker", "--json", "--corpus", str(path))
    assert status == 0
    assert "李肇星" in [s["name"] for s in json.loads(out)["speakers"]]


def test_console_answers_piped_lines_like_the_bot(seed_engine, test_settings):
    stdin = io.StringIO("谁谈到了腐败？\n/section 9\n/quit\n谁谈到了国防？\n")
    out = io.StringIO()
    assert console.interactive(seed_engine, test_settings, stdin=stdin, out=out) == 0
    text = out.getvalue()
    assert "刘丰富" in text and "没有第 9 部分" in text
    assert "杨锦岭" not in text  # nothing after /quit


def test_qabot_ask_json_as_a_subprocess(tmp_path):
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    env.pop("QABOT_CONFIG", None)
    result = subprocess.run([str(QABOT), "ask", "纪委书记说了什么？", "--json"], capture_output=True,
                            text=True, env=env, cwd=tmp_path, timeout=120)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert {p["speaker"] for p in data["passages"]} == {"刘丰富"}


@pytest.mark.parametrize("before", [True, False])
def test_common_options_work_before_or_after_the_subcommand(run, tmp_path, before):
    config = tmp_path / "bad.yaml"
    config.write_text("answers:\n  nonsense: 1\n", encoding="utf-8")
    args = ["--config", str(config), "ask", "谁？"] if before else ["ask", "谁？", "--config", str(config)]
    status, _, err = run(*args)
    assert status == 2
    assert "answers.nonsense" in err


def test_a_two_line_config_answers_exactly_like_the_defaults(run, tmp_path):
    """The word tables and every default live in the package, not in the example config.yaml."""
    questions = ["谁谈到了腐败？", "who talked about corruption?", "谁提到了部队？", "哪位领导谈到了反腐倡廉？",
                 "纪委书记说了什么？", "/section 2"]
    batch = tmp_path / "q.txt"
    batch.write_text("\n".join(questions) + "\n", encoding="utf-8")
    status, defaults, _ = run("ask", "--batch", str(batch), "--json")
    config = tmp_path / "mine.yaml"
    config.write_text(f"cache:\n  dir: {tmp_path / 'my-cache'}\n", encoding="utf-8")
    status_own, own, _ = run("ask", "--batch", str(batch), "--json", "--config", str(config))
    assert (status, status_own) == (0, 0)
    assert (tmp_path / "my-cache").is_dir()
    assert own == defaults
    assert json.loads(defaults.splitlines()[1])["speakers"][0]["name"] == "刘丰富"   # the glossary took part


def _subprocess_env(tmp_path: Path) -> dict[str, str]:
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    env.pop("QABOT_CONFIG", None)
    return env


def test_an_explicit_empty_question_is_answered_like_an_empty_batch_line(tmp_path):
    env = _subprocess_env(tmp_path)
    one = subprocess.run([str(QABOT), "ask", ""], capture_output=True, text=True, env=env, cwd=tmp_path,
                         timeout=120)
    batch = subprocess.run([str(QABOT), "ask", "--batch", "-"], input="\n", capture_output=True, text=True,
                           env=env, cwd=tmp_path, timeout=120)
    assert one.returncode == batch.returncode == 0, one.stderr
    assert one.stdout == batch.stdout
    assert "请输入一个问题" in one.stdout


def test_a_reader_that_stops_early_ends_the_output_quietly(tmp_path):
    """`qabot ask --batch - | head -1`: the closed pipe stops qabot without a traceback."""
    questions = "谁谈到了腐败？\n" * 400   # far more than a pipe buffer holds
    proc = subprocess.Popen([str(QABOT), "ask", "--batch", "-"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=_subprocess_env(tmp_path), cwd=tmp_path)
    proc.stdin.write(questions.encode())
    proc.stdin.close()
    first = proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 0
    assert first.strip()
    assert "Traceback" not in err and "BrokenPipe" not in err, err


PROBE = """
import gc, os, sys
from bot import cli
sys.argv = ["qabot", *sys.argv[1:]]
status = cli.main()
print("PROBE", status, gc.isenabled(), os.environ.get("OPENBLAS_NUM_THREADS"), "yaml" in sys.modules, file=sys.stderr)
"""


@pytest.mark.parametrize("config", ["none", "shipped", "tagged"])
def test_a_one_question_process_answers_like_a_batch_with_one_blas_thread_and_no_collector(tmp_path, config, run):
    """`qabot ask QUESTION` (its own command line) starts numpy with one OpenBLAS thread and without the
    cyclic collector, and reads a config file an earlier start read without PyYAML (bot.settings' memo);
    the answers are a batch's, byte for byte, with no config file, the shipped config.yaml in the folder,
    or one with a YAML tag."""
    root = Path(__file__).resolve().parents[2]
    if config == "shipped":
        (tmp_path / "config.yaml").write_text((root / "config.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    elif config == "tagged":
        (tmp_path / "config.yaml").write_text("answers:\n  max_speakers: !!int '5'\n", encoding="utf-8")
    env = _subprocess_env(tmp_path)
    env.pop("OPENBLAS_NUM_THREADS", None)
    questions = ["谁谈到了腐败？", "who talked about corruption?", "纪委书记说了什么？", "/section 2"]
    batch = subprocess.run([sys.executable, "-c", PROBE, "ask", "--batch", "-", "--json"], input="\n".join(questions),
                           capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)
    assert batch.returncode == 0, batch.stderr
    # a longer-lived process: as it was; the first to read a config file parses it with PyYAML
    assert f"PROBE 0 True None {config != 'none'}" in batch.stderr
    answers = batch.stdout.splitlines()
    for question, expected in zip(questions, answers, strict=True):
        one = subprocess.run([sys.executable, "-c", PROBE, "ask", question, "--json"], capture_output=True,
                             text=True, env=env, cwd=tmp_path, timeout=300)
        assert "PROBE 0 False 1 False" in one.stderr, one.stderr
        assert one.stdout.splitlines() == [expected]
    assert run("ask", "谁？")[0] == 0 and gc.isenabled()   # a caller's own argument list leaves its process as it is


def _read_until(fd: int, marker: bytes, timeout: float = 120) -> bytes:
    """What a terminal shows until `marker` (the console's prompt) appears."""
    import select

    seen = b""
    while marker not in seen:
        ready, _, _ = select.select([fd], [], [], timeout)
        if not ready:
            raise AssertionError(f"no {marker!r} in {seen.decode(errors='replace')!r}")
        seen += os.read(fd, 65536)
    return seen


def test_console_on_a_terminal_shows_help_then_answers(tmp_path):
    """A person's console (a real pseudo-terminal): help and prompt first (the dictionary and the
    vectors load meanwhile on another thread), then the answer."""
    import pty

    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    env.pop("QABOT_CONFIG", None)
    leader, follower = pty.openpty()
    process = subprocess.Popen([str(QABOT), "console"], stdin=follower, stdout=follower, stderr=subprocess.PIPE,
                               env=env, cwd=tmp_path)
    os.close(follower)
    prompt = console.PROMPT.encode()
    try:
        assert "/speaker".encode() in _read_until(leader, prompt)
        os.write(leader, "谁谈到了腐败？\n".encode())
        assert "刘丰富".encode() in _read_until(leader, prompt)
        os.write(leader, b"/quit\n")
        assert process.wait(timeout=60) == 0, process.stderr.read().decode()
    finally:
        process.kill()
        os.close(leader)
