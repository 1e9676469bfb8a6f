"""aiohttp: the async client's default transport, the fast one under concurrency.

The pool (an ``aiohttp.ClientSession``) is made lazily, inside the event loop that first uses
it, and made anew if a later call runs in another loop (a pool cannot outlive its loop), so a
client may be created outside any loop and used from ``asyncio.run`` after ``asyncio.run``. A
:class:`~ecrclient._transports.base.LoopScope` closes each pool when its loop shuts down, and
``close_nowait`` drops the connections of a client garbage-collected unclosed.

Where aiohttp alone would fall short of what the SDK promises, this module adds:

* **stale connections**: a request that fails on a kept-alive connection the server had
  closed (without ``Connection: close``) is sent again at once, once, on a new connection,
  as urllib3 and httpx do; it is not an attempt, so it spends no retry quota or backoff.
  :class:`_Connector` tells a reused connection from a new one.
* **read timeout after an interim answer**: aiohttp stops its ``sock_read`` timer when a
  ``100 Continue`` arrives; :class:`_Handler` starts it again, so a server that then stalls
  fails the attempt after ``read_timeout`` like any other.
* **bounded bodies**: each body is read in chunks through
  :class:`~ecrclient._transports.base.BodyGuard` (size after decompression, the call's
  deadline), and ``Accept-Encoding`` is the SDK's, not aiohttp's ``gzip, deflate``.
* **closing under calls**: a call under way when its client is closed fails with the SDK's
  closed error, not a ``CancelledError`` nobody asked for.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import functools
import time
from ssl import SSLContext
from typing import Any

import aiohttp
from aiohttp.client_proto import ResponseHandler

from ecrclient._core.config import ClientConfig
from ecrclient._core.errors import (
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NetworkError,
    ReadTimeoutError,
    SdkClientError,
)
from ecrclient._core.messages import HttpRequest, HttpResponse
from ecrclient._transports.base import (
    BodyGuard,
    LoopScope,
    cancelled_by_caller,
    capped,
    closed_error,
    current_loop,
    tls_for,
    with_accept_encoding,
)
from ecrclient._transports.mocking import MOTO_MODELS, mocked_response, modules

_STALE = (aiohttp.ServerDisconnectedError, aiohttp.ClientOSError)
"""How a request fails on a connection the server closed while it sat idle in the pool."""


class _Exchange:
    """What the connector tells the exchange under way (through :data:`_EXCHANGE`)."""

    __slots__ = ("fresh_only", "reused")

    def __init__(self) -> None:
        self.reused = False
        """Whether the connection the request went out on had carried a request before."""
        self.fresh_only = False
        """Set for the one resend after a stale connection: take a new connection."""


_EXCHANGE: contextvars.ContextVar[_Exchange | None] = contextvars.ContextVar(
    "ecrclient_aiohttp_exchange", default=None
)


class _Handler(ResponseHandler):
    """aiohttp's protocol, counting the requests a connection carried, and with its read
    timer running again after an interim (1xx) answer."""

    requests_carried = 0
    _interim = False

    def feed_data(self, data: Any, size: int = 0) -> None:
        super().feed_data(data, size)
        code = data[0].code
        self._interim = 100 <= code < 200 and code != 101

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self._interim:  # aiohttp stopped the timer: nothing else bounds the wait
            self._interim = False
            self.start_timeout()


class _Connector(aiohttp.TCPConnector):
    """aiohttp's connector, making :class:`_Handler` protocols and telling the exchange under
    way whether its connection is reused (or, when it asks for a fresh one, discarding idle
    ones)."""

    def __init__(self, *, limit: int, ssl: SSLContext | bool) -> None:
        super().__init__(limit=limit, ssl=ssl)  # pyright: ignore[reportUnknownMemberType]
        self._factory = functools.partial(_Handler, loop=self._loop)  # type: ignore[assignment]

    async def connect(self, req: Any, traces: Any, timeout: Any) -> Any:
        exchange = _EXCHANGE.get()
        fresh_only = exchange is not None and exchange.fresh_only
        spare = self.limit
        connection = await super().connect(req, traces, timeout)
        while fresh_only and spare and _carried(connection):
            connection.close()  # idle as long as the one that just failed: likely as stale
            spare -= 1
            connection = await super().connect(req, traces, timeout)
        carried = _carried(connection)
        if exchange is not None:
            exchange.reused = carried > 0
        protocol: Any = connection.protocol
        if protocol is not None:
            protocol.requests_carried = carried + 1
        return connection


def _carried(connection: Any) -> int:
    """How many requests ``connection`` carried before."""
    carried: int = getattr(connection.protocol, "requests_carried", 0)
    return carried


class AiohttpTransport:
    """aiohttp, the async client's default.

    Failures map to the same SDK errors as with httpx: a refused or unreachable endpoint to
    :class:`EndpointConnectionError`, a connection closed mid-response or a truncated body to
    :class:`ConnectionClosedError`, and the connect and read timeouts to their own errors.
    """

    def __init__(self) -> None:
        self._session: aiohttp.ClientSession | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._scope: LoopScope | None = None
        self.closed = False

    def _pool(self, url: str, config: ClientConfig) -> aiohttp.ClientSession:
        if self.closed:
            raise closed_error()
        loop = current_loop()
        session = self._session
        if session is None or self._loop is not loop or session.closed:
            self.close_nowait()  # another loop's pool: its sockets go with it
            session = self._session = aiohttp.ClientSession(
                connector=_Connector(limit=config.max_pool_connections, ssl=tls_for(config, url)),
                skip_auto_headers=("User-Agent",),
                auto_decompress=True,
                trust_env=False,
            )
            self._loop = loop
            self._scope = LoopScope(functools.partial(_close, session))
        return session

    def _timeout(self, cap: float | None, config: ClientConfig) -> aiohttp.ClientTimeout:
        return aiohttp.ClientTimeout(
            total=cap,
            connect=capped(config.pool_timeout, cap),
            sock_connect=capped(config.connect_timeout, cap),
            sock_read=capped(config.read_timeout, cap),
        )

    async def send(self, request: HttpRequest, config: ClientConfig) -> HttpResponse:
        if MOTO_MODELS in modules and (mocked := mocked_response(request)) is not None:
            return mocked  # moto's mock_aws is active and serves this endpoint
        url = request.url
        session = self._pool(url, config)
        guard = BodyGuard(request, config)
        exchange = _Exchange()
        token = _EXCHANGE.set(exchange)
        try:
            try:
                return await self._exchange(session, request, config, guard, exchange)
            except _STALE:
                if not exchange.reused:
                    raise
            exchange.fresh_only = True  # at once, once: the server closed what we reused
            return await self._exchange(session, request, config, guard, exchange)
        except SdkClientError:
            raise
        except BaseException as exc:
            if self.closed and not cancelled_by_caller():
                raise closed_error() from exc
            if isinstance(exc, Exception):
                raise _mapped(exc, url) from exc
            raise
        finally:
            _EXCHANGE.reset(token)

    async def _exchange(
        self,
        session: aiohttp.ClientSession,
        request: HttpRequest,
        config: ClientConfig,
        guard: BodyGuard,
        exchange: _Exchange,
    ) -> HttpResponse:
        url = request.url
        cap = request.timeout_cap
        if cap is not None and guard.deadline is not None and exchange.fresh_only:
            cap = max(guard.deadline - time.monotonic(), 0.0)
        response = await session.request(
            request.method,
            url,
            data=request.body,
            headers=with_accept_encoding(request.headers),
            timeout=self._timeout(cap, config),
            allow_redirects=False,
            proxy=(config.proxies or {}).get(url.split(":", 1)[0]),
        )
        try:
            content = response.content
            parts: list[bytes] = []
            while chunk := await content.readany():
                guard.add(chunk)
                parts.append(chunk)
            return HttpResponse(
                status_code=response.status,
                headers={name.lower(): value for name, value in response.headers.items()},
                body=b"".join(parts),
            )
        finally:
            response.release()

    async def aclose(self) -> None:
        self.closed = True
        session, self._session = self._session, None
        if session is not None and not session.closed:
            if self._loop is current_loop():
                await session.close()
            else:
                _drop(session)
        self._dismiss_scope()

    def close_nowait(self) -> None:
        session, self._session = self._session, None
        if session is not None and not session.closed:
            _drop(session)
        self._dismiss_scope()

    def _dismiss_scope(self) -> None:
        scope, self._scope = self._scope, None
        if scope is not None:
            scope.dismiss()


def _mapped(exc: Exception, url: str) -> SdkClientError:
    """The SDK error for an aiohttp failure while calling ``url``."""
    if isinstance(exc, aiohttp.ConnectionTimeoutError):
        return ConnectTimeoutError(f"connect timeout calling {url}: {exc}", endpoint_url=url)
    if isinstance(exc, aiohttp.SocketTimeoutError | asyncio.TimeoutError):
        detail = str(exc) or "no data in time"
        return ReadTimeoutError(f"read timeout calling {url}: {detail}", endpoint_url=url)
    if isinstance(exc, aiohttp.ClientConnectorError):
        return EndpointConnectionError(f"could not connect calling {url}: {exc}", endpoint_url=url)
    if isinstance(exc, aiohttp.ServerDisconnectedError | aiohttp.ClientPayloadError):
        return ConnectionClosedError(
            f"connection closed mid-response calling {url}: {exc}", endpoint_url=url
        )
    if isinstance(exc, aiohttp.ClientOSError | aiohttp.ClientResponseError):
        return ConnectionClosedError(f"connection broke calling {url}: {exc}", endpoint_url=url)
    if isinstance(exc, aiohttp.ClientError):
        return NetworkError(f"network error calling {url}: {exc}", endpoint_url=url)
    return SdkClientError(f"HTTP client error calling {url}: {exc}")


async def _close(session: aiohttp.ClientSession) -> None:
    if not session.closed:
        await session.close()


def _drop(session: aiohttp.ClientSession) -> None:
    """Release an aiohttp session's sockets without awaiting, and without the
    "Unclosed client session" / "Unclosed connector" warnings."""
    connector: Any = session.connector
    session.detach()
    if connector is not None and not connector.closed:
        # Each socket closes through its loop; if that loop is closed already, they close
        # when collected.
        with contextlib.suppress(RuntimeError):
            connector._close()
