"""Both async transports against servers that misbehave: connections closed without notice,
an interim answer followed by silence, bodies that trickle, never end or inflate, and a client
closed (or abandoned, or moved to another loop) with calls under way. Every server is a
:class:`FaultServer` on 127.0.0.1."""

from __future__ import annotations

import asyncio
import gc
import gzip
import time
import warnings
from collections.abc import Iterator
from typing import Any

import pytest
from faultserver import (
    CloseAfterAnswer,
    FaultServer,
    Interim,
    Json,
    Respond,
    Stall,
    Trickle,
    Unending,
)

from ecrclient import AsyncECRClient, ClientConfig
from ecrclient.errors import (
    DeadlineExceededError,
    ReadTimeoutError,
    ResponseTooLargeError,
    SdkClientError,
)

REGION = "us-east-1"
KEYS = {"aws_access_key_id": "AKIDEXAMPLE", "aws_secret_access_key": "secret"}
REGISTRY = Json(200, {"registryId": "123456789012"})
TRANSPORTS = ["default", "httpx"]
"""The default construction (aiohttp) and the explicit httpx transport."""


def make(url: str, transport: str, **config: Any) -> AsyncECRClient:
    options: dict[str, Any] = {} if transport == "default" else {"transport": transport}
    return AsyncECRClient(
        region_name=REGION, endpoint_url=url, config=ClientConfig(**config), **KEYS, **options
    )


@pytest.fixture
def server() -> Iterator[FaultServer]:
    with FaultServer() as running:
        yield running


def no_resource_warnings(caught: list[warnings.WarningMessage]) -> list[str]:
    return [str(w.message) for w in caught if issubclass(w.category, ResourceWarning)]


# -- connections the server closed without saying so ----------------------------------------


def test_a_server_closing_kept_alive_connections_silently_costs_no_retries(
    server: FaultServer,
) -> None:
    # aiohttp (the default) only: httpx's pool checks an idle connection before reusing it,
    # but does not resend a request that lost the race with the server's close.
    server.default = CloseAfterAnswer(REGISTRY)

    async def main() -> list[int]:
        async with make(server.url, "default") as client:
            results = [await client.describe_registry() for _ in range(200)]
        return [result.response_metadata.retry_attempts for result in results]

    started = time.monotonic()
    retries = asyncio.run(main())
    assert retries == [0] * 200  # no attempt failed: nothing spent from the retry quota
    assert time.monotonic() - started < 20  # and no backoff slept
    assert len(server.requests) == 200


# -- timeouts --------------------------------------------------------------------------------


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_the_read_timeout_holds_after_an_interim_answer(
    server: FaultServer, transport: str
) -> None:
    server.script([Interim(Stall(10, REGISTRY))])

    async def main() -> None:
        async with make(server.url, transport, read_timeout=0.5, max_attempts=1) as client:
            with pytest.raises(ReadTimeoutError):
                await client.describe_registry()

    started = time.monotonic()
    asyncio.run(main())
    assert time.monotonic() - started < 3


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_a_trickling_body_ends_at_the_deadline(server: FaultServer, transport: str) -> None:
    server.script([Trickle(b'{"registryId": "123456789012"}', interval=0.3)])

    async def main() -> None:
        async with make(server.url, transport, read_timeout=2, total_deadline=2) as client:
            with pytest.raises(DeadlineExceededError):
                await client.describe_registry()

    started = time.monotonic()
    asyncio.run(main())
    assert 1.8 < time.monotonic() - started < 3.0


# -- bodies ----------------------------------------------------------------------------------


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_an_endless_body_stops_at_the_size_cap(server: FaultServer, transport: str) -> None:
    server.script([Unending()])

    async def main() -> None:
        async with make(server.url, transport, max_response_bytes=2**20) as client:
            with pytest.raises(ResponseTooLargeError, match="max_response_bytes"):
                await client.describe_registry()

    started = time.monotonic()
    asyncio.run(main())
    assert time.monotonic() - started < 5
    assert len(server.requests) == 1  # never retried: it would answer the same


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_a_compressed_body_is_capped_at_its_inflated_size(
    server: FaultServer, transport: str
) -> None:
    bomb = gzip.compress(b" " * 16 * 2**20, compresslevel=9)
    assert len(bomb) < 2**20 // 8
    server.script([Respond(200, bomb, {"Content-Encoding": "gzip"})])

    async def main() -> None:
        async with make(server.url, transport, max_response_bytes=2**20) as client:
            with pytest.raises(ResponseTooLargeError):
                await client.describe_registry()

    asyncio.run(main())


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_no_compression_is_asked_for(server: FaultServer, transport: str) -> None:
    server.script([REGISTRY])

    async def main() -> None:
        async with make(server.url, transport) as client:
            await client.describe_registry()

    asyncio.run(main())
    assert server.requests[0].headers["accept-encoding"] == "identity"


