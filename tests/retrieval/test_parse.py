"""The parser on the real seed, on real transcripts (facts checked by reading them) and on small edge cases."""
from __future__ import annotations

from pathlib import Path

import pytest

from retrieval.errors import ParseError
from retrieval.models import NARRATION, QUESTION, SPEECH, Document
from retrieval.parse import parse_text, parse_text_with_problems

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "retrieval" / "data" / "corpus" / "2003-11-06_ningxia-study.txt"
TRANSCRIPTS = ROOT.parent / "shared" / "corpus" / "transcripts"

SEED_SPEAKERS = {
    "陈建国": "自治区党委书记、自治区人大常委会主任",
    "马启智": "自治区党委副书记、自治区政府主席",
    "韩茂华": "自治区党委副书记",
    "马文学": "自治区党委副书记",
    "马锡广": "自治区党委常委",
    "王正伟": "自治区党委常委、银川市委书记",
    "李东东": "自治区党委常委、宣传部部长",
    "杨锦岭": "自治区党委常委、宁夏军区政委",
    "刘丰富": "自治区党委副书记、纪委书记",
    "李顺桃": "自治区党委常委、政法委书记",
    "于革胜": "自治区党委常委、秘书长",
    "傅思和": "自治区党委常委、组织部部长",
}


@pytest.fixture(scope="module")
def seed() -> Document:
    docs = parse_text(SEED.read_text(encoding="utf-8"), str(SEED))
    assert len(docs) == 1
    return docs[0]


def transcript(name: str) -> Document:
    """The one article of a shared transcript file; skip when the shared corpus is absent."""
    path = TRANSCRIPTS / name
    if not path.is_file():
        pytest.skip(f"shared transcript {name} not found beside the checkout ({TRANSCRIPTS})")
    docs = parse_text(path.read_text(encoding="utf-8"), name)
    assert len(docs) == 1
    return docs[0]


def turns_of(doc: Document, speaker: str) -> list[str]:
    return [u.text for u in doc.utterances if u.speaker == speaker]


def article(body: str, title: str = "测试标题", byline: str = "", page: str = "第1版()", column: str = "专栏：") -> str:
    """A one-article text in the corpus format (LF only)."""
    return f"### {title}\n{byline}\n2003-11-06\n{page}\n{column}\n\n{body}"


def body(*paragraphs: str) -> str:
    return "".join(f"\u3000\u3000{p}\n" for p in paragraphs)


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
    assert "丁文斌" not in doc.speakers and "罗植龄" not in doc.speakers


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


# ---------------------------------------------------------------- roles: the fullest the article gives


def test_roles_from_the_interviewee_list():
    doc = transcript("1998-03-10_p03_npc-five-farm-deputies-press-conference_fromjson.txt")
    assert doc.speakers["张俊先"] == "吉林省农安县县委书记"
    assert doc.speakers["何琼英"] == "四川省邛崃市市委书记、市人大常委会主任"  # a role holding a 、
    six = transcript("1998-03-08_p05_cppcc-six-members-press-conference_fromjson.txt")
    assert six.speakers["胡德平"] == "全国工商联副主席"
    assert six.speakers["董辅礽"] == "中国社科院经济研究所研究员"


def test_fullest_role_keeps_membership_and_drops_a_glued_headline():
    hk = transcript("1998-03-11_p03_hk-cppcc-members-press-conference_fromjson.txt")
    assert hk.speakers["梁钦荣"] == "香港维达企业有限公司董事长、委员"
    wu = transcript("1996-03-10_p03_wu-yi-ip-press-conference_fromjson.txt")
    assert wu.speakers["吴仪"] == "对外贸易经济合作部部长"  # not "保护知识产权推进对外经贸发展对外贸易…"
    shanxi = transcript("2003-11-06_p08_shanxi-governor-interview_fromjson.txt")
    assert shanxi.speakers["刘振华"] == "山西省省长"  # the title's fuller role beats the body's 省长
    farmer = transcript("1998-03-11_p04_premier-farmer-deputy-dialogue_fromjson.txt")
    assert farmer.speakers["王广平"] == "农民代表"  # "当农民代表王广平…时": 当 is not part of the role


# ---------------------------------------------------------------- who takes the floor inside a paragraph (parse_floor)


