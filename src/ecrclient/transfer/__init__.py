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

from ecrclient._runtime.jobs import blocking
from ecrclient.transfer import _calls
from ecrclient.transfer._calls import DEFAULT_CONCURRENCY, StrPath
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

# The parameters and docstrings are those of the steps in _calls, written once for both APIs.
upload_blob = blocking(_calls.upload_blob, "upload_blob", __name__, run=run_sync)
download_blob = blocking(_calls.download_blob, "download_blob", __name__, run=run_sync)
push_image = blocking(_calls.push_image, "push_image", __name__, run=run_sync)
pull_image = blocking(_calls.pull_image, "pull_image", __name__, run=run_sync)
put_manifest = blocking(_calls.put_manifest, "put_manifest", __name__, run=run_sync)
retag = blocking(_calls.retag, "retag", __name__, run=run_sync)
copy_image = blocking(_calls.copy_image, "copy_image", __name__, run=run_sync)


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
