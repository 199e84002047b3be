"""Who says each body paragraph: labelled turns, Q&A labels, reported speech, continuations."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..models import NARRATION, QUESTION, SPEECH
from ..tables import cues
from .attrib import ADV_ATOMS, CLAUSE_STOP, DATELINE, DATELINE_HEADS, VERB_F, VERB_P, find_attribution
from .context import (BIO, LABEL, QUESTION_LABEL, Context, Turn, asks, bare_label, has_label_colon, role_label,
                      trailing_label)
from .floor import find_claims
from .dictionary import ordinary
from .names import ORG_CHARS, REPORTERS, ROLE_ENDINGS, ends_with_role, name_chars, split_subject, valid_name

_LABEL_STOP = frozenset(cues()["label stop"])  # labels of captions, credits, letters (retrieval/data/cues.tsv)
_PRONOUN = re.compile(rf"^(?:他|她)(?:{ADV_ATOMS})*(?:{VERB_P}|{VERB_F})[，：,:]?")  # "他说，" opening a paragraph
# Narration that ends a turn: a dateline, a mark of narration, a photo caption (two short noun phrases
# joined by a dash: "亚洲最大的散粮码头——大连北良港。").
_DATELINE_START = re.compile(DATELINE + r"|^本报[\u4e00-\u9fff]{0,8}讯")
_NARRATION_MARK = re.compile(
    r"^(?:会上|会后|招待会|发布会|此外，今天|（.*）$|本报记者|新华社记者|上图|下图|图为|图：)|图为|摄(?:（[^）]*）)?$|回答了|其[他它]问题|^以上均为")
_CAPTION = re.compile(r"^[^，。！？：；“”]{2,20}——[^，。！？：；“”]{2,16}。?$")
_SUPPORTED_MAX = 8  # the longest subject _supported takes as a name no surname table knows

# ---------------------------------------------------------------- per paragraph


@dataclass(frozen=True, slots=True)
class Step:
    """A detector's verdict: the turn, whether later paragraphs continue it, who speaks next."""

    turn: Turn
    opens: bool
    then: Turn | None = None


def attribute(p: str, ctx: Context, broken: bool = False) -> list[Turn]:
    """Split paragraph `p` into turns and say who speaks each; `broken`: `p` ends a cut-off paragraph."""
    turns = _attribute(p, ctx, broken)
    ctx.record(turns, p)
    return turns


def _attribute(p: str, ctx: Context, broken: bool) -> list[Turn]:
    direct = ctx.current is not None and ctx.current.kind == SPEECH
    step = detect(p, ctx)
    if step is None and broken and ctx.last:
        first = ctx.last = Turn(ctx.last.speaker, ctx.last.role, p, ctx.last.kind)
    elif step is None:
        first = _continue(p, ctx)
        if first.kind == NARRATION and _whole_quote(p):
            first = _quoted_turn(p, ctx) or first
    else:
        first = ctx.open(step.turn) if step.opens else ctx.close(step.turn)
        if step.then:
            ctx.open(step.then)
            ctx.last = first
    if first.kind == QUESTION:
        return _answered(first, ctx)
    if direct and step is None and first.kind != NARRATION or step is not None and step.opens or not first.text:
        # a speaker's own words (a label turn or its continuation): only a closing "…柯灵说：" hands over
        return _claimed(first, ctx, closing=True)
    lead = CLAUSE_STOP.split(ctx.previous[-1])[-1] if broken and step is None and ctx.previous else ""  # its last clause
    return _claimed(first, ctx, held=step is not None and step.turn.kind == SPEECH, lead=lead)


