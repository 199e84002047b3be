"""Broken corpus files, through `qabot ask`: each is named with its reason in one stderr line, the rest served.

`--strict` turns any of them into exit status 1, for CI.
"""
from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from .conftest import SEED

SURNAMES, FIRST, SECOND = "赵钱孙李周吴郑冯陈褚", "建明华志德春海永晓秋文立新宏伟红金玉光荣", "平安军林峰涛杰斌强勇刚辉成龙凯"
ARTICLE = "### {title}\n\n2003-11-06\n第1版(要闻)\n专栏：\n\n\u3000\u3000{name}（{role}）：{text}\n"


def person(i: int) -> str:
    """A distinct three-character name for each i below 3,000."""
    return SURNAMES[i % 10] + FIRST[i // 10 % 20] + SECOND[i // 200 % 15]


def article(title: str, name: str, text: str, role: str = "市长") -> str:
    return ARTICLE.format(title=title, name=name, role=role, text=text)


def problem_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("qabot: ") and "config error" not in line]


def lines_naming(err: str, name: str) -> list[str]:
    return [line for line in problem_lines(err) if name in line]


def ask_json(qabot, *args: str) -> tuple[int, dict, str]:
    status, out, err = qabot("ask", *args, "--json")
    return status, (json.loads(out) if out.strip() else {}), err


