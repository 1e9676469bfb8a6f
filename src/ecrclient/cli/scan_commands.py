"""``ecrclient scan IMAGE``: an image's scan findings, and a gate on them.

Without ``--wait`` it polls once; with it, it waits (up to ``--max-wait``) until the findings are
available — under basic scanning and under enhanced scanning, see :mod:`ecrclient.scanning`.

Exit status: 0 no finding at or above ``--fail-on`` (``HIGH`` by default; ``NONE`` never
fails); 1 findings at or above it; 2 no findings to judge (the scan failed, is unsupported, or
the findings did not come in time) or any other error.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from ecrclient.cli.arguments import parse_image, parse_seconds
from ecrclient.cli.context import EXIT_ERROR, EXIT_NEGATIVE, EXIT_OK, CommandContext

if TYPE_CHECKING:
    from ecrclient.scanning import ScanGateResult

__all__ = ["configure"]


def _severity(text: str) -> str | None:
    from ecrclient.scanning.findings import severity_threshold

    try:
        return severity_threshold(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def configure(name: str, parser: argparse.ArgumentParser) -> None:
    parser.epilog = (
        "exit status: 0 no finding at or above --fail-on; 1 findings at or above it; "
        "2 findings unavailable (scan failed or unsupported, or --max-wait passed) or error"
    )
    parser.add_argument(
        "image", help="repository:tag or repository@sha256:..., optionally behind the registry host"
    )
    parser.add_argument("--wait", action="store_true", help="wait until findings are available")
    parser.add_argument(
        "--max-wait", type=parse_seconds, default=600.0, metavar="SECONDS", help="default: 600"
    )
    parser.add_argument(
        "--interval", type=parse_seconds, default=5.0, metavar="SECONDS", help="between polls"
    )
    parser.add_argument(
        "--fail-on",
        type=_severity,
        default="HIGH",
        metavar="SEVERITY",
        help="CRITICAL, HIGH (default), MEDIUM, LOW, INFORMATIONAL or NONE",
    )
    parser.add_argument(
        "--start", action="store_true", help="start a basic scan if the image has none"
    )
    parser.add_argument("--registry-id", help="the registry's account id (default: yours)")
    parser.set_defaults(run=scan)


def _summary(verdict: ScanGateResult, image: str) -> str:
    report = verdict.report
    counts = ", ".join(f"{name} {count}" for name, count in report.severity_counts.items())
    digest = report.image_id.image_digest
    shown = f"{image} ({digest[:19]})" if digest else image
    outcome = "PASS"
    if verdict.fail_on is None:
        outcome = "REPORT ONLY"
    elif not verdict.passed:
        outcome = f"FAIL: findings at or above {verdict.fail_on}"
    return f"{shown}: {report.scan_type} scan {report.status}; {counts or 'no findings'}; {outcome}"


def _verdict_json(verdict: ScanGateResult, image: str) -> dict[str, Any]:
    report = verdict.report
    return {
        "image": image,
        "repository": report.repository,
        "image_digest": report.image_id.image_digest,
        "image_tag": report.image_id.image_tag,
        "scan_type": report.scan_type,
        "status": report.status,
        "status_description": report.status_description,
        "severity_counts": dict(report.severity_counts),
        "findings_listed": report.findings_listed,
        "highest_severity": report.highest_severity,
        "completed_at": report.completed_at,
        "fail_on": verdict.fail_on,
        "blocking": dict(verdict.blocking),
        "passed": verdict.passed,
        "polls": report.polls,
        "waited_seconds": round(report.waited_seconds, 3),
    }


def scan(args: argparse.Namespace, context: CommandContext) -> int:
    from ecrclient.scanning import ScanFindingsUnavailable, scan_gate

    image = parse_image(args.image)
    assert image.reference is not None
    registry_id = args.registry_id or image.registry_id
    with context.client(context.region_for(image.region)) as ecr:
        try:
            verdict = scan_gate(
                ecr,
                image.repository,
                image.reference,
                fail_on=args.fail_on,
                registry_id=registry_id,
                max_wait=args.max_wait if args.wait else 0.0,
                delay=args.interval,
                start_scan=args.start,
            )
        except ScanFindingsUnavailable as error:
            if context.json_output:
                context.emit_json(
                    {
                        "image": str(image),
                        "status": error.status,
                        "error": error.reason,
                        "timed_out": error.timed_out,
                        "passed": False,
                    }
                )
            hint = "" if args.wait or not error.timed_out else " (use --wait to wait for them)"
            context.stderr.write(f"ecrclient: error: {image}: {error.reason}{hint}\n")
            return EXIT_ERROR
    if context.json_output:
        context.emit_json(_verdict_json(verdict, str(image)))
    else:
        context.say(_summary(verdict, str(image)))
    return EXIT_OK if verdict.passed else EXIT_NEGATIVE
