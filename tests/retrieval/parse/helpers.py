"""Shared helpers for the parser tests: the seed, shared transcripts and small articles in the corpus format."""
from __future__ import annotations

from pathlib import Path

import pytest

from retrieval.models import Document
from retrieval.parse import parse_text

ROOT = Path(__file__).resolve().parents[3]
SEED = ROOT / "retrieval" / "data" / "corpus" / "2003-11-06_ningxia-study.txt"
CORPUS = ROOT.parent / "shared" / "corpus"
TRANSCRIPTS = CORPUS / "transcripts"

SEED_SPEAKERS = {
    "陈建国": "自治区党委书记、自治区人大常委会主任",
    "马启智": "自治区党委副书记、自治区政府主席",
    "韩茂华": "自治区党委副书记",
    "马文学": "自治区党委副书记",
    "马锡广": "自治区党委常委",
    "王正伟": "自治区党委常委、银川市委书记",
    "李东东": "自治区党委常委、宣传部部长",
    "杨锦岭": "自治区党委常委、宁夏军区政委",
    "刘丰富": "自治区党委副书记、纪委书记",
    "李顺桃": "自治区党委常委、政法委书记",
    "于革胜": "自治区党委常委、秘书长",
    "傅思和": "自治区党委常委、组织部部长",
}



def transcript(name: str) -> Document:
    """The one article of a shared transcript file; skip when the shared corpus is absent."""
    path = TRANSCRIPTS / name
    if not path.is_file():
        pytest.skip(f"shared transcript {name} not found beside the checkout ({TRANSCRIPTS})")
    docs = parse_text(path.read_text(encoding="utf-8"), name)
    assert len(docs) == 1
    return docs[0]


def bulk(day: str, title: str) -> Document:
    """The article of a bulk day file (`../shared/corpus/bulk/<day>.txt`) whose title holds `title`; skip
    when the bulk corpus is absent."""
    path = CORPUS / "bulk" / f"{day}.txt"
    if not path.is_file():
        pytest.skip(f"bulk day {day} not found beside the checkout ({path})")
    return next(d for d in parse_text(path.read_text(encoding="utf-8"), path.name) if title in d.title)


def turns_of(doc: Document, speaker: str) -> list[str]:
    return [u.text for u in doc.utterances if u.speaker == speaker]


def article(body: str, title: str = "测试标题", byline: str = "", page: str = "第1版()", column: str = "专栏：") -> str:
    """A one-article text in the corpus format (LF only)."""
    return f"### {title}\n{byline}\n2003-11-06\n{page}\n{column}\n\n{body}"


def body(*paragraphs: str) -> str:
    return "".join(f"\u3000\u3000{p}\n" for p in paragraphs)
