"""Scalar conversions between Python values and their JSON wire forms.

Generated ``_to_wire`` / ``_from_wire`` methods call these for the types JSON has no native form
for. Timestamps travel as epoch seconds and blobs as base64 text.
"""

from __future__ import annotations

import base64
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


def timestamp_in(value: Any) -> datetime:
    """A timezone-aware UTC datetime from epoch seconds (int, float or numeric text)."""
    if isinstance(value, str):
        value = float(value)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"expected epoch seconds, got {type(value).__name__}")
    return datetime.fromtimestamp(value, timezone.utc)


def blob_out(value: bytes) -> str:
    return base64.b64encode(value).decode("ascii")


def blob_in(value: Any) -> bytes:
    if not isinstance(value, str):
        raise TypeError(f"expected base64 text, got {type(value).__name__}")
    return base64.b64decode(value, validate=True)
