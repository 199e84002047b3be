"""Person names and role words in Chinese newspaper text: the tables and checks the parser uses."""
from __future__ import annotations

import re
from functools import lru_cache

# Common single-character surnames. Surnames that are also everyday function words or
# place-name heads (国, 时, 来, 海, 原, ...) are left out on purpose: a missed speaker
# costs less than a wrong one.
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武"
    "戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮"
    "柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳穆农司卓古吉"
    "缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂佟臧闵苟邬边卞姬仇栾隋刁沙荣巫寇桑郎甄丛"
    "仲虞敖巩佘池查迟邝官封谈匡鞠惠荆冀郁胥储栗燕楚鄢劳谌奚皮粟冼蔺闻厉伊郜阚屠朴廉禹祖漆卿狄"
    "芮邸雍辜裘亓邰赫杭况逯隆茹诸慕嵇湛戎勾茅揭冶昝尧铁普赖洪萧丘习竺"
)
COMPOUND_SURNAMES = frozenset(
    ["欧阳", "司马", "诸葛", "上官", "东方", "令狐", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文",
     "司徒", "夏侯", "端木", "阿沛", "买买提", "热地"]
)

# Characters that never occur in the person names the parser should accept; they mark
# a phrase ("代表们", "省委", "记者") taken for a name.
BAD_NAME_CHARS = frozenset("们的是了等这那其些说谈讲称道问答在对把被从将已都也还就又很最更所之及与或并而却则因为我你他她它"
                           "个每各该此市省县区部局委会院厅处社界员者记表负责")

# Two- and three-character words that look like surname + given name but are not people.
NOT_NAMES = frozenset(
    """大家 有人 代表 委员 记者 专家 学者 群众 有的 不少 许多 一些 他们 我们 人们 与会 全体 双方 各方 中方 美方
    报告 文件 会议 政府 中央 关键词 荣誉 时间 地点 人物 高层 高度 高兴 华侨 农民 农村 农业 解放军 武警 石油 石化
    江苏 江西 浙江 安徽 福建 甘肃 宁夏 吉林 黄山 黄河 黄埔 黄浦 武汉 成都 沈阳 宁波 温州 常州 苏州 徐州 杭州 郑州
    兰州 唐山 包头 柳州 桂林 曲阜 安阳 安庆 石家庄 张家口 连云港 秦皇岛 哈尔滨 齐齐哈尔 许昌 邢台 岳阳 曲靖 毕节
    贺州 江门 金华 常德 邵阳 衡阳 韶关 汕尾 梅州 潮州 雷州 钦州 贵港 百色 玉林 蒙古 蒙自 鲁迅 孔子 孟子 庄子
    马克思 毛泽东思想 邓小平理论 马列 关于 关键 关注 关心 高校 高新 高速 高原 高等 华北 华东 华南 华中 华西 江南
    江北 江山 周年 周边 周末 周围 周期 方面 方案 方法 方向 方式 文化 文件 文明 文艺 文学 文物 文字 文章 史上 史料
    程序 程度 成果 成绩 成员 成本 成为 成功 常委 常务 常规 安全 安排 安置 严格 严重 严肃 万元 万人 龙头 路线 路上
    金融 金额 石头 白色 黄金 宋代 唐代 明代 清代 汉族 苗族 彭博 段落 项目 单位 单独 简单 简称 简介 管理 管道 曲线
    解释 欧盟 欧洲 欧元 普遍 普通 普及 铁路 铁道 包括 包装 包容 宁静 毛病 毛泽东 党总 党支 党政 党中 党和 党风 高级 常驻 常务 谈话 施工 华人 古建 纪念 华夏 联盟 成长
    习惯 谷歌 连续 连线 连接 卫生 卫星 车辆 车站 孔雀 邓中 余额 余下 于是 于今""".split()
)

