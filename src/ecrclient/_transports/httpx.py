"""httpx: :class:`HttpxTransport` for the sync client (``transport="httpx"``, or a caller's
``http_client``) and :class:`HttpxAsyncTransport` for the async one (the default), side by side,
sharing client settings, request and response conversion and error mapping.

A pool of ours is driven through its transport, below ``httpx.Client``: the client's cookie,
redirect, auth and hook machinery would only cost time (its cookie jar alone is a tenth of a
small call). A caller's own client (``http_client=``) is used through ``send`` and left open.

The sync transport reads bodies as they arrive (``iter_raw``) through
:class:`~ecrclient._transports.base.BodyReader` (size cap, deadline, bounded inflation); it
tracks the sockets of its own pool, so that ``close()`` fails the calls in flight on other
threads at once; and a pool made before ``os.fork()`` is left to the parent.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import attrs
import httpx

from ecrclient._core.config import ClientConfig
from ecrclient._core.errors import (
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    PoolTimeoutError,
    ReadTimeoutError,
    SdkClientError,
    WriteTimeoutError,
)
from ecrclient._core.messages import HttpRequest, HttpResponse
from ecrclient._transports.base import (
    BodyReader,
    Failures,
    LoopScope,
    SocketRegistry,
    cancelled_by_caller,
    capped,
    classified_failure,
    closed_client_error,
    current_loop,
    tls_for,
    with_accept_encoding,
)
from ecrclient._transports.mocking import MOTO_MODELS, mocked_response, modules
from ecrclient._transports.pooled import PooledTransport

if TYPE_CHECKING:
    import asyncio


def client_options(
    config: ClientConfig, endpoint_url: str, *, asynchronous: bool = False
) -> dict[str, Any]:
    """Keyword arguments for ``httpx.Client``, or ``httpx.AsyncClient`` when ``asynchronous``,
    from ``config``, for a pool that sends to ``endpoint_url``."""
    verify = tls_for(config, endpoint_url)
    limits = httpx.Limits(
        max_connections=config.max_pool_connections,
        max_keepalive_connections=config.max_pool_connections,
    )
    options: dict[str, Any] = {
        "timeout": httpx.Timeout(
            connect=config.connect_timeout,
            read=config.read_timeout,
            write=config.write_timeout,
            pool=config.pool_timeout,
        ),
        "limits": limits,
        "verify": verify,
        "follow_redirects": False,
        "trust_env": False,
    }
    if config.proxies:
        proxy_transport: Any = httpx.AsyncHTTPTransport if asynchronous else httpx.HTTPTransport
        options["mounts"] = {
            # A proxy's pool is bounded like the direct one.
            f"{scheme}://": proxy_transport(proxy=url, verify=verify, limits=limits)
            for scheme, url in config.proxies.items()
        }
    return options


def to_httpx(
    request: HttpRequest,
    config: ClientConfig,
    *,
    own_timeouts: bool = True,
) -> httpx.Request:
    """The httpx request, with the ``Accept-Encoding`` every transport sends. Its timeouts
    come from ``config`` (a ``with_options`` copy shares the pool but may have its own), unless
    the caller supplied the HTTP client (``own_timeouts=False``: its timeouts stand); either
    way no phase of the attempt may outlast what is left of the call's deadline."""
    cap = request.timeout_cap
    extensions = None
    if own_timeouts:
        extensions = {
            "timeout": {
                "connect": capped(config.connect_timeout, cap),
                "read": capped(config.read_timeout, cap),
                "write": capped(config.write_timeout, cap),
                "pool": capped(config.pool_timeout, cap),
            }
        }
    elif cap is not None:
        extensions = {"timeout": {"connect": cap, "read": cap, "write": cap, "pool": cap}}
    return httpx.Request(
        request.method,
        _parsed_url(request.url),
        headers=with_accept_encoding(request.headers),
        content=request.body,
        extensions=extensions,
    )


@functools.lru_cache(maxsize=64)
def _parsed_url(url: str) -> httpx.URL:
    """The parsed URL, shared by the requests to one endpoint: parsing is most of what building
    an ``httpx.Request`` costs, and ``httpx.URL`` is immutable."""
    return httpx.URL(url)


