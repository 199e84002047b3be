"""Settings: a YAML file (and the environment) read into the engine's own option dataclasses.

The schema is the dataclasses themselves (`retrieval.options`): each field carries its default, its
range and its help. Every key is optional; a file changes only what it names.
"""
from __future__ import annotations

import dataclasses
import json
import os
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from retrieval import ConfigError, EngineOptions, SegmentOptions, from_mapping, setting

CONFIG_ENV = "QABOT_CONFIG"
# Sections of a settings file that belong to the engine's options (EngineOptions): its own scalar
# fields under `answers:`, its nested option classes under their own names.
ENGINE_SECTIONS = ("bm25", "answers", "expansion", "semantic")
_NESTED = tuple(s for s in ENGINE_SECTIONS if s != "answers")


@dataclass(frozen=True)
class CorpusSettings:
    paths: tuple[str, ...] = setting((), help="files or folders, searched recursively; empty = the embedded article")
    strict: bool = setting(False, help="a corpus file that cannot be used is an error (exit 1), not a warning")


@dataclass(frozen=True)
class CacheSettings:
    enabled: bool = setting(True, help="keep the built index on disk and reuse it while nothing changed")
    dir: str = setting("", help='where the index cache lives; "" = $XDG_CACHE_HOME/qabot or ~/.cache/qabot')
    resident_mb: int = setting(384, low=0, help="MB of the mapped cache kept in memory between answers; "
                                                "past it they are released to the page cache (0 = no limit)")


@dataclass(frozen=True)
class TelegramSettings:
    base_url: str = setting("", help='Bot API base URL; "" = Telegram\'s; env TELEGRAM_BASE_URL wins')
    allowed_user_ids: tuple[int, ...] = setting((), help="who may use the bot; empty = everyone")
    allowed_chat_ids: tuple[int, ...] = setting((), help="chats the bot answers in; empty = every chat")
    rate_limit_per_minute: int = setting(20, low=0, help="questions per user per minute")
    passages_per_page: int = setting(3, low=0, help="passages on one page of a long answer")
    concurrent_updates: int = setting(8, low=1, help="updates handled at once")
    send_retries: int = setting(3, low=0, help="retries of a failed send (network errors, 5xx, 429)")


@dataclass(frozen=True)
class Settings:
    corpus: CorpusSettings = field(default_factory=CorpusSettings)
    cache: CacheSettings = field(default_factory=CacheSettings)
    segmentation: SegmentOptions = field(default_factory=SegmentOptions)
    engine: EngineOptions = field(default_factory=EngineOptions)   # the file's bm25/answers/expansion
    telegram: TelegramSettings = field(default_factory=TelegramSettings)
    source: str = ""                  # the file these came from, for messages

    @property
    def cache_dir(self) -> Path:
        return Path(self.cache.dir).expanduser() if self.cache.dir else default_cache_dir()


def default_cache_dir() -> Path:
    """$XDG_CACHE_HOME/qabot, else ~/.cache/qabot."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "qabot"


def default_config_path() -> Path | None:
    """$QABOT_CONFIG, else ./config.yaml, else none (the built-in defaults)."""
    env = os.environ.get(CONFIG_ENV)
    if env:
        return Path(env)
    local = Path("config.yaml")
    return local if local.is_file() else None


def read_yaml(path: str | Path, what: str) -> Any:
    """A YAML file's data; unreadable, non-UTF-8 or invalid files are one-line ConfigErrors."""
    return _parse_yaml(_read_text(path, what), path)


def _read_text(path: str | Path, what: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the {what} ({exc.strerror or exc})") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text (byte {exc.start})") from None


def _read_settings_file(path: Path) -> Any:
    """A settings file's data, from the memo of its text when an earlier start left one."""
    text = _read_text(path, "config file")
    memo = _memo_path(text)
    data = _recalled(memo, text)
    if data is _UNREAD:
        data = _parse_yaml(text, path)
        cache = data.get("cache") if isinstance(data, dict) else None
        if not (isinstance(cache, dict) and cache.get("enabled") is False):   # no files where caching is off
            _remember(memo, text, data)
    return data


