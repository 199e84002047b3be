"""Who takes the floor inside a narration or reported paragraph, sentence by sentence.

Forum reports name their speakers in many ways besides "X说，" at a paragraph's start: a description
before the name ("人大代表、江西宜春行署专员伍自尧结合自己的实际工作认为"), the words first and the
speaker after ("“…”张润身深有感触地说", "“…”憋了一肚子话的唐顺义，鼓了鼓气开了腔"), a colon before
the quote ("林丽韫作了一番补充：“…”"), a pronoun or "这位…" for someone just named ("。她说：",
"这位省委副书记说："), or a bare title for the one person holding it ("总理笑着问：").

`find_claims` returns where in a paragraph such a speaker takes the floor. A subject must be a
person the text vouches for (a role word next to the name, a name the article knows, a 3-character
name right after a quote); a sentence needs a speech verb after its subject, except a sentence that
starts with a quote: the person named right after the quote said it.
"""
from __future__ import annotations

import re
from itertools import chain
from bisect import bisect_left
from dataclasses import dataclass, replace
from functools import cached_property

from ..models import QUESTION, SPEECH
from ..tables import cues
from .attrib import ADV_ATOMS, CLAUSE_STOP, DATELINE, DATELINE_HEADS, SUBJECT_MAX
from .names import (BAD_NAME_CHARS, COMPOUND_SURNAMES, JOINER, NOT_NAMES, ORG_CHARS, REPORTERS, ROLE_ENDINGS, ROLE_SUFFIXES,
                    SURNAMES, clean_role, ends_with_role, han, name_ends_at, occurrences, split_subject, suffix_at,
                    trim_role, valid_name)
from .dictionary import ordinary
from .lines import SENTENCE_END
from .pronoun import resolve
from .tagged import tagged_name

# ---------------------------------------------------------------- verbs and words

# Speech verbs a sentence's subject takes; "提出的…" and "发言人" are not speech, nor "有希望".
_VERB_WORDS = cues()["speech verb"]
_VERB_ALTS = (r"(?:说|问|答|喊|称)[：:，,“。！]|(?:说|问|答|笑|叹|写|喊|讲|谈)道|谈(?:到|起|及|了)|讲到|说起(?!来)|开(?:了)?腔"
              rf"|(?:{'|'.join(_VERB_WORDS)})(?<!发言(?=人))(?!的)|举(?:了)?[^，。“”]{{0,8}}?例|：“")
# a leading class of first characters lets the scan skip most positions at C speed
_VERB = re.compile(rf"(?=[说问答喊称笑叹写讲谈举开：{''.join(sorted({w[0] for w in _VERB_WORDS}))}])(?:{_VERB_ALTS})")
# After a quote, someone who only listens or looks is not its speaker.
_REACTION = re.compile(rf"(?:[^，。]{{0,6}}?)(?:{'|'.join(cues()['reaction'])}|接过(?!话))")
_MODIFIER = re.compile(r"的|在[^，。“”]{0,20}?[上中]的")
_OWN_WORDS = re.compile(f"的(?:{'|'.join(cues()['own words'])})")
_QUOTING = re.compile(r"(?:[\d０-９]+日)?在[^，。“”]{0,20}?(?:报告|讲话|批示|指示|文章|信|决定|讲演|贺词|致辞)[中里上]"
                      r"|的(?:报告|讲话|批示|指示)")
# Groups: their words are narration, and they end the previous speaker's turn.
_GROUP_ALONE = cues()["group"]
_GROUP = re.compile(rf"(?:{'|'.join(_GROUP_ALONE)}|与会|[^，。“”]{{0,12}}?(?:代表|委员|专家|学者)们|[^，。“”]{{0,8}}?代表、委员)")
_GROUP_WORDS = ("们", "与会", "代表、委员")
_GROUP_FIRST = frozenset(w[0] for w in _GROUP_ALONE) | {"与"}
_TITLES = cues()["title"]
_TITLE_BLOCK = frozenset("们团会部处级的长署办室院组")
_LEAD_WORDS = cues()["lead"]
_ADVERBIAL_HEAD = cues()["adverbial"]
_PLACE_HEAD, _PLACE_TAIL, _ADVERBIAL_TAIL = cues()["place head"], cues()["place tail"], cues()["adverbial tail"]
_FOREIGN_MARKS = cues()["foreign"]
_FOREIGN_BAD = BAD_NAME_CHARS | frozenset("团院国省州司厂校所组队军党政府长官师家人员中大小新老前副总馆局厅部致电信")
# What follows a subject's name in both scans below: a speech verb, an adverb of time or manner
_NAME_THEN = "|".join((*_VERB_WORDS, *cues()["after subject"])) + r"|[\d０-９]+日"
_FOREIGN_NAME = re.compile(rf"[\u4e00-\u9fff]{{2,7}}?(?={_NAME_THEN}|说[，：,:。“]|向|同|给|跟|发言|抢先|率先|首先|随即|当即|立即"
                           rf"|{'|'.join(ROLE_SUFFIXES)}|{ADV_ATOMS})")
_ETHNIC_TAG = re.compile(r"（[\u4e00-\u9fff]{1,5}族）")
_NAME_FOLLOW = rf"[，。！？；：、“”（）\s]|{_NAME_THEN}|{'|'.join(cues()['name end'])}|$"
_FOLLOW_RX = re.compile(_NAME_FOLLOW + "|" + ADV_ATOMS + "|" + "|".join(ROLE_SUFFIXES))
_DOT_NAME = re.compile(r"(?P<first>[\u4e00-\u9fff]{1,8})·(?:[\u4e00-\u9fff]{1,6}·)?(?P<second>[\u4e00-\u9fff]{1,5}?)(?="
                       + _NAME_FOLLOW + ")")  # two or three parts: "穆罕默德·纳瓦兹·谢里夫"
_NAME_STARTS = frozenset(SURNAMES) | {c[0] for c in COMPOUND_SURNAMES}
_QUOTE_END_PUNCT = frozenset("。！？…，")
_WEAK_ROLE_HEADS = frozenset("一二三四两几多前后或再诸各")
# After a name: words that start the predicate, so "王铭强调" is 王铭 + 强调.
_AFTER_NAME = frozenset(cues()["after name"])
# Characters of transliterated names: a run of them across a Chinese-looking name's end ("卢卡|申科",
# "杜特尔|特") means a longer foreign name.
_TRANSLITERATION = frozenset("阿哈穆萨伊巴卡德尔斯特克夫基娃娜亚拉里姆诺罗蒂莫耶维奇赫埃奥乌兹布佩帕塔迪利科申汉瓦纳泽韦歇马伯托鲁连雷古")
_NOT_AFTER_BARE = frozenset(cues()["not after bare"])
_AFTER_NAME_CHARS = frozenset("说在对向与及是也还又就都把被给从将已曾到")
_PREDICATE = re.compile(r"[到在向给跟把被让请叫往如]|去(?![年世])|(?<![司指号口])令|(?<!自)由(?!党)|以(?![色上下来后前])"
                        r"|来(?!自)|对(?!外)|从(?![业事])|" + "|".join(cues()["predicate"]))
