"""Scalar conversions between Python values and their JSON wire forms, and the checks that
keep an answer's values to the types its result class annotates.

Generated ``_to_wire`` / ``_from_wire`` methods call these for the types JSON has no native form
for. Timestamps travel as epoch seconds and blobs as base64 text.

Reading an answer trusts nothing: ``_from_wire`` compares each member's class with the model's
(inline for scalars, through :func:`strings`, :func:`structures` and :func:`scalar_map` for
lists and maps) and any mismatch raises :class:`WireShapeError`. The error starts with the
member's name and grows its path on the way out: each ``_from_wire`` it passes through calls
:meth:`WireShapeError.within` and each list :meth:`WireShapeError.within_list`, so checking costs
one class comparison per value and naming the path costs nothing until something is wrong.
The protocol layer turns the error into ``MalformedResponseError``.
"""

from __future__ import annotations

import base64
import binascii
import time
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from typing import Any, NoReturn, Protocol


class WireShape(Protocol):
    """What every generated request, result and structure offers the layers that send and read
    it: its wire form (``_to_wire``), and, on the class, a reader of that form (``_from_wire``).
    The names are underscored to stay out of users' way (and out of the members' names); they
    are this protocol's, so any layer may call them."""

    def _to_wire(self) -> dict[str, Any]: ...


TIMESTAMP_TEXT_LIMIT = 64
"""Longer text is no timestamp; it is refused before a date parser spends time on it."""


class WireShapeError(ValueError):
    """A value in an answer does not have the type the model gives its member.

    ``path`` names the member from the object being read (``imageDetails[3].imageTags``);
    ``holder`` is the object ``path`` starts from when that is a nested object not yet named
    by its parent, else ``None``.
    """

    def __init__(self, path: str, problem: str, holder: object = None) -> None:
        super().__init__(path, problem)
        self.path = path
        self.problem = problem
        self.holder = holder

    def __str__(self) -> str:
        return f"{self.path}: {self.problem}" if self.path else self.problem

    def within(self, d: Mapping[str, Any], nested: tuple[str, ...]) -> None:
        """Called by the ``_from_wire`` reading ``d`` as the error passes: when it comes from
        one of ``d``'s ``nested`` objects, the path gets that member's name in front; then the
        path starts at ``d``."""
        holder = self.holder
        if holder is not None:
            for name in nested:
                if d.get(name) is holder:
                    self.path = _join(name, self.path)
                    break
        self.holder = d

    def within_list(self, name: str, items: list[Any]) -> None:
        """Called by a list's reader as the error leaves item ``holder`` of ``items`` (member
        ``name``): the path gets ``name[index]`` in front."""
        holder = self.holder
        index = next((n for n, item in enumerate(items) if item is holder), None)
        where = name if index is None else f"{name}[{index}]"
        self.path = _join(where, self.path)
        self.holder = None


def _join(head: str, tail: str) -> str:
    if not tail:
        return head
    return f"{head}{tail}" if tail.startswith("[") else f"{head}.{tail}"


_EXPECTED = {str: "a string", int: "an integer", bool: "a boolean", float: "a number"}