def _parse_yaml(text: str, path: str | Path) -> Any:
    import yaml   # here: a start without a settings file, or with one read before, need not load it

    try:
        # libyaml's parser when PyYAML has it: the same data as safe_load's, ~0.6 ms for config.yaml
        # where the pure-Python one takes ~6 ms of every start
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        return yaml.load(text, Loader=loader)  # noqa: S506 (a safe loader)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML ({str(exc).splitlines()[0]})") from None


# A settings file's data is kept as JSON beside the index caches, keyed by its text: PyYAML's import
# and reader cost ~12 ms of every start, JSON's ~1 ms, and the text itself is compared, so an edit is
# never served stale. A memo that cannot be read or written only costs the next start the parse.
_UNREAD = object()


def _memo_path(text: str) -> Path:
    return default_cache_dir() / "settings" / f"{zlib.crc32(text.encode('utf-8')):08x}-{len(text)}.json"


def _recalled(memo: Path, text: str) -> Any:
    """The data remembered for exactly this text, or _UNREAD."""
    try:
        stored = json.loads(memo.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return _UNREAD
    if not isinstance(stored, dict) or stored.get("text") != text or "data" not in stored:
        return _UNREAD
    return stored["data"]


def _remember(memo: Path, text: str, data: Any) -> None:
    """Keep the data for the next start, when JSON gives it back unchanged (no dates, no integer keys)."""
    try:
        encoded = json.dumps({"text": text, "data": data}, ensure_ascii=False)
        if json.loads(encoded)["data"] != data:
            return
        memo.parent.mkdir(parents=True, exist_ok=True)
        temp = memo.with_name(f".{memo.name}.{os.getpid()}")
        temp.write_text(encoded, encoding="utf-8")
        os.replace(temp, memo)
    except (OSError, TypeError, ValueError):
        pass


def load_settings(path: str | Path | None = None) -> Settings:
    """Read and check a config file; no file means the built-in defaults."""
    config = Path(path) if path is not None else default_config_path()
    if config is None:
        return Settings()
    data = _read_settings_file(config) or {}
    settings = settings_from(data, str(config))
    paths = tuple(str(Path(p).expanduser()) if Path(p).expanduser().is_absolute()
                  else str((config.parent / p).resolve()) for p in settings.corpus.paths)
    return dataclasses.replace(settings, corpus=dataclasses.replace(settings.corpus, paths=paths), source=str(config))


def settings_from(data: Any, source: str) -> Settings:
    """Settings from a file's top-level mapping, checked key by key against the option dataclasses."""
    if not isinstance(data, dict):
        raise ConfigError(f"{source}: expected a mapping of settings at the top level")
    sections = ("corpus", "cache", "segmentation", *ENGINE_SECTIONS, "telegram")
    unknown = [k for k in data if k not in sections]
    if unknown:
        raise ConfigError(f"{source}: unknown key '{unknown[0]}' (allowed: {', '.join(sections)})")
    own = {k: v for k, v in data.items() if k not in ENGINE_SECTIONS}
    settings = from_mapping(Settings, own, source) if own else Settings()
    return dataclasses.replace(settings, engine=_engine_options(data, source))


def _engine_options(data: dict, source: str) -> EngineOptions:
    options = EngineOptions()
    answers = data.get("answers") or {}
    if isinstance(answers, dict):
        nested = [k for k in answers if k in _NESTED]
        if nested:
            raise ConfigError(f"{source}: unknown key 'answers.{nested[0]}' ({nested[0]} is a section of its own)")
    options = from_mapping(EngineOptions, answers, source, "answers.", options)
    for section in _NESTED:
        if data.get(section) is not None:
            value = from_mapping(type(getattr(options, section)), data[section], source, f"{section}.",
                                 getattr(options, section))
            options = dataclasses.replace(options, **{section: value})
    return options


def check_corpus_paths(settings: Settings) -> None:
    """ConfigError naming the key and the file when a configured corpus path does not exist."""
    for i, path in enumerate(settings.corpus.paths):
        if not Path(path).exists():
            raise ConfigError(f"{settings.source}: corpus.paths[{i}]: no such file or folder: {path}")
