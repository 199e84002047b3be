"""Who takes the floor inside a paragraph (floor.find_claims)."""
from __future__ import annotations

import pytest

from retrieval.models import QUESTION, SPEECH
from retrieval.parse import parse_text

from .helpers import article, body, transcript, turns_of


# ---------------------------------------------------------------- who takes the floor inside a paragraph (floor.py)


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
    assert set(doc.speakers) == {"雷金河", "张根生", "张润身", "唐顺义", "魏建昆", "傅亮", "岳岐峰", "罗植龄", "丁文斌"}


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


def test_a_joint_subject_gives_the_words_to_each_of_them():
    doc = transcript("1998-03-08_p05_youth-entrepreneurs-forum_fromjson.txt")
    said = [u for u in doc.utterances if u.text.startswith("全国人大代表、吉林市市长王照环和安阳市市长方晓宇认为")]
    assert [(u.speaker, u.role) for u in said] == [("王照环", "全国人大代表、吉林市市长"), ("方晓宇", "安阳市市长")]
    assert doc.speakers["赵春明"] == "青年兴业领头人、河南安阳宾馆修脚师"  # "…修脚师赵春明颇有感慨：“…”"
    group = transcript("1980-09-02_p01_npc-group-discussions-1980_fromjson.txt")
    said = [u for u in group.utterances if u.text.startswith("谢铁骊、左英、钱信忠等针对")]  # bare names, then 等
    assert [u.speaker for u in said] == ["谢铁骊", "左英", "钱信忠"] and len({u.text for u in said}) == 1
    hebei = transcript("1988-04-06_p02_hebei-delegation-rural-reform_fromjson.txt")
    said = [u.speaker for u in hebei.utterances if "风险基金" in u.text]  # “…”罗植龄和…丁文斌在发言中都谈到，…他们建议
    assert said == ["罗植龄", "丁文斌"]


def test_a_list_of_names_is_no_joint_subject_without_its_verb():
    # one person meets another; roles listed before one name; objects of a verb; a verb in the next sentence
    for text, speakers in (("钱其琛与迪尼会谈时说，两国关系发展顺利。", set()),
                           ("八方集团董事长、总经理杨占芳说：“讲，照实讲，放开讲！”", {"杨占芳"}),
                           ("世界一些国家领导人１５日致电江泽民主席和李鹏总理，对灾民表示慰问。", set()),
                           ("本报记者吸纳了专家谷源洋、谈世中等的观点。我们在此表示感谢。", set())):
        doc = parse_text(article(text), "t")[0]
        assert set(doc.speakers) == speakers, text


def test_two_people_or_a_crowd_are_not_one_speaker():
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


def test_surname_and_title_mean_the_one_person_of_that_surname():
    text = article(body("国家主席习近平同法国总统马克龙通电话。",
                        "同法国总统马克龙通电话时，习主席表示：“中方愿同法方一道，推动合作。”",
                        "会见结束后，江主任说：“我们要努力。”"), title="习近平同马克龙通电话")
    doc = parse_text(text)[0]
    assert [u.speaker for u in doc.utterances] == [None, "习近平", None]  # no 江 named in full: nobody


def test_a_name_no_surname_table_knows_speaks_after_a_quote_when_a_role_stands_before_it():
    text = article(body("“此举有效助力我们复工复产，今后企业能节省2天的全程运输时间。”天津银龙集团外贸部副部长时金表示。",
                        "目前已有多个德国科研机构主动与中国驻德国大使馆联系，希望开展合作。"))
    doc = parse_text(text)[0]
    assert [(u.speaker, u.role) for u in doc.utterances] == [("时金", "天津银龙集团外贸部副部长"), (None, None)]


def test_dotted_names_of_three_parts():
    text = article(body("巴基斯坦伊斯兰共和国总理穆罕默德·纳瓦兹·谢里夫在贺词中写道：“在此，我极其高兴地致以新年祝贺！”",
                        "比利时鲁汶大学医学专家马克·范·兰斯特表示，中国的措施有力。"))
    doc = parse_text(text)[0]
    assert [u.speaker for u in doc.utterances] == ["穆罕默德·纳瓦兹·谢里夫", "马克·范·兰斯特"]


