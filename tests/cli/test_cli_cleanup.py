"""Chunked deletes with failures gathered per image, and prune plans (pure, and through the
drivers against the stub)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from ecrclient import AsyncECRClient, ECRClient
from ecrclient.cleanup import (
    PruneCriteria,
    delete_images,
    delete_images_async,
    prune,
    prune_async,
)
from ecrclient.cleanup.decisions import chunks, index_children, plan_prune
from ecrclient.model import ImageDetail, ImageIdentifier

from .ecr_stub import EcrStub, error

NOW = datetime(2025, 6, 1, tzinfo=timezone.utc)


def _digest(number: int) -> str:
    return f"sha256:{number:064x}"


@pytest.fixture
def ecr(stub: EcrStub) -> Iterator[ECRClient]:
    with ECRClient(
        region_name="us-east-1",
        endpoint_url=stub.url,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    ) as client:
        yield client


# -- deleting ------------------------------------------------------------------------------


def test_250_ids_take_three_calls_and_failures_are_gathered(stub: EcrStub, ecr: ECRClient) -> None:
    stub.missing_tags = {"t007", "t150", "t249"}
    tags = [f"t{number:03d}" for number in range(250)]
    summary = delete_images(ecr, "team/web", [*tags, "t000"])  # a repeat is sent once
    sizes = [len(body["imageIds"]) for body in stub.bodies("BatchDeleteImage")]
    assert sizes == [100, 100, 50] and summary.calls == 3
    assert len(summary.requested) == 250 and len(summary.deleted) == 247
    assert [failure.image_id.image_tag for failure in summary.failures] == ["t007", "t150", "t249"]
    assert {failure.code for failure in summary.failures} == {"ImageNotFound"}
    assert not summary.ok


def test_a_chunk_the_service_refuses_fails_its_images_and_the_rest_goes_on(
    stub: EcrStub, ecr: ECRClient
) -> None:
    stub.script(
        "BatchDeleteImage",
        [
            error("KmsException", "key disabled"),
            (200, {"imageIds": [{"imageDigest": _digest(1)}], "failures": []}),
        ],
    )
    summary = delete_images(ecr, "team/web", [_digest(n) for n in range(101)])
    assert summary.calls == 2 and len(summary.failures) == 100
    assert (
        summary.failures[0].code == "KmsException" and summary.failures[0].reason == "key disabled"
    )
    assert summary.failures[0].image_id == ImageIdentifier(image_digest=_digest(0))


def test_a_missing_repository_is_raised(stub: EcrStub, ecr: ECRClient) -> None:
    from ecrclient.errors import AmazonECRException

    stub.script("BatchDeleteImage", [error("RepositoryNotFoundException", "no repository")])
    with pytest.raises(AmazonECRException) as caught:
        delete_images(ecr, "team/gone", [f"t{n}" for n in range(150)])
    assert caught.value.error_code == "RepositoryNotFoundException"
    assert stub.count("BatchDeleteImage") == 1


def test_the_async_delete(stub: EcrStub) -> None:
    stub.missing_tags = {"t3"}

    async def main() -> tuple[int, int]:
        async with AsyncECRClient(
            region_name="us-east-1",
            endpoint_url=stub.url,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        ) as ecr:
            summary = await delete_images_async(ecr, "team/web", [f"t{n}" for n in range(120)])
            return summary.calls, len(summary.failures)

    assert asyncio.run(main()) == (2, 1)


def test_ids_and_chunks() -> None:
    ids = chunks(["v1", _digest(1), ImageIdentifier(image_tag="v1")], size=2)
    assert ids == [[ImageIdentifier(image_tag="v1"), ImageIdentifier(image_digest=_digest(1))]]
    with pytest.raises(ValueError):
        chunks(["v1"], size=101)


# -- prune plans ---------------------------------------------------------------------------


def _image(number: int, days_old: float, *tags: str, media_type: str | None = None) -> ImageDetail:
    return ImageDetail(
        image_digest=_digest(number),
        image_tags=list(tags) or None,
        image_pushed_at=NOW - timedelta(days=days_old),
        image_size_in_bytes=1024 * 1024,
        image_manifest_media_type=media_type
        or "application/vnd.docker.distribution.manifest.v2+json",
    )


IMAGES = [
    _image(1, 1, "v5"),
    _image(2, 2),
    _image(3, 40, "v4"),
    _image(4, 50),
    _image(5, 60, "v3"),
]


def _verdicts(criteria: PruneCriteria, images: list[ImageDetail] = IMAGES) -> dict[int, bool]:
    plan = plan_prune("team/web", images, criteria, now=NOW)
    return {int(decision.digest[7:], 16): decision.delete for decision in plan.decisions}


def test_keep_last_alone_deletes_everything_older() -> None:
    assert _verdicts(PruneCriteria(keep_last=2)) == {1: False, 2: False, 3: True, 4: True, 5: True}


def test_selectors_combine_and_keep_last_protects() -> None:
    assert _verdicts(PruneCriteria(untagged=True)) == {
        1: False,
        2: True,
        3: False,
        4: True,
        5: False,
    }
    old = PruneCriteria(older_than=timedelta(days=30))
    assert _verdicts(old) == {1: False, 2: False, 3: True, 4: True, 5: True}
    both = PruneCriteria(untagged=True, older_than=timedelta(days=30))
    assert _verdicts(both) == {1: False, 2: False, 3: False, 4: True, 5: False}
    protected = PruneCriteria(keep_last=2, untagged=True)
    assert _verdicts(protected) == {1: False, 2: False, 3: False, 4: True, 5: False}


def test_every_image_has_its_reasons() -> None:
    plan = plan_prune(
        "team/web",
        [*IMAGES, ImageDetail(image_digest=_digest(9))],
        PruneCriteria(keep_last=1, older_than=timedelta(days=30)),
        now=NOW,
    )
    reasons = {int(d.digest[7:], 16): d.reasons for d in plan.decisions}
    assert reasons[1] == ("among the 1 most recently pushed",)
    assert reasons[2] == ("pushed 2.0 days ago, within 30 days",)
    assert reasons[4] == ("pushed 50 days ago, more than 30 days",)
    assert reasons[9] == ("push time unknown",)
    assert plan.reclaimed_bytes == 3 * 1024 * 1024 and len(plan.to_keep) == 3


def test_criteria_are_checked() -> None:
    with pytest.raises(ValueError, match="nothing to prune by"):
        PruneCriteria()
    with pytest.raises(ValueError):
        PruneCriteria(keep_last=-1)


def test_children_of_a_kept_index_are_protected() -> None:
    index = json.dumps({"manifests": [{"digest": _digest(2)}, {"digest": _digest(4)}]})
    assert list(index_children(index)) == [_digest(2), _digest(4)]
    assert list(index_children("not json")) == [] and list(index_children("[]")) == []


def _details(images: list[ImageDetail]) -> dict[str, Any]:
    return {
        "imageDetails": [
            {
                "imageDigest": image.image_digest,
                **({"imageTags": list(image.image_tags)} if image.image_tags else {}),
                "imagePushedAt": image.image_pushed_at.timestamp()
                if image.image_pushed_at
                else None,
                "imageSizeInBytes": image.image_size_in_bytes,
                "imageManifestMediaType": image.image_manifest_media_type,
            }
            for image in images
        ]
    }


def test_prune_through_the_driver_protects_index_children_and_deletes_by_digest(
    stub: EcrStub, ecr: ECRClient
) -> None:
    index_type = "application/vnd.oci.image.index.v1+json"
    images = [*IMAGES, _image(6, 70, "multi", media_type=index_type)]
    stub.script("DescribeImages", [(200, _details(images))])
    manifest = json.dumps({"manifests": [{"digest": _digest(4)}]})
    stub.script(
        "BatchGetImage",
        [(200, {"images": [{"imageId": {"imageDigest": _digest(6)}, "imageManifest": manifest}]})],
    )
    dry = prune(ecr, "team/web", untagged=True, now=NOW)
    assert [decision.digest for decision in dry.plan.to_delete] == [_digest(2)]
    assert dry.deletion is None and stub.count("BatchDeleteImage") == 0
    kept = {decision.digest: decision.reasons for decision in dry.plan.to_keep}
    assert kept[_digest(4)][0].startswith("referred to by the kept index sha256:")
    (request,) = stub.bodies("BatchGetImage")
    assert request["imageIds"] == [{"imageDigest": _digest(6)}]
    done = prune(ecr, "team/web", untagged=True, now=NOW, dry_run=False)
    assert done.deletion is not None and done.deletion.ok
    assert stub.bodies("BatchDeleteImage") == [
        {"repositoryName": "team/web", "imageIds": [{"imageDigest": _digest(2)}]}
    ]


def test_the_async_prune(stub: EcrStub) -> None:
    stub.script("DescribeImages", [(200, _details(IMAGES))])

    async def main() -> list[str]:
        async with AsyncECRClient(
            region_name="us-east-1",
            endpoint_url=stub.url,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        ) as ecr:
            result = await prune_async(ecr, "team/web", keep_last=3, now=NOW, dry_run=False)
            return [decision.digest for decision in result.plan.to_delete]

    assert asyncio.run(main()) == [_digest(4), _digest(5)]
    assert len(stub.bodies("BatchDeleteImage")[0]["imageIds"]) == 2
