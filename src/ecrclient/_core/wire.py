"""Scalar conversions between Python values and their JSON wire forms.

Generated ``_to_wire`` / ``_from_wire`` methods call these for the types JSON has no native form
for. Timestamps travel as epoch seconds and blobs as base64 text.
"""

from __future__ import annotations

import base64
import time
from datetime import datetime, timezone
from typing import Any


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


def timestamp_in(value: Any) -> datetime:
    """A timezone-aware datetime from epoch seconds (int, float or numeric text), in UTC, or
    from ISO 8601 text (with its own offset), as botocore reads timestamps."""
    kind = value.__class__  # cheaper than type(value)
    if kind is float or kind is int:  # the common case, first and cheap
        return _from_epoch(value, _UTC)
    if isinstance(value, str):
        try:
            return _from_epoch(float(value), _UTC)
        except ValueError:
            from botocore import utils

            untyped_utils: Any = utils  # botocore ships no types
            parsed: datetime = untyped_utils.parse_timestamp(value)
            return parsed
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"expected epoch seconds, got {type(value).__name__}")
    return _from_epoch(value, _UTC)


def blob_out(value: bytes) -> str:
    return base64.b64encode(value).decode("ascii")


def blob_in(value: Any) -> bytes:
    if not isinstance(value, str):
        raise TypeError(f"expected base64 text, got {type(value).__name__}")
    return base64.b64decode(value, validate=True)


_local_zone: tuple[Any, Any, int, int] = (None, None, 0, 0)
_combine = datetime.combine
_localtime = time.localtime


def _new_local_zone() -> tuple[Any, Any, int, int]:
    """``time.tzname``, dateutil's ``tzlocal()`` and the two offsets (seconds east of UTC) it
    knows, standard and daylight; made again when ``time.tzset()`` has changed the zone (it
    replaces ``time.tzname``)."""
    global _local_zone
    from dateutil.tz import tzlocal  # type: ignore[import-untyped]

    standard = -time.timezone
    daylight = -time.altzone if time.daylight else standard
    _local_zone = (time.tzname, tzlocal(), standard, daylight)
    return _local_zone


def timestamp_local(value: datetime) -> datetime:
    """The same instant in the machine's local time zone, as botocore's parser returns it:
    ``datetime.fromtimestamp(epoch, tzlocal())``, equal in wall time, ``fold`` and offset.

    ``tzlocal`` converts ten times slower than the C library, so the wall time (and ``fold``)
    comes from ``fromtimestamp`` whenever the C library's offset for the instant is the one
    ``tzlocal`` will report (its zone's standard or daylight offset today). When the zone's
    offsets have changed since that instant, ``tzlocal`` itself converts: its wall time then
    differs from the C library's, and it is the one its offset agrees with.
    """
    names, zone, standard, daylight = _local_zone
    if names is not time.tzname:
        names, zone, standard, daylight = _new_local_zone()
    epoch = value.timestamp()
    facts = _localtime(epoch)
    if facts.tm_gmtoff != (daylight if facts.tm_isdst > 0 else standard):
        return _from_epoch(epoch, zone)
    local = _from_epoch(epoch)
    return _combine(local.date(), local.time(), zone)


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
