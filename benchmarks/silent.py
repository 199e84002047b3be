"""Articles the parser leaves without a speaker although their text has speaker-like shapes (issue 10).

    .venv/bin/python benchmarks/silent.py [--corpus ../shared/corpus] [--min 1] [-v] [--sample N]

Every article of the seed, the transcripts and the bulk is parsed; those with no named speech or
question are searched for shapes that usually name a speaker. Whether a word is a person's name is
told by jieba's tagger (rjieba, tag nr, or a dotted transliteration), not by the parser's tables, so
the list is what a reader would check, not what the parser already believes:

  label     a paragraph opening "…Name：" or "…Name（role）：" (10+ characters after it; not a profile's
            "Name：男，…")
  bracket   a paragraph opening "Name（role）" without a colon (not a photo credit "Name摄（…）")
  quote     a closing quote, then within a clause a name and a speech verb ("“…”张三说")
  reported  a name at the start of a sentence, a speech verb within a few characters after it
            ("张三说，", "…主任李四表示：")

An article counts under a shape when at least `--min` of its paragraphs have it. `-v` lists each
flagged article with its first shaped paragraph; `--sample N` prints N of them picked at random
(fixed seed) for reading.
"""
from __future__ import annotations

import argparse
import random
import re
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import rjieba  # noqa: E402

from retrieval.models import QUESTION, SPEECH, Document  # noqa: E402
from retrieval.parse import parse_text_with_problems  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
SHAPES = ("label", "bracket", "quote", "reported")

_C = "\u4e00-\u9fff"
_LABEL = re.compile(rf"^([{_C}·、]{{2,40}})(?:（[^（）]{{1,40}}）)?[：:](.{{10,}})", re.S)
_BRACKET = re.compile(rf"^([{_C}]{{2,4}})（([^（）]{{2,30}})）(?![：:])")
_CREDIT = re.compile("[摄图画]")  # "魏永青摄（影像中国）", "燕子垭（速写）（高莽）": credits, not speakers
_BIO = re.compile(r"[男女][，,]")
# Verbs of saying a reader takes as "this person speaks"; a small fixed set, not the parser's table.
_SAYS = r"(?:说|表示|指出|认为|强调|介绍|告诉|坦言|透露|回忆|谈到|呼吁|建议|问道|答道|解释|补充)"
_AFTER_QUOTE = re.compile(rf"”[，,]?([^，。！？“”]{{2,24}}?){_SAYS}")
_SENTENCE = re.compile(rf"(?:^|[。！？])([^，。！？“”：]{{2,24}}?){_SAYS}[，：,:“]")


@dataclass(frozen=True)
class Flagged:
    """A silent article and its shaped paragraphs, by shape."""

    file: str
    title: str
    shapes: dict[str, list[str]]


def person(text: str) -> bool:
    """True when `text` ends with a word jieba tags as a person's name (nr), or a dotted transliteration."""
    if "·" in text:
        tail = text.rsplit("·", 1)
        return bool(tail[0]) and 1 <= len(tail[1]) <= 8 and re.fullmatch(f"[{_C}]+", tail[1]) is not None
    tags = rjieba.tag(text)
    return bool(tags) and tags[-1][1] == "nr" and len(tags[-1][0]) >= 2


def names_inside(text: str) -> bool:
    """True when some word of `text` is tagged as a person's name (a 说 glued on by the tagger dropped)."""
    return any(flag == "nr" and len(word.rstrip("说")) >= 2 for word, flag in rjieba.tag(text))


def shapes(paragraph: str) -> list[str]:
    """The speaker-like shapes one paragraph has."""
    found = []
    m = _LABEL.match(paragraph)
    if m and not _BIO.match(m[2]) and person(m[1]):
        found.append("label")
    m = _BRACKET.match(paragraph)
    if m and not _CREDIT.search(m[1] + m[2]) and person(m[1]):
        found.append("bracket")
    if any(names_inside(m[1]) for m in _AFTER_QUOTE.finditer(paragraph)):
        found.append("quote")
    if any(names_inside(m[1]) for m in _SENTENCE.finditer(paragraph)):
        found.append("reported")
    return found


def silent(doc: Document) -> bool:
    """True when the parser names nobody who speaks or asks in the article."""
    return not any(u.speaker and u.kind in (SPEECH, QUESTION) for u in doc.utterances)


def files(corpus: Path) -> list[Path]:
    """The seed, every transcript and every bulk day file."""
    return [*sorted((corpus / "seed").glob("*.txt")), *sorted((corpus / "transcripts").glob("*.txt")),
            *sorted((corpus / "bulk").glob("*.txt"))]


def flagged(corpus: Path) -> Iterator[Flagged]:
    """Every silent article with at least one shaped paragraph."""
    for path in files(corpus):
        docs, _ = parse_text_with_problems(path.read_text(encoding="utf-8"), path.name)
        for doc in filter(silent, docs):
            found: dict[str, list[str]] = {}
            for section in doc.sections:
                for text in [section.title, *(u.text for u in section.utterances)]:
                    for shape in shapes(text):
                        found.setdefault(shape, []).append(text)
            if found:
                yield Flagged(f"{path.parent.name}/{path.name}", doc.title, found)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--min", type=int, default=1, help="shaped paragraphs an article needs to count")
    parser.add_argument("--shape", choices=SHAPES, help="list only articles with this shape")
    parser.add_argument("-v", "--verbose", action="store_true", help="list the flagged articles")
    parser.add_argument("--sample", type=int, default=0, help="print this many flagged articles at random")
    args = parser.parse_args(argv)
    found = [f for f in flagged(args.corpus)
             if any(len(v) >= args.min for k, v in f.shapes.items() if args.shape in (None, k))]
    counts = Counter(k for f in found for k, v in f.shapes.items() if len(v) >= args.min)
    folders = Counter(f.file.split("/")[0] for f in found)
    print(f"silent articles with a speaker-like shape (>= {args.min} paragraphs): {len(found)} "
          f"({', '.join(f'{k} {v}' for k, v in sorted(folders.items()))})")
    for shape in SHAPES:
        print(f"  {shape:<10}{counts[shape]:>6}")
    listed = random.Random(10).sample(found, min(args.sample, len(found))) if args.sample else \
        found if args.verbose else []
    for f in listed:
        shape = args.shape or next(k for k in SHAPES if k in f.shapes)
        print(f"\n{f.file}: {f.title}  [{', '.join(f'{k} {len(v)}' for k, v in f.shapes.items())}]")
        for text in f.shapes[shape][:3]:
            print(f"    {shape}: {text[:150]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
