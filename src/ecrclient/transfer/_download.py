"""The steps of a blob download (see :mod:`ecrclient.transfer._effects` for how steps run).

``GetDownloadUrlForLayer`` gives a presigned URL (S3's, in AWS), fetched with a plain GET: it
carries its own signature, so nothing is added to it. Bytes are hashed as they are written. When
the connection breaks, the next GET asks for ``Range: bytes=<written>-`` and the hash (kept by
the sink, over exactly the bytes written) carries on;
a server that ignores the range and answers 200 restarts the file from byte 0. An expired URL
(403) is replaced by a fresh one. The attempts stop after several failures in a row that brought
no new byte.

The blob goes to a partial file renamed into place only when its size and digest are right;
any failure — a wrong digest, an error, a cancellation or an interrupt — removes it.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from ecrclient._runtime.jobs import Pause
from ecrclient.errors import RequestValidationError
from ecrclient.model import GetDownloadUrlForLayerRequest
from ecrclient.transfer._digest import hex_part
from ecrclient.transfer._effects import (
    Call,
    CloseStream,
    CommitSink,
    DiscardSink,
    HttpGet,
    HttpStream,
    OpenSink,
    ReadStream,
    RepositoryRef,
    RestartSink,
    SinkDigest,
    Steps,
    StreamBroken,
    WriteSink,
)
from ecrclient.transfer._progress import ProgressMeter
from ecrclient.transfer._results import DownloadedBlob
from ecrclient.transfer._sinks import Sink
from ecrclient.transfer.errors import BlobDownloadError, DigestMismatchError, TransferError

MAX_FAILURES_WITHOUT_PROGRESS = 5
BACKOFF_BASE = 0.1
BACKOFF_CAP = 2.0


class Answer(enum.Enum):
    """What an answer of the layer URL means for the download."""

    BODY = "body"
    """The bytes asked for follow."""
    RESTART = "restart"
    """The whole blob follows (a range was asked and ignored): start the file again."""
    NEW_URL = "new-url"
    """The URL is refused (expired presigned URLs answer 403): ask ECR for another."""
    RETRY = "retry"
    """A passing server failure (429, 5xx): wait and ask again."""
    FAIL = "fail"


_CONTENT_RANGE = re.compile(r"bytes (\d+)-(\d+)/(\d+|\*)")


def judge(status: int, headers: Mapping[str, str], start: int) -> Answer:
    """The meaning of ``status`` for a GET from byte ``start`` (``headers`` lower-cased)."""
    if status == 200:
        return Answer.BODY if start == 0 else Answer.RESTART
    if status == 206:
        match = _CONTENT_RANGE.fullmatch(headers.get("content-range", "").strip())
        return Answer.BODY if match and int(match.group(1)) == start else Answer.FAIL
    if status in (400, 401, 403):
        return Answer.NEW_URL
    if status == 429 or status >= 500:
        return Answer.RETRY
    return Answer.FAIL


def backoff(failures: int) -> float:
    return min(BACKOFF_CAP, BACKOFF_BASE * 2.0 ** (failures - 1))


@attrs.define
class _Fetch:
    """One blob's download as it goes; the sink hashes what it is given."""

    repository: RepositoryRef
    digest: str
    size: int | None
    sink: Sink
    meter: ProgressMeter
    url: str = attrs.field(repr=False, default="")
    written: int = 0
    failures: int = 0
    last_status: int | None = None

    def error(self, message: str) -> BlobDownloadError:
        return BlobDownloadError(
            f"downloading {self.digest} from {self.repository.name} failed after "
            f"{self.written} bytes: {message}",
            repository=self.repository.name,
            digest=self.digest,
            bytes_done=self.written,
            status_code=self.last_status,
        )


