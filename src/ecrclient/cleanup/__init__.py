"""Deleting images in bulk, and pruning old or untagged ones, sync and async.

* :func:`delete_images` deletes by tag, digest or :class:`~ecrclient.model.ImageIdentifier` in
  ``BatchDeleteImage`` calls of at most 100 ids and gathers every per-image failure into a
  :class:`DeleteSummary` instead of stopping at the first.
* :func:`prune` plans which images to delete — ``keep_last``, ``untagged``, ``older_than`` —
  with the reason for every image either way (:class:`PrunePlan`), and deletes only when called
  with ``dry_run=False``. Images that a kept multi-architecture index refers to are never
  chosen.

Each has an ``_async`` twin taking an :class:`~ecrclient.AsyncECRClient`. The decisions are pure
functions in :mod:`ecrclient.cleanup.decisions`; :mod:`ecrclient.cleanup.drivers` does the I/O::

    from datetime import timedelta

    from ecrclient import ECRClient
    from ecrclient.cleanup import prune

    with ECRClient() as ecr:
        result = prune(ecr, "team/web", keep_last=10, older_than=timedelta(days=30))
        for decision in result.plan.to_delete:
            print(decision.digest, decision.tags, "; ".join(decision.reasons))

Names load on first use: the pure modules import no client.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ecrclient._runtime.lazy import lazy_names

if TYPE_CHECKING:
    from ecrclient.cleanup.decisions import (
        BATCH_DELETE_LIMIT,
        DeleteFailure,
        DeleteSummary,
        PruneCriteria,
        PruneDecision,
        PrunePlan,
        PruneResult,
    )
    from ecrclient.cleanup.drivers import (
        delete_images,
        delete_images_async,
        prune,
        prune_async,
    )

_LAZY = {
    "BATCH_DELETE_LIMIT": "ecrclient.cleanup.decisions",
    "DeleteFailure": "ecrclient.cleanup.decisions",
    "DeleteSummary": "ecrclient.cleanup.decisions",
    "PruneCriteria": "ecrclient.cleanup.decisions",
    "PruneDecision": "ecrclient.cleanup.decisions",
    "PrunePlan": "ecrclient.cleanup.decisions",
    "PruneResult": "ecrclient.cleanup.decisions",
    "delete_images": "ecrclient.cleanup.drivers",
    "delete_images_async": "ecrclient.cleanup.drivers",
    "prune": "ecrclient.cleanup.drivers",
    "prune_async": "ecrclient.cleanup.drivers",
}

__all__ = [
    "BATCH_DELETE_LIMIT",
    "DeleteFailure",
    "DeleteSummary",
    "PruneCriteria",
    "PruneDecision",
    "PrunePlan",
    "PruneResult",
    "delete_images",
    "delete_images_async",
    "prune",
    "prune_async",
]


if not TYPE_CHECKING:  # run-time hooks only: type checkers must not see an Any-typed fallback
    __getattr__, __dir__ = lazy_names(__name__, _LAZY, __all__)