def _claimed(first: Turn, ctx: Context, held: bool = False, lead: str = "", closing: bool = False) -> list[Turn]:
    """Cut a narration or reported paragraph where someone else takes the floor (floor.py).

    `held`: the paragraph's first words already have their speaker ("X说，…"), so only later sentences count.
    `lead`: the cut-off clause the previous line ended with ("为此，一些代表、委" + "员提出，…").
    `closing`: a speaker's own paragraph, cut only where it closes on someone else's "…。上海电影局顾问柯灵说："
    (his speech is in the next paragraphs, so his turn stays open)."""
    text = first.text
    speaker = first.speaker if first.kind == SPEECH else None
    if closing and not text.rstrip().endswith(("：", ":")):  # a floor.Claim is `bare` only then
        return [first]
    claims = find_claims(lead + text, ctx, speaker, first.role if speaker else None)
    if closing:
        claims = claims[-1:] if claims and claims[-1].bare and claims[-1].speaker not in (None, first.speaker) else []
    if lead:
        claims = [replace(c, start=max(0, c.start - len(lead))) for c in claims]
    if held:
        claims = [c for c in claims if c.start > 0]
    if not claims:
        return [first]
    pieces: list[Turn] = []
    cur, start = first, 0
    for claim in claims:
        if claim.speaker is not None and claim.speaker == cur.speaker and not claim.bare:
            if claim.role and (not cur.role or len(claim.role) > len(cur.role)):  # "这位管农业的副省长"
                cur = replace(cur, role=claim.role, text="")  # (document-wide, the fullest role wins)
            continue
        if claim.start > start:
            pieces.append(replace(cur, text=text[start:claim.start].strip()))
        kind = claim.kind if claim.speaker else NARRATION
        cur, start = Turn(claim.speaker, claim.role, "", kind, claim.others), claim.start
        if claim.speaker and kind == SPEECH:
            ctx.known.add(claim.speaker)
    last = replace(cur, text=text[start:].strip())
    pieces = [t for t in pieces if t.text] + [last]
    # "…。上海电影局顾问柯灵说：" closing a paragraph: his speech is in the next paragraphs.
    ctx.open(last) if claims[-1].bare and last.speaker else ctx.close(last)
    return pieces


def _answered(question: Turn, ctx: Context) -> list[Turn]:
    """"有记者问，…？袁国林说，…": an answer after the question mark, in the same paragraph, is the answerer's."""
    end = question.text.find("？") + 1
    if not 0 < end < len(question.text) - 1:
        return [question]
    pieces = _claimed(Turn(None, None, question.text[end:], NARRATION), ctx)
    if pieces[0].speaker is None:  # words before anyone takes the floor are still the question's
        return [replace(question, text=question.text[:end] + pieces[0].text), *pieces[1:]]
    return [replace(question, text=question.text[:end]), *pieces]


def _whole_quote(p: str) -> bool:
    """A paragraph that is one quotation (or the opening part of one that runs on)."""
    close = p.find("”")
    return p.startswith("“") and (close < 0 or close >= len(p.rstrip("。 ")) - 1)


def _asks(text: str) -> bool:
    """True when the last words quoted in `text` (or the text itself) end with a question mark."""
    close = text.rfind("”")
    tail = text[:close] if close > 0 else text
    return tail.rstrip("。 ”").endswith(("？", "?"))


def _quoted_turn(p: str, ctx: Context) -> Turn | None:
    """A quotation nobody is named for: the previous speaker goes on, or in a dialogue the other one answers."""
    if not ctx.history or ctx.history[-1][0] != ctx.paragraph - 1:
        if not ctx.history and ctx.asker and _asks(p):  # "问者是吴志泉": the opening question is his
            return ctx.close(Turn(ctx.asker, None, p, QUESTION))
        return None
    n, x = ctx.history[-1]
    y = next((t for m, t in reversed(ctx.history) if m == n - 1 and t.speaker != x.speaker), None)
    if _asks(x.text):  # x asked: the other one answers
        if y is None and x.speaker in (ctx.asker, "记者") and ctx.interviewee:
            y = Turn(ctx.interviewee, None, "", SPEECH)
        if y is None:
            return None
    elif y is None or not _asks(y.text):  # else x goes on, unless y asked before: y asks again
        y = x
    return ctx.close(Turn(y.speaker, y.role, p, y.kind))


