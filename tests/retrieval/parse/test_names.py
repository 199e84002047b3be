"""Names and roles: a name right after a role word is told by its place, even with a surname no table lists."""
from __future__ import annotations

from retrieval.parse.names import label_person, split_subject, trim_role


def test_a_name_after_a_role_word_needs_no_known_surname():
    assert split_subject("石楼县委书记油晓峰") == ("油晓峰", "石楼县委书记", True)
    assert split_subject("巴布亚新几内亚副总理斯蒂文") == ("斯蒂文", "巴布亚新几内亚副总理", True)
    assert label_person("陕西宝鸡广元路南社区干部权亚红") == ("权亚红", "陕西宝鸡广元路南社区干部")


def test_a_role_that_runs_on_or_an_ordinary_word_is_no_name():
    assert split_subject("乔石委员长曾") is None or split_subject("乔石委员长曾")[0] != "长曾"
    assert split_subject("代表团团长") is None          # 团长 is a role, not a name
    assert split_subject("记者阿布都说明") is None or split_subject("记者阿布都说明")[0] != "说明"  # 说明: a word
    assert label_person("记者从河北省农业农村厅获悉") is None


def test_dao_stands_inside_a_name_not_at_its_end():
    assert split_subject("广西壮族自治区计委主任杨道喜") == ("杨道喜", "广西壮族自治区计委主任", True)
    assert split_subject("张三说道") is None or split_subject("张三说道")[0] != "三说道"



def test_a_dateline_cuts_a_role_but_a_word_starting_with_dian_does_not():
    assert trim_role("本报北京4月1日电  国台办发言人") == "国台办发言人"
    assert trim_role("新华社北京电国台办发言人") == "国台办发言人"
    assert trim_role("上海电影局顾问") == "上海电影局顾问"  # 电影 is a word: no dateline ends here
    assert trim_role("卡塔尔半岛电视台政治评论员") == "卡塔尔半岛电视台政治评论员"
