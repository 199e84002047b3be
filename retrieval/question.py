"""Question understanding: what kind of question, about whom, on what topic."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .directory import SpeakerDirectory, SpeakerRef

# "Who" is asked in many ways; English "who" too, for the glossary-backed English questions.
_WHO = re.compile(r"谁|哪位|哪些人|哪些领导|哪些代表|哪些委员|哪几位|哪个领导|哪一位|有谁|什么人|何人|\bwho\b", re.I)
# Words that ask for a speaker's words rather than for a speaker ("X 说了什么").
_WHAT_SAID = re.compile(r"说了什么|讲了什么|谈了什么|说了哪些|讲了哪些|谈了哪些|怎么看|怎么说|如何看|有什么看法|观点|看法")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Question:
    text: str                          # the normalised question
    who: bool                          # asks for speakers
    speakers: tuple[SpeakerRef, ...]   # speaker filter from a name or role in the question
    topic: str                         # the question with the speaker's name or role taken out
    asks_words: bool                   # "X 说了什么": X's words are wanted even without a topic


def normalize_question(text: str, max_chars: int) -> tuple[str, bool]:
    """(question, was_cut): NFKC-folded, control characters dropped, spaces collapsed, cut to max_chars."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C" or ch in "\n\t")
    text = _SPACES.sub(" ", text).strip()
    if len(text) > max_chars:
        return text[:max_chars], True
    return text, False


def understand(text: str, directory: SpeakerDirectory) -> Question:
    """Split a question into its kind, its speaker filter and its topic."""
    refs, spans = directory.find_in(text)
    topic = text
    for start, end in sorted(spans, reverse=True):
        topic = topic[:start] + " " + topic[end:]
    return Question(
        text=text,
        who=bool(_WHO.search(text)),
        speakers=refs,
        topic=topic.strip(),
        asks_words=bool(_WHAT_SAID.search(text)),
    )