def detect(p: str, ctx: Context) -> Step | None:
    """The labelled, reported or narration turn `p` starts with; None for an unlabelled paragraph."""
    colon = has_label_colon(p)
    if colon and BIO.match(p) or p.startswith(DATELINE_HEADS) and _DATELINE_START.match(p) \
            and not find_attribution(p):
        return Step(Turn(None, None, p, NARRATION), False)
    # Cheap tests first: ordinary narration fails all of them and never reaches a regular expression.
    step = (_question(p, ctx) if asks(p) else None) or (_label(p, ctx) if colon else None)
    if step is None and ctx.bare_labels >= 2:
        bare = bare_label(p)  # Name（role）text without colon, when the document uses that style twice
        step = Step(Turn(bare["name"], bare["role"], bare["rest"].strip(), SPEECH), True) if bare else _trailing(p, ctx)
    if step is not None:
        return step
    # Inside a speaker's open turn, "李鹏代总理在报告中指出…" is that speaker quoting someone;
    # only “…”吴志泉说。 or a bare "万国权说：" marker hands the turn over.
    quoting = ctx.current is not None and ctx.current.kind == SPEECH
    step = _reported(p, ctx)
    if quoting:
        return step if step and (step.opens or p.startswith(("“", "——"))) else None
    last = ctx.last  # "他说，…" right after a named speaker's turn is that speaker's
    if step is None and p[:1] in "他她" and last and last.kind == SPEECH and last.speaker and _PRONOUN.match(p):
        step = Step(Turn(last.speaker, last.role, p, SPEECH), False)
    return step


def _question(p: str, ctx: Context) -> Step | None:
    """记者：… / 问：… / 有记者问，… → the interviewer; 答：… → the interviewee."""
    if p.startswith(("答：", "答:")):
        return Step(Turn(ctx.interviewee or "答", None, p[2:].strip(), SPEECH), True)
    m = QUESTION_LABEL.match(p)
    if not m or not (m["who"] or m["q"]):
        return None
    if m["who"] and not m["q"] and p[len(m["who"])] in "，,":
        return None  # "记者，…" is narration about the reporter
    who = m["who"] or ""
    role = who if who not in ("", "记者", "有记者", "会后有记者", "本报记者") else None
    name = ctx.asker if ctx.asker and not who else "记者"
    return Step(Turn(name, role, m["rest"].strip(), QUESTION), True)


def _label(p: str, ctx: Context) -> Step | None:
    """Name（role）：… / Name答：… / 霍：… (an alias from the intro) / role+Name：…"""
    m = LABEL.match(p)
    if not m or not m["rest"].strip():
        return _role_label(p, ctx)
    name, role, rest = m["name"], m["role"], m["rest"].strip()
    if name == "主持人":
        return Step(Turn("主持人", None, rest, QUESTION), True)
    if role and role.startswith("以下简称"):
        role = None
    name = ctx.aliases.get(name, name)
    if not _label_ok(name, role, ctx) or _headline(rest):
        return _role_label(p, ctx)
    return Step(Turn(name, role or ctx.listed.get(name), rest, SPEECH), True)


def _role_label(p: str, ctx: Context) -> Step | None:
    """"武汉市人大常委会主任赵零：…": a label that is a role phrase ending in a person's name."""
    found = role_label(p)
    rest = found[3].strip() if found else ""
    if not rest or _headline(rest) or found[0] in _LABEL_STOP:
        return None
    return Step(Turn(found[1], found[2] or None, rest, SPEECH), True)


def _headline(text: str) -> bool:
    """"罗泽秀：能吃苦的孩子知努力" is a heading about her, not her words: short and unpunctuated."""
    return len(text) <= 30 and not text.endswith(tuple("。！？!?…”’）)；;，,：:"))


