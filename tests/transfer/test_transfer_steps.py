"""The pure parts of ecrclient.transfer, without any server: part planning, what an HTTP answer
means, media types, layout bookkeeping, and steps driven by hand through their effects."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from support.oci_images import DOCKER_MANIFEST, OCI_INDEX, OCI_MANIFEST, digest, odd_json

from ecrclient.errors import InvalidLayerPartException
from ecrclient.model import InitiateLayerUploadResult, UploadLayerPartResult
from ecrclient.transfer import MediaTypeError
from ecrclient.transfer._download import Answer, judge
from ecrclient.transfer._effects import Call, ReadSource, RepositoryRef, SeekSource
from ecrclient.transfer._layout import blob_path, select_image, updated_index
from ecrclient.transfer._media import REF_NAME, Descriptor, parse_manifest
from ecrclient.transfer._parts import MAX_PART_SIZE, Resume, part_size, plan_resume
from ecrclient.transfer._progress import ProgressMeter
from ecrclient.transfer._sources import BytesSource
from ecrclient.transfer._upload import upload_steps


@pytest.mark.parametrize(
    ("confirmed", "length", "last_valid", "action", "offset"),
    [
        (100, 50, 149, Resume.SKIP_PART, 150),  # the part arrived, its answer did not
        (100, 50, 119, Resume.RESEND_TAIL, 120),  # the head of the part arrived
        (100, 50, 99, Resume.RESEND_TAIL, 100),  # none of it arrived
        (100, 50, 49, Resume.REWIND, 50),  # an earlier part was lost
        (100, 50, None, Resume.REWIND, 0),  # nothing is left
        (100, 50, 170, Resume.IMPOSSIBLE, 171),  # more than was ever sent
    ],
)
def test_plan_resume(
    confirmed: int, length: int, last_valid: int | None, action: Resume, offset: int
) -> None:
    plan = plan_resume(confirmed, length, last_valid)
    assert (plan.action, plan.offset) == (action, offset)


def test_part_size_follows_the_service_within_the_model_limit() -> None:
    assert part_size(5 * 1024 * 1024) == 5 * 1024 * 1024
    assert part_size(None) == part_size(0) == 10 * 1024 * 1024
    assert part_size(64 * 1024 * 1024) == MAX_PART_SIZE


@pytest.mark.parametrize(
    ("status", "headers", "start", "answer"),
    [
        (200, {}, 0, Answer.BODY),
        (200, {}, 10, Answer.RESTART),
        (206, {"content-range": "bytes 10-99/100"}, 10, Answer.BODY),
        (206, {"content-range": "bytes 0-99/100"}, 10, Answer.FAIL),
        (206, {}, 10, Answer.FAIL),
        (403, {}, 0, Answer.NEW_URL),
        (503, {}, 0, Answer.RETRY),
        (429, {}, 0, Answer.RETRY),
        (404, {}, 0, Answer.FAIL),
    ],
)
def test_judge(status: int, headers: dict[str, str], start: int, answer: Answer) -> None:
    assert judge(status, headers, start) is answer


def test_media_types() -> None:
    manifest = odd_json({"schemaVersion": 2, "config": {}, "layers": []}).replace(
        b"{}", json.dumps({"digest": digest(b"c"), "size": 1}).encode()
    )
    assert parse_manifest(manifest).media_type == OCI_MANIFEST  # from its shape
    assert parse_manifest(manifest, DOCKER_MANIFEST).media_type == DOCKER_MANIFEST
    stated = odd_json({"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": []})
    with pytest.raises(MediaTypeError, match="contradicts"):
        parse_manifest(stated, OCI_MANIFEST)
    with pytest.raises(MediaTypeError, match="unsupported manifest media type"):
        parse_manifest(b'{"schemaVersion": 1, "mediaType": "text/plain"}')


def test_layout_index_bookkeeping(tmp_path: Path) -> None:
    one = Descriptor(
        media_type=OCI_MANIFEST, digest=digest(b"1"), size=1, annotations={REF_NAME: "v1"}
    )
    two = Descriptor(
        media_type=OCI_MANIFEST, digest=digest(b"2"), size=1, annotations={REF_NAME: "v1"}
    )
    other = {"mediaType": OCI_MANIFEST, "digest": digest(b"3"), "size": 1, "custom": True}
    existing = json.dumps({"schemaVersion": 2, "manifests": [other]}).encode()
    written = json.loads(updated_index(updated_index(existing, one, tmp_path), two, tmp_path))
    assert written["manifests"] == [other, two.to_json()]  # v1 replaced, the rest kept as is
    assert select_image([one], None, tmp_path) is one
    assert select_image([one], one.digest, tmp_path) is one
    assert blob_path(tmp_path, one.digest) == tmp_path / "blobs" / "sha256" / one.digest[7:]


def test_upload_steps_driven_by_hand() -> None:
    """The upload's decisions are visible in its effects: no network, no driver."""
    data = bytes(range(256)) * 10  # 2560 bytes: parts of 1024, 1024, 512
    steps = upload_steps(
        RepositoryRef(object(), "team/app"),
        BytesSource(data),
        digest=None,
        check_first=False,
        meter=ProgressMeter(None),
    )
    effect: Any = next(steps)
    hashed = 0
    while isinstance(effect, ReadSource):  # the digest pass
        chunk = effect.source.read(effect.count)
        hashed += len(chunk)
        effect = steps.send(chunk)
    assert hashed == len(data) and isinstance(effect, SeekSource) and effect.offset == 0
    effect.source.seek(0)
    effect = steps.send(None)
    assert isinstance(effect, Call) and effect.operation == "initiate_layer_upload"
    upload_id = "11111111-2222-3333-4444-555555555555"
    effect = steps.send(InitiateLayerUploadResult(upload_id=upload_id, part_size=1024))
    sent: list[tuple[int, int]] = []
    rejected = False
    while not (isinstance(effect, Call) and effect.operation == "complete_layer_upload"):
        if isinstance(effect, ReadSource):
            effect = steps.send(effect.source.read(effect.count))
            continue
        request = effect.request
        sent.append((request.part_first_byte, request.part_last_byte))
        if request.part_first_byte == 1024 and not rejected:
            rejected = True  # ECR kept only 100 bytes of the second part
            fault = InvalidLayerPartException(
                {"Error": {"Code": "InvalidLayerPartException"}, "lastValidByteReceived": 1123},
                "UploadLayerPart",
            )
            effect = steps.throw(fault)
            continue
        effect = steps.send(UploadLayerPartResult(last_byte_received=request.part_last_byte))
    assert sent == [(0, 1023), (1024, 2047), (1124, 2147), (2148, 2559)]
    assert effect.request.layer_digests == [digest(data)]
