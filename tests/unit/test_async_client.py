"""What only the async client has: concurrency, event-loop independence, lifecycle without
``async with``, quiet garbage collection, credentials off the loop, and two transports that
fail alike. The shared behaviour is covered by the suites parametrized over every client."""

from __future__ import annotations

import asyncio
import gc
import logging
import threading
import uuid
import warnings
from typing import Any

import pytest
from faultserver import FaultServer, Json, ResetAfterRead, Stall, Truncated

import ecrclient.aio
from ecrclient import AsyncECRClient, ClientConfig
from ecrclient.errors import (
    ConnectionClosedError,
    EndpointConnectionError,
    ReadTimeoutError,
    RepositoryNotFoundException,
    SdkClientError,
)

REGION = "us-east-1"
KEYS = {"aws_access_key_id": "AKIDEXAMPLE", "aws_secret_access_key": "secret"}
TRANSPORTS = ["httpx", "aiohttp"]


def make(endpoint: str, transport: str, **config: Any) -> AsyncECRClient:
    return AsyncECRClient(
        region_name=REGION,
        endpoint_url=endpoint,
        transport=transport,  # type: ignore[arg-type]
        config=ClientConfig(**config),
        **KEYS,
    )


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_200_concurrent_calls_through_one_client(moto_endpoint: str, transport: str) -> None:
    names = [f"conc-{transport}-{uuid.uuid4().hex[:6]}-{n}" for n in range(8)]

    async def main() -> None:
        client = make(moto_endpoint, transport, max_pool_connections=20)
        try:
            await asyncio.gather(*(client.create_repository(repository_name=n) for n in names))
            wanted = [names[i % len(names)] for i in range(200)]
            results = await asyncio.gather(
                *(client.describe_repositories(repository_names=[name]) for name in wanted)
            )
            got = [r.repositories[0].repository_name for r in results]
            assert got == wanted  # each answer reached the call that asked for it
            assert all(r.response_metadata.http_status_code == 200 for r in results)
        finally:
            await asyncio.gather(
                *(client.delete_repository(repository_name=n, force=True) for n in names)
            )
            await client.close()

    asyncio.run(main())


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_created_outside_any_loop_and_used_from_two_loops(
    moto_endpoint: str, transport: str
) -> None:
    client = make(moto_endpoint, transport)  # no loop is running here
    first = asyncio.run(client.describe_registry())
    second = asyncio.run(client.describe_registry())  # a new loop: a new pool, no hang
    assert first.registry_id == second.registry_id
    asyncio.run(client.close())
    asyncio.run(client.close())  # closing twice is harmless


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_usable_without_async_with_and_refuses_calls_after_close(
    moto_endpoint: str, transport: str
) -> None:
    async def main() -> None:
        client = make(moto_endpoint, transport)
        await client.describe_registry()
        await client.close()
        with pytest.raises(SdkClientError, match="closed"):
            await client.describe_registry()
        async with make(moto_endpoint, transport) as scoped:
            await scoped.describe_registry()

    asyncio.run(main())


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_garbage_collected_unclosed_client_is_quiet(
    moto_endpoint: str, transport: str, caplog: pytest.LogCaptureFixture
) -> None:
    async def use_and_forget() -> None:
        client = make(moto_endpoint, transport)
        await client.describe_registry()
        del client
        gc.collect()

    with warnings.catch_warnings(record=True) as caught, caplog.at_level(logging.WARNING):
        warnings.simplefilter("always")
        asyncio.run(use_and_forget())
        gc.collect()
    noise = [str(w.message) for w in caught if "nclosed" in str(w.message)]
    noise += [r.getMessage() for r in caplog.records if "nclosed" in r.getMessage()]
    assert noise == []