# inside a name (after its first character): organisation and place characters
_NAME_BAD = frozenset("组织局厅省县乡镇厂矿站所处科社司馆店界系办域地不府即")
_KIN = frozenset("哥姐爷叔婶嫂老")  # "华哥张罗…", "韩老语重心长": a nickname, not a 3-character name
# A role's last character and a name's first that make a word: "上海长江口", "人文交流", "人民联盟"
_START_SPAN = frozenset(cues()["span before name"])
_SPAN_WORDS = frozenset(cues()["span after name"])
# 我/我们/你/大家 at a clause's start: the words after it are that speaker's or the crowd's, not a named person's
_CROWD = cues()["crowd"]
_MENTION_AFTER = frozenset("，。！？；：的是")
_MENTION_BEFORE = frozenset("，。！？；：“”的到见访别")
_OBJECT_MARK = frozenset("了向对给跟同与被把")  # a name right after these is an object
_CLAUSE_MAX = 6
_SURNAME_CLASS = "".join(sorted(_NAME_STARTS))
# Where a person may be named: a role word then a surname, a name then a role word or a speech verb,
# a foreign mark or a dotted name. Clauses with none of these near their start are not scanned.
_HINT = re.compile(
    f"(?P<role>[{''.join(sorted({r[-1] for r in ROLE_ENDINGS}))}]|岁的|叫)(?=[{_SURNAME_CLASS}])"
    f"|[{_SURNAME_CLASS}][\\u4e00-\\u9fff]{{1,2}}[{''.join(sorted({r[0] for r in ROLE_SUFFIXES}))}说认表指强建介谈透坦回插发]"
    "|·")
_FOREIGN_MARK = re.compile(f"(?=[{''.join(sorted({m[0] for m in _FOREIGN_MARKS}))}])(?:{'|'.join(_FOREIGN_MARKS)})")
_FOREIGN_PREFIXES = frozenset(m[:k] for m in _FOREIGN_MARKS for k in range(2, len(m) + 1))
_HINT_REACH = 42
_CLAUSE_NAME = re.compile(f"[，；,;][{_SURNAME_CLASS}]|的[{_SURNAME_CLASS}][\u4e00-\u9fff]{{1,2}}[，,]")  # …的艾夏，
_LEAD_FIRST = frozenset(w[0] for w in _LEAD_WORDS)
_DATELINE_RX = re.compile(DATELINE + r"[\s　]*(?:(?:本报)?记者[^，。：:]{2,16}?报道[：:])?")
_TITLE_FIRST = frozenset(t[0] for t in _TITLES)
_TITLES_BY_FIRST = {c: tuple(t for t in _TITLES if t[0] == c) for c in _TITLE_FIRST}
_QUOTE_MARK = re.compile("[“”]")
_SENTENCE_END_RX = re.compile("[。！？“]")
_SENTENCE_MARK = re.compile("[。！？”]")
_CLAUSE_MARK = re.compile("[，,；;]")
_VERB_WINDOW = 60
_THIS_MAX = 26
_LISTED = re.compile(f"[\u4e00-\u9fff]{{2,3}}、[{_SURNAME_CLASS}]")  # "谢铁骊、左英…" opening a clause
_JOINT = frozenset("和及、")  # not 与/同 ("李鹏与克林顿会谈时说": one person meets another)
_JOINT_END = frozenset("和及、等")
# Clauses and words that name no speaker: a date alone, a vocative ("金书记，"), a frame ("以…为核心");
# an age describes one ("26岁的刘朋").
_DATE_ONLY = re.compile(r"(?=\S)(?:今年|去年)?(?:[\d０-９]{1,4}年)?(?:[\d０-９]{1,2}月)?(?:[\d０-９]{1,2}日)?(?:[上中下]午|晚上?|凌晨|清晨|早上|傍晚|深夜)?"
                        r"(?:[\d０-９]{1,2}[时点](?:[\d０-９]{1,2}分)?)?")
_VOCATIVE = re.compile(r"([\u4e00-\u9fff]{1,4})[，,！]")
_AGED = re.compile(r"(?:今年)?[\d０-９]{1,3}岁的")
_FRAME = re.compile(r"(?:同志|总书记|主席|书记)?为(?:核心|首|代表|例)")
# Subjects that are not names: pronouns, 这位, groups, titles (a sentence with none of these and no
# name near a verb cannot hand the floor to anyone).
_ANAPHOR = re.compile(r"(?=[他她这该])(?:[他她](?![们的人])|这位|该位)")
_OTHER_WORDS = ("这位", "该位", *_TITLES, "·", "们", *_GROUP_ALONE, "与会", "代表、委员")
_OTHER_SUBJECT = re.compile(r"(?=[他她" + "".join(sorted({w[0] for w in _OTHER_WORDS})) + r"])(?:[他她](?![们的人])|"
                            + "|".join(sorted(_OTHER_WORDS, key=len, reverse=True)) + ")")


@dataclass(frozen=True, slots=True)
class Claim:
    """A speaker taking the floor at `start` of a paragraph; speaker None: a group's words (narration)."""

    start: int
    speaker: str | None
    role: str | None
    kind: str = SPEECH
    bare: bool = False   # the paragraph ends with this speaker's "…说：": the next paragraph is their speech
    others: tuple[tuple[str, str | None], ...] = ()  # the rest of a joint subject ("王照环和…方晓宇认为")


@dataclass(frozen=True, slots=True)
class _Subject:
    kind: str            # person, pronoun, this, title, reporter, group
    name: str | None
    role: str | None
    start: int
    end: int
    others: tuple[tuple[str, str | None], ...] = ()  # the other people of a joint subject, with their roles


# ---------------------------------------------------------------- quotes and sentences


def quote_mask(p: str) -> bytearray:
    """1 for every character inside “…” (the marks included), 0 outside; an unclosed quote runs to the end,
    or to its last sentence before a new "：“" (“…亿元村。开平市…谭国荣代表说起…：“…”: the first was left open)."""
    mask = bytearray(len(p))
    depth = start = 0
    for m in _QUOTE_MARK.finditer(p):
        if m.group() == "“":
            if depth and p[m.start() - 1:m.start()] == "：":
                end = max(p.rfind(c, start, m.start()) for c in "。！？")
                if end > start:
                    mask[start:end] = b"\x01" * (end - start)
                    depth = 0
            if not depth:
                start = m.start()
            depth += 1
        elif depth:
            depth -= 1
            if not depth:
                mask[start:m.end()] = b"\x01" * (m.end() - start)
    if depth:
        mask[start:] = b"\x01" * (len(p) - start)
    return mask


