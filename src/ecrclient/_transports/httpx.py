"""httpx: :class:`HttpxTransport` for the sync client (the default) and
:class:`HttpxAsyncTransport` for the async one, side by side, sharing client settings, request
and response conversion and error mapping.

A pool of ours is driven through its transport, below ``httpx.Client``: the client's cookie,
redirect, auth and hook machinery would only cost time (its cookie jar alone is a tenth of a
small call). A caller's own client (``http_client=``) is used through ``send`` and left open.
"""

from __future__ import annotations

import functools
import threading
from typing import TYPE_CHECKING, Any

import httpx

from ecrclient._core.config import ClientConfig
from ecrclient._core.errors import (
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NetworkError,
    PoolTimeoutError,
    ReadTimeoutError,
    SdkClientError,
    WriteTimeoutError,
)
from ecrclient._core.messages import HttpRequest, HttpResponse
from ecrclient._transports.base import (
    ACCEPT_ENCODING,
    BodyGuard,
    LoopScope,
    cancelled_by_caller,
    capped,
    closed_error,
    current_loop,
    tls_for,
)
from ecrclient._transports.mocking import MOTO_MODELS, mocked_response, modules

if TYPE_CHECKING:
    import asyncio


def client_options(
    config: ClientConfig, endpoint_url: str, *, asynchronous: bool = False
) -> dict[str, Any]:
    """Keyword arguments for ``httpx.Client``, or ``httpx.AsyncClient`` when ``asynchronous``,
    from ``config``, for a pool that sends to ``endpoint_url``."""
    verify = tls_for(config, endpoint_url)
    options: dict[str, Any] = {
        "timeout": httpx.Timeout(
            connect=config.connect_timeout,
            read=config.read_timeout,
            write=config.write_timeout,
            pool=config.pool_timeout,
        ),
        "limits": httpx.Limits(
            max_connections=config.max_pool_connections,
            max_keepalive_connections=config.max_pool_connections,
        ),
        "verify": verify,
        "follow_redirects": False,
        "trust_env": False,
    }
    if config.proxies:
        proxy_transport: Any = httpx.AsyncHTTPTransport if asynchronous else httpx.HTTPTransport
        options["mounts"] = {
            f"{scheme}://": proxy_transport(proxy=url, verify=verify)
            for scheme, url in config.proxies.items()
        }
    return options


def to_httpx(
    request: HttpRequest,
    config: ClientConfig,
    *,
    own_timeouts: bool = True,
) -> httpx.Request:
    """The httpx request. Its timeouts come from ``config`` (a ``with_options`` copy shares the
    pool but may have its own), unless the caller supplied the HTTP client
    (``own_timeouts=False``: its timeouts stand); either way no phase of the attempt may outlast
    what is left of the call's deadline."""
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
        headers=request.headers,
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
    """One exchange on ``client``'s pool."""
    outgoing = to_httpx(request, config, own_timeouts=own_timeouts)
    transport = _transport_of(client, outgoing) if own_timeouts else None
    try:
        if transport is not None:
            response = transport.handle_request(outgoing)
        else:
            response = client.send(outgoing)
        try:
            body = response.read()
        finally:
            response.close()
    except Exception as exc:
        raise map_error(exc, request.url) from exc
    return from_httpx(response, body)


async def _exchange_async(
    client: httpx.AsyncClient, request: HttpRequest, *, own_timeouts: bool, config: ClientConfig
) -> HttpResponse:
    """One exchange on ``client``'s pool, awaited; the body read in chunks through a
    :class:`BodyGuard`, with the SDK's ``Accept-Encoding``."""
    outgoing = to_httpx(request, config, own_timeouts=own_timeouts)
    outgoing.headers.setdefault("Accept-Encoding", ACCEPT_ENCODING)
    guard = BodyGuard(request, config)
    transport = _transport_of(client, outgoing) if own_timeouts else None
    try:
        if transport is not None:
            response = await transport.handle_async_request(outgoing)
        else:
            response = await client.send(outgoing, stream=True)
        try:
            parts: list[bytes] = []
            async for chunk in response.aiter_bytes():
                guard.add(chunk)
                parts.append(chunk)
        finally:
            await response.aclose()
    except SdkClientError:
        raise
    except Exception as exc:
        raise map_error(exc, request.url) from exc
    return from_httpx(response, b"".join(parts))


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


def map_error(exc: Exception, url: str) -> SdkClientError:
    """The SDK error for an httpx failure while calling ``url``."""
    detail = str(exc) or type(exc).__name__
    mapping: list[tuple[type[Exception], type[NetworkError], str]] = [
        (httpx.ConnectTimeout, ConnectTimeoutError, "connect timeout"),
        (httpx.ReadTimeout, ReadTimeoutError, "read timeout"),
        (httpx.WriteTimeout, WriteTimeoutError, "write timeout"),
        (httpx.PoolTimeout, PoolTimeoutError, "pool timeout (no free connection)"),
        (httpx.ConnectError, EndpointConnectionError, "could not connect"),
        (httpx.RemoteProtocolError, ConnectionClosedError, "connection closed mid-response"),
        (httpx.ReadError, ConnectionClosedError, "connection broke while reading"),
        (httpx.WriteError, ConnectionClosedError, "connection broke while sending"),
    ]
    for httpx_type, error_type, what in mapping:
        if isinstance(exc, httpx_type):
            return error_type(f"{what} calling {url}: {detail}", endpoint_url=url)
    if isinstance(exc, httpx.TransportError):
        return NetworkError(f"network error calling {url}: {detail}", endpoint_url=url)
    return SdkClientError(f"HTTP client error calling {url}: {detail}")


class HttpxTransport:
    """The sync client's transport: an ``httpx.Client`` made on first use (and shared by the
    client's ``with_options`` copies), or the caller's, which stays the caller's to close."""

    def __init__(self, client: httpx.Client | None = None) -> None:
        self._client = client
        self._supplied = client is not None
        self._lock = threading.Lock()
        self._closed = False

    def send(self, request: HttpRequest, config: ClientConfig) -> HttpResponse:
        if MOTO_MODELS in modules and (mocked := mocked_response(request)) is not None:
            return mocked  # moto's mock_aws is active and serves this endpoint
        client = self._client or self._pool(request.url, config)
        return _exchange(client, request, own_timeouts=not self._supplied, config=config)

    def _pool(self, url: str, config: ClientConfig) -> httpx.Client:
        with self._lock:
            if self._closed:
                raise SdkClientError("this client is closed")
            if self._client is None:
                self._client = httpx.Client(**client_options(config, url))
            return self._client

    def close(self) -> None:
        with self._lock:
            self._closed = True
            client, self._client = self._client, None
            if client is not None and not self._supplied:
                client.close()


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
                raise closed_error() from exc
            raise

    def _pool(self, url: str, config: ClientConfig) -> httpx.AsyncClient:
        if self.closed:
            raise closed_error()
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
