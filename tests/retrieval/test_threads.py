"""Many threads at once on one engine, as the bot answers up to 8 updates at a time."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import yaml

from retrieval.lexicon import PartialJieba

ROOT = Path(__file__).resolve().parents[2]
COMMANDS = ["/speaker", "/speaker 刘丰富", "/section 2", "/doc", "/help", "", "谁" * 600, "who talked about corruption?"]


def questions() -> list[str]:
    """The seed development set's questions and a few commands, three times over (a few hundred inputs)."""
    cases = yaml.safe_load((ROOT / "eval" / "seed.yaml").read_text(encoding="utf-8"))
    return [case["question"] for case in cases] * 3 + COMMANDS


def test_a_cache_loaded_engine_answers_from_8_threads_like_from_one(cache_loaded_seed_engine, test_settings):
    from bot.indexing import open_engine

    asked = questions()
    assert len(asked) > 200
    with ThreadPoolExecutor(max_workers=8) as pool:
        concurrent = list(pool.map(cache_loaded_seed_engine.ask, asked))   # raises on any thread's error
    assert isinstance(cache_loaded_seed_engine.segmenter.cutter, PartialJieba)   # the restart case was tested
    alone = open_engine(test_settings).engine
    assert [alone.ask(q) for q in asked] == concurrent
