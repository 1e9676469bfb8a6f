"""The steps of whole-image transfers: push a layout, pull into a layout, copy, retag.

Each works on the image's manifest tree (an index and its manifests, or one manifest) and the
set of blobs under it, each blob once however many manifests share it. Blobs move in parallel,
at most ``limit`` at a time; manifests are then stored children first, because ECR accepts an
index only once the manifests it names are there, and the top manifest last, under its tags.

Nothing is ever moved twice: a push asks ECR which blobs it has (``BatchCheckLayerAvailability``,
100 digests a call) and a pull skips blobs already in the layout with the right size, so a
second pull downloads nothing. A copy does both: it downloads only what the destination lacks,
one blob at a time into a private scratch folder, uploads it, and deletes it, so neither memory
nor disk ever holds the whole image.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from pathlib import Path

from ecrclient.transfer._digest import hex_part, is_digest
from ecrclient.transfer._download import download_steps
from ecrclient.transfer._effects import (
    Concurrently,
    FileSize,
    MakeTempDir,
    ReadFile,
    RemoveTree,
    RepositoryRef,
    Steps,
    WriteFile,
)
from ecrclient.transfer._layout import (
    INDEX_FILE,
    LAYOUT_FILE,
    LAYOUT_MARKER,
    blob_path,
    check_marker,
    read_index,
    select_image,
    updated_index,
)
from ecrclient.transfer._manifests import fetch_image, fetch_manifests, put_manifest_steps
from ecrclient.transfer._media import (
    REF_NAME,
    Descriptor,
    Manifest,
    check_descriptor,
    children_first,
    distributable_blobs,
    parse_manifest,
)
from ecrclient.transfer._progress import ProgressMeter
from ecrclient.transfer._results import TransferredImage, UploadedBlob
from ecrclient.transfer._sources import PathSource
from ecrclient.transfer._upload import blobs_present, upload_steps
from ecrclient.transfer.errors import LayoutError


def _store_manifests(
    repository: RepositoryRef, manifests: Sequence[Manifest], tags: Sequence[str]
) -> Steps[tuple[list[str], list[str]]]:
    """Store the children untagged, then the top manifest (last) under ``tags``."""
    for child in manifests[:-1]:
        yield from put_manifest_steps(repository, child, ())
    return (yield from put_manifest_steps(repository, manifests[-1], tags))


def _transferred(
    repository: RepositoryRef,
    manifests: Sequence[Manifest],
    tags: tuple[str, ...],
    blobs: Sequence[Descriptor] = (),
    moved: Collection[str] = (),
    layout: Path | None = None,
) -> TransferredImage:
    """What a call did to the image whose top manifest is ``manifests[-1]``: the ``tags`` it
    now has from the call, and which of its (distinct) ``blobs`` it ``moved``."""
    top = manifests[-1]
    return TransferredImage(
        repository=repository.name,
        digest=top.digest,
        media_type=top.media_type,
        tags=tags,
        manifests=tuple(m.digest for m in manifests),
        blobs_transferred=tuple(b.digest for b in blobs if b.digest in moved),
        blobs_skipped=tuple(b.digest for b in blobs if b.digest not in moved),
        bytes_transferred=sum(b.size for b in blobs if b.digest in moved),
        layout=layout,
    )


# -- push --------------------------------------------------------------------------------------


def _read_layout_manifest(layout: Path, descriptor: Descriptor) -> Steps[Manifest]:
    path = blob_path(layout, descriptor.digest)
    data: bytes | None = yield ReadFile(path)
    if data is None:
        raise LayoutError(
            f"manifest {descriptor.digest} is missing from the layout", path=str(path)
        )
    manifest = parse_manifest(data, descriptor.media_type)
    check_descriptor(manifest, descriptor)
    return manifest


def read_layout_image(layout: Path, reference: str | None) -> Steps[list[Manifest]]:
    """The manifests of the image ``reference`` names in the layout, children first."""
    check_marker((yield ReadFile(layout / LAYOUT_FILE)), layout)
    chosen = select_image(
        read_index((yield ReadFile(layout / INDEX_FILE)), layout), reference, layout
    )
    root = yield from _read_layout_manifest(layout, chosen)
    found = {root.digest: root}
    frontier = [root]
    while frontier:
        children: list[Manifest] = []
        for manifest in frontier:
            for descriptor in manifest.manifests:
                if descriptor.digest not in found:
                    child = yield from _read_layout_manifest(layout, descriptor)
                    found[child.digest] = child
                    children.append(child)
        frontier = children
    return children_first(root, found)


def push_steps(
    repository: RepositoryRef,
    layout: Path,
    reference: str | None,
    tags: Sequence[str],
    limit: int,
    meter: ProgressMeter,
) -> Steps[TransferredImage]:
    manifests = yield from read_layout_image(layout, reference)
    blobs = distributable_blobs(manifests)
    for blob in blobs:
        path = blob_path(layout, blob.digest)
        size = yield FileSize(path)
        if size != blob.size:
            problem = "is missing" if size is None else f"is {size} bytes, not {blob.size}"
            raise LayoutError(f"blob {blob.digest} {problem}", path=str(path), digest=blob.digest)
    present = yield from blobs_present(repository, [blob.digest for blob in blobs])
    to_send = [blob for blob in blobs if blob.digest not in present]
    meter.set_total(sum(blob.size for blob in to_send))
    uploads: list[UploadedBlob] = yield Concurrently(
        [
            upload_steps(
                repository,
                PathSource(blob_path(layout, blob.digest), blob.size),
                digest=blob.digest,
                check_first=False,
                meter=meter,
            )
            for blob in to_send
        ],
        limit,
    )
    added, unchanged = yield from _store_manifests(repository, manifests, tags)
    sent = {upload.digest for upload in uploads if upload.uploaded}
    return _transferred(repository, manifests, (*added, *unchanged), blobs, sent, layout)


# -- pull --------------------------------------------------------------------------------------


def pull_steps(
    repository: RepositoryRef,
    reference: str,
    layout: Path,
    ref_name: str | None,
    limit: int,
    meter: ProgressMeter,
) -> Steps[TransferredImage]:
    marker = yield ReadFile(layout / LAYOUT_FILE)
    if marker is not None:
        check_marker(marker, layout)
    manifests = yield from fetch_image(repository, reference)
    blobs = distributable_blobs(manifests)
    wanted: list[Descriptor] = []
    for blob in blobs:
        if (yield FileSize(blob_path(layout, blob.digest))) != blob.size:
            wanted.append(blob)
    meter.set_total(sum(blob.size for blob in wanted))
    yield Concurrently(
        [
            download_steps(
                repository,
                blob.digest,
                blob_path(layout, blob.digest),
                size=blob.size,
                meter=meter,
            )
            for blob in wanted
        ],
        limit,
    )
    # Manifests after the blobs they name, index.json last: a layout read at any moment
    # never names content it does not hold.
    for manifest in manifests:
        path = blob_path(layout, manifest.digest)
        if (yield FileSize(path)) != manifest.size:
            yield WriteFile(path, manifest.data)
    if marker is None:
        yield WriteFile(layout / LAYOUT_FILE, LAYOUT_MARKER)
    top = manifests[-1]
    name = ref_name if ref_name is not None else (None if is_digest(reference) else reference)
    entry = top.descriptor({REF_NAME: name} if name else None)
    existing = yield ReadFile(layout / INDEX_FILE)
    yield WriteFile(layout / INDEX_FILE, updated_index(existing, entry, layout))
    fetched = {blob.digest for blob in wanted}
    return _transferred(repository, manifests, (name,) if name else (), blobs, fetched, layout)


# -- copy and retag ----------------------------------------------------------------------------


def _copy_blob(
    source: RepositoryRef,
    destination: RepositoryRef,
    blob: Descriptor,
    scratch: Path,
    meter: ProgressMeter,
) -> Steps[None]:
    path = scratch / hex_part(blob.digest)
    try:
        yield from download_steps(source, blob.digest, path, size=blob.size, meter=meter)
        yield from upload_steps(
            destination,
            PathSource(path, blob.size),
            digest=blob.digest,
            check_first=False,
            meter=meter,
        )
    except GeneratorExit:
        raise
    except BaseException:
        yield RemoveTree(path)
        raise
    yield RemoveTree(path)  # as soon as it is up: the scratch folder holds few blobs at a time


def copy_steps(
    source: RepositoryRef,
    destination: RepositoryRef,
    reference: str,
    tags: Sequence[str],
    work_dir: Path | None,
    limit: int,
    meter: ProgressMeter,
) -> Steps[TransferredImage]:
    manifests = yield from fetch_image(source, reference)
    blobs = distributable_blobs(manifests)
    present = yield from blobs_present(destination, [blob.digest for blob in blobs])
    to_copy = [blob for blob in blobs if blob.digest not in present]
    meter.set_total(2 * sum(blob.size for blob in to_copy))  # each byte goes down, then up
    if to_copy:
        scratch: Path = yield MakeTempDir(work_dir)
        try:
            yield Concurrently(
                [_copy_blob(source, destination, blob, scratch, meter) for blob in to_copy],
                limit,
            )
        except GeneratorExit:
            raise
        except BaseException:
            yield RemoveTree(scratch)
            raise
        yield RemoveTree(scratch)
    added, unchanged = yield from _store_manifests(destination, manifests, tags)
    copied = {blob.digest for blob in to_copy}
    return _transferred(destination, manifests, (*added, *unchanged), blobs, copied)


def retag_steps(
    repository: RepositoryRef, reference: str, tags: Sequence[str]
) -> Steps[TransferredImage]:
    """Give the image ``reference`` more tags: its stored bytes and media type go back
    unchanged, so its digest stays the same."""
    manifest = (yield from fetch_manifests(repository, [reference]))[reference]
    return (yield from put_steps(repository, manifest, tags))


def put_steps(
    repository: RepositoryRef, manifest: Manifest, tags: Sequence[str]
) -> Steps[TransferredImage]:
    """Store one manifest whose content is already in the repository."""
    added, unchanged = yield from put_manifest_steps(repository, manifest, tags)
    return _transferred(repository, [manifest], (*added, *unchanged))
