"""Who speaks each paragraph, on real transcripts (facts checked by reading them) and small cases."""
from __future__ import annotations

import pytest

from retrieval.models import NARRATION, QUESTION, SPEECH
from retrieval.parse import parse_text

from .helpers import article, body, bulk, transcript, turns_of


# ---------------------------------------------------------------- real transcripts


def test_interview_alias_from_the_first_label():
    doc = transcript("1988-04-02_p03_henry-fok-hainan-interview_fromjson.txt")
    assert list(doc.speakers) == ["霍英东"]
    assert len(turns_of(doc, "霍英东")) == 7
    questions = [u for u in doc.utterances if u.kind == QUESTION]
    assert len(questions) == 7 and {u.speaker for u in questions} == {"记者"}
    assert not any(u.speaker == "霍" for u in doc.utterances)


def test_interview_alias_defined_in_the_intro():
    doc = transcript("2003-12-08_p16_wu-ziheng-union-interview_fromjson.txt")
    assert doc.speakers == {"吴子恒": "中国海员建设工会主席"}
    assert turns_of(doc, "吴子恒")[0].startswith("拖欠农民工劳务费的主要原因是工程款拖欠")


@pytest.mark.parametrize("name, answerer", [
    ("2003-11-05_p15_zhang-shuyi-traffic-interview_fromjson.txt", "张树义"),
    ("2003-11-05_p15_duan-liren-traffic-qa_fromjson.txt", "段里仁"),
    ("2003-11-04_p10_people-supervisor-qa_fromjson.txt", "最高人民检察院有关负责人"),
])
def test_answer_label_is_resolved_from_the_title(name: str, answerer: str):
    doc = transcript(name)
    assert list(doc.speakers) == [answerer]
    assert not any(u.speaker == "答" for u in doc.utterances)
    assert {u.speaker for u in doc.utterances if u.kind == QUESTION} == {"记者"}


def test_numbered_answer_paragraphs_continue_the_answer():
    doc = transcript("2003-11-05_p15_duan-liren-traffic-qa_fromjson.txt")
    listed = [u for u in doc.utterances if u.text[:2] in ("1.", "2.", "3.", "4.", "5.")]
    assert len(listed) == 5 and {u.speaker for u in listed} == {"段里仁"}


def test_named_interviewer_asks_questions():
    doc = transcript("2003-12-13_p03_wen-jiabao-cnn-interview_fromjson.txt")
    assert list(doc.speakers) == ["温家宝"]
    dobbs = [u for u in doc.utterances if u.speaker == "多布斯"]
    assert len(dobbs) == 10 and {u.kind for u in dobbs} == {QUESTION}


def test_press_conference_role_given_once_and_answer_labels():
    doc = transcript("1993-03-19_p02_democratic-parties-press-conference_fromjson.txt")
    assert doc.speakers == {"楚庄": "民进中央副主席", "王文元": "九三学社中央副主席", "丁石孙": "民盟中央副主席",
                            "姚峻": "农工民主党中央副主席"}
    chu = [u for u in doc.utterances if u.speaker == "楚庄"]
    assert len(chu) == 4 and {u.role for u in chu} == {"民进中央副主席"}
    assert doc.metadata["被采访人"] == "丁石孙、楚庄、姚峻、王文元"
    assert {u.speaker for u in doc.utterances if u.kind == QUESTION} == {"记者"}


def test_role_introduced_at_a_speakers_first_turn_mid_article():
    doc = transcript("1993-03-19_p04_li-lanqing-chen-jinhua-press-conference_fromjson.txt")
    assert doc.speakers["陈锦华"] == "国家体改委主任"
    assert list(doc.speakers) == ["李岚清", "陈锦华"]
    assert len(turns_of(doc, "李岚清")) == 6  # two of his four answers run over two paragraphs


