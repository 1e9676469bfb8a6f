"""What every transport shares: the protocols the clients drive, TLS contexts, how the call's
deadline caps each timeout, how every response body is read (:class:`BodyReader`: inflated
when a server compresses it unasked, bounded by :class:`BodyGuard`), and how an HTTP library's
exception becomes the SDK's error without showing a secret (:func:`network_failure`,
:func:`unsent_failure`); for the async transports also the lifecycle of a pool bound to its
event loop (:class:`LoopScope`), and telling a caller's cancellation from a close's
(:func:`cancelled_by_caller`)."""

from __future__ import annotations

import contextlib
import functools
import os
import socket
import ssl
import threading
import time
import weakref
import zlib
from collections.abc import AsyncGenerator, Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit, urlunsplit

from ecrclient._core.config import ClientConfig
from ecrclient._core.errors import (
    ConfigurationError,
    NetworkError,
    ReadTimeoutError,
    ResponseTooLargeError,
    SdkClientError,
)
from ecrclient._core.messages import HttpRequest, HttpResponse
from ecrclient._core.redaction import transport_error_text

if TYPE_CHECKING:
    import asyncio


class SyncTransport(Protocol):
    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called: the transport refuses every later call, its
        client's ``with_options`` copies' included."""
        ...

    def send(self, request: HttpRequest, config: ClientConfig) -> HttpResponse: ...

    def close(self) -> None: ...


class AsyncTransport(Protocol):
    closed: bool
    """Set by :meth:`aclose`: the transport refuses every later call, its client's
    ``with_options`` copies' included."""

    async def send(self, request: HttpRequest, config: ClientConfig) -> HttpResponse: ...

    async def aclose(self) -> None: ...

    def close_nowait(self) -> None:
        """Drop the connections without an event loop (for garbage collection)."""
        ...


ACCEPT_ENCODING = "identity"
"""The ``Accept-Encoding`` every transport sends: what boto3 sends, so the wire bytes are the
same whichever transport carries them, and no answer arrives compressed unasked."""


class BodyGuard:
    """Bounds one response body while a transport reads it chunk by chunk: its size after any
    decompression (``ClientConfig.max_response_bytes``) and the wall-clock time left of the
    call's deadline, which a server trickling a byte at a time would otherwise stretch (every
    byte resets the read timeout). Made when the attempt is sent."""

    __slots__ = ("deadline", "limit", "size", "url")

    def __init__(self, request: HttpRequest, config: ClientConfig) -> None:
        self.url = request.url
        self.limit = config.max_response_bytes
        self.size = 0
        cap = request.timeout_cap
        self.deadline = None if cap is None else time.monotonic() + cap

    def add(self, chunk: bytes | bytearray | memoryview) -> None:
        """Count ``chunk``; raise when the body is too long or the deadline has passed."""
        self.size += len(chunk)
        if self.size > self.limit:
            raise ResponseTooLargeError(endpoint_url=self.url, limit=self.limit)
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise ReadTimeoutError(
                f"the call's deadline ran out while reading the response from {self.url}",
                endpoint_url=self.url,
            )


CHUNK_SIZE = 64 * 1024
"""How much of a response body a transport reads, and inflates, at a time."""

_INFLATED_ENCODINGS = {"gzip": zlib.MAX_WBITS | 16, "x-gzip": zlib.MAX_WBITS | 16}
_DEFLATE = "deflate"


class BodyReader:
    """One response body, read chunk by chunk through a :class:`BodyGuard`. A body a server
    compressed although ``Accept-Encoding: identity`` was asked (``gzip`` or ``deflate``) is
    inflated here, at most :data:`CHUNK_SIZE` bytes at a time, so the guard counts the inflated
    size before it is held: a small compressed body cannot balloon in memory. Other encodings
    are kept as they came, as botocore keeps every encoding."""

    __slots__ = ("_chunks", "_encoding", "_inflater", "guard")

    def __init__(self, request: HttpRequest, config: ClientConfig, content_encoding: str) -> None:
        self.guard = BodyGuard(request, config)
        self._chunks: list[bytes] = []
        self._encoding = content_encoding.strip().lower()
        self._inflater: Any = None  # zlib.decompressobj() (its class is private)
        if self._encoding in _INFLATED_ENCODINGS:
            self._inflater = zlib.decompressobj(_INFLATED_ENCODINGS[self._encoding])
        elif self._encoding == _DEFLATE:
            self._inflater = zlib.decompressobj()  # zlib-wrapped; raw deflate is tried on failure

    def add(self, raw: bytes) -> None:
        """Take the next chunk as it came off the wire."""
        if self._inflater is None:
            self.guard.add(raw)
            self._chunks.append(raw)
            return
        data = raw
        while data:
            piece = self._inflate(data)
            self.guard.add(piece)
            self._chunks.append(piece)
            data = self._inflater.unconsumed_tail

    def _inflate(self, data: bytes) -> bytes:
        assert self._inflater is not None
        try:
            piece: bytes = self._inflater.decompress(data, CHUNK_SIZE)
        except zlib.error as exc:
            if self._encoding == _DEFLATE and not self._chunks and not self.guard.size:
                self._encoding = "raw deflate"  # a server sending deflate without zlib's header
                self._inflater = zlib.decompressobj(-zlib.MAX_WBITS)
                return self._inflate(data)
            raise SdkClientError(
                f"the {self._encoding}-encoded response from {self.guard.url} could not be "
                f"inflated: {exc}"
            ) from None
        return piece

    def body(self) -> bytes:
        """The whole body, once the transport has read to its end."""
        if self._inflater is not None:
            tail = self._inflater.flush()
            if tail:
                self.guard.add(tail)
                self._chunks.append(tail)
        return b"".join(self._chunks)