def _exchange(
    client: httpx.Client, request: HttpRequest, *, own_timeouts: bool, config: ClientConfig
) -> HttpResponse:
    """One exchange on ``client``'s pool, the body read through a :class:`BodyReader`."""
    try:
        outgoing = to_httpx(request, config, own_timeouts=own_timeouts)
        transport = _transport_of(client, outgoing) if own_timeouts else None
        if transport is not None:
            response = transport.handle_request(outgoing)
        else:
            response = client.send(outgoing, stream=True)
        try:
            reader = BodyReader(request, config, response.headers.get("content-encoding", ""))
            for chunk in _raw_chunks(response):
                reader.add(chunk)
            body = reader.body()
        finally:
            response.close()
        return from_httpx(response, body)
    except Exception as exc:
        failure = map_error(exc, request)
    raise failure  # outside the handler: map_error decides what chains


def _raw_chunks(response: httpx.Response) -> Iterator[bytes]:
    """The body as it comes off the wire; a response made in memory (a mock transport's) has
    it already, decoded, and cannot be streamed again."""
    try:
        yield from response.iter_raw()
    except httpx.StreamConsumed:
        yield response.content


async def _exchange_async(
    client: httpx.AsyncClient, request: HttpRequest, *, own_timeouts: bool, config: ClientConfig
) -> HttpResponse:
    """One exchange on ``client``'s pool, awaited; the body read through a :class:`BodyReader`."""
    try:
        outgoing = to_httpx(request, config, own_timeouts=own_timeouts)
        transport = _transport_of(client, outgoing) if own_timeouts else None
        if transport is not None:
            response = await transport.handle_async_request(outgoing)
        else:
            response = await client.send(outgoing, stream=True)
        try:
            reader = BodyReader(request, config, response.headers.get("content-encoding", ""))
            try:
                async for chunk in response.aiter_raw():
                    reader.add(chunk)
            except httpx.StreamConsumed:  # a response made in memory (a mock transport's)
                reader.add(response.content)
            body = reader.body()
        finally:
            await response.aclose()
        return from_httpx(response, body)
    except Exception as exc:
        failure = map_error(exc, request)
    raise failure  # outside the handler: map_error decides what chains


def _transport_of(client: httpx.Client | httpx.AsyncClient, request: httpx.Request) -> Any:
    """The transport (proxy mounts respected) ``client`` would use for ``request``, when this
    httpx exposes it; ``None`` falls back to ``client.send``."""
    pick = getattr(client, "_transport_for_url", None)
    return pick(request.url) if pick is not None else None


def from_httpx(response: httpx.Response, body: bytes) -> HttpResponse:
    return HttpResponse(
        status_code=response.status_code,
        headers={name.lower(): value for name, value in response.headers.items()},
        body=body,
    )


def map_error(exc: Exception, request: HttpRequest) -> SdkClientError:
    """The SDK error for an httpx failure while sending ``request``, its message redacted;
    ``exc`` is chained as its cause unless its text showed a secret."""
    return classified_failure(
        exc,
        request,
        _FAILURES,
        # Refused on this side before anything was sent (a header value httpx cannot carry,
        # a URL it cannot use).
        refused=(httpx.LocalProtocolError, httpx.UnsupportedProtocol, ValueError),
        other_network=(httpx.TransportError,),
    )


_FAILURES: Failures = [
    (httpx.ConnectTimeout, ConnectTimeoutError, "connect timeout"),
    (httpx.ReadTimeout, ReadTimeoutError, "read timeout"),
    (httpx.WriteTimeout, WriteTimeoutError, "write timeout"),
    (httpx.PoolTimeout, PoolTimeoutError, "pool timeout (no free connection)"),
    (httpx.ConnectError, EndpointConnectionError, "could not connect"),
    (httpx.RemoteProtocolError, ConnectionClosedError, "connection closed mid-response"),
    (httpx.ReadError, ConnectionClosedError, "connection broke while reading"),
    (httpx.WriteError, ConnectionClosedError, "connection broke while sending"),
]


@attrs.frozen
class _HttpxPool:
    """An ``httpx.Client`` and the sockets its connections opened."""

    client: httpx.Client
    sockets: SocketRegistry = attrs.field(factory=SocketRegistry)

    def close(self) -> None:
        self.sockets.shut_down()
        self.client.close()


class HttpxTransport(PooledTransport[_HttpxPool]):
    """The sync client's httpx transport: an ``httpx.Client`` made on first use (and shared by
    the client's ``with_options`` copies), or the caller's, which stays the caller's to close."""

    def __init__(self, client: httpx.Client | None = None) -> None:
        super().__init__(None if client is None else _HttpxPool(client))

    @property
    def http_client(self) -> httpx.Client | None:
        """The ``httpx.Client`` in use (``None`` before the first call and after closing)."""
        pool = self._pool
        return None if pool is None else pool.client

    def _open(self, url: str, config: ClientConfig) -> _HttpxPool:
        pool = _HttpxPool(httpx.Client(**client_options(config, url)))
        _track_sockets(pool.client, pool.sockets)
        return pool

    def _exchange(
        self, pool: _HttpxPool, request: HttpRequest, config: ClientConfig
    ) -> HttpResponse:
        return _exchange(pool.client, request, own_timeouts=not self._supplied, config=config)


