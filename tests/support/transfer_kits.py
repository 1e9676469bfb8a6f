"""The transfer API in both flavours behind one face, for the transfer tests: a ``SyncKit`` or
``AsyncKit`` fills in its client, so ``kit.push_image(repository, layout)`` runs the sync
function or runs the async one to completion."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from ecrclient import AsyncECRClient, ClientConfig, ECRClient
from ecrclient import transfer as sync_api
from ecrclient.transfer import aio as async_api

PART_SIZE = 64 * 1024
"""Small parts, so that small test blobs still span several (and short middle parts fail)."""
REPOSITORY = "team/app"
KEYS = {"aws_access_key_id": "AKIDEXAMPLE", "aws_secret_access_key": "secret-key-example"}
FAST_RETRIES = ClientConfig(retry_rules="2026", read_timeout=20)
"""The 2026 retry rules back off from 50 ms: a retried dropped connection costs little time."""


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