class SocketRegistry:
    """The sockets a sync transport's pool has opened, so that closing the transport can shut
    down those of calls in flight on other threads: a thread blocked reading one wakes at once
    (closing a socket from another thread would not wake it)."""

    def __init__(self) -> None:
        self.closed = False
        self._lock = threading.Lock()
        self._open: weakref.WeakSet[socket.socket] = weakref.WeakSet()

    def track(self, sock: object) -> bool:
        """Track ``sock``; ``False`` (the socket shut down) when the registry is closed."""
        if not isinstance(sock, socket.socket):
            return True
        with self._lock:
            self._open.add(sock)
            closed = self.closed
        if closed:
            _shut(sock)
        return not closed

    def shut_down(self) -> None:
        """Mark closed and shut every tracked socket down."""
        with self._lock:
            self.closed = True
            sockets = list(self._open)
        for sock in sockets:
            _shut(sock)


def _shut(sock: socket.socket) -> None:
    # The plain socket's shutdown, also for a TLS socket: it wakes a reader without touching
    # the TLS state that thread is using. A socket already closed needs nothing.
    with contextlib.suppress(OSError):
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


def closed_client_error() -> SdkClientError:
    """What a call gets from a transport its client has closed (before or during the call)."""
    return SdkClientError("this client is closed")


def cancelled_by_caller() -> bool:
    """Whether the running task has been asked to cancel (``Task.cancel``): its
    ``CancelledError`` is then the caller's and must propagate. Python 3.10 cannot tell, so
    there every cancellation counts as the caller's."""
    import asyncio

    task = asyncio.current_task()
    cancelling = getattr(task, "cancelling", None)
    return cancelling is None or cancelling() > 0


class LoopScope:
    """Closes a connection pool when the event loop it was made in shuts down.

    A pool's sockets belong to its loop: once that loop is closed they can no longer be closed
    cleanly, and would be left to the garbage collector (``ResourceWarning: unclosed
    transport``). The scope is an async generator started in that loop, whose ``finally`` runs
    ``close``: ``asyncio.run`` (and every runner that calls ``loop.shutdown_asyncgens()``)
    finalizes it before closing the loop, and so does the loop, soon, if the scope is dropped
    while the loop still runs. Made inside the running loop."""

    __slots__ = ("_watch",)

    def __init__(self, close: Callable[[], Awaitable[None]]) -> None:
        watch = _until_shutdown(close)
        self._watch: AsyncGenerator[None, None] | None = watch
        _step(watch.__anext__())  # its first step registers it with the running loop

    def dismiss(self) -> None:
        """End the scope now, without its loop; ``close`` must then have nothing left to wait
        for (the pool was closed or dropped already)."""
        watch, self._watch = self._watch, None
        if watch is not None:
            _step(watch.aclose())


async def _until_shutdown(close: Callable[[], Awaitable[None]]) -> AsyncGenerator[None, None]:
    try:
        yield
    finally:
        await close()


def _step(awaitable: Awaitable[Any]) -> None:
    """Run ``awaitable`` up to its first suspension (none, for the steps above)."""
    coroutine: Any = awaitable
    try:
        coroutine.send(None)
    except (StopIteration, StopAsyncIteration):
        return
    coroutine.close()  # it would wait for something: nothing here can drive it


def with_accept_encoding(headers: dict[str, str]) -> dict[str, str]:
    """``headers``, with :data:`ACCEPT_ENCODING` added unless the request names one."""
    for name in headers:
        if name.lower() == "accept-encoding":
            return headers
    return {**headers, "Accept-Encoding": ACCEPT_ENCODING}


def network_failure(
    error_type: type[NetworkError], what: str, exc: BaseException, request: HttpRequest
) -> NetworkError:
    """The SDK's ``error_type`` for an HTTP library's ``exc`` while sending ``request``: the
    message says ``what`` went wrong, calling which endpoint, and what the library said,
    redacted.

    ``exc`` becomes the error's ``__cause__`` only when its text (and its own causes') showed
    nothing secret; otherwise nothing chains, and the transport must raise the error outside
    its ``except`` block, which would chain ``exc`` as ``__context__``.
    """
    detail, clean = transport_error_text(exc, request)
    error = error_type(f"{what} calling {request.url}: {detail}", endpoint_url=request.url)
    if clean:
        error.__cause__ = exc
    return error


