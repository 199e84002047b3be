"""The answer engine: text in, a structured Answer out. No terminal, no Telegram."""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import partial

import numpy as np

from . import commands
from .columns import Columns
from .directory import SpeakerDirectory, SpeakerRef
from .excerpt import BoundsTable, excerpt
from .expand import Expander, ExpansionOptions
from .glossary import GeneratedGlossary, english_words
from .index import BM25Index, BM25Params, best_k, top_k
from .models import Answer, Deferred, Document, Passage, SpeakerHit
from .options import setting
from .phrase import Hits, PhraseRanking, Phrases, phrases, rerank
from .question import Question, is_english, normalize_question, understand, valid_text
from .scope import naming_words, narrow, role_phrase, scene_words
from .segment import Segmenter
from .semantic import Semantics, SemanticOptions
from .store import MAPPED


_ENGLISH_WHO = re.compile(r"\b(who|whom|whose|which (?:leader|official|person|speaker)s?)\b", re.I)


@dataclass(frozen=True)
class EngineOptions:
    """How answers are ranked and shown. A settings file gives the scalar fields in its `answers:`
    section, and `bm25:` and `expansion:` as sections of their own."""

    bm25: BM25Params = field(default_factory=BM25Params)
    max_speakers: int = setting(5, low=1, help="speakers listed for a who-question")
    passages_per_speaker: int = setting(2, low=0, help="cited passages under each speaker")
    max_passages: int = setting(5, low=1, help="passages for any other question")
    excerpt_sentences: int = setting(2, low=1, help="matching sentences quoted from a passage")
    excerpt_chars: int = setting(300, low=1, help="longer excerpts are cut with …")
    max_question_chars: int = setting(500, low=1, help="longer questions are cut to this, with a note")
    speaker_damping: float = setting(0.0, low=0, high=1, help="a speaker scores best passage + d x 2nd + d² x 3rd …")
    candidates: int = setting(300, low=1, help="best passages pooled before speakers are ranked")
    min_relative_score: float = setting(0.25, low=0, high=1, help="speakers under this share of the best are left out")
    title_weight: float = setting(1.5, low=0, help="share of the article title's match added to a matching passage")
    role_boost: float = setting(0.5, low=0, help="who-questions naming a role: its holders' passages count 1 + this")
    phrase_weight: float = setting(1.0, low=0, help="a passage holding the question's neighbouring words side by side scores x (1 + this x share of the pairs)")
    subword_weight: float = setting(1.0, low=0, high=1, help="weight of a question word's dictionary sub-words (惩治腐败 -> 腐败) against the whole word's 1")
    title_topic_weight: float = setting(0.5, low=0, high=1, help="in the title match, weight of question words that name no article (topic words) against naming words' 1")
    title_word_weight: float = setting(0.5, low=0, high=1, help="on passage text, weight of the words of the one article title the question matches best (they name the article, the title match counts them)")
    scope_min_score: float = setting(1.0, low=0, help="title-and-year match an article needs before it narrows a role or name to its speakers")
    expansion: ExpansionOptions = field(default_factory=ExpansionOptions)
    semantic: SemanticOptions = field(default_factory=SemanticOptions)