# Words a role or description ends with; a name right after one of them is a named person
# ("水利部部长汪恕诚", "上海代表周谷城", "著名青年数学家杨乐").
ROLE_ENDINGS = (
    "代表", "委员", "主席", "主任", "书记", "总理", "顾问", "教授", "经理", "董事", "理事", "常委", "主委",
    "支书", "编辑", "主编", "总编", "司令", "政委", "首长", "将军", "院士", "博士", "护士", "战士", "农民",
    "司机", "职工", "大使", "参赞", "领事", "总统", "首相", "助理", "总裁", "总监", "主管", "干部", "教练",
    "劳模", "标兵", "校董", "人士", "秘书", "先生", "女士", "同志", "模范", "老板", "店主", "村民", "市民", "居民", "领导",
    "长", "员", "师", "家", "生", "手", "者", "官", "人", "户", "工", "匠",
)
# Role words that may follow a name ("王炜钰代表", "段里仁教授"); longest first.
ROLE_SUFFIXES = tuple(sorted(
    ("代表", "委员", "先生", "女士", "同志", "教授", "副教授", "院士", "部长", "副部长", "省长", "副省长", "市长",
     "副市长", "主席", "副主席", "书记", "副书记", "局长", "主任", "副主任", "总理", "大使", "老师", "医生", "博士",
     "会长", "董事长", "代总理", "副总理", "总经理", "经理", "厂长", "县长", "校长", "院长", "行长", "研究员", "秘书长", "常委",
     "外长", "总书记", "委员长", "发言人", "村支书", "支书", "主任委员", "律师", "工程师"),
    key=len, reverse=True))

_SUFFIX_BY_FIRST: dict[str, tuple[str, ...]] = {}
for _suffix in ROLE_SUFFIXES:  # longest first
    _SUFFIX_BY_FIRST[_suffix[0]] = _SUFFIX_BY_FIRST.get(_suffix[0], ()) + (_suffix,)
_TWO_CHAR_ROLES = tuple(r for r in ROLE_SUFFIXES + ROLE_ENDINGS if len(r) == 2)
_ONE_CHAR_ENDINGS = frozenset(r for r in ROLE_ENDINGS if len(r) == 1)
_MULTI_ENDINGS = tuple(r for r in ROLE_ENDINGS if len(r) > 1)
_MULTI_SET = frozenset(_MULTI_ENDINGS)
assert all(2 <= len(r) <= 4 for r in _MULTI_ENDINGS)
CJK = r"\u4e00-\u9fff"
_ETHNIC_TAIL = re.compile(rf"（[{CJK}]{{1,6}}族）$")
_JOINER = re.compile("[和与及、]")
# "他对…法官江静说": the named person is spoken to, not speaking.
_ADDRESSEE = re.compile(r"对(?!外)|向|跟|给|告诉")
_BOUNDARY_TAIL = ("的", "、", "，", "——", "“", "”", "：")


@lru_cache(maxsize=1 << 16)
def valid_name(name: str) -> bool:
    """True when `name` can be a Chinese person's name (2-4 characters, known surname)."""
    if not 2 <= len(name) <= 4 or name in NOT_NAMES:
        return False
    if any(not ("\u4e00" <= ch <= "\u9fff") or ch in BAD_NAME_CHARS for ch in name[1:]):
        return False
    if name.endswith(_TWO_CHAR_ROLES):
        return False
    if name[:2] in COMPOUND_SURNAMES:
        return len(name) >= 3
    return name[0] in SURNAMES and len(name) <= 3


# A one-character ending counts only as the end of a real role word ("院长", "专员", "工程师"), so
# "石家庄地区" (家), "国家安全生产" (家) and "三者齐备" (者) hold no role.
# A one-character role ending counts unless the word it ends is a known non-role ("国家", "石家庄",
# "三者齐备", "发生", "携手"); a missed role costs less than a place or a verb taken for one.
_NOT_ROLES = frozenset("""动员 复员 成长 增长 延长 擅长 特长 生长 助长 漫长 悠长 修长 见长 消长 专长 出师 誓师 会师 京师 王师
    三者 两者 二者 四者 或者 再者 前者 后者 诸者 总工 施工 加工 开工 竣工 完工 停工 复工 用工 分工 动工 做工 打工 罢工
    怠工 旷工 化工 理工 务工 手工 职工 器官 五官 感官
    国家 大家 人家 石家 自家 全家 本家 老家 回家 在家 到家 成家 各家 娘家 我家 他家 你家 她家 离家 安家 皇家 千家 万家 百家
    个人 他人 别人 本人 众人 人人 前人 后人 世人 成人 古人 旁人 某人 每人 一人 二人 三人 两人 数人 多人 少人 无人 有人 做人
    为人 待人 惊人 感人 动人 诱人 喜人 迷人 吓人 丢人 私人 用人 育人 树人 熟人 生人 外人 中人 凡人 家人 亲人 情人 路人
    发生 产生 人生 民生 卫生 出生 一生 终生 诞生 派生 衍生 再生 共生 众生 谋生 平生 此生 余生 养生 放生 重生 催生 滋生 丛生
    一手 二手 人手 动手 着手 联手 携手 入手 下手 上手 出手 拍手 握手 伸手 分手 插手 接手 转手 顺手 随手 亲手 双手 得手 失手
    放手 棘手 拿手 妙手 到手 经手 凶手 敌手 对手
    用户 门户 窗户 住户 客户 账户 开户 落户 立户 过户 商户 农户 散户 大户 小户 千户 万户 各户 每户 一户 全户""".split())