def _sentences(p: str, mask: bytearray) -> list[tuple[int, int]]:
    """Sentences outside quotes: after 。！？, and after a closing quote that ends one (“…。”张三说)."""
    spans: list[tuple[int, int]] = []
    start, n = 0, len(p)
    for m in _SENTENCE_MARK.finditer(p):
        i = m.start()
        if mask[i]:
            if m.group() == "”" and i + 1 < n and not mask[i + 1] and i > 0 and p[i - 1] in _QUOTE_END_PUNCT \
                    and p[i + 1] not in "，,。！？、；：":
                spans.append((start, i + 1))
                start = i + 1
        elif m.group() != "”":
            spans.append((start, i + 1))
            start = i + 1
    if start < n:
        spans.append((start, n))
    return spans


def _clauses(p: str, mask: bytearray, start: int, end: int) -> list[tuple[int, int]]:
    """The comma-separated clauses of a sentence, outside quotes."""
    spans, s = [], start
    for m in _CLAUSE_MARK.finditer(p, start, end):
        i = m.start()
        if not mask[i]:
            spans.append((s, i))
            s = i + 1
            if len(spans) >= _CLAUSE_MAX:
                break
    spans.append((s, end))
    return [(a, b) for a, b in spans if b > a]


# ---------------------------------------------------------------- subjects


def _lead(p: str, i: int, end: int) -> int:
    """Skip datelines ("新华社明斯克3月24日电（记者…）", "本报汉城1月13日电记者王林昌报道："), conjunctions,
    dashes and bullets before a subject."""
    if p.startswith(DATELINE_HEADS, i):
        m = _DATELINE_RX.match(p, i)
        i = m.end() if m else i
    while i < end and p[i] in _LEAD_FIRST and (word := next((w for w in _LEAD_WORDS if p.startswith(w, i)), "")):
        i += len(word)
    return i


def _adverbial(p: str, start: int, end: int) -> bool:
    """A clause that sets time or place ("当…时", "在…会上", "提到“钱”"): it names no speaker.
    ("在方舱医院工作的…医生华晶说" does: a 在 clause must close on a place or time word.)"""
    clause = p[start:end]
    if clause.startswith(_PLACE_HEAD):
        return clause.endswith(_PLACE_TAIL)
    return clause.startswith(_ADVERBIAL_HEAD) or clause.endswith(_ADVERBIAL_TAIL) and len(clause) <= 30


def subject_at(p: str, mask: bytearray, start: int, end: int, ctx, starts: _Hints, after_quote: bool = False,
               loose: bool = False, hinted: bool = True) -> _Subject | None:
    """The person a clause p[start:end] starts with, if any; `loose`: a bare 3-character name will do.

    `hinted`: a name may stand near the clause's start (see _HINT); else only pronouns, groups and titles."""
    i = _lead(p, start, end)
    if i >= end:
        return None
    ch = p[i]
    if ch in "他她" and (p[i + 1:i + 2] not in ("们", "的", "人") or _OWN_WORDS.match(p, i + 1)):
        return _Subject("pronoun", None, None, i, i + 1)  # 他说, 他的分析是
    if p.startswith(("这位", "该位"), i):
        return _this(p, i, end)
    if after_quote and (ch == "我" or p.startswith(("记者", "笔者"), i)):
        return _Subject("reporter", "记者", None, i, i + (1 if ch == "我" else 2))
    if p.startswith(_CROWD, i):
        return _Subject("crowd", None, None, i, i + 1)  # they hold the words that follow, no claim
    m = _GROUP.match(p, i, end) if ch in _GROUP_FIRST or "们" in p[i:i + 14] or "代表、委员" in p[i:i + 14] else None
    if m and (m.group().endswith(_GROUP_WORDS) or m.group() in _GROUP_ALONE):
        return _Subject("group", None, None, i, m.end())
    title = _title_at(p, i)  # "总理关切地问道": a bare title, unless a name follows it ("总理李鹏说")
    after = i + len(title)
    if title and p[after:after + 1] not in _TITLE_BLOCK and not _name_at(p, after):
        holder = ctx.title_holder(title)
        return _Subject("title", holder, None, i, after) if holder else None
    title = _title_at(p, i + 1) if ch in SURNAMES else ""  # "习主席表示": the one 习 the article names
    after = i + 1 + len(title)
    if title and p[after:after + 1] not in _TITLE_BLOCK:
        holder = ctx.surname_holder(ch)
        return _Subject("title", holder, title, i, after) if holder else None
    k = p.rfind("的", i, end) + 1  # "住了近二十天的艾夏，在微信里跟丈夫说：": a known name closing a description
    if k and end - k == 1 and p[k] in "他她":  # "十分焦急的她，向护士长求救：“"
        return _Subject("pronoun", None, None, k, end)
    if k and 2 <= end - k <= 3 and valid_name(p[k:end]) and ctx.vouched(p[k:end]):
        return _Subject("person", p[k:end], None, i, end)
    if hinted or after_quote or loose or "·" in p[i:i + 14] or "族）" in p[i:i + SUBJECT_MAX] \
            or ch in _NAME_STARTS and (_vouched_at(p, i, ctx) or _LISTED.match(p, i)) or _FOREIGN_MARK.search(p, i, i + 14):
        return _person(p, mask, i, min(end, i + SUBJECT_MAX), ctx, "quote" if after_quote else "mention" if loose
                       else "", starts)
    return None


def _title_at(p: str, k: int) -> str:
    """The bare title ("总理", "主席") that starts at p[k], or "" (no title in cues.tsv begins another)."""
    return next((t for t in _TITLES_BY_FIRST.get(p[k:k + 1], ()) if p.startswith(t, k)), "")


def _vouched_at(p: str, i: int, ctx) -> bool:
    """A name the document knows starts at p[i] (no role word stands next to it here)."""
    return any(ctx.vouched(p[i:i + size]) for size in (3, 2) if valid_name(p[i:i + size])) \
        or any(p.startswith(name, i) for name in ctx.known)


def _this(p: str, i: int, end: int) -> _Subject | None:
    """"这位熟悉农村工作的省委副书记": someone just named, described again (the description is a role)."""
    stop = min(end, i + _THIS_MAX)
    stop = next((k for k in range(i + 2, stop) if p[k] in "，。！？；：“”、"), stop)
    best = max((k for k in range(i + 3, stop + 1) if ends_with_role(p[i + 2:k])), default=0)
    if not best:
        return None
    role = clean_role(p[i + 2:best])
    return _Subject("this", None, role or None, i, best)


