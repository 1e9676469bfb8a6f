"""Push and pull through moto's server, as far as moto goes.

moto (5.2) implements the upload calls, ``PutImage`` and ``BatchGetImage``, so pushes, re-pushes
and retags run end to end. What it does not do, and the local registry server does instead:
``GetDownloadUrlForLayer`` (not implemented: HTTP 500, so no blob can be downloaded and a pull
stops at its first blob); checking the digest at ``CompleteLayerUpload``; checking on
``PutImage`` that the manifest's blobs (or an index's manifests) are there; media-type
agreement, and ``acceptedMediaTypes`` on ``BatchGetImage`` (it returns the stored bytes
whatever was asked). These tests pin that boundary, so a moto that grows the missing parts
shows up here.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.oci_images import multi_platform_image, single_image
from support.transfer_kits import FAST_RETRIES, KEYS

from ecrclient import ECRClient, transfer
from ecrclient.errors import MalformedResponseError
from ecrclient.transfer import BlobDownloadError, DigestMismatchError


@pytest.fixture
def moto(moto_endpoint: str) -> Iterator[tuple[ECRClient, str]]:
    repository = f"transfer/{uuid.uuid4().hex[:8]}"
    with ECRClient(
        region_name="us-east-1", endpoint_url=moto_endpoint, config=FAST_RETRIES, **KEYS
    ) as ecr:
        ecr.create_repository(repository_name=repository)
        yield ecr, repository
        ecr.delete_repository(repository_name=repository, force=True)


@pytest.mark.parametrize("build", [single_image, multi_platform_image])
def test_push_retag_and_push_again_through_moto(moto, build, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ecr, repository = moto
    image = build(tmp_path / "built")

    pushed = transfer.push_image(ecr, repository, image.layout, tags=["v1"])
    assert pushed.digest == image.digest
    assert sorted(pushed.blobs_transferred) == sorted(image.blobs)

    assert transfer.retag(ecr, repository, "v1", ["stable"]).digest == image.digest
    again = transfer.push_image(ecr, repository, image.layout, tags=["v1"])
    assert again.blobs_transferred == () and again.tags == ("v1",)


def test_pull_through_moto_stops_at_the_first_blob(moto, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ecr, repository = moto
    image = single_image(tmp_path / "built")
    transfer.push_image(ecr, repository, image.layout, tags=["v1"])
    once = ecr.with_options(max_attempts=1)  # moto's 500 would be retried
    with pytest.raises(BlobDownloadError) as caught:
        transfer.pull_image(once, repository, "v1", tmp_path / "pulled")
    assert isinstance(caught.value.cause, MalformedResponseError)  # moto's HTML error page
    assert "GetDownloadUrlForLayer (HTTP 500" in str(caught.value)
    assert not (tmp_path / "pulled" / "index.json").exists()


def test_the_client_checks_the_digest_moto_does_not(moto) -> None:  # type: ignore[no-untyped-def]
    ecr, repository = moto
    with pytest.raises(DigestMismatchError):
        transfer.upload_blob(ecr, repository, b"payload", digest="sha256:" + "0" * 64)
