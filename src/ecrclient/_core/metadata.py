"""Response metadata, and the per-client cache of it keyed by request identity.

Every result a call returns carries its :class:`ResponseMetadata`; a result built by hand (in a
test, say) carries :data:`EMPTY_RESPONSE_METADATA` instead, so ``result.response_metadata`` is
never ``None`` and needs no check before use: ``is_empty`` tells the two apart.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, Final

import attrs

CACHE_SIZE = 50
"""How many requests' metadata a client remembers, as the Java SDK does."""


@attrs.frozen(kw_only=True)
class ResponseMetadata:
    """What the transport knows about one call's final HTTP exchange."""

    request_id: str | None
    """The ``x-amzn-RequestId`` header, ``None`` when the service sent none."""
    http_status_code: int
    """The final attempt's HTTP status."""
    http_headers: Mapping[str, str] = attrs.field(repr=False)
    """The final response's headers, names lower-cased."""
    retry_attempts: int = 0
    """How many times the call was retried (0 when the first attempt answered)."""
    max_attempts_reached: bool = False
    """True when the call stopped because it ran out of attempts."""

    @property
    def is_empty(self) -> bool:
        """True for :data:`EMPTY_RESPONSE_METADATA` (a result no call returned): no HTTP
        exchange, so no status (0), request id or headers."""
        return self.http_status_code == 0

    def to_boto(self) -> dict[str, Any]:
        """The ``ResponseMetadata`` dict boto3 puts in every response."""
        out: dict[str, Any] = {}
        if self.request_id is not None:
            out["RequestId"] = self.request_id
        out["HTTPStatusCode"] = self.http_status_code
        out["HTTPHeaders"] = dict(self.http_headers)
        out["RetryAttempts"] = self.retry_attempts
        if self.max_attempts_reached:
            out["MaxAttemptsReached"] = True
        return out

    @classmethod
    def from_boto(cls, boto: Mapping[str, Any], status_code: int) -> ResponseMetadata:
        """The metadata a boto3 ``ResponseMetadata`` dict holds (the inverse of
        :meth:`to_boto`); ``status_code`` stands where it omits the status."""
        return cls(
            request_id=boto.get("RequestId"),
            http_status_code=boto.get("HTTPStatusCode", status_code),
            http_headers=boto.get("HTTPHeaders", {}),
            retry_attempts=boto.get("RetryAttempts", 0),
            max_attempts_reached=boto.get("MaxAttemptsReached", False),
        )


EMPTY_RESPONSE_METADATA: Final = ResponseMetadata(
    request_id=None, http_status_code=0, http_headers=MappingProxyType({})
)
"""The metadata of a result built by hand rather than returned by a call."""


class MetadataCache:
    """A bounded LRU of response metadata keyed by the identity of the request object.

    Requests are frozen attrs classes that compare by value, so two equal requests are still two
    entries. An entry holds its request weakly: the cache never keeps a request (and whatever it
    carries, such as an uploaded layer part) alive, and an ``id`` reused by a later object does
    not find the entry of a dead one. An object that cannot be referenced weakly is held.
    """

    def __init__(self, size: int = CACHE_SIZE) -> None:
        self._size = size
        self._entries: OrderedDict[int, tuple[Callable[[], object], ResponseMetadata]] = (
            OrderedDict()
        )
        self._lock = threading.Lock()

    def put(self, request: object, metadata: ResponseMetadata) -> None:
        key = id(request)
        try:
            holder: Callable[[], object] = weakref.ref(request)
        except TypeError:
            holder = _Held(request)
        with self._lock:
            self._entries[key] = (holder, metadata)
            self._entries.move_to_end(key)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)

    def get(self, request: object) -> ResponseMetadata | None:
        with self._lock:
            entry = self._entries.get(id(request))
            if entry is None or entry[0]() is not request:
                return None
            self._entries.move_to_end(id(request))
            return entry[1]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


class _Held:
    """A strong reference with a weak reference's call."""

    __slots__ = ("_target",)

    def __init__(self, target: object) -> None:
        self._target = target

    def __call__(self) -> object:
        return self._target
