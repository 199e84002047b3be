"""The persistent index cache: round trip, rebuilds on any change, damage detected, atomic writes."""
from __future__ import annotations

import dataclasses
import logging
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from bot.indexing import open_engine
from bot.settings import CacheSettings, Settings
from retrieval import BM25Params, SegmentOptions
from retrieval import cache as cache_module
from retrieval import store
from retrieval.cache import IndexCache
from retrieval.columns import Columns
from retrieval.lexicon import PartialJieba
from retrieval.models import Problem
from retrieval.segment import Segmenter

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "retrieval" / "data" / "corpus" / "2003-11-06_ningxia-study.txt"
QUESTIONS = ["谁谈到了腐败？", "纪委书记说了什么？", "谁谈到了西部大开发", "群众", "/speaker", "/speaker 刘丰富", "/section 2"]


SOURCE_DIGEST = cache_module._source_digest   # the real one (the fixture below replaces it)


@pytest.fixture(autouse=True)
def steady_sources(monkeypatch):
    """Keys normally cover the package's sources; colleagues editing them mid-run must not move them."""
    monkeypatch.setattr(cache_module, "_source_digest", lambda *_: "tests")


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A corpus folder of two files: the seed article and a second article, editable per test."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(SEED, folder / "seed.txt")
    (folder / "second.txt").write_text(
        "### 一篇普通的文章\n本报记者 张三\n2004-01-02\n第2版(要闻)\n专栏：\n\n"
        "　　今年粮食生产获得丰收，农民收入继续增加。\n　　各地积极推进农业结构调整。\n",
        encoding="utf-8",
    )
    return folder


def settings_for(tmp_path: Path, **changes) -> Settings:
    """Settings with the cache under tmp_path; `bm25=` and `expansion=` change the engine's options."""
    settings = Settings(cache=CacheSettings(dir=str(tmp_path / "cache")))
    engine = {k: changes.pop(k) for k in ("bm25", "expansion") if k in changes}
    return dataclasses.replace(settings, engine=dataclasses.replace(settings.engine, **engine), **changes)


def with_thesaurus(settings: Settings, on: bool = True, **changes) -> Settings:
    expansion = dataclasses.replace(settings.engine.expansion, thesaurus=on, **changes)
    return dataclasses.replace(settings, engine=dataclasses.replace(settings.engine, expansion=expansion))


def answers(engine) -> list:
    return [engine.ask(q) for q in QUESTIONS]


def index_folders(settings: Settings) -> list[Path]:
    return sorted(settings.cache_dir.glob("index-*"))


@pytest.mark.parametrize("thesaurus", [False, True], ids=["default", "thesaurus"])
def test_round_trip_gives_the_same_engine(tmp_path, corpus, thesaurus):
    settings = settings_for(tmp_path)
    settings = with_thesaurus(settings, thesaurus, synonyms=())   # only the thesaurus can add words
    built = open_engine(settings, [str(corpus)])
    loaded = open_engine(settings, [str(corpus)])
    assert (built.from_cache, loaded.from_cache) == (False, True)
    assert loaded.engine.documents == built.engine.documents
    assert loaded.engine.units == built.engine.units
    for name in ("ptr", "unit_ids", "weights", "idfs"):
        assert (getattr(loaded.engine.index, name) == getattr(built.engine.index, name)).all()
    assert loaded.engine.index.vocabulary == built.engine.index.vocabulary
    assert loaded.engine.title_index.vocabulary == built.engine.title_index.vocabulary
    uncached = open_engine(dataclasses.replace(settings, cache=CacheSettings(enabled=False)), [str(corpus)])
    assert uncached.folder is None and not uncached.from_cache
    assert answers(loaded.engine) == answers(built.engine) == answers(uncached.engine)
    words = ["腐败", "群众", "农民", "发展", "教育", "粮食", "干部"]
    assert loaded.engine.expander.expand(words) == uncached.engine.expander.expand(words)
    assert (len(loaded.engine.expander.expand(words)[0]) > len(words)) is thesaurus  # the thesaurus took part


