"""Settings from config.yaml, checked key by key, turned into an engine."""
from __future__ import annotations

import dataclasses
import math
import os
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from retrieval.errors import ConfigError
from retrieval.segment import STOPWORDS

if typing.TYPE_CHECKING:
    from retrieval import Engine, EngineOptions, Problem, Segmenter

CONFIG_ENV = "QABOT_CONFIG"
# The documented config.yaml beside the packages, present in a checkout and an editable install;
# it carries the domain synonym table and the English glossary, which have no built-in default.
PROJECT_CONFIG = Path(__file__).resolve().parent.parent / "config.yaml"


@dataclass(frozen=True)
class CorpusSettings:
    paths: tuple[str, ...] = ()       # files or folders; empty = the embedded seed article
    strict: bool = False              # a bad corpus file is an error (exit 1), not a warning


@dataclass(frozen=True)
class CacheSettings:
    enabled: bool = True
    dir: str = ""                     # "" = $XDG_CACHE_HOME/qabot or ~/.cache/qabot


@dataclass(frozen=True)
class SegmentationSettings:
    backend: str = "rjieba"           # rjieba | jieba (reference; same dictionary, slower start)
    hmm: bool = True                  # jieba's HMM for words not in the dictionary
    subwords: bool = True             # index long words' dictionary sub-words too (惩治腐败 → 腐败)
    extra_words: tuple[str, ...] = ()  # words never to split, besides speaker names and roles
    extra_stopwords: tuple[str, ...] = ()


@dataclass(frozen=True)
class BM25Settings:
    k1: float = 1.5
    b: float = 0.75
    epsilon: float = 0.25


@dataclass(frozen=True)
class AnswerSettings:
    max_speakers: int = 5
    passages_per_speaker: int = 2
    max_passages: int = 5
    excerpt_sentences: int = 2
    excerpt_chars: int = 300
    max_question_chars: int = 500
    speaker_damping: float = 0.0
    candidates: int = 300
    min_relative_score: float = 0.25
    title_weight: float = 1.5
    role_boost: float = 0.5


@dataclass(frozen=True)
class ExpansionSettings:
    thesaurus: bool = False           # add synonyms from HIT Tongyici Cilin (offline)
    thesaurus_weight: float = 0.3     # weight of a thesaurus synonym vs the user's own word (1.0)
    domain_weight: float = 0.6        # weight of a synonym from `synonyms` below
    max_per_word: int = 8             # synonyms added per question word, at most
    synonyms: tuple[str, ...] = ()    # groups of interchangeable words, space-separated
    glossary: dict[str, str] = field(default_factory=dict)  # English → Chinese words


@dataclass(frozen=True)
class TelegramSettings:
    base_url: str = ""                # "" = Telegram's; env TELEGRAM_BASE_URL wins
    allowed_user_ids: tuple[int, ...] = ()   # empty = everyone
    allowed_chat_ids: tuple[int, ...] = ()   # empty = every chat
    rate_limit_per_minute: int = 20   # questions per user per minute
    passages_per_page: int = 3
    concurrent_updates: int = 8       # updates handled at once
    send_retries: int = 3             # retries of a failed send (network errors, 5xx, 429)


@dataclass(frozen=True)
class Settings:
    corpus: CorpusSettings = field(default_factory=CorpusSettings)
    cache: CacheSettings = field(default_factory=CacheSettings)
    segmentation: SegmentationSettings = field(default_factory=SegmentationSettings)
    bm25: BM25Settings = field(default_factory=BM25Settings)
    answers: AnswerSettings = field(default_factory=AnswerSettings)
    expansion: ExpansionSettings = field(default_factory=ExpansionSettings)
    telegram: TelegramSettings = field(default_factory=TelegramSettings)
    source: str = ""                  # the file these came from, for messages

    @property
    def cache_dir(self) -> Path:
        if self.cache.dir:
            return Path(self.cache.dir).expanduser()
        base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
        return Path(base) / "qabot"


def default_config_path() -> Path | None:
    """$QABOT_CONFIG, else ./config.yaml, else the project's own config.yaml, else none (built-in defaults)."""
    env = os.environ.get(CONFIG_ENV)
    if env:
        return Path(env)
    for candidate in (Path("config.yaml"), PROJECT_CONFIG):
        if candidate.is_file():
            return candidate
    return None


def read_yaml(path: str | Path, what: str) -> Any:
    """A YAML file's data; unreadable, non-UTF-8 or invalid files are one-line ConfigErrors."""
    try:
        return yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the {what} ({exc.strerror or exc})") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML ({str(exc).splitlines()[0]})") from None


def load_settings(path: str | Path | None = None) -> Settings:
    """Read and check a config file; no file means the built-in defaults."""
    config = Path(path) if path is not None else default_config_path()
    if config is None:
        return Settings()
    data = read_yaml(config, "config file") or {}
    if not isinstance(data, dict):
        raise ConfigError(f"{config}: expected a mapping of settings at the top level")
    settings = _build(Settings, {k: v for k, v in data.items()}, str(config), "")
    paths = tuple(str(Path(p).expanduser()) if Path(p).expanduser().is_absolute()
                  else str((config.parent / p).resolve()) for p in settings.corpus.paths)
    return dataclasses.replace(settings, corpus=dataclasses.replace(settings.corpus, paths=paths), source=str(config))


