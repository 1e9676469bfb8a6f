"""Single blobs against the local registry server: every source kind, resuming uploads and
downloads, digest checks, and what a failure leaves behind (nothing), sync and async."""

from __future__ import annotations

import io
import random
from pathlib import Path

import pytest
from support.ecr_registry_server import EcrRegistryServer
from support.oci_images import digest, single_image
from support.transfer_fixtures import kit_fixture, registry_fixture  # noqa: F401 - pytest finds fixtures by their names
from support.transfer_kits import PART_SIZE, REPOSITORY, Kit

from ecrclient.transfer import (
    BlobDownloadError,
    BlobUploadError,
    DigestMismatchError,
    TransferError,
    UploadNotResumableError,
)

BLOB = random.Random(7).randbytes(5 * PART_SIZE + 1234)
"""Six parts, the last one short."""


class OneWayStream(io.RawIOBase):
    """A pipe-like stream: reads return at most 10,000 bytes, and it cannot seek."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def, override]
        chunk = self._data.read(min(len(buffer), 10_000))
        buffer[: len(chunk)] = chunk
        return len(chunk)


def part_sizes(registry: EcrRegistryServer) -> list[int]:
    return [c.params["layerPartBlob"] for c in registry.calls if c.operation == "UploadLayerPart"]


def only_file(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


@pytest.mark.parametrize("kind", ["bytes", "path", "stream", "stream-sized", "one-way"])
def test_upload_from_every_kind_of_source(
    kit: Kit, registry: EcrRegistryServer, tmp_path: Path, kind: str
) -> None:
    (tmp_path / "blob").write_bytes(BLOB)
    source = {
        "bytes": BLOB,
        "path": tmp_path / "blob",
        "stream": io.BytesIO(BLOB),
        "stream-sized": io.BytesIO(BLOB),
        "one-way": io.BufferedReader(OneWayStream(BLOB)),
    }[kind]
    seen: list[tuple[int, int | None]] = []

    uploaded = kit.upload_blob(
        REPOSITORY,
        source,
        size=len(BLOB) if kind == "stream-sized" else None,
        progress=lambda done, total: seen.append((done, total)),
    )

    assert uploaded.digest == digest(BLOB) and uploaded.size == len(BLOB) and uploaded.uploaded
    assert registry.layer(REPOSITORY, digest(BLOB)) == BLOB
    assert part_sizes(registry) == [PART_SIZE] * 5 + [1234]
    total = None if kind in ("stream", "one-way") else len(BLOB)
    assert seen == [(PART_SIZE * n, total) for n in range(1, 6)] + [(len(BLOB), total)]
    # What can be read twice is hashed first and checked; a one-way stream cannot be.
    checked = "BatchCheckLayerAvailability" in registry.operations()
    assert checked == (kind != "one-way")


def test_a_blob_already_there_is_not_sent_again(kit: Kit, registry: EcrRegistryServer) -> None:
    kit.upload_blob(REPOSITORY, BLOB)
    registry.clear_log()
    seen: list[tuple[int, int | None]] = []
    again = kit.upload_blob(
        REPOSITORY, BLOB, digest=digest(BLOB), progress=lambda *p: seen.append(p)
    )
    assert not again.uploaded and again.size == len(BLOB)
    assert registry.operations() == ["BatchCheckLayerAvailability"]
    assert seen == [(len(BLOB), len(BLOB))]


def test_a_layer_completed_by_someone_else_meanwhile_is_success(
    kit: Kit, registry: EcrRegistryServer
) -> None:
    kit.upload_blob(REPOSITORY, BLOB)
    registry.clear_log()
    # A one-way stream cannot be checked first: ECR answers LayerAlreadyExistsException.
    again = kit.upload_blob(REPOSITORY, io.BufferedReader(OneWayStream(BLOB)))
    assert not again.uploaded and again.digest == digest(BLOB)
    assert registry.operations()[-1] == "CompleteLayerUpload"


@pytest.mark.parametrize("source_kind", ["bytes", "one-way"])
def test_upload_resumes_when_a_part_arrived_but_its_answer_did_not(
    kit: Kit, registry: EcrRegistryServer, source_kind: str
) -> None:
    # The 3rd part is applied, then the connection drops: the client's retry sends it again and
    # ECR answers InvalidLayerPartException with lastValidByteReceived at its end.
    registry.faults.drop_part_after_apply()
    source = BLOB if source_kind == "bytes" else io.BufferedReader(OneWayStream(BLOB))
    uploaded = kit.upload_blob(REPOSITORY, source)
    assert uploaded.digest == digest(BLOB)
    assert registry.layer(REPOSITORY, digest(BLOB)) == BLOB
    assert part_sizes(registry) == [PART_SIZE] * 2 + [PART_SIZE] * 4 + [1234]  # one twice


def test_upload_rewinds_when_the_registry_lost_parts(
    kit: Kit, registry: EcrRegistryServer, tmp_path: Path
) -> None:
    (tmp_path / "blob").write_bytes(BLOB)
    uploaded_parts = 0

    def progress(done: int, total: int | None) -> None:
        nonlocal uploaded_parts
        uploaded_parts += 1
        if uploaded_parts == 4:
            registry.faults.rewind_upload(parts=3)  # the next part finds only 1 part kept

    uploaded = kit.upload_blob(REPOSITORY, tmp_path / "blob", progress=progress)

    assert uploaded.digest == digest(BLOB)
    assert registry.layer(REPOSITORY, digest(BLOB)) == BLOB
    assert all(size == PART_SIZE for size in part_sizes(registry)[:-1])


def test_a_rewind_a_one_way_stream_cannot_follow_fails_clearly(
    kit: Kit, registry: EcrRegistryServer
) -> None:
    calls = 0

    def progress(done: int, total: int | None) -> None:
        nonlocal calls
        calls += 1
        if calls == 3:
            registry.faults.rewind_upload(parts=2)

    with pytest.raises(UploadNotResumableError) as caught:
        kit.upload_blob(REPOSITORY, io.BufferedReader(OneWayStream(BLOB)), progress=progress)

    error = caught.value
    assert error.repository == REPOSITORY and error.bytes_done == 3 * PART_SIZE
    assert error.part_number == 4 and error.part_first_byte == 3 * PART_SIZE
    assert error.upload_id is not None and "cannot seek back" in str(error)
    assert type(error.cause).__name__ == "InvalidLayerPartException"
    assert "CompleteLayerUpload" not in registry.operations()


def test_a_connection_dropped_mid_part_is_retried(kit: Kit, registry: EcrRegistryServer) -> None:
    registry.faults.drop_part_mid_body(count=2)
    assert kit.upload_blob(REPOSITORY, BLOB).digest == digest(BLOB)
    assert registry.layer(REPOSITORY, digest(BLOB)) == BLOB


def test_a_wrong_expected_digest_stops_before_completing(
    kit: Kit, registry: EcrRegistryServer, tmp_path: Path
) -> None:
    wrong = digest(b"something else")
    with pytest.raises(DigestMismatchError) as caught:
        kit.upload_blob(REPOSITORY, io.BufferedReader(OneWayStream(BLOB)), digest=wrong)
    assert (caught.value.expected, caught.value.actual) == (wrong, digest(BLOB))
    assert caught.value.bytes_done == len(BLOB)
    assert "CompleteLayerUpload" not in registry.operations()
    assert registry.layer(REPOSITORY, digest(BLOB)) is None


def test_a_source_changing_while_uploaded_is_caught(
    kit: Kit, registry: EcrRegistryServer, tmp_path: Path
) -> None:
    path = tmp_path / "blob"
    path.write_bytes(BLOB)

    def progress(done: int, total: int | None) -> None:
        if done == PART_SIZE:  # after the digest pass: the file changes under the upload
            path.write_bytes(BLOB[:-1] + b"!")

    with pytest.raises(DigestMismatchError, match="the source changed"):
        kit.upload_blob(REPOSITORY, path, progress=progress)
    assert "CompleteLayerUpload" not in registry.operations()


def test_an_interrupted_upload_stops_without_completing(
    kit: Kit, registry: EcrRegistryServer
) -> None:
    def interrupt(done: int, total: int | None) -> None:
        if done >= 2 * PART_SIZE:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        kit.upload_blob(REPOSITORY, BLOB, progress=interrupt)
    assert registry.operations().count("UploadLayerPart") == 2
    assert "CompleteLayerUpload" not in registry.operations()


def test_upload_failures_say_where_they_stopped(kit: Kit, registry: EcrRegistryServer) -> None:
    with pytest.raises(BlobUploadError) as caught:
        kit.upload_blob("team/missing", BLOB)
    assert caught.value.repository == "team/missing"
    assert type(caught.value.cause).__name__ == "RepositoryNotFoundException"
    assert isinstance(caught.value, TransferError)


# -- downloads ---------------------------------------------------------------------------------


@pytest.fixture
def stored(kit: Kit, registry: EcrRegistryServer, tmp_path: Path) -> str:
    """An image whose first layer is :data:`BLOB` (ECR serves only layers an image uses)."""
    layout = tmp_path / "stored"
    image = single_image(layout, layer_sizes=(1000,))
    kit.upload_blob(REPOSITORY, BLOB)
    for blob in image.blobs:
        kit.upload_blob(REPOSITORY, image.blob(blob))
    manifest = image.blob(image.digest).decode().replace(image.blobs[1], digest(BLOB), 1)
    manifest = manifest.replace(
        f'"size": {len(image.blob(image.blobs[1]))}', f'"size": {len(BLOB)}'
    )
    kit.put_manifest(REPOSITORY, manifest, tags=["blob"])
    registry.clear_log()
    return digest(BLOB)


def test_download(kit: Kit, registry: EcrRegistryServer, stored: str, tmp_path: Path) -> None:
    seen: list[tuple[int, int | None]] = []
    target = tmp_path / "out" / "blob"
    downloaded = kit.download_blob(
        REPOSITORY, stored, target, size=len(BLOB), progress=lambda *p: seen.append(p)
    )
    assert downloaded.path == target and downloaded.size == len(BLOB)
    assert target.read_bytes() == BLOB and only_file(target.parent) == ["blob"]
    assert seen[-1] == (len(BLOB), len(BLOB))
    assert [d.authorization for d in registry.downloads] == [False]  # the URL is not re-signed


def test_download_into_a_stream(kit: Kit, registry: EcrRegistryServer, stored: str) -> None:
    sink = io.BytesIO()
    assert kit.download_blob(REPOSITORY, stored, sink).path is None
    assert sink.getvalue() == BLOB


def test_download_resumes_after_a_dropped_connection(
    kit: Kit, registry: EcrRegistryServer, stored: str, tmp_path: Path
) -> None:
    registry.faults.drop_download(after_bytes=100_000)
    registry.faults.drop_download(after_bytes=50_000)
    kit.download_blob(REPOSITORY, stored, tmp_path / "blob")
    assert (tmp_path / "blob").read_bytes() == BLOB
    assert [(d.range, d.status) for d in registry.downloads] == [
        (None, 200),
        ("bytes=100000-", 206),
        ("bytes=150000-", 206),
    ]


def test_download_restarts_when_the_range_is_ignored(
    kit: Kit, registry: EcrRegistryServer, stored: str, tmp_path: Path
) -> None:
    registry.faults.drop_download(after_bytes=100_000)
    registry.faults.ignore_range()
    seen: list[int] = []
    kit.download_blob(REPOSITORY, stored, tmp_path / "blob", progress=lambda d, t: seen.append(d))
    assert (tmp_path / "blob").read_bytes() == BLOB
    assert seen[-1] == len(BLOB) and min(seen[seen.index(100_000) :]) < 100_000


def test_an_expired_url_is_replaced(
    kit: Kit, registry: EcrRegistryServer, stored: str, tmp_path: Path
) -> None:
    registry.faults.expire_urls()
    kit.download_blob(REPOSITORY, stored, tmp_path / "blob")
    assert (tmp_path / "blob").read_bytes() == BLOB
    assert registry.operations().count("GetDownloadUrlForLayer") == 2


def test_a_corrupt_download_leaves_no_file(
    kit: Kit, registry: EcrRegistryServer, stored: str, tmp_path: Path
) -> None:
    registry.faults.corrupt_download()
    (tmp_path / "out").mkdir()
    with pytest.raises(DigestMismatchError) as caught:
        kit.download_blob(REPOSITORY, stored, tmp_path / "out" / "blob")
    assert caught.value.expected == stored and caught.value.actual != stored
    assert caught.value.bytes_done == len(BLOB)
    assert only_file(tmp_path / "out") == []


def test_a_download_that_keeps_breaking_gives_up_without_leaking_the_url(
    kit: Kit, registry: EcrRegistryServer, stored: str, tmp_path: Path
) -> None:
    registry.faults.drop_download(after_bytes=0, count=10)
    (tmp_path / "out").mkdir()
    with pytest.raises(BlobDownloadError) as caught:
        kit.download_blob(REPOSITORY, stored, tmp_path / "out" / "blob")
    assert caught.value.digest == stored and caught.value.bytes_done == 0
    assert "X-Amz-Signature" not in str(caught.value) and "Security-Token" not in str(caught.value)
    assert "made no progress" in str(caught.value)
    assert only_file(tmp_path / "out") == []


def test_a_missing_layer_is_a_download_error(
    kit: Kit, registry: EcrRegistryServer, tmp_path: Path
) -> None:
    absent = digest(b"absent")
    with pytest.raises(BlobDownloadError) as caught:
        kit.download_blob(REPOSITORY, absent, tmp_path / "blob")
    assert type(caught.value.cause).__name__ == "LayersNotFoundException"
    assert list(tmp_path.iterdir()) == []


def test_an_interrupt_leaves_no_partial_file(
    kit: Kit, registry: EcrRegistryServer, stored: str, tmp_path: Path
) -> None:
    def interrupt(done: int, total: int | None) -> None:
        if done > 100_000:
            raise KeyboardInterrupt

    (tmp_path / "out").mkdir()
    with pytest.raises(KeyboardInterrupt):
        kit.download_blob(REPOSITORY, stored, tmp_path / "out" / "blob", progress=interrupt)
    assert only_file(tmp_path / "out") == []


def test_bad_arguments_are_plain_errors(kit: Kit, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unsupported digest algorithm 'sha512'"):
        kit.download_blob(REPOSITORY, "sha512:" + "0" * 128, tmp_path / "blob")
    with pytest.raises(ValueError, match="size=3 but the source holds 4 bytes"):
        kit.upload_blob(REPOSITORY, b"four", size=3)
    with pytest.raises(TypeError, match="for one tag pass"):
        kit.retag(REPOSITORY, "v1", "v2")
    with pytest.raises(ValueError, match="max_concurrency"):
        kit.push_image(REPOSITORY, tmp_path, max_concurrency=0)