def test_only_people_who_speak_are_speakers():
    doc = transcript("1996-03-12_p02_anhui-leaders-press-conference_fromjson.txt")
    assert doc.speakers == {"回良玉": "安徽省省长", "王太华": "安徽省委副书记"}
    assert doc.metadata["被采访人"] == "回良玉、王太华、汪洋、邵明"
    closing = doc.utterances[-1]
    assert closing.text == "安徽省负责人还回答了记者的其他问题。" and closing.speaker is None


def test_outlet_questioners_are_reporters():
    doc = transcript("2002-03-13_p03_shi-guangsheng-press-conference_fromjson.txt")
    assert list(doc.speakers) == ["石广生"]
    roles = [u.role for u in doc.utterances if u.kind == QUESTION]
    assert roles == ["中央电视台记者", "香港有线电视台记者", "台湾无线卫星电视台记者", "中国国际广播电台记者"]


def test_comma_forms_of_questions_and_answers():
    doc = transcript("2003-12-05_p02_united-front-press-conference_fromjson.txt")
    assert doc.speakers == {"陈喜庆": "中央统战部副部长"}
    assert len([u for u in doc.utterances if u.kind == QUESTION]) == 3
    assert any(u.speaker == "陈喜庆" and u.text.startswith("陈喜庆回答，") for u in doc.utterances)
    assert any(u.speaker == "陈喜庆" and u.text.startswith("他说，") for u in doc.utterances)
    assert doc.utterances[-1].speaker is None  # "…游洛屏、…庄聪生，还回答了…" names people with no words


def test_roundtable_bios_are_narration():
    doc = transcript("2003-12-18_p05_young-farmers-roundtable_fromjson.txt")
    assert set(doc.speakers) == {"席宝力皋", "董成祥", "张育彪", "彭炳华", "吴琼", "徐国华"}
    bios = doc.sections[-1]
    assert bios.title == "受访者简介"
    assert {u.speaker for u in bios.utterances} == {None}
    assert bios.utterances[0].text.startswith("席宝力皋：男，蒙古族")


def test_name_role_without_colon_and_trailing_labels():
    doc = transcript("2003-11-05_p15_beijing-traffic-voices_fromjson.txt")
    assert list(doc.speakers) == ["贾建东", "李淼", "马芳馨", "余鹏", "谭昕", "边强"]
    assert doc.speakers["余鹏"] == "北京一名大学生"
    first = doc.utterances[:3]
    assert [u.speaker for u in first] == ["贾建东", "贾建东", "李淼"]
    assert first[1].text.endswith("特别是出租车的增加。")  # the trailing "李淼（…）" label is cut off
    assert first[2].text.startswith("北京太大了")
    assert doc.utterances[-1].text.endswith("（辛阳  宋谊斌  涂晓整理）")


def test_several_reported_turns_in_one_paragraph():
    doc = transcript("1980-09-05_p02_beijing-deputies-democracy_fromjson.txt")
    assert list(doc.speakers) == ["王炜钰", "刘达", "李何林", "刘诗昆"]
    first = [u for u in doc.utterances if u.position == 0]
    assert [u.speaker for u in first] == ["王炜钰", "刘达"]
    assert first[1].text.startswith("刘达代表说：外贸中心要花多少钱？") and "刘达代表还说：" in first[1].text
    second = [u for u in doc.utterances if u.position == 1]
    assert [u.speaker for u in second] == ["李何林", "刘诗昆"]


def test_digest_of_deputies_speeches():
    doc = transcript("1985-04-01_p02_npc-deputies-speeches-digest_fromjson.txt")
    assert len(doc.speakers) == 39
    assert doc.speakers["周谷城"] == "上海代表" and doc.speakers["文明铣"] == "贵州代表"
    assert len(turns_of(doc, "张仲礼")) == 2
    assert [s.title for s in doc.sections[1:]] == ["政府报告实事求是，深得人心", "畅谈经济发展的新局面",
                                                   "分析经济形势保持清醒头脑", "坚决执行改革的总方针",
                                                   "纠正干扰改革的不正之风", "几点建议"]
    # "…完全是客" / "观事实，…": a paragraph broken mid-word stays with its speaker
    broken = next(u for u in doc.utterances if u.text.startswith("观事实"))
    assert broken.speaker == "陈元方"
    assert doc.utterances[-1].speaker is None  # the photo credit


