"""The examples folder is real user code: run it against the moto server so it cannot rot."""

from __future__ import annotations

import asyncio
import sys
import uuid
from pathlib import Path

import pytest

from ecrclient import AsyncECRClient, ECRClient
from ecrclient.errors import ScanNotFoundException
from ecrclient.model import (
    DescribeImageScanFindingsResult,
    EnhancedImageScanFinding,
    GetRegistryScanningConfigurationResult,
    ImageIdentifier,
    ImageScanFindings,
    ImageScanStatus,
    RegistryScanningConfiguration,
)
from ecrclient.testing import TypedStubber

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "examples"))

import async_usage
import boto3_style
import catch_faults
import paginate_images
import push_manifest
import wait_for_scan

KEYS = {"aws_access_key_id": "AKIDEXAMPLE", "aws_secret_access_key": "secret"}


@pytest.fixture
def ecr(moto_endpoint: str) -> ECRClient:
    return ECRClient(region_name="us-east-1", endpoint_url=moto_endpoint, **KEYS)


@pytest.fixture
def repository(ecr: ECRClient) -> str:
    name = f"examples-{uuid.uuid4().hex[:8]}"
    ecr.create_repository(repository_name=name)
    return name


def test_push_and_read_back(ecr: ECRClient, repository: str) -> None:
    digest = push_manifest.push(ecr, repository, "v1")
    assert push_manifest.push(ecr, repository, "v1") == digest  # pushing again is fine
    assert push_manifest.read_back(ecr, repository, digest) == push_manifest.manifest("v1")


def test_paginate(ecr: ECRClient, repository: str) -> None:
    for n in range(12):
        push_manifest.push(ecr, repository, f"t{n}")
    details = list(paginate_images.image_details(ecr, repository, page_size=5))
    assert len(details) == 12
    assert sorted(
        t for page in paginate_images.tags_per_page(ecr, repository) for t in page
    ) == sorted(f"t{n}" for n in range(12))
    head, rest = paginate_images.first_items_then_the_rest(ecr, repository)
    assert len(head) == 10 and len(rest) == 2


def test_catch_faults(ecr: ECRClient, repository: str, capsys: pytest.CaptureFixture[str]) -> None:
    uri = catch_faults.ensure_repository(ecr, repository)
    assert uri.endswith(f"/{repository}")
    assert catch_faults.ensure_repository(ecr, repository) == uri
    assert catch_faults.describe_or_none(ecr, repository + "-missing") is None
    assert "RepositoryNotFoundException (HTTP 400" in capsys.readouterr().out
    assert catch_faults.describe_or_none(ecr, "a") is None  # shorter than the minimum of 2
    assert "bad input:" in capsys.readouterr().out


def test_boto3_style(
    moto_endpoint: str, ecr: ECRClient, repository: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", KEYS["aws_access_key_id"])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", KEYS["aws_secret_access_key"])
    push_manifest.push(ecr, repository, "latest")
    assert boto3_style.image_tags(repository, moto_endpoint) == ["latest"]
    assert boto3_style.image_tags(repository + "-missing", moto_endpoint) == []
    assert boto3_style.repository_uri(repository, moto_endpoint).endswith(repository)


def test_async_usage(moto_endpoint: str, ecr: ECRClient, repository: str) -> None:
    push_manifest.push(ecr, repository, "v9")

    async def run() -> tuple[int, list[str]]:
        client = AsyncECRClient(region_name="us-east-1", endpoint_url=moto_endpoint, **KEYS)
        try:
            found = await async_usage.describe_many(client, [repository, repository])
            return len(found), await async_usage.all_tags(client, repository)
        finally:
            await client.close()

    assert asyncio.run(run()) == (2, ["v9"])


def test_wait_for_a_basic_scan(ecr: ECRClient, repository: str) -> None:
    push_manifest.push(ecr, repository, "v1")
    result = wait_for_scan.scan_and_wait(ecr, repository, "v1", budget_seconds=60, interval=0.2)
    assert result is not None and result.image_scan_status is not None
    assert result.image_scan_status.status == "COMPLETE"
    assert wait_for_scan.severity_counts(result) == {"HIGH": 1}  # what moto reports
    # A second scan the same day is refused by the service; the findings still come back.
    again = wait_for_scan.scan_and_wait(ecr, repository, "v1", budget_seconds=60, interval=0.2)
    assert again is not None and wait_for_scan.severity_counts(again) == {"HIGH": 1}


def _findings(status: str, *, findings: bool) -> DescribeImageScanFindingsResult:
    return DescribeImageScanFindingsResult(
        image_scan_status=ImageScanStatus(status=status),
        image_scan_findings=ImageScanFindings(
            finding_severity_counts={"CRITICAL": 1},
            enhanced_findings=[EnhancedImageScanFinding(severity="CRITICAL", title="CVE-1")],
        )
        if findings
        else None,
    )


def test_wait_for_an_enhanced_scan() -> None:
    """Enhanced scanning: no scan is started; PENDING, then COMPLETE before the findings, then
    ACTIVE with them."""
    ecr = ECRClient(region_name="us-east-1", **KEYS)
    with TypedStubber(ecr) as stubber:
        stubber.add_response(
            "get_registry_scanning_configuration",
            GetRegistryScanningConfigurationResult(
                scanning_configuration=RegistryScanningConfiguration(scan_type="ENHANCED")
            ),
        )
        stubber.add_error("describe_image_scan_findings", ScanNotFoundException)
        for status, findings in (("PENDING", False), ("COMPLETE", False), ("ACTIVE", True)):
            stubber.add_response(
                "describe_image_scan_findings", _findings(status, findings=findings)
            )
        result = wait_for_scan.scan_and_wait(ecr, "web", "v1", interval=0.01)
        assert result is not None and wait_for_scan.severity_counts(result) == {"CRITICAL": 1}
        stubber.assert_no_pending_responses()

        stubber.add_response("describe_image_scan_findings", _findings("ACTIVE", findings=True))
        found = wait_for_scan.enhanced_findings(ecr, "web", ImageIdentifier(image_tag="v1"))
        assert [finding.title for finding in found] == ["CVE-1"]


def test_waiting_for_a_scan_ends(capsys: pytest.CaptureFixture[str]) -> None:
    ecr = ECRClient(region_name="us-east-1", **KEYS)
    image = ImageIdentifier(image_tag="v1")
    now = [0.0]
    with TypedStubber(ecr) as stubber:
        for _ in range(4):
            stubber.add_response(
                "describe_image_scan_findings", _findings("IN_PROGRESS", findings=False)
            )
        with pytest.raises(TimeoutError):
            wait_for_scan.wait_for_findings(
                ecr,
                "web",
                image,
                timeout=15,
                interval=5,
                sleep=lambda seconds: now.__setitem__(0, now[0] + seconds),
                clock=lambda: now[0],
            )
        assert now[0] == 15
        stubber.assert_no_pending_responses()

        stubber.add_response(
            "describe_image_scan_findings",
            DescribeImageScanFindingsResult(
                image_scan_status=ImageScanStatus(status="UNSUPPORTED_IMAGE", description="no OS")
            ),
        )
        with pytest.raises(wait_for_scan.ScanFailedError, match="UNSUPPORTED_IMAGE: no OS"):
            wait_for_scan.wait_for_findings(ecr, "web", image, sleep=lambda seconds: None)