def _person(p: str, mask: bytearray, i: int, stop: int, ctx, loose: str, hints: _Hints) -> _Subject | None:
    """A described or known person at p[i:…] ("湖南农业大学校长官春云代表", "韦钰", "憋了一肚子话的唐顺义").

    `hints`: where names may start; `loose` ("quote" after a quote, "mention" for 他/这位) lets a bare name in."""
    scan = i
    if p[i] == "“":  # "“两弹一星”功勋奖章获得者孙家栋说": a quoted title inside the description
        close = p.find("”", i)
        if 0 < close - i <= 14 and p[close + 1:close + 2] not in ("", "，", "。", "、", "：", "；"):
            scan = close + 1
    cut = CLAUSE_STOP.search(p, scan, stop)
    while cut and cut.group() == "“":  # "善于创造“改革者”形象的作家蒋子龙说": a short quote inside a description
        close = p.find("”", cut.start())
        if not 0 < close - cut.start() <= 14:
            break
        cut = CLAUSE_STOP.search(p, close + 1, stop)
    if cut:
        stop = cut.start()
    this_at = p.find("的这位", i, stop)
    candidates = hints.starts(scan, stop - 1)
    if loose:  # a bare name may also follow a modifier: "憋了一肚子话的唐顺义"
        candidates = sorted(candidates + [k + 1 for k in range(scan, stop - 1) if p[k] == "的"])
    if not candidates or candidates[0] != scan:
        candidates.insert(0, scan)

    def known_names():  # when nothing else will do, a name the article knows: "李大钊的长子李葆华"
        if loose and bare is None:
            yield from (k for k in range(scan, stop - 1) if p[k] in _NAME_STARTS and _vouched_at(p, k, ctx)
                        and not ordinary(p[k + 1:k + 3]))  # not "巴林银行"
    known = next((n for n in ctx.known if p.startswith(n, i) and not valid_name(n)), None)
    if known:  # "卢卡申科当天…说": a speaker the surname table does not know
        return _Subject("person", known, None, i, i + len(known))
    foreign = _FOREIGN_MARK.search(p, i, stop) is not None
    bare: _Subject | None = None   # a bare 3-character name, used when no described person follows
    for j in chain(candidates, known_names()):
        if this_at >= 0 and j > this_at:
            this = _this(p, this_at + 1, stop)
            if this:
                return replace(this, start=i)  # the description runs from the clause's start
            this_at = -1
        if p[j] not in _NAME_STARTS:
            continue
        for size in _sizes(p, j, ctx):
            if j + size > stop:
                continue
            name = p[j:j + size]
            if not valid_name(name):
                continue
            found = _accept(p, i, j, name, ctx, loose)  # loose: "quote" or "mention" lets a bare name in
            if found and found.kind in ("bare", "known"):  # a described person later in the clause wins
                if bare is None or bare.kind == "bare" and found.kind == "known" \
                        or p[bare.end:bare.end + 1] == "的" and j >= bare.end:  # "李大钊的长子李葆华": the head
                    bare = found
            elif found:
                if foreign and not _FOLLOW_RX.match(p, found.end):  # "日本首相安倍晋三表示": 安倍晋 runs on
                    return _foreign(p, i, stop, ctx) or found
                return found
    this = _this(p, this_at + 1, stop) if this_at >= 0 else None
    if this:
        return replace(this, start=i)
    if bare is not None:
        return replace(bare, kind="person")
    return _foreign(p, i, stop, ctx) or _placed(p, i, stop)


def _placed(p: str, i: int, stop: int) -> _Subject | None:
    """A name no surname table knows, told by its place between a role word and a speech verb
    ("石楼县委书记油晓峰说"); names.split_subject decides."""
    for k in range(i + 4, stop + 1):
        if k == stop or _VERB.match(p, k):
            found = split_subject(p[i:k])
            if found and found[2] and not valid_name(found[0]):
                return _Subject("person", found[0], trim_role(found[1]) or None, k - len(found[0]), k)
            if k < stop:
                return None
    return None


def _sizes(p: str, j: int, ctx) -> tuple[int, ...]:
    """Name lengths to try at p[j]: "李鹏来到" and "王铭强调" hold the 2-character names 李鹏 and 王铭."""
    if _VERB.match(p, j + 2) or p[j + 2:j + 4] in _AFTER_NAME or p[j + 2:j + 3] in _AFTER_NAME_CHARS \
            or p[j + 3:j + 4] == "着" or ordinary(p[j + 2:j + 4]) \
            and (ctx.count(p[j:j + 3]) < ctx.count(p[j:j + 2])
                 or not (suffix_at(p, j + 3) or _VERB.match(p, j + 3) or p[j + 3:j + 4] in _AFTER_NAME_CHARS
                         or _FOLLOW_RX.match(p, j + 3))):
        # "王铭强调", "徐伟戴着口罩", "张云心里" (心里 a word, 张云 met more often than 张云心), "马林欣喜的"
        # (欣喜 a word; not "虞中一代表", "于小文说", "褚时健在": the word runs into a role, a verb or 在)
        return 2, 3, 4
    two = p[j:j + 2]
    if ctx.alone(two) and not ctx.alone(p[j:j + 3]):
        return 2, 3, 4  # "李鹏总理…国务院总理李鹏来到…"
    return 3, 2, 4


def _name_shape_ok(p: str, j: int, name: str, ctx) -> bool:
    """The checks a name at p[j:] must pass wherever it is found: no organisation, place, adverb or kinship
    character inside, not a common word, not part of a longer foreign name or of a word across its end."""
    end = j + len(name)
    if p[end:end + 1] in ("·", "地") or not _NAME_BAD.isdisjoint(name[1:]) or p[j:end + 1] in NOT_NAMES \
            or p[j - 1:j + 1] in _START_SPAN \
            or len(name) == 3 and (name[1] in _KIN or name[:2] in NOT_NAMES and name not in ctx.known) \
            or p[end - 1:end + 1] in _SPAN_WORDS or name in _FOREIGN_PREFIXES \
            or name[:2] in _FOREIGN_MARKS and not _titled(ctx.text, name):
        return False  # "韩国总统…", but "工作组成员韩国梁"
    if name[-1] in _TRANSLITERATION and p[end:end + 1] in _TRANSLITERATION or "·" in p[end:end + 2] \
            or j and p[j - 1] in _TRANSLITERATION and name[0] in _TRANSLITERATION and p[j - 1] not in _NAME_STARTS:
        return False  # "卢卡申科", "杜特尔特", "伊拉克议长哈马迪"
    return True


def _titled(text: str, name: str) -> bool:
    """A 3-character name that a role word stands before, met twice, whose first two characters never
    stand alone and whose last never makes a word with what follows ("工作组成员韩国梁", not "代表伊朗人民")."""
    at = list(occurrences(text, name))
    return len(name) == 3 and len(at) >= 2 and text.count(name[:2]) == len(at) \
        and any(ends_with_role(text[max(0, k - 6):k]) for k in at) and not any(ordinary(text[k + 2:k + 4]) for k in at)


