"""The speaker directory: role words and names in a question resolved to entries, made when read."""
from __future__ import annotations

from itertools import accumulate

import numpy as np

from retrieval.directory import RefList
from retrieval.scope import narrow


def test_a_role_word_names_its_holders_without_making_them(transcripts_engine):
    directory = transcripts_engine.directory
    mention = directory.find_in("哪位委员谈到了教育？")
    holders = mention.described
    assert isinstance(holders, RefList) and len(holders) > 50
    assert not holders.made                            # nothing made yet
    assert holders == tuple(directory.lookup("委员"))   # the same entries, in the same order
    assert holders.made
    assert holders.docs.tolist() == [r.doc for r in holders]


def test_names_and_roles_found_together_are_listed_once_in_order(transcripts_engine):
    directory = transcripts_engine.directory
    mention = directory.find_in("代表委员们谈到了教育")
    refs = list(mention.described)
    assert refs == list(dict.fromkeys(refs)) and refs
    joined = mention.named + mention.described
    assert joined == tuple(mention.named) + tuple(mention.described)


def test_narrowing_holders_by_number_equals_narrowing_their_records(transcripts_engine):
    engine = transcripts_engine
    holders = engine.directory.find_in("纪委书记").described
    docs = sorted({r.doc for r in holders})
    assert len(docs) >= 2
    scores = np.zeros(len(engine.documents))
    scores[docs[1]] = 2.0
    by_number, by_record = narrow(holders, lambda: scores, 1.0), narrow(tuple(holders), lambda: scores, 1.0)
    assert by_number.docs == by_record.docs == (docs[1],)
    assert by_number.refs == by_record.refs and all(r.doc == docs[1] for r in by_number.refs)


def test_names_are_found_through_the_decoded_starts_of_every_key(transcripts_engine):
    directory = transcripts_engine.directory
    assert directory.starts("names") == {n[:2] for n in directory.names}   # each name's first two characters
    name = next(n for n in directory.names if len(n) == 3)
    question = f"{name}谈到了哪些问题？"
    first = directory.find_in(question)
    assert name in {r.name for r in first.named}
    again = directory.find_in(question)
    assert first.named == again.named and first.spans == again.spans


def test_the_stored_directory_does_not_depend_on_the_string_hash(tmp_path):
    """Role keys used to be numbered in a set's order, which moved with PYTHONHASHSEED from run to run."""
    import subprocess
    import sys

    script = ("import sys, hashlib; from retrieval.corpus import load_corpus, embedded_corpus_path;"
              "from retrieval.directory import SpeakerDirectory;"
              "d = SpeakerDirectory.build(load_corpus([embedded_corpus_path()]).documents);"
              "print(hashlib.sha1(b''.join(a.tobytes() for _, a in sorted(d.arrays.items()))).hexdigest())")
    digests = {subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                              env={"PYTHONHASHSEED": seed, "PATH": ""}).stdout for seed in ("1", "2")}
    assert len(digests) == 1


def _mention(engine, question):
    """What the engine finds in a question, with role words taken where the question's words start."""
    starts = set(accumulate(map(len, engine.segmenter.pieces(question)), initial=0))
    return engine.directory.find_in(question, starts)


def test_a_role_word_starts_where_a_word_of_the_question_starts(transcripts_engine):
    """Role keys are tails of roles (北代表 of 湖北代表, 常委, 部部长): read across the question's words
    they made up roles its words do not hold."""
    engine = transcripts_engine
    hebei = _mention(engine, "河北代表团讨论中，谁建议在农业上设置“风险基金”？")
    assert engine.directory.find_in("河北代表团讨论中").spans == [(1, 4)]   # without the words: 北代表
    assert not hebei.spans and not hebei.described
    question = "1980年人大分组会上，谁建议人大常委会加强经济立法、成立专门机构？"
    assert not _mention(engine, question).spans                         # 人大常委会 stays whole in the topic
    minister = _mention(engine, "中联部部长谈到非典期间党的对外工作是怎样开展的？")
    assert "王家瑞" in {r.name for r in minister.described}             # 部长, not 部部长 of 外经贸部部长
    question = "1980年北京代表团就宝钢工程向冶金部提出质询的是哪些代表？"
    assert "北京代表" in {question[a:b] for a, b in _mention(engine, question).spans}   # holds the word 北京


def test_a_role_after_a_partner_word_is_the_other_party(transcripts_engine):
    mention = _mention(transcripts_engine, "李鹏到重庆代表团参加审议时，哪位苗族村支书向总理说了心里话？")
    assert "李鹏" not in {r.name for r in mention.described}             # 向总理: the premier is spoken to
    assert mention.described and all("书记" in (r.role or "") for r in mention.described)   # 村支书 is asked


def test_a_role_given_shortened_finds_its_holders(transcripts_engine):
    mention = _mention(transcripts_engine, "山东苍山县那位村支书怎样解决蔬菜卖难问题？")
    holders = {r.name: r.role for r in mention.described}
    assert holders.get("刘建志", "").endswith("村党支部书记")
    assert all("支" in role and "书" in role for role in holders.values())
    answer = transcripts_engine.ask("山东苍山县那位村支书怎样解决蔬菜卖难问题？")
    assert answer.passages[0].speaker == "刘建志"


def test_a_shortened_role_still_names_the_article_whose_title_holds_it(transcripts_engine):
    """村支书 resolves to the village secretaries and leaves the topic, as role words do; the title match
    still counts it, so 三位村支书驻地夜话 stays the article asked about."""
    from retrieval.question import understand

    asked = "村支书们夜谈时，谁说村干部办事一定要公平公正、不偏不倚？"
    read = understand(asked, transcripts_engine.directory, transcripts_engine.segmenter.pieces)
    assert read.shortened == ("村支书",) and "村支书" not in read.topic
    answer = transcripts_engine.ask(asked)
    ranked = [s.name for s in answer.speakers]
    assert "李长庚" in ranked[:3] and "村支书" in answer.speakers[ranked.index("李长庚")].title