def test_speaker_described_before_the_verb():
    doc = transcript("1998-03-07_p03_agriculture-deputies-voices_fromjson.txt")
    # "…”湖南农业大学校长官春云代表想得更深：“去年，江总书记提出…" inside 徐炎's paragraph
    guan = turns_of(doc, "官春云")
    assert len(guan) == 1 and guan[0].startswith("湖南农业大学校长官春云代表想得更深") and "600万元" in guan[0]
    assert doc.speakers["官春云"].startswith("湖南农业大学校长")
    assert next(u for u in doc.utterances if u.text.startswith("人大代表、安徽省宣城行署专员徐炎说")).speaker == "徐炎"
    # "如何解决农产品卖难问题？人大代表、江西宜春行署专员伍自尧结合自己的实际工作认为，…"
    assert any(t.startswith("人大代表、江西宜春行署专员伍自尧结合") for t in turns_of(doc, "伍自尧"))
    assert doc.speakers["舒圣佑"] == "人大代表、江西省省长"  # "…舒圣佑介绍了江西这些年…"


def test_words_first_then_the_speaker():
    doc = transcript("1988-04-06_p02_hebei-delegation-rural-reform_fromjson.txt")
    first = doc.utterances[0]
    assert first.speaker == "雷金河" and first.text.startswith("“老张同志，您帮俺们想想办法")
    assert doc.utterances[1].speaker == "张根生"  # “…”张根生笑吟吟地把目光又转向在坐的代表。
    assert turns_of(doc, "张润身") == [doc.utterances[3].text]  # “…”张润身深有感触地说。这位管农业的副省长…
    assert "张润身深有感触地说。" in doc.utterances[3].text
    assert turns_of(doc, "岳岐峰")[0].startswith("“我认为，增加农业投入")
    assert set(doc.speakers) == {"雷金河", "张根生", "张润身", "唐顺义", "魏建昆", "傅亮", "岳岐峰"}


def test_this_person_and_pronouns_name_the_person_just_described():
    doc = transcript("1988-04-06_p02_hebei-delegation-rural-reform_fromjson.txt")
    assert doc.speakers["张润身"] == "副省长"          # "这位管农业的副省长"
    assert doc.speakers["岳岐峰"] == "省委副书记"      # "这位省委副书记说："
    assert doc.speakers["魏建昆"] == "河北省农林科学院院长"  # "魏建昆三句话不离本行。这位河北省农林科学院院长认为"
    tang = turns_of(doc, "唐顺义")  # “我说几句！”憋了一肚子话的唐顺义，鼓了鼓气开了腔。…他抱怨说：“…”
    assert len(tang) == 1 and tang[0].startswith("“我说几句！”") and "他抱怨说：“现在的粮价太低" in tang[0]
    assert doc.speakers["唐顺义"] == "玉田县粮食专业户"  # "这位去年向国家交售5万公斤粮食的玉田县粮食专业户"
    fu = turns_of(doc, "傅亮")  # "对此，石家庄地区专员傅亮颇有同感，他说：“…”" after 魏建昆's words
    assert len(fu) == 1 and fu[0].startswith("对此，石家庄地区专员傅亮颇有同感")


def test_pronoun_after_a_description_and_colon_quotes():
    doc = transcript("1988-04-06_p03_women-deputies-on-participation_fromjson.txt")
    assert set(doc.speakers) == {"韦钰", "林丽韫", "徐永基", "扎西拉姆", "阿沛·才旦卓嘎", "谭梅星"}
    assert doc.speakers["林丽韫"] == "台联主席"  # "56岁的台联主席林丽韫颇有些激动：“…”"
    assert doc.speakers["扎西拉姆"] == "西藏昌都地区行署副专员"  # a name no surname table knows, then 她说
    assert turns_of(doc, "扎西拉姆")[0].startswith("她说：“一方面反映出")
    assert turns_of(doc, "阿沛·才旦卓嘎")[0].startswith("她说：“全国妇联开会多次谈到")
    assert any(t.startswith("她举了一个有趣的例子") for t in turns_of(doc, "韦钰"))
    assert "高立满" not in doc.speakers  # "高立满和…谭梅星谈及…都有一肚子话": two people, then 谭梅星说