def _kind_of(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def wrong(d: Mapping[str, Any], name: str, expected: str) -> NoReturn:
    """Raises the error for member ``name`` of ``d``, which is not ``expected``."""
    raise WireShapeError(name, f"expected {expected}, got {_kind_of(d.get(name))}")


def _not_an_object(item: object) -> NoReturn:
    raise WireShapeError("", f"expected an object, got {_kind_of(item)}", holder=item)


def structures(value: Any, name: str, convert: Callable[[Any], Any]) -> list[Any]:
    """A list of objects read by ``convert`` (a class's ``_from_wire``)."""
    if value.__class__ is not list:
        raise WireShapeError(name, f"expected a list, got {_kind_of(value)}")
    try:
        return [convert(i) if i.__class__ is dict else _not_an_object(i) for i in value]
    except WireShapeError as exc:
        exc.within_list(name, value)
        raise


def strings(value: Any, name: str) -> list[str]:
    """A copy of a list of strings."""
    if value.__class__ is list:
        try:
            "".join(value)  # the cheapest check of every item: it fails on any non-string
        except TypeError:
            for index, item in enumerate(value):
                if item.__class__ is not str:
                    raise WireShapeError(
                        f"{name}[{index}]", f"expected a string, got {_kind_of(item)}"
                    ) from None
        return value[:]
    raise WireShapeError(name, f"expected a list, got {_kind_of(value)}")


def scalar_map(value: Any, name: str, kind: type) -> dict[str, Any]:
    """A copy of an object whose values are all of class ``kind`` (JSON keys are text)."""
    if value.__class__ is not dict:
        raise WireShapeError(name, f"expected an object, got {_kind_of(value)}")
    for item in value.values():
        if item.__class__ is not kind:
            break
    else:
        return value.copy()
    key, item = next((k, i) for k, i in value.items() if i.__class__ is not kind)
    shown = key if len(key) <= 40 else key[:40] + "..."
    expected = _EXPECTED.get(kind, kind.__name__)
    raise WireShapeError(f"{name}[{shown!r}]", f"expected {expected}, got {_kind_of(item)}")


def timestamp_out(value: datetime) -> int | float:
    """Epoch seconds for a datetime; a naive datetime is taken as UTC.

    Whole seconds stay an ``int`` (what botocore sends); sub-second precision is kept as a
    fraction rather than dropped.
    """
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.timestamp() if value.microsecond else int(value.timestamp())


def absent_ok(value: Any) -> Any:
    """Marks a required member read leniently from an answer (typed ``Any`` on purpose)."""
    return value


_UTC = timezone.utc
_from_epoch = datetime.fromtimestamp


def timestamp_in(value: Any, name: str = "") -> datetime:
    """A timezone-aware datetime from epoch seconds (int, float or numeric text), in UTC, or
    from ISO 8601 text (with its own offset), as botocore reads timestamps.

    Raises :class:`WireShapeError` (for member ``name``) for anything else, and for instants
    a datetime cannot hold (before year 1, after 9999, infinite, not a number).
    """
    kind = value.__class__  # cheaper than type(value)
    try:
        if kind is float or kind is int:  # the common case, first and cheap
            return _from_epoch(value, _UTC)
        if kind is str:
            return _timestamp_text(value, name)
    except (OverflowError, OSError, ValueError) as exc:
        raise WireShapeError(name, f"the timestamp {_shown(value)} is out of range") from exc
    raise WireShapeError(name, f"expected a timestamp, got {_kind_of(value)}")


def _timestamp_text(value: str, name: str) -> datetime:
    if len(value) > TIMESTAMP_TEXT_LIMIT:
        raise WireShapeError(name, "the timestamp text is too long to be one")
    try:
        return _from_epoch(float(value), _UTC)
    except ValueError:
        if value.strip().lower().lstrip("+-") in ("nan", "inf", "infinity"):
            raise
    from botocore import utils

    untyped_utils: Any = utils  # botocore ships no types
    try:
        parsed: datetime = untyped_utils.parse_timestamp(value)
    except Exception as exc:  # a third-party date parser fed hostile text: any failure
        raise WireShapeError(name, f"the text {_shown(value)} is not a timestamp") from exc
    return parsed


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= TIMESTAMP_TEXT_LIMIT else text[:TIMESTAMP_TEXT_LIMIT] + "..."


def blob_out(value: bytes) -> str:
    return base64.b64encode(value).decode("ascii")


def blob_in(value: Any, name: str = "") -> bytes:
    if value.__class__ is not str:
        raise WireShapeError(name, f"expected base64 text, got {_kind_of(value)}")
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise WireShapeError(name, "the text is not base64") from exc


_local_zone: tuple[Any, Any, int, int, bool] = (None, None, 0, 0, False)
_combine = datetime.combine
_localtime = time.localtime


def _new_local_zone() -> tuple[Any, Any, int, int, bool]:
    """``time.tzname``, dateutil's ``tzlocal()``, its standard and daylight offsets (seconds
    east of UTC), and whether the zone is UTC at every instant; made again when
    ``time.tzset()`` has changed the zone (it replaces ``time.tzname``)."""
    global _local_zone
    from dateutil.tz import tzlocal  # type: ignore[import-untyped]

    standard = -time.timezone
    daylight = -time.altzone if time.daylight else standard
    # Only the tz database's UTC zones are called "UTC"; they have no history of other offsets.
    always_utc = time.tzname == ("UTC", "UTC") and standard == daylight == 0
    _local_zone = (time.tzname, tzlocal(), standard, daylight, always_utc)
    return _local_zone


def local_from_epoch(epoch: float) -> datetime:
    """``datetime.fromtimestamp(epoch, tzlocal())`` — how botocore's parser gives timestamps —
    equal in wall time, ``fold`` and offset; ``ValueError`` for an instant out of range.

    ``tzlocal`` converts ten times slower than the C library, so the wall time (and ``fold``)
    comes from ``fromtimestamp`` whenever the C library's offset for the instant is one
    ``tzlocal`` reports (its zone's standard or daylight offset today; always, in UTC).
    Otherwise ``tzlocal`` converts: its wall time then differs from the C library's, and it is
    the one its offset agrees with.
    """
    names, zone, standard, daylight, always_utc = _local_zone
    if names is not time.tzname:
        names, zone, standard, daylight, always_utc = _new_local_zone()
    try:
        if not always_utc:
            facts = _localtime(epoch)
            if facts.tm_gmtoff != (daylight if facts.tm_isdst > 0 else standard):
                return _from_epoch(epoch, zone)
        local = _from_epoch(epoch)
    except (OverflowError, OSError) as exc:
        raise ValueError(f"timestamp {epoch!r} is out of range") from exc
    return _combine(local.date(), local.time(), zone)


def timestamp_local(value: datetime) -> datetime:
    """The same instant in the machine's local time zone, as botocore's parser returns it
    (:func:`local_from_epoch`)."""
    try:
        return local_from_epoch(value.timestamp())
    except (OverflowError, ValueError):
        # At the ends of what a datetime holds the local wall time may not exist (year 10000):
        # the instant is kept in its own zone instead.
        return value


def timestamp_param(value: Any) -> datetime:
    """A timestamp parameter as botocore accepts one: a datetime (naive is UTC), epoch seconds,
    or ISO 8601 text."""
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)
    from botocore import utils

    untyped_utils: Any = utils  # botocore ships no types
    parsed: datetime = untyped_utils.parse_to_aware_datetime(value)
    return parsed


def blob_param(value: Any) -> bytes:
    """A blob parameter as botocore accepts one: bytes, text (UTF-8 encoded) or a readable file."""
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    if isinstance(value, str):
        return value.encode("utf-8")
    if hasattr(value, "read"):
        data = value.read()
        return data.encode("utf-8") if isinstance(data, str) else bytes(data)
    raise TypeError(f"expected bytes, str or a readable file, got {type(value).__name__}")
