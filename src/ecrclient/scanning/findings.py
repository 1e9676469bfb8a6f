"""When scan findings are really there, what they add up to, and whether they pass a gate.

The pure half of :mod:`ecrclient.scanning`. Each poll of ``DescribeImageScanFindings`` is
classified (:func:`classify_page`, :func:`classify_fault`) as one of:

``wait``
    ``ScanNotFoundException`` (right after a push the scan has not started yet), status
    ``IN_PROGRESS`` or ``PENDING``, no status at all, or a status this version does not know —
    and, the case the stock ``image_scan_complete`` waiter misses, a ``COMPLETE`` basic scan
    whose ``findingSeverityCounts`` are not there yet: the status can arrive before the findings.
``ready``
    basic scanning: ``COMPLETE`` with ``findingSeverityCounts`` (an empty map means no findings).
    Enhanced scanning (Amazon Inspector): ``ACTIVE`` with ``imageScanFindings`` — the image is
    scanned and monitored continuously, so ``ACTIVE`` is the enhanced counterpart of
    ``COMPLETE``; the stock waiter knows only ``COMPLETE`` and spins until it gives up.
``failed``
    ``FAILED``, ``UNSUPPORTED_IMAGE``, ``SCAN_ELIGIBILITY_EXPIRED``, ``FINDINGS_UNAVAILABLE``,
    ``LIMIT_EXCEEDED``, ``IMAGE_ARCHIVED``, ``IMAGE_SIZE_EXCEEDED``: no findings will come.

Once ready, every page is read and :class:`FindingsTally` adds them up: per severity the
larger of the service's own ``findingSeverityCounts`` and the number of findings listed
(``findings`` and ``enhancedFindings``), so neither a summary that lags the list nor a list cut
short can hide a finding.

Severities rank ``INFORMATIONAL < LOW < MEDIUM < HIGH < CRITICAL``. ``UNDEFINED`` (basic) and
``UNTRIAGED`` (enhanced) have no rank: they are counted and reported, and never fail a gate.
A gate with threshold ``HIGH`` fails when any ``HIGH`` or ``CRITICAL`` finding is present.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from ecrclient.model import ImageIdentifier

__all__ = [
    "RANKED_SEVERITIES",
    "FindingsTally",
    "Readiness",
    "ScanFindingsReport",
    "ScanFindingsUnavailable",
    "ScanGateResult",
    "classify_fault",
    "classify_page",
    "evaluate_gate",
    "next_pause",
    "severity_threshold",
    "should_start_scan",
]

RANKED_SEVERITIES = ("INFORMATIONAL", "LOW", "MEDIUM", "HIGH", "CRITICAL")
"""Severities from lowest to highest."""
UNRANKED_SEVERITIES = ("UNDEFINED", "UNTRIAGED")
WAITING_STATUSES = frozenset({"IN_PROGRESS", "PENDING"})
FAILED_STATUSES = frozenset(
    {
        "FAILED",
        "UNSUPPORTED_IMAGE",
        "SCAN_ELIGIBILITY_EXPIRED",
        "FINDINGS_UNAVAILABLE",
        "LIMIT_EXCEEDED",
        "IMAGE_ARCHIVED",
        "IMAGE_SIZE_EXCEEDED",
    }
)
SCAN_NOT_FOUND = "ScanNotFoundException"


class ScanFindingsUnavailable(Exception):
    """No findings to judge: the scan ended without them (``timed_out`` is ``False``) or they
    did not arrive within ``max_wait`` (``True``). ``status`` is the last status seen."""

    def __init__(self, reason: str, *, status: str | None, timed_out: bool, polls: int) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.timed_out = timed_out
        self.polls = polls


@dataclass(frozen=True)
class Readiness:
    """What one poll says."""

    state: Literal["wait", "ready", "failed"]
    status: str | None
    reason: str


def classify_fault(error_code: str | None, message: str | None) -> Readiness | None:
    """A poll that answered a fault: ``wait`` for ``ScanNotFoundException``, ``None`` (raise
    it) for anything else."""
    if error_code == SCAN_NOT_FOUND:
        return Readiness("wait", None, "no scan of the image yet")
    return None


def should_start_scan(wanted: bool, already_started: bool, error_code: str | None) -> bool:
    """Whether a poll's fault calls for ``StartImageScan``: asked for, not done yet, and the
    image has no scan."""
    return wanted and not already_started and error_code == SCAN_NOT_FOUND


def classify_page(result: Any) -> Readiness:
    """A poll that answered a ``DescribeImageScanFindingsResult`` (its first page)."""
    scan_status = result.image_scan_status
    status = scan_status.status if scan_status is not None else None
    description = (scan_status.description if scan_status is not None else None) or ""
    findings = result.image_scan_findings
    if status is None:
        return Readiness("wait", None, "no scan status yet")
    if status in FAILED_STATUSES:
        detail = f": {description}" if description else ""
        return Readiness("failed", status, f"the scan ended with {status}{detail}")
    if status in WAITING_STATUSES:
        return Readiness("wait", status, f"scan {status}")
    if status == "COMPLETE":
        if findings is None or findings.finding_severity_counts is None:
            return Readiness("wait", status, "scan COMPLETE, findings not available yet")
        return Readiness("ready", status, "scan COMPLETE")
    if status == "ACTIVE":
        if findings is None:
            return Readiness("wait", status, "scan ACTIVE, findings not available yet")
        return Readiness("ready", status, "enhanced scan ACTIVE")
    return Readiness("wait", status, f"scan status {status} is not one this version knows")


def next_pause(delay: float, remaining: float) -> float | None:
    """Seconds to sleep before the next poll, or ``None`` when the time is up (the last poll
    happens at the deadline, not a full delay after it)."""
    if remaining <= 0:
        return None
    return min(delay, remaining)


def _ordered(counts: Mapping[str, int]) -> dict[str, int]:
    order = [*reversed(RANKED_SEVERITIES), *UNRANKED_SEVERITIES]
    known = {name: counts[name] for name in order if counts.get(name)}
    others = {name: value for name, value in sorted(counts.items()) if name not in known and value}
    return {**known, **others}


@dataclass
class FindingsTally:
    """Pages of findings added up (mutable while the pages arrive)."""

    summary: dict[str, int] = field(default_factory=lambda: {})
    listed: dict[str, int] = field(default_factory=lambda: {})
    findings: int = 0
    enhanced: int = 0

    def add_page(self, result: Any) -> None:
        findings = result.image_scan_findings
        if findings is None:
            return
        counts: Mapping[str, int] = findings.finding_severity_counts or {}
        for severity, count in counts.items():
            self.summary[severity] = max(self.summary.get(severity, 0), count)
        for finding in findings.findings or ():
            self._count(finding.severity)
            self.findings += 1
        for finding in findings.enhanced_findings or ():
            self._count(finding.severity)
            self.enhanced += 1

    def _count(self, severity: str | None) -> None:
        name = (severity or "UNDEFINED").upper()
        self.listed[name] = self.listed.get(name, 0) + 1

    def counts(self) -> dict[str, int]:
        """Per severity, the larger of the summary and the listed findings."""
        names = set(self.summary) | set(self.listed)
        merged = {name: max(self.summary.get(name, 0), self.listed.get(name, 0)) for name in names}
        return _ordered(merged)


@dataclass(frozen=True)
class ScanFindingsReport:
    """The findings of one image once they are available.

    ``scan_type`` is ``"ENHANCED"`` when the status is ``ACTIVE`` or enhanced findings were
    listed, else ``"BASIC"``. ``severity_counts`` lists severities present, highest first.
    """

    repository: str
    image_id: ImageIdentifier
    scan_type: Literal["BASIC", "ENHANCED"]
    status: str
    status_description: str | None
    severity_counts: Mapping[str, int]
    findings_listed: int
    completed_at: datetime | None
    vulnerability_source_updated_at: datetime | None
    polls: int
    waited_seconds: float

    @property
    def highest_severity(self) -> str | None:
        """The highest ranked severity present, or ``None``."""
        for name in reversed(RANKED_SEVERITIES):
            if self.severity_counts.get(name):
                return name
        return None

    @property
    def total(self) -> int:
        return sum(self.severity_counts.values())


def build_report(
    repository: str,
    first_page: Any,
    tally: FindingsTally,
    *,
    requested: ImageIdentifier,
    polls: int,
    waited_seconds: float,
) -> ScanFindingsReport:
    scan_status = first_page.image_scan_status
    findings = first_page.image_scan_findings
    status = scan_status.status if scan_status is not None else "UNKNOWN"
    enhanced = status == "ACTIVE" or tally.enhanced > 0
    return ScanFindingsReport(
        repository=repository,
        image_id=first_page.image_id or requested,
        scan_type="ENHANCED" if enhanced else "BASIC",
        status=status,
        status_description=scan_status.description if scan_status is not None else None,
        severity_counts=tally.counts(),
        findings_listed=tally.findings + tally.enhanced,
        completed_at=findings.image_scan_completed_at if findings is not None else None,
        vulnerability_source_updated_at=(
            findings.vulnerability_source_updated_at if findings is not None else None
        ),
        polls=polls,
        waited_seconds=waited_seconds,
    )


def severity_threshold(value: str | None) -> str | None:
    """A gate threshold from user input: a ranked severity (any case), or ``None`` /
    ``"NONE"`` for a gate that only reports."""
    if value is None or value.strip().upper() in ("", "NONE"):
        return None
    name = value.strip().upper()
    if name not in RANKED_SEVERITIES:
        choices = ", ".join(RANKED_SEVERITIES)
        raise ValueError(f"{value!r} is not a severity: use one of {choices}, or NONE")
    return name


@dataclass(frozen=True)
class ScanGateResult:
    """A gate's verdict: ``blocking`` holds the counts at or above ``fail_on``."""

    report: ScanFindingsReport
    fail_on: str | None
    blocking: Mapping[str, int]

    @property
    def passed(self) -> bool:
        return not self.blocking


def evaluate_gate(report: ScanFindingsReport, fail_on: str | None) -> ScanGateResult:
    """Whether ``report`` passes a gate that fails on ``fail_on`` and above."""
    threshold = severity_threshold(fail_on)
    blocking: dict[str, int] = {}
    if threshold is not None:
        at_or_above = RANKED_SEVERITIES[RANKED_SEVERITIES.index(threshold) :]
        blocking = {
            name: count
            for name, count in report.severity_counts.items()
            if name in at_or_above and count
        }
    return ScanGateResult(report=report, fail_on=threshold, blocking=blocking)
