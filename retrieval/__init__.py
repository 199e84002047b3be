"""qabot's answer engine: parse People's Daily transcripts, index them, answer who-said-what."""
from .answer import Engine, EngineOptions
from .commands import OPENING
from .errors import ConfigError, CorpusError, ParseError, QabotError
from .expand import ExpansionOptions
from .index import BM25Index, BM25Params
from .models import (
    Answer,
    Citation,
    DocInfo,
    Document,
    Fragment,
    Passage,
    Problem,
    Section,
    SectionInfo,
    SpeakerHit,
    Utterance,
)
from .opening import Opened, open_engine
from .options import describe, from_mapping, setting
from .segment import SegmentOptions, Segmenter

# Scoring development sets is no part of answering: imported when first asked for (`qabot eval`).
_EVALUATION = ("Case", "Report", "Scores", "baseline_ranker", "engine_ranker", "evaluate")


def __getattr__(name: str):
    if name in _EVALUATION:
        from . import evaluation

        return getattr(evaluation, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "Answer",
    "BM25Index",
    "BM25Params",
    "Case",
    "Citation",
    "ConfigError",
    "CorpusError",
    "DocInfo",
    "Document",
    "Engine",
    "EngineOptions",
    "ExpansionOptions",
    "Fragment",
    "OPENING",
    "Opened",
    "ParseError",
    "Passage",
    "Problem",
    "QabotError",
    "Report",
    "Scores",
    "Section",
    "SectionInfo",
    "SegmentOptions",
    "Segmenter",
    "SpeakerHit",
    "Utterance",
    "baseline_ranker",
    "describe",
    "engine_ranker",
    "evaluate",
    "from_mapping",
    "open_engine",
    "setting",
]
