"""Reading an answer's JSON straight into boto3's dict, as botocore's ``json`` parser reads it.

The drop-in (``ecrclient.compat``) answers with boto3's dicts. Rather than build the typed
result and convert it, its calls read the wire JSON directly with the functions generated in
``_generated/boto_answers/`` (one per output structure); this module holds what they share:

- :class:`BotoAnswer`, the result class the generated per-operation answers derive from: the
  pipeline makes it with ``_from_wire(data, metadata)`` as it makes a typed result, and the
  drop-in takes boto3's dict from ``_to_boto()``;
- the scalar conversions botocore applies: :func:`timestamp` (epoch seconds or timestamp text
  to the aware ``datetime`` botocore gives: local time, ``dateutil``'s ``tzlocal()``, through
  :func:`~ecrclient._core.wire.local_from_epoch`) and
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

from datetime import datetime
from typing import Any, ClassVar, NoReturn

from ecrclient._core.metadata import EMPTY_RESPONSE_METADATA, ResponseMetadata
from ecrclient._core.redaction import redact
from ecrclient._core.wire import blob_in, local_from_epoch


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
        # Redacted: GetAuthorizationToken's answer holds a docker password.
        return redact(f"{type(self).__name__}({self.response!r})")


def unfit(shape: str, expected: str, value: Any) -> NoReturn:
    """Raise the error for ``value`` found where the model has ``shape``, a JSON ``expected``
    (a function, so that the generated readers can call it inside an expression)."""
    raise TypeError(f"{shape} must be a JSON {expected}, not {type(value).__name__}")


# -- timestamps ------------------------------------------------------------------------------


def timestamp(value: Any) -> datetime:
    """A timestamp member as botocore reads it: epoch seconds (a number or numeric text) in
    local time; other text as ``dateutil`` parses it, with the offset it states."""
    kind = value.__class__  # cheaper than type(value)
    if kind is float or kind is int:  # the common case, first and cheap
        return local_from_epoch(value)
    if kind is not str:
        unfit("a timestamp", "number or string", value)
    try:
        epoch = float(value)
    except ValueError:
        from botocore import utils

        untyped_utils: Any = utils  # botocore ships no types
        try:
            parsed: datetime = untyped_utils.parse_timestamp(value)
        except Exception as exc:  # botocore's date parser fed hostile text: any failure
            raise ValueError(f"{value[:64]!r} is not a timestamp") from exc
        return parsed
    return local_from_epoch(epoch)


def blob(value: Any) -> bytes:
    """A blob member: base64 text to its bytes."""
    return blob_in(value)
