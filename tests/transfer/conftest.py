"""Fixtures of the transfer tests: a fresh local ECR registry server per test, and the transfer
API in both flavours behind one face (``kit``), so each behaviour is checked sync and async."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from support.ecr_registry_server import EcrRegistryServer

from ecrclient import AsyncECRClient, ClientConfig, ECRClient
from ecrclient import transfer as sync_api
from ecrclient.transfer import aio as async_api

PART_SIZE = 64 * 1024
"""Small parts, so that small test blobs still span several (and short middle parts fail)."""
REPOSITORY = "team/app"
KEYS = {"aws_access_key_id": "AKIDEXAMPLE", "aws_secret_access_key": "secret-key-example"}
FAST_RETRIES = ClientConfig(retry_rules="2026", read_timeout=20)
"""The 2026 retry rules back off from 50 ms: a retried dropped connection costs little time."""


@pytest.fixture
def registry() -> Iterator[EcrRegistryServer]:
    with EcrRegistryServer(part_size=PART_SIZE, min_part_size=PART_SIZE) as server:
        server.create_repository(REPOSITORY)
        yield server


class SyncKit:
    """The sync API with its client filled in: ``kit.push_image(repo, layout, ...)``."""

    kind = "sync"

    def __init__(self, endpoint: str, region: str = "us-east-1") -> None:
        self.ecr = ECRClient(region_name=region, endpoint_url=endpoint, config=FAST_RETRIES, **KEYS)

    def __getattr__(self, name: str) -> Callable[..., Any]:
        function = getattr(sync_api, name)
        return lambda *args, **kwargs: function(self.ecr, *args, **kwargs)

    def copy_image(self, source: str, reference: str, other: Any, target: str, **kw: Any) -> Any:
        return sync_api.copy_image(self.ecr, source, reference, other.ecr, target, **kw)

    def run(self, call: Callable[[], Any]) -> Any:
        return call()

    def close(self) -> None:
        self.ecr.close()


class AsyncKit:
    """The async API, each call run to completion on the kit's own event loop."""

    kind = "async"

    def __init__(self, endpoint: str, region: str = "us-east-1", loop: Any = None) -> None:
        self.loop = loop or asyncio.new_event_loop()
        self.ecr = AsyncECRClient(
            region_name=region, endpoint_url=endpoint, config=FAST_RETRIES, **KEYS
        )

    def __getattr__(self, name: str) -> Callable[..., Any]:
        function = getattr(async_api, name)
        return lambda *args, **kwargs: self.loop.run_until_complete(
            function(self.ecr, *args, **kwargs)
        )

    def copy_image(self, source: str, reference: str, other: Any, target: str, **kw: Any) -> Any:
        return self.loop.run_until_complete(
            async_api.copy_image(self.ecr, source, reference, other.ecr, target, **kw)
        )

    def run(self, call: Callable[[], Any]) -> Any:
        return self.loop.run_until_complete(call())

    def close(self) -> None:
        self.loop.run_until_complete(self.ecr.close())
        if not getattr(self, "_borrowed", False):
            self.loop.close()


Kit = SyncKit | AsyncKit


@pytest.fixture(params=["sync", "async"])
def kit(registry: EcrRegistryServer, request: pytest.FixtureRequest) -> Iterator[Kit]:
    made: Kit = (
        SyncKit(registry.endpoint) if request.param == "sync" else AsyncKit(registry.endpoint)
    )
    try:
        yield made
    finally:
        made.close()


@pytest.fixture
def twin(kit: Kit) -> Iterator[Callable[[str], Kit]]:
    """Another kit of the same flavour, on another endpoint (another region's registry)."""
    made: list[Kit] = []

    def make(endpoint: str) -> Kit:
        if isinstance(kit, SyncKit):
            other: Kit = SyncKit(endpoint, region="eu-west-1")
        else:
            other = AsyncKit(endpoint, region="eu-west-1", loop=kit.loop)
            other._borrowed = True  # type: ignore[attr-defined]
        made.append(other)
        return other

    yield make
    for other in made:
        other.close()