class Engine:
    """Answers questions and commands over a parsed corpus."""

    def __init__(
        self,
        documents: Sequence[Document],
        segmenter: Segmenter,
        options: EngineOptions = EngineOptions(),
        index: BM25Index | None = None,
        title_index: BM25Index | None = None,
        bounds: BoundsTable | None = None,
        columns: Columns | None = None,
        directory: SpeakerDirectory | None = None,
    ) -> None:
        # From the index cache the columns are memory-mapped: records are made only when cited.
        self.columns = columns or Columns.build(documents)
        self.documents = self.columns.documents
        self.units = self.columns.units
        self.segmenter = segmenter
        self.options = options
        self.directory = directory or SpeakerDirectory.build(self.documents, self.columns.speaker_id)
        if not segmenter.holds_stored_words:   # else it has them already (decoding them costs ~20 ms a start)
            segmenter.add_words(self.vocabulary_words())
        self.index = index or BM25Index.build([segmenter.terms(u.utterance.text) for u in self.units], options.bm25)
        # unit -> speaker id (-1: no named speech), ids numbered in (doc, name) order
        self.unit_speaker = self.columns.unit_speaker
        self.speech_mask = self.unit_speaker >= 0
        self._everything: np.ndarray | None = None
        self.unit_doc = self.columns.unit_doc
        self._title_cache: dict[str, set[str]] = {}
        self._title_index: BM25Index | None = title_index  # from the index cache, else built on first use
        self.bounds = bounds   # each unit's sentence and token ends; None: cut when an excerpt needs them
        self.expander = Expander(options.expansion, known=lambda word: word in self.index.vocabulary)
        # the dictionary's words for English words the hand glossary lacks: never a name or a role word
        self.glossary = GeneratedGlossary(options.expansion.generated_glossary, options.expansion.generated_per_word,
                                          known=lambda word: word in self.index.vocabulary,
                                          excluded=lambda: {*self.directory.names, *self.directory.role_words})
        self._semantics: Semantics | None = None
        self.resident_limit = 0   # bytes of mapped cache pages kept between answers (0: no limit)

    @property
    def semantics(self) -> Semantics:
        """Word and passage vectors over the index (built when a question first needs them)."""
        if self._semantics is None:
            # names and role words are no neighbours; read when the vectors are (decoding costs ~0.1 s)
            self._semantics = Semantics(self.options.semantic, self.index,
                                        lambda: {*self.directory.names, *self.directory.role_words}, texts=self.columns.texts)
        return self._semantics

    def preload(self) -> None:
        """Load now what the first answers would load inside them: the whole dictionary and tagger,
        the word vectors (~0.2 s for a long-running process, which then answers each without it)."""
        self.segmenter.preload()
        self.semantics.available   # reads the vectors when they are on

    def vocabulary_words(self) -> list[str]:
        """Speaker names, which the segmenter must keep whole.

        Roles are not added: role questions are resolved on the raw text, and a role made one
        word (西安仪表厂幼儿园主任) would hide its parts (幼儿园) from the index.
        """
        return self.directory.names

    # ------------------------------------------------------------ entry point

    def ask(self, text: str) -> Answer:
        """Answer one input: a /command or a question in Chinese (or glossary English)."""
        # Before answering, so that the last answer's excerpts, read when it was shown, count too.
        MAPPED.keep_within(self.resident_limit)
        question, cut = normalize_question(text or "", self.options.max_question_chars)
        if question.startswith("/"):
            answer = commands.run(self, question)
        else:
            answer = self.answer_question(question)
        if cut:
            answer = replace(answer, notes=answer.notes + (f"问题太长，只取了前 {self.options.max_question_chars} 个字。",))
        return replace(answer, query=valid_text(text or ""))  # echoed as given, but always valid text

    def answer_question(self, text: str) -> Answer:
        if not text.strip(" ?？!！。,，"):
            return Answer(kind="empty", query=text, message=commands.EMPTY_QUESTION)
        english = is_english(text)
        question = understand(self.expander.translate(text) if english else text, self.directory, self.segmenter.pieces)
        if english:
            question = replace(question, text=text, who=question.who or bool(_ENGLISH_WHO.search(text)),
                               glossed=tuple(self.glossary.candidates(english_words(self.expander.untranslated(text)))))
        question = self._stated_role(question)
        terms = tuple(dict.fromkeys(self.segmenter.terms(question.topic)))
        naming = [t for w in naming_words(question.topic, self.segmenter.tag) for t in self.segmenter.terms(w)]
        question, scope = self._scoped(question, naming)
        if scope:   # the words that named the article said where, not what: they are no topic now
            scene = self._scene_terms(question.topic, naming, scope)
            terms = tuple(t for t in terms if t not in scene)
        said = Phrases() if english else phrases(self.segmenter.tokens(question.topic), question.text)
        said = replace(said, naming=frozenset(naming),
                       titled=tuple(t for w in question.shortened for t in self.segmenter.terms(w) if t not in terms))
        answer = self._who(question, terms, said) if question.who else self._passages(question, terms, said)
        if not scope:
            return answer
        return replace(answer, scope=tuple(commands.doc_info(self, d) for d in scope))

    def _stated_role(self, question: Question) -> Question:
        """The question with the people its role is stated of in the text as the holders, when no recorded
        role holds the role as the question gives it, qualifiers and all (香港中华厂商联合会会长: 梁钦荣's
        label gives another of his posts; a reporter's question says 梁钦荣委员也是香港中华厂商联合会会长).
        A person counts when their name stands just before the phrase (名 + 委员也是 …) or right after it."""
        if question.role_span is None:
            return question
        phrase = role_phrase(question.text, question.role_span, self.segmenter.tag)
        if len(phrase) <= question.role_span[1] - question.role_span[0]:
            return question   # nothing before the role word: the recorded roles said all there is
        holders = self._stated_holders(phrase)
        if not holders:
            return question
        if question.speakers:
            return replace(question, speakers=holders)
        return replace(question, preferred=holders)

    def _stated_holders(self, phrase: str, before: int = 8, after: int = 2, limit: int = 200) -> tuple[SpeakerRef, ...]:
        """Speakers named within `before` characters ahead of `phrase`, or `after` behind it, in a passage
        that holds it word for word (the passages of its rarest term, `limit` at most)."""
        terms = [t for t in self.segmenter.terms(phrase) if t]
        frequencies = [self.index.document_frequency(t) for t in terms]
        if not terms or not all(frequencies):
            return ()
        ids, _ = self.index.scores([terms[int(np.argmin(frequencies))]])
        found: dict[tuple[int, str], SpeakerRef] = {}
        for unit in ids[:limit].tolist():
            text = self.columns.texts[unit]
            at = text.find(phrase)
            if at < 0:
                continue
            ahead, behind = text[max(0, at - before): at], text[at + len(phrase):]
            for ref in self.directory.refs.in_doc(int(self.unit_doc[unit])):
                if ref.name in ahead or 0 <= behind.find(ref.name, 0, after + len(ref.name)) <= after:
                    found.setdefault((ref.doc, ref.name), ref)
        return tuple(found.values())

    def _scoped(self, question: Question, naming: Sequence[str]) -> tuple[Question, tuple[int, ...]]:
        """The question with the speakers it names or describes kept to the article its naming words
        (index terms of its places, organisations, years) name, if any."""
        refs = question.speakers or question.preferred
        if not refs or not naming:
            return question, ()
        scope = narrow(refs, lambda: self._title_match(naming, [1.0] * len(naming)), self.options.scope_min_score)
        if not scope.docs:
            return question, ()
        if question.speakers:
            return replace(question, speakers=scope.refs), scope.docs
        return replace(question, preferred=scope.refs), scope.docs

    def _scene_terms(self, topic: str, naming: Sequence[str], docs: Sequence[int]) -> set[str]:
        """Terms of the question that name the chosen articles or set the scene: naming words, words of
        those articles' titles, words of time and place (会上)."""
        scene = set(naming)
        scene.update(t for w in scene_words(topic, self.segmenter.tag) for t in self.segmenter.terms(w))
        for d in docs:
            scene.update(self._title_terms(self.documents[d].title))
        return scene

    def _title_match(self, words: Sequence[str], weights: Sequence[float]) -> np.ndarray:
        """Each article's BM25 on its title and year (0 where none of the words is in it)."""
        doc_ids, doc_scores = self.title_index.scores(words, weights)
        scores = np.zeros(len(self.documents))
        scores[doc_ids] = doc_scores
        return scores

    def _query(self, terms: Sequence[str], glossed: Sequence[tuple[str, float]] = ()) -> tuple[list[str], list[float]]:
        words, weights = self.expander.expand(terms)
        self.semantics.expand(terms, words, weights)
        seen = set(words)
        for word, weight in glossed:   # an English question's dictionary words, below its glossary's own
            if word not in seen:
                seen.add(word)
                words.append(word)
                weights.append(weight)
        return words, subwords_below(words, weights, set(terms), self.options.subword_weight)

    def _rescore(self, hits: list[tuple[int, float]], terms: Sequence[str], allowed: np.ndarray,
                 text: str = "") -> list[tuple[int, float]]:
        """Candidates with the passages nearest the question added, BM25 blended with the semantic score
        (and, when on, the sentence vectors of the question's topic, `text`: its who-phrase says nothing a
        passage holds)."""
        semantics = self.semantics
        if not semantics.available:
            return hits
        if text and semantics.options.sentences:
            text = self._ranked_words(text, terms)
        found = {i for i, _ in hits}
        extra = [(i, 0.0) for i in semantics.extra(terms, allowed, text) if i not in found]
        return semantics.blend(hits + extra, terms, text)

    def _ranked_words(self, text: str, terms: Sequence[str]) -> str:
        """The text without the words it is not ranked on: a question scoped to an article has the words
        naming it out of its terms (they say where, not what), and encoded with the rest they would pull
        its sentence vector to other passages about that article's subject (1993年四位民主党派负责人答记者问
        时，谁谈了反腐败问题 went to a speaker of another article). Punctuation and function words stay."""
        keep = set(terms)
        return "".join(t.surface for t in self.segmenter.tokens(text) if t.term is None or t.term in keep)

    def _search_sections(self, question: Question, words: Sequence[str], weights: Sequence[float],
                         allowed: np.ndarray, k: int, said: Phrases,
                         settle: Callable[[PhraseRanking], Hits] | None = None) -> list[tuple[int, float]]:
        """Search the section the question names; the whole corpus when that section has no match."""
        section = self._section_mask(question)
        hits = self._search(words, weights, allowed if section is self.everything else allowed & section, k, said,
                            settle)
        if hits or (not question.section_hint and question.section_number is None):
            return hits
        return self._search(words, weights, allowed, k, said, settle)

    def _search(self, words: Sequence[str], weights: Sequence[float], allowed: np.ndarray, k: int,
                said: Phrases, settle: Callable[[PhraseRanking], Hits] | None = None) -> list[tuple[int, float]]:
        """Best units by BM25 on their text, plus a share of their article title's BM25.

        The title counts only for passages that match on their own text: it says which
        article a question is about (1998年 博鳌论坛 …), not who said it. `settle`: the hits an answer
        reads, taken from the phrase ranking only as far as it needs them (None: the first k).
        """
        bonus = None
        if self.options.title_weight and len(self.documents) > 1:
            # The title says which article a question names: its naming words count in full, its
            # other words (a topic that happens to be in some title) by title_topic_weight.
            topic_share = self.options.title_topic_weight
            title_words = [*words, *said.titled]
            title_weights = [wt if w in said.naming else wt * topic_share
                             for w, wt in zip(title_words, [*weights, *[1.0] * len(said.titled)])]
            bonus = self._title_match(title_words, title_weights)
        ids, scores = self.index.scores(words, self._text_weights(words, weights, bonus, said.naming),
                                        None if allowed is self.everything else allowed)
        if bonus is not None and len(ids):
            # Only the units of articles whose title matched get a share (the rest would add 0): found
            # from those articles' unit ranges, not by reading the article of every matching unit (at
            # 1M passages that read the whole unit table for a common word).
            at, docs = self.columns.in_docs(ids, np.flatnonzero(bonus))
            scores[at] += self.options.title_weight * bonus[docs]
        if not said or not self.options.phrase_weight and not said.quotations:
            return top_k(ids, scores, k)
        pool = best_k(ids, scores, max(k, self.options.candidates))   # phrase evidence reorders the best
        if settle is None:
            return rerank(*pool, self.columns.texts, said, self.options.phrase_weight)[:k]
        return settle(PhraseRanking(*pool, self.columns.texts, said, self.options.phrase_weight))[:k]

    def _text_weights(self, words: Sequence[str], weights: Sequence[float], bonus: np.ndarray | None,
                      naming: frozenset[str]) -> Sequence[float]:
        """The query's weights on passage text: the words of the one article whose title the question
        matches best scaled by title_word_weight. They said which article (the title bonus counts them);
        inside it every passage is about them, so they cannot tell its speakers apart (1993年四位民主党派
        负责人答记者问时，谁谈了反腐败问题: 反腐败 does, 民主党派 does not)."""
        factor = self.options.title_word_weight
        if factor == 1.0 or bonus is None or not len(bonus):
            return weights
        best = float(bonus.max())
        if best < self.options.scope_min_score or int((bonus == best).sum()) != 1:
            return weights
        d = int(bonus.argmax())
        own = self._title_terms(f"{self.columns.titles[d]} {self.columns.dates[d][:4]}")
        if not own & naming:   # a topic word that sits in a title (宝钢, 建议) names no article
            return weights
        return [wt * factor if w in own else wt for w, wt in zip(words, weights)]

    @property
    def title_index(self) -> BM25Index:
        """BM25 over article titles and years, built on first use."""
        if self._title_index is None:
            titles = zip(self.columns.titles, self.columns.dates)   # no document made for it
            fields = [self.segmenter.terms(f"{title} {date[:4]}") for title, date in titles]
            self._title_index = BM25Index.build(fields, self.options.bm25)
        return self._title_index

    # ------------------------------------------------------------ who

    def _who(self, question: Question, terms: tuple[str, ...], said: Phrases) -> Answer:
        if not terms and not question.glossed:
            if question.speakers or question.preferred:
                return self._speakers_as_answer(question, question.speakers or question.preferred)
            return Answer(kind="empty", query=question.text, message=commands.NO_TOPIC)
        words, weights = self._query(terms, question.glossed)
        allowed = self.speech_mask & self._mask(question.speakers) if question.speakers else self.speech_mask
        # The people it names as context are no answer, unless there is no one else; by speaker id (a
        # name in many articles, 习近平 at 1M passages, has thousands of entries: no record made for them).
        mentioned = self._speaker_ids(question.mentioned)
        # Speakers ranked on their best passage alone are known from the head of the hits (a role
        # boost, a damped sum or the semantic blend rescores every hit).
        by_best = not question.preferred and not self.options.speaker_damping and not self.semantics.available
        hits = self._search_sections(question, words, weights, allowed, self.options.candidates, said,
                                     partial(self._settled_speakers, mentioned) if by_best else None)
        hits = self._rescore(hits, terms, allowed, question.topic)
        weighted = dict(zip(words, weights))
        if not hits:
            return self._nothing(question, terms)
        if question.preferred:
            hits = self._prefer(hits, question.preferred)
        ranked = self._rank_speakers(hits, self.options.max_speakers, after=mentioned)
        floor = ranked[0][1] * self.options.min_relative_score
        speakers = tuple(self._speaker_hit(key, score, own, weighted) for key, score, own in ranked if score >= floor)
        passages = tuple(p for s in speakers for p in s.passages)
        return Answer(kind="who", query=question.text, terms=tuple(words), speakers=speakers, passages=passages)

    def _settled_speakers(self, mentioned: np.ndarray, ranking: PhraseRanking) -> Hits:
        """What a who-answer that ranks speakers on their best passage reads of a phrase ranking: a head
        holding max_speakers speakers besides the `mentioned` ones (speaker ids), and every candidate of
        those speakers (and of any tied with the last of them) for the passages shown under them."""
        if ranking.whole is not None:
            return ranking.whole   # rescored at once: nothing to settle
        limit = self.options.max_speakers

        def enough(ids: np.ndarray) -> bool:
            speakers = np.unique(self.unit_speaker[ids])
            return int(np.count_nonzero(~np.isin(speakers, mentioned))) >= limit

        head = ranking.head(enough)
        keys = self.unit_speaker[np.fromiter((i for i, _ in head), dtype=np.int64, count=len(head))]
        speakers, first = np.unique(keys, return_index=True)
        others = ~np.isin(speakers, mentioned)
        order = np.argsort(first[others])                 # the answering speakers by their best hit
        speakers, first = speakers[others][order], first[others][order]
        if len(speakers) < limit:
            return head   # rerank's whole list
        last_best = head[int(first[limit - 1])][1]
        wanted = speakers[[head[f][1] >= last_best for f in first.tolist()]]
        return ranking.adding(np.isin(self.unit_speaker[ranking.ids], wanted))

    def _prefer(self, hits: list[tuple[int, float]], refs: Sequence[SpeakerRef]) -> list[tuple[int, float]]:
        wanted = self._speaker_ids(refs)
        ids, scores = _arrays(hits)
        scores = np.where(np.isin(self.unit_speaker[ids], wanted), scores * (1 + self.options.role_boost), scores)
        order = np.lexsort((ids, -scores))
        return list(zip(ids[order].tolist(), scores[order].tolist()))

    def _rank_speakers(self, hits: list[tuple[int, float]], limit: int | None = None, after: np.ndarray | None = None
                       ) -> list[tuple[tuple[int, str], float, list[tuple[int, float]]]]:
        """(speaker, score, their hits best first): best passage plus a damped sum of the rest; the
        first `limit` speakers only (None: all); the speaker ids `after` left out unless no one else is left.

        Grouped with numpy over the unit -> speaker array; speaker ids follow (doc, name) order,
        so ties go to the same speaker as sorting the keys themselves would.
        """
        ids, scores = _arrays(hits)
        keys = self.unit_speaker[ids]
        order = np.argsort(keys, kind="stable")        # hits come best first, so each group is too
        grouped = keys[order]
        starts = np.flatnonzero(np.r_[True, grouped[1:] != grouped[:-1]]) if len(order) else np.empty(0, np.int64)
        rank = np.arange(len(order)) - np.repeat(starts, np.diff(np.r_[starts, len(order)]))
        totals = np.add.reduceat(scores[order] * self.options.speaker_damping ** rank, starts) if len(order) else scores
        best = np.lexsort((grouped[starts], -totals))
        if after is not None and len(after):
            others = ~np.isin(grouped[starts][best], after)
            if others.any():
                best = best[others]
        bounds = np.r_[starts, len(order)]
        ordered_ids, ordered_scores = ids[order].tolist(), scores[order].tolist()
        return [(self.columns.speaker_key(int(grouped[starts[g]])), float(totals[g]),
                 list(zip(ordered_ids[bounds[g]:bounds[g + 1]], ordered_scores[bounds[g]:bounds[g + 1]])))
                for g in best[:limit].tolist()]

    def _speaker_hit(self, key: tuple[int, str], score: float, hits: list[tuple[int, float]], terms) -> SpeakerHit:
        doc, name = key
        best = hits[: self.options.passages_per_speaker]
        title, date = self.columns.title_and_date(doc)
        return SpeakerHit(
            name=name,
            role=self.columns.speaker_role(doc, name),
            score=score,
            doc=doc,
            title=title,
            date=date,
            passages=tuple(self.passage(i, s, terms) for i, s in best),
        )

    def _speakers_as_answer(self, question: Question, refs: Sequence[SpeakerRef]) -> Answer:
        """"谁是纪委书记？": the speakers the role names, each with their first turn."""
        speakers = tuple(
            self.ref_hit(r, 1.0, tuple(self.passage(i, 0.0, {}) for i in self.turns_of(r.doc, r.name)[:1]))
            for r in refs[: self.options.max_speakers]
        )
        return Answer(kind="who", query=question.text, speakers=speakers,
                      passages=tuple(p for s in speakers for p in s.passages))

    # ------------------------------------------------------------ passages

    def _passages(self, question: Question, terms: tuple[str, ...], said: Phrases) -> Answer:
        if question.speakers and not terms:
            return commands.speaker_turns(self, question.speakers, query=question.text)
        if not terms and not question.glossed:
            return Answer(kind="empty", query=question.text, message=commands.NO_TOPIC)
        words, weights = self._query(terms, question.glossed)
        allowed = self._mask(question.speakers)
        shown = self.options.max_passages   # the semantic blend rescores every hit
        settle = None if self.semantics.available else (lambda ranking: ranking.head(lambda ids: len(ids) >= shown))
        hits = self._search_sections(question, words, weights, allowed, self.options.candidates, said, settle)
        hits = self._rescore(hits, terms, allowed, question.topic)[:shown]
        if not hits:
            return self._nothing(question, terms)
        weighted = dict(zip(words, weights))
        passages = tuple(self.passage(i, s, weighted) for i, s in hits)
        speakers = self._refs_as_hits(question.speakers)
        return Answer(kind="passages", query=question.text, terms=tuple(words), passages=passages, speakers=speakers)

    def _refs_as_hits(self, refs: Sequence[SpeakerRef]) -> Sequence[SpeakerHit]:
        """The speakers a question named or described, made when read (a role word may name thousands)."""
        return Deferred(lambda: tuple(self.ref_hit(r, 1.0) for r in refs))

    def ref_hit(self, ref: SpeakerRef, score: float = 0.0, passages: tuple[Passage, ...] = ()) -> SpeakerHit:
        """A directory entry as an answer's speaker, cited by its article."""
        title, date = self.columns.title_and_date(ref.doc)
        return SpeakerHit(ref.name, ref.role, score, ref.doc, title, date, passages)

    def _nothing(self, question: Question, terms: tuple[str, ...]) -> Answer:
        who = "、".join(dict.fromkeys(r.name for r in question.speakers))
        message = commands.nothing_found(" ".join(terms), who)
        return Answer(kind="empty", query=question.text, terms=terms, message=message,
                      speakers=self._refs_as_hits(question.speakers))

    # ------------------------------------------------------------ helpers

    @property
    def everything(self) -> np.ndarray:
        """Every unit allowed (read-only, made once): a search given it filters nothing."""
        if self._everything is None:
            everything = np.ones(len(self.units), dtype=bool)
            everything.setflags(write=False)
            self._everything = everything
        return self._everything

    def _mask(self, refs: Sequence[SpeakerRef]) -> np.ndarray:
        if not refs:
            return self.everything
        mask = np.zeros(len(self.units), dtype=bool)
        mask[self.columns.turns_of_speakers(self._speaker_ids(refs))] = True
        return mask

    def _speaker_ids(self, refs: Sequence[SpeakerRef]) -> np.ndarray:
        """The speaker ids (see unit_speaker) of directory entries, found by their number in the directory."""
        found = self.directory.speaker_ids(refs)
        missing = found < 0
        if missing.any():   # refs from elsewhere (a command built them): looked up by doc and name
            found[missing] = [k if (k := self.columns.speaker_id(r.doc, r.name)) is not None else -1
                              for r, m in zip(refs, missing) if m]
        return found[found >= 0]

    def _section_mask(self, question: Question) -> np.ndarray:
        """Units of the section the question names, or every unit when it names none it can find."""
        if not question.section_hint and question.section_number is None:
            return self.everything
        wanted = set(self._sections_named(question))
        if not wanted:
            return self.everything
        return self.columns.section_mask(wanted)

    def _sections_named(self, question: Question) -> list[tuple[int, int]]:
        docs = sorted({r.doc for r in question.speakers}) or None
        if question.section_number is not None:
            return [(d, question.section_number) for d in (docs or range(len(self.documents)))]
        hint = set(self.segmenter.terms(question.section_hint))
        scored = [
            (len(hint & self._title_terms(title)), d, number)
            for d, number, title in self.columns.sections(docs) if number > 0
        ]
        best = max((score for score, _, _ in scored), default=0)
        # The hint often carries the article's context too (重庆市委学习会上讲发展第一要务):
        # two heading words in common, or all of a short hint, is enough.
        if best < min(2, len(hint)) or best == 0:
            return []
        return [(d, n) for score, d, n in scored if score == best]

    def _title_terms(self, title: str) -> set[str]:
        if title not in self._title_cache:
            self._title_cache[title] = set(self.segmenter.terms(title))
        return self._title_cache[title]

    def turns_of(self, doc: int, name: str) -> list[int]:
        return self.columns.turns(doc, name)

    def section_turns(self, doc: int, number: int) -> list[int]:
        """The units of one section of one article, in order."""
        return self.columns.section_units(doc, number).tolist()

    def passage(self, unit_id: int, score: float, terms: Mapping[str, float]) -> Passage:
        """A unit as a cited passage, its sentences matching the weighted terms picked out."""
        unit = self.units[unit_id]
        u = unit.utterance
        return Passage(
            speaker=u.speaker,
            role=u.role or (self.columns.speaker_role(unit.doc, u.speaker) if u.speaker else None),
            text=u.text,
            excerpt=Deferred(partial(excerpt, u.text, terms, self.segmenter, self.options.excerpt_sentences,
                                    self.options.excerpt_chars, self.bounds[unit_id] if self.bounds else None)),
            citation=self.columns.citation(unit.doc, u.section, u.position),
            score=score,
            kind=u.kind,
        )


def _arrays(hits: list[tuple[int, float]]) -> tuple[np.ndarray, np.ndarray]:
    """(unit ids, scores) of ranked hits as arrays."""
    return (np.fromiter((i for i, _ in hits), dtype=np.int64, count=len(hits)),
            np.fromiter((s for _, s in hits), dtype=np.float64, count=len(hits)))


def subwords_below(words: Sequence[str], weights: Sequence[float], own: set[str], factor: float) -> list[float]:
    """Weights with the question's sub-words (选举 inside 差额选举) scaled by `factor`: the whole word
    as written is the better evidence."""
    if factor == 1.0:
        return list(weights)
    whole = [w for w in own if len(w) > 2]
    return [wt * factor if w in own and any(w != o and w in o for o in whole) else wt
            for w, wt in zip(words, weights)]
