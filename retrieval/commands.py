"""The slash commands: /help, /speaker, /section, /doc — same answers in every adapter."""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Protocol

from .directory import SpeakerDirectory, SpeakerRef
from .index import BM25Index
from .models import SPEECH, Answer, DocInfo, Document, Passage, SectionInfo, SpeakerHit


class Engine(Protocol):
    """What the commands ask of the engine (retrieval.answer.Engine, which runs them)."""

    documents: list[Document]
    directory: SpeakerDirectory
    index: BM25Index

    def ref_hit(self, ref: SpeakerRef, score: float = 0.0, passages: tuple[Passage, ...] = ()) -> SpeakerHit: ...

    def turns_of(self, doc: int, name: str) -> list[int]: ...

    def section_turns(self, doc: int, number: int) -> list[int]: ...

    def passage(self, unit_id: int, score: float, terms: Mapping[str, float]) -> Passage: ...

EMPTY_QUESTION = "请输入一个问题，例如：谁谈到了腐败？ 或发送 /help 查看用法。"
NO_TOPIC = "请说明想了解的话题，例如：谁谈到了腐败？ 纪委书记说了什么？"
OPENING = "开场"
COMMANDS = ("/start", "/help", "/speaker", "/section", "/doc")
_COMMAND = re.compile(r"^/([A-Za-z_]+)(?:@\w+)?(?:\s+(.*))?$", re.S)
_DOC_SUFFIX = re.compile(r"^(.*?)\s*@\s*(\d+)$")
_TOPIC_EXAMPLES = ("腐败", "群众", "农民", "发展", "改革", "教育")


def nothing_found(terms: str, who: str = "") -> str:
    if who:
        return f"没有找到{who}谈到“{terms}”的内容。换个说法试试，或发送 /speaker {who.split('、')[0]} 查看其全部发言。"
    return f"没有找到与“{terms}”相关的发言。换个说法试试，或发送 /speaker 查看发言人。"


def run(engine: Engine, text: str) -> Answer:
    """Dispatch one /command line."""
    match = _COMMAND.match(text.strip())
    if not match:
        return _unknown(text)
    name, arg = match.group(1).lower(), (match.group(2) or "").strip()
    arg, doc = _split_doc(arg)
    if doc is not None and not 1 <= doc <= len(engine.documents):
        return Answer(kind="empty", query=text, message=f"没有第 {doc} 篇文章：语料共有 {len(engine.documents)} 篇，发送 /doc 查看列表。")
    doc_index = None if doc is None else doc - 1
    if name in ("start", "help"):
        return help_answer(engine)
    if name == "speaker":
        return speaker(engine, arg, doc_index, text)
    if name == "section":
        return section(engine, arg, doc_index, text)
    if name == "doc":
        return documents(engine, arg, text)
    return _unknown(text)


def _split_doc(arg: str) -> tuple[str, int | None]:
    """`2@3` → ("2", 3): an argument may name its article by number."""
    match = _DOC_SUFFIX.match(arg)
    if match:
        return match.group(1).strip(), int(match.group(2))
    return arg, None


def _unknown(text: str) -> Answer:
    word = text.split()[0] if text.split() else text
    return Answer(kind="empty", query=text, message=f"不认识的命令 {word}。可用的命令：{' '.join(COMMANDS)}；发送 /help 查看用法。")


# ---------------------------------------------------------------- /help


def help_answer(engine: Engine) -> Answer:
    docs = engine.documents
    refs = engine.directory.refs
    lines = [
        f"我能回答关于 {len(docs)} 篇人民日报文章、{len(refs)} 位发言人的问题：谁说了什么，在哪篇文章的哪一部分。",
        "",
        "直接提问：",
        *[f"  {q}" for q in _examples(engine)],
        "",
        "命令：",
        "  /speaker — 列出发言人及职务",
        "  /speaker 名字 — 某人的全部发言（全名、唯一的姓或职务都可以）",
        "  /section — 列出各部分及发言人",
        "  /section 2 或 /section 关键词 — 某一部分的发言",
        "  /doc — 列出文章；/doc 3 — 第 3 篇文章的概况",
        "  在多篇文章时，用 @编号 指定文章，例如 /section 2@3、/speaker 张三@3",
        "  /help — 显示本说明",
    ]
    return Answer(kind="help", message="\n".join(lines), documents=tuple(doc_info(engine, i) for i in range(min(len(docs), 10))))


def _examples(engine: Engine) -> list[str]:
    examples = [f"谁谈到了{t}？" for t in _TOPIC_EXAMPLES if engine.index.document_frequency(t)][:1]
    last_with_role = next((r for r in reversed(engine.directory.refs) if r.role), None)
    if last_with_role:
        role = last_with_role.role.split("、")[-1]
        examples.append(f"{role}说了什么？")
    if engine.directory.refs:
        ref = engine.directory.refs[0]
        examples.append(f"{ref.name}怎么看{_TOPIC_EXAMPLES[1]}？")
    return examples or ["谁谈到了腐败？"]


# ---------------------------------------------------------------- /speaker


