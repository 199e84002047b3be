"""The parser alone on a gold set of paragraph → speaker attributions: precision and recall per cue class.

    .venv/bin/python benchmarks/attributions.py [--gold eval/attributions.yaml] [--corpus ../shared/corpus]
                                                [--part dev|test|test2|test3] [-v]

The gold set (eval/attributions.yaml) was written by reading the articles: each item names an article
(a corpus file and a title substring) and, per turn, the speaker (~ for narration or an unnamed
speaker), the cue class and a snippet of the words said. A snippet is looked up in the parsed article's
utterances; the utterance holding its middle character is the parser's answer (its speaker when it is
speech or a question, else none). A right name is a hit; a wrong name counts against precision and
recall; no name against recall only; a name for a narration item against precision only. Below the
table by cue class, one row per part (dev, test, test2, test3: see the gold file's header).
"""
from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.settings import read_yaml  # noqa: E402
from retrieval.models import QUESTION, SPEECH, Document  # noqa: E402
from retrieval.parse import parse_text  # noqa: E402

GOLD = ROOT / "eval" / "attributions.yaml"
CORPUS = ROOT.parent / "shared" / "corpus"
PARTS = ("dev", "test", "test2", "test3")


@dataclass(frozen=True)
class Item:
    """One gold turn: who says the words the snippet quotes (None: narration or nobody named)."""

    file: str
    article: str
    part: str
    speaker: str | None
    cue: str
    snippet: str


@dataclass
class Tally:
    """Hits, wrong names, missed names and names given to narration."""

    hit: int = 0
    wrong: int = 0
    missed: int = 0
    spurious: int = 0
    silent: int = 0      # narration left without a name (right, but neither precision nor recall)
    misses: list[str] = field(default_factory=list)
    unfound: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        given = self.hit + self.wrong + self.spurious
        return self.hit / given if given else 1.0

    @property
    def recall(self) -> float:
        named = self.hit + self.wrong + self.missed
        return self.hit / named if named else 1.0

    @property
    def n(self) -> int:
        return self.hit + self.wrong + self.missed + self.spurious + self.silent


def load(path: Path = GOLD, part: str | None = None) -> list[Item]:
    """The gold items (of one part: dev, test, test2 or test3), in file order; ValueError on a malformed entry."""
    items: list[Item] = []
    for entry in read_yaml(path, "gold set"):
        for turn in entry["turns"]:
            if len(turn) != 3:
                raise ValueError(f"{entry['file']}: a turn is [speaker, cue, snippet], got {turn!r}")
            speaker, cue, snippet = turn
            items.append(Item(entry["file"], entry["article"], entry.get("part", "dev"), speaker or None, cue,
                              str(snippet)))
    return [i for i in items if part is None or i.part == part]


def _squeeze(text: str) -> str:
    return "".join(text.split())


def _article(docs: list[Document], title: str) -> Document:
    found = [d for d in docs if _squeeze(title) in _squeeze(d.title)]
    if not found:
        raise LookupError(f"no article titled …{title}…")
    return found[0]


def predicted(doc: Document, snippet: str, gold: str | None = None) -> str | None:
    """The speaker the parser gives the utterance holding the snippet's middle character (`gold` when the
    words are a joint subject's, given to each of several speakers, and `gold` is one of them)."""
    units: list[tuple[str, list[str | None]]] = []  # each text once, with everyone who says it
    last = None
    for u in doc.utterances:
        who = u.speaker if u.speaker and u.kind in (SPEECH, QUESTION) else None
        if last is not None and (u.position, u.text) == last:
            units[-1][1].append(who)
        else:
            units.append((_squeeze(u.text), [who]))
        last = (u.position, u.text)
    at = "".join(text for text, _ in units).find(_squeeze(snippet))
    if at < 0:
        raise LookupError(snippet)
    middle, end = at + len(_squeeze(snippet)) // 2, 0
    for text, speakers in units:
        end += len(text)
        if middle < end:
            return gold if gold is not None and gold in speakers else speakers[0]
    return None


def score(items: list[Item], corpus: Path = CORPUS, by: str = "cue") -> dict[str, Tally]:
    """Tallies per cue class (or per part, with `by="part"`) and over all items ("all")."""
    tallies: dict[str, Tally] = defaultdict(Tally)
    parsed: dict[str, list[Document]] = {}
    for item in items:
        if item.file not in parsed:
            parsed[item.file] = parse_text((corpus / item.file).read_text(encoding="utf-8"), item.file)
        try:
            guess = predicted(_article(parsed[item.file], item.article), item.snippet, item.speaker)
        except LookupError as exc:  # not in the body: the parser took the line for header or metadata
            guess = None
            tallies["all"].unfound.append(f"{item.file}: {exc}")
        for key in (getattr(item, by), "all"):
            tally = tallies[key]
            if item.speaker is None:
                tally.silent += guess is None
                if guess is not None:
                    tally.spurious += 1
                    tally.misses.append(f"{item.file} …{item.snippet[:16]}: nobody, got {guess}")
            elif guess == item.speaker:
                tally.hit += 1
            else:
                if guess is None:
                    tally.missed += 1
                else:
                    tally.wrong += 1
                tally.misses.append(f"{item.file} …{item.snippet[:16]}: {item.speaker}, got {guess}")
    return dict(tallies)


def _rows(tallies: dict[str, Tally], head: str, keys: list[str]) -> list[str]:
    lines = [f"{head:<16}{'n':>5}{'prec':>8}{'recall':>8}"]
    for key in keys:
        t = tallies[key]
        lines.append(f"{key:<16}{t.n:>5}{t.precision:>8.3f}{t.recall:>8.3f}")
    return lines


def report(tallies: dict[str, Tally], verbose: bool = False, parts: dict[str, Tally] | None = None) -> str:
    """A table: items, precision and recall per cue class, all last; then one row per part, if given;
    with `verbose` the misses."""
    lines = _rows(tallies, "cue", sorted(k for k in tallies if k != "all") + ["all"])
    if parts:
        lines += [""] + _rows(parts, "part", [p for p in PARTS if p in parts])
    if verbose:
        lines += ["", "misses:"] + [f"  {m}" for m in tallies["all"].misses]
        lines += ["", "snippets not in any utterance:"] + [f"  {m}" for m in tallies["all"].unfound]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--part", choices=PARTS, help="score one part only")
    parser.add_argument("-v", "--verbose", action="store_true", help="list the misses")
    args = parser.parse_args(argv)
    items = load(args.gold, args.part)
    parts = score(items, args.corpus, by="part")
    print(report(score(items, args.corpus), args.verbose, parts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