def _label_ok(name: str, role: str | None, ctx: Context) -> bool:
    """Whether a "Name：" label names a speaker rather than a caption or list label."""
    if name in _LABEL_STOP or name.endswith(("说", "认为", "指出", "表示")) or len(name) < 2:
        return False
    if name in ctx.known or name in ctx.aliases.values() or name in ctx.listed:
        return True
    if role is not None:
        person = valid_name(name) or ctx.labels[name] >= 2 or role.endswith(ROLE_ENDINGS) or "、" in role \
            or len(ctx.labels) >= 5  # one of many labelled turns: "赵其林（山西省运城地区建筑工程总公司）："
        return person and len(name) <= 5
    repeated = ctx.labels[name] >= 2
    if valid_name(name):
        return repeated or ctx.has_questions or ctx.text.count(name) >= 2
    others = sum(1 for n, c in ctx.labels.items() if c >= 2 and n != name and n not in _LABEL_STOP)
    return repeated and len(name) <= 4 and (others >= 1 or ctx.has_questions)


def _trailing(p: str, ctx: Context) -> Step | None:
    """text…Name（role）: the text continues the open turn; Name speaks the next paragraphs."""
    m = trailing_label(p)
    if not m:
        return None
    cur, text = ctx.current, m["rest"].strip()
    turn = Turn(cur.speaker, cur.role, text, cur.kind) if cur else Turn(None, None, text, NARRATION)
    return Step(turn, False, then=Turn(m["name"], m["role"], "", SPEECH))


def _reported(p: str, ctx: Context) -> Step | None:
    """X委员说，… / 上海代表周谷城说，… / “…”X说。 / ——Name…强调… / a bare "X说：" marker."""
    m = find_attribution(p)
    if not m:
        return None
    found = split_subject(m.subject) or _supported(m.subject, ctx)
    if not found:
        return None
    name, role, evidence = found
    name = ctx.aliases.get(name, name)
    if "都" in m.adverb or not (evidence or ctx.vouched(name)) or role.endswith(REPORTERS):
        return None
    # "监察部副部长冯梯云说：" alone: the next paragraphs are the speech, so the turn stays open.
    bare_marker = not m.rest.strip() and not m.lead
    return Step(Turn(name, role or None, p, SPEECH), bare_marker)


def _supported(subject: str, ctx: Context) -> tuple[str, str, bool] | None:
    """A whole subject no surname table knows ("格奥尔基耶娃表示，") that the article supports as a person: it
    recurs, and somewhere a role word stands next to it ("国际货币基金组织总裁格奥尔基耶娃")."""
    if not 2 <= len(subject) <= _SUPPORTED_MAX or not name_chars(subject) or ordinary(subject) \
            or subject[-1] in ORG_CHARS and (ordinary(subject[:2]) or ordinary(subject[-2:])) \
            or ends_with_role(subject) or ctx.count(subject) < 2 or not ctx.mentioned_with_role(subject):
        return None  # (an organisation: "考察组", "船舶总公司"; but "卢卡申科", "郭向军")
    return subject, "", True


def _continue(p: str, ctx: Context) -> Turn:
    """An unlabelled paragraph: the open turn continues unless the text is plainly narration."""
    cur = ctx.current
    if cur is None or _NARRATION_MARK.search(p) or _CAPTION.match(p) or _quotes_someone_else(p, ctx) \
            or cur.kind == SPEECH and cur.speaker and len(cur.speaker) > 1 and cur.speaker in p:
        return ctx.close(Turn(None, None, p, NARRATION))
    ctx.last = turn = Turn(cur.speaker, cur.role, p, cur.kind)
    return turn


def _quotes_someone_else(p: str, ctx: Context) -> bool:
    """“…”吴志泉结束了…: a quote followed by another person's name is not the open turn's."""
    close = p.find("”") if p.startswith("“") else -1
    if close < 0 or ctx.current is None:
        return False
    names = (p[close + 1:close + 1 + size] for size in (3, 2))
    return any(n != ctx.current.speaker and valid_name(n) and (n == ctx.asker or ctx.vouched(n)) for n in names)
