"""Check eval/paraphrase.yaml against the articles: every question shares no content word with its passage.

    .venv/bin/python eval/check_paraphrase.py [eval/paraphrase.yaml] [--corpus ../shared/corpus/transcripts]

Each item carries a comment line `# FILE | passage: SNIPPET` naming its article (file name without
`_fromjson.txt`) and a snippet of the answering paragraph. The script finds that paragraph, checks the
expected speaker is named in it or in the four paragraphs before, segments the question with jieba and
prints every word of two or more characters (after function words and the question's frame words:
who, speak, suggest …) that occurs in the paragraph. Exit status 1 when any check fails.
"""
from __future__ import annotations

import argparse
import logging
import re
import sys
from functools import cache
from pathlib import Path

import jieba

from bot.settings import read_yaml
from retrieval.tables import stopwords

ROOT = Path(__file__).resolve().parents[1]
# The question's frame: asking who, and verbs of saying; roles a reader names to point at a speaker.
FRAME = set("""谁 哪位 哪些 哪个 有谁 是谁 说 说过 讲 讲了 谈 谈了 谈到 提到 提 提了 提出 认为 主张 建议 表示
呼吁 指出 强调 介绍 介绍了 觉得 抱怨 批评 担心 担忧 希望 反映 要求 感叹 提醒 反对 关注 讲了 说了 代表 委员
有些 一些 因为 所以 不是 不能 还是 但是""".split())
_COMMENT = re.compile(r"^#\s*(?P<file>[^|]+?)\s*\|\s*passage:\s*(?P<snippet>.+?)\s*$")


def items(path: Path) -> list[tuple[str, str, dict]]:
    """(file, snippet, item) for each question, the comment line above it giving file and snippet."""
    data = read_yaml(path, "paraphrase set")
    comments = [m for line in path.read_text(encoding="utf-8").splitlines() if (m := _COMMENT.match(line))]
    if len(comments) != len(data):
        sys.exit(f"{path}: {len(data)} questions but {len(comments)} '# FILE | passage: …' comments")
    return [(m["file"], m["snippet"], item) for m, item in zip(comments, data)]


@cache   # several questions point into one article
def paragraphs(corpus: Path, name: str) -> list[str]:
    for candidate in (corpus / f"{name}_fromjson.txt", corpus / f"{name}.txt"):
        if candidate.exists():
            return candidate.read_text(encoding="utf-8").splitlines()
    raise FileNotFoundError(name)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("file", nargs="?", default=str(ROOT / "eval" / "paraphrase.yaml"))
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus" / "transcripts"))
    args = parser.parse_args()
    jieba.setLogLevel(logging.WARNING)
    ignore = stopwords() | FRAME
    failures = 0
    for n, (name, snippet, item) in enumerate(items(Path(args.file)), 1):
        lines = paragraphs(Path(args.corpus), name)
        found = [i for i, line in enumerate(lines) if snippet in line]
        problems: list[str] = []
        if len(found) != 1:
            problems.append(f"snippet found in {len(found)} paragraphs")
        else:
            passage = lines[found[0]]
            context = "".join(lines[max(0, found[0] - 4): found[0] + 1])
            if not any(name_ in context for name_ in item["expect"]):
                problems.append("expected speaker not named in the paragraph or the four before")
            words = [w for w in jieba.lcut(item["question"]) if len(w) > 1 and w not in ignore]
            shared = [w for w in words if w in passage]
            if shared:
                problems.append("shares " + " ".join(shared))
        if problems:
            failures += 1
            print(f"{n:>3} {item['question']}  [{name}]: {'; '.join(problems)}")
    print(f"{failures} of {n} questions fail the check")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