def ends_with_role(text: str) -> bool:
    """True when `text` ends with a role or description word."""
    if text[-2:] in _MULTI_SET or text[-3:] in _MULTI_SET or text[-4:] in _MULTI_SET:
        return True
    return text[-1:] in _ONE_CHAR_ENDINGS and len(text) >= 2 and text[-2:] not in _NOT_ROLES


_ROLE_LEAD = re.compile(r"^(?:这是|那是|现任|担任|曾任|身为|据|以|是)")


def clean_role(prefix: str) -> str:
    """The role part of a subject's prefix: the text after the last 的, without 来自, dashes or "这是"."""
    role = _ROLE_LEAD.sub("", prefix.rsplit("的", 1)[-1].strip("、，——“”：")).strip("、，——“”： ")
    if role.startswith("来自"):
        return ""
    return role


def trim_role(text: str) -> str:
    """A role phrase without what precedes its last break ("本报北京4月1日电  国台办发言人" → 国台办发言人)."""
    cuts = [m.end() for m in _CUT.finditer(text) if m.group() != "同"]
    return clean_role(text[cuts[-1]:] if cuts else text)


@lru_cache(maxsize=1 << 16)
def split_subject(subject: str) -> tuple[str, str, bool] | None:
    """Split "上海代表周谷城" into (name, role, has_role_evidence); None when no name ends it."""
    if subject.endswith("族）"):
        subject = _ETHNIC_TAIL.sub("", subject)
    suffix = ""
    if subject.endswith(ROLE_SUFFIXES):
        suffix = next((s for s in ROLE_SUFFIXES if subject.endswith(s) and len(subject) > len(s) + 1), "")
    core = subject[: len(subject) - len(suffix)]
    if core.endswith("族）"):
        core = _ETHNIC_TAIL.sub("", core)
    if _joint(core) or core[:1] in "他她我你":
        return None
    addressed = _ADDRESSEE.search(core.rsplit("的", 1)[-1])
    if addressed:  # "杨群对护士长说": the name before 对 speaks; "他对…法官江静说": the name after it does not
        before = core[:addressed.start()]
        return (before, "", False) if addressed.start() > 0 and valid_name(before) else None
    fallback: tuple[str, str, bool] | None = None
    for size in (3, 2, 4):  # a role word right before the name decides; else the longest name wins
        name, rest = core[-size:], core[:-size]
        if len(core) < size or not valid_name(name):
            continue
        if ends_with_role(rest):
            return name, clean_role(rest) or suffix, True
        if fallback is None and (suffix or rest == "" or rest.endswith(_BOUNDARY_TAIL)):
            fallback = (name, suffix or clean_role(rest), bool(suffix))
    return fallback


_LABEL_ROLES = _MULTI_SET | frozenset(ROLE_SUFFIXES)


def label_person(label: str) -> tuple[str, str] | None:
    """(name, role) for a turn label that ends in a person's name after a role ("…自治县县长阿琼",
    "内蒙古…村农民裴云魁", "全国人大常委会法工委发言人、研究室主任臧铁伟"); None when no role stands before it.

    The name is told by its shape: 2-3 characters right after a role word, so a surname no table
    lists (权亚红) still counts."""
    found = split_subject(label)
    if found and found[2] and found[1]:
        return found[0], found[1]
    for size in (3, 2):
        name, rest = label[-size:], label[:-size]
        if len(rest) >= 2 and rest[-2:] in _LABEL_ROLES and _name_chars(name):
            return name, clean_role(rest)
    return None


