"""``delete_images`` and ``prune``: the I/O around :mod:`ecrclient.cleanup.decisions`, written
once as steps (:mod:`ecrclient._runtime.jobs`) and published blocking and awaiting.

Faults: a ``BatchDeleteImage`` call the service refuses as a whole (throttled past the retries,
a KMS problem, ...) fails the images of its chunk, each with the fault's code, and the next
chunk is tried; ``RepositoryNotFoundException`` is raised at once, since no chunk can succeed.
Client-side failures (no credentials, the network) are raised.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING

from ecrclient._runtime.jobs import Client, Collect, Invoke, awaiting, blocking
from ecrclient._runtime.steps import Steps
from ecrclient.cleanup.decisions import (
    BATCH_DELETE_LIMIT,
    INDEX_MEDIA_TYPES,
    DeleteSummary,
    PruneCriteria,
    PrunePlan,
    PruneResult,
    chunks,
    fold_chunk,
    fold_chunk_fault,
    index_digests,
    plan_prune,
    protected_children,
)
from ecrclient.errors import AmazonECRException

if TYPE_CHECKING:
    from ecrclient.model import Image, ImageDetail, ImageIdentifier

__all__ = ["delete_images", "delete_images_async", "prune", "prune_async"]

_FATAL_CODES = frozenset({"RepositoryNotFoundException"})


def _refused(error: AmazonECRException) -> tuple[str, str]:
    """The code and message a refused chunk records; raises the fault if it is fatal."""
    if error.error_code in _FATAL_CODES:
        raise error
    return error.error_code or type(error).__name__, error.error_message or ""


def _delete_steps(
    ecr: Client,
    repository: str,
    ids: Iterable[str | ImageIdentifier],
    *,
    registry_id: str | None = None,
    chunk_size: int = BATCH_DELETE_LIMIT,
) -> Steps[DeleteSummary]:
    """Delete images by tag, digest (``sha256:...``) or :class:`ImageIdentifier`, in
    ``BatchDeleteImage`` calls of at most 100 ids (one after another); per-image failures are
    gathered in the returned :class:`DeleteSummary`, not raised."""
    summary = DeleteSummary(repository=repository)
    for chunk in chunks(ids, chunk_size):
        arguments = {"repository_name": repository, "registry_id": registry_id, "image_ids": chunk}
        try:
            result = yield Invoke(ecr, "batch_delete_image", arguments)
        except AmazonECRException as error:
            summary = fold_chunk_fault(summary, chunk, *_refused(error))
            continue
        summary = fold_chunk(summary, chunk, result)
    return summary


delete_images = blocking(_delete_steps, "delete_images", __name__)
delete_images_async = awaiting(_delete_steps, "delete_images_async", __name__)


def _criteria(keep_last: int | None, untagged: bool, older_than: timedelta | None) -> PruneCriteria:
    return PruneCriteria(keep_last=keep_last, untagged=untagged, older_than=older_than)


def _index_ids(images: Sequence[ImageDetail], plan: PrunePlan) -> list[ImageIdentifier]:
    """The indexes whose manifests are worth reading: only when something would go."""
    from ecrclient.model import ImageIdentifier

    if not plan.to_delete:
        return []
    return [ImageIdentifier(image_digest=digest) for digest in index_digests(images)]


def _manifests(images: Iterable[Image]) -> dict[str, str]:
    return {
        image.image_id.image_digest: image.image_manifest
        for image in images
        if image.image_id and image.image_id.image_digest and image.image_manifest
    }


_INDEX_TYPES = sorted(INDEX_MEDIA_TYPES)


def _replan(
    repository: str,
    images: Sequence[ImageDetail],
    criteria: PruneCriteria,
    now: datetime,
    plan: PrunePlan,
    manifests: dict[str, str],
) -> PrunePlan:
    """The plan again with the children of kept indexes protected, until it settles (keeping
    a child that is itself an index protects its own children in the next round)."""
    for _ in range(3):
        protected = protected_children(plan, manifests)
        again = plan_prune(repository, images, criteria, now=now, protected=protected)
        if again == plan:
            break
        plan = again
    return plan


def _prune_steps(
    ecr: Client,
    repository: str,
    *,
    keep_last: int | None = None,
    untagged: bool = False,
    older_than: timedelta | None = None,
    dry_run: bool = True,
    registry_id: str | None = None,
    now: datetime | None = None,
) -> Steps[PruneResult]:
    """Plan the deletion of old or untagged images, and carry it out unless ``dry_run``.

    Returns the :class:`PruneResult`: every image with its decision and reasons, and — when
    not a dry run — the :class:`DeleteSummary` of deleting the chosen images by digest (each
    with all its tags). See :mod:`ecrclient.cleanup.decisions` for the rules.
    """
    criteria = _criteria(keep_last, untagged, older_than)
    moment = now or datetime.now(timezone.utc)
    where = {"repository_name": repository, "registry_id": registry_id}
    images = yield Collect(ecr, "describe_images", where)
    plan = plan_prune(repository, images, criteria, now=moment)
    manifests: dict[str, str] = {}
    for chunk in chunks(_index_ids(images, plan)):
        arguments = {**where, "image_ids": chunk, "accepted_media_types": _INDEX_TYPES}
        found = yield Invoke(ecr, "batch_get_image", arguments)
        manifests.update(_manifests(found.images or ()))
    plan = _replan(repository, images, criteria, moment, plan, manifests)
    if dry_run or not plan.to_delete:
        return PruneResult(plan=plan, dry_run=dry_run)
    digests = [decision.digest for decision in plan.to_delete]
    deletion = yield from _delete_steps(ecr, repository, digests, registry_id=registry_id)
    return PruneResult(plan=plan, dry_run=False, deletion=deletion)


prune = blocking(_prune_steps, "prune", __name__)
prune_async = awaiting(_prune_steps, "prune_async", __name__)
