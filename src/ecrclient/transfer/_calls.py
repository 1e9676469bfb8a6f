"""The public calls, turned into steps: argument checks and set-up shared by the sync API
(:mod:`ecrclient.transfer`) and the async one (:mod:`ecrclient.transfer.aio`), which differ only
in the driver they run the steps with."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

from ecrclient.transfer._digest import is_digest
from ecrclient.transfer._download import download_steps
from ecrclient.transfer._effects import RepositoryRef, Steps
from ecrclient.transfer._images import (
    copy_steps,
    pull_steps,
    push_steps,
    put_steps,
    retag_steps,
)
from ecrclient.transfer._media import parse_manifest
from ecrclient.transfer._progress import ProgressMeter
from ecrclient.transfer._results import (
    DownloadedBlob,
    ProgressCallback,
    TransferredImage,
    UploadedBlob,
)
from ecrclient.transfer._sources import BlobInput, open_source
from ecrclient.transfer._upload import upload_steps

StrPath = str | os.PathLike[str]


def _limit(max_concurrency: int) -> int:
    if max_concurrency < 1:
        raise ValueError(f"max_concurrency must be at least 1, got {max_concurrency}")
    return max_concurrency


def _tags(tags: Sequence[str] | None) -> list[str]:
    if isinstance(tags, str):
        raise TypeError(f"tags takes a list of tags; for one tag pass [{tags!r}]")
    return list(dict.fromkeys(tags or ()))


def upload(
    client: object,
    repository: str,
    source: BlobInput,
    *,
    digest: str | None,
    size: int | None,
    registry_id: str | None,
    progress: ProgressCallback | None,
) -> Steps[UploadedBlob]:
    blob = open_source(source, size)
    return upload_steps(
        RepositoryRef(client, repository, registry_id),
        blob,
        digest=digest,
        check_first=True,
        meter=ProgressMeter(progress, blob.size),
    )


def download(
    client: object,
    repository: str,
    digest: str,
    destination: StrPath | BinaryIO,
    *,
    size: int | None,
    registry_id: str | None,
    progress: ProgressCallback | None,
) -> Steps[DownloadedBlob]:
    target = Path(destination) if isinstance(destination, (str, os.PathLike)) else destination
    return download_steps(
        RepositoryRef(client, repository, registry_id),
        digest,
        target,
        size=size,
        meter=ProgressMeter(progress, size),
    )


def push(
    client: object,
    repository: str,
    layout: StrPath,
    *,
    reference: str | None,
    tags: Sequence[str],
    registry_id: str | None,
    max_concurrency: int,
    progress: ProgressCallback | None,
) -> Steps[TransferredImage]:
    return push_steps(
        RepositoryRef(client, repository, registry_id),
        Path(layout),
        reference,
        _tags(tags),
        _limit(max_concurrency),
        ProgressMeter(progress, 0),
    )


def pull(
    client: object,
    repository: str,
    reference: str,
    layout: StrPath,
    *,
    ref_name: str | None,
    registry_id: str | None,
    max_concurrency: int,
    progress: ProgressCallback | None,
) -> Steps[TransferredImage]:
    return pull_steps(
        RepositoryRef(client, repository, registry_id),
        reference,
        Path(layout),
        ref_name,
        _limit(max_concurrency),
        ProgressMeter(progress, 0),
    )


def put(
    client: object,
    repository: str,
    manifest: bytes | str,
    *,
    media_type: str | None,
    tags: Sequence[str],
    registry_id: str | None,
) -> Steps[TransferredImage]:
    data = manifest.encode("utf-8") if isinstance(manifest, str) else bytes(manifest)
    return put_steps(
        RepositoryRef(client, repository, registry_id),
        parse_manifest(data, media_type),
        _tags(tags),
    )


def retag(
    client: object,
    repository: str,
    reference: str,
    tags: Sequence[str],
    *,
    registry_id: str | None,
) -> Steps[TransferredImage]:
    wanted = _tags(tags)
    if not wanted:
        raise ValueError("retag needs at least one new tag")
    return retag_steps(RepositoryRef(client, repository, registry_id), reference, wanted)


def copy(
    source_client: object,
    source_repository: str,
    reference: str,
    destination_client: object,
    destination_repository: str,
    *,
    tags: Sequence[str] | None,
    source_registry_id: str | None,
    destination_registry_id: str | None,
    work_dir: StrPath | None,
    max_concurrency: int,
    progress: ProgressCallback | None,
) -> Steps[TransferredImage]:
    if tags is None:
        tags = [] if is_digest(reference) else [reference]
    return copy_steps(
        RepositoryRef(source_client, source_repository, source_registry_id),
        RepositoryRef(destination_client, destination_repository, destination_registry_id),
        reference,
        _tags(tags),
        Path(work_dir) if work_dir is not None else None,
        _limit(max_concurrency),
        ProgressMeter(progress, 0),
    )
