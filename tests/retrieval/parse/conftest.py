"""The parsed seed, once per test session."""
from __future__ import annotations

import pytest

from retrieval.models import Document
from retrieval.parse import parse_text

from .helpers import SEED


@pytest.fixture(scope="session")
def seed() -> Document:
    docs = parse_text(SEED.read_text(encoding="utf-8"), str(SEED))
    assert len(docs) == 1
    return docs[0]