def _name_chars(name: str) -> bool:
    """Characters a Chinese given name may have: CJK, none of the phrase characters."""
    return all("\u4e00" <= ch <= "\u9fff" and ch not in BAD_NAME_CHARS for ch in name) and name not in NOT_NAMES


def dotted_name(name: str) -> bool:
    """A transliterated name with a middle dot ("赫克马图拉·阿扎米"): CJK parts of 1-8 characters."""
    parts = name.split("·")
    return 2 <= len(parts) <= 3 and all(1 <= len(p) <= 8 and all("\u4e00" <= c <= "\u9fff" for c in p) for p in parts)


def _joint(core: str) -> bool:
    """True for "罗植龄和保定地区专员丁文斌": someone else is named before the last name."""
    for m in _JOINER.finditer(core):
        before = core[: m.start()]
        if valid_name(before[-3:]) or valid_name(before[-2:]):
            return True
    return False


# Where a role phrase before a name can start: after punctuation or a verb/preposition ("本报对外交部长").
_CUT = re.compile(r"[，。！？；：“”（）《》\s—…◆●■▲★了是请和与及等把被将在向访据让给使叫到]|本报对|对(?!外)|会见|会谈"
                  r"|(?<!自)由(?!党)|(?<!华)为|(?<![司指号口])令"
                  r"|来(?!自)"
                  r"|(?:^|(?<=[，。！？；\s]))当(?![地今前年代时家选然局中天日晚夜场面])"
                  r"|(?<=[\u4e00-\u9fff]{2})同|(?:电|讯)(?=[^，。]{0,20}$)")
_WINDOW = 50


def roles_from_text(name: str, text: str) -> list[tuple[str, bool]]:
    """Every role `text` gives `name`, in order: (role, True) before the name ("部长唐克"), (role, False) after it."""
    found_roles: list[tuple[str, bool]] = []
    start = text.find(name)
    while start >= 0:
        before = text[max(0, start - _WINDOW):start]
        if ends_with_role(before):  # else no role stands right before the name
            cuts = [m.end() for m in _CUT.finditer(before) if m.group() != "同" or _name_before(before, m.start())]
            found = split_subject(before[cuts[-1] if cuts else 0:] + name)
            if found and found[0] == name and found[2] and found[1]:
                found_roles.append((found[1], True))
        end = start + len(name)
        suffix = next((r for r in _SUFFIX_BY_FIRST.get(text[end:end + 1], ()) if text.startswith(r, end)), None)
        if suffix:
            found_roles.append((suffix, False))
        said = _IS_ROLE.match(text, end + len(suffix or ""))
        if said and ends_with_role(said["role"]):  # "冯克煦代表是民建中央副主席", "白士明，是…照相个体户"
            role = clean_role(said["role"])
            if role and not valid_name(role):
                found_roles.append((role, False))
        start = text.find(name, start + 1)
    return found_roles


_IS_ROLE = re.compile(r"，?(?:曾经|现在|现|也|就)?是(?:位|一位|一名|个)?(?P<role>[^，。！？；：“”、（）]{2,24})(?=[，。；])")


_MEMBERSHIP = ("代表", "委员")


def fullest_role(roles: list[str | None]) -> str | None:
    """The role that says most: the longest, plus a deputy's or member's status it does not already say."""
    best = None
    for role in roles:
        if role and not valid_name(role) and (best is None or len(role) > len(best)):
            best = role
    if best is None:
        return None
    for role in roles:
        if role and role.endswith(_MEMBERSHIP) and role not in best and best not in role and not valid_name(role):
            best = f"{best}、{role}"
    return best


def _name_before(text: str, end: int) -> bool:
    """True when a person's name ends at `end` ("习近平同…总统马茂")."""
    return valid_name(text[max(0, end - 3):end]) or valid_name(text[max(0, end - 2):end])
