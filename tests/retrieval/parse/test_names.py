"""Names and roles: a name right after a role word is told by its place, even with a surname no table lists."""
from __future__ import annotations

from retrieval.parse.names import label_person, name_ends_at, split_subject, trim_role, valid_name


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


def test_a_name_jieba_knows_may_hold_a_phrase_character_in_its_middle():
    assert valid_name("钱其琛") and valid_name("许其亮") and valid_name("孙为民")  # jieba's dictionary: nr
    assert not valid_name("顾问团") and not valid_name("曾在武")  # a role, a preposition: no names
    assert not valid_name("华容县") and not valid_name("马其")  # the last character still decides


def test_an_ordinary_word_run_on_from_the_word_before_ends_no_name():
    # "国家林业和草原局局长张建龙": one organisation, not 林业 and someone else
    assert split_subject("国家林业和草原局局长张建龙") == ("张建龙", "国家林业和草原局局长", True)
    assert not name_ends_at("中国劳动和", 4)
    assert name_ends_at("罗植龄和", 3)  # a name before 和: two people
    assert split_subject("罗植龄和保定地区专员丁文斌") is None


def test_xiang_inside_a_name_is_no_addressee():
    assert split_subject("最高检第十检察厅厅长徐向春") == ("徐向春", "最高检第十检察厅厅长", True)
    assert split_subject("丁向阳") == ("丁向阳", "", False)
    assert split_subject("杨群对护士长")[0] == "杨群"  # 对 after the name: the name speaks to someone
    found = split_subject("承办检察官向人")  # "承办检察官向人大代表…": 向 is the preposition
    assert found is None or found[0] != "向人"