def _accept(p: str, i: int, j: int, name: str, ctx, after_quote: str) -> _Subject | None:
    """Whether `name` at p[j:] ends a subject that started at i, and who it is."""
    end = j + len(name)
    aged = _AGED.fullmatch(p, i, j) is not None  # "26岁的刘朋说": a clause that opens with an age describes a person
    if p[j - 1:j] == "叫" and p[end:end + 1] == "的" and _name_shape_ok(p, j, name, ctx):
        head = next((k for k in range(end + 3, min(len(p), end + 8)) if ends_with_role(p[end + 1:k])), 0)
        return _Subject("person", name, p[end + 1:head], i, head) if head else None  # "一位叫庞增福的工人说"
    if j > i and not suffix_at(p, end) and not ends_with_role(p[i:j]) and not ctx.vouched(name) and not aged \
            and not (after_quote and p[j - 1] in "的、，"):
        return None   # nothing says this is a person: no role word next to it, not known
    if _VERB.match(p, j + 1) or len(name) == 3 and _VERB.match(p, j + 2):
        return None   # "乔石委员长曾指出": 曾 is not a name
    if not _name_shape_ok(p, j, name, ctx):
        return None   # "戴维·蒙亚埃" (dotted), "卫组织", "马克思", "伊拉克", "卢卡申科"
    if len(suffix_at(p, end - 1)) > 1:
        return None   # "徐先生": 徐 + 先生
    if j > i and _PREDICATE.search(p[i:j].rsplit("的", 1)[-1]):
        return None   # "…来到村民尤桂兰家": the clause is a predicate, the person its object
    suffix = suffix_at(p, end)
    if suffix and _name_at(p, end + len(suffix)):
        suffix = ""   # "北京聚福隆茶园经理王兆兰": 经理 belongs to the next name
    if not suffix and p[end:end + 1] in ORG_CHARS:
        return None   # "冶金部", "黄金村": an organisation or a place
    found = (name, "", True) if aged and not suffix else split_subject(p[i:end] + suffix)
    if (not found or found[0] != name) and "的" in p[i:j] and ctx.vouched(name):
        found = (name, suffix, False)  # "李大钊的长子李葆华": a known person, however described
    if not found or found[0] != name:
        return None
    _, role, evidence = found
    role = trim_role(role) if role else role
    if evidence and len(role) <= 2 and role[:1] in _WEAK_ROLE_HEADS:
        evidence = False  # "三者齐备", "两者兼顾": not a role
    nxt = p[end + len(suffix):end + len(suffix) + 1]
    if nxt and nxt in "和与及、同" and _name_follows(p, end + len(suffix) + 1):
        joint = _joint(p, end + len(suffix), ctx) if nxt in _JOINT else None
        if joint and joint[3] and suffix:
            return None   # "八方集团董事长、总经理杨占芳说": a list of roles, the name comes after it
        if joint is None or not evidence and (_plain(name) or joint[3]) \
                or j > i and p[j - 1] not in "，的" and not ends_with_role(p[i:j]):
            return _Subject("group", None, None, i, end)   # "李鹏与克林顿会谈时", "致电江泽民主席和李鹏总理"
        return _Subject("person", name, role or None if evidence else None, i, joint[0], joint[2])
    if role and role.endswith(REPORTERS):
        return None   # "本报莫斯科1月20日电记者许宏治": the reporter, not a speaker
    if evidence:
        return _Subject("person", name, role or None, i, end + len(suffix))
    if ctx.vouched(name):
        return _Subject("known", name, role or None, i, end + len(suffix))
    if after_quote and len(name) == 3 and name[-1] not in ORG_CHARS and not suffix \
            and p[end:end + 2] not in _NOT_AFTER_BARE and name[:2] not in NOT_NAMES \
            and not (j == i and p[end:end + 1] in ("，", "。", "")) \
            and (after_quote == "mention" or _VERB.search(p, end, _sentence_end(p, end) + 1)):
        # after a quote a bare name needs a speech verb: "“…”连日来，…", "“…”高额彩礼让…" name no speaker
        return _Subject("bare", name, None, i, end)
    return None


def _joint(p: str, k: int, ctx) -> tuple[int, bool, tuple[tuple[str, str | None], ...], bool] | None:
    """The rest of a joint subject whose first name ends at p[k] ("、左英、钱信忠等", "和保定地区专员丁文斌"):
    (where it ends, whether a role names one of them, the other people with their roles, whether a role
    stands before the second name); None unless each part is a name (after a role word, or bare and no
    ordinary word) that ends at a joiner, 等 or the words after a subject, and a speech verb follows in
    the same sentence with no 时 between ("…会谈时说") and no 了 after it ("…还回答了记者们的提问": an act, not words)."""
    others: list[tuple[str, str | None]] = []
    roled = led = False
    while p[k:k + 1] in _JOINT:
        seg = k + 1
        cut = CLAUSE_STOP.search(p, seg, seg + 16)
        stop = cut.start() if cut else min(len(p), seg + 16)
        found = None
        for j in (j for j in range(seg, stop) if p[j] in _NAME_STARTS):
            for size in (2, 3) if p[j + 2:j + 3] in "均都" else (n for n in _sizes(p, j, ctx) if n < 4):
                name, end = p[j:j + size], j + size  # "秦志戬和…李隼均表示": 均, 都 after a joint subject
                role = trim_role(p[seg:j]) if j > seg else ""
                if end > stop or not valid_name(name) or not _name_shape_ok(p, j, name, ctx) \
                        or j > seg and not ends_with_role(p[seg:j]) or not role and _plain(name):
                    continue
                suffix = suffix_at(p, end)
                after = end + len(suffix)
                if p[after:after + 1] in _JOINT_END or _FOLLOW_RX.match(p, after):
                    found = name, role or suffix or None, after
                    break
            if found or j > seg and ends_with_role(p[seg:j]):
                break
        if not found:
            return None
        led = led or not others and found[0] != p[seg:seg + len(found[0])]
        others.append(found[:2])
        roled = roled or found[1] is not None
        k = found[2]
    if p[k:k + 1] == "等":
        k += 1 + len(suffix_at(p, k + 1))  # "钱信忠等", "李瑞环等代表"
    verb = _VERB.search(p, k, min(len(p), k + _VERB_WINDOW))
    if not others or verb is None or "时" in p[k:verb.start()] or _SENTENCE_MARK.search(p, k, verb.start()) \
            or p[verb.end():verb.end() + 1] == "了" \
            or not roled and p[k - 1] != "等" and _CLAUSE_MARK.search(p, k, verb.start()):
        return None   # bare names need 等 or their verb in the same clause ("普惠性、基础性、兜底性，是…要求")
    return k, roled, tuple(others), led


def _plain(name: str) -> bool:
    """A bare name that is an ordinary word or starts with one ("阳光融和医院")."""
    return ordinary(name) or len(name) == 3 and ordinary(name[:2])


def _joined(p: str, lo: int, j: int) -> bool:
    """True when another name ends at a 和/与/及/、 shortly before p[j] ("罗植龄和保定地区专员丁文斌")."""
    return any(not CLAUSE_STOP.search(p, m.start(), j) and name_ends_at(p, m.start()) for m in JOINER.finditer(p, lo, j))


def _sentence_end(p: str, k: int) -> int:
    """Where the sentence that p[k] is in ends (the next 。！？ or a new quote)."""
    m = _SENTENCE_END_RX.search(p, k)
    return m.start() if m else len(p)


def _name_at(p: str, k: int) -> bool:
    """True when a person's name (no organisation, place or adverb character inside) starts at p[k]."""
    return p[k:k + 1] in _NAME_STARTS \
        and any(valid_name(n) and _NAME_BAD.isdisjoint(n[1:]) for n in (p[k:k + 3], p[k:k + 2])) \
        and p[k + 2:k + 3] != "地" and p[k + 3:k + 4] != "地" and not _VERB.match(p, k + 1) \
        and not _VERB.match(p, k + 2)  # "乔石委员长曾指出": 曾指出 is no name


