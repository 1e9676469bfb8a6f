"""``delete_images`` and ``prune``, sync and async: the I/O around
:mod:`ecrclient.cleanup.decisions`.

Faults: a ``BatchDeleteImage`` call the service refuses as a whole (throttled past the retries,
a KMS problem, ...) fails the images of its chunk, each with the fault's code, and the next
chunk is tried; ``RepositoryNotFoundException`` is raised at once, since no chunk can succeed.
Client-side failures (no credentials, the network) are raised.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING

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
    from ecrclient import AsyncECRClient, ECRClient
    from ecrclient.model import Image, ImageDetail, ImageIdentifier

__all__ = ["delete_images", "delete_images_async", "prune", "prune_async"]

_FATAL_CODES = frozenset({"RepositoryNotFoundException"})


def _refused(error: AmazonECRException) -> tuple[str, str]:
    """The code and message a refused chunk records; raises the fault if it is fatal."""
    if error.error_code in _FATAL_CODES:
        raise error
    return error.error_code or type(error).__name__, error.error_message or ""


def delete_images(
    ecr: ECRClient,
    repository: str,
    ids: Iterable[str | ImageIdentifier],
    *,
    registry_id: str | None = None,
    chunk_size: int = BATCH_DELETE_LIMIT,
) -> DeleteSummary:
    """Delete images by tag, digest (``sha256:...``) or :class:`ImageIdentifier`, in
    ``BatchDeleteImage`` calls of at most 100 ids; per-image failures are gathered in the
    returned :class:`DeleteSummary`, not raised."""
    summary = DeleteSummary(repository=repository)
    for chunk in chunks(ids, chunk_size):
        try:
            result = ecr.batch_delete_image(
                repository_name=repository, registry_id=registry_id, image_ids=chunk
            )
        except AmazonECRException as error:
            summary = fold_chunk_fault(summary, chunk, *_refused(error))
            continue
        summary = fold_chunk(summary, chunk, result)
    return summary


async def delete_images_async(
    ecr: AsyncECRClient,
    repository: str,
    ids: Iterable[str | ImageIdentifier],
    *,
    registry_id: str | None = None,
    chunk_size: int = BATCH_DELETE_LIMIT,
) -> DeleteSummary:
    """The async twin of :func:`delete_images` (chunks are sent one after another)."""
    summary = DeleteSummary(repository=repository)
    for chunk in chunks(ids, chunk_size):
        try:
            result = await ecr.batch_delete_image(
                repository_name=repository, registry_id=registry_id, image_ids=chunk
            )
        except AmazonECRException as error:
            summary = fold_chunk_fault(summary, chunk, *_refused(error))
            continue
        summary = fold_chunk(summary, chunk, result)
    return summary


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


def prune(
    ecr: ECRClient,
    repository: str,
    *,
    keep_last: int | None = None,
    untagged: bool = False,
    older_than: timedelta | None = None,
    dry_run: bool = True,
    registry_id: str | None = None,
    now: datetime | None = None,
) -> PruneResult:
    """Plan the deletion of old or untagged images, and carry it out unless ``dry_run``.

    Returns the :class:`PruneResult`: every image with its decision and reasons, and — when
    not a dry run — the :class:`DeleteSummary` of deleting the chosen images by digest (each
    with all its tags). See :mod:`ecrclient.cleanup.decisions` for the rules.
    """
    criteria = _criteria(keep_last, untagged, older_than)
    moment = now or datetime.now(timezone.utc)
    images = list(
        ecr.paginators.describe_images(repository_name=repository, registry_id=registry_id)
    )
    plan = plan_prune(repository, images, criteria, now=moment)
    manifests: dict[str, str] = {}
    for chunk in chunks(_index_ids(images, plan)):
        found = ecr.batch_get_image(
            repository_name=repository,
            registry_id=registry_id,
            image_ids=chunk,
            accepted_media_types=_INDEX_TYPES,
        )
        manifests.update(_manifests(found.images or ()))
    plan = _replan(repository, images, criteria, moment, plan, manifests)
    if dry_run or not plan.to_delete:
        return PruneResult(plan=plan, dry_run=dry_run)
    digests = [decision.digest for decision in plan.to_delete]
    deletion = delete_images(ecr, repository, digests, registry_id=registry_id)
    return PruneResult(plan=plan, dry_run=False, deletion=deletion)


async def prune_async(
    ecr: AsyncECRClient,
    repository: str,
    *,
    keep_last: int | None = None,
    untagged: bool = False,
    older_than: timedelta | None = None,
    dry_run: bool = True,
    registry_id: str | None = None,
    now: datetime | None = None,
) -> PruneResult:
    """The async twin of :func:`prune`."""
    criteria = _criteria(keep_last, untagged, older_than)
    moment = now or datetime.now(timezone.utc)
    paginator = ecr.paginators.describe_images(repository_name=repository, registry_id=registry_id)
    images = [detail async for detail in paginator]
    plan = plan_prune(repository, images, criteria, now=moment)
    manifests: dict[str, str] = {}
    for chunk in chunks(_index_ids(images, plan)):
        found = await ecr.batch_get_image(
            repository_name=repository,
            registry_id=registry_id,
            image_ids=chunk,
            accepted_media_types=_INDEX_TYPES,
        )
        manifests.update(_manifests(found.images or ()))
    plan = _replan(repository, images, criteria, moment, plan, manifests)
    if dry_run or not plan.to_delete:
        return PruneResult(plan=plan, dry_run=dry_run)
    digests = [decision.digest for decision in plan.to_delete]
    deletion = await delete_images_async(ecr, repository, digests, registry_id=registry_id)
    return PruneResult(plan=plan, dry_run=False, deletion=deletion)
