"""Question understanding over the transcripts: who is asked about when a question names several people."""
from __future__ import annotations


def test_a_role_beside_a_named_person_who_does_not_hold_it_is_the_one_asked(transcripts_engine):
    """在李鹏与代表委员探讨…时，上海交通大学副校长说了什么: 李鹏 sets the scene, the vice-president speaks."""
    engine = transcripts_engine
    (holder,) = engine.directory.lookup("上海交通大学副校长")
    answer = engine.ask("在李鹏与代表委员探讨中小学生减负时，上海交通大学副校长说了什么？")
    assert answer.passages and {(p.citation.doc, p.speaker) for p in answer.passages} == {(holder.doc, holder.name)}


def test_a_named_person_who_holds_the_role_stays_the_one_asked(seed_engine):
    answer = seed_engine.ask("纪委书记刘丰富谈了什么？")
    assert {p.speaker for p in answer.passages} == {"刘丰富"}


def test_zhconv_is_skipped_only_for_texts_it_leaves_unchanged():
    """The shipped marks are zhconv's own table's (scripts/convert_zhconv.py), and every corpus line,
    and pieces of it, they pass over is one `zhconv.convert` returns unchanged; traditional text converts."""
    from pathlib import Path

    from retrieval.question import _zhconv, to_simplified, zhconv_conversions, zhconv_table_conversions

    zhconv = _zhconv()
    conversions = zhconv_conversions()
    assert conversions == zhconv_table_conversions(zhconv)
    corpus = Path(__file__).resolve().parents[2] / "retrieval" / "data" / "corpus"
    skipped = 0
    for path in sorted(corpus.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            for piece in (line, line[:12], line[3:30], "反覆" + line[:8], "么九"):
                if not conversions.may_change(piece):
                    skipped += 1
                    assert zhconv.convert(piece, "zh-cn") == piece
    assert skipped > 100
    assert to_simplified("誰談到了腐敗？") == "谁谈到了腐败？" and to_simplified("反覆") == zhconv.convert("反覆", "zh-cn") != "反覆"


def test_has_han_is_the_ideograph_class_it_replaced():
    """`has_han` (no regex compiled at import) answers as `[\\u4e00-\\u9fff]` did: for every code point, and
    for every question of the eval sets and every line of the seed article."""
    import re
    from pathlib import Path

    import yaml

    from retrieval.question import has_han

    ideograph = re.compile("[\u4e00-\u9fff]")
    everything = "".join(map(chr, range(0xD800))) + "".join(map(chr, range(0xE000, 0x110000)))
    assert [ch for ch in everything if has_han(ch)] == ideograph.findall(everything)
    root = Path(__file__).resolve().parents[2]
    texts = [case["question"] for path in sorted((root / "eval").glob("*.yaml"))
             for case in (yaml.safe_load(path.read_text(encoding="utf-8")) or []) if isinstance(case, dict)
             and isinstance(case.get("question"), str)]
    texts += (root / "retrieval" / "data" / "corpus" / "2003-11-06_ningxia-study.txt").read_text(
        encoding="utf-8").splitlines()
    assert len(texts) > 500 and any(not has_han(t) for t in texts)
    assert [has_han(t) for t in texts] == [bool(ideograph.search(t)) for t in texts]