def test_speaker_marker_paragraphs_then_headline_then_speech():
    doc = transcript("1988-04-01_p03_cppcc-group-speeches-digest_fromjson.txt")
    assert len(doc.speakers) == 14
    assert "李鹏" not in doc.speakers  # quoted inside 荣仁本's speech
    quoted = next(u for u in doc.utterances if u.text.startswith("李鹏代总理在报告中指出"))
    assert quoted.speaker == "荣仁本"
    assert doc.speakers["柯灵"] == "上海电影局顾问"  # his marker is glued to the end of 冯梯云's speech
    assert next(u for u in doc.utterances if u.text.startswith("评价政府工作好坏")).speaker == "柯灵"


def test_debate_speakers_are_all_real():
    doc = transcript("1988-04-05_p01_cppcc-abstain-ballot-debate_fromjson.txt")
    truth = {"周绍铮", "万国权", "田麦久", "李源潮", "余湛", "林盛中", "黄克立", "雷天觉", "张春男", "马海德", "李人林",
             "王光美", "李先念"}
    assert set(doc.speakers) <= truth
    assert len(doc.speakers) >= 11
    assert doc.utterances[-1].speaker is None  # "一个委员说：…" names nobody


def test_joint_attribution_is_not_given_to_one_person():
    doc = transcript("1988-04-06_p02_hebei-delegation-rural-reform_fromjson.txt")
    said = [u for u in doc.utterances if "丁文斌" in u.text]  # each of the two, the same words
    assert [u.speaker for u in said] == ["罗植龄", "丁文斌"] and said[0].text == said[1].text


def test_study_metadata_run_together_and_long_headings():
    doc = transcript("2003-12-15_p09_jiangxi-study_fromjson.txt")
    assert doc.metadata["学习时间"] == "2003年11月21日"
    assert doc.metadata["学习地点"] == "省委第三会议室"
    assert doc.metadata["参加人员"] == "省委理论学习中心组成员"
    assert len(doc.speakers) == 8 and doc.speakers["孟建柱"] == "省委书记、省人大常委会主任"
    assert len(doc.sections) == 5


def test_host_label_alone_takes_the_next_line():
    doc = transcript("1998-03-10_p03_npc-five-farm-deputies-press-conference_fromjson.txt")
    assert doc.metadata["主持人"] == "两会新闻中心主任王哲人"
    assert list(doc.speakers) == ["张俊先", "刘建志", "李常水", "于天瑞", "何琼英"]


def test_headline_deck_before_the_repeated_title():
    doc = transcript("2003-11-07_p04_mfa-spokesperson-qa_fromjson.txt")
    assert len(doc.sections) == 1
    deck = doc.utterances[:4]
    assert deck[1].text == "王毅出访美国" and {u.kind for u in deck} == {NARRATION}
    assert "外交部发言人答记者问" not in [u.text for u in doc.utterances]
    assert doc.speakers == {"章启月": "外交部发言人"}


def test_forum_quote_first_and_take_over_attributions():
    doc = transcript("1988-04-06_p03_two-rural-entrepreneurs-dialogue_fromjson.txt")
    assert doc.speakers["郑瑞英"] == "福州市洪山乡党委书记"
    assert doc.utterances[-1].speaker == "吴志泉"  # “那么，我也恭喜你们发财。”吴志泉说。


