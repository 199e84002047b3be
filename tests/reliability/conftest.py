"""Fixtures for the reliability tests: the Telegram fixtures of tests/bot, reused, and `qabot` in-process."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bot import cli

# The stub Bot API, the real Application polling it, and the runner of `async def` tests: the same
# fixtures the Telegram tests use, imported rather than copied.
from tests.bot.conftest import pytest_pyfunc_call, running, settings_for, stub  # noqa: F401

SEED = Path(__file__).resolve().parents[2] / "retrieval" / "data" / "corpus" / "2003-11-06_ningxia-study.txt"


@pytest.fixture
def qabot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
          capsys: pytest.CaptureFixture) -> Callable[..., tuple[int, str, str]]:
    """Returns `qabot(*args)`: `qabot ARGS` run in-process with a private cache; gives (status, stdout, stderr)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("QABOT_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)

    def call(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        status = cli.main(list(args))
        out, err = capsys.readouterr()
        return status, out, err

    return call
