"""The corpus loader: every shared corpus file parses; bad files become Problems and never stop the good ones."""
from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from retrieval.corpus import corpus_files, embedded_corpus_path, load_corpus
from retrieval.parse import parse_text_with_problems

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
GOOD = "### 好文章\n\n2003-11-06\n第1版()\n专栏：\n\n\u3000\u3000王大明（市长）：今天讨论交通问题。\n"
# The bulk days checked by default: first and last day of every month in bulk/.
SAMPLE_DAYS = ["1998-01-01", "1998-01-31", "2020-01-01", "2020-01-31", "2020-02-01", "2020-02-29", "2020-03-01",
               "2020-03-31", "2020-04-01", "2020-04-30"]


@pytest.fixture(scope="module")
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"shared corpus not found at {SHARED} (expected ../shared/corpus beside the repository)")
    return SHARED


def articles_in(path: Path) -> int:
    """How many `### ` headers a file has: the number of articles it should yield."""
    text = path.read_text(encoding="utf-8")
    return text.count("\n### ") + text.startswith("### ")


@pytest.mark.parametrize("folder", ["seed", "transcripts", "format_samples"])
def test_every_small_corpus_file_parses(shared: Path, folder: str):
    files = corpus_files(shared / folder)
    assert files and all(f.suffix == ".txt" for f in files)  # transcripts/json/*.json are not corpus files
    corpus = load_corpus([shared / folder])
    assert corpus.problems == []
    assert len(corpus.documents) == len(files)
    assert all(d.date and d.page.startswith("第") and d.utterances for d in corpus.documents)


def test_transcripts_have_named_speakers(shared: Path):
    corpus = load_corpus([shared / "transcripts"])
    with_speakers = [d for d in corpus.documents if d.speakers]
    assert len(with_speakers) >= 58  # 62 files; 3 dialogues and 1 summary name nobody reliably
    seed = next(d for d in corpus.documents if d.source.endswith("2003-11-06_p09_ningxia-study.txt"))
    assert len(seed.speakers) == 12


def test_bulk_sample_days_parse_completely_and_fast(shared: Path):
    files = [shared / "bulk" / f"{day}.txt" for day in SAMPLE_DAYS]
    expected = sum(articles_in(f) for f in files)
    start = time.perf_counter()
    corpus = load_corpus(files)
    elapsed = time.perf_counter() - start
    assert corpus.problems == []
    assert len(corpus.documents) == expected
    assert all(d.date == Path(d.source).stem and d.byline == "" and d.column == "" for d in corpus.documents)
    assert elapsed < 10, f"10 bulk days took {elapsed:.1f}s"


@pytest.mark.slow
def test_whole_bulk_folder(shared: Path):
    start = time.perf_counter()
    corpus = load_corpus([shared / "bulk"])
    elapsed = time.perf_counter() - start
    assert corpus.problems == []
    assert len(corpus.documents) == 11963  # bulk/README.md
    assert sum(len({u.position for u in d.utterances}) for d in corpus.documents) <= 115554
    assert elapsed < 30, f"the bulk folder took {elapsed:.1f}s"


def test_embedded_corpus_is_the_seed():
    path = embedded_corpus_path()
    assert path.is_dir() and (path / "2003-11-06_ningxia-study.txt").is_file()
    corpus = load_corpus([path])
    assert corpus.problems == [] and len(corpus.documents) == 1
    assert corpus.documents[0].speakers["刘丰富"] == "自治区党委副书记、纪委书记"


def _unreadable(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make `path` unreadable: by permissions, or (when running as root, who reads anything) by patching."""
    path.chmod(0)
    if os.access(path, os.R_OK):
        real = Path.read_bytes

        def read_bytes(self: Path) -> bytes:
            if self == path:
                raise PermissionError(13, "Permission denied", str(self))
            return real(self)

        monkeypatch.setattr(Path, "read_bytes", read_bytes)


def test_bad_files_become_problems_and_good_files_are_served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    (tmp_path / "a_good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b_binary.txt").write_bytes(b"### x\n\x00\x01\x02")
    (tmp_path / "c_gbk.txt").write_bytes(GOOD.replace("好文章", "国标文章").encode("gbk"))
    (tmp_path / "d_empty.txt").write_bytes(b"")
    (tmp_path / "e_noheader.md").write_text("只是一段文字，没有标题行。\n", encoding="utf-8")
    (tmp_path / "f_bom.txt").write_bytes(b"\xef\xbb\xbf" + GOOD.replace("好文章", "带BOM的文章").encode("utf-8"))
    unreadable = tmp_path / "g_unreadable.txt"
    unreadable.write_text(GOOD, encoding="utf-8")
    _unreadable(unreadable, monkeypatch)
    try:
        corpus = load_corpus([tmp_path, tmp_path / "missing.txt"])
    finally:
        unreadable.chmod(0o644)
    reasons = {Path(p.source).name: p.reason for p in corpus.problems}
    assert set(reasons) == {"b_binary.txt", "c_gbk.txt", "d_empty.txt", "e_noheader.md", "g_unreadable.txt",
                            "missing.txt"}
    assert "binary" in reasons["b_binary.txt"]
    assert "GB18030" in reasons["c_gbk.txt"]
    assert "empty" in reasons["d_empty.txt"]
    assert "header" in reasons["e_noheader.md"]
    assert "permission" in reasons["g_unreadable.txt"]
    assert "no such" in reasons["missing.txt"]
    assert all("\n" not in r for r in reasons.values())
    # the GB18030 file is decoded and served (with its note); the others are not
    assert [d.title for d in corpus.documents] == ["好文章", "国标文章", "带BOM的文章"]
    assert corpus.documents[1].speakers == {"王大明": "市长"}


def test_folder_walk_is_recursive_sorted_and_skips_readmes_hidden_and_other_files(tmp_path: Path):
    for rel in ["b.txt", "a/c.md", "a/README.md", "readme.md", ".hidden.txt", ".git/d.txt", "json/e.json", "f.csv"]:
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(GOOD.replace("好文章", rel), encoding="utf-8")
    assert [p.relative_to(tmp_path).as_posix() for p in corpus_files(tmp_path)] == ["a/c.md", "b.txt"]
    corpus = load_corpus([tmp_path, tmp_path / "b.txt"])  # a file named twice is loaded once
    assert [d.title for d in corpus.documents] == ["a/c.md", "b.txt"] and corpus.problems == []


def test_one_bad_article_in_a_day_file_is_reported_with_the_file(tmp_path: Path):
    bad = "### 坏文章\n\n不是日期\n第2版()\n专栏：\n\n\u3000\u3000正文。\n"
    day = tmp_path / "2020-01-01.txt"
    day.write_text(GOOD + "\n" + bad + "\n" + GOOD.replace("好文章", "第三篇"), encoding="utf-8")
    corpus = load_corpus(str(day))
    assert [d.title for d in corpus.documents] == ["好文章", "第三篇"]
    assert len(corpus.problems) == 1
    assert corpus.problems[0].source == str(day) and "article 2" in corpus.problems[0].reason
    assert parse_text_with_problems(day.read_text(encoding="utf-8"), str(day)) == (corpus.documents, corpus.problems)


def test_loading_leaves_the_garbage_collector_as_it_was(tmp_path: Path):
    import gc

    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    assert gc.isenabled()
    load_corpus([tmp_path])
    assert gc.isenabled()
    gc.disable()
    try:
        load_corpus([tmp_path])
        assert not gc.isenabled()
    finally:
        gc.enable()