def test_documents_and_problems_survive_the_columns(seed_engine, transcripts_engine):
    problems = [Problem("a.txt", "empty file"), Problem("b.txt", "not UTF-8; decoded as GB18030")]
    for engine in (seed_engine, transcripts_engine):
        built = Columns.build(list(engine.documents), problems)
        meta = {"kinds": built.kinds, "problems": [[p.source, p.reason] for p in problems]}
        columns = Columns(dict(built.arrays), meta)        # made from the arrays alone, as after a load
        assert list(columns.documents) == list(engine.documents)
        assert list(columns.units) == list(engine.units)
        assert columns.problems == problems


def test_problems_are_reported_again_from_the_cache(tmp_path, corpus):
    (corpus / "broken.txt").write_bytes(b"\x00\x01binary")
    settings = settings_for(tmp_path)
    for expected_from_cache in (False, True):
        seen: list[Problem] = []
        opened = open_engine(settings, [str(corpus)], on_problem=seen.append)
        assert opened.from_cache is expected_from_cache
        assert [p.source for p in seen] == [str(corpus / "broken.txt")]


def test_a_changed_corpus_file_rebuilds(tmp_path, corpus):
    settings = settings_for(tmp_path)
    open_engine(settings, [str(corpus)])
    second = corpus / "second.txt"
    second.write_text(second.read_text(encoding="utf-8").replace("粮食生产", "棉花生产"), encoding="utf-8")
    opened = open_engine(settings, [str(corpus)])
    assert not opened.from_cache
    assert "棉花" in opened.engine.index.vocabulary
    assert open_engine(settings, [str(corpus)]).from_cache


def test_an_added_file_rebuilds(tmp_path, corpus):
    settings = settings_for(tmp_path)
    open_engine(settings, [str(corpus)])
    shutil.copy(corpus / "second.txt", corpus / "third.txt")
    opened = open_engine(settings, [str(corpus)])
    assert not opened.from_cache and opened.documents == 3


@pytest.mark.parametrize(
    "change",
    [
        {"bm25": BM25Params(k1=1.2)},
        {"segmentation": SegmentOptions(extra_words=("粮食生产",))},
        {"segmentation": SegmentOptions(extra_stopwords=("农民",))},
        {"segmentation": SegmentOptions(hmm=False)},
        {"segmentation": SegmentOptions(backend="jieba")},
    ],
    ids=["bm25.k1", "extra_words", "extra_stopwords", "hmm", "backend"],
)
def test_a_setting_that_affects_indexing_rebuilds(tmp_path, corpus, change):
    open_engine(settings_for(tmp_path), [str(corpus)])
    changed = settings_for(tmp_path, **change)
    opened = open_engine(changed, [str(corpus)])
    assert not opened.from_cache
    assert open_engine(changed, [str(corpus)]).from_cache
    assert len(index_folders(changed)) == 2


def test_a_setting_that_does_not_affect_indexing_reuses_the_cache(tmp_path, corpus):
    open_engine(settings_for(tmp_path), [str(corpus)])
    changed = settings_for(tmp_path)
    changed = dataclasses.replace(changed, engine=dataclasses.replace(changed.engine, max_speakers=2))
    assert open_engine(changed, [str(corpus)]).from_cache


def test_a_new_index_format_version_rebuilds(tmp_path, corpus, monkeypatch):
    settings = settings_for(tmp_path)
    open_engine(settings, [str(corpus)])
    monkeypatch.setattr(cache_module, "INDEX_FORMAT_VERSION", cache_module.INDEX_FORMAT_VERSION + 1)
    assert not open_engine(settings, [str(corpus)]).from_cache


def test_changed_code_rebuilds(tmp_path, corpus, monkeypatch):
    settings = settings_for(tmp_path)
    open_engine(settings, [str(corpus)])
    monkeypatch.setattr(cache_module, "_source_digest", lambda *_: "a parser fix")
    assert not open_engine(settings, [str(corpus)]).from_cache