@pytest.fixture
def broken_folder(tmp_path: Path) -> Path:
    """A corpus folder: the seed and good files beside one file of every broken kind."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    seed = SEED.read_bytes()
    (folder / "seed.txt").write_bytes(seed)
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (folder / "gbk.txt").write_bytes(article("国标码文章", "王国标", "今天讨论邮政编码问题。").encode("gbk"))
    (folder / "gb18030.txt").write_bytes(article("四字节文章", "李四字", "今天讨论骆驼养殖㐁问题。", "区长").encode("gb18030"))
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.md").write_bytes(b"\n\r\n \t\n")
    (folder / "no_header.txt").write_text("只是一段文字，没有标题行。\n\u3000\u3000张三：你好。\n", encoding="utf-8")
    (folder / "header_only.txt").write_text("### 只有标题\n", encoding="utf-8")
    # Truncated: inside an article (at a character), inside its header, inside a UTF-8 character.
    truncated = article("截断的文章", "赵截断", "今天讨论港口疏浚问题，话还没有说完").encode("utf-8")
    (folder / "cut_article.txt").write_bytes(truncated)
    (folder / "cut_header.txt").write_bytes(truncated[: truncated.index("第1版".encode())])
    cut = article("半个字符", "钱半字", "今天讨论灯塔维修问题。").encode("utf-8")
    (folder / "cut_utf8.txt").write_bytes(cut[:-2])   # 。 is three bytes: one is left
    # Unreadable whatever the user: a folder named like a file, a link to nothing.
    (folder / "folder.txt").mkdir()
    (folder / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    return folder


BAD = {   # file → words its one line must hold
    "binary.txt": "skipped: binary",
    "empty.txt": "skipped: empty",
    "blank.md": "skipped: empty",
    "no_header.txt": "skipped: no '### ' article header",
    "header_only.txt": "skipped: '只有标题': no YYYY-MM-DD date line",
    "cut_header.txt": "skipped: '截断的文章': no 第N版(栏目) page line",
    "folder.txt": "skipped: is a folder",
    "dangling.txt": "skipped: unreadable",
}
SERVED = {   # decoded and served, but reported
    "gbk.txt": "decoded as GB18030 and served",
    "gb18030.txt": "decoded as GB18030 and served",
    "cut_utf8.txt": "ends inside a character (truncated?); served up to the cut",
}


def test_each_bad_file_is_named_once_with_its_reason_and_the_rest_is_served(qabot, broken_folder: Path) -> None:
    status, answer, err = ask_json(qabot, "/doc", "--corpus", str(broken_folder))
    assert status == 0, err
    assert "Traceback" not in err
    for name, reason in {**BAD, **SERVED}.items():
        (line,) = lines_naming(err, f"{os.sep}{name}:")
        assert reason in line, line
    assert len(problem_lines(err)) == len(BAD) + len(SERVED)
    titles = {d["title"] for d in answer["documents"]}
    assert titles == {"始终保持党同人民群众的血肉联系——宁夏回族自治区党委理论学习中心组学习实录",
                      "国标码文章", "四字节文章", "截断的文章", "半个字符"}
    # Each served file answers; the truncated ones with the text up to the cut (a cut last line is narration).
    for question, speaker in [("谁谈到了腐败？", "刘丰富"), ("谁谈到了邮政编码？", "王国标"), ("谁谈到了骆驼养殖？", "李四字")]:
        status, answer, _ = ask_json(qabot, question, "--corpus", str(broken_folder))
        assert status == 0 and answer["speakers"][0]["name"] == speaker, question
    for question, text in [("港口疏浚", "今天讨论港口疏浚问题，话还没有说完"), ("灯塔维修", "今天讨论灯塔维修问题")]:
        status, answer, _ = ask_json(qabot, question, "--corpus", str(broken_folder))
        assert status == 0 and answer["passages"][0]["text"].endswith(text), question


def test_problems_are_reported_again_when_the_index_comes_from_the_cache(qabot, broken_folder: Path) -> None:
    _, _, first = ask_json(qabot, "/doc", "--corpus", str(broken_folder))
    status, answer, again = ask_json(qabot, "/doc", "--corpus", str(broken_folder))
    assert status == 0 and len(answer["documents"]) == 5
    assert sorted(problem_lines(again)) == sorted(problem_lines(first))


def test_strict_turns_any_bad_file_into_exit_1(qabot, broken_folder: Path) -> None:
    status, out, err = qabot("ask", "/doc", "--corpus", str(broken_folder), "--strict")
    assert status == 1 and out == ""
    assert err.splitlines()[-1] == (f"qabot: corpus error: {len(BAD) + len(SERVED)} corpus file(s) could not "
                                    "be used (corpus.strict is on)")
    assert len(problem_lines(err)) == len(BAD) + len(SERVED) + 1


def test_strict_passes_a_clean_corpus(qabot, tmp_path: Path) -> None:
    (tmp_path / "ok.txt").write_bytes(SEED.read_bytes())
    status, answer, err = ask_json(qabot, "谁谈到了腐败？", "--corpus", str(tmp_path / "ok.txt"), "--strict")
    assert status == 0 and problem_lines(err) == []
    assert answer["speakers"][0]["name"] == "刘丰富"


def test_a_corpus_of_bad_files_only_is_exit_1(qabot, broken_folder: Path) -> None:
    for name in ("seed.txt", "gbk.txt", "gb18030.txt", "cut_article.txt", "cut_utf8.txt"):
        (broken_folder / name).unlink()
    status, out, err = qabot("ask", "谁谈到了腐败？", "--corpus", str(broken_folder))
    assert status == 1 and out == ""
    assert err.splitlines()[-1].startswith("qabot: corpus error: no readable article")
    assert len(problem_lines(err)) == len(BAD) + 1


def test_unreadable_permissions(qabot, tmp_path: Path) -> None:
    locked = tmp_path / "locked.txt"
    locked.write_bytes(SEED.read_bytes())
    locked.chmod(0)
    try:
        if os.access(locked, os.R_OK):
            pytest.skip("running as root, which reads any file: permissions cannot make one unreadable "
                        "(folder.txt and dangling.txt above cover unreadable paths)")
        (tmp_path / "other.txt").write_text(article("另一篇", "孙可读", "今天讨论读书问题。"), encoding="utf-8")
        status, answer, err = ask_json(qabot, "/doc", "--corpus", str(tmp_path))
    finally:
        locked.chmod(0o644)
    (line,) = lines_naming(err, "locked.txt")
    assert "skipped: unreadable: permission denied" in line
    assert status == 0 and [d["title"] for d in answer["documents"]] == ["另一篇"]


def test_hostile_file_names_stay_on_one_line(qabot, tmp_path: Path) -> None:
    folder = tmp_path / "names"
    folder.mkdir()
    (folder / "two\nlines.txt").write_bytes(b"")
    (folder / os.fsdecode(b"latin1-\xe9.txt")).write_bytes(b"")
    (folder / "ok.txt").write_bytes(SEED.read_bytes())
    status, _, err = ask_json(qabot, "/doc", "--corpus", str(folder))
    assert status == 0
    lines = problem_lines(err)
    assert len(lines) == 2 and len(err.splitlines()) == 2
    assert any("two\\nlines.txt: skipped: empty" in line for line in lines)
    assert any("latin1-\\udce9.txt: skipped: empty" in line for line in lines)


def test_a_folder_of_3000_small_files(qabot, tmp_path: Path, capsys) -> None:
    folder = tmp_path / "many"
    for i in range(3000):
        sub = folder / f"{i // 100:02d}"
        sub.mkdir(parents=True, exist_ok=True)
        if i % 100 == 99:   # one bad file in a hundred
            (sub / f"{i:04d}.txt").write_bytes(b"\x00binary")
        else:
            (sub / f"{i:04d}.txt").write_text(article(f"第{i}号文章", person(i), f"今天讨论第{i}号议题的落实。"),
                                              encoding="utf-8")
    started = time.perf_counter()
    status, answer, err = ask_json(qabot, "/doc", "--corpus", str(folder))
    cold = time.perf_counter() - started
    started = time.perf_counter()
    status_again, _, _ = ask_json(qabot, "/doc", "--corpus", str(folder))
    warm = time.perf_counter() - started
    assert status == status_again == 0
    assert len(answer["documents"]) == 2970
    bad = problem_lines(err)
    assert len(bad) == 30 and all("skipped: binary" in line for line in bad)
    assert len({person(i) for i in range(3000)}) == 3000
    status, answer, _ = ask_json(qabot, f"/speaker {person(2998)}", "--corpus", str(folder))
    assert answer["passages"][0]["text"] == "今天讨论第2998号议题的落实。"
    with capsys.disabled():
        print(f"\n[reliability] 3,000 files (30 bad): first start {cold:.1f}s, from the index cache {warm:.1f}s")
