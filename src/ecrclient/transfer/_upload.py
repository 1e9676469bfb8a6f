"""The steps of a blob upload (see :mod:`ecrclient.transfer._effects` for how steps run).

1. Know the digest: the caller's, or — for a source that can be read twice — one computed in a
   first pass, so that step 2 can spare sending a blob ECR already has. A stream that can be
   read only once skips steps 1 and 2 (its digest is known only at its end).
2. ``BatchCheckLayerAvailability``: an available blob is done.
3. ``InitiateLayerUpload``, then ``UploadLayerPart`` for one part of ECR's part size at a time;
   each part joins the running hash as ECR confirms it, in the same pass that sends it. Only one
   part is held in memory, and it is freed once sent.
4. A part rejected with ``InvalidLayerPartException`` resumes from ECR's
   ``lastValidByteReceived`` (:func:`ecrclient.transfer._parts.plan_resume`). The running hash
   is kept at the last confirmed byte, so resuming never hashes a byte twice; a rewind behind
   the part in memory re-hashes the source up to the resume point.
5. The digest of what was sent must be the expected one, or the upload stops *before*
   ``CompleteLayerUpload``: nothing gets stored under a wrong name. ``LayerAlreadyExistsException``
   at completion means another upload got there first, which is success.

ECR has no call to abort an upload: one that stops is simply left to expire.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from ecrclient.errors import InvalidLayerPartException, LayerAlreadyExistsException
from ecrclient.model import (
    BatchCheckLayerAvailabilityRequest,
    CompleteLayerUploadRequest,
    InitiateLayerUploadRequest,
    UploadLayerPartRequest,
)
from ecrclient.model.enums import LayerAvailability
from ecrclient.transfer._digest import Hasher, digest_from, hex_part, new_hasher
from ecrclient.transfer._effects import (
    Call,
    ReadSource,
    RepositoryRef,
    SeekSource,
    Steps,
)
from ecrclient.transfer._failures import failures_as
from ecrclient.transfer._parts import (
    MAX_RESUMES_WITHOUT_PROGRESS,
    Resume,
    last_byte,
    part_number,
    part_size,
    plan_resume,
)
from ecrclient.transfer._progress import ProgressMeter
from ecrclient.transfer._results import UploadedBlob
from ecrclient.transfer._sources import BlobSource
from ecrclient.transfer.errors import (
    BlobUploadError,
    DigestMismatchError,
    UploadNotResumableError,
)

HASH_CHUNK = 1024 * 1024
"""Read size of the passes that only hash (the digest pass, a rewind)."""
CHECK_BATCH = 100
"""The most digests one ``BatchCheckLayerAvailability`` takes."""


def blobs_present(
    repository: RepositoryRef, digests: Sequence[str]
) -> Steps[dict[str, int | None]]:
    """Which of ``digests`` ECR holds in ``repository``, with their sizes when it says."""
    present: dict[str, int | None] = {}
    for start in range(0, len(digests), CHECK_BATCH):
        answer = yield Call(
            repository,
            "batch_check_layer_availability",
            BatchCheckLayerAvailabilityRequest(
                registry_id=repository.registry_id,
                repository_name=repository.name,
                layer_digests=list(digests[start : start + CHECK_BATCH]),
            ),
        )
        for layer in answer.layers or ():
            if layer.layer_digest and layer.layer_availability == LayerAvailability.AVAILABLE:
                present[layer.layer_digest] = layer.layer_size
    return present


def upload_steps(
    repository: RepositoryRef,
    source: BlobSource,
    *,
    digest: str | None,
    check_first: bool,
    meter: ProgressMeter,
) -> Steps[UploadedBlob]:
    """Upload ``source`` into ``repository``. ``digest`` is the caller's expectation, if any;
    ``check_first=False`` when the caller has already asked ECR (a push checks all blobs in a
    few calls)."""
    if digest is not None:
        hex_part(digest)  # a malformed expectation is the caller's mistake: ValueError now
    expected = digest
    with failures_as(lambda exc: _failure(exc, repository, source, expected, _Cursor())):
        if expected is None and source.seekable:
            expected = yield from _digest_pass(source)
        if expected is not None and check_first:
            present = yield from blobs_present(repository, [expected])
            if expected in present:
                size = present[expected]
                if size is None:
                    size = source.size
                meter.advance(size or 0)
                return UploadedBlob(digest=expected, size=size, uploaded=False)
    return (yield from _send(repository, source, expected, digest is not None, meter))


def _digest_pass(source: BlobSource) -> Steps[str]:
    hasher = new_hasher()
    while True:
        chunk: bytearray = yield ReadSource(source, HASH_CHUNK)
        if not chunk:
            break
        hasher.update(chunk)
    yield SeekSource(source, 0)
    return digest_from(hasher)


def _rehash_until(source: BlobSource, offset: int) -> Steps[Hasher]:
    """The hash of the source's first ``offset`` bytes, leaving it positioned at ``offset``."""
    yield SeekSource(source, 0)
    hasher = new_hasher()
    remaining = offset
    while remaining > 0:
        chunk: bytearray = yield ReadSource(source, min(HASH_CHUNK, remaining))
        if not chunk:
            raise OSError(f"the source ended before byte {offset}, which it held before")
        hasher.update(chunk)
        remaining -= len(chunk)
    return hasher


