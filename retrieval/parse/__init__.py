"""The parser: People's Daily text → Documents whose paragraphs say who speaks them.

article (file format) → front (repeated header block) → sections (headings, paragraphs) → turns (who
speaks each paragraph: labels, reported speech, continuations) with attrib, floor and pronoun for speech
inside a paragraph, names for names and roles, context for what the article tells before any turn,
roles for one role per speaker afterwards."""
from .article import parse_article, parse_text, parse_text_with_problems, split_articles

__all__ = ["parse_article", "parse_text", "parse_text_with_problems", "split_articles"]
