"""What to delete, and how to account for it: the pure half of :mod:`ecrclient.cleanup`.

Deleting: ``BatchDeleteImage`` takes at most 100 image ids, so ids are de-duplicated and sent in
chunks of 100 (:func:`chunks`); each chunk's answer — deleted ids and per-image failures — is
folded into one :class:`DeleteSummary` (:func:`fold_chunk`, :func:`fold_chunk_fault`).

Pruning (:func:`plan_prune`) sorts a repository's images newest first by push time and decides
for each whether it goes, with the reasons either way:

* ``keep_last=N`` protects the N most recently pushed images, whatever else applies.
* ``untagged=True`` selects images without tags; ``older_than`` selects images pushed before
  ``now - older_than``. Given both, an image must match both (``untagged`` *and* old).
* With neither selector, ``keep_last`` alone selects every image beyond the N newest.
* An image whose push time is unknown is kept, and so is every image an image index (a
  multi-architecture manifest list) that is kept refers to: deleting it would break the index.

Nothing here performs I/O; :mod:`ecrclient.cleanup.drivers` does, sync and async.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from ecrclient.model import ImageDetail, ImageIdentifier

__all__ = [
    "BATCH_DELETE_LIMIT",
    "INDEX_MEDIA_TYPES",
    "DeleteFailure",
    "DeleteSummary",
    "PruneCriteria",
    "PruneDecision",
    "PrunePlan",
    "PruneResult",
    "as_image_id",
    "chunks",
    "fold_chunk",
    "fold_chunk_fault",
    "describe_id",
    "index_children",
    "index_digests",
    "plan_prune",
    "protected_children",
]

BATCH_DELETE_LIMIT = 100
"""The most image ids one ``BatchDeleteImage`` call accepts (the model's list limit)."""

INDEX_MEDIA_TYPES = frozenset(
    {
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.oci.image.index.v1+json",
    }
)
"""Manifest media types that refer to other images (multi-architecture images)."""


def as_image_id(image: str | ImageIdentifier) -> ImageIdentifier:
    """An image id from ``sha256:...`` (a digest), any other text (a tag), or an id."""
    from ecrclient.model import ImageIdentifier

    if not isinstance(image, str):
        return image
    if ":" in image:  # tags cannot contain ':'; digests are algorithm:hex
        return ImageIdentifier(image_digest=image)
    return ImageIdentifier(image_tag=image)


def describe_id(image_id: ImageIdentifier) -> str:
    """``tag@digest``, ``tag`` or ``digest``: how an image id is shown."""
    if image_id.image_tag and image_id.image_digest:
        return f"{image_id.image_tag}@{image_id.image_digest}"
    return image_id.image_tag or image_id.image_digest or "<no tag or digest>"


def chunks(
    ids: Iterable[str | ImageIdentifier], size: int = BATCH_DELETE_LIMIT
) -> list[list[ImageIdentifier]]:
    """The ids, without repeats and in their order, in lists of at most ``size``."""
    if not 1 <= size <= BATCH_DELETE_LIMIT:
        raise ValueError(f"chunk size must be between 1 and {BATCH_DELETE_LIMIT}, got {size}")
    unique: dict[ImageIdentifier, None] = {}
    for item in ids:
        unique.setdefault(as_image_id(item), None)
    ordered = list(unique)
    return [ordered[start : start + size] for start in range(0, len(ordered), size)]


@dataclass(frozen=True)
class DeleteFailure:
    """An image that was not deleted: the service's failure code and reason, or the code of
    the fault that failed its whole chunk."""

    image_id: ImageIdentifier
    code: str
    reason: str


@dataclass(frozen=True)
class DeleteSummary:
    """What :func:`~ecrclient.cleanup.delete_images` did.

    ``deleted`` lists the ids ``BatchDeleteImage`` reported (one per tag removed, with the
    digest); ``calls`` counts the ``BatchDeleteImage`` calls made.
    """

    repository: str
    requested: tuple[ImageIdentifier, ...] = ()
    deleted: tuple[ImageIdentifier, ...] = ()
    failures: tuple[DeleteFailure, ...] = ()
    calls: int = 0

    @property
    def ok(self) -> bool:
        """Whether every requested image was deleted."""
        return not self.failures


def fold_chunk(
    summary: DeleteSummary, chunk: Sequence[ImageIdentifier], result: Any
) -> DeleteSummary:
    """``summary`` after one answered ``BatchDeleteImage`` call (its typed result)."""
    from ecrclient.model import ImageIdentifier

    failures = [
        DeleteFailure(
            image_id=failure.image_id or ImageIdentifier(),
            code=failure.failure_code or "Unknown",
            reason=failure.failure_reason or "",
        )
        for failure in result.failures or ()
    ]
    return DeleteSummary(
        repository=summary.repository,
        requested=summary.requested + tuple(chunk),
        deleted=summary.deleted + tuple(result.image_ids or ()),
        failures=summary.failures + tuple(failures),
        calls=summary.calls + 1,
    )


def fold_chunk_fault(
    summary: DeleteSummary, chunk: Sequence[ImageIdentifier], code: str, reason: str
) -> DeleteSummary:
    """``summary`` after a ``BatchDeleteImage`` call the service refused as a whole: every id
    of the chunk failed with the fault's code."""
    failures = tuple(DeleteFailure(image_id, code, reason) for image_id in chunk)
    return DeleteSummary(
        repository=summary.repository,
        requested=summary.requested + tuple(chunk),
        deleted=summary.deleted,
        failures=summary.failures + failures,
        calls=summary.calls + 1,
    )


# -- pruning -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PruneCriteria:
    """Which images :func:`plan_prune` deletes; see the module documentation."""

    keep_last: int | None = None
    untagged: bool = False
    older_than: timedelta | None = None

    def __post_init__(self) -> None:
        if self.keep_last is not None and self.keep_last < 0:
            raise ValueError(f"keep_last must be 0 or more, got {self.keep_last}")
        if self.older_than is not None and self.older_than < timedelta(0):
            raise ValueError("older_than must not be negative")
        if self.keep_last is None and not self.untagged and self.older_than is None:
            raise ValueError("nothing to prune by: give keep_last, untagged or older_than")


@dataclass(frozen=True)
class PruneDecision:
    """One image of the plan: whether it is deleted, and why (or why not)."""

    digest: str
    tags: tuple[str, ...]
    pushed_at: datetime | None
    size_bytes: int | None
    delete: bool
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class PrunePlan:
    """Every image of the repository, newest first, each with its decision."""

    repository: str
    criteria: PruneCriteria
    now: datetime
    decisions: tuple[PruneDecision, ...] = ()

    @property
    def to_delete(self) -> tuple[PruneDecision, ...]:
        return tuple(decision for decision in self.decisions if decision.delete)

    @property
    def to_keep(self) -> tuple[PruneDecision, ...]:
        return tuple(decision for decision in self.decisions if not decision.delete)

    @property
    def reclaimed_bytes(self) -> int:
        """The sizes of the images to delete, added up (shared layers counted each time)."""
        return sum(decision.size_bytes or 0 for decision in self.to_delete)


@dataclass(frozen=True)
class PruneResult:
    """A prune: its plan, and — unless it was a dry run — what the deletion did."""

    plan: PrunePlan
    dry_run: bool
    deletion: DeleteSummary | None = field(default=None)


def _age(now: datetime, pushed_at: datetime) -> str:
    days = (now - pushed_at).total_seconds() / 86400
    return f"{days:.1f} days" if days < 10 else f"{days:.0f} days"


def _window(older_than: timedelta) -> str:
    days = older_than.total_seconds() / 86400
    return f"{days:g} days"


def _selectors(image: ImageDetail, criteria: PruneCriteria, now: datetime) -> list[str] | None:
    """Why the selectors pick ``image`` (``None``: they do not)."""
    reasons: list[str] = []
    if criteria.untagged:
        if image.image_tags:
            return None
        reasons.append("untagged")
    if criteria.older_than is not None:
        assert image.image_pushed_at is not None
        if image.image_pushed_at >= now - criteria.older_than:
            return None
        reasons.append(
            f"pushed {_age(now, image.image_pushed_at)} ago, "
            f"more than {_window(criteria.older_than)}"
        )
    return reasons


def _kept_because(image: ImageDetail, criteria: PruneCriteria, now: datetime) -> str:
    if criteria.untagged and image.image_tags:
        return "tagged"
    assert criteria.older_than is not None and image.image_pushed_at is not None
    return f"pushed {_age(now, image.image_pushed_at)} ago, within {_window(criteria.older_than)}"


def plan_prune(
    repository: str,
    images: Iterable[ImageDetail],
    criteria: PruneCriteria,
    *,
    now: datetime,
    protected: Mapping[str, str] | None = None,
) -> PrunePlan:
    """Decide, for each image, whether it goes; ``protected`` maps digests that must stay to
    the reason (e.g. the index referring to them)."""
    shielded = protected or {}
    images = list(images)
    dated = sorted(
        (image for image in images if image.image_pushed_at is not None),
        key=lambda image: image.image_pushed_at or now,
        reverse=True,
    )
    undated = [image for image in images if image.image_pushed_at is None]
    decisions: list[PruneDecision] = []
    for rank, image in enumerate(dated):
        digest = image.image_digest or ""
        verdict: tuple[bool, tuple[str, ...]]
        if criteria.keep_last is not None and rank < criteria.keep_last:
            verdict = (False, (f"among the {criteria.keep_last} most recently pushed",))
        elif digest in shielded:
            verdict = (False, (shielded[digest],))
        elif not criteria.untagged and criteria.older_than is None:
            verdict = (True, (f"not among the {criteria.keep_last} most recently pushed",))
        else:
            selected = _selectors(image, criteria, now)
            if selected is None:
                verdict = (False, (_kept_because(image, criteria, now),))
            else:
                verdict = (True, tuple(selected))
        decisions.append(_decision(image, *verdict))
    for image in undated:
        decisions.append(_decision(image, False, ("push time unknown",)))
    return PrunePlan(repository, criteria, now, tuple(decisions))


def _decision(image: ImageDetail, delete: bool, reasons: tuple[str, ...]) -> PruneDecision:
    return PruneDecision(
        digest=image.image_digest or "",
        tags=tuple(image.image_tags or ()),
        pushed_at=image.image_pushed_at,
        size_bytes=image.image_size_in_bytes,
        delete=delete,
        reasons=reasons,
    )


def index_digests(images: Iterable[ImageDetail]) -> list[str]:
    """The digests of the image indexes (manifest lists) among ``images``."""
    return [
        image.image_digest
        for image in images
        if image.image_digest and image.image_manifest_media_type in INDEX_MEDIA_TYPES
    ]


def _member(document: Any, name: str) -> Any:
    """``document[name]`` if ``document`` is a JSON object, else ``None``."""
    if isinstance(document, dict):
        return cast("Mapping[str, Any]", document).get(name)
    return None


def index_children(manifest: str) -> Iterator[str]:
    """The digests an image index's manifest (JSON text) refers to; nothing for other text."""
    try:
        document: Any = json.loads(manifest)
    except ValueError:
        return
    entries = _member(document, "manifests")
    if not isinstance(entries, list):
        return
    for entry in cast("Sequence[Any]", entries):
        digest = _member(entry, "digest")
        if isinstance(digest, str):
            yield digest


def protected_children(plan: PrunePlan, manifests: Mapping[str, str]) -> dict[str, str]:
    """Digests referred to by the indexes ``plan`` keeps (``manifests``: index digest → its
    manifest text), each with the reason it must stay."""
    kept = {decision.digest for decision in plan.to_keep}
    shielded: dict[str, str] = {}
    for digest, manifest in manifests.items():
        if digest in kept:
            for child in index_children(manifest):
                shielded.setdefault(child, f"referred to by the kept index {digest[:19]}…")
    return shielded
