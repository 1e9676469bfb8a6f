"""aiohttp: the async client's transport for high request rates (``ecrclient[aiohttp]``).

Like the httpx one, it creates its connection pool lazily, inside the event loop that first
uses it, and makes a new one if a later call runs in another loop (a pool cannot outlive its
loop), so a client may be created outside any loop and used from ``asyncio.run`` after
``asyncio.run``. ``close_nowait`` drops connections without a loop, for garbage collection.
"""

from __future__ import annotations

import asyncio
from typing import Any

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
    capped,
    current_loop,
    network_failure,
    tls_for,
    unsent_failure,
    without_userinfo,
)
from ecrclient._transports.mocking import MOTO_MODELS, mocked_response, modules


class AiohttpTransport:
    """aiohttp, for high request rates (``pip install "ecrclient[aiohttp]"``).

    Failures map to the same SDK errors as with httpx: a refused or unreachable endpoint to
    :class:`EndpointConnectionError`, a connection closed mid-response or a truncated body to
    :class:`ConnectionClosedError`, and the connect and read timeouts to their own errors.
    """

    def __init__(self) -> None:
        import aiohttp

        self._aiohttp = aiohttp
        self._session: Any = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def _pool(self, url: str, config: ClientConfig) -> Any:
        loop = current_loop()
        if self._session is None or self._loop is not loop or self._session.closed:
            aiohttp = self._aiohttp
            ssl = tls_for(config, url)
            self.close_nowait()
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=config.max_pool_connections, ssl=ssl),
                skip_auto_headers=("User-Agent",),
                auto_decompress=True,
                trust_env=False,
            )
            self._loop = loop
        return self._session

    def _timeout(self, request: HttpRequest, config: ClientConfig) -> Any:
        cap = request.timeout_cap
        return self._aiohttp.ClientTimeout(
            total=cap,
            connect=capped(config.pool_timeout, cap),
            sock_connect=capped(config.connect_timeout, cap),
            sock_read=capped(config.read_timeout, cap),
        )

    async def send(self, request: HttpRequest, config: ClientConfig) -> HttpResponse:
        if MOTO_MODELS in modules and (mocked := mocked_response(request)) is not None:
            return mocked  # moto's mock_aws is active and serves this endpoint
        url = without_userinfo(request.url)
        session = self._pool(url, config)
        try:
            async with session.request(
                request.method,
                url,
                data=request.body,
                headers=request.headers,
                timeout=self._timeout(request, config),
                allow_redirects=False,
                proxy=(config.proxies or {}).get(url.split(":", 1)[0]),
            ) as response:
                body = await response.read()
                headers = {name.lower(): value for name, value in response.headers.items()}
                return HttpResponse(status_code=response.status, headers=headers, body=body)
        except Exception as exc:
            failure = self._map_error(exc, request)
        raise failure  # outside the handler: the mapping decides what chains

    def _map_error(self, exc: Exception, request: HttpRequest) -> SdkClientError:
        """The SDK error for an aiohttp failure while sending ``request``, its message redacted
        (see :func:`~ecrclient._transports.base.network_failure`)."""
        aiohttp = self._aiohttp
        if isinstance(exc, SdkClientError):
            return exc
        mapping: list[tuple[Any, type[NetworkError], str]] = [
            (aiohttp.ConnectionTimeoutError, ConnectTimeoutError, "connect timeout"),
            ((aiohttp.SocketTimeoutError, asyncio.TimeoutError), ReadTimeoutError, "read timeout"),
            (aiohttp.ClientConnectorError, EndpointConnectionError, "could not connect"),
            (
                (aiohttp.ServerDisconnectedError, aiohttp.ClientPayloadError),
                ConnectionClosedError,
                "connection closed mid-response",
            ),
            (
                (aiohttp.ClientOSError, aiohttp.ClientResponseError),
                ConnectionClosedError,
                "connection broke",
            ),
            (aiohttp.ClientError, NetworkError, "network error"),
        ]
        for library_types, error_type, what in mapping:
            if isinstance(exc, library_types):
                if error_type is ReadTimeoutError and not str(exc):
                    what = "read timeout (no data in time)"
                return network_failure(error_type, what, exc, request)
        # A header value or URL aiohttp cannot use: refused before anything was sent.
        return unsent_failure(exc, request)

    async def aclose(self) -> None:
        session, self._session = self._session, None
        if session is not None and not session.closed:
            if self._loop is current_loop():
                await session.close()
            else:
                _drop(session)

    def close_nowait(self) -> None:
        session, self._session = self._session, None
        if session is not None and not session.closed:
            _drop(session)


def _drop(session: Any) -> None:
    """Release an aiohttp session's sockets without its loop, and without the
    "Unclosed client session" / "Unclosed connector" warnings."""
    connector = session.connector
    session.detach()
    if connector is not None and not connector.closed:
        connector._close()
