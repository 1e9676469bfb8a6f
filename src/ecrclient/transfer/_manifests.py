"""Steps that read manifests from ECR and store them there.

Reading asks ``BatchGetImage`` for every manifest type this module handles, so ECR hands back
the stored bytes unconverted, and checks that those bytes have the digest ECR names them by.
Storing sends those same bytes with the settled media type and the digest (so ECR verifies the
name), once per tag: ``PutImage`` takes a single tag. An ``ImageAlreadyExistsException`` means
the tag already names this very manifest — nothing to do.
"""

from __future__ import annotations

from collections.abc import Sequence

from ecrclient.errors import (
    ImageAlreadyExistsException,
    LayersNotFoundException,
    RequestValidationError,
)
from ecrclient.model import (
    BatchGetImageRequest,
    ImageIdentifier,
    PutImageRequest,
)
from ecrclient.transfer._digest import is_digest
from ecrclient.transfer._effects import Call, RepositoryRef, Steps
from ecrclient.transfer._failures import failures_as
from ecrclient.transfer._media import (
    ACCEPTED_MANIFEST_TYPES,
    Manifest,
    check_descriptor,
    children_first,
    parse_manifest,
)
from ecrclient.transfer._upload import blobs_present
from ecrclient.transfer.errors import (
    ImageNotFoundError,
    ManifestError,
    MediaTypeError,
    MissingBlobsError,
)

GET_BATCH = 100
"""The most image ids one ``BatchGetImage`` takes."""


def image_id(reference: str) -> ImageIdentifier:
    """The ``ImageIdentifier`` of a tag or a digest."""
    if is_digest(reference):
        return ImageIdentifier(image_digest=reference)
    return ImageIdentifier(image_tag=reference)


def fetch_manifests(
    repository: RepositoryRef, references: Sequence[str]
) -> Steps[dict[str, Manifest]]:
    """The manifests of ``references`` (tags or digests), keyed by reference."""
    found: dict[str, Manifest] = {}
    for start in range(0, len(references), GET_BATCH):
        batch = list(dict.fromkeys(references[start : start + GET_BATCH]))
        with failures_as(
            lambda exc: ManifestError(
                f"BatchGetImage on {repository.name} failed: {exc}", repository=repository.name
            )
        ):
            answer = yield Call(
                repository,
                "batch_get_image",
                BatchGetImageRequest(
                    registry_id=repository.registry_id,
                    repository_name=repository.name,
                    image_ids=[image_id(reference) for reference in batch],
                    accepted_media_types=list(ACCEPTED_MANIFEST_TYPES),
                ),
            )
        for image in answer.images or ():
            if image.image_manifest is None or image.image_id is None:
                continue
            manifest = parse_manifest(
                image.image_manifest.encode("utf-8"), image.image_manifest_media_type
            )
            named = image.image_id.image_digest
            if named is not None and named != manifest.digest:
                raise ManifestError(
                    f"ECR returned a manifest for {named} whose bytes have digest "
                    f"{manifest.digest}",
                    repository=repository.name,
                    digest=named,
                )
            # Match answers to requests by the digest of the bytes (trustworthy) and the tag
            # echoed back; a lone request takes the lone answer, as some ECR emulations echo
            # another of the image's tags.
            keys = {manifest.digest, image.image_id.image_tag}
            if len(batch) == 1 and len(answer.images or ()) == 1:
                keys.add(batch[0])
            for key in keys:
                if key is not None and key in batch:
                    found[key] = manifest
        for reference in batch:
            if reference not in found:
                reasons = [
                    f"{failure.failure_code}: {failure.failure_reason}"
                    for failure in answer.failures or ()
                    if failure.image_id is not None
                    and reference in (failure.image_id.image_tag, failure.image_id.image_digest)
                ]
                raise ImageNotFoundError(
                    f"no image {reference!r} in {repository.name}"
                    + (f" ({'; '.join(reasons)})" if reasons else ""),
                    repository=repository.name,
                    reference=reference,
                )
    return found


def fetch_image(repository: RepositoryRef, reference: str) -> Steps[list[Manifest]]:
    """Every manifest of the image ``reference``: for an index, its manifests too (fetched by
    digest, checked against their descriptors). Children come first, the top one last."""
    root = (yield from fetch_manifests(repository, [reference]))[reference]
    found = {root.digest: root}
    frontier: list[Manifest] = [root]
    while frontier:
        wanted = {d.digest: d for m in frontier for d in m.manifests if d.digest not in found}
        if not wanted:
            break
        fetched = yield from fetch_manifests(repository, list(wanted))
        frontier = []
        for digest, descriptor in wanted.items():
            child = fetched[digest]
            check_descriptor(child, descriptor)
            if descriptor.media_type and descriptor.media_type != child.media_type:
                raise MediaTypeError(
                    f"the index names {digest} as {descriptor.media_type!r}, ECR stores it as "
                    f"{child.media_type!r}",
                    digest=digest,
                    declared=descriptor.media_type,
                    found=child.media_type,
                )
            found[digest] = child
            frontier.append(child)
    return children_first(root, found)


def put_manifest_steps(
    repository: RepositoryRef, manifest: Manifest, tags: Sequence[str]
) -> Steps[tuple[list[str], list[str]]]:
    """Store ``manifest`` under each of ``tags`` (untagged, by digest, when there are none).
    Returns the tags added and the tags that already named it."""
    added: list[str] = []
    unchanged: list[str] = []
    labels: list[str | None] = [*tags] or [None]
    for tag in labels:
        try:
            yield Call(
                repository,
                "put_image",
                PutImageRequest(
                    registry_id=repository.registry_id,
                    repository_name=repository.name,
                    image_manifest=manifest.text,
                    image_manifest_media_type=manifest.media_type,
                    image_tag=tag,
                    image_digest=manifest.digest,
                ),
            )
        except ImageAlreadyExistsException:
            if tag:
                unchanged.append(tag)
            continue
        except LayersNotFoundException as refusal:
            raise (yield from _missing_blobs(repository, manifest, refusal)) from refusal
        except RequestValidationError:
            raise
        except Exception as exc:
            label = f"as {tag!r}" if tag else "untagged"
            raise ManifestError(
                f"PutImage of {manifest.digest} ({manifest.media_type}) {label} into "
                f"{repository.name} failed: {exc}",
                repository=repository.name,
                digest=manifest.digest,
                reference=tag,
            ) from exc
        if tag:
            added.append(tag)
    return added, unchanged


def _missing_blobs(
    repository: RepositoryRef, manifest: Manifest, refusal: LayersNotFoundException
) -> Steps[MissingBlobsError]:
    """The error for a ``PutImage`` refused for missing layers, naming them (ECR's message does
    not list them, so they are asked for)."""
    wanted = [blob.digest for blob in manifest.blobs if blob.distributable]
    with failures_as(
        lambda exc: MissingBlobsError(
            f"{repository.name} lacks blobs of {manifest.digest} ({refusal.error_message})",
            repository=repository.name,
            digest=manifest.digest,
            missing=(),
        )
    ):
        present = yield from blobs_present(repository, wanted)
    missing = [digest for digest in wanted if digest not in present]
    return MissingBlobsError(
        f"PutImage of {manifest.digest} into {repository.name} was refused: the repository "
        f"lacks {len(missing)} of its blobs ({', '.join(missing) or 'none found missing now'});"
        " upload them first (push_image and copy_image do)",
        repository=repository.name,
        digest=manifest.digest,
        missing=missing,
    )