def test_label_turns_headings_and_continuations():
    text = article(body(
        "本报记者  张三",
        "时间：2003年1月1日",
        "开场白由主持人宣读。",
        "王大明（市长）：今天我们讨论交通。",
        "交通问题要统筹解决。",
        "治理拥堵要靠科学管理",
        "王大明：第二点，要加强管理。",
        "李小红（局长）：我补充一点。",
    ))
    doc = parse_text(text)[0]
    assert doc.metadata == {"记者": "张三", "时间": "2003年1月1日"}
    assert doc.speakers == {"王大明": "市长", "李小红": "局长"}
    assert [s.title for s in doc.sections] == ["", "治理拥堵要靠科学管理"]
    opening = doc.sections[0].utterances
    assert [(u.speaker, u.kind) for u in opening] == [(None, NARRATION), ("王大明", SPEECH), ("王大明", SPEECH)]
    assert opening[2].role == "市长" and opening[2].text == "交通问题要统筹解决。"
    later = doc.sections[1].utterances[0]
    assert (later.speaker, later.role, later.text) == ("王大明", "市长", "第二点，要加强管理。")


def test_question_and_answer_labels():
    text = article(body(
        "记者：您怎么看？",
        "答：我认为很好。",
        "这是第二段回答。",
        "问：还有呢？",
        "王五答：我也补充。",
        "赵六（教授）答：我最后说。",
    ), title="重在管理——访交通大学教授李四")
    doc = parse_text(text)[0]
    kinds = [(u.speaker, u.kind) for u in doc.utterances]
    assert kinds == [("记者", QUESTION), ("李四", SPEECH), ("李四", SPEECH), ("记者", QUESTION), ("王五", SPEECH),
                     ("赵六", SPEECH)]
    assert doc.speakers == {"李四": "交通大学教授", "王五": None, "赵六": "教授"}


def test_unresolved_answer_label_keeps_the_label():
    doc = parse_text(article(body("问：怎么办？", "答：慢慢办。"), title="答记者问"))[0]
    assert [u.speaker for u in doc.utterances] == ["记者", "答"]


def test_reported_speech_precision():
    text = article(body(
        "上海代表周谷城说，报告很好。",
        "江苏代表说，形势很好。",
        "代表们认为，要继续改革。",
        "有关负责同志指出，要加强监管。",
        "一个委员说：“这样好。”",
        "“我赞成。”市长孙大伟说。",
        "他说，还要再努力。",
        "孙大伟说，最后一点。",
        "文件指出，要抓落实。",
    ))
    doc = parse_text(text)[0]
    assert [u.speaker for u in doc.utterances] == ["周谷城", None, None, None, None, "孙大伟", "孙大伟", "孙大伟", None]
    assert doc.speakers == {"周谷城": "上海代表", "孙大伟": "市长"}


def test_bios_and_list_labels_are_not_speakers():
    text = article(body("记者：请介绍一下。", "王五：我是农民。", "受访者简介", "王五：男，汉族，1970年出生。",
                        "图片：本报记者摄", "关键词：改革开放是强国之路。"))
    doc = parse_text(text)[0]
    assert doc.speakers == {"王五": None}
    assert [u.speaker for u in doc.sections[1].utterances] == [None, None, None]


def test_host_alone_and_alias_in_intro():
    text = article(body(
        "主持人：",
        "本报编辑部主任赵七",
        "记者采访了工会主席吴子恒（以下简称吴）。",
        "记者：欠薪怎么办？",
        "吴：要依法解决。",
    ))
    doc = parse_text(text)[0]
    assert doc.metadata["主持人"] == "本报编辑部主任赵七"
    assert doc.speakers == {"吴子恒": "工会主席"}


# ---------------------------------------------------------------- labels by shape, not by list


def test_role_before_name_label_is_a_turn_and_the_short_label_follows():
    doc = parse_text(article(body("记者：今年的经济形势怎么样？", "武汉市人大常委会主任赵零：今年的形势总体是好的。",
                                  "我们还要继续努力。", "记者：明年呢？", "赵零：明年会更好。")))[0]
    assert [(u.speaker, u.role, u.kind) for u in doc.utterances] == [
        ("记者", None, QUESTION), ("赵零", "武汉市人大常委会主任", SPEECH), ("赵零", "武汉市人大常委会主任", SPEECH),
        ("记者", None, QUESTION), ("赵零", "武汉市人大常委会主任", SPEECH)]
    assert doc.utterances[1].text == "今年的形势总体是好的。"