def test_quoted_paragraph_without_a_name_continues_the_speaker():
    doc = transcript("1996-03-13_p03_village-secretaries-night-talk_fromjson.txt")
    assert list(doc.speakers) == ["申礼成", "王文义", "李长庚", "刘金鱼"]
    assert [u.speaker for u in doc.utterances[1:3]] == ["申礼成", "申礼成"]
    shaanxi = transcript("1988-04-01_p01_shaanxi-delegation-joint-session_fromjson.txt")
    finance = [u for u in shaanxi.utterances if u.text.startswith(("“解决财政问题出路何在", "“陕西是个财政补贴省"))]
    assert [u.speaker for u in finance] == ["王丙乾", "王丙乾"]


def test_unlabelled_dialogue_turns_alternate():
    farmer = transcript("1998-03-11_p04_premier-farmer-deputy-dialogue_fromjson.txt")
    turns = [u.speaker for u in farmer.utterances if u.position in (1, 2, 3, 4, 5, 6)]
    assert turns == ["李鹏", "王广平", "李鹏", "王广平", "李鹏", "王广平"]  # 1: "总理关切地问道"
    assert farmer.utterances[0].speaker is None  # "…他认真听取代表们的发言": 李鹏 listens
    village = transcript("1998-03-10_p02_premier-village-secretary-dialogue_fromjson.txt")
    assert [u.speaker for u in village.utterances if 3 <= u.position <= 7] == ["钱书远", "李鹏", "钱书远", "李鹏",
                                                                                 "钱书远"]
    assert village.utterances[0].speaker is None  # the opening quote is named only later
    assert {u.kind for u in village.utterances if u.speaker == "李鹏"} == {SPEECH}


def test_reporter_questions_in_a_first_person_interview():
    doc = transcript("1985-04-02_p05_two-deputies-north-south_fromjson.txt")
    kinds = [(u.speaker, u.kind) for u in doc.utterances if 3 <= u.position <= 8]
    assert kinds == [("记者", QUESTION), ("白士明", SPEECH)] * 3
    assert doc.speakers["白士明"] == "照相个体户"  # "白士明，是冰城哈尔滨的照相个体户"
    # "这位军人" two paragraphs after "告别白士明，我遇到梁天惠。"
    liang = turns_of(doc, "梁天惠")
    assert liang[0].startswith("“我们也有家") and doc.speakers["梁天惠"] == "军人"


def test_foreign_and_dotted_names():
    doc = transcript("2003-11-03_p04_boao-fta-debate_fromjson.txt")
    assert doc.speakers == {"王景荣": "东盟秘书长", "傅自应": "中国商务部部长助理", "佐野忠克": "日本通产省副部长",
                            "萧万长": "两岸共同市场基金会董事长", "冯国经": "香港利丰集团主席",
                            "巴尔舍夫斯基": "美国前贸易代表"}
    fu = turns_of(doc, "傅自应")  # "傅自应的演讲从…开始：…。“…”他透露，"
    assert len(fu) == 1 and "关键看是否造福百姓" in fu[0]
    assert "穆萨" not in doc.speakers
    yunnan = transcript("1996-03-10_p02_yunnan-border-deputies-wishes_fromjson.txt")
    assert yunnan.speakers["阿逗"] == "代表"  # "…乡的阿逗代表（哈尼族），结合自己的体会说"


def test_several_speakers_in_one_forum_paragraph():
    doc = transcript("2002-03-10_p06_cppcc-sector-joint-groups_fromjson.txt")
    para = [u.speaker for u in doc.utterances if u.position == 7]
    assert para == [None, "王甡", "王沛清", "刘振夏", "舒乙", None, "焦祖尧"]  # None: "…他们纷纷要求舒乙先生…"
    assert next(u for u in doc.utterances if u.text.startswith("郭雷委员对当前“教授”头衔过滥表示担忧")).speaker == "郭雷"
    # "熊性美委员是南开大学的经济学教授，他赞同…，但认为…"
    assert doc.speakers["熊性美"] == "经济学教授、委员"
    assert turns_of(doc, "郭松海")[0].startswith("郭松海委员的发言题目是")
    assert "朱镕基" not in doc.speakers  # "朱镕基总理在…上的讲话给郭松海委员极大的启发，他更确信…"
    assert "袁国林" not in doc.speakers  # he only did a survey: no speech verb


