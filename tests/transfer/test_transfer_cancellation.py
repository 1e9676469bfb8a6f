"""Stopping a transfer half-way — a cancelled task, ``KeyboardInterrupt`` — leaves no
half-written file behind, and no ``index.json`` naming an image whose blobs are not all there."""

from __future__ import annotations

import asyncio
import random
from pathlib import Path

import pytest
from support.ecr_registry_server import EcrRegistryServer
from support.oci_images import multi_platform_image, single_image
from support.transfer_fixtures import registry_fixture  # noqa: F401 - pytest finds fixtures by their names
from support.transfer_kits import FAST_RETRIES, KEYS, REPOSITORY, SyncKit

from ecrclient import AsyncECRClient
from ecrclient.transfer import aio


def leftovers(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def partials(folder: Path) -> list[str]:
    return [name for name in leftovers(folder) if name.endswith(".partial")]


@pytest.fixture
def pushed(registry: EcrRegistryServer, tmp_path: Path):  # type: ignore[no-untyped-def]
    """A multi-platform image in the registry, with one big layer to stall on."""
    image = multi_platform_image(tmp_path / "built")
    big = random.Random(3).randbytes(600_000)
    kit = SyncKit(registry.endpoint)
    kit.push_image(REPOSITORY, image.layout, tags=["v1"])
    single = single_image(tmp_path / "single", layer_sizes=(len(big),))
    kit.push_image(REPOSITORY, single.layout, tags=["single"])
    kit.close()
    registry.clear_log()
    return image, single


def run_and_cancel(registry: EcrRegistryServer, start) -> None:  # type: ignore[no-untyped-def]
    """Start ``start(client)`` as a task, cancel it once the server stalls mid-download, and
    check that it ends with ``CancelledError``."""

    async def scenario() -> None:
        async with AsyncECRClient(
            region_name="us-east-1", endpoint_url=registry.endpoint, config=FAST_RETRIES, **KEYS
        ) as client:
            task = asyncio.ensure_future(start(client))
            for _ in range(500):
                if registry.faults.stalled.is_set() or task.done():
                    break
                await asyncio.sleep(0.01)
            assert registry.faults.stalled.is_set(), "the download never reached the stall"
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            registry.faults.stall_released.set()

    asyncio.run(scenario())


def test_a_cancelled_download_leaves_no_partial_file(
    registry: EcrRegistryServer, pushed, tmp_path: Path
) -> None:
    _, single = pushed
    layer = single.blobs[1]
    registry.faults.stall_download(after_bytes=200_000)
    target = tmp_path / "out"
    target.mkdir()

    run_and_cancel(
        registry, lambda client: aio.download_blob(client, REPOSITORY, layer, target / "blob")
    )

    assert leftovers(target) == []


def test_a_cancelled_pull_leaves_no_partial_file_and_no_index(
    registry: EcrRegistryServer, pushed, tmp_path: Path
) -> None:
    registry.faults.stall_download(after_bytes=20_000)
    target = tmp_path / "pulled"

    run_and_cancel(
        registry,
        lambda client: aio.pull_image(client, REPOSITORY, "v1", target, max_concurrency=2),
    )

    assert partials(target) == []
    assert not (target / "index.json").exists()
    assert all(name.startswith("blobs/sha256/") for name in leftovers(target))


def test_an_interrupted_parallel_pull_leaves_no_partial_file(
    registry: EcrRegistryServer, pushed, tmp_path: Path
) -> None:
    kit = SyncKit(registry.endpoint)
    target = tmp_path / "pulled"

    def interrupt(done: int, total: int | None) -> None:
        if done > 150_000:
            raise KeyboardInterrupt

    try:
        with pytest.raises(KeyboardInterrupt):
            kit.pull_image(REPOSITORY, "v1", target, max_concurrency=3, progress=interrupt)
    finally:
        kit.close()
    assert partials(target) == []
    assert not (target / "index.json").exists()


def test_a_failing_blob_stops_its_siblings_and_cleans_up(
    registry: EcrRegistryServer, pushed, tmp_path: Path
) -> None:
    registry.faults.corrupt_download()
    kit = SyncKit(registry.endpoint)
    target = tmp_path / "pulled"
    try:
        with pytest.raises(Exception, match="has digest"):
            kit.pull_image(REPOSITORY, "v1", target, max_concurrency=3)
    finally:
        kit.close()
    assert partials(target) == []
    assert not (target / "index.json").exists()
