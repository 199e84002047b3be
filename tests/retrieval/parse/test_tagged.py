"""Speakers after a quotation that the name tables miss, read by jieba's tagger (tagged.py)."""
from __future__ import annotations

from retrieval.parse.floor import _NAME_STARTS
from retrieval.parse.tagged import tagged_name

from .helpers import bulk


def test_a_name_the_tables_do_not_know_after_a_quote_is_the_speaker():
    doc = bulk("2020-03-08", "越到最后越要紧绷这根弦")
    # "“…”宁夏同心县脱贫攻坚督导马希丰说，…": 督导 is no role word of the tables
    assert doc.speakers["马希丰"] == "宁夏同心县脱贫攻坚督导"
    said = next(u for u in doc.utterances if "马希丰说" in u.text)
    assert said.speaker == "马希丰"
    # "…昌汉白村石生华说": the tagger cuts the village into name pieces, the last ending as a place does
    assert doc.speakers["石生华"] == "内蒙古杭锦旗巴拉贡镇昌汉白村"
    # "“…”广西壮族自治区党委书记鹿心社表示，…": 社 ends an organisation in the tables
    assert bulk("2020-03-04", "力争防疫脱贫两不误").speakers["鹿心社"] == "广西壮族自治区党委书记"


def test_a_sentence_opening_with_a_described_name_the_tables_miss_is_a_turn():
    doc = bulk("1998-01-14", "剧组人员座谈")
    assert doc.speakers["潘西平"] == "导演"                     # "导演潘西平说，…": 导演 is tagged a verb
    assert next(u for u in doc.utterances if u.text.startswith("导演潘西平说")).speaker == "潘西平"
    # a bare name opening a sentence needs more than the tagger: "林父说，…" (林's father), "阿方赞赏…"
    assert tagged_name("林父", "说，", _NAME_STARTS, described_only=True) is None


def test_a_transliterated_name_with_dots_opening_a_sentence_is_a_turn():
    doc = bulk("2020-04-12", "埃塞俄比亚与中国新冠肺炎医学交流会")   # left with no speaker before
    assert next(u for u in doc.utterances if u.text.startswith("利娅·塔德塞说")).speaker == "利娅·塔德塞"
    assert tagged_name("英国财政大臣赛义德·贾维德", "表示", _NAME_STARTS, True) == ("赛义德·贾维德", "英国财政大臣")
    assert tagged_name("联合国粮农组织副总干事玛丽亚·海伦娜·塞梅多", "说", _NAME_STARTS, True)[0] == "玛丽亚·海伦娜·塞梅多"
    assert tagged_name("沙特贸易大臣马吉德·卡萨在会上", "说", _NAME_STARTS, True)[0] == "马吉德·卡萨"
    for subject in ("德国联邦疾病防控机构罗伯特·科赫研究所", "收到包裹的约翰·拉贝回信", "长篇报告文学作品《家·国"):
        assert tagged_name(subject, "说", _NAME_STARTS, True) is None, subject


def test_the_tail_of_a_longer_name_or_a_common_word_is_no_speaker():
    doc = bulk("2020-02-08", "大力强化社区网格化管理")
    assert "阳春" not in doc.speakers          # 小区业主侯阳春: the tagger cuts 侯|阳春
    assert "陈列柜" not in bulk("2020-01-19", "营造都市“童梦森林”").speakers   # 小朋友指着一个陈列柜说
    for subject in ("一位正在用餐的顾客", "尚·马龙", "若阿基姆", "他对张小明"):
        assert tagged_name(subject, "说，", _NAME_STARTS) is None, subject


def test_the_words_before_a_tagged_name_are_its_role_when_they_end_in_a_noun():
    assert tagged_name("国家网球队领队吕亮", "说，", _NAME_STARTS) == ("吕亮", "国家网球队领队")
    assert tagged_name("家中有14亩橙园的熊仁军", "说，", _NAME_STARTS) == ("熊仁军", None)
    assert tagged_name("周宇", "说：", _NAME_STARTS) == ("周宇", None)
