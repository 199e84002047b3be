"""The file format and the seed: header lines, articles of a day file, signatures, CRLF."""
from __future__ import annotations

import pytest

from retrieval.errors import ParseError
from retrieval.models import NARRATION, SPEECH, Document
from retrieval.parse import parse_text, parse_text_with_problems

from .helpers import SEED, SEED_SPEAKERS, article, body, turns_of


# ---------------------------------------------------------------- the seed


def test_seed_header(seed: Document):
    assert seed.title == "始终保持党同人民群众的血肉联系——宁夏回族自治区党委理论学习中心组学习实录"
    assert (seed.date, seed.page, seed.column) == ("2003-11-06", "第9版", "理论")
    assert seed.byline == "贾立政 杜峻晓"
    assert seed.metadata["专栏"] == "中心组学习实录"
    assert seed.metadata["记者"] == "贾立政 杜峻晓"
    assert seed.source == str(SEED)


def test_seed_has_exactly_the_twelve_speakers_with_their_roles(seed: Document):
    assert seed.speakers == SEED_SPEAKERS
    assert list(seed.speakers)[:3] == ["陈建国", "马启智", "韩茂华"]


def test_seed_roles_stay_attached_to_later_turns(seed: Document):
    chen = [u for u in seed.utterances if u.speaker == "陈建国"]
    assert len(chen) == 6
    assert {u.role for u in chen} == {SEED_SPEAKERS["陈建国"]}
    assert all(u.kind == SPEECH for u in seed.utterances)


def test_seed_metadata_lines_are_not_speakers(seed: Document):
    assert seed.metadata["学习时间"] == "2003年10月16日"
    assert seed.metadata["学习地点"] == "自治区党委常委会议室"
    assert seed.metadata["参加人员"] == "自治区党委理论学习中心组成员"
    texts = [u.text for u in seed.utterances]
    assert not any(t.startswith(("学习", "参加", "本报记者", "——", "始终保持党同人民群众的血肉联系\n")) for t in texts)
    assert "始终保持党同人民群众的血肉联系" not in texts


def test_seed_sections(seed: Document):
    assert [s.number for s in seed.sections] == [0, 1, 2, 3, 4]
    assert seed.sections[0].title == ""
    assert [u.speaker for u in seed.sections[0].utterances] == ["陈建国"]
    assert seed.sections[0].utterances[0].text.startswith("今天，自治区党委理论学习中心组举行")
    assert seed.sections[1].title == "始终保持党同人民群众的血肉联系，是党的性质和宗旨的必然要求"
    assert seed.sections[4].title == "始终保持党同人民群众的血肉联系，必须不断加强和改进党的作风建设"
    assert [u.speaker for u in seed.sections[4].utterances] == ["陈建国", "刘丰富", "李顺桃", "于革胜", "傅思和",
                                                                 "陈建国"]
    assert all(u.section == s.number for s in seed.sections for u in s.utterances)


def test_seed_continuation_paragraph_belongs_to_the_previous_speaker(seed: Document):
    para = next(u for u in seed.utterances if u.text.startswith("密切联系群众，始终保持党同人民群众的血肉联系，是建设"))
    assert para.text.endswith("是建设中国特色社会主义的力量源泉。人民群众是社会变革的决定力量，是推动历史发展的根本动力。") \
        or "力量源泉" in para.text
    assert (para.speaker, para.role, para.kind, para.section) == ("陈建国", SEED_SPEAKERS["陈建国"], SPEECH, 1)


def test_seed_labels_are_stripped_and_positions_count_paragraphs(seed: Document):
    us = seed.utterances
    assert [u.position for u in us] == list(range(18))
    assert not any(u.text.startswith(tuple(SEED_SPEAKERS)) for u in us)
    liu = turns_of(seed, "刘丰富")
    assert len(liu) == 1 and "腐败" in liu[0] and not liu[0].startswith("（")


def test_crlf_and_space_indented_seed_parse_identically(seed: Document):
    text = SEED.read_text(encoding="utf-8")
    lines = text.split("\n")
    # the fangj writer: CRLF after the first three header lines and at the very end, LF elsewhere
    crlf = "\r\n".join(lines[:4]) + "\n" + "\n".join(lines[4:]).rstrip("\n") + "\r\n"
    assert parse_text(crlf, str(SEED)) == [seed]
    spaces = "\n".join(("    " + ln.lstrip("\u3000 ")) if i >= 6 and ln.strip() else ln for i, ln in enumerate(lines))
    assert parse_text(spaces, str(SEED)) == [seed]
    assert parse_text("\ufeff" + text.replace("\n", "\r"), str(SEED)) == [seed]


# ---------------------------------------------------------------- format edge cases


def test_empty_or_headerless_text_raises():
    with pytest.raises(ParseError):
        parse_text("")
    with pytest.raises(ParseError):
        parse_text("  \n\n")
    with pytest.raises(ParseError, match="header"):
        parse_text("这不是文章。\n没有标题行。\n")


def test_bulk_day_file_with_several_articles_and_one_malformed():
    good = article(body("第一篇的正文。"), title="第一篇")
    bad = "### 坏文章\n\n没有日期\n第2版()\n专栏：\n\n\u3000\u3000正文。\n"
    third = article(body("第三篇的正文。"), title="第三篇  副题", page="第12版()")
    docs, problems = parse_text_with_problems("\n".join([good, bad, third]), "day.txt")
    assert [d.title for d in docs] == ["第一篇", "第三篇 副题"]
    assert docs[1].page == "第12版" and docs[1].column == "" and docs[1].metadata == {}
    assert len(problems) == 1 and problems[0].source == "day.txt"
    assert "article 2" in problems[0].reason and "date" in problems[0].reason
    assert parse_text("\n".join([good, bad, third]), "day.txt") == docs


def test_title_spaces_are_normalised():
    doc = parse_text(article(body("正文。"), title="共话交管  你一言我一语"))[0]
    assert doc.title == "共话交管 你一言我一语"


def test_right_aligned_signatures_are_narration_not_headings():
    text = article(body("张三（县长）：我们要把工作做好。") + " " * 30 + "晋冀鲁豫边区文联\n" + body("李四（书记）：我同意。"))
    doc = parse_text(text)[0]
    assert len(doc.sections) == 1
    sig = doc.utterances[1]
    assert (sig.text, sig.speaker, sig.kind) == ("晋冀鲁豫边区文联", None, NARRATION)
