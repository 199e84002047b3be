"""Settings as dataclasses: each field carries its own range and help, and a mapping (a YAML file's
sections) is checked against them field by field. The option dataclasses are the one schema."""
from __future__ import annotations

import dataclasses
import math
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any

from .errors import ConfigError

_KEY = "qabot"   # the field-metadata key under which a setting's rules live


@dataclasses.dataclass(frozen=True)
class Rule:
    """What a setting accepts, and what it means."""

    help: str = ""
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] = ()
    merge: bool = False       # a file's list or mapping is added to the default instead of replacing it


def setting(default: Any = dataclasses.MISSING, *, help: str = "", low: float | None = None,
            high: float | None = None, choices: tuple[str, ...] = (), merge: bool = False,
            default_factory: Callable[[], Any] | Any = dataclasses.MISSING) -> Any:
    """A dataclass field with its rule attached (see `Rule`)."""
    rule = Rule(help, low, high, choices, merge)
    if default_factory is not dataclasses.MISSING:
        return dataclasses.field(default_factory=default_factory, metadata={_KEY: rule})
    return dataclasses.field(default=default, metadata={_KEY: rule})


def rule(field: dataclasses.Field) -> Rule:
    return field.metadata.get(_KEY, Rule())


def from_mapping(cls: type, data: Any, source: str, prefix: str = "", base: Any = None) -> Any:
    """An instance of the dataclass `cls` from a mapping: unknown keys, wrong types and values out of
    range are one-line ConfigErrors naming the file, the key and what is allowed.

    Keys the mapping leaves out keep their value in `base` (the defaults when None).
    """
    if not isinstance(data, Mapping):
        raise ConfigError(f"{source}: {prefix.rstrip('.') or 'top level'} must be a mapping, got {data!r}")
    base = base if base is not None else cls()
    fields = {f.name: f for f in dataclasses.fields(cls) if f.init}
    hints = typing.get_type_hints(cls)
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key not in fields:
            raise ConfigError(f"{source}: unknown key '{prefix}{key}' (allowed: {', '.join(fields)})")
        field, name = fields[key], f"{prefix}{key}"
        current = getattr(base, key)
        if dataclasses.is_dataclass(hints[key]):
            values[key] = from_mapping(hints[key], value if value is not None else {}, source, name + ".", current)
            continue
        converted = _convert(hints[key], value, source, name)
        check(rule(field), converted, source, name)
        values[key] = _merged(current, converted) if rule(field).merge else converted
    return dataclasses.replace(base, **values)


def check(r: Rule, value: Any, source: str, key: str) -> None:
    """ConfigError when the value breaks the rule."""
    if isinstance(value, float) and not math.isfinite(value):
        raise ConfigError(f"{source}: {key} must be a finite number, got {value!r}")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if (r.low is not None and value < r.low) or (r.high is not None and value > r.high):
            allowed = f"between {_num(r.low)} and {_num(r.high)}" if r.low is not None and r.high is not None \
                else f"at least {_num(r.low)}" if r.low is not None else f"at most {_num(r.high)}"
            raise ConfigError(f"{source}: {key} must be {allowed}, got {value!r}")
    if r.choices and value not in r.choices:
        raise ConfigError(f"{source}: {key} must be one of {', '.join(r.choices)}, got {value!r}")


def describe(cls: type, prefix: str = "") -> list[tuple[str, Any, str]]:
    """(key, default, help) for every setting of `cls`, nested sections flattened."""
    rows: list[tuple[str, Any, str]] = []
    instance = cls()
    hints = typing.get_type_hints(cls)
    for field in dataclasses.fields(cls):
        if not field.init:
            continue
        if dataclasses.is_dataclass(hints[field.name]):
            rows.extend(describe(hints[field.name], f"{prefix}{field.name}."))
        else:
            rows.append((f"{prefix}{field.name}", getattr(instance, field.name), rule(field).help))
    return rows


def _merged(current: Any, new: Any) -> Any:
    if isinstance(current, Mapping):
        return types.MappingProxyType({**current, **new})
    return tuple(dict.fromkeys((*current, *new)))


def _num(x: float | None) -> str:
    return f"{x:g}" if isinstance(x, float) else str(x)


def _convert(hint: Any, value: Any, source: str, key: str) -> Any:
    origin = typing.get_origin(hint)
    if origin in (dict, Mapping) or hint is Mapping:
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            raise ConfigError(f"{source}: {key} must be a mapping, got {value!r}")
        return {str(k): _convert(str, v, source, f"{key}.{k}") for k, v in value.items()}
    if origin is tuple:
        inner = typing.get_args(hint)[0]
        if value is None:
            return ()
        if not isinstance(value, list):
            raise ConfigError(f"{source}: {key} must be a list, got {value!r}")
        return tuple(_convert(inner, v, source, f"{key}[{i}]") for i, v in enumerate(value))
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
    raise ConfigError(f"{source}: {key} must be {names.get(hint, hint)}, got {value!r}")