def speaker(engine: Engine, arg: str, doc: int | None, query: str) -> Answer:
    refs = [r for r in engine.directory.refs if doc is None or r.doc == doc]
    if not arg:
        if not refs:
            return Answer(kind="empty", query=query, message="这里的文章没有具名发言人。可以直接提问，或发送 /doc 查看文章。")
        return Answer(kind="speaker_list", query=query, speakers=tuple(engine.ref_hit(r) for r in refs))
    found = [r for r in engine.directory.lookup(arg) if doc is None or r.doc == doc]
    if not found:
        return Answer(kind="empty", query=query, message=f"没有找到发言人“{arg}”。发送 /speaker 查看全部发言人。")
    names = list(dict.fromkeys(r.name for r in found))
    if len(names) > 1 and arg not in names:
        return Answer(kind="speaker_list", query=query, speakers=tuple(engine.ref_hit(r) for r in found),
                      message=f"“{arg}”对应多位发言人：{'、'.join(names)}。请写全名，例如 /speaker {names[0]}。")
    return speaker_turns(engine, [r for r in found if r.name == names[0]], query=query)


def speaker_turns(engine: Engine, refs: Sequence[SpeakerRef], query: str) -> Answer:
    """All turns of the given speakers, in order, grouped by article."""
    passages = tuple(engine.passage(i, 0.0, {}) for r in refs for i in engine.turns_of(r.doc, r.name))
    return Answer(kind="speaker_turns", query=query, speakers=tuple(engine.ref_hit(r) for r in refs), passages=passages)


# ---------------------------------------------------------------- /section


def section(engine: Engine, arg: str, doc: int | None, query: str) -> Answer:
    if doc is None and len(engine.documents) > 1:
        return Answer(kind="doc_list", query=query, documents=_doc_list(engine),
                      message=f"语料有 {len(engine.documents)} 篇文章，请指定一篇，例如 /section {arg or 1}@1。")
    if not engine.documents:
        return Answer(kind="empty", query=query, message="语料是空的，没有可以查看的部分。")
    d = doc or 0
    document = engine.documents[d]
    if not arg:
        return Answer(kind="section_list", query=query, sections=tuple(_section_info(document, d, s.number) for s in document.sections))
    number = _section_number(document, arg)
    if number is None:
        return Answer(kind="empty", query=query, message=_no_section(document, arg))
    turns = engine.section_turns(d, number)
    return Answer(kind="section_turns", query=query, sections=(_section_info(document, d, number),),
                  passages=tuple(engine.passage(i, 0.0, {}) for i in turns))


def _section_number(document: Document, arg: str) -> int | None:
    numbers = [s.number for s in document.sections]
    if re.fullmatch(r"[+-]?\d+", arg):
        return int(arg) if int(arg) in numbers else None
    if arg == OPENING:
        return 0 if 0 in numbers else None
    for s in document.sections:
        if arg in s.title:
            return s.number
    return None


def _no_section(document: Document, arg: str) -> str:
    headed = [s.number for s in document.sections if s.number > 0]
    if re.fullmatch(r"[+-]?\d+", arg):
        if not headed:
            return f"这篇文章没有分节标题，没有第 {arg} 部分。发送 /section 查看。"
        return f"没有第 {arg} 部分：这篇文章的部分编号是 1 到 {max(headed)}（另有开场）。发送 /section 查看列表。"
    return f"没有标题含“{arg}”的部分。发送 /section 查看各部分标题。"


def _section_info(document: Document, doc: int, number: int) -> SectionInfo:
    sec = next(s for s in document.sections if s.number == number)
    speakers = dict.fromkeys((u.speaker, u.role or document.speakers.get(u.speaker)) for u in sec.utterances
                             if u.speaker and u.kind == SPEECH)
    return SectionInfo(number, sec.title or OPENING, tuple(speakers), doc, document.title, document.date)


# ---------------------------------------------------------------- /doc


def documents(engine: Engine, arg: str, query: str) -> Answer:
    if not arg:
        return Answer(kind="doc_list", query=query, documents=_doc_list(engine))
    if arg.isdigit() and 1 <= int(arg) <= len(engine.documents):
        d = int(arg) - 1
        document = engine.documents[d]
        return Answer(kind="section_list", query=query, documents=(doc_info(engine, d),),
                      sections=tuple(_section_info(document, d, s.number) for s in document.sections),
                      speakers=tuple(engine.ref_hit(r) for r in engine.directory.refs.in_doc(d)))
    matches = tuple(doc_info(engine, i) for i, doc in enumerate(engine.documents) if arg in doc.title)
    if not matches:
        return Answer(kind="empty", query=query, message=f"没有标题含“{arg}”的文章，也没有这个编号。发送 /doc 查看列表。")
    return Answer(kind="doc_list", query=query, documents=matches)


def _doc_list(engine: Engine) -> tuple[DocInfo, ...]:
    return tuple(doc_info(engine, i) for i in range(len(engine.documents)))


def doc_info(engine: Engine, d: int) -> DocInfo:
    doc = engine.documents[d]
    return DocInfo(d + 1, doc.title, doc.date, doc.page, len(doc.speakers), len(doc.utterances))
