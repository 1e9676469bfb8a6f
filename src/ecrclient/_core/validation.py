"""Checks that generated ``_validate`` methods call; each appends readable problems to a list.

Nothing here raises: the caller collects every problem of a request and raises one
:class:`~ecrclient._core.errors.RequestValidationError` listing them all, before any I/O.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence, Sized
from datetime import datetime
from typing import Any, Protocol, cast

import attrs

from ecrclient._core.errors import RequestValidationError


class Validatable(Protocol):
    """A generated model class; ``_validate`` is kept off its public surface on purpose."""

    def _validate(self, path: str, problems: list[str]) -> None: ...


@functools.cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _type_name(value: object) -> str:
    return type(value).__name__


def string(
    problems: list[str],
    path: str,
    value: Any,
    *,
    min_len: int | None = None,
    max_len: int | None = None,
    pattern: str | None = None,
) -> None:
    if not isinstance(value, str):
        problems.append(f"{path}: expected str, got {_type_name(value)}")
        return
    _length(problems, path, len(value), min_len, max_len, "characters")
    # Model patterns are unanchored regular expressions, as in the Smithy spec: search, not match.
    if pattern is not None and _compiled(pattern).search(value) is None:
        problems.append(f"{path}: {value!r} does not match the pattern {pattern!r}")


def integer(
    problems: list[str],
    path: str,
    value: Any,
    *,
    min_value: int | None = None,
    max_value: int | None = None,
) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        problems.append(f"{path}: expected int, got {_type_name(value)}")
        return
    _range(problems, path, value, min_value, max_value)


def double(
    problems: list[str],
    path: str,
    value: Any,
    *,
    min_value: float | None = None,
    max_value: float | None = None,
) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        problems.append(f"{path}: expected float, got {_type_name(value)}")
        return
    _range(problems, path, value, min_value, max_value)


def boolean(problems: list[str], path: str, value: Any) -> None:
    if not isinstance(value, bool):
        problems.append(f"{path}: expected bool, got {_type_name(value)}")


def timestamp(problems: list[str], path: str, value: Any) -> None:
    if not isinstance(value, datetime):
        problems.append(f"{path}: expected datetime, got {_type_name(value)}")


def blob(problems: list[str], path: str, value: Any) -> None:
    if not isinstance(value, (bytes, bytearray)):
        problems.append(f"{path}: expected bytes, got {_type_name(value)}")


def structure(problems: list[str], path: str, value: Any, expected: type) -> None:
    if not isinstance(value, expected):
        problems.append(f"{path}: expected {expected.__name__}, got {_type_name(value)}")
        return
    cast(Validatable, value)._validate(path, problems)  # pyright: ignore[reportPrivateUsage]


def sequence(
    problems: list[str],
    path: str,
    value: Any,
    *,
    min_len: int | None = None,
    max_len: int | None = None,
) -> bool:
    """Check the container; the caller checks the members when this returns True."""
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
        problems.append(f"{path}: expected a list, got {_type_name(value)}")
        return False
    _length(problems, path, len(cast("Sized", value)), min_len, max_len, "items")
    return True


def mapping(
    problems: list[str],
    path: str,
    value: Any,
    *,
    min_len: int | None = None,
    max_len: int | None = None,
) -> bool:
    """Check the container; the caller checks keys and values when this returns True."""
    if not isinstance(value, Mapping):
        problems.append(f"{path}: expected a dict, got {_type_name(value)}")
        return False
    _length(problems, path, len(cast("Sized", value)), min_len, max_len, "entries")
    return True


def _length(
    problems: list[str], path: str, length: int, low: int | None, high: int | None, unit: str
) -> None:
    if low is not None and length < low:
        problems.append(f"{path}: length {length} is below the minimum of {low} {unit}")
    if high is not None and length > high:
        problems.append(f"{path}: length {length} is above the maximum of {high} {unit}")


def _range(
    problems: list[str], path: str, value: float, low: float | None, high: float | None
) -> None:
    if low is not None and value < low:
        problems.append(f"{path}: {value} is below the minimum of {low}")
    if high is not None and value > high:
        problems.append(f"{path}: {value} is above the maximum of {high}")


@functools.cache
def _init_fields(cls: type) -> tuple[frozenset[str], tuple[str, ...]]:
    names: list[str] = []
    required: list[str] = []
    for field in attrs.fields(cls):
        if not field.init:
            continue
        names.append(field.name)
        if field.default is attrs.NOTHING:
            required.append(field.name)
    return frozenset(names), tuple(required)


def build_request(cls: type, kwargs: Mapping[str, Any]) -> Any:
    """Construct ``cls(**kwargs)``, reporting unknown and missing members together."""
    known, required = _init_fields(cls)
    problems = [
        f"{name}: unknown parameter; valid parameters are {', '.join(sorted(known)) or 'none'}"
        for name in kwargs
        if name not in known
    ]
    problems += [f"{name}: missing required parameter" for name in required if name not in kwargs]
    if problems:
        raise RequestValidationError(problems)
    return cls(**kwargs)


def validate(request: Validatable) -> None:
    """Raise one error listing every problem of ``request``, or return quietly."""
    problems: list[str] = []
    request._validate(type(request).__name__, problems)  # pyright: ignore[reportPrivateUsage]
    if problems:
        raise RequestValidationError(problems)
