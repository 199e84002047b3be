"""Headings, sections and positions."""
from __future__ import annotations

from retrieval.models import SPEECH
from retrieval.parse import parse_text

from .helpers import article, body, bulk, transcript, turns_of


def test_positions_and_sections_of_a_headed_body():
    doc = parse_text(article(body("开头一段。", "第一部分", "正文一。", "第二部分", "正文二。", "正文三。")))[0]
    assert [(s.number, s.title, [u.position for u in s.utterances]) for s in doc.sections] == [
        (0, "", [0]), (1, "第一部分", [1]), (2, "第二部分", [2, 3])]


def test_a_heading_shaped_last_line_is_narration():
    doc = parse_text(article(body("开头一段。", "第一部分", "正文一。", "新华书店  北方杂志社同贺")))[0]
    assert [s.title for s in doc.sections] == ["", "第一部分"]
    last = doc.utterances[-1]
    assert (last.text, last.speaker, last.section, last.position) == ("新华书店  北方杂志社同贺", None, 1, 2)


def test_verse_and_table_rows_are_not_headings():
    verse = ["春风吹过山岗", "吹绿了田野", "也吹暖了人心"]
    doc = parse_text(article(body("序言一段。", *verse, "尾声一段。", "上证指数１２３４．５６２３４５．６７")))[0]
    assert len(doc.sections) == 1
    assert [u.text for u in doc.utterances][1:4] == verse


def test_a_digest_of_signed_speeches():
    doc = transcript("2003-03-11_p07_cppcc-plenary-speeches-digest_fromjson.txt")
    said = {u.speaker for u in doc.utterances if u.kind == SPEECH}
    assert {"张海迪", "赵勇", "董力", "颜延龄", "吴正德"} <= said
    assert doc.speakers["赵勇"] == "代表共青团中央"
    assert turns_of(doc, "张海迪")[-1].startswith("2008年北京将举办两个奥运会")  # to the next heading
    joint = next(u for u in doc.utterances if u.text.startswith("扶持人口较少民族发展已经列入"))
    assert joint.speaker is None  # signed by two: nobody alone
    assert {u.speaker for u in doc.utterances if u.text in ("张海迪", "郝文明")} == {None}  # the photos' names


def test_the_signers_role_lines_end_the_speech_before():
    doc = parse_text(article(body("编者按：新的一年。", "湖南省十八洞村", "第一书记", "孙中元",
                                  "搭乘精准扶贫快车，十八洞村和全国其他贫困村一样，面貌焕然一新。", "云南省景东彝族自治县",
                                  "挂职副县长", "许亚洲", "在工作中，我体会到，只有来到群众身边，才能真正了解群众。")))[0]
    assert [u.speaker for u in doc.utterances] == [None, None, None, None, "孙中元", None, None, None, "许亚洲"]


def test_a_profile_is_not_signed_speech():
    text = article(body("序言一段，讲述他们的故事。", "孟迪", "“该上的时候不能当逃兵”", "去年9月，孟迪进入医院工作，一直忙到深夜，病人都记住了她。",
                        "聂保旭", "“她说，我是她的英雄”", "聂保旭是河南南阳人，原本在武汉一家寿司店工作，后来报名当了志愿者。"))
    assert not parse_text(text)[0].speakers


def test_a_signer_with_a_role_then_a_heading_then_the_account():
    # 2020-01-12 新年开训，我在站位！: "池彬（…副旅长）" / "南部海岸，带弹起飞" / his account, four times
    doc = bulk("2020-01-12", "新年开训，我在站位")
    assert doc.speakers == {"池彬": "南部战区海军航空兵某旅副旅长", "沈旅": "北部战区空军漠河雷达站班长",
                            "杜麒麟": "新疆军区斯姆哈纳边防连指导员", "黄鑫华": "陆军第71集团军王杰班上士"}
    assert turns_of(doc, "池彬")[0].startswith("一大清早")
    assert turns_of(doc, "黄鑫华")[-1].startswith("战争从来都不会选天气")
    assert doc.utterances[-1].speaker is None  # "（金歆、…整理）"


def test_a_bare_name_before_a_heading_signs_nothing_below():
    # 2020-02-27 影视人致信: "此致" / "敬礼！" / "李光洁" / "新闻回放": the name closes the letter above
    doc = bulk("2020-02-27", "影视人致信")
    assert not doc.speakers