@pytest.mark.parametrize(
    "file, damage",
    [
        ("units.weights.npy", "truncate"),
        ("units.unit_ids.npy", "flip"),
        ("documents.texts_blob.npy", "flip"),
        ("documents.units.npy", "truncate"),
        ("speakers.names_blob.npy", "flip"),
        ("bounds.token_ends.npy", "truncate"),
        ("documents.json", "truncate"),
        ("titles.ptr.npy", "delete"),
        ("lexicon.added_freqs.npy", "flip"),
    ],
)
def test_a_damaged_cache_is_reported_in_one_line_and_rebuilt(tmp_path, corpus, caplog, file, damage):
    settings = settings_for(tmp_path)
    folder = open_engine(settings, [str(corpus)]).folder
    target = folder / file
    data = target.read_bytes()
    if damage == "truncate":
        target.write_bytes(data[: len(data) // 2])
    elif damage == "flip":
        target.write_bytes(data[:-1] + bytes([data[-1] ^ 0x01]))
    else:
        target.unlink()
    with caplog.at_level(logging.WARNING, logger="retrieval.cache"):
        opened = open_engine(settings, [str(corpus)])
    assert not opened.from_cache
    reports = [r.getMessage() for r in caplog.records if r.name == "retrieval.cache"]
    assert len(reports) == 1 and "\n" not in reports[0]
    assert "damaged" in reports[0] and "rebuilding" in reports[0] and file.split(".")[0] in reports[0]
    assert open_engine(settings, [str(corpus)]).from_cache  # the rebuilt cache is whole again
    assert answers(opened.engine) == answers(open_engine(settings, [str(corpus)]).engine)


def test_a_build_that_fails_while_writing_leaves_no_cache(tmp_path, corpus, monkeypatch):
    settings = settings_for(tmp_path)
    from retrieval import index as index_module

    real_save = index_module.BM25Index.save

    def dying_save(self, folder, name="index"):
        real_save(self, folder, name)
        if name == "titles":
            raise OSError("disk full (simulated)")

    monkeypatch.setattr(index_module.BM25Index, "save", dying_save)
    opened = open_engine(settings, [str(corpus)])  # still answers, without a cache
    assert opened.folder is None and opened.engine.ask("谁谈到了腐败？").kind == "who"
    assert index_folders(settings) == []
    assert list(settings.cache_dir.glob(".tmp-*")) == []
    monkeypatch.undo()
    assert not open_engine(settings, [str(corpus)]).from_cache
    assert open_engine(settings, [str(corpus)]).from_cache


def test_a_build_killed_while_writing_leaves_no_cache_that_is_used(tmp_path, corpus):
    """A real process killed with SIGKILL in the middle of writing the cache."""
    settings = settings_for(tmp_path)
    started = tmp_path / "writing"
    script = textwrap.dedent(f"""
        import time, pathlib
        from retrieval import store
        real = store.save_arrays
        def slow(folder, name, arrays, meta):
            written = real(folder, name, arrays, meta)
            pathlib.Path({str(started)!r}).write_text(str(folder))
            time.sleep(60)
            return written
        store.save_arrays = slow
        import retrieval.index, retrieval.cache
        retrieval.index.save_arrays = slow
        retrieval.cache.save_arrays = slow
        from bot.settings import Settings, CacheSettings
        from bot.indexing import open_engine
        open_engine(Settings(cache=CacheSettings(dir={str(settings.cache_dir)!r})), [{str(corpus)!r}])
    """)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"} | {"PYTHONPATH": str(ROOT)}
    child = subprocess.Popen([sys.executable, "-c", script], env=env, cwd=tmp_path)
    try:
        deadline = time.monotonic() + 120
        while not started.exists():
            assert child.poll() is None, "the build ended before writing"
            assert time.monotonic() < deadline
            time.sleep(0.05)
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    finally:
        if child.poll() is None:
            child.kill()
    assert index_folders(settings) == []                    # nothing looks finished
    assert len(list(settings.cache_dir.glob(".tmp-*"))) == 1  # the half-written folder
    opened = open_engine(settings, [str(corpus)])
    assert not opened.from_cache
    assert list(settings.cache_dir.glob(".tmp-*")) == []     # removed: its process is gone
    assert open_engine(settings, [str(corpus)]).from_cache


def test_old_caches_are_pruned(tmp_path, corpus, monkeypatch):
    monkeypatch.setattr(cache_module, "KEEP", 2)
    monkeypatch.setattr(IndexCache.__init__, "__defaults__", (2,))
    for k1 in (1.1, 1.2, 1.3):
        open_engine(settings_for(tmp_path, bm25=BM25Params(k1=k1)), [str(corpus)])
        time.sleep(0.01)
    assert len(index_folders(settings_for(tmp_path))) == 2


def test_a_cached_engine_starts_with_a_partial_dictionary_and_cuts_the_same(tmp_path, corpus, monkeypatch):
    import retrieval.lexicon as lexicon_module

    monkeypatch.setattr(lexicon_module, "SWITCH_AFTER", 20)   # fewer distinct texts than the corpus holds
    settings = settings_for(tmp_path)
    built = open_engine(settings, [str(corpus)]).engine
    loaded = open_engine(settings, [str(corpus)]).engine
    reference = Segmenter("rjieba", words=built.segmenter.words)
    texts = [u.utterance.text for u in loaded.units] + QUESTIONS
    assert [loaded.segmenter.terms(t) for t in texts[:20]] == [reference.terms(t) for t in texts[:20]]
    cutter = loaded.segmenter.cutter
    assert isinstance(cutter, PartialJieba) and not cutter.whole
    texts = texts * 3
    assert [[t.surface for t in loaded.segmenter.tokens(t)] for t in texts] == \
        [[t.surface for t in reference.tokens(t)] for t in texts]
    assert cutter.whole  # more distinct texts than SWITCH_AFTER: the whole dictionary took over


def test_the_lexicon_checked_in_another_process_is_stored_as_checked_here(tmp_path, corpus, monkeypatch):
    """A large corpus' lexicon is checked in a forked process while the arrays are written: the stored
    lexicon is the one this process would have stored, file for file."""
    from retrieval import parallel

    stored = {}
    for name, least in (("here", 10**9), ("aside", 0)):
        monkeypatch.setattr(parallel, "ASIDE_MIN_UNITS", least)
        settings = settings_for(tmp_path / name)
        open_engine(settings, [str(corpus)])
        (folder,) = index_folders(settings)
        stored[name] = {f.name: f.read_bytes() for f in folder.glob("lexicon.*")}
    assert stored["here"] and stored["here"] == stored["aside"]


def test_aside_gives_the_result_worked_out_elsewhere():
    from retrieval import parallel

    with parallel.aside(os.getpid, units=parallel.ASIDE_MIN_UNITS) as forked:
        with parallel.aside(os.getpid, units=parallel.ASIDE_MIN_UNITS - 1) as here:
            assert here() == os.getpid()
        assert forked() != os.getpid() or parallel.available_cores() < 2


def test_qabot_index_prints_its_figures(tmp_path, corpus, capsys):
    from bot.cli import main

    config = tmp_path / "config.yaml"
    config.write_text(f"cache:\n  dir: {tmp_path / 'cache'}\n", encoding="utf-8")
    assert main(["index", "--config", str(config), "--corpus", str(corpus)]) == 0
    out = capsys.readouterr().out
    for label in ("documents:  2", "utterances:", "terms:", "seconds:", "on disk:", str(tmp_path / "cache")):
        assert label in out
    assert main(["index", "--config", str(config), "--corpus", str(corpus)]) == 0  # always rebuilds


def test_the_ask_path_imports_no_rank_bm25_telegram_tqdm_or_rjiebas_own_dictionary(tmp_path):
    """With a warm cache `qabot ask` answers without the libraries it does not need."""
    config = tmp_path / "config.yaml"
    config.write_text(f"cache:\n  dir: {tmp_path / 'cache'}\n", encoding="utf-8")
    script = textwrap.dedent(f"""
        import sys
        from bot.cli import main
        for _ in range(2):  # the second run is served from the cache
            assert main(["ask", "--config", {str(config)!r}, "谁谈到了腐败？"]) == 0
        # rjieba: the package's module-level whole dictionary (the segmenter and tagger use the stored one)
        loaded = sorted(m for m in ("rank_bm25", "telegram", "tqdm", "jieba", "retrieval.parse", "rjieba",
                                    "retrieval.evaluation") if m in sys.modules)
        print("LOADED", loaded)
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "LOADED ['retrieval.parse']" in result.stdout  # parsed on the first, cold run only
    warm = subprocess.run(
        [sys.executable, "-c", script.replace("range(2)", "range(1)")], capture_output=True, text=True, cwd=ROOT,
        timeout=300)
    assert "LOADED []" in warm.stdout, warm.stdout + warm.stderr


def test_preload_switches_to_the_whole_dictionary_and_tagger_with_the_same_answers(tmp_path, corpus):
    settings = settings_for(tmp_path)
    open_engine(settings, [str(corpus)])
    lazy, engine = (open_engine(settings, [str(corpus)]).engine for _ in range(2))
    assert not engine.segmenter.cutter.whole   # a warm start cuts with the stored lexicon's words
    engine.preload()
    assert engine.segmenter.cutter.whole and engine.segmenter.tagger.whole
    text = "刘丰富谈到了惩治腐败"
    assert engine.segmenter.terms(text) == Segmenter("rjieba", words=engine.segmenter.words).terms(text)
    assert engine.segmenter.tag(text) == Segmenter("rjieba").tag(text)
    for question in ("谁谈到了腐败？", "纪委书记说了什么？", "/speaker 刘丰富", "农民的收入"):
        assert engine.ask(question) == lazy.ask(question)


def test_progress_bar_only_on_a_terminal():
    import io

    from bot.indexing import progress_bar

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    with progress_bar(100, "indexing", io.StringIO()) as advance:
        assert advance is None                      # a pipe or a log file: nothing drawn
    screen = Terminal()
    with progress_bar(100, "indexing", screen) as advance:
        advance(60)
        advance(40)
    assert "indexing" in screen.getvalue() and "/100" in screen.getvalue()


def test_a_damaged_thesaurus_is_reported_and_rebuilt(tmp_path, corpus, caplog):
    settings = settings_for(tmp_path)
    settings = with_thesaurus(settings)
    folder = open_engine(settings, [str(corpus)]).folder
    target = folder / "thesaurus.table.npy"
    target.write_bytes(target.read_bytes()[:-7])
    with caplog.at_level(logging.WARNING, logger="retrieval.cache"):
        assert not open_engine(settings, [str(corpus)]).from_cache
    assert len([r for r in caplog.records if r.name == "retrieval.cache"]) == 1
    assert open_engine(settings, [str(corpus)]).from_cache


def test_thesaurus_setting_rebuilds(tmp_path, corpus):
    settings = settings_for(tmp_path)
    open_engine(settings, [str(corpus)])
    on = with_thesaurus(settings)
    assert not open_engine(on, [str(corpus)]).from_cache
    assert not (open_engine(settings, [str(corpus)]).folder / "thesaurus.json").exists()


def test_a_relative_and_an_absolute_corpus_path_share_one_cache(tmp_path, corpus, monkeypatch):
    settings = settings_for(tmp_path)
    assert not open_engine(settings, [str(corpus)]).from_cache
    monkeypatch.chdir(corpus.parent)
    for same in ("corpus", "./corpus/", "../" + corpus.parent.name + "/corpus"):
        assert open_engine(settings, [same]).from_cache, same
    assert len(index_folders(settings)) == 1


def test_a_fresh_build_keeps_no_parsed_documents_yet_makes_the_same_ones(tmp_path, corpus):
    from retrieval.corpus import load_corpus

    parsed = load_corpus([str(corpus)]).documents
    engine = open_engine(settings_for(tmp_path), [str(corpus)]).engine
    assert engine.documents.made(0) is None   # dropped while the units were indexed
    assert list(engine.documents) == parsed


def test_a_corpus_reached_through_symlinks_shares_one_cache(tmp_path, corpus):
    settings = settings_for(tmp_path)
    assert not open_engine(settings, [str(corpus)]).from_cache
    folder_link = tmp_path / "folder-link"
    folder_link.symlink_to(corpus, target_is_directory=True)
    assert open_engine(settings, [str(folder_link)]).from_cache
    # a folder of links to the files: each file is keyed by the path it resolves to
    links = tmp_path / "links"
    links.mkdir()
    for file in corpus.iterdir():
        (links / file.name).symlink_to(file)
    assert open_engine(settings, [str(links)]).from_cache
    assert len(index_folders(settings)) == 1


def test_a_cached_engine_tags_questions_as_rjieba_from_its_stored_dictionary(tmp_path, corpus):
    import rjieba
    import yaml

    settings = settings_for(tmp_path)
    open_engine(settings, [str(corpus)])
    loaded = open_engine(settings, [str(corpus)]).engine
    cases = yaml.safe_load((ROOT / "eval" / "transcripts.yaml").read_text(encoding="utf-8"))
    questions = QUESTIONS + [c["question"] for c in cases][:40]
    assert [loaded.segmenter.tag(q) for q in questions] == [rjieba.tag(q) for q in questions]


def test_a_file_changed_with_its_size_and_mtime_kept_rebuilds(tmp_path, corpus, monkeypatch):
    """Digests are trusted on stat alone, but the change time moves with any write."""
    monkeypatch.setattr(store, "RACY_NS", 0)   # trust the stat of files written just now
    settings = settings_for(tmp_path)
    open_engine(settings, [str(corpus)])
    second = corpus / "second.txt"
    before = second.stat()
    second.write_text(second.read_text(encoding="utf-8").replace("粮食生产", "棉花生产"), encoding="utf-8")
    os.utime(second, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert second.stat().st_size == before.st_size and second.stat().st_mtime_ns == before.st_mtime_ns
    opened = open_engine(settings, [str(corpus)])
    assert not opened.from_cache
    assert "棉花" in opened.engine.index.vocabulary


def test_an_unchanged_file_is_not_read_again_for_the_key(tmp_path, corpus, monkeypatch):
    monkeypatch.setattr(store, "RACY_NS", 0)
    settings = settings_for(tmp_path)
    open_engine(settings, [str(corpus)])
    read: list[Path] = []
    original = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: read.append(self) or original(self))
    assert open_engine(settings, [str(corpus)]).from_cache
    assert not [p for p in read if p.parent == corpus.resolve()]


def test_a_file_hashed_right_after_it_was_written_is_hashed_again(tmp_path, corpus):
    """Within the racy window a same-size rewrite could keep every stat field: no record is kept."""
    settings = settings_for(tmp_path)
    open_engine(settings, [str(corpus)])
    digests = cache_module.FileDigests(settings.cache_dir)
    assert str((corpus / "second.txt").resolve()) not in digests._known


def test_a_cache_file_damaged_after_it_was_checked_is_caught(tmp_path, corpus, monkeypatch):
    """Checked files are trusted on their stat; a rewrite of the same size moves the change time."""
    monkeypatch.setattr(store, "RACY_NS", 0)
    settings = settings_for(tmp_path)
    folder = open_engine(settings, [str(corpus)]).folder
    assert open_engine(settings, [str(corpus)]).from_cache          # checks the checksums, records the stats
    assert (folder / "verified.json").is_file()
    assert open_engine(settings, [str(corpus)]).from_cache          # trusts them
    target = folder / "documents.texts_blob.npy"
    data = target.read_bytes()
    before = target.stat()
    target.write_bytes(data[:-1] + bytes([data[-1] ^ 0x01]))
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert not open_engine(settings, [str(corpus)]).from_cache


def test_vectors_built_over_a_cache_without_them_are_stored_and_mapped_next_start(tmp_path, corpus):
    """A cache built with the vectors off has none of their rows: the first vectors-on start builds them
    and stores them beside the index, so the next one maps them and answers the same."""
    off = settings_for(tmp_path)
    off = dataclasses.replace(off, engine=dataclasses.replace(
        off.engine, semantic=dataclasses.replace(off.engine.semantic, vectors=False)))
    on = settings_for(tmp_path)
    open_engine(off, [str(corpus)])
    (folder,) = index_folders(on)
    assert not (folder / "semantic.json").exists()
    first = open_engine(on, [str(corpus)])
    assert first.from_cache and first.engine.semantics._stored is None
    built = answers(first.engine)
    assert (folder / "semantic.json").is_file() and (folder / "characters.json").is_file()
    assert not list(folder.glob(".semantic-*"))
    again = open_engine(on, [str(corpus)])
    assert again.from_cache and again.engine.semantics._stored is not None
    assert answers(again.engine) == built
    vocabulary = again.engine.semantics.vocabulary
    assert list(vocabulary.rows) == list(first.engine.semantics.vocabulary.rows)


def _mapped_kb(folder: Path) -> int:
    """KB of the folder's files resident in this process through its mappings (/proc/self/smaps)."""
    total, inside = 0, False
    for line in Path("/proc/self/smaps").read_text().splitlines():
        parts = line.split()
        if len(parts) >= 5 and "-" in parts[0] and ":" in parts[3]:   # a mapping's header line
            inside = len(parts) >= 6 and parts[5].startswith(str(folder))
        elif inside and parts[:1] == ["Rss:"]:
            total += int(parts[1])
    return total


@pytest.mark.skipif(not Path("/proc/self/smaps").is_file(), reason="reads this process's mappings in /proc")
def test_mapped_pages_past_the_limit_are_released_and_answers_stay_the_same(tmp_path, corpus):
    """With a resident limit, an answer first releases the mapped cache pages past it (they stay in the
    page cache and are mapped again when read): the same answers, and none of the cache resident after."""
    from bot.console import format_answer

    def rendered(engine) -> list[str]:
        return [format_answer(engine, q, as_json=j) for q in QUESTIONS for j in (False, True)]

    unlimited = settings_for(tmp_path, cache=CacheSettings(dir=str(tmp_path / "cache"), resident_mb=0))
    open_engine(unlimited, [str(corpus)])                  # builds the cache
    plain = open_engine(unlimited, [str(corpus)])
    assert plain.from_cache and plain.engine.resident_limit == 0
    expected = rendered(plain.engine)
    (folder,) = index_folders(unlimited)
    assert _mapped_kb(folder) > 0                           # answering read mapped pages, and they stayed
    limited = open_engine(settings_for(tmp_path, cache=CacheSettings(dir=str(tmp_path / "cache"), resident_mb=1)),
                          [str(corpus)])
    assert limited.from_cache and limited.engine.resident_limit == 1 << 20
    limited.engine.resident_limit = 1                       # a byte: every answer releases what the last one read
    assert rendered(limited.engine) == expected
    assert store.MAPPED.keep_within(1)
    assert _mapped_kb(folder) == 0
    assert rendered(limited.engine) == expected             # read again from the page cache


def test_the_sources_digest_rereads_only_changed_files_and_sees_every_change(tmp_path, monkeypatch):
    """The key's digest of the package's sources, from stat records: the digest reading every file
    gives, no file read while none changed, a new digest for an edit that keeps size and mtime or a new file."""
    package = tmp_path / "retrieval"
    shutil.copytree(ROOT / "retrieval", package, ignore=shutil.ignore_patterns("data", "__pycache__"))
    monkeypatch.setattr(cache_module, "_PACKAGE", package)
    monkeypatch.setattr(cache_module, "settled", lambda st: True)   # the copies' ctimes are seconds old
    read: list[str] = []
    real_read = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: read.append(self.name) or real_read(self))

    def digest() -> str:
        digests = cache_module.FileDigests(tmp_path / "cache")
        value = SOURCE_DIGEST(digests)
        digests.save()
        return value

    (tmp_path / "cache").mkdir()
    first = digest()
    assert len(read) == len(list(package.rglob("*.py"))) > 40
    read.clear()
    assert digest() == first and read == []
    assert SOURCE_DIGEST(cache_module.FileDigests(None)) == first   # the records give what reading gives
    edited = package / "index.py"
    text = edited.read_text(encoding="utf-8")
    st = edited.stat()
    edited.write_text(text.replace("BM25", "BM26", 1), encoding="utf-8")
    os.utime(edited, ns=(st.st_atime_ns, st.st_mtime_ns))
    read.clear()
    changed = digest()
    assert changed != first and read == ["index.py"]
    (package / "parse" / "new.py").write_text("", encoding="utf-8")
    assert digest() not in (first, changed)


def test_stored_arrays_open_as_numpy_reads_them(tmp_path, corpus):
    """Every array of a real cache, mapped or read: numpy's own `np.load` of the file (values, dtype,
    shape, order), read-only; headers the plain reader does not take (2-D, Fortran order, strings, 0-d,
    empty) go to numpy's reader and give the same."""
    import numpy as np

    open_engine(settings_for(tmp_path), [str(corpus)])
    stores = [(folder, manifest.name.split(".")[0]) for folder in (tmp_path / "cache").iterdir() if folder.is_dir()
              for manifest in folder.glob("*.json") if manifest.name != "verified.json"]
    assert {folder.name.split("-")[0] for folder, _ in stores} == {"index", "dictionary"}
    extra = tmp_path / "extra"
    extra.mkdir()
    arrays = {"square": np.arange(12, dtype=np.int32).reshape(3, 4), "fortran": np.asfortranarray(np.ones((2, 3))),
              "strings": np.array(["ab", "c"]), "scalar": np.array(7, dtype=np.int16), "empty": np.zeros(0, np.uint8),
              "half": np.arange(5, dtype=np.float16), "flags": np.array([True, False]), "cube": np.zeros((2, 3, 4))}
    store.save_arrays(extra, "extra", arrays, {})
    stores.append((extra, "extra"))
    checked = 0
    for folder, name in stores:
        for mapped in (True, False):
            loaded, _ = store.load_arrays(folder, name, mapped=mapped)
            for key, array in loaded.items():
                reference = np.load(folder / f"{name}.{key}.npy", allow_pickle=False)
                assert array.dtype == reference.dtype and array.shape == reference.shape, (name, key)
                assert np.array_equal(array, reference) and not array.flags.writeable, (name, key)
                assert array.flags.f_contiguous == reference.flags.f_contiguous, (name, key)
                checked += 1
    assert checked > 150


def test_a_build_runs_with_the_collector_on_in_a_process_that_switched_it_off(tmp_path, corpus, monkeypatch):
    """`qabot ask QUESTION` starts without the cyclic collector; a cold cache's build still has it (and
    the process gets its own choice back); a warm start leaves it as it is."""
    import gc

    import retrieval.opening

    seen: list[bool] = []
    real = retrieval.opening.new_engine
    monkeypatch.setattr(retrieval.opening, "new_engine", lambda *a, **k: seen.append(gc.isenabled()) or real(*a, **k))
    gc.disable()
    try:
        open_engine(settings_for(tmp_path), [str(corpus)])
        assert seen == [True] and not gc.isenabled()
        open_engine(settings_for(tmp_path), [str(corpus)])
        assert seen == [True] and not gc.isenabled()   # from the cache: nothing built
    finally:
        gc.enable()