def _name_follows(p: str, k: int) -> bool:
    """True when another person's name (perhaps after a role) starts within a few characters of k."""
    stop = CLAUSE_STOP.search(p, k, k + 16)
    return any(p[j] in _NAME_STARTS and (valid_name(p[j:j + 3]) or valid_name(p[j:j + 2]))
               for j in range(k, stop.start() if stop else min(len(p), k + 16)))


def _foreign(p: str, i: int, stop: int, ctx) -> _Subject | None:
    """"日本通产省副部长佐野忠克认为", "全国妇联副主席阿沛·才旦卓嘎", "…乡的阿逗代表（哈尼族）": a role,
    then a name no surname table knows."""
    if "族）" in p[i:stop + 12]:
        for m in _ETHNIC_TAG.finditer(p, i, stop + 12):
            end = m.start()
            suffix = p[end - 2:end] if p[end - 2:end] in ("代表", "委员") else ""
            for size in (2, 3, 4):
                start = end - len(suffix) - size
                name, prefix = p[start:start + size], p[i:start]
                if start >= i and _FOREIGN_BAD.isdisjoint(name) and han(name) \
                        and (not prefix or prefix.endswith("的") or ends_with_role(prefix)):
                    return _Subject("person", name, trim_role(prefix) or suffix or None, i, end)
    if "·" in p[i:stop]:
        found = _dot_name(p, i, stop)
        if found and found[0] > i and ends_with_role(p[i:found[0]]):
            return _Subject("person", p[found[0]:found[1]], trim_role(p[i:found[0]]) or None, i, found[1])
    if not _FOREIGN_MARK.search(p, i, stop):
        return None
    for k in range(i + 3, stop - 1):
        if not ends_with_role(p[i:k]) or _PREDICATE.search(p[i:k].rsplit("的", 1)[-1]):
            continue
        m = _FOREIGN_NAME.match(p, k, stop + 4)
        if m and 2 <= len(m.group()) <= 7 and not any(c in _FOREIGN_BAD for c in m.group()):
            return _Subject("person", m.group(), clean_role(p[i:k]) or None, i, m.end())
    return None


# ---------------------------------------------------------------- mentions (for 他 / 这位)


def last_mention(p: str, mask: bytearray | None, lo: int, hi: int, ctx,
                 subject: bool = False) -> tuple[str, str | None] | None:
    """The last person named in p[lo:hi] outside quotes, whom a later 他/她/这位 refers to; `subject`: not
    one named right after a verb or preposition ("88岁的谷牧忘不了邓小平同志…。“…”这位…代表": 谷牧)."""
    if mask is None:
        mask = quote_mask(p)
    for j in range(hi - 2, lo - 1, -1):
        if mask[j] or p[j] not in _NAME_STARTS or subject and p[j - 1:j] in _OBJECT_MARK:
            continue
        if j > lo and p[j - 1] in _NAME_STARTS and valid_name(p[j - 1:j + 2]):
            continue  # "彭楚政": the name starts one character earlier
        for size in (3, 2) if p[j:j + 3] in ctx.known else _sizes(p, j, ctx)[:2]:  # "高丽告诉记者": 高丽
            name = p[j:j + size]
            if j + size > hi or not valid_name(name) or not _name_shape_ok(p, j, name, ctx) \
                    or size == 3 and ordinary(name):  # "连日来，美国与伊朗…"
                continue
            if p[j - 1:j] == "以" or _FRAME.match(p, j + size):
                break  # "以王大明同志为核心的…": a frame, not someone a later 他 means
            if _joined(p, max(lo, j - 16), j):
                return None  # "罗植龄和保定地区专员丁文斌": two people, 他们 not 他
            after = p[j + size:j + size + 4]
            suffix = suffix_at(p, j + size) or None
            found = split_subject(p[max(lo, j - 20):j + size])
            if found and found[0] == name and found[2]:
                role = trim_role(found[1])
                if role.endswith(REPORTERS) or p[j - 3:j] == "（记者" or p[j - 1:j] == "（":
                    break  # "（记者谭晶晶）": the reporter is no one a later 他 means
                return name, role or None
            if suffix or ctx.vouched(name) and (j == lo or p[j - 1] in _MENTION_BEFORE or ends_with_role(p[lo:j])
                                                or not han(p[j - 1])):
                return name, suffix
            if (size == 3 or not ordinary(name) and j > lo) and after[:1] in _MENTION_AFTER and after[:2] != "的话" \
                    and name[-1] not in ORG_CHARS \
                    and (j == lo or p[j - 1] in _MENTION_BEFORE) and ctx.count(name) >= 2:
                return name, None
    if "·" in p[lo:hi]:
        found = _dot_name(p, lo, hi)
        if found and not mask[found[0]]:
            return p[found[0]:found[1]], None
    return None


def _dot_name(p: str, lo: int, hi: int) -> tuple[int, int] | None:
    """Where "斯特凡·托梅" stands in p[lo:hi]: the part before the (first) dot starts after the last role
    word ("…著名出版人巴里·坎宁安"), and at most 5 characters on either side."""
    m = _DOT_NAME.search(p, lo, hi)
    if not m:
        return None
    start, dot = m.start(), m.end("first")
    for k in range(m.start() + 1, dot):
        if ends_with_role(p[m.start():k]) or _PREDICATE.match(p, k - 2, k) or _PREDICATE.match(p, k - 1, k):
            start = k  # after the last role word or verb: "…著名出版人巴里·坎宁安", "见到布鲁诺·巴贝"
    return max(start, dot - 5), m.end()


# ---------------------------------------------------------------- claims


