"""``AsyncECRClient``: the typed client for asyncio, a thin I/O shell over the same pipeline.

It shares every step with :class:`ECRClient` — validation, serialization, signing, parsing,
retry decisions, clock-skew correction, metadata — and differs only in awaiting the transport,
the sleeps and (off the event loop) credential resolution that may block.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Literal

from ecrclient._core.credentials import FrozenCredentials
from ecrclient._core.errors import SdkClientError
from ecrclient._core.operation import OperationSpec
from ecrclient._core.pipeline import Call
from ecrclient._core.redaction import redact_url
from ecrclient._generated.async_operations import AsyncECROperations
from ecrclient._runtime import retry_driver
from ecrclient._runtime.base_client import BaseClient, ClientOptions
from ecrclient._runtime.operations import load_operation
from ecrclient._transports.base import AsyncTransport, closed_client_error

if TYPE_CHECKING:
    import httpx
    from typing_extensions import Unpack

    from ecrclient._runtime.paging import AsyncECRPaginators
    from ecrclient._runtime.waiting import AsyncECRWaiters


class AsyncECRClient(BaseClient, AsyncECROperations):
    """Amazon ECR, typed and async: ``await client.describe_images(...)``.

    Usable with ``async with`` or without it (``await client.close()`` at shutdown; closing
    twice is harmless). Creating it binds it to no event loop: the connection pool is made in
    the loop of the first call, and remade if a later call runs in another loop. A client
    garbage-collected unclosed drops its connections quietly.

    It sends with aiohttp, which keeps its pace with many calls in flight;
    ``transport="httpx"`` sends with httpx instead, and ``http_client`` supplies (and keeps
    owned by the caller) an ``httpx.AsyncClient``, which implies httpx.

    Closing the client fails the calls still under way with the SDK's closed error (a
    :class:`~ecrclient.errors.SdkClientError`), and its ``with_options`` copies refuse calls
    from then on.
    """

    def __init__(
        self,
        *,
        http_client: httpx.AsyncClient | None = None,
        transport: Literal["httpx", "aiohttp"] | None = None,
        **options: Unpack[ClientOptions],
    ) -> None:
        super().__init__(**options)
        self._transport: AsyncTransport
        if transport is None:
            transport = "httpx" if http_client is not None else "aiohttp"
        if transport == "aiohttp":
            if http_client is not None:
                raise ValueError("http_client is an httpx.AsyncClient; it needs transport='httpx'")
            from ecrclient._transports.aiohttp import AiohttpTransport

            self._transport = AiohttpTransport()
        elif transport == "httpx":
            from ecrclient._transports.httpx import HttpxAsyncTransport

            self._transport = HttpxAsyncTransport(http_client)
        else:
            raise ValueError(f"transport must be 'httpx' or 'aiohttp', got {transport!r}")
        self._owns_transport = True
        self._closed = False
        self._sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
        self._waiters: AsyncECRWaiters | None = None

    @property
    def paginators(self) -> AsyncECRPaginators:
        """Async paginators: ``async for item in client.paginators.list_images(...)``."""
        from ecrclient._runtime.paging import AsyncECRPaginators

        return AsyncECRPaginators(self)

    @property
    def waiters(self) -> AsyncECRWaiters:
        """Async waiters: ``await client.waiters.image_scan_complete.wait(...)``."""
        from ecrclient._runtime.waiting import AsyncECRWaiters

        return self._kept_waiters(AsyncECRWaiters)

    # -- lifecycle ---------------------------------------------------------------------------

    async def close(self) -> None:
        """Release the connections (unless the caller supplied the HTTP client). Idempotent."""
        self._closed = True
        self._waiters = None
        if self._owns_transport:
            await self._transport.aclose()

    async def __aenter__(self) -> AsyncECRClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    def __del__(self) -> None:
        if getattr(self, "_owns_transport", False) and not getattr(self, "_closed", True):
            self._transport.close_nowait()

    def __repr__(self) -> str:
        return (
            f"AsyncECRClient(region_name={self._region!r}, "
            f"endpoint_url={redact_url(self._endpoint_url)!r})"
        )

    # -- the call ----------------------------------------------------------------------------

    async def _invoke(self, operation: str, request: Any, kwargs: dict[str, Any]) -> Any:
        spec = load_operation(operation)
        return await self._run(spec, self._prepare(spec, request, kwargs))

    async def _run(self, spec: OperationSpec, request: Any) -> Any:
        if self._closed or self._transport.closed:
            raise closed_client_error()
        if (stand_in := self._stand_in.answer) is not None:
            return stand_in(spec, request)
        call = self._pipeline.start(spec, request, self._policy, self._interceptors)
        return await retry_driver.arun(call, self._attempt, self._pause)

    async def _attempt(self, call: Call) -> Any:
        await self._pause(call.send_delay())
        http_request = call.next_request(await self._credentials())
        started = time.perf_counter()
        try:
            response = call.provided_response or await self._transport.send(
                http_request, self._config
            )
        except SdkClientError as exc:
            return call.failed(exc)
        return call.finish(response, time.perf_counter() - started)

    async def _credentials(self) -> FrozenCredentials:
        source = self._pipeline.credentials
        if source.may_block():
            # The provider chain and refreshes read files and call metadata endpoints.
            return await asyncio.to_thread(source.frozen)
        return source.frozen()

    async def _pause(self, seconds: float) -> None:
        if seconds > 0:
            await self._sleep(seconds)