class _Cursor:
    """Where an upload stands, for the steps and for the error that stops them."""

    def __init__(self) -> None:
        self.upload_id: str | None = None
        self.part_size = 0
        self.confirmed = 0
        """Bytes ECR has confirmed; the running hash covers exactly these."""
        self.hasher = new_hasher()

    def part_number(self) -> int | None:
        return part_number(self.confirmed, self.part_size) if self.part_size else None


def _send(
    repository: RepositoryRef,
    source: BlobSource,
    expected: str | None,
    from_caller: bool,
    meter: ProgressMeter,
) -> Steps[UploadedBlob]:
    cursor = _Cursor()
    with failures_as(lambda exc: _failure(exc, repository, source, expected, cursor)):
        started = yield Call(
            repository,
            "initiate_layer_upload",
            InitiateLayerUploadRequest(
                registry_id=repository.registry_id, repository_name=repository.name
            ),
        )
        upload_id: str | None = started.upload_id
        if not upload_id:
            raise RuntimeError("InitiateLayerUpload answered no upload id")
        cursor.upload_id = upload_id
        cursor.part_size = part_size(started.part_size)
        yield from _send_parts(repository, source, cursor, meter)
        actual = digest_from(cursor.hasher)
        if expected is not None and actual != expected:
            message = (
                f"the blob sent to {repository.name} has digest {actual}, not the expected "
                f"{expected}; the upload was not completed"
                if from_caller
                else f"the source changed while it was uploaded to {repository.name}: its "
                f"digest was {expected} when first read and {actual} when sent; the upload "
                "was not completed"
            )
            raise DigestMismatchError(
                message,
                repository=repository.name,
                expected=expected,
                actual=actual,
                bytes_done=cursor.confirmed,
            )
        try:
            yield Call(
                repository,
                "complete_layer_upload",
                CompleteLayerUploadRequest(
                    registry_id=repository.registry_id,
                    repository_name=repository.name,
                    upload_id=upload_id,
                    layer_digests=[actual],
                ),
            )
        except LayerAlreadyExistsException:
            return UploadedBlob(digest=actual, size=cursor.confirmed, uploaded=False)
        return UploadedBlob(digest=actual, size=cursor.confirmed, uploaded=True)


def _send_parts(
    repository: RepositoryRef, source: BlobSource, cursor: _Cursor, meter: ProgressMeter
) -> Steps[None]:
    upload_id = cursor.upload_id
    assert upload_id is not None
    pending = bytearray()  # read but unconfirmed bytes that go out first (kept after a rejection)
    stalls = 0
    while True:
        wanted = cursor.part_size - len(pending)
        part: bytearray = (yield ReadSource(source, wanted)) if wanted > 0 else bytearray()
        if pending:
            part[:0] = pending
            pending = bytearray()
        if not part:
            return
        request = UploadLayerPartRequest(
            registry_id=repository.registry_id,
            repository_name=repository.name,
            upload_id=upload_id,
            part_first_byte=cursor.confirmed,
            part_last_byte=last_byte(cursor.confirmed, len(part)),
            # The client takes any bytes-like blob: the part goes as read, without a copy.
            layer_part_blob=cast("bytes", part),
        )
        try:
            yield Call(repository, "upload_layer_part", request)
        except InvalidLayerPartException as rejection:
            plan = plan_resume(cursor.confirmed, len(part), rejection.last_valid_byte_received)
            stalls = 0 if plan.offset > cursor.confirmed else stalls + 1
            if plan.action is Resume.IMPOSSIBLE or stalls > MAX_RESUMES_WITHOUT_PROGRESS:
                raise
            if plan.action is Resume.REWIND:
                if not source.seekable:
                    raise _not_resumable(repository, source, cursor, plan.offset) from rejection
                cursor.hasher = yield from _rehash_until(source, plan.offset)
            else:  # SKIP_PART or RESEND_TAIL: ECR holds the head of this part, kept in memory
                kept = plan.offset - cursor.confirmed
                cursor.hasher.update(part[:kept])
                pending = part[kept:]
            meter.advance(plan.offset - cursor.confirmed)
            cursor.confirmed = plan.offset
            continue
        else:
            cursor.hasher.update(part)
            cursor.confirmed += len(part)
            meter.advance(len(part))
            stalls = 0


def _not_resumable(
    repository: RepositoryRef, source: BlobSource, cursor: _Cursor, offset: int
) -> UploadNotResumableError:
    return UploadNotResumableError(
        f"ECR asked to resume the upload to {repository.name} from byte {offset}, behind the "
        f"{cursor.confirmed} bytes it had confirmed, and the {source.describe()} cannot seek "
        "back; upload from a file or bytes to make this resumable",
        repository=repository.name,
        digest=None,
        bytes_done=cursor.confirmed,
        upload_id=cursor.upload_id,
        part_number=cursor.part_number(),
        part_first_byte=cursor.confirmed,
    )


def _failure(
    exc: Exception,
    repository: RepositoryRef,
    source: BlobSource,
    expected: str | None,
    cursor: _Cursor,
) -> BlobUploadError:
    number = cursor.part_number()
    where = f" at part {number} (from byte {cursor.confirmed})" if number is not None else ""
    return BlobUploadError(
        f"uploading {expected or 'a blob'} from {source.describe()} to {repository.name} "
        f"failed{where} with {cursor.confirmed} bytes confirmed: {exc}",
        repository=repository.name,
        digest=expected,
        bytes_done=cursor.confirmed,
        upload_id=cursor.upload_id,
        part_number=number,
        part_first_byte=cursor.confirmed if number is not None else None,
    )
