"""Run a conversion script again inside a throwaway venv that holds its pinned packages."""
from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path


def run_in_venv(prefix: str, pins: list[str], script: str, arguments: list[str]) -> int:
    """Make the venv, install `pins`, run `script --inner *arguments` in it; the venv goes afterwards."""
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        venv = Path(tmp) / "venv"
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        python = venv / "bin" / "python"
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", *pins], check=True)
        return subprocess.run([str(python), script, "--inner", *arguments]).returncode
