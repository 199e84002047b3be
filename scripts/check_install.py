"""`pip install .` into a new venv answers exactly like the checkout: the wheel carries the package data
(the embedded article, the word tables) and needs no file of the source tree.

Usage: python scripts/check_install.py CHECKOUT_QABOT [VENV_DIR]   (run by `make test`)
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# "drought" is not in the hand glossary: its answer needs the generated one (cedict.tsv) installed.
QUESTIONS = ["谁谈到了腐败？", "纪委书记说了什么？", "who talked about corruption?", "who spoke about drought?",
             "农民增收", "/speaker", "/section 2", "/doc", "谁谈到了国防？", "陈建国关于作风建设讲了什么？", ""]


def answers(qabot: Path, workdir: Path) -> str:
    """The JSON answers to QUESTIONS, asked from an empty folder with a private cache and no config."""
    env = {k: v for k, v in os.environ.items() if k not in ("QABOT_CONFIG", "PYTHONPATH")}
    env["XDG_CACHE_HOME"] = str(workdir / "cache")
    result = subprocess.run([str(qabot), "ask", "--json", "--batch", "-"], input="\n".join(QUESTIONS) + "\n",
                            capture_output=True, text=True, cwd=workdir, env=env, timeout=600)
    if result.returncode != 0:
        sys.exit(f"{qabot} failed ({result.returncode}): {result.stderr.strip()}")
    return result.stdout


def main() -> int:
    checkout_qabot = Path(sys.argv[1]).resolve()
    with tempfile.TemporaryDirectory(prefix="qabot-install-") as tmp:
        folder = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(tmp) / "venv"
        venv.create(folder, with_pip=True, clear=True)
        subprocess.run([str(folder / "bin" / "pip"), "install", "--quiet", "--disable-pip-version-check",
                        str(ROOT)], check=True)
        (Path(tmp) / "a").mkdir()
        (Path(tmp) / "b").mkdir()
        installed, checkout = answers(folder / "bin" / "qabot", Path(tmp) / "a"), answers(checkout_qabot, Path(tmp) / "b")
    if installed != checkout:
        print("pip install . answers differently from the checkout", file=sys.stderr)
        return 1
    print(f"install check: pip install . in a new venv answers {len(QUESTIONS)} questions exactly like the checkout")
    return 0


if __name__ == "__main__":
    sys.exit(main())
