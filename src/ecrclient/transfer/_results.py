"""What the transfer functions return, and the progress callback's shape."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeAlias

import attrs

ProgressCallback: TypeAlias = Callable[[int, int | None], None]
"""Called as bytes move: ``progress(bytes_done, bytes_total)``. ``bytes_total`` is ``None``
while unknown (a stream of unknown length). For an image it counts every blob the call moves
(a copy counts each blob twice: down, then up). It may go back when ECR asks for bytes again.
Called from worker threads by the sync functions that move blobs in parallel: keep it quick."""


@attrs.frozen(kw_only=True)
class UploadedBlob:
    """A blob in the repository, after :func:`~ecrclient.transfer.upload_blob`."""

    digest: str
    size: int | None
    """Its size; ``None`` only when it was found already present and ECR did not say."""
    uploaded: bool
    """``False`` when ECR already had it (found by ``BatchCheckLayerAvailability``, or
    ``LayerAlreadyExistsException`` at completion): no need to send it again."""


@attrs.frozen(kw_only=True)
class DownloadedBlob:
    """A blob written and verified, after :func:`~ecrclient.transfer.download_blob`."""

    digest: str
    size: int
    path: Path | None
    """The file written, or ``None`` when the destination was a stream."""


@attrs.frozen(kw_only=True)
class TransferredImage:
    """An image pushed, pulled, copied or retagged."""

    repository: str
    """The repository written (pull: read)."""
    digest: str
    """The digest of the top manifest or index: the image's name, unchanged by the transfer."""
    media_type: str
    tags: tuple[str, ...]
    """The tags it now has from this call (pull: the ``ref.name`` written, if any)."""
    manifests: tuple[str, ...] = ()
    """Every manifest digest of the image, children before their index, the top one last."""
    blobs_transferred: tuple[str, ...] = ()
    """Blobs this call moved."""
    blobs_skipped: tuple[str, ...] = ()
    """Blobs already where they had to be, not moved again."""
    bytes_transferred: int = 0
    layout: Path | None = None
    """The layout folder (push: read, pull: written)."""
