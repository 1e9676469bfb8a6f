"""``ecrclient prune``: old or untagged images of a repository, listed with the reason for each,
and deleted only with ``--delete``.

Exit status: 0 when nothing failed (a listing always), 1 when some deletions failed.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from ecrclient.cli.arguments import parse_count, parse_duration, parse_repository
from ecrclient.cli.context import EXIT_NEGATIVE, EXIT_OK, CommandContext, CommandError

if TYPE_CHECKING:
    from ecrclient.cleanup import DeleteSummary, PruneDecision, PruneResult

__all__ = ["configure"]


def configure(name: str, parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "List the images that the criteria select, with the reason for each, and delete them "
        "with --delete. --keep-last protects the N most recently pushed images; --untagged and "
        "--older-than select images (both given: both must hold); --keep-last alone selects "
        "every older image. Images a kept multi-architecture index refers to are never selected."
    )
    parser.add_argument("repository", help="repository name, optionally behind the registry host")
    parser.add_argument("--keep-last", type=parse_count, metavar="N", help="always keep N newest")
    parser.add_argument("--untagged", action="store_true", help="select untagged images")
    parser.add_argument(
        "--older-than", type=parse_duration, metavar="AGE", help="select images older (30d, 12h)"
    )
    parser.add_argument(
        "--delete", action="store_true", help="delete the selected images (default: only list)"
    )
    parser.add_argument("--show-kept", action="store_true", help="list the kept images too")
    parser.add_argument("--registry-id", help="the registry's account id (default: yours)")
    parser.set_defaults(run=prune)


def _short(digest: str) -> str:
    return digest[:19] if digest.startswith("sha256:") else digest


def _size(size: int | None) -> str:
    if size is None:
        return "?"
    return f"{size / 1024 / 1024:.1f} MiB"


def _line(decision: PruneDecision) -> str:
    verb = "delete" if decision.delete else "keep"
    tags = ",".join(decision.tags) or "<untagged>"
    pushed = decision.pushed_at.date().isoformat() if decision.pushed_at else "?"
    reasons = "; ".join(decision.reasons)
    return f"{verb:6} {_short(decision.digest)}  {tags}  pushed {pushed}  {reasons}"


def _decision_json(decision: PruneDecision) -> dict[str, Any]:
    return {
        "digest": decision.digest,
        "tags": list(decision.tags),
        "pushed_at": decision.pushed_at,
        "size_bytes": decision.size_bytes,
        "delete": decision.delete,
        "reasons": list(decision.reasons),
    }


def _deletion_json(summary: DeleteSummary) -> dict[str, Any]:
    return {
        "requested": len(summary.requested),
        "deleted": [image.image_digest or image.image_tag for image in summary.deleted],
        "failures": [
            {
                "digest": failure.image_id.image_digest,
                "tag": failure.image_id.image_tag,
                "code": failure.code,
                "reason": failure.reason,
            }
            for failure in summary.failures
        ],
        "calls": summary.calls,
    }


def _report(result: PruneResult, context: CommandContext, show_kept: bool) -> None:
    plan = result.plan
    if context.json_output:
        context.emit_json(
            {
                "repository": plan.repository,
                "dry_run": result.dry_run,
                "criteria": {
                    "keep_last": plan.criteria.keep_last,
                    "untagged": plan.criteria.untagged,
                    "older_than_seconds": plan.criteria.older_than.total_seconds()
                    if plan.criteria.older_than
                    else None,
                },
                "images": [
                    _decision_json(decision)
                    for decision in plan.decisions
                    if decision.delete or show_kept
                ],
                "to_delete": len(plan.to_delete),
                "kept": len(plan.to_keep),
                "reclaimed_bytes": plan.reclaimed_bytes,
                "deletion": _deletion_json(result.deletion) if result.deletion else None,
            }
        )
        return
    for decision in plan.decisions:
        if decision.delete or show_kept:
            context.say(_line(decision))
    selected = len(plan.to_delete)
    size = _size(plan.reclaimed_bytes)
    if result.dry_run:
        tail = "; run with --delete to delete them" if selected else ""
        context.say(f"{selected} of {len(plan.decisions)} images would be deleted ({size}){tail}")
        return
    summary = result.deletion
    deleted = selected - len(summary.failures) if summary else 0
    context.say(f"deleted {deleted} of {len(plan.decisions)} images ({size})")
    for failure in summary.failures if summary else ():
        name = failure.image_id.image_digest or failure.image_id.image_tag
        context.stderr.write(f"ecrclient: not deleted: {name}: {failure.code} {failure.reason}\n")


def prune(args: argparse.Namespace, context: CommandContext) -> int:
    from ecrclient.cleanup import prune as prune_images

    target = parse_repository(args.repository)
    if args.keep_last is None and not args.untagged and args.older_than is None:
        raise CommandError("give --keep-last, --untagged or --older-than")
    registry_id = args.registry_id or target.registry_id
    with context.client(context.region_for(target.region)) as ecr:
        result = prune_images(
            ecr,
            target.repository,
            keep_last=args.keep_last,
            untagged=args.untagged,
            older_than=args.older_than,
            dry_run=not args.delete,
            registry_id=registry_id,
        )
    _report(result, context, args.show_kept)
    if result.deletion is not None and not result.deletion.ok:
        return EXIT_NEGATIVE
    return EXIT_OK
