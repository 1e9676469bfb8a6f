"""Scan gates: the readiness rules, enhanced scanning (``ACTIVE``, ``enhancedFindings`` over
several pages), findings that arrive after ``COMPLETE``, and the CLI's exit statuses — against
the stub, which can answer what moto cannot."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from typing import Any

import pytest

from ecrclient import AsyncECRClient, ECRClient
from ecrclient.scanning import (
    ScanFindingsUnavailable,
    evaluate_gate,
    scan_gate,
    scan_gate_async,
    wait_for_scan_findings,
)

from .ecr_stub import Answer, EcrStub, error
from .harness import Shell

DIGEST = "sha256:" + "cd" * 32


def _page(
    status: str | None,
    *,
    counts: dict[str, int] | None = None,
    findings: list[str] | None = None,
    enhanced: list[str] | None = None,
    next_token: str | None = None,
    description: str = "",
) -> Answer:
    body: dict[str, Any] = {
        "repositoryName": "team/web",
        "imageId": {"imageDigest": DIGEST, "imageTag": "v1"},
    }
    if status is not None:
        body["imageScanStatus"] = {"status": status, "description": description}
    scan: dict[str, Any] = {}
    if counts is not None:
        scan["findingSeverityCounts"] = counts
    if findings is not None:
        scan["findings"] = [{"name": f"CVE-{i}", "severity": s} for i, s in enumerate(findings)]
    if enhanced is not None:
        scan["enhancedFindings"] = [
            {"findingArn": f"arn:finding/{i}", "severity": s, "title": f"CVE-{i}"}
            for i, s in enumerate(enhanced)
        ]
    if scan or status in ("COMPLETE", "ACTIVE"):
        scan["imageScanCompletedAt"] = time.time()
    if scan:
        body["imageScanFindings"] = scan
    if next_token:
        body["nextToken"] = next_token
    return 200, body


NOT_FOUND = error("ScanNotFoundException", "Image scan does not exist for the image")


@pytest.fixture
def ecr(stub: EcrStub) -> Iterator[ECRClient]:
    with ECRClient(
        region_name="us-east-1",
        endpoint_url=stub.url,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    ) as client:
        yield client


def test_enhanced_scanning_active_with_findings_on_several_pages_fails_the_gate(
    stub: EcrStub, ecr: ECRClient
) -> None:
    stub.script(
        "DescribeImageScanFindings",
        [
            _page("PENDING"),
            _page("ACTIVE", enhanced=["LOW", "MEDIUM"], next_token="page-2"),
            _page("ACTIVE", enhanced=["HIGH", "UNTRIAGED"], next_token="page-3"),
            _page("ACTIVE", enhanced=["CRITICAL"]),
        ],
    )
    verdict = scan_gate(ecr, "team/web", "v1", fail_on="HIGH", delay=0.01, max_wait=10)
    report = verdict.report
    assert (report.scan_type, report.status, report.polls) == ("ENHANCED", "ACTIVE", 2)
    assert dict(report.severity_counts) == {
        "CRITICAL": 1,
        "HIGH": 1,
        "MEDIUM": 1,
        "LOW": 1,
        "UNTRIAGED": 1,
    }
    assert report.findings_listed == 5 and report.highest_severity == "CRITICAL"
    assert not verdict.passed and dict(verdict.blocking) == {"CRITICAL": 1, "HIGH": 1}
    assert report.image_id.image_digest == DIGEST
    tokens = [body.get("nextToken") for body in stub.bodies("DescribeImageScanFindings")]
    assert tokens == [None, None, "page-2", "page-3"]
    assert evaluate_gate(report, "CRITICAL").blocking == {"CRITICAL": 1}
    assert evaluate_gate(report, None).passed


def test_complete_without_severity_counts_keeps_polling(stub: EcrStub, ecr: ECRClient) -> None:
    stub.script(
        "DescribeImageScanFindings",
        [
            NOT_FOUND,  # right after the push
            _page("IN_PROGRESS"),
            _page("COMPLETE"),  # the status came first ...
            _page(
                "COMPLETE", counts={"MEDIUM": 2}, findings=["MEDIUM", "MEDIUM"]
            ),  # ... then these
        ],
    )
    report = wait_for_scan_findings(ecr, "team/web", DIGEST, delay=0.01, max_wait=10)
    assert (report.scan_type, report.polls, dict(report.severity_counts)) == (
        "BASIC",
        4,
        {"MEDIUM": 2},
    )
    assert stub.bodies("DescribeImageScanFindings")[0]["imageId"] == {"imageDigest": DIGEST}
    assert scan_gate(ecr, "team/web", DIGEST, delay=0.01, max_wait=10).passed


def test_an_empty_severity_map_means_no_findings(stub: EcrStub, ecr: ECRClient) -> None:
    stub.script("DescribeImageScanFindings", [_page("COMPLETE", counts={}, findings=[])])
    verdict = scan_gate(ecr, "team/web", "v1", fail_on="LOW", delay=0.01, max_wait=1)
    assert verdict.passed and verdict.report.total == 0


def test_the_summary_and_the_list_are_both_counted(stub: EcrStub, ecr: ECRClient) -> None:
    # a summary that lags the list must not hide the CRITICAL finding
    stub.script(
        "DescribeImageScanFindings", [_page("COMPLETE", counts={"LOW": 3}, findings=["CRITICAL"])]
    )
    report = wait_for_scan_findings(ecr, "team/web", "v1", delay=0.01, max_wait=1)
    assert dict(report.severity_counts) == {"CRITICAL": 1, "LOW": 3}


def test_a_scan_that_will_never_have_findings_stops_at_once(stub: EcrStub, ecr: ECRClient) -> None:
    stub.script(
        "DescribeImageScanFindings",
        [_page("UNSUPPORTED_IMAGE", description="The operating system is not supported")],
    )
    with pytest.raises(ScanFindingsUnavailable) as caught:
        scan_gate(ecr, "team/web", "v1", delay=0.01, max_wait=60)
    assert (caught.value.status, caught.value.timed_out, caught.value.polls) == (
        "UNSUPPORTED_IMAGE",
        False,
        1,
    )
    assert "not supported" in caught.value.reason


def test_findings_that_do_not_come_in_time(stub: EcrStub, ecr: ECRClient) -> None:
    stub.script("DescribeImageScanFindings", [_page("COMPLETE")])
    started = time.monotonic()
    with pytest.raises(ScanFindingsUnavailable) as caught:
        wait_for_scan_findings(ecr, "team/web", "v1", delay=0.05, max_wait=0.3)
    assert caught.value.timed_out and caught.value.status == "COMPLETE"
    assert "findings not available yet" in caught.value.reason
    assert 0.25 < time.monotonic() - started < 5
    assert caught.value.polls >= 3


def test_other_faults_are_raised(stub: EcrStub, ecr: ECRClient) -> None:
    from ecrclient.errors import AmazonECRException

    stub.script("DescribeImageScanFindings", [error("ImageNotFoundException", "no such image")])
    with pytest.raises(AmazonECRException) as caught:
        scan_gate(ecr, "team/web", "v9", delay=0.01, max_wait=5)
    assert caught.value.error_code == "ImageNotFoundException"


def test_a_bad_threshold_fails_before_any_call(stub: EcrStub, ecr: ECRClient) -> None:
    with pytest.raises(ValueError, match="not a severity"):
        scan_gate(ecr, "team/web", "v1", fail_on="SEVERE")
    assert stub.count("DescribeImageScanFindings") == 0


def test_the_async_gate(stub: EcrStub) -> None:
    stub.script(
        "DescribeImageScanFindings",
        [
            NOT_FOUND,
            _page("ACTIVE", enhanced=["MEDIUM"], next_token="p2"),
            _page("ACTIVE", enhanced=[]),
        ],
    )

    async def main() -> bool:
        async with AsyncECRClient(
            region_name="us-east-1",
            endpoint_url=stub.url,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        ) as ecr:
            verdict = await scan_gate_async(ecr, "team/web", "v1", delay=0.01, max_wait=10)
            return verdict.passed and verdict.report.severity_counts == {"MEDIUM": 1}

    assert asyncio.run(main())
    assert stub.count("DescribeImageScanFindings") == 3


def test_the_stock_waiter_keeps_boto3s_semantics(stub: EcrStub, ecr: ECRClient) -> None:
    """Documented difference: the generated waiter does not know ``ACTIVE`` and keeps polling;
    the scanning functions here do."""
    from ecrclient.errors import WaiterError
    from ecrclient.model import ImageIdentifier

    stub.script("DescribeImageScanFindings", [_page("ACTIVE", enhanced=[])])
    with pytest.raises(WaiterError):
        ecr.waiters.image_scan_complete.wait(
            repository_name="team/web",
            image_id=ImageIdentifier(image_tag="v1"),
            max_attempts=2,
            delay=0.01,
        )
    assert wait_for_scan_findings(ecr, "team/web", "v1", delay=0.01, max_wait=1).status == "ACTIVE"


# -- the command line ------------------------------------------------------------------------


def test_scan_command_exit_statuses_under_enhanced_scanning(
    stub: EcrStub, stub_shell: Shell
) -> None:
    stub.script(
        "DescribeImageScanFindings",
        [NOT_FOUND, _page("ACTIVE", enhanced=["HIGH", "LOW"])],
    )
    failing = stub_shell.cli("scan", "team/web:v1", "--wait", "--interval", "0.05")
    assert failing.returncode == 1, failing.stderr
    assert failing.stdout == (
        "team/web:v1 (sha256:cdcdcdcdcdcd): ENHANCED scan ACTIVE; HIGH 1, LOW 1; "
        "FAIL: findings at or above HIGH\n"
    )
    passing = stub_shell.cli("--json", "scan", "team/web:v1", "--fail-on", "CRITICAL")
    assert passing.returncode == 0
    document = json.loads(passing.stdout)
    assert document["passed"] and document["scan_type"] == "ENHANCED"
    assert document["severity_counts"] == {"HIGH": 1, "LOW": 1}
    report_only = stub_shell.cli("scan", "team/web@" + DIGEST, "--fail-on", "none")
    assert report_only.returncode == 0 and report_only.stdout.endswith("REPORT ONLY\n")
    body = stub.bodies("DescribeImageScanFindings")[-1]
    assert body["imageId"] == {"imageDigest": DIGEST}


def test_scan_command_reports_unavailable_findings_with_status_2(
    stub: EcrStub, stub_shell: Shell
) -> None:
    stub.script("DescribeImageScanFindings", [_page("IN_PROGRESS")])
    waited = stub_shell.cli(
        "scan", "team/web:v1", "--wait", "--max-wait", "0.2", "--interval", "0.05"
    )
    assert waited.returncode == 2
    assert waited.stderr.startswith("ecrclient: error: team/web:v1: no findings within 0.2 s")
    once = stub_shell.cli("--json", "scan", "team/web:v1")
    assert once.returncode == 2 and "use --wait" in once.stderr
    assert json.loads(once.stdout) == {
        "image": "team/web:v1",
        "status": "IN_PROGRESS",
        "error": "no findings within 0 s (last: scan IN_PROGRESS)",
        "timed_out": True,
        "passed": False,
    }
    stub.script("DescribeImageScanFindings", [_page("FAILED", description="scan failed")])
    failed = stub_shell.cli("scan", "team/web:v1", "--wait")
    assert failed.returncode == 2 and "FAILED: scan failed" in failed.stderr