def test_credential_chain_runs_off_the_event_loop(
    moto_endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ecrclient._settings.credentials import CredentialSource

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDFROMENV")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "env-secret")
    threads: list[str] = []
    original = CredentialSource.frozen

    def recording(self: CredentialSource) -> Any:
        threads.append(threading.current_thread().name)
        return original(self)

    monkeypatch.setattr(CredentialSource, "frozen", recording)

    async def main() -> str:
        client = AsyncECRClient(region_name=REGION, endpoint_url=moto_endpoint)
        try:
            await client.describe_registry()
            await client.describe_registry()
        finally:
            await client.close()
        return threading.current_thread().name

    loop_thread = asyncio.run(main())
    # The first resolution (files, environment, metadata endpoints) ran in a worker thread;
    # later calls read the resolved static keys without leaving the loop.
    assert threads[0] != loop_thread
    assert threads[1] == loop_thread


FAILURES = [
    pytest.param(ResetAfterRead(), ConnectionClosedError, id="reset-after-read"),
    pytest.param(Stall(1.0), ReadTimeoutError, id="stall-past-read-timeout"),
    pytest.param(Truncated(), ConnectionClosedError, id="truncated-body"),
]


@pytest.mark.parametrize(("action", "expected"), FAILURES)
@pytest.mark.parametrize("transport", TRANSPORTS)
def test_both_transports_map_failures_alike(
    transport: str, action: Any, expected: type[Exception]
) -> None:
    with FaultServer() as server:
        server.script([action])

        async def main() -> None:
            client = make(server.url, transport, max_attempts=1, read_timeout=0.3)
            try:
                with pytest.raises(expected) as info:
                    await client.describe_registry()
                assert server.url in str(info.value)
            finally:
                await client.close()

        asyncio.run(main())


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_transient_failures_are_retried_the_same_way(transport: str) -> None:
    with FaultServer() as server:
        server.script([ResetAfterRead(), Json(200, {"registryId": "123456789012"})])

        async def main() -> int:
            client = make(server.url, transport)
            client._sleep = _no_sleep
            try:
                result = await client.describe_registry()
            finally:
                await client.close()
            return result.response_metadata.retry_attempts

        assert asyncio.run(main()) == 1
        assert len(server.requests) == 2


async def _no_sleep(seconds: float) -> None:
    return None


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_refused_connection(transport: str) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]

    async def main() -> None:
        client = make(f"http://127.0.0.1:{port}", transport, max_attempts=1)
        with pytest.raises(EndpointConnectionError):
            await client.describe_registry()
        await client.close()

    asyncio.run(main())


def test_aio_drop_in_returns_what_the_sync_drop_in_returns(moto_endpoint: str) -> None:
    name = f"aio-{uuid.uuid4().hex[:8]}"
    sync = ecrclient.client("ecr", region_name=REGION, endpoint_url=moto_endpoint, **KEYS)
    sync.create_repository(repositoryName=name)
    try:
        expected = sync.describe_repositories(repositoryNames=[name])

        async def main() -> tuple[Any, Any, Any]:
            async with ecrclient.aio.client(
                "ecr", region_name=REGION, endpoint_url=moto_endpoint, **KEYS
            ) as client:
                got = await client.describe_repositories(repositoryNames=[name])
                pages = [
                    page
                    async for page in client.get_paginator("describe_repositories").paginate(
                        repositoryNames=[name]
                    )
                ]
                with pytest.raises(client.exceptions.RepositoryNotFoundException) as info:
                    await client.describe_repositories(repositoryNames=[name + "-missing"])
                return got, pages, info.value

        got, pages, error = asyncio.run(main())
        assert got["repositories"] == expected["repositories"]
        assert set(got["ResponseMetadata"]) == set(expected["ResponseMetadata"])
        assert pages[0]["repositories"] == expected["repositories"]
        assert isinstance(error, RepositoryNotFoundException)
        assert error.response["Error"]["Code"] == "RepositoryNotFoundException"
    finally:
        sync.delete_repository(repositoryName=name, force=True)
        sync.close()


def test_sniffio_is_installed_so_httpx_does_not_retry_its_import() -> None:
    import importlib.util

    assert importlib.util.find_spec("sniffio") is not None