def test_role_label_with_a_surname_no_table_lists():
    doc = parse_text(article(body("陕西宝鸡广元路南社区干部权亚红：我们把群众的烦心事作为头等大事。",
                                  "内蒙古达拉特旗中和西镇官井村农民裴云魁：我今年57岁，还能栽近10年树。")))[0]
    assert [(u.speaker, u.role) for u in doc.utterances] == [("权亚红", "陕西宝鸡广元路南社区干部"),
                                                             ("裴云魁", "内蒙古达拉特旗中和西镇官井村农民")]


def test_reported_speech_with_a_colon_is_not_a_role_label():
    doc = parse_text(article(body("全国侨联副主席陈彬藩委员指出：李鹏总理在报告中就香港问题发表的意见很好。")))[0]
    assert [u.speaker for u in doc.utterances] == ["陈彬藩"]


def test_header_list_gives_roles_and_vouches_for_dotted_names():
    doc = parse_text(article(body(
        "本报邀请几位学者座谈。", "国家统计局总经济师    姚景源", "赫克马图拉·阿扎米（阿富汗冲突与和平研究中心副主任）",
        "记者：今年的经济形势怎么样？", "姚景源：今年的形势总体是好的。", "赫克马图拉·阿扎米：阿富汗问题异常复杂。",
        "姚景源：困难是有的。")))[0]
    assert [(u.speaker, u.role, u.kind) for u in doc.utterances] == [
        (None, None, NARRATION), (None, None, NARRATION), (None, None, NARRATION), ("记者", None, QUESTION),
        ("姚景源", "国家统计局总经济师", SPEECH), ("赫克马图拉·阿扎米", "阿富汗冲突与和平研究中心副主任", SPEECH),
        ("姚景源", "国家统计局总经济师", SPEECH)]
    assert [s.title for s in doc.sections] == [""]  # the list lines are not headings


def test_a_name_the_story_keeps_coming_back_to_speaks_without_a_role():
    doc = parse_text(article(body("艾夏与田鹏都在医院上班，艾夏在八楼，田鹏在九楼。", "艾夏在微信里跟丈夫说：“有些想念家里的饭菜了。”",
                                  "田鹏说：“你出来看看就知道了。”", "艾夏说：“你放下吧。”", "田鹏对艾夏说：“趁热吃。”")))[0]
    assert [u.speaker for u in doc.utterances] == [None, "艾夏", "田鹏", "艾夏", "田鹏"]


def test_a_name_no_surname_table_knows_that_the_article_supports():
    # the name recurs and a role word stands next to it somewhere: "国际货币基金组织总裁格奥尔基耶娃"
    imf = bulk("2020-01-22", "IMF下调今年全球经济增长预期")
    assert any(t.startswith("格奥尔基耶娃表示，世界经济下行压力") for t in turns_of(imf, "格奥尔基耶娃"))
    tcm = bulk("2020-04-04", "中医药全过程起效")  # 仝: a surname no table lists
    assert any(t.startswith("仝小林介绍，在考虑了性别") for t in turns_of(tcm, "仝小林"))
    # an organisation that recurs next to a role word is still no person
    who = bulk("2020-02-25", "联合专家考察组肯定中国防控举措")
    assert "考察组" not in who.speakers


def test_names_jieba_knows_and_organisations_joined_by_he():
    talks = bulk("1998-01-24", "中法外长举行会谈")  # 钱其琛: 其 inside the name
    assert any(t.startswith("钱其琛指出，法国在欧洲") for t in turns_of(talks, "钱其琛"))
    trees = bulk("2020-04-04", "义务植树尽责方式有50多种")  # "国家林业和草原局局长张建龙"
    assert any(t.startswith("“每份证书具有唯一的编号") for t in turns_of(trees, "张建龙"))
