"""Named errors of the engine, caught at the edge and turned into messages."""


class QabotError(Exception):
    """Base of every error qabot reports to a user instead of a traceback."""


class ParseError(QabotError):
    """A corpus file is not in the People's Daily text format."""


class CorpusError(QabotError):
    """The corpus as a whole cannot be used (no readable document at all)."""


class ConfigError(QabotError):
    """A setting is unknown, of the wrong type or out of range."""
