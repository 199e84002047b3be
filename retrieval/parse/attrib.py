"""Find reported-speech attributions ("上海代表周谷城说，", "“…”张润身深有感触地说") with plain string scans."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..tables import cues

# Adverbials allowed between a speaker and the verb: "在发言中", "接过话筒", "深有感触地", "6日在记者招待会上".
_TAKE_OVER = r"接过[^，。“”：；]{0,6}?话(?:头|题|筒|茬)"
ADV_ATOMS = (rf"(?:[\d０-９]+日|今天|昨天|日前|近日)?在[^，。“”：；]{{1,16}}?(?:中|上|时)|(?:接受|回答)[^，。“”：；]{{1,12}}?时"
              rf"|今天|昨天|日前|近日|[\d０-９]+日|向记者|对记者|对此|就此|对[^，。“”：；]{{1,20}}?|{_TAKE_OVER}|"
              + "|".join(cues()["manner"]))  # 接着, 深有感触地, 笑着 … (retrieval/data/cues.tsv)
_ADV = re.compile(rf"(?:{ADV_ATOMS})*")
_ADV_FIRST = frozenset("在接回今昨日近向对就0123456789０１２３４５６７８９") | {w[0] for w in cues()["manner"]}
# Verbs that need punctuation (or a quote) right after them, and verbs that may run on ("认为假药…").
VERB_P = (r"(?:发言|插话|讲话)[。，](?:他|她)(?:接着|还|又)?说|说道|解释说|说|谈到|谈道|回答说|回答道|回答|答道|介绍说|介绍"
          rf"|透露|插话说|插话|补充说|发言|宣布|告诉记者|坦言|反映|{_TAKE_OVER}")
VERB_F = "|".join(cues()["running verb"])  # "贾亦斌委员在发言中高度评价了…"
_VERB = re.compile(rf"(?P<vp>{VERB_P})|(?P<vf>{VERB_F})")
_AFTER_VP = frozenset("，：,:。“")
_AFTER_ANY = frozenset("，：,:")
DATELINE = r"(?:据)?(?:新华社|本报|中新社)[^，。\s]{0,20}?(?:电|讯)[\s　]*(?:（记者[^）]*）)?"
_DATELINE = re.compile(DATELINE)
DATELINE_HEADS = ("据", "新华社", "本报", "中新社")
_CLAUSE_HEADS = ("在", "关于", "对于", "谈到", "谈及", "针对", "就", "对")
# A clause of time or sequence before the subject: "会后，", "3月5日上午，".
_OPENING_CLAUSE = re.compile(r"(?:会后|会上|随后|接着|最后|此外|同时)，|[\d０-９]{1,2}月[\d０-９]{1,2}日(?:[上下]午|晚)?，")
CLAUSE_STOP = re.compile(r"[，。！？；：“”]")  # where a clause (and a subject) ends
_SEGMENT_END = re.compile(r"[，。！？；：“”\s]")
SUBJECT_MAX = 40  # the longest subject (a role phrase and a name) before its verb


@dataclass(frozen=True, slots=True)
class Attribution:
    """Where a paragraph names its speaker: subject text ("上海代表周谷城"), adverbial, speech after the verb."""

    subject: str
    adverb: str
    rest: str
    lead: str       # "", "——", a leading quote or a "关于…，" clause


def find_attribution(p: str) -> Attribution | None:
    """The attribution a paragraph starts with (after a dateline, a leading quote or clause), or None."""
    start, lead = _lead(p)
    if start < 0:
        return None
    seg_end = _segment_end(p, start)
    for verb in _VERB.finditer(p, start + 2, seg_end + 6):
        if verb.start() >= seg_end:
            break
        end = verb.end()
        after = p[end:end + 1]
        if verb["vp"] and after and after not in _AFTER_VP:
            continue
        subject, adverb = _split_adverb(p, start, verb.start())
        if len(subject) < 2 or subject.startswith("当"):  # "当…代表王广平在发言中谈到…时，总理…": a time clause
            continue
        if after in _AFTER_ANY or (verb["vp"] and after in "。"):
            end += 1
        return Attribution(subject, adverb, p[end:], lead)
    return None


def _lead(p: str) -> tuple[int, str]:
    """Index where the subject can start, and the lead before it; -1 when the paragraph cannot be one."""
    start = 0
    if p.startswith(DATELINE_HEADS):
        m = _DATELINE.match(p)
        start = m.end() if m else 0
    if p.startswith("——", start):
        return start + 2, "——"
    if p.startswith("“", start):
        close = p.find("”", start)
        if close < 0 or close - start > 300:
            return -1, ""
        after = close + 1 + (p[close + 1:close + 2] in "，,")
        return after, p[start:after]
    opening = _OPENING_CLAUSE.match(p, start)
    if opening:
        return opening.end(), opening.group()
    if p.startswith(_CLAUSE_HEADS, start):
        m = CLAUSE_STOP.search(p, start, start + 32)
        if m and m.group() == "，":
            clause_end = m.end()
            if _VERB.search(p, clause_end, _segment_end(p, clause_end)):
                return clause_end, p[start:clause_end]
    return start, ""


def _segment_end(p: str, start: int) -> int:
    """Index of the first clause-ending character after `start`."""
    m = _SEGMENT_END.search(p, start, start + SUBJECT_MAX + 30)
    return m.start() if m else min(len(p), start + SUBJECT_MAX + 30)


def _split_adverb(p: str, start: int, verb: int) -> tuple[str, str]:
    """Split p[start:verb] into the shortest subject and the adverbial that ends it."""
    for i in range(start + 2, verb):
        if p[i] in _ADV_FIRST and _ADV.fullmatch(p, i, verb):
            return p[start:i], p[i:verb]
    return p[start:verb], ""
