"""qabot's answer engine: parse People's Daily transcripts, index them, answer who-said-what."""
from .answer import Engine, EngineOptions
from .errors import ConfigError, CorpusError, ParseError, QabotError
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
from .segment import Segmenter

__all__ = [
    "Answer",
    "BM25Index",
    "BM25Params",
    "Citation",
    "ConfigError",
    "CorpusError",
    "DocInfo",
    "Document",
    "Engine",
    "EngineOptions",
    "Fragment",
    "ParseError",
    "Passage",
    "Problem",
    "QabotError",
    "Section",
    "SectionInfo",
    "Segmenter",
    "SpeakerHit",
    "Utterance",
]
