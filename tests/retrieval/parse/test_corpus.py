"""Over the whole shared corpus (seed and transcripts) and the bulk days the gold set reads: no article
whose paragraphs open with named labels is left without speakers. "Named" is told by jieba's own
dictionary (the label's last word tagged as a person name, nr), not by the parser's tables."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from retrieval.parse import parse_text_with_problems

from .helpers import CORPUS, ROOT, SEED, TRANSCRIPTS

_BIO = re.compile(r"[男女][，,]")  # "席宝力皋：男，蒙古族，1973年出生": a profile, not a turn
_LABEL = re.compile(r"^[\u3000 ]*([\u4e00-\u9fff·、]{2,40})[：:](.{10,})")


def _files() -> list[Path]:
    gold = yaml.safe_load((ROOT / "eval" / "attributions.yaml").read_text(encoding="utf-8"))
    days = sorted({CORPUS / e["file"] for e in gold if e["file"].startswith("bulk/")})
    return [SEED, *sorted(TRANSCRIPTS.glob("*.txt")), *days]


def _named_turns(text: str, tag) -> list[str]:
    """The words of paragraphs opening with a label whose last word jieba tags as a person's name."""
    found = []
    for line in text.splitlines()[5:]:
        m = _LABEL.match(line)
        if m and not _BIO.match(m[2]) and _names_speaker(m[1], tag):
            found.append(m[2].strip(" \u3000\u00a0"))
    return found


def test_no_article_with_named_turns_has_no_speakers():
    if not TRANSCRIPTS.is_dir():
        pytest.skip(f"shared corpus not found beside the checkout ({CORPUS})")
    import jieba.posseg

    silent, unspoken = [], []
    for path in _files():
        text = path.read_text(encoding="utf-8").replace("\r", "")
        docs, _ = parse_text_with_problems(text, path.name)
        chunks = text.split("\n### ")
        assert len(chunks) == len(docs), path
        for doc, chunk in zip(docs, chunks):
            turns = _named_turns(chunk, jieba.posseg.cut)
            if len(turns) < 2:
                continue
            if not any(u.speaker for u in doc.utterances):
                silent.append(f"{path.name}: {doc.title}")
            spoken = [u.text for u in doc.utterances if u.speaker]
            unspoken += [f"{path.name}: {t[:20]}" for t in turns if not any(s.endswith(t) for s in spoken)]
    assert not silent
    # each labelled turn is somebody's: a few labels are captions or list keys jieba takes for names
    assert len(unspoken) <= _UNSPOKEN, unspoken


def _names_speaker(label: str, tag) -> bool:
    """The label ends in a name: jieba tags its last word nr, or it ends in a dotted foreign name jieba
    cannot tag, with no particle, preposition or verb after the dot (卡洛斯·梅迪纳的题词为 describes)."""
    if "·" not in label:
        return list(tag(label))[-1].flag == "nr"
    return not any(p.flag[0] in "upv" for p in tag(label.rsplit("·", 1)[1]))


_UNSPOKEN = 0
