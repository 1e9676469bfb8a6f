"""A run-time check that a typed result holds what its annotations promise.

:func:`type_problems` walks an ``attrs`` instance field by field against the class's resolved
annotations (``str``, ``int``, ``float``, ``bool``, ``datetime``, ``bytes``, ``X | None``,
``Sequence[X]``, ``Mapping[K, V]``, nested ``attrs`` classes) and lists every value whose type
the annotation does not allow. ``bool`` is not accepted for ``int``, nor ``str`` for
``Sequence[str]``; ``int`` is accepted for ``float`` (the numeric tower). A required member
(a field without a default) may be ``None``: an answer that leaves it out is read leniently, as
botocore reads it (see ``absent_ok`` in ``ecrclient._core.wire``).
"""

from __future__ import annotations

import functools
import types
import typing
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import attrs


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def type_problems(value: Any, annotation: Any = None, path: str = "result") -> list[str]:
    """Every place in ``value`` (an ``attrs`` instance unless ``annotation`` is given) whose
    type its annotation does not allow, as ``path: expected ..., got ...`` lines."""
    if annotation is None:
        annotation = type(value)
    origin = typing.get_origin(annotation)
    if annotation is Any:
        return []
    if origin in (typing.Union, types.UnionType):
        options = typing.get_args(annotation)
        if value is None and type(None) in options:
            return []
        found = [
            type_problems(value, option, path) for option in options if option is not type(None)
        ]
        return [] if any(not problems for problems in found) else min(found, key=len)
    if origin is not None and issubclass(origin, Mapping):
        if not isinstance(value, Mapping):
            return [f"{path}: expected a mapping, got {type(value).__name__}"]
        key_type, value_type = typing.get_args(annotation)
        problems: list[str] = []
        for key, item in value.items():
            problems += type_problems(key, key_type, f"{path} key {key!r}")
            problems += type_problems(item, value_type, f"{path}[{key!r}]")
        return problems
    if origin is not None and issubclass(origin, Sequence):
        if not isinstance(value, Sequence) or isinstance(value, (str, bytes)):
            return [f"{path}: expected a sequence, got {type(value).__name__}"]
        (item_type,) = typing.get_args(annotation)
        problems = []
        for index, item in enumerate(value):
            problems += type_problems(item, item_type, f"{path}[{index}]")
        return problems
    if isinstance(annotation, type) and attrs.has(annotation):
        if not isinstance(value, annotation):
            return [f"{path}: expected {annotation.__name__}, got {type(value).__name__}"]
        problems = []
        for field in attrs.fields(annotation):
            if field.default is attrs.NOTHING and getattr(value, field.name) is None:
                continue
            problems += type_problems(
                getattr(value, field.name), _hints(annotation)[field.name], f"{path}.{field.name}"
            )
        return problems
    return _scalar_problems(value, annotation, path)


def _scalar_problems(value: Any, annotation: Any, path: str) -> list[str]:
    if annotation is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif annotation is float:
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    elif annotation in (str, bool, bytes, datetime) or isinstance(annotation, type):
        ok = isinstance(value, annotation)
    else:
        raise TypeError(f"{path}: no check for the annotation {annotation!r}")
    return [] if ok else [f"{path}: expected {annotation}, got {type(value).__name__}"]


def fault_problems(exc: Any) -> list[str]:
    """Every modeled member attribute of fault ``exc`` whose type its annotation does not
    allow."""
    hints = typing.get_type_hints(type(exc))
    problems: list[str] = []
    for name in exc.wire_members:
        problems += type_problems(getattr(exc, name), hints[name], f"{type(exc).__name__}.{name}")
    if not isinstance(exc.error_message, str):
        problems.append(f"error_message: expected str, got {type(exc.error_message).__name__}")
    return problems