def test_title_heading_caption_and_cut_group():
    shaanxi = transcript("1988-04-01_p01_shaanxi-delegation-joint-session_fromjson.txt")
    heading = next(s for s in shaanxi.sections if s.title.startswith("王丙乾说"))
    assert heading.title == "王丙乾说“要防止‘水土流失’”"
    assert heading.utterances[0].speaker == "王丙乾"  # "…请王丙乾同志讲话，了解全局的这位国务委员，…说：“"
    assert shaanxi.speakers["王丙乾"] == "国务委员、财政部长"
    grain = transcript("2003-12-09_p12_cheng-guoqiang-grain-logistics-qa_fromjson.txt")
    caption = grain.utterances[-1]
    assert caption.text == "亚洲最大的散粮码头——大连北良港。" and caption.speaker is None
    safety = transcript("2002-03-11_p05_work-safety-deputies_fromjson.txt")
    cut = next(u for u in safety.utterances if u.text.startswith("员提出，要特别重视"))
    assert cut.speaker is None  # "…为此，一些代表、委" / "员提出，…": a group, not 赵铁锤
    assert set(safety.speakers) >= {"赵铁锤", "陈德铨", "虞中一", "蒋建国", "宋继东", "姚峻", "金克宁", "王纪仁"}


def test_two_people_or_a_crowd_are_not_one_speaker():
    doc = transcript("1998-03-08_p05_youth-entrepreneurs-forum_fromjson.txt")
    assert "王照环" not in doc.speakers and "方晓宇" not in doc.speakers  # "王照环和安阳市市长方晓宇认为"
    assert doc.speakers["赵春明"] == "青年兴业领头人、河南安阳宾馆修脚师"  # "…修脚师赵春明颇有感慨：“…”"
    mfa = transcript("2003-11-07_p04_mfa-spokesperson-qa_fromjson.txt")
    assert list(mfa.speakers) == ["章启月"]  # "章启月说，联合国秘书长安南近日宣布…" is her answer


def test_floor_claims_precision_on_small_cases():
    text = article(body(
        "“全国劳模”张大伟去年当选为代表。",
        "以王大明同志为核心的领导班子提出了新的目标。",
        "三者齐备，发展就有希望。",
        "他认为，这是好事。",
        "乔石委员长曾指出，要加强法制。",
        "本报莫斯科1月20日电记者许宏治报道：俄罗斯总统说，要改革。",
        "学习王大明书记重要讲话后，大家纷纷表示，要抓落实。",
    ))
    doc = parse_text(text)[0]
    assert [u.speaker for u in doc.utterances] == [None, None, None, None, "乔石", None, None]


def test_floor_claims_on_news_sentences():
    """Sentences from the bulk news (2020): foreign, dotted and described names, quoted titles, time clauses."""
    text = article(body(
        "菲律宾总统杜特尔特表示，中国举国上下抗击疫情，取得了积极成效。",
        "日本首相安倍晋三表示，日方愿同中方加强合作。",
        "华为的本土经营理念业已赢得信任。华为公司驻欧盟机构首席代表刘康对本报记者表示，华为在欧洲已有20年历史。",
        "在方舱医院工作的同济大学附属东方医院医生华晶说，他们发动群众选出病友志愿者。",
        "一户一袋16斤，才50元。“桃源社区蔬菜群”群主、社区工作者蒋瑾说：“我们把200户分成7个组。”",
        "德国自由民主党议员斯特凡·托梅表示，“这种行为无法容忍”。",
        "“国有战，召必回，战必胜！”连日来，广大医务人员“逆向而行”，驰援武汉。",
        "据新华社明斯克3月24日电  （记者魏忠杰、李佳）白俄罗斯总统卢卡申科24日表示，感谢中方。",
        "卢卡申科当天在会见中国驻白俄罗斯大使崔启明时说，他每天都听取疫情汇报。",
    ))
    doc = parse_text(text)[0]
    assert [u.speaker for u in doc.utterances] == ["杜特尔特", "安倍晋三", None, "刘康", "华晶", None, "蒋瑾",
                                                  "斯特凡·托梅", None, "卢卡申科", "卢卡申科"]
    assert doc.speakers["刘康"] == "华为公司驻欧盟机构首席代表"  # 华为 holds no predicate 为
    assert doc.speakers["斯特凡·托梅"] == "德国自由民主党议员"
