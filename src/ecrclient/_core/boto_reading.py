"""Reading an answer's JSON straight into boto3's dict, as botocore's ``json`` parser reads it.

The drop-in (``ecrclient.compat``) answers with boto3's dicts. Rather than build the typed
result and convert it, its calls read the wire JSON directly with the functions generated in
``_generated/boto_answers/`` (one per output structure); this module holds what they share:

- :class:`BotoAnswer`, the result class the generated per-operation answers derive from: the
  pipeline makes it with ``_from_wire(data, metadata)`` as it makes a typed result, and the
  drop-in takes boto3's dict from ``_to_boto()``;
- the scalar conversions botocore applies: :func:`timestamp` (epoch seconds or timestamp text
  to the aware ``datetime`` botocore gives: local time, ``dateutil``'s ``tzlocal()``) and
  :func:`blob` (base64 text to ``bytes``);
- :func:`unfit`, which raises the error for a value of the wrong JSON kind.

What botocore reads as it is, so is read here: strings, numbers and booleans pass through
unchecked, members the model lacks are dropped, ``null`` members are left out. Where botocore
would fail on a wrong-kinded value (an object where a list belongs, a number where an object
belongs) or quietly read nonsense from it (the characters of a string where a list belongs),
the generated functions raise ``TypeError`` instead, which the pipeline reports as
``MalformedResponseError``; so do timestamps that are neither numbers nor text and blobs that
are not base64.
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any, ClassVar, NoReturn

from ecrclient._core.metadata import EMPTY_RESPONSE_METADATA, ResponseMetadata
from ecrclient._core.wire import blob_in


class BotoAnswer:
    """One answer as boto3's dict (without ``ResponseMetadata``), and its metadata."""

    __slots__ = ("response", "response_metadata")

    read: ClassVar[Any]
    """The generated function from the answer's JSON object to boto3's dict."""

    def __init__(self, response: dict[str, Any], response_metadata: ResponseMetadata) -> None:
        self.response = response
        self.response_metadata = response_metadata

    @classmethod
    def _from_wire(
        cls, d: Any, response_metadata: ResponseMetadata = EMPTY_RESPONSE_METADATA
    ) -> BotoAnswer:
        return cls(cls.read(d), response_metadata)

    def _to_boto(self) -> dict[str, Any]:
        return self.response

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.response!r})"


def unfit(shape: str, expected: str, value: Any) -> NoReturn:
    """Raise the error for ``value`` found where the model has ``shape``, a JSON ``expected``
    (a function, so that the generated readers can call it inside an expression)."""
    raise TypeError(f"{shape} must be a JSON {expected}, not {type(value).__name__}")


# -- timestamps ------------------------------------------------------------------------------

_from_epoch = datetime.fromtimestamp
_combine = datetime.combine
_localtime = time.localtime

_zone: tuple[Any, Any, int, int, bool] = (None, None, 0, 0, False)


def _new_zone() -> tuple[Any, Any, int, int, bool]:
    """``time.tzname``, ``tzlocal()``, its standard and daylight offsets (seconds east of UTC),
    and whether the zone is UTC at every instant; made again when ``time.tzset()`` has changed
    the zone (it replaces ``time.tzname``)."""
    global _zone
    from dateutil.tz import tzlocal  # type: ignore[import-untyped]

    standard = -time.timezone
    daylight = -time.altzone if time.daylight else standard
    # Only the tz database's UTC zones are called "UTC"; they have no history of other offsets.
    always_utc = time.tzname == ("UTC", "UTC") and standard == daylight == 0
    _zone = (time.tzname, tzlocal(), standard, daylight, always_utc)
    return _zone


def _local(epoch: float) -> datetime:
    """``datetime.fromtimestamp(epoch, tzlocal())``, equal in wall time, ``fold`` and offset.

    ``tzlocal`` converts ten times slower than the C library, so the wall time comes from
    ``fromtimestamp`` whenever the C library's offset for the instant is one ``tzlocal`` reports
    (its zone's standard or daylight offset today; always, in UTC). Otherwise ``tzlocal``
    converts: its wall time then differs from the C library's, and it is the one its offset
    agrees with.
    """
    names, zone, standard, daylight, always_utc = _zone
    if names is not time.tzname:
        names, zone, standard, daylight, always_utc = _new_zone()
    try:
        if not always_utc:
            facts = _localtime(epoch)
            if facts.tm_gmtoff != (daylight if facts.tm_isdst > 0 else standard):
                return _from_epoch(epoch, zone)
        local = _from_epoch(epoch)
    except (OverflowError, OSError) as exc:
        raise ValueError(f"timestamp {epoch!r} is out of range") from exc
    return _combine(local.date(), local.time(), zone)


def timestamp(value: Any) -> datetime:
    """A timestamp member as botocore reads it: epoch seconds (a number or numeric text) in
    local time; other text as ``dateutil`` parses it, with the offset it states."""
    kind = value.__class__  # cheaper than type(value)
    if kind is float or kind is int:  # the common case, first and cheap
        return _local(value)
    if kind is not str:
        unfit("a timestamp", "number or string", value)
    try:
        epoch = float(value)
    except ValueError:
        from botocore import utils

        untyped_utils: Any = utils  # botocore ships no types
        parsed: datetime = untyped_utils.parse_timestamp(value)
        return parsed
    return _local(epoch)


def blob(value: Any) -> bytes:
    """A blob member: base64 text to its bytes."""
    return blob_in(value)