# -- lifecycle -------------------------------------------------------------------------------


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_closing_under_calls_fails_them_with_the_closed_error(
    server: FaultServer, transport: str
) -> None:
    server.default = Stall(5, REGISTRY)

    async def main() -> list[BaseException | Any]:
        client = make(server.url, transport)
        calls = [asyncio.ensure_future(client.describe_registry()) for _ in range(5)]
        while len(server.requests) < 5:
            await asyncio.sleep(0.02)
        await client.close()
        return await asyncio.gather(*calls, return_exceptions=True)

    outcomes = asyncio.run(main())
    assert [type(outcome) for outcome in outcomes] == [SdkClientError] * 5
    assert all("closed" in str(outcome) for outcome in outcomes)


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_a_caller_cancelling_still_gets_its_cancellation(
    server: FaultServer, transport: str
) -> None:
    server.default = Stall(5, REGISTRY)

    async def main() -> None:
        client = make(server.url, transport)
        call = asyncio.ensure_future(client.describe_registry())
        while not server.requests:
            await asyncio.sleep(0.02)
        call.cancel()
        await client.close()
        with pytest.raises(asyncio.CancelledError):
            await call

    asyncio.run(main())


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_a_copy_refuses_calls_once_its_parent_is_closed(
    server: FaultServer, transport: str
) -> None:
    server.default = REGISTRY

    async def main() -> None:
        client = make(server.url, transport)
        copy = client.with_options(read_timeout=5)
        await copy.describe_registry()
        await client.close()
        assert copy.closed
        with pytest.raises(SdkClientError, match="closed"):
            await copy.describe_registry()

    asyncio.run(main())
    assert len(server.requests) == 1
    assert server.connections_accepted == 1  # the copy opened nothing after the close


@pytest.mark.filterwarnings("error::ResourceWarning")
@pytest.mark.parametrize("transport", TRANSPORTS)
def test_moving_to_another_loop_closes_the_first_loops_pool(
    server: FaultServer, transport: str
) -> None:
    server.default = REGISTRY
    client = make(server.url, transport)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        asyncio.run(client.describe_registry())
        gc.collect()
        asyncio.run(client.describe_registry())
        asyncio.run(client.close())
        gc.collect()
    assert no_resource_warnings(caught) == []
    assert server.connections_accepted == 2


@pytest.mark.filterwarnings("error::ResourceWarning")
@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("where", ["inside its loop", "after its loop"])
def test_a_client_collected_unclosed_leaves_no_resource_warning(
    server: FaultServer, transport: str, where: str
) -> None:
    server.default = REGISTRY

    async def use(forget: bool) -> AsyncECRClient | None:
        client = make(server.url, transport)
        await client.describe_registry()
        if not forget:
            return client
        del client
        gc.collect()
        await asyncio.sleep(0.05)  # the loop closes what it was handed
        return None

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        kept = asyncio.run(use(forget=where == "inside its loop"))
        del kept
        gc.collect()
    assert no_resource_warnings(caught) == []


def test_the_default_construction_and_the_aio_drop_in_send_with_aiohttp() -> None:
    import httpx

    import ecrclient.aio
    from ecrclient._transports.aiohttp import AiohttpTransport
    from ecrclient._transports.httpx import HttpxAsyncTransport

    assert isinstance(AsyncECRClient(region_name=REGION)._transport, AiohttpTransport)
    drop_in = ecrclient.aio.client("ecr", region_name=REGION)
    assert isinstance(drop_in._typed._transport, AiohttpTransport)
    # An httpx.AsyncClient of the caller's implies httpx; so does asking for it.
    supplied = AsyncECRClient(region_name=REGION, http_client=httpx.AsyncClient())
    assert isinstance(supplied._transport, HttpxAsyncTransport)
    chosen = AsyncECRClient(region_name=REGION, transport="httpx")
    assert isinstance(chosen._transport, HttpxAsyncTransport)
    with pytest.raises(ValueError, match="httpx"):
        AsyncECRClient(region_name=REGION, transport="aiohttp", http_client=httpx.AsyncClient())


def test_the_default_async_path_imports_neither_httpx_nor_more_than_it_uses() -> None:
    import subprocess
    import sys
    import textwrap

    script = textwrap.dedent(
        """
        import asyncio, socket, sys
        import ecrclient
        assert "aiohttp" not in sys.modules, "import ecrclient loads no transport"
        from ecrclient import AsyncECRClient, ClientConfig
        from ecrclient.errors import EndpointConnectionError

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]

        async def main():
            async with AsyncECRClient(
                region_name="us-east-1", endpoint_url=f"https://127.0.0.1:{port}",
                aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret",
                config=ClientConfig(max_attempts=1),
            ) as client:
                assert "aiohttp" not in sys.modules, "the first call's pool imports it"
                try:
                    await client.describe_registry()
                except EndpointConnectionError:
                    pass  # nothing listens: the TLS context was made all the same

        asyncio.run(main())
        print(sorted(m for m in ("httpx", "httpcore", "anyio") if m in sys.modules))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "[]"
