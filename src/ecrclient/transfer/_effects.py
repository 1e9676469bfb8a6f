"""The requests the transfer steps make of a driver: the only I/O they do.

The steps of an upload, a download, a push or a pull are written once, as generators that
*yield* an effect — "call this ECR operation", "read the next part", "open the layer URL from
byte N", "write this chunk" — and receive its result back (or have its exception thrown in at
the ``yield``). The sync driver carries effects out with an ``ECRClient``, ``httpx.Client`` and
threads; the async driver with an ``AsyncECRClient``, ``httpx.AsyncClient`` and tasks. Every
decision (what to call, when to resume, what a status means, when a digest is wrong, what to
clean up) is made in the steps, so sync and async cannot drift apart, and the steps can be
driven by a test without any network. A pause between attempts is the jobs' own
:class:`~ecrclient._runtime.jobs.Pause`.

Cleanup is part of the steps too: a step that made a partial file catches every exception
(``KeyboardInterrupt`` and ``asyncio.CancelledError`` included), yields the effect that removes
the file, and re-raises. Drivers therefore always throw failures *into* the steps, never drop
them; ``GeneratorExit`` is the one exception steps never yield under.
"""

from __future__ import annotations

from collections.abc import Generator, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal, TypeAlias, TypeVar

import attrs

from ecrclient._runtime.jobs import Pause
from ecrclient.transfer._sinks import Sink
from ecrclient.transfer._sources import BlobSource

T = TypeVar("T")

Operation: TypeAlias = Literal[
    "batch_check_layer_availability",
    "initiate_layer_upload",
    "upload_layer_part",
    "complete_layer_upload",
    "put_image",
    "batch_get_image",
    "get_download_url_for_layer",
]
"""The ECR operations the transfers use (method names of both typed clients)."""


@attrs.frozen
class RepositoryRef:
    """A repository and the client that reaches it. The client is opaque to the steps: only
    the driver calls it (an ``ECRClient`` in the sync driver, ``AsyncECRClient`` in async)."""

    client: object = attrs.field(repr=False)
    name: str
    registry_id: str | None = None


@attrs.frozen
class Call:
    """Call ``operation`` on ``repository.client`` with ``request``; the result comes back,
    a fault is thrown in."""

    repository: RepositoryRef
    operation: Operation
    request: object


@attrs.frozen
class ReadSource:
    """Up to ``count`` bytes from the source (exactly ``count`` unless it ends)."""

    source: BlobSource
    count: int


@attrs.frozen
class SeekSource:
    source: BlobSource
    offset: int


@attrs.frozen
class ReadFile:
    """A small file's bytes (layout metadata, manifests); ``None`` if it does not exist."""

    path: Path


@attrs.frozen
class FileSize:
    """A file's size, or ``None`` if it does not exist."""

    path: Path


@attrs.frozen
class WriteFile:
    """Write a small file whole: aside, then renamed into place."""

    path: Path
    data: bytes


@attrs.frozen
class OpenSink:
    """Open the destination of a blob: a :class:`Sink` comes back."""

    destination: Path | Any
    """A path, or a caller's binary stream."""


@attrs.frozen
class WriteSink:
    sink: Sink
    data: bytes


@attrs.frozen
class SinkDigest:
    """The digest and size of what the sink holds: ``(digest, size)`` comes back."""

    sink: Sink


@attrs.frozen
class RestartSink:
    sink: Sink


@attrs.frozen
class CommitSink:
    sink: Sink


@attrs.frozen
class DiscardSink:
    sink: Sink


@attrs.frozen
class HttpStream:
    """An open GET: its status and headers (lower-case names). ``native`` is the driver's own
    response object."""

    status: int
    headers: Mapping[str, str]
    native: object = attrs.field(repr=False)


@attrs.frozen
class HttpGet:
    """GET ``url`` (a presigned layer URL: sent as is, unsigned) from byte ``start``: an
    :class:`HttpStream` comes back. ``via`` is the ECR client whose TLS, proxy and timeout
    settings apply. A network failure is thrown in as :class:`StreamBroken`."""

    via: object = attrs.field(repr=False)
    url: str = attrs.field(repr=False)
    start: int


@attrs.frozen
class ReadStream:
    """The next chunk of the body, ``b""`` at its end; :class:`StreamBroken` if it breaks."""

    stream: HttpStream


@attrs.frozen
class CloseStream:
    stream: HttpStream


@attrs.frozen
class MakeTempDir:
    """A new private folder (inside ``parent`` when given): its path comes back."""

    parent: Path | None


@attrs.frozen
class RemoveTree:
    path: Path


@attrs.frozen
class Concurrently:
    """Run the ``steps`` with at most ``limit`` at once; their results come back in order.
    The first failure stops the others (each cleaning up) and is thrown in."""

    steps: Sequence[Generator[Any, Any, Any]]
    limit: int


Effect: TypeAlias = (
    Call
    | ReadSource
    | SeekSource
    | ReadFile
    | FileSize
    | WriteFile
    | OpenSink
    | WriteSink
    | SinkDigest
    | RestartSink
    | CommitSink
    | DiscardSink
    | HttpGet
    | ReadStream
    | CloseStream
    | Pause
    | MakeTempDir
    | RemoveTree
    | Concurrently
)

CLEANUP_EFFECTS = (DiscardSink, RemoveTree, CloseStream)
"""Effects that undo: a driver stopping its steps still carries these out."""

Steps: TypeAlias = Generator[Effect, Any, T]
"""Steps that end with a ``T``. What each ``yield`` receives depends on the effect: ``Any``."""


class StreamBroken(Exception):
    """The connection of an :class:`HttpGet` failed or broke mid-body (thrown into the steps,
    which resume). The message never contains the URL's query: it holds the signature."""
