"""Async transports: how :class:`AsyncECRClient` sends an :class:`HttpRequest`.

Both transports create their connection pool lazily, inside the event loop that first uses
them, and make a new one if a later call runs in another loop (a pool cannot outlive its loop),
so a client may be created outside any loop and used from ``asyncio.run`` after ``asyncio.run``.
``close_nowait`` drops connections without a loop, for garbage collection.
"""

from __future__ import annotations

import asyncio
from typing import Any, Protocol

from ecrclient import _transport
from ecrclient._core.config import ClientConfig
from ecrclient._core.errors import (
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NetworkError,
    ReadTimeoutError,
)
from ecrclient._core.messages import HttpRequest, HttpResponse


class AsyncTransport(Protocol):
    async def send(self, request: HttpRequest) -> HttpResponse: ...

    async def aclose(self) -> None: ...

    def close_nowait(self) -> None: ...


def _current_loop() -> asyncio.AbstractEventLoop:
    return asyncio.get_running_loop()


class HttpxAsyncTransport:
    """``httpx.AsyncClient``, the default."""

    def __init__(self, config: ClientConfig, client: Any = None) -> None:
        self._config = config
        self._supplied = client
        self._client: Any = client
        self._loop: asyncio.AbstractEventLoop | None = None

    def _pool(self, url: str) -> Any:
        if self._supplied is not None:
            return self._supplied
        loop = _current_loop()
        if self._client is None or self._loop is not loop:
            import httpx

            self._client = httpx.AsyncClient(
                **_transport.client_options(self._config, url, asynchronous=True)
            )
            self._loop = loop
        return self._client

    async def send(self, request: HttpRequest) -> HttpResponse:
        return await _transport.send_async(
            self._pool(request.url),
            request,
            own_timeouts=self._supplied is None,
            config=self._config,
        )

    async def aclose(self) -> None:
        client, self._client = self._client, None
        if client is not None and self._supplied is None and self._loop is _current_loop():
            await client.aclose()

    def close_nowait(self) -> None:
        # httpx's async pool needs its loop to close; dropping it releases the sockets.
        self._client = None


class AiohttpTransport:
    """aiohttp, for high request rates (``pip install "ecrclient[aiohttp]"``).

    Failures map to the same SDK errors as with httpx: a refused or unreachable endpoint to
    :class:`EndpointConnectionError`, a connection closed mid-response or a truncated body to
    :class:`ConnectionClosedError`, and the connect and read timeouts to their own errors.
    """

    def __init__(self, config: ClientConfig) -> None:
        import aiohttp

        self._aiohttp = aiohttp
        self._config = config
        self._session: Any = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def _pool(self, url: str) -> Any:
        loop = _current_loop()
        if self._session is None or self._loop is not loop or self._session.closed:
            aiohttp = self._aiohttp
            ssl = _transport.tls_for(self._config, url)
            self.close_nowait()
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._config.max_pool_connections, ssl=ssl),
                skip_auto_headers=("User-Agent",),
                auto_decompress=True,
                trust_env=False,
            )
            self._loop = loop
        return self._session

    def _timeout(self, request: HttpRequest) -> Any:
        config, cap = self._config, request.timeout_cap

        def capped(value: float | None) -> float | None:
            if cap is None:
                return value
            return cap if value is None else min(value, cap)

        return self._aiohttp.ClientTimeout(
            total=cap,
            connect=capped(config.pool_timeout),
            sock_connect=capped(config.connect_timeout),
            sock_read=capped(config.read_timeout),
        )

    async def send(self, request: HttpRequest) -> HttpResponse:
        aiohttp = self._aiohttp
        url = request.url
        session = self._pool(url)
        try:
            async with session.request(
                request.method,
                url,
                data=request.body,
                headers=request.headers,
                timeout=self._timeout(request),
                allow_redirects=False,
                proxy=(self._config.proxies or {}).get(url.split(":", 1)[0]),
            ) as response:
                body = await response.read()
                headers = {name.lower(): value for name, value in response.headers.items()}
                return HttpResponse(status_code=response.status, headers=headers, body=body)
        except aiohttp.ConnectionTimeoutError as exc:
            raise ConnectTimeoutError(
                f"connect timeout calling {url}: {exc}", endpoint_url=url
            ) from exc
        except (aiohttp.SocketTimeoutError, asyncio.TimeoutError) as exc:
            raise ReadTimeoutError(
                f"read timeout calling {url}: {exc or 'no data in time'}", endpoint_url=url
            ) from exc
        except aiohttp.ClientConnectorError as exc:
            raise EndpointConnectionError(
                f"could not connect calling {url}: {exc}", endpoint_url=url
            ) from exc
        except (aiohttp.ServerDisconnectedError, aiohttp.ClientPayloadError) as exc:
            raise ConnectionClosedError(
                f"connection closed mid-response calling {url}: {exc}", endpoint_url=url
            ) from exc
        except (aiohttp.ClientOSError, aiohttp.ClientResponseError) as exc:
            raise ConnectionClosedError(
                f"connection broke calling {url}: {exc}", endpoint_url=url
            ) from exc
        except aiohttp.ClientError as exc:
            raise NetworkError(f"network error calling {url}: {exc}", endpoint_url=url) from exc

    async def aclose(self) -> None:
        session, self._session = self._session, None
        if session is not None and not session.closed:
            if self._loop is _current_loop():
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
