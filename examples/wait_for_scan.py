"""Wait for an image's scan findings, under basic or enhanced scanning, within a deadline.

The model's ``image_scan_complete`` waiter succeeds when the scan status is ``COMPLETE``: the
end of a *basic* scan. Under *enhanced* scanning (Amazon Inspector) a scanned image is
monitored continuously and its status is ``ACTIVE``, never ``COMPLETE``, so that waiter polls
until it gives up; and a ``COMPLETE`` status can be reported before the findings are in the
answer. So this example polls ``DescribeImageScanFindings`` itself: it accepts ``COMPLETE`` or
``ACTIVE``, only once the answer carries the findings, and stops at a deadline.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable

from ecrclient import ECRClient
from ecrclient.errors import LimitExceededException, ScanNotFoundException
from ecrclient.model import (
    DescribeImageScanFindingsResult,
    EnhancedImageScanFinding,
    ImageIdentifier,
)
from ecrclient.model.enums import ScanStatus, ScanType

READY = frozenset({ScanStatus.COMPLETE, ScanStatus.ACTIVE})
"""A finished basic scan, or an image enhanced scanning monitors."""
IN_FLIGHT = frozenset({ScanStatus.IN_PROGRESS, ScanStatus.PENDING})
"""Statuses worth polling through; any other one (FAILED, UNSUPPORTED_IMAGE,
SCAN_ELIGIBILITY_EXPIRED, FINDINGS_UNAVAILABLE, ...) will not turn into findings."""


class ScanFailedError(Exception):
    """The scan ended without findings."""

    def __init__(self, status: str, description: str | None) -> None:
        super().__init__(f"scan status {status}: {description or 'no description'}")
        self.status = status
        self.description = description


def scan_type(ecr: ECRClient) -> str:
    """``BASIC`` or ``ENHANCED``: how the registry scans images."""
    configuration = ecr.get_registry_scanning_configuration().scanning_configuration
    if configuration is None or configuration.scan_type is None:
        return ScanType.BASIC
    return configuration.scan_type


def start_basic_scan(ecr: ECRClient, repository: str, image: ImageIdentifier) -> None:
    """Start a basic scan, unless the image was scanned in the last 24 hours (on push, say):
    the service allows one basic scan per image per day, and the last one's findings stand."""
    with contextlib.suppress(LimitExceededException):
        ecr.start_image_scan(repository_name=repository, image_id=image)


def wait_for_findings(
    ecr: ECRClient,
    repository: str,
    image: ImageIdentifier,
    *,
    timeout: float = 600,
    interval: float = 5,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> DescribeImageScanFindingsResult:
    """The first answer whose status is ``COMPLETE`` or ``ACTIVE`` and that carries findings.

    Raises `ScanFailedError` when the scan reaches another final status, and `TimeoutError`
    when ``timeout`` seconds pass first.
    """
    deadline = clock() + timeout
    while True:
        try:
            result = ecr.describe_image_scan_findings(repository_name=repository, image_id=image)
        except ScanNotFoundException:
            pass  # not started yet, or not yet picked up by enhanced scanning
        else:
            scan = result.image_scan_status
            status = scan.status if scan is not None else None
            if status in READY and result.image_scan_findings is not None:
                return result
            if status is not None and status not in READY | IN_FLIGHT:
                raise ScanFailedError(status, scan.description if scan is not None else None)
        if clock() + interval > deadline:
            raise TimeoutError(f"no scan findings for {repository} within {timeout:g} s")
        sleep(interval)


def severity_counts(result: DescribeImageScanFindingsResult) -> dict[str, int]:
    """Findings per severity (``{"HIGH": 2, ...}``); both scan types report them."""
    findings = result.image_scan_findings
    counts = findings.finding_severity_counts if findings is not None else None
    return dict(counts or {})


def enhanced_findings(
    ecr: ECRClient, repository: str, image: ImageIdentifier
) -> list[EnhancedImageScanFinding]:
    """Every enhanced finding of the image, page after page (the typed paginator's items are
    the basic findings, so this reads the pages)."""
    found: list[EnhancedImageScanFinding] = []
    pages = ecr.paginators.describe_image_scan_findings(repository_name=repository, image_id=image)
    for page in pages.pages():
        if page.image_scan_findings is not None:
            found += page.image_scan_findings.enhanced_findings or ()
    return found


def scan_and_wait(
    ecr: ECRClient, repository: str, tag: str, budget_seconds: float = 600, interval: float = 5
) -> DescribeImageScanFindingsResult | None:
    """Start a basic scan if the registry uses basic scanning, then wait for the findings."""
    image = ImageIdentifier(image_tag=tag)
    if scan_type(ecr) == ScanType.BASIC:
        start_basic_scan(ecr, repository, image)
    try:
        return wait_for_findings(ecr, repository, image, timeout=budget_seconds, interval=interval)
    except (ScanFailedError, TimeoutError) as error:
        print(f"no findings for {repository}:{tag}: {error}")
        return None
