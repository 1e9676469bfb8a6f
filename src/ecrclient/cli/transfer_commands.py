"""``ecrclient push``, ``pull`` and ``retag``: images between OCI image layouts and ECR, over
:mod:`ecrclient.transfer`.

A progress bar (tqdm, from the ``cli`` extra) is drawn on stderr when stderr is a terminal and
the output is not ``--json``; otherwise nothing is drawn and the summary is one line (or one JSON
document) on stdout.
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable, Generator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ecrclient.cli.arguments import parse_image
from ecrclient.cli.context import EXIT_OK, CommandContext, CommandError

if TYPE_CHECKING:
    from ecrclient.transfer import TransferredImage

__all__ = ["configure"]


def configure(name: str, parser: argparse.ArgumentParser) -> None:
    if name == "push":
        parser.description = (
            "Push an image from an OCI image layout: its blobs (those ECR lacks), every child "
            "manifest of an index, then the manifest itself, tagged as the reference says."
        )
        parser.add_argument("layout", type=Path, help="the OCI image layout folder")
        parser.add_argument("image", help="repository:tag (or repository@digest) to push to")
        parser.add_argument(
            "--ref", help="which image of the layout (its ref.name; default: the only one)"
        )
        parser.add_argument("--tag", action="append", default=[], help="another tag to add")
        parser.set_defaults(run=push)
    elif name == "pull":
        parser.description = (
            "Pull an image (and, for an index, every platform) into an OCI image layout; "
            "blobs already in the layout are not fetched again."
        )
        parser.add_argument("image", help="repository:tag or repository@digest")
        parser.add_argument("layout", type=Path, help="the OCI image layout folder to write")
        parser.add_argument("--ref", help="the ref.name to record in index.json (default: tag)")
        parser.set_defaults(run=pull)
    else:
        parser.description = (
            "Add tags to an image already in ECR, keeping its manifest bytes (and digest)."
        )
        parser.add_argument("image", help="repository:tag or repository@digest")
        parser.add_argument("tags", nargs="+", help="the tags to add")
        parser.set_defaults(run=retag)
    parser.add_argument("--registry-id", help="the registry's account id (default: yours)")


@contextmanager
def _progress(
    context: CommandContext, what: str
) -> Generator[Callable[[int, int | None], None], None, None]:
    """A progress callback: a tqdm bar on an interactive stderr, else one that does nothing."""
    bar: Any = None
    if not context.json_output and context.stderr.isatty():
        try:
            # The cli extra; imported by name, as tqdm ships no type information.
            tqdm: Any = importlib.import_module("tqdm")
        except ImportError:  # not installed: no bar
            pass
        else:
            bar = tqdm.tqdm(desc=what, unit="B", unit_scale=True, file=context.stderr)

    def report(done: int, total: int | None) -> None:
        if bar is not None:
            if total is not None and bar.total != total:
                bar.total = total
            bar.n = done
            bar.refresh()

    try:
        yield report
    finally:
        if bar is not None:
            bar.close()


def _report(context: CommandContext, verb: str, image: TransferredImage) -> int:
    if context.json_output:
        context.emit_json(
            {
                "repository": image.repository,
                "digest": image.digest,
                "media_type": image.media_type,
                "tags": list(image.tags),
                "manifests": list(image.manifests),
                "blobs_transferred": len(image.blobs_transferred),
                "blobs_skipped": len(image.blobs_skipped),
                "bytes_transferred": image.bytes_transferred,
            }
        )
    else:
        tags = ",".join(image.tags) or "-"
        context.say(
            f"{verb} {image.repository}@{image.digest} ({tags}): "
            f"{len(image.blobs_transferred)} blobs sent, {len(image.blobs_skipped)} already there, "
            f"{image.bytes_transferred} bytes"
        )
    return EXIT_OK


def push(args: argparse.Namespace, context: CommandContext) -> int:
    from ecrclient.transfer import push_image

    target = parse_image(args.image)
    if target.reference is None or target.reference.startswith("sha256:"):
        raise CommandError("push needs a tag to push to (repository:tag)")
    with (
        context.client(context.region_for(target.region)) as ecr,
        _progress(context, "push") as progress,
    ):
        image = push_image(
            ecr,
            target.repository,
            args.layout,
            reference=args.ref,
            tags=(target.reference, *args.tag),
            registry_id=args.registry_id or target.registry_id,
            progress=progress,
        )
    return _report(context, "pushed", image)


def pull(args: argparse.Namespace, context: CommandContext) -> int:
    from ecrclient.transfer import pull_image

    target = parse_image(args.image)
    assert target.reference is not None  # parse_image gives every image a tag or digest
    with (
        context.client(context.region_for(target.region)) as ecr,
        _progress(context, "pull") as progress,
    ):
        image = pull_image(
            ecr,
            target.repository,
            target.reference,
            args.layout,
            ref_name=args.ref,
            registry_id=args.registry_id or target.registry_id,
            progress=progress,
        )
    return _report(context, "pulled", image)


def retag(args: argparse.Namespace, context: CommandContext) -> int:
    from ecrclient.transfer import retag as retag_image

    target = parse_image(args.image)
    assert target.reference is not None
    with context.client(context.region_for(target.region)) as ecr:
        image = retag_image(
            ecr,
            target.repository,
            target.reference,
            args.tags,
            registry_id=args.registry_id or target.registry_id,
        )
    return _report(context, "tagged", image)
