"""Polling ``DescribeImageScanFindings`` until findings are available, written once as steps
(:mod:`ecrclient._runtime.jobs`) and published blocking and awaiting.

The loop: poll the first page; classify it (:func:`~ecrclient.scanning.findings.classify_page`);
when ready, read the remaining pages (``nextToken``) into a tally and return the report; when
failed, raise; otherwise sleep ``delay`` seconds (less if the deadline is nearer) and poll again.
A last poll happens at the deadline; if the findings are still missing,
:class:`~ecrclient.scanning.findings.ScanFindingsUnavailable` is raised with ``timed_out``.

With ``start_scan=True``, a ``ScanNotFoundException`` starts a basic scan
(``StartImageScan``) once, for repositories without scan-on-push.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from ecrclient._runtime.jobs import Client, Invoke, Pause, awaiting, blocking
from ecrclient._runtime.steps import Steps
from ecrclient.errors import AmazonECRException
from ecrclient.scanning.findings import (
    FindingsTally,
    Readiness,
    ScanFindingsReport,
    ScanFindingsUnavailable,
    ScanGateResult,
    build_report,
    classify_fault,
    classify_page,
    evaluate_gate,
    next_pause,
    severity_threshold,
    should_start_scan,
)

if TYPE_CHECKING:
    from ecrclient.model import ImageIdentifier

__all__ = ["scan_gate", "scan_gate_async", "wait_for_scan_findings", "wait_for_scan_findings_async"]

DEFAULT_MAX_WAIT = 600.0
DEFAULT_DELAY = 5.0
PAGE_SIZE = 1000
"""Findings per page once ready (the service's maximum; the default is 100)."""


def _image_id(image: str | ImageIdentifier) -> ImageIdentifier:
    from ecrclient.cleanup.decisions import as_image_id

    return as_image_id(image)


def _check_next_token(token: str | None, seen: set[str]) -> str | None:
    if token is not None:
        if token in seen:
            from ecrclient.errors import PaginationError

            raise PaginationError(f"the service repeated the token {token[:16]}…")
        seen.add(token)
    return token


def _timeout(last: Readiness, max_wait: float, polls: int) -> ScanFindingsUnavailable:
    return ScanFindingsUnavailable(
        f"no findings within {max_wait:g} s (last: {last.reason})",
        status=last.status,
        timed_out=True,
        polls=polls,
    )


def _failed(last: Readiness, polls: int) -> ScanFindingsUnavailable:
    return ScanFindingsUnavailable(last.reason, status=last.status, timed_out=False, polls=polls)


def _wait_steps(
    ecr: Client,
    repository: str,
    image: str | ImageIdentifier,
    *,
    registry_id: str | None = None,
    max_wait: float = DEFAULT_MAX_WAIT,
    delay: float = DEFAULT_DELAY,
    start_scan: bool = False,
) -> Steps[ScanFindingsReport]:
    """Wait until the image's scan findings are available — under basic scanning
    (``COMPLETE`` *with* severity counts) or enhanced scanning (``ACTIVE``) — and add them up.

    ``image`` is a tag, a digest (``sha256:...``) or an :class:`ImageIdentifier`. Raises
    :class:`ScanFindingsUnavailable` when the scan ends without findings or ``max_wait``
    seconds pass; other faults (``ImageNotFoundException``, ...) are raised as they come.
    """
    image_id = _image_id(image)
    which = {"repository_name": repository, "registry_id": registry_id, "image_id": image_id}
    started = time.monotonic()
    polls = 0
    scan_requested = False
    while True:
        polls += 1
        try:
            first = yield Invoke(ecr, "describe_image_scan_findings", which)
        except AmazonECRException as error:
            readiness = classify_fault(error.error_code, error.error_message)
            if readiness is None:
                raise
            if should_start_scan(start_scan, scan_requested, error.error_code):
                yield Invoke(ecr, "start_image_scan", which)
                scan_requested = True
        else:
            readiness = classify_page(first)
            if readiness.state == "ready":
                tally = yield from _read_pages(ecr, which, first)
                waited = time.monotonic() - started
                return build_report(
                    repository, first, tally, requested=image_id, polls=polls, waited_seconds=waited
                )
            if readiness.state == "failed":
                raise _failed(readiness, polls)
        pause = next_pause(delay, started + max_wait - time.monotonic())
        if pause is None:
            raise _timeout(readiness, max_wait, polls)
        yield Pause(pause)


def _read_pages(ecr: Client, which: dict[str, Any], first: Any) -> Steps[FindingsTally]:
    """The tally of ``first`` and of the pages after it (``which`` names the image)."""
    tally = FindingsTally()
    tally.add_page(first)
    seen: set[str] = set()
    token = _check_next_token(first.next_token, seen)
    while token is not None:
        arguments = {**which, "next_token": token, "max_results": PAGE_SIZE}
        page = yield Invoke(ecr, "describe_image_scan_findings", arguments)
        tally.add_page(page)
        token = _check_next_token(page.next_token, seen)
    return tally


def _gate_steps(
    ecr: Client,
    repository: str,
    image: str | ImageIdentifier,
    *,
    fail_on: str | None = "HIGH",
    registry_id: str | None = None,
    max_wait: float = DEFAULT_MAX_WAIT,
    delay: float = DEFAULT_DELAY,
    start_scan: bool = False,
) -> Steps[ScanGateResult]:
    """:func:`wait_for_scan_findings`, then the verdict: ``result.passed`` is false when any
    finding is at or above ``fail_on`` (``"HIGH"`` by default; ``None`` only reports)."""
    severity_threshold(fail_on)  # a bad threshold fails before any waiting
    report = yield from _wait_steps(
        ecr,
        repository,
        image,
        registry_id=registry_id,
        max_wait=max_wait,
        delay=delay,
        start_scan=start_scan,
    )
    return evaluate_gate(report, fail_on)


wait_for_scan_findings = blocking(_wait_steps, "wait_for_scan_findings", __name__)
wait_for_scan_findings_async = awaiting(_wait_steps, "wait_for_scan_findings_async", __name__)
scan_gate = blocking(_gate_steps, "scan_gate", __name__)
scan_gate_async = awaiting(_gate_steps, "scan_gate_async", __name__)
