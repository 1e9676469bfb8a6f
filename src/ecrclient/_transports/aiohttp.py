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
)
from ecrclient._core.messages import HttpRequest, HttpResponse
from ecrclient._transports.base import capped, current_loop, tls_for
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
        aiohttp = self._aiohttp
        url = request.url
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