def unsent_failure(
    exc: BaseException, request: HttpRequest, what: str = "the HTTP client refused the request"
) -> SdkClientError:
    """The SDK error for an HTTP library refusing ``request`` before sending it (a header value
    it cannot carry, say). Not a :class:`NetworkError`: nothing reached the server and the
    same request would be refused again, so it is not retried. Chained as
    :func:`network_failure` chains."""
    detail, clean = transport_error_text(exc, request)
    error = SdkClientError(f"{what} calling {request.url}: {detail}")
    if clean:
        error.__cause__ = exc
    return error


Failures = Sequence[
    tuple["type[BaseException] | tuple[type[BaseException], ...]", type[NetworkError], str]
]
"""An HTTP library's failures, in the order to test them: the library's exception type(s), the
SDK's error for them, and what went wrong in words."""


def classified_failure(
    exc: BaseException,
    request: HttpRequest,
    known: Failures,
    *,
    refused: tuple[type[BaseException], ...] = (),
    other_network: tuple[type[BaseException], ...] = (),
) -> SdkClientError:
    """The SDK error for an HTTP library's ``exc`` while sending ``request``: the SDK's own
    error as it is (a body guard's limit, say); else the first ``known`` failure it is; else,
    for a ``refused`` request (a header value or URL the library cannot use), a not-retried
    :func:`unsent_failure` (the same request would be refused again); else, for any other
    of the library's network errors, a plain :class:`NetworkError`; else an unsent failure."""
    if isinstance(exc, SdkClientError):
        return exc
    for library_types, error_type, what in known:
        if isinstance(exc, library_types):
            return network_failure(error_type, what, exc, request)
    if isinstance(exc, refused):
        return unsent_failure(exc, request)
    if isinstance(exc, other_network):
        return network_failure(NetworkError, "network error", exc, request)
    return unsent_failure(exc, request, "HTTP client error")


@functools.lru_cache(maxsize=64)
def without_userinfo(url: str) -> str:
    """``url`` without ``user:password@``: an endpoint's userinfo is never sent (botocore does
    not send it, nor does httpx below its client), and aiohttp would turn it into an
    ``Authorization`` header clashing with the signature's."""
    if "@" not in url:
        return url
    parts = urlsplit(url)
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


def capped(timeout: float | None, cap: float | None) -> float | None:
    """``timeout``, cut to what is left of the call's deadline (``cap``) when there is one."""
    if cap is None:
        return timeout
    return cap if timeout is None else min(timeout, cap)


def current_loop() -> asyncio.AbstractEventLoop:
    import asyncio  # here: the sync client never imports asyncio

    return asyncio.get_running_loop()


@functools.lru_cache(maxsize=8)
def _shared_ssl_context(ca_bundle: str | None, modified: float) -> ssl.SSLContext:
    # Building a context costs ~20 ms and ~1 MiB: clients verifying alike share one.
    if ca_bundle is None:  # botocore's default bundle (SSL_CERT_FILE is not read)
        return ssl.create_default_context(cafile=_default_ca_bundle())
    try:
        if os.path.isdir(ca_bundle):  # a directory of hashed certificates, as botocore takes
            return ssl.create_default_context(capath=ca_bundle)
        return ssl.create_default_context(cafile=ca_bundle)
    except (OSError, ValueError) as exc:  # ssl.SSLError is an OSError
        raise ConfigurationError(f"the CA bundle {ca_bundle!r} could not be loaded: {exc}") from exc


def _default_ca_bundle() -> str:
    """certifi's bundle, as botocore takes it; botocore's own copy where certifi is missing."""
    try:
        import certifi
    except ImportError:
        import botocore

        return os.path.join(os.path.dirname(botocore.__file__), "cacert.pem")
    return str(certifi.where())


def tls_verification(verify: bool | str | None) -> ssl.SSLContext | bool:
    """``False``, or the verifying TLS context for ``verify`` (a CA bundle's path, or ``True``
    / ``None`` for the default bundle), shared while the bundle file is unchanged."""
    if verify is False:
        return False
    if verify is True or verify is None:
        return _shared_ssl_context(None, 0.0)
    try:
        modified = os.stat(verify).st_mtime
    except OSError:
        modified = 0.0  # ssl reports the missing file, with its name
    return _shared_ssl_context(verify, modified)


@functools.cache
def _trusting_nothing() -> ssl.SSLContext:
    # A verifying context with no trust anchors: it costs nothing to build and would refuse
    # any certificate, should a pool that was not meant to speak TLS ever try.
    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


def tls_for(config: ClientConfig, endpoint_url: str) -> ssl.SSLContext | bool:
    """:func:`tls_verification` for a pool that sends to ``endpoint_url``; a pool that never
    speaks TLS (an ``http://`` endpoint, reached directly or through ``http://`` proxies) does
    not load a CA bundle, as urllib3 loads one only for HTTPS connections."""
    plain = endpoint_url.startswith("http://") and all(
        proxy.startswith("http://") for proxy in (config.proxies or {}).values()
    )
    return _trusting_nothing() if plain else tls_verification(config.verify)
