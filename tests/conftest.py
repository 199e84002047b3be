"""Fixtures shared by every test: the embedded seed, the shared corpus, engines built once."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpus"
SEED = ROOT / "retrieval" / "data" / "corpus" / "2003-11-06_ningxia-study.txt"


@pytest.fixture(scope="session", autouse=True)
def private_cache_home(tmp_path_factory):
    """The default cache folder (settings memos, indexes of configs without `cache.dir`) of the tests and
    the processes they start in a temp folder, never the user's ~/.cache."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg")))
        yield


@pytest.fixture(scope="session")
def shared_corpus() -> Path:
    """The team's sample corpus beside the checkout; tests needing it skip when it is absent."""
    if not SHARED.is_dir():
        pytest.skip(f"../shared/corpus not found at {SHARED}: the shared sample corpus is not beside this checkout")
    return SHARED


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def test_settings(tmp_path_factory):
    """The project's config.yaml, with the index cache in a private temp folder."""
    import dataclasses

    from bot.settings import load_settings

    settings = load_settings(ROOT / "config.yaml")
    cache = dataclasses.replace(settings.cache, dir=str(tmp_path_factory.mktemp("cache")))
    return dataclasses.replace(settings, cache=cache)


@pytest.fixture(scope="session")
def seed_engine(test_settings):
    """An engine over the embedded seed, built the way the CLI builds it."""
    from bot.indexing import build_engine

    return build_engine(test_settings)


@pytest.fixture(scope="session")
def transcripts_engine(test_settings, shared_corpus: Path):
    from bot.indexing import build_engine

    return build_engine(test_settings, [str(shared_corpus / "transcripts")])


@pytest.fixture
def cache_loaded_seed_engine(test_settings):
    """A seed engine just opened from a warm index cache, as after any restart: its segmenter starts
    from the stored partial dictionary and has cut nothing yet."""
    from bot.indexing import open_engine

    open_engine(test_settings)    # stores the cache if no test has yet
    opened = open_engine(test_settings)
    assert opened.from_cache
    return opened.engine
