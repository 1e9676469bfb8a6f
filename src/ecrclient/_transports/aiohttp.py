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
  The connector of :mod:`.aiohttp_wire` tells a reused connection from a new one.
* **read timeout after an interim answer**: aiohttp stops its ``sock_read`` timer when a
  ``100 Continue`` arrives; the protocol of :mod:`.aiohttp_wire` starts it again, so a server
  that then stalls fails the attempt after ``read_timeout`` like any other.
* **bounded bodies**: each body is read in chunks through
  :class:`~ecrclient._transports.base.BodyReader` (size after decompression, the call's
  deadline; aiohttp's own decompression is off, so a compressed body is inflated a bounded
  chunk at a time), and ``Accept-Encoding`` is the SDK's, not aiohttp's ``gzip, deflate``.
* **lazy import**: aiohttp is imported with the first call's pool, not with the client.
* **closing under calls**: a call under way when its client is closed fails with the SDK's
  closed error, not a ``CancelledError`` nobody asked for.
"""

from __future__ import annotations

import asyncio
import functools
import time
from types import ModuleType
from typing import TYPE_CHECKING

from ecrclient._core.config import ClientConfig
from ecrclient._core.errors import SdkClientError
from ecrclient._core.messages import HttpRequest, HttpResponse
from ecrclient._transports.base import (
    BodyReader,
    LoopScope,
    cancelled_by_caller,
    capped,
    closed_client_error,
    current_loop,
    tls_for,
    with_accept_encoding,
    without_userinfo,
)
from ecrclient._transports.mocking import MOTO_MODELS, mocked_response, modules

if TYPE_CHECKING:
    import aiohttp

    from ecrclient._transports.aiohttp_wire import Exchange


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
            raise closed_client_error()
        loop = current_loop()
        session = self._session
        if session is None or self._loop is not loop or session.closed:
            self.close_nowait()  # another loop's pool: its sockets go with it
            session = self._session = wire().new_session(
                config.max_pool_connections, tls_for(config, url)
            )
            self._loop = loop
            self._scope = LoopScope(functools.partial(wire().close, session))
        return session

    async def send(self, request: HttpRequest, config: ClientConfig) -> HttpResponse:
        if MOTO_MODELS in modules and (mocked := mocked_response(request)) is not None:
            return mocked  # moto's mock_aws is active and serves this endpoint
        url = without_userinfo(request.url)
        session = self._pool(url, config)
        parts = wire()
        started = time.monotonic()
        exchange = parts.Exchange()
        token = parts.EXCHANGE.set(exchange)
        try:
            try:
                return await _exchange(session, url, request, config, started, exchange)
            except parts.STALE:
                if not exchange.reused:
                    raise
            exchange.fresh_only = True  # at once, once: the server closed what we reused
            return await _exchange(session, url, request, config, started, exchange)
        except SdkClientError:
            raise
        except Exception as exc:
            closing = self.closed and not cancelled_by_caller()
            failure = closed_client_error() if closing else parts.mapped(exc, request)
        except BaseException as exc:  # a cancellation: the close's, or the caller's own
            if self.closed and not cancelled_by_caller():
                raise closed_client_error() from exc
            raise
        finally:
            parts.EXCHANGE.reset(token)
        raise failure  # outside the handler: the mapping decides what chains

    async def aclose(self) -> None:
        self.closed = True
        session, self._session = self._session, None
        if session is not None and not session.closed:
            if self._loop is current_loop():
                await session.close()
            else:
                wire().drop(session)
        self._dismiss_scope()

    def close_nowait(self) -> None:
        session, self._session = self._session, None
        if session is not None and not session.closed:
            wire().drop(session)
        self._dismiss_scope()

    def _dismiss_scope(self) -> None:
        scope, self._scope = self._scope, None
        if scope is not None:
            scope.dismiss()


async def _exchange(
    session: aiohttp.ClientSession,
    url: str,
    request: HttpRequest,
    config: ClientConfig,
    started: float,
    exchange: Exchange,
) -> HttpResponse:
    """One request for ``request`` on ``session``, to ``url`` (its URL without userinfo), and
    its whole body, read through a :class:`BodyReader`."""
    cap = request.timeout_cap
    if cap is not None and exchange.fresh_only:
        cap = max(cap - (time.monotonic() - started), 0.0)  # the resend: what is left
    response = await session.request(
        request.method,
        url,
        data=request.body,
        headers=with_accept_encoding(request.headers),
        timeout=wire().timeout(
            total=cap,
            connect=capped(config.pool_timeout, cap),
            sock_connect=capped(config.connect_timeout, cap),
            sock_read=capped(config.read_timeout, cap),
        ),
        allow_redirects=False,
        proxy=(config.proxies or {}).get(url.split(":", 1)[0]),
    )
    try:
        headers = {name.lower(): value for name, value in response.headers.items()}
        reader = BodyReader(request, config, headers.get("content-encoding", ""))
        content = response.content
        while chunk := await content.readany():
            reader.add(chunk)
        return HttpResponse(status_code=response.status, headers=headers, body=reader.body())
    finally:
        response.release()


def wire() -> ModuleType:
    """:mod:`.aiohttp_wire`, imported (with aiohttp) on first use."""
    from ecrclient._transports import aiohttp_wire

    return aiohttp_wire