def check_corpus_paths(settings: Settings) -> None:
    """ConfigError naming the key and the file when a configured corpus path does not exist."""
    for i, path in enumerate(settings.corpus.paths):
        if not Path(path).exists():
            raise ConfigError(f"{settings.source}: corpus.paths[{i}]: no such file or folder: {path}")


# Values the engine and the bot can work with; anything else is a ConfigError, not a traceback later.
_RANGES: dict[str, tuple[float, float | None]] = {
    "bm25.k1": (0, None), "bm25.b": (0, 1), "bm25.epsilon": (0, None),
    "answers.max_speakers": (1, None), "answers.passages_per_speaker": (0, None), "answers.max_passages": (1, None),
    "answers.excerpt_sentences": (1, None), "answers.excerpt_chars": (1, None),
    "answers.max_question_chars": (1, None), "answers.speaker_damping": (0, 1), "answers.candidates": (1, None),
    "answers.min_relative_score": (0, 1), "answers.title_weight": (0, None), "answers.role_boost": (0, None),
    "expansion.thesaurus_weight": (0, None), "expansion.domain_weight": (0, None), "expansion.max_per_word": (0, None),
    "telegram.rate_limit_per_minute": (0, None), "telegram.passages_per_page": (0, None),
    "telegram.concurrent_updates": (1, None), "telegram.send_retries": (0, None),
}
_CHOICES = {"segmentation.backend": ("rjieba", "jieba")}


def _check_value(key: str, value: Any, file: str) -> None:
    if isinstance(value, float) and not math.isfinite(value):
        raise ConfigError(f"{file}: {key} must be a finite number, got {value!r}")
    if key in _RANGES:
        low, high = _RANGES[key]
        if value < low or (high is not None and value > high):
            allowed = f"between {low} and {high}" if high is not None else f"at least {low}"
            raise ConfigError(f"{file}: {key} must be {allowed}, got {value!r}")
    if key in _CHOICES and value not in _CHOICES[key]:
        raise ConfigError(f"{file}: {key} must be one of {', '.join(_CHOICES[key])}, got {value!r}")


def _build(cls: type, data: Any, file: str, prefix: str) -> Any:
    if not isinstance(data, dict):
        raise ConfigError(f"{file}: {prefix.rstrip('.') or 'top level'} must be a mapping, got {data!r}")
    hints = typing.get_type_hints(cls)
    allowed = [f.name for f in dataclasses.fields(cls) if f.name != "source"]
    values = {}
    for key, value in data.items():
        if key not in allowed:
            raise ConfigError(f"{file}: unknown key '{prefix}{key}' (allowed: {', '.join(allowed)})")
        values[key] = _convert(hints[key], value, file, f"{prefix}{key}")
        _check_value(f"{prefix}{key}", values[key], file)
    return cls(**values)


def _convert(hint: Any, value: Any, file: str, key: str) -> Any:
    if dataclasses.is_dataclass(hint):
        return _build(hint, value if value is not None else {}, file, key + ".")
    origin = typing.get_origin(hint)
    if origin is dict:
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise ConfigError(f"{file}: {key} must be a mapping, got {value!r}")
        return {str(k): _convert(str, v, file, f"{key}.{k}") for k, v in value.items()}
    if origin is tuple:
        inner = typing.get_args(hint)[0]
        if value is None:
            return ()
        if not isinstance(value, list):
            raise ConfigError(f"{file}: {key} must be a list, got {value!r}")
        return tuple(_convert(inner, v, file, f"{key}[{i}]") for i, v in enumerate(value))
    if origin in (typing.Union, types.UnionType):
        hint = next(a for a in typing.get_args(hint) if a is not type(None))
    if hint is bool and isinstance(value, bool):
        return value
    if hint is int and isinstance(value, int) and not isinstance(value, bool):
        return value
    if hint is float and isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if hint is str and isinstance(value, str):
        return value
    if hint is str and value is None:
        return ""
    names = {bool: "true or false", int: "an integer", float: "a number", str: "a string"}
    raise ConfigError(f"{file}: {key} must be {names.get(hint, hint)}, got {value!r}")


def engine_options(settings: Settings) -> "EngineOptions":
    from retrieval import BM25Params, EngineOptions
    from retrieval.expand import ExpansionOptions

    ex = settings.expansion
    expansion = ExpansionOptions(
        thesaurus=ex.thesaurus, thesaurus_weight=ex.thesaurus_weight, domain_weight=ex.domain_weight,
        max_per_word=ex.max_per_word, domain=tuple(tuple(g.split()) for g in ex.synonyms), glossary=ex.glossary,
    )
    return EngineOptions(bm25=BM25Params(**dataclasses.asdict(settings.bm25)), expansion=expansion,
                         **dataclasses.asdict(settings.answers))


def build_engine(
    settings: Settings,
    corpus_override: typing.Sequence[str] | None = None,
    on_problem: typing.Callable[["Problem"], None] | None = None,
) -> "Engine":
    """The engine over the corpus the settings (or --corpus) name: from the index cache when it is current.

    Otherwise the corpus is parsed and indexed (both cores for a large one) and the result cached;
    see bot/indexing.py.
    """
    from .indexing import open_engine

    return open_engine(settings, corpus_override, on_problem).engine


def make_segmenter(settings: Settings) -> "Segmenter":
    from retrieval import Segmenter

    seg = settings.segmentation
    return Segmenter(seg.backend, hmm=seg.hmm, subwords=seg.subwords, words=seg.extra_words,
                     stopwords=STOPWORDS | set(seg.extra_stopwords), cache_dir=str(settings.cache_dir))
