"""The public calls, written once as steps: their parameters, defaults and docstrings, the
argument checks and the set-up. :mod:`ecrclient.transfer` publishes each with
:func:`~ecrclient._runtime.jobs.blocking` (taking an ``ECRClient``, run by the sync driver) and
:mod:`ecrclient.transfer.aio` with :func:`~ecrclient._runtime.jobs.awaiting` (taking an
``AsyncECRClient``, run by the async driver).

Each function checks its arguments and returns the steps of :mod:`._images`,
:mod:`._upload` or :mod:`._download`: a mistake in the arguments raises when the published
function is called (awaited, for the async one), before any I/O.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

from ecrclient._runtime.jobs import Client
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

DEFAULT_CONCURRENCY = 4
"""Blobs moved at once by the image functions, unless ``max_concurrency`` says otherwise."""


def _limit(max_concurrency: int) -> int:
    if max_concurrency < 1:
        raise ValueError(f"max_concurrency must be at least 1, got {max_concurrency}")
    return max_concurrency


def _tags(tags: Sequence[str] | None) -> list[str]:
    if isinstance(tags, str):
        raise TypeError(f"tags takes a list of tags; for one tag pass [{tags!r}]")
    return list(dict.fromkeys(tags or ()))


def upload_blob(
    client: Client,
    repository: str,
    source: BlobInput,
    *,
    digest: str | None = None,
    size: int | None = None,
    registry_id: str | None = None,
    progress: ProgressCallback | None = None,
) -> Steps[UploadedBlob]:
    """Upload one blob (a layer or a config) into ``repository``.

    ``source`` is bytes, a file's path, or a binary stream read from its current position (of
    known ``size`` or not). A source that can be read twice is hashed first, so that a blob ECR
    already holds is not sent again; a one-way stream is sent directly and its digest known at
    the end. ``digest``, when given, is what the bytes must hash to: otherwise
    :class:`~ecrclient.transfer.errors.DigestMismatchError` is raised and the upload is not
    completed. Returns the blob's digest and size, and whether it had to be sent.
    """
    blob = open_source(source, size)
    return upload_steps(
        RepositoryRef(client, repository, registry_id),
        blob,
        digest=digest,
        check_first=True,
        meter=ProgressMeter(progress, blob.size),
    )


def download_blob(
    client: Client,
    repository: str,
    digest: str,
    destination: StrPath | BinaryIO,
    *,
    size: int | None = None,
    registry_id: str | None = None,
    progress: ProgressCallback | None = None,
) -> Steps[DownloadedBlob]:
    """Download the blob ``digest`` of ``repository`` to ``destination``, a path or a writable
    binary stream, checking its digest (and ``size``, when given).

    A path is written aside and renamed into place once verified; on any failure the partial
    file is removed. Into a stream the bytes go directly, and on failure what was written is the
    caller's to discard. The layer URL is fetched with the client's TLS, proxy and timeout
    settings, and resumed with ``Range`` requests when the connection drops.
    """
    target = Path(destination) if isinstance(destination, (str, os.PathLike)) else destination
    return download_steps(
        RepositoryRef(client, repository, registry_id),
        digest,
        target,
        size=size,
        meter=ProgressMeter(progress, size),
    )


def push_image(
    client: Client,
    repository: str,
    layout: StrPath,
    *,
    reference: str | None = None,
    tags: Sequence[str] = (),
    registry_id: str | None = None,
    max_concurrency: int = DEFAULT_CONCURRENCY,
    progress: ProgressCallback | None = None,
) -> Steps[TransferredImage]:
    """Push an image from the OCI image layout folder ``layout`` into ``repository``.

    ``reference`` picks the image in the layout's ``index.json`` by its
    ``org.opencontainers.image.ref.name`` or its digest; it may be left out when the layout
    holds one image. The blobs ECR lacks are uploaded, ``max_concurrency`` at a time; then the
    manifests are stored with ``PutImage``, each child of an index (by digest) before the index,
    and the top one under each of ``tags`` (untagged when there are none). Manifests are sent as
    their exact bytes with their media type, so the image keeps its digest.
    """
    return push_steps(
        RepositoryRef(client, repository, registry_id),
        Path(layout),
        reference,
        _tags(tags),
        _limit(max_concurrency),
        ProgressMeter(progress, 0),
    )


def pull_image(
    client: Client,
    repository: str,
    reference: str,
    layout: StrPath,
    *,
    ref_name: str | None = None,
    registry_id: str | None = None,
    max_concurrency: int = DEFAULT_CONCURRENCY,
    progress: ProgressCallback | None = None,
) -> Steps[TransferredImage]:
    """Pull the image ``reference`` (a tag or a digest) of ``repository`` into the OCI image
    layout folder ``layout``, created if needed.

    Every manifest (all platforms of a multi-platform image) and every blob is written, blobs
    ``max_concurrency`` at a time; blobs the layout already holds are not downloaded again.
    ``index.json`` gains an entry named ``ref_name`` (default: the tag pulled; none for a
    digest), replacing an older entry of that name; other entries are kept.
    """
    return pull_steps(
        RepositoryRef(client, repository, registry_id),
        reference,
        Path(layout),
        ref_name,
        _limit(max_concurrency),
        ProgressMeter(progress, 0),
    )


def put_manifest(
    client: Client,
    repository: str,
    manifest: bytes | str,
    *,
    media_type: str | None = None,
    tags: Sequence[str] = (),
    registry_id: str | None = None,
) -> Steps[TransferredImage]:
    """Store a manifest (or index) whose blobs (or manifests) the repository already holds,
    under each of ``tags``, exactly as given.

    The media type is the manifest's ``mediaType`` field; ``media_type`` is needed only when the
    manifest has none, and must agree with it when it has (else
    :class:`~ecrclient.transfer.errors.MediaTypeError`, before anything is sent). A tag that
    already names this manifest is fine. Missing blobs raise
    :class:`~ecrclient.transfer.errors.MissingBlobsError` listing them.
    """
    data = manifest.encode("utf-8") if isinstance(manifest, str) else bytes(manifest)
    return put_steps(
        RepositoryRef(client, repository, registry_id),
        parse_manifest(data, media_type),
        _tags(tags),
    )


def retag(
    client: Client,
    repository: str,
    reference: str,
    tags: Sequence[str],
    *,
    registry_id: str | None = None,
) -> Steps[TransferredImage]:
    """Add ``tags`` to the image ``reference`` (a tag or a digest) of ``repository``.

    The stored manifest is stored again byte for byte with its media type, so the image keeps
    its digest; no blob moves. A tag that already names the image is fine; a tag naming another
    image moves to this one (unless the repository's tags are immutable: then
    :class:`~ecrclient.transfer.errors.ManifestError` caused by
    ``ImageTagAlreadyExistsException``).
    """
    wanted = _tags(tags)
    if not wanted:
        raise ValueError("retag needs at least one new tag")
    return retag_steps(RepositoryRef(client, repository, registry_id), reference, wanted)


def copy_image(
    source_client: Client,
    source_repository: str,
    reference: str,
    destination_client: Client,
    destination_repository: str,
    *,
    tags: Sequence[str] | None = None,
    source_registry_id: str | None = None,
    destination_registry_id: str | None = None,
    work_dir: StrPath | None = None,
    max_concurrency: int = DEFAULT_CONCURRENCY,
    progress: ProgressCallback | None = None,
) -> Steps[TransferredImage]:
    """Copy the image ``reference`` to another repository, account or region (clients may
    differ: one per region).

    Only the blobs the destination lacks move: each is downloaded into a private scratch folder
    (inside ``work_dir`` if given, else the system's temporary folder), uploaded, and deleted,
    ``max_concurrency`` at a time, so neither memory nor disk holds the whole image. Then the
    manifests are stored, unchanged. ``tags`` defaults to the source tag (none when
    ``reference`` is a digest). Within one repository, use :func:`retag`.
    """
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
