"""The async API of :mod:`ecrclient.transfer`: the same functions, taking an
:class:`~ecrclient.AsyncECRClient`, to be awaited::

    from ecrclient import AsyncECRClient
    from ecrclient.transfer import aio

    async with AsyncECRClient(region_name="eu-west-1") as ecr:
        pulled = await aio.pull_image(ecr, "team/web", "v1", "web-oci")

They run the very steps the sync functions run (see :mod:`ecrclient.transfer`), with an
``httpx.AsyncClient`` for layer downloads and one task per blob moved in parallel. Cancelling
the awaiting task stops the transfer at its next I/O and removes its partial files before
``CancelledError`` propagates.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import BinaryIO

from ecrclient import AsyncECRClient
from ecrclient.transfer import _calls
from ecrclient.transfer._async import run_async
from ecrclient.transfer._calls import StrPath
from ecrclient.transfer._results import (
    DownloadedBlob,
    ProgressCallback,
    TransferredImage,
    UploadedBlob,
)
from ecrclient.transfer._sources import BlobInput

DEFAULT_CONCURRENCY = 4


async def upload_blob(
    client: AsyncECRClient,
    repository: str,
    source: BlobInput,
    *,
    digest: str | None = None,
    size: int | None = None,
    registry_id: str | None = None,
    progress: ProgressCallback | None = None,
) -> UploadedBlob:
    """The async twin of :func:`ecrclient.transfer.upload_blob`."""
    return await run_async(
        _calls.upload(
            client,
            repository,
            source,
            digest=digest,
            size=size,
            registry_id=registry_id,
            progress=progress,
        )
    )


async def download_blob(
    client: AsyncECRClient,
    repository: str,
    digest: str,
    destination: StrPath | BinaryIO,
    *,
    size: int | None = None,
    registry_id: str | None = None,
    progress: ProgressCallback | None = None,
) -> DownloadedBlob:
    """The async twin of :func:`ecrclient.transfer.download_blob`."""
    return await run_async(
        _calls.download(
            client,
            repository,
            digest,
            destination,
            size=size,
            registry_id=registry_id,
            progress=progress,
        )
    )


async def push_image(
    client: AsyncECRClient,
    repository: str,
    layout: StrPath,
    *,
    reference: str | None = None,
    tags: Sequence[str] = (),
    registry_id: str | None = None,
    max_concurrency: int = DEFAULT_CONCURRENCY,
    progress: ProgressCallback | None = None,
) -> TransferredImage:
    """The async twin of :func:`ecrclient.transfer.push_image`."""
    return await run_async(
        _calls.push(
            client,
            repository,
            layout,
            reference=reference,
            tags=tags,
            registry_id=registry_id,
            max_concurrency=max_concurrency,
            progress=progress,
        )
    )


async def pull_image(
    client: AsyncECRClient,
    repository: str,
    reference: str,
    layout: StrPath,
    *,
    ref_name: str | None = None,
    registry_id: str | None = None,
    max_concurrency: int = DEFAULT_CONCURRENCY,
    progress: ProgressCallback | None = None,
) -> TransferredImage:
    """The async twin of :func:`ecrclient.transfer.pull_image`."""
    return await run_async(
        _calls.pull(
            client,
            repository,
            reference,
            layout,
            ref_name=ref_name,
            registry_id=registry_id,
            max_concurrency=max_concurrency,
            progress=progress,
        )
    )


async def put_manifest(
    client: AsyncECRClient,
    repository: str,
    manifest: bytes | str,
    *,
    media_type: str | None = None,
    tags: Sequence[str] = (),
    registry_id: str | None = None,
) -> TransferredImage:
    """The async twin of :func:`ecrclient.transfer.put_manifest`."""
    return await run_async(
        _calls.put(
            client,
            repository,
            manifest,
            media_type=media_type,
            tags=tags,
            registry_id=registry_id,
        )
    )


async def retag(
    client: AsyncECRClient,
    repository: str,
    reference: str,
    tags: Sequence[str],
    *,
    registry_id: str | None = None,
) -> TransferredImage:
    """The async twin of :func:`ecrclient.transfer.retag`."""
    return await run_async(
        _calls.retag(client, repository, reference, tags, registry_id=registry_id)
    )


async def copy_image(
    source_client: AsyncECRClient,
    source_repository: str,
    reference: str,
    destination_client: AsyncECRClient,
    destination_repository: str,
    *,
    tags: Sequence[str] | None = None,
    source_registry_id: str | None = None,
    destination_registry_id: str | None = None,
    work_dir: StrPath | None = None,
    max_concurrency: int = DEFAULT_CONCURRENCY,
    progress: ProgressCallback | None = None,
) -> TransferredImage:
    """The async twin of :func:`ecrclient.transfer.copy_image`."""
    return await run_async(
        _calls.copy(
            source_client,
            source_repository,
            reference,
            destination_client,
            destination_repository,
            tags=tags,
            source_registry_id=source_registry_id,
            destination_registry_id=destination_registry_id,
            work_dir=work_dir,
            max_concurrency=max_concurrency,
            progress=progress,
        )
    )


__all__ = [
    "copy_image",
    "download_blob",
    "pull_image",
    "push_image",
    "put_manifest",
    "retag",
    "upload_blob",
]
