"""Gating on image scan findings, under basic and enhanced scanning, sync and async.

* :func:`wait_for_scan_findings` polls ``DescribeImageScanFindings`` until the findings are
  *available* — not only until the status says so — and returns a typed
  :class:`ScanFindingsReport` (severity counts over every page, basic and enhanced findings).
* :func:`scan_gate` adds the verdict: :class:`ScanGateResult` ``.passed`` is false when a
  finding is at or above ``fail_on`` (``"HIGH"`` by default).

How this differs from the generated ``client.waiters.image_scan_complete``: that waiter follows
the service model (and boto3) exactly — success on ``COMPLETE``, failure on ``FAILED`` — and is
left so. Under enhanced scanning the status of a scanned image is ``ACTIVE``, which it does not
know, so it polls until it gives up; and under basic scanning ``COMPLETE`` can arrive before
the findings do. The functions here treat ``ACTIVE`` as done, keep polling through
``ScanNotFoundException`` (right after a push) and through a ``COMPLETE`` without severity
counts, and stop at once on statuses that will never yield findings (``FAILED``,
``UNSUPPORTED_IMAGE``, ``SCAN_ELIGIBILITY_EXPIRED``, ...). See
:mod:`ecrclient.scanning.findings` for the exact rules::

    from ecrclient import ECRClient
    from ecrclient.scanning import scan_gate

    with ECRClient() as ecr:
        verdict = scan_gate(ecr, "team/web", "v1.2.3", fail_on="HIGH", max_wait=900)
        print(verdict.report.severity_counts, "pass" if verdict.passed else "fail")

Names load on first use: the pure modules import no client.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ecrclient._runtime.lazy import lazy_names

if TYPE_CHECKING:
    from ecrclient.scanning.drivers import (
        scan_gate,
        scan_gate_async,
        wait_for_scan_findings,
        wait_for_scan_findings_async,
    )
    from ecrclient.scanning.findings import (
        RANKED_SEVERITIES,
        ScanFindingsReport,
        ScanFindingsUnavailable,
        ScanGateResult,
        evaluate_gate,
        severity_threshold,
    )

_LAZY = {
    "scan_gate": "ecrclient.scanning.drivers",
    "scan_gate_async": "ecrclient.scanning.drivers",
    "wait_for_scan_findings": "ecrclient.scanning.drivers",
    "wait_for_scan_findings_async": "ecrclient.scanning.drivers",
    "RANKED_SEVERITIES": "ecrclient.scanning.findings",
    "ScanFindingsReport": "ecrclient.scanning.findings",
    "ScanFindingsUnavailable": "ecrclient.scanning.findings",
    "ScanGateResult": "ecrclient.scanning.findings",
    "evaluate_gate": "ecrclient.scanning.findings",
    "severity_threshold": "ecrclient.scanning.findings",
}

__all__ = [
    "RANKED_SEVERITIES",
    "ScanFindingsReport",
    "ScanFindingsUnavailable",
    "ScanGateResult",
    "evaluate_gate",
    "scan_gate",
    "scan_gate_async",
    "severity_threshold",
    "wait_for_scan_findings",
    "wait_for_scan_findings_async",
]


if not TYPE_CHECKING:  # run-time hooks only: type checkers must not see an Any-typed fallback
    __getattr__, __dir__ = lazy_names(__name__, _LAZY, __all__)
