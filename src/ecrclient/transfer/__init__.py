"""Moving images and blobs in and out of ECR: upload, download, push, pull, copy, retag.

Synchronous functions taking an :class:`~ecrclient.ECRClient`; the same functions, async and
taking an :class:`~ecrclient.AsyncECRClient`, are in :mod:`ecrclient.transfer.aio`::

    from ecrclient import ECRClient
    from ecrclient.transfer import push_image

    with ECRClient(region_name="eu-west-1") as ecr:
        pushed = push_image(ecr, "team/web", "build/oci", tags=["v1"])
        print(pushed.digest)

Images are read from and written to OCI image layouts (a folder with ``oci-layout``,
``index.json`` and ``blobs/sha256/``), the format ``skopeo``, ``umoci``, ``buildah``,
``docker buildx --output type=oci`` and others read and write. Manifests travel as the exact
bytes they were read as, so an image keeps its digest through any number of pushes, pulls,
copies and retags.

Design. Every operation is written once, as *steps*: a generator that yields the I/O it needs
(an ECR call, a part to read, a chunk to write...) and receives the result. All decisions —
part sizes, when and where to resume, what an HTTP status means, which digest is wrong, what to
clean up — live in those steps and in small pure helpers (digests, part planning, media types,
the layout); a sync driver and an async driver only carry the I/O out. The two APIs therefore
behave identically by construction.

Guarantees:

* Memory does not grow with the blob: an upload reads one part at a time (ECR's part size, at
  most 20 MiB; the client's base64-in-JSON encoding of it briefly takes a few times more), a
  download holds a few megabytes.
* Nothing already in place is moved again: uploads ask ``BatchCheckLayerAvailability`` first,
  pulls skip blobs the layout holds.
* Digests are computed while the bytes go by; a wrong digest stops an upload before
  ``CompleteLayerUpload`` and a download before its file is renamed into place.
* Interrupted transfers pick up where they broke: a part rejected with
  ``InvalidLayerPartException`` resumes from ECR's ``lastValidByteReceived``; a download whose
  connection drops resumes with an HTTP ``Range``.
* No half-written file survives a failure, a cancellation or ``KeyboardInterrupt``. (ECR has no
  call to abort an upload; an abandoned one expires on its own.)
* Every failure is a :class:`~ecrclient.transfer.errors.TransferError` (an
  :class:`ecrclient.errors.SdkClientError`) naming the repository, the digest and the bytes
  moved, with the underlying fault as its ``cause``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import BinaryIO

from ecrclient import ECRClient
from ecrclient.transfer import _calls
from ecrclient.transfer._calls import StrPath
from ecrclient.transfer._media import (
    ACCEPTED_MANIFEST_TYPES,
    DOCKER_MANIFEST,
    DOCKER_MANIFEST_LIST,
    OCI_INDEX,
    OCI_MANIFEST,
)
from ecrclient.transfer._results import (
    DownloadedBlob,
    ProgressCallback,
    TransferredImage,
    UploadedBlob,
)
from ecrclient.transfer._sources import BlobInput
from ecrclient.transfer._sync import run_sync
from ecrclient.transfer.errors import (
    BlobDownloadError,
    BlobUploadError,
    DigestMismatchError,
    ImageNotFoundError,
    LayoutError,
    ManifestError,
    MediaTypeError,
    MissingBlobsError,
    TransferError,
    UploadNotResumableError,
)

DEFAULT_CONCURRENCY = 4
"""Blobs moved at once by the image functions, unless ``max_concurrency`` says otherwise."""


def upload_blob(
    client: ECRClient,
    repository: str,
    source: BlobInput,
    *,
    digest: str | None = None,
    size: int | None = None,
    registry_id: str | None = None,
    progress: ProgressCallback | None = None,
) -> UploadedBlob:
    """Upload one blob (a layer or a config) into ``repository``.

    ``source`` is bytes, a file's path, or a binary stream read from its current position (of
    known ``size`` or not). A source that can be read twice is hashed first, so that a blob ECR
    already holds is not sent again; a one-way stream is sent directly and its digest known at
    the end. ``digest``, when given, is what the bytes must hash to: otherwise
    :class:`~ecrclient.transfer.errors.DigestMismatchError` is raised and the upload is not
    completed. Returns the blob's digest and size, and whether it had to be sent.
    """
    return run_sync(
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


def download_blob(
    client: ECRClient,
    repository: str,
    digest: str,
    destination: StrPath | BinaryIO,
    *,
    size: int | None = None,
    registry_id: str | None = None,
    progress: ProgressCallback | None = None,
) -> DownloadedBlob:
    """Download the blob ``digest`` of ``repository`` to ``destination``, a path or a writable
    binary stream, checking its digest (and ``size``, when given).

    A path is written aside and renamed into place once verified; on any failure the partial
    file is removed. Into a stream the bytes go directly, and on failure what was written is the
    caller's to discard. The layer URL is fetched with the client's TLS, proxy and timeout
    settings, and resumed with ``Range`` requests when the connection drops.
    """
    return run_sync(
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


def push_image(
    client: ECRClient,
    repository: str,
    layout: StrPath,
    *,
    reference: str | None = None,
    tags: Sequence[str] = (),
    registry_id: str | None = None,
    max_concurrency: int = DEFAULT_CONCURRENCY,
    progress: ProgressCallback | None = None,
) -> TransferredImage:
    """Push an image from the OCI image layout folder ``layout`` into ``repository``.

    ``reference`` picks the image in the layout's ``index.json`` by its
    ``org.opencontainers.image.ref.name`` or its digest; it may be left out when the layout
    holds one image. The blobs ECR lacks are uploaded, ``max_concurrency`` at a time; then the
    manifests are stored with ``PutImage``, each child of an index (by digest) before the index,
    and the top one under each of ``tags`` (untagged when there are none). Manifests are sent as
    their exact bytes with their media type, so the image keeps its digest.
    """
    return run_sync(
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


def pull_image(
    client: ECRClient,
    repository: str,
    reference: str,
    layout: StrPath,
    *,
    ref_name: str | None = None,
    registry_id: str | None = None,
    max_concurrency: int = DEFAULT_CONCURRENCY,
    progress: ProgressCallback | None = None,
) -> TransferredImage:
    """Pull the image ``reference`` (a tag or a digest) of ``repository`` into the OCI image
    layout folder ``layout``, created if needed.

    Every manifest (all platforms of a multi-platform image) and every blob is written, blobs
    ``max_concurrency`` at a time; blobs the layout already holds are not downloaded again.
    ``index.json`` gains an entry named ``ref_name`` (default: the tag pulled; none for a
    digest), replacing an older entry of that name; other entries are kept.
    """
    return run_sync(
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


def put_manifest(
    client: ECRClient,
    repository: str,
    manifest: bytes | str,
    *,
    media_type: str | None = None,
    tags: Sequence[str] = (),
    registry_id: str | None = None,
) -> TransferredImage:
    """Store a manifest (or index) whose blobs (or manifests) the repository already holds,
    under each of ``tags``, exactly as given.

    The media type is the manifest's ``mediaType`` field; ``media_type`` is needed only when the
    manifest has none, and must agree with it when it has (else
    :class:`~ecrclient.transfer.errors.MediaTypeError`, before anything is sent). A tag that
    already names this manifest is fine. Missing blobs raise
    :class:`~ecrclient.transfer.errors.MissingBlobsError` listing them.
    """
    return run_sync(
        _calls.put(
            client,
            repository,
            manifest,
            media_type=media_type,
            tags=tags,
            registry_id=registry_id,
        )
    )


def retag(
    client: ECRClient,
    repository: str,
    reference: str,
    tags: Sequence[str],
    *,
    registry_id: str | None = None,
) -> TransferredImage:
    """Add ``tags`` to the image ``reference`` (a tag or a digest) of ``repository``.

    The stored manifest is stored again byte for byte with its media type, so the image keeps
    its digest; no blob moves. A tag that already names the image is fine; a tag naming another
    image moves to this one (unless the repository's tags are immutable: then
    :class:`~ecrclient.transfer.errors.ManifestError` caused by
    ``ImageTagAlreadyExistsException``).
    """
    return run_sync(_calls.retag(client, repository, reference, tags, registry_id=registry_id))


def copy_image(
    source_client: ECRClient,
    source_repository: str,
    reference: str,
    destination_client: ECRClient,
    destination_repository: str,
    *,
    tags: Sequence[str] | None = None,
    source_registry_id: str | None = None,
    destination_registry_id: str | None = None,
    work_dir: StrPath | None = None,
    max_concurrency: int = DEFAULT_CONCURRENCY,
    progress: ProgressCallback | None = None,
) -> TransferredImage:
    """Copy the image ``reference`` to another repository, account or region (clients may
    differ: one per region).

    Only the blobs the destination lacks move: each is downloaded into a private scratch folder
    (inside ``work_dir`` if given, else the system's temporary folder), uploaded, and deleted,
    ``max_concurrency`` at a time, so neither memory nor disk holds the whole image. Then the
    manifests are stored, unchanged. ``tags`` defaults to the source tag (none when
    ``reference`` is a digest). Within one repository, use :func:`retag`.
    """
    return run_sync(
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
    "ACCEPTED_MANIFEST_TYPES",
    "DEFAULT_CONCURRENCY",
    "DOCKER_MANIFEST",
    "DOCKER_MANIFEST_LIST",
    "OCI_INDEX",
    "OCI_MANIFEST",
    "BlobDownloadError",
    "BlobInput",
    "BlobUploadError",
    "DigestMismatchError",
    "DownloadedBlob",
    "ImageNotFoundError",
    "LayoutError",
    "ManifestError",
    "MediaTypeError",
    "MissingBlobsError",
    "ProgressCallback",
    "StrPath",
    "TransferError",
    "TransferredImage",
    "UploadNotResumableError",
    "UploadedBlob",
    "copy_image",
    "download_blob",
    "pull_image",
    "push_image",
    "put_manifest",
    "retag",
    "upload_blob",
]