def download_steps(
    repository: RepositoryRef,
    digest: str,
    destination: Path | Any,
    *,
    size: int | None,
    meter: ProgressMeter,
) -> Steps[DownloadedBlob]:
    """Download the blob ``digest`` of ``repository`` into ``destination`` (a path, or a
    binary stream). ``size``, when known, is checked too."""
    hex_part(digest)  # a malformed digest is the caller's mistake: ValueError now
    sink: Sink = yield OpenSink(destination)
    fetch = _Fetch(repository, digest, size, sink, meter)
    try:
        fetch.url = yield from _layer_url(fetch)
        yield from _fetch_all(fetch)
        actual, _ = yield SinkDigest(sink)
        if actual != digest:
            raise DigestMismatchError(
                f"the blob downloaded from {repository.name} as {digest} has digest {actual} "
                f"({fetch.written} bytes); the partial file was removed",
                repository=repository.name,
                expected=digest,
                actual=actual,
                bytes_done=fetch.written,
            )
        yield CommitSink(sink)
        return DownloadedBlob(digest=digest, size=fetch.written, path=sink.path)
    except GeneratorExit:
        raise
    except BaseException as exc:  # interrupts and cancellations too: no partial file stays
        yield DiscardSink(sink)
        if isinstance(exc, Exception) and not isinstance(
            exc, (TransferError, RequestValidationError)
        ):
            raise fetch.error(str(exc)) from exc
        raise


def _layer_url(fetch: _Fetch) -> Steps[str]:
    answer = yield Call(
        fetch.repository,
        "get_download_url_for_layer",
        GetDownloadUrlForLayerRequest(
            registry_id=fetch.repository.registry_id,
            repository_name=fetch.repository.name,
            layer_digest=fetch.digest,
        ),
    )
    if not answer.download_url:
        raise fetch.error("GetDownloadUrlForLayer answered no URL")
    url: str = answer.download_url
    return url


def _fetch_all(fetch: _Fetch) -> Steps[None]:
    """Read the blob into the sink, resuming across broken connections, until it is whole."""
    while True:
        before = fetch.written
        try:
            finished = yield from _attempt(fetch)
        except StreamBroken as broken:
            finished, reason = False, str(broken)
        else:
            reason = f"HTTP {fetch.last_status}"
            if finished:
                return
        fetch.failures = 1 if fetch.written > before else fetch.failures + 1
        if fetch.failures >= MAX_FAILURES_WITHOUT_PROGRESS:
            raise fetch.error(f"{fetch.failures} attempts in a row made no progress ({reason})")
        yield Pause(backoff(fetch.failures))


def _attempt(fetch: _Fetch) -> Steps[bool]:
    """One GET from where the file stands: ``True`` when the blob is whole, ``False`` to try
    again (the failure is already accounted for); :class:`StreamBroken` when the connection
    breaks."""
    stream: HttpStream = yield HttpGet(fetch.repository.client, fetch.url, fetch.written)
    fetch.last_status = stream.status
    try:
        answer = judge(stream.status, stream.headers, fetch.written)
        if answer is Answer.FAIL:
            raise fetch.error(f"the layer URL answered HTTP {stream.status}")
        if answer is Answer.NEW_URL:
            yield CloseStream(stream)
            fetch.url = yield from _layer_url(fetch)
            return False
        if answer is Answer.RETRY:
            yield CloseStream(stream)
            return False
        if answer is Answer.RESTART:
            yield RestartSink(fetch.sink)
            fetch.meter.advance(-fetch.written)
            fetch.written = 0
        yield from _read_body(fetch, stream)
    except GeneratorExit:
        raise
    except BaseException:
        yield CloseStream(stream)
        raise
    yield CloseStream(stream)
    if fetch.size is not None and fetch.written < fetch.size:
        # The body ended early without a protocol error (no length given): resume.
        raise StreamBroken(f"the body ended at byte {fetch.written} of {fetch.size}")
    return True


def _read_body(fetch: _Fetch, stream: HttpStream) -> Steps[None]:
    while True:
        chunk: bytes = yield ReadStream(stream)
        if not chunk:
            return
        if fetch.size is not None and fetch.written + len(chunk) > fetch.size:
            raise fetch.error(f"the layer URL sent more than the {fetch.size} bytes expected")
        yield WriteSink(fetch.sink, chunk)
        fetch.written += len(chunk)
        fetch.meter.advance(len(chunk))