def _track_sockets(client: httpx.Client, sockets: SocketRegistry) -> None:
    """Route the connections of ``client``'s pools (proxies' included) through a network
    backend that tells ``sockets`` of every socket it opens. httpx has no public way to pass a
    backend: where its transports are not built as expected, nothing is tracked, and closing
    leaves calls in flight to their read timeout."""
    transports = [getattr(client, "_transport", None), *getattr(client, "_mounts", {}).values()]
    for transport in transports:
        pool = getattr(transport, "_pool", None)
        backend = getattr(pool, "_network_backend", None)
        if backend is not None:
            pool._network_backend = _TrackingBackend(backend, sockets)  # type: ignore[union-attr]


class _TrackingBackend:
    """An httpcore network backend that registers the sockets of the streams it opens."""

    def __init__(self, inner: Any, sockets: SocketRegistry) -> None:
        self._inner = inner
        self._sockets = sockets

    def connect_tcp(self, *args: Any, **kwargs: Any) -> Any:
        if self._sockets.closed:
            raise httpx.ConnectError("this client is closed")
        return _TrackedStream(self._inner.connect_tcp(*args, **kwargs), self._sockets)

    def connect_unix_socket(self, *args: Any, **kwargs: Any) -> Any:
        return _TrackedStream(self._inner.connect_unix_socket(*args, **kwargs), self._sockets)

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class _TrackedStream:
    """A network stream whose socket (and its TLS successor's) is tracked."""

    def __init__(self, inner: Any, sockets: SocketRegistry) -> None:
        self._inner = inner
        self._sockets = sockets
        sockets.track(inner.get_extra_info("socket"))

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, timeout)  # type: ignore[no-any-return]

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, timeout)

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, *args: Any, **kwargs: Any) -> _TrackedStream:
        return _TrackedStream(self._inner.start_tls(*args, **kwargs), self._sockets)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class HttpxAsyncTransport:
    """The async client's httpx transport: an ``httpx.AsyncClient`` made inside the event
    loop that first uses it, closed when that loop shuts down (a
    :class:`~ecrclient._transports.base.LoopScope`) and made anew if a later call runs in
    another loop (a pool cannot outlive its loop); or the caller's, left open."""

    def __init__(self, client: httpx.AsyncClient | None = None) -> None:
        self._supplied = client
        self._client: httpx.AsyncClient | None = client
        self._loop: asyncio.AbstractEventLoop | None = None
        self._scope: LoopScope | None = None
        self.closed = False

    async def send(self, request: HttpRequest, config: ClientConfig) -> HttpResponse:
        if MOTO_MODELS in modules and (mocked := mocked_response(request)) is not None:
            return mocked  # moto's mock_aws is active and serves this endpoint
        try:
            return await _exchange_async(
                self._pool(request.url, config),
                request,
                own_timeouts=self._supplied is None,
                config=config,
            )
        except BaseException as exc:
            if self.closed and not cancelled_by_caller():
                raise closed_client_error() from exc
            raise

    def _pool(self, url: str, config: ClientConfig) -> httpx.AsyncClient:
        if self.closed:
            raise closed_client_error()
        if self._supplied is not None:
            return self._supplied
        loop = current_loop()
        if self._client is None or self._loop is not loop:
            self.close_nowait()  # another loop's pool: its loop closes it
            client = self._client = httpx.AsyncClient(
                **client_options(config, url, asynchronous=True)
            )
            self._loop = loop
            self._scope = LoopScope(client.aclose)
        return self._client

    async def aclose(self) -> None:
        self.closed = True
        client, self._client = self._client, None
        if client is not None and self._supplied is None and self._loop is current_loop():
            await client.aclose()
            self._dismiss_scope()

    def close_nowait(self) -> None:
        # httpx's async pool needs its loop to close: dropping the scope hands the pool to
        # that loop, which closes it soon if it still runs.
        if self._supplied is None:
            self._client = None
        self._scope = None

    def _dismiss_scope(self) -> None:
        scope, self._scope = self._scope, None
        if scope is not None:
            scope.dismiss()