def find_claims(p: str, ctx, speaker: str | None, role: str | None) -> list[Claim]:
    """Where a paragraph hands the floor to someone; `speaker` holds it at the start.

    A claim for the speaker who already holds the floor only brings a role ("这位管农业的副省长")."""
    quoted = "“" in p
    if not quoted and not _VERB.search(p):
        return []
    mask = quote_mask(p) if quoted else bytearray(len(p))
    verbs = [m for m in _VERB.finditer(p) if p[m.start() - 1:m.start()] not in ("有", "的")  # 有希望, 代表们的发言
             or p[m.start() - 2:m.start()] in ("他的", "她的")]  # 他的分析是
    verbs = [m for m in verbs if not mask[m.start()] or m.group() == "：“"]  # not inside a quote
    if not verbs and not quoted:
        return []
    # the last 他/她/这位 (starting a clause) that a person named earlier may explain
    anaphor = max((k for k in (m.start() for m in _ANAPHOR.finditer(p))
                   if k == 0 or p[k - 1] in "，。！？；：”、" or p[k - 1] == "的" and p[k] == "这"), default=-1)
    hints = _Hints(p, ctx)
    starts = [v.start() for v in verbs]
    if speaker is None and not quoted and anaphor < 0 and not _name_before_verb(p, hints, starts):
        return []  # plain narration: no name, pronoun or quote anywhere before a speech verb
    claims: list[Claim] = []
    state = _State((speaker, role, 0) if speaker else None, None)
    for s, e in _sentences(p, mask):
        if p[s] == "“" and mask[s]:
            claim = _after_quote(p, mask, s, e, ctx, state, hints) if _said_after(p, mask, s, hints) else None
            if claim:
                state.take(claim, claims)
            if claim or not _quoted_title(p, s):
                continue  # else "“桃源社区蔬菜群”群主、社区工作者蒋瑾说：" is an ordinary sentence
        k = bisect_left(starts, s)
        if k == len(starts) or starts[k] >= e:
            own = _OWN_WORDS.search(p, s, e)  # "傅自应的演讲从…开始：": a verbless sentence of his own words
            subj = _first_subject(p, mask, s, e, ctx, hints, own is not None) if anaphor > s or own else None
            if subj and subj.kind == "person":
                if own and own.start() == subj.end:
                    _take(p, mask, s, subj, own, [], ctx, state, claims)
                state.latest = (subj.name, subj.role, subj.start)
            elif subj and subj.kind == "this" and subj.role and state.current:
                who = _resolve(subj, p, mask, s, ctx, state)  # "这位…玉田县粮食专业户带来了…": a role only
                if who and who[0] == state.current[0]:
                    claims.append(Claim(s, who[0], who[1]))
            continue
        if hints.near(s, starts[bisect_left(starts, e) - 1] + 1, reach=e - s) or _OTHER_SUBJECT.search(p, s, e) \
                or p[s] in _NAME_STARTS or _CLAUSE_NAME.search(p, s, e) or p.startswith(DATELINE_HEADS, s):
            _sentence_claims(p, mask, s, e, starts, verbs, ctx, state, claims, hints)
    return [_with_quote(p, mask, c, claims[n - 1].start if n else -1) for n, c in enumerate(claims)]


def _with_quote(p: str, mask: bytearray, claim: Claim, before: int) -> Claim:
    """A claim right after a quote that stands as a clause (…调整好心态，“别忘了…！”他暗暗提醒自己) starts at it."""
    q = claim.start
    if not q or p[q - 1] != "”" or not mask[q - 1]:
        return claim
    while q > 0 and mask[q - 1]:
        q -= 1
    return replace(claim, start=q) if p[q - 1:q] == "，" and q > before else claim


def _quoted_title(p: str, s: int) -> bool:
    """A short quoted name or title ("“两弹一星”") rather than quoted words."""
    close = p.find("”", s)
    return 0 < close - s <= 14 and not any(c in "。！？，" for c in p[s:close])


def _quote_end(mask: bytearray, s: int) -> int:
    """The index just after the quote that starts at s."""
    close = mask.find(0, s)
    return len(mask) if close < 0 else close


def _said_after(p: str, mask: bytearray, s: int, hints: "_Hints") -> bool:
    """Whether anyone can be named right after the quote that starts at s (cheap test)."""
    close = _quote_end(mask, s)
    k = close + (p[close:close + 1] in "，,")
    c = p[k:k + 1]
    return bool(c) and (c in _NAME_STARTS or c in "他她这我记笔在当" or c in _TITLE_FIRST or hints.near(k, len(p))
                        or not _NAME_STARTS.isdisjoint(p[k:k + 24]) or _FOREIGN_MARK.match(p, k) is not None)


def _name_before_verb(p: str, hints: "_Hints", starts: list[int]) -> bool:
    """True when a name may stand before some speech verb in the same sentence (within the subject reach)."""
    at = hints.at
    for v in starts:
        k = bisect_left(at, v) - 1
        if k >= 0 and at[k] >= v - _VERB_WINDOW - SUBJECT_MAX // 2 and not SENTENCE_END.search(p, at[k], v):
            return True
    return False


class _Hints:
    """Where in a paragraph a person's name may start (see _HINT), found once when first asked."""

    def __init__(self, p: str, ctx) -> None:
        self.p, self.ctx = p, ctx

    @cached_property
    def at(self) -> list[int]:
        """The positions, sorted."""
        at = [m.end() if m.lastgroup == "role" else m.start() for m in _HINT.finditer(self.p)]
        return sorted(at + [k for name in self.ctx.known for k in occurrences(self.p, name)])

    def near(self, a: int, b: int, reach: int = _HINT_REACH) -> bool:
        """True when a name may start within reach of a clause's start."""
        at = self.at
        k = bisect_left(at, a)
        return k < len(at) and at[k] < min(b, a + reach)

    def starts(self, i: int, stop: int) -> list[int]:
        """Sorted positions in [i, stop) where a name may start."""
        at = self.at
        return list(dict.fromkeys(at[bisect_left(at, i):bisect_left(at, stop)]))


@dataclass(slots=True)
class _State:
    """Who holds the floor (name, role, since where) and the last person named as a subject."""

    current: tuple[str, str | None, int] | None
    latest: tuple[str, str | None, int] | None

    def take(self, claim: Claim, claims: list[Claim]) -> None:
        claims.append(claim)
        self.current = (claim.speaker, claim.role, claim.start) if claim.speaker else None


def _first_subject(p: str, mask: bytearray, s: int, e: int, ctx, hints: _Hints,
                   own: bool = False) -> _Subject | None:
    """The first person a verbless sentence names as a subject (whom a later 他 or 这位 may mean);
    `own`: "X的发言/演讲…" counts (the sentence holds their words)."""
    for a, b in _clauses(p, mask, s, e)[:3]:
        if _adverbial(p, a, b):
            continue
        subj = subject_at(p, mask, a, b, ctx, loose=True, hinted=hints.near(a, b), starts=hints)
        if subj and not (subj.kind == "person" and _MODIFIER.match(p, subj.end)
                         and not (own and _OWN_WORDS.match(p, subj.end))):
            return subj
    return None