@pytest.mark.parametrize("name, opening, speaker", [
    # an unclosed quote ends at its last sentence before the next "：“"
    ("1998-03-18_p03_guangdong-rural-deputies-night-talk_fromjson.txt", "开平市水口镇红花管理区党支部书记谭国荣", "谭国荣"),
    # a described subject set off by a comma before its verb clause
    ("2002-11-08_p02_old-new-party-delegates-history_fromjson.txt", "十大到十五大代表，七、八两届", "陈慕华"),
    # after a quote and a time clause, a known person however described ("李大钊的长子李葆华")
    ("2002-11-08_p02_old-new-party-delegates-history_fromjson.txt", "“为了开党代会，甚至要付出生命的代价", "李葆华"),
    # a second speaker in the paragraph, with 道 inside the name
    ("1999-03-07_p01_deputies-domestic-demand-forum_fromjson.txt", "人大代表、广西壮族自治区计委主任杨道喜", "杨道喜"),
    # "农民代表马林欣喜的介绍": a name before an ordinary word (欣喜), not 马林欣
    ("2001-03-07_p10_inner-mongolia-deputies-night-talk_fromjson.txt", "“我们那儿已找到了一条农民增收的好路子", "马林"),
    # "有记者问，…？袁国林说，…": the answer after the question, in the same paragraph
    ("2001-03-08_p10_cppcc-south-north-water-press-conference_fromjson.txt", "袁国林说，中线工程水源丹江口水库", "袁国林"),
    # a name cut from the end of a transliterated one the article gives whole (肉孜坦木·米纳苏夫)
    ("2000-03-11_p06_three-members-water-talk_fromjson.txt", "米纳苏夫委员说，新疆维吾尔自治区", "米纳苏夫"),
])
def test_speaker_shapes_met_on_unseen_articles(name: str, opening: str, speaker: str):
    doc = transcript(name)
    assert next(u for u in doc.utterances if u.text.startswith(opening)).speaker == speaker


def test_a_question_ends_where_the_answer_starts():
    doc = transcript("2001-03-08_p10_cppcc-south-north-water-press-conference_fromjson.txt")
    question = next(u for u in doc.utterances if "南水北调如何避免水质污染" in u.text)
    assert (question.kind, question.speaker, question.text) == (QUESTION, "记者", "南水北调如何避免水质污染实现清水北调？")


def test_after_a_quote_a_time_clause_then_the_speaker_and_a_foreign_name_before_xiang():
    doc = parse_text(article(body("赵玉英是一名医生，赵玉英说起病人就落泪。", "“我们倾注了太多心血。”平复心情后，赵玉英说。",
                                  "英国首相约翰逊向习主席表达早日访华的愿望：“我期待同习近平主席保持密切交往。”")))[0]
    assert [u.speaker for u in doc.utterances[1:]] == ["赵玉英", "约翰逊"]


def test_a_quote_standing_as_a_clause_belongs_to_the_speaker_after_it():
    doc = parse_text(article(body("丁仁彧是医生。丁仁彧率先报名。丁仁彧到了武汉。",
                                  "进了现场，他很快调整好心态，“别忘了，你是打前锋的呀！”他暗暗提醒自己。")))[0]
    narration, said = doc.utterances[1:]
    assert narration.speaker is None and said.speaker == "丁仁彧" and said.text.startswith("“别忘了")


def test_a_known_name_or_a_pronoun_closing_a_description_before_the_verb_clause():
    doc = parse_text(article(body("艾夏是护士。艾夏报名。艾夏到了武汉。",
                                  "2月5日，已经在医院隔离宿舍里住了近二十天的艾夏，在微信里跟丈夫说：“有些想念家里的饭菜了。”",
                                  "十分焦急的她，向护士长求救：“我的护目镜起雾了，看不清血管。”")))[0]
    assert [u.speaker for u in doc.utterances[1:]] == ["艾夏", "艾夏"]


def test_a_date_clause_then_a_described_person_whose_verb_follows():
    # "1997年9月，党的十五大胜利闭幕后，89岁的薄一波难抑激动之情，对新华社记者说：“…”"
    doc = transcript("2002-11-08_p02_old-new-party-delegates-history_fromjson.txt")
    said = next(u for u in doc.utterances if u.text.startswith("1997年9月，党的十五大胜利闭幕后"))
    assert said.speaker == "薄一波"
    # a date, then a bare name whose verb is clauses away, stays narration
    doc = parse_text(article("1999年，孟祥斌以优异成绩考入电子技术学院，在校期间加入中国共产党，毕业后主动要求去边疆。"), "t")[0]
    assert not doc.speakers
