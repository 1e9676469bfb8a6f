"""The errors of :mod:`ecrclient.transfer`.

Every failure of a transfer function is a :class:`TransferError`, itself an
:class:`ecrclient.errors.SdkClientError` (and so botocore's ``BotoCoreError``): one ``except``
covers a whole push or pull. Each carries the facts needed to act on it — the repository, the
digest of the blob or manifest concerned, how many bytes had been moved — and the service fault
or network error that caused it, if any, is its ``cause`` (also ``__cause__``).

Two things are deliberately not wrapped: mistakes in the arguments (``ValueError``, including
:class:`ecrclient.errors.RequestValidationError`), which are bugs in the calling code, and
``KeyboardInterrupt`` / ``asyncio.CancelledError``, which stop a transfer after it has removed
its partial files.
"""

from __future__ import annotations

from collections.abc import Sequence

from ecrclient.errors import SdkClientError


class TransferError(SdkClientError):
    """A transfer failed. ``repository``, ``digest`` and ``bytes_done`` say where it stopped."""

    def __init__(
        self,
        message: str,
        *,
        repository: str | None = None,
        digest: str | None = None,
        bytes_done: int | None = None,
    ) -> None:
        super().__init__(message)
        self.repository = repository
        """The repository being written or read."""
        self.digest = digest
        """The blob or manifest concerned, when there is one."""
        self.bytes_done = bytes_done
        """Bytes of that blob moved (and confirmed) before the failure."""

    @property
    def cause(self) -> BaseException | None:
        """The service fault or network error behind this one, if any."""
        cause: BaseException | None = self.__cause__
        return cause


class BlobUploadError(TransferError):
    """Uploading a blob failed: a service fault, a network failure that outlasted the client's
    retries, or a source that could not be read. ``part_number`` (1-based) and
    ``part_first_byte`` locate the part in flight; ``upload_id`` is ECR's upload."""

    def __init__(
        self,
        message: str,
        *,
        repository: str,
        digest: str | None,
        bytes_done: int,
        upload_id: str | None = None,
        part_number: int | None = None,
        part_first_byte: int | None = None,
    ) -> None:
        super().__init__(message, repository=repository, digest=digest, bytes_done=bytes_done)
        self.upload_id = upload_id
        self.part_number = part_number
        self.part_first_byte = part_first_byte


class UploadNotResumableError(BlobUploadError):
    """ECR asked to resume from an earlier byte (``InvalidLayerPartException``), and the source
    cannot go back to it: a stream that is not seekable. Upload from a file or bytes instead."""


class BlobDownloadError(TransferError):
    """Downloading a blob failed after its retries: the layer URL answered an error status, or
    the connection kept breaking without progress."""

    def __init__(
        self,
        message: str,
        *,
        repository: str,
        digest: str,
        bytes_done: int,
        status_code: int | None = None,
    ) -> None:
        super().__init__(message, repository=repository, digest=digest, bytes_done=bytes_done)
        self.status_code = status_code
        """The last HTTP status of the layer URL, if it answered."""


class DigestMismatchError(TransferError):
    """The bytes do not have the digest they should. On upload it is raised before
    ``CompleteLayerUpload``, so nothing is stored under the wrong name; on download the partial
    file has been removed."""

    def __init__(
        self,
        message: str,
        *,
        repository: str | None,
        expected: str,
        actual: str,
        bytes_done: int,
    ) -> None:
        super().__init__(message, repository=repository, digest=expected, bytes_done=bytes_done)
        self.expected = expected
        self.actual = actual


class MissingBlobsError(TransferError):
    """``PutImage`` refused a manifest because the repository lacks blobs it references
    (``LayersNotFoundException``). ``missing`` lists them, as ``BatchCheckLayerAvailability``
    reported them right after the refusal."""

    def __init__(
        self, message: str, *, repository: str, digest: str, missing: Sequence[str]
    ) -> None:
        super().__init__(message, repository=repository, digest=digest)
        self.missing = tuple(missing)


class ManifestError(TransferError):
    """A manifest could not be read, found or stored: not JSON, not a kind this module knows,
    refused by ``PutImage``, or absent from the repository (``reference`` says which)."""

    def __init__(
        self,
        message: str,
        *,
        repository: str | None = None,
        digest: str | None = None,
        reference: str | None = None,
    ) -> None:
        super().__init__(message, repository=repository, digest=digest)
        self.reference = reference


class ImageNotFoundError(ManifestError):
    """``BatchGetImage`` found no image for the tag or digest (``reference``)."""


class MediaTypeError(ManifestError):
    """A manifest's media type is unknown, or it contradicts the one declared for it (the
    ``mediaType`` field against the descriptor or the ``media_type`` argument). Raised before
    anything is sent."""

    def __init__(
        self,
        message: str,
        *,
        digest: str | None = None,
        declared: str | None = None,
        found: str | None = None,
    ) -> None:
        super().__init__(message, digest=digest)
        self.declared = declared
        self.found = found


class LayoutError(TransferError):
    """An OCI image layout is not usable: a missing ``oci-layout`` or ``index.json``, an image
    name that is not there (or several images and none named), a blob file missing or of the
    wrong size. ``path`` is the file or folder concerned."""

    def __init__(self, message: str, *, path: str, digest: str | None = None) -> None:
        super().__init__(message, digest=digest)
        self.path = path


__all__ = [
    "BlobDownloadError",
    "BlobUploadError",
    "DigestMismatchError",
    "ImageNotFoundError",
    "LayoutError",
    "ManifestError",
    "MediaTypeError",
    "MissingBlobsError",
    "TransferError",
    "UploadNotResumableError",
]