def _sentence_claims(p, mask, s, e, starts, verbs, ctx, state: _State, claims: list[Claim], hints: _Hints) -> None:
    """Claims a sentence makes: the first subject a speech verb follows takes the floor.

    Subjects are looked for in the sentence's first clause, in clauses holding a verb and in the clause
    before one ("了解全局的这位国务委员，以…缜密思维说：")."""
    last_verb = starts[bisect_left(starts, e) - 1]
    clauses = [c for c in _clauses(p, mask, s, e) if c[0] < last_verb]
    wanted = [False] * len(clauses)
    first = next((n for n, (a, b) in enumerate(clauses) if not _adverbial(p, a, b)), None)
    if first is None:
        return
    later = next((n for n in range(first + 1, len(clauses)) if not _adverbial(p, *clauses[n])), None)
    if later is not None and _DATE_ONLY.fullmatch(p, *clauses[first]):
        a, b = clauses[later]  # "1997年9月，…闭幕后，89岁的薄一波难抑激动之情，对…说": a date, then a described person
        subj = subject_at(p, mask, a, b, ctx, hinted=hints.near(a, b), starts=hints)
        near = clauses[min(later + 1, len(clauses) - 1)][1]  # its verb in its clause or the next one
        if subj and subj.kind == "person" and (subj.role or _AGED.match(p, a)) \
                and bisect_left(starts, near) > bisect_left(starts, a):
            first = later
    wanted[first] = True
    for n, (a, b) in enumerate(clauses):
        k = bisect_left(starts, a)
        if k < len(starts) and starts[k] < b:
            wanted[n] = True
            a, b = clauses[n - 1] if n else (0, 0)
            if n and (_ANAPHOR.search(p, a, b) or name_ends_at(p, b) and not _adverbial(p, a, b)):
                wanted[n - 1] = True  # "了解全局的这位国务委员，以…说：“", "…副委员长陈慕华，对…作出这样的概括：“"
    found: dict[int, _Subject | None] = {}

    def subject(n: int) -> _Subject | None:
        if n not in found:
            a, b = clauses[n]
            found[n] = subject_at(p, mask, a, b, ctx, hinted=hints.near(a, b), starts=hints) \
                or (_tagged(p, a, b, described_only=True) if n == first else None)   # "导演潘西平说，"
        return found[n]

    subjects: list[_Subject] = []
    for n in range(first, len(clauses)):
        if not wanted[n]:
            continue
        subj = subject(n)
        if subj is None:
            continue
        # the subject's verb comes before the next clause that has a subject of its own
        k = bisect_left(starts, subj.end)
        verb = verbs[k] if k < len(starts) and starts[k] < min(e, subj.end + _VERB_WINDOW) else None
        if verb is not None and any(wanted[m] and subject(m) for m in range(n + 1, len(clauses))
                                    if clauses[m][0] <= verb.start()):
            verb = None
        if _take(p, mask, s, subj, verb, subjects, ctx, state, claims):
            return
        subjects.append(subj)


def _take(p, mask, s, subj: _Subject, verb, subjects: list[_Subject], ctx, state: _State,
          claims: list[Claim]) -> bool:
    """Record what one subject of a sentence does; True when it took the floor (the sentence is theirs)."""
    if subj.kind == "pronoun" and p[subj.end] == "的":
        verb = _OWN_WORDS.match(p, subj.end)
    elif subj.kind == "person" and _MODIFIER.match(p, subj.end) is not None:
        verb = _OWN_WORDS.match(p, subj.end)  # "郭松海委员的发言题目是": his words; "张三代表的妻子说": not his
        if verb is None:
            return False  # "朱镕基总理在…上的讲话给…": not the subject
    if subj.kind == "person" and state.current and _QUOTING.match(p, subj.end):
        return True  # "彭真委员长在讲话中强调…" inside someone's turn: they quote him
    if verb is None:
        if subj.kind == "person":
            state.latest = (subj.name, subj.role, subj.start)
        return False
    bare = verb.end() >= len(p.rstrip()) and verb.group()[-1:] in "：:"
    if subj.kind == "group":
        state.take(Claim(s if not subjects else subj.start, None, None), claims)
        return True
    who = _resolve(subj, p, mask, s, ctx, state)
    if subj.kind == "person":
        state.latest = (subj.name, subj.role, subj.start)
    if who is None:
        return False
    # "湖南省经贸委主任陈德铨代表也有同感，他说，…": the sentence is his from its start
    earlier = all(x.kind == "person" and x.name == who[0] for x in subjects)
    start = s if earlier else subj.start
    holder = state.current[0] if state.current else None
    if who[0] == holder and not bare:
        if who[1]:
            claims.append(Claim(start, who[0], who[1]))  # the same speaker, described again
    else:
        state.take(Claim(start, who[0], who[1], bare=bare, others=subj.others), claims)
    return True  # "章启月说，联合国秘书长安南近日宣布…": the rest of the sentence is what was said


def _after_quote(p, mask, s, e, ctx, state: _State, hints: _Hints) -> Claim | None:
    """“…”张润身深有感触地说 / “…”这位…代表一开始很激动 / “…？”我严肃地发问: the person after the quote said it."""
    close = _quote_end(mask, s)
    inner = p[s + 1:close - 1]
    if close >= len(p) or len(inner) < 2:
        return None
    k = close + (p[close] in "，,")
    if p[close - 2:close - 1] not in _QUOTE_END_PUNCT and k == close:
        return None   # "“全国劳模”张三": a quoted title, not words
    end = _SENTENCE_END_RX.search(p, k, k + 80)  # the text after a quote is outside quotes up to the next one
    stop = end.start() if end else min(len(p), k + 80)
    for a, b in _clauses(p, mask, k, max(stop, k + 1))[:2]:
        if _adverbial(p, a, b) or _DATE_ONLY.fullmatch(p, a, b):  # "“…”29日，…": a date names no speaker
            continue
        subj = subject_at(p, mask, a, b, ctx, after_quote=True, starts=hints) or _tagged(p, a, b)
        if subj is None or subj.kind == "group":
            return None
        if _REACTION.match(p, subj.end, b) and not _VERB.search(p, subj.end, b):
            return None
        if subj.kind == "reporter":
            if "问" not in p[subj.end:b]:  # 问, 提问, 追问, 询问
                return None
            return Claim(s, "记者", None, QUESTION)
        who = _resolve(subj, p, mask, s, ctx, state)
        return Claim(s, who[0], who[1], others=subj.others) if who and not _addressed(inner, who) else None
    return None


def _tagged(p: str, a: int, b: int, described_only: bool = False) -> _Subject | None:
    """The clause's subject before its first speech verb when jieba's tagger reads a name at its end (see
    tagged.tagged_name); a sentence's opening needs the name described, where a quote before it vouches."""
    verb = _VERB.search(p, a, b + 1)   # "说" takes the clause's closing comma
    if not verb or verb.start() - a > SUBJECT_MAX:
        return None
    found = tagged_name(p[a:verb.start()], verb.group(), _NAME_STARTS, described_only)
    return _Subject("person", found[0], found[1], a, verb.start()) if found else None


def _addressed(quote: str, who: tuple[str, str | None]) -> bool:
    """A quote that opens by calling `who` ("金书记，…", "书记，…") was said to them, not by them."""
    m = _VOCATIVE.match(quote)
    return bool(m) and (m[1] == who[0] or m[1][0] == who[0][0] and len(m[1]) > 1 or m[1] in (who[1] or ""))


def _resolve(subj: _Subject, p, mask, s, ctx, state: _State) -> tuple[str, str | None] | None:
    """A subject's name and role; 他/她/这位 resolved by pronoun.resolve."""
    if subj.kind in ("person", "title"):
        return subj.name, subj.role
    if subj.kind not in ("pronoun", "this"):
        return None
    return resolve(subj.kind, subj.role, state.current, state.latest,
                   lambda since: last_mention(p, mask, since, subj.start, ctx, subj.kind == "this")
                   or ctx.previous_mention(subj.kind == "this"))
