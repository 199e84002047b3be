"""The speaker directory: role words and names in a question resolved to entries, made when read."""
from __future__ import annotations

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
