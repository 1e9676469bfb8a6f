"""Manifests and their media types, read without I/O.

An image is a tree of JSON documents named by the digests of their exact bytes: an *index* (OCI
image index, or Docker manifest list) points at *manifests* by digest, and a manifest points at
its *blobs* (one config, then the layers). Because names are digests of bytes, a manifest is
never re-serialized here: it is parsed only to learn what it points at, and the bytes that were
read are the bytes that are sent or written.

The media type of a manifest can be stated in three places: its own ``mediaType`` field, the
descriptor that points at it (``index.json`` or a parent index), and ECR's
``imageManifestMediaType``. ECR refuses a ``PutImage`` whose ``imageManifestMediaType``
contradicts the field, and needs it when the field is absent (the OCI specifications make the
field optional), so :func:`resolve_media_type` settles the type once, before anything is sent.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, cast

import attrs

from ecrclient.transfer._digest import digest_of, is_digest
from ecrclient.transfer.errors import ManifestError, MediaTypeError

DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"

IMAGE_MANIFEST_TYPES = frozenset({DOCKER_MANIFEST, OCI_MANIFEST})
INDEX_TYPES = frozenset({DOCKER_MANIFEST_LIST, OCI_INDEX})

ACCEPTED_MANIFEST_TYPES = (OCI_INDEX, OCI_MANIFEST, DOCKER_MANIFEST_LIST, DOCKER_MANIFEST)
"""What ``BatchGetImage`` is told to accept. Naming every type the module can handle makes ECR
return the manifest exactly as stored: with a narrower list it may convert it (new bytes, a new
digest) or answer a failure."""

_NOT_DISTRIBUTED = ("foreign", "nondistributable")
"""Layer media types (Docker's foreign layers, OCI's non-distributable ones) whose bytes live
elsewhere and are never uploaded to, or downloaded from, a registry."""

REF_NAME = "org.opencontainers.image.ref.name"
"""The annotation an OCI layout's ``index.json`` names its images with (the tag)."""


@attrs.frozen(kw_only=True)
class Descriptor:
    """A pointer to content: its media type, digest and size (OCI descriptor)."""

    media_type: str | None
    digest: str
    size: int
    annotations: Mapping[str, str] = attrs.field(factory=dict[str, str])
    platform: Mapping[str, Any] | None = None

    @property
    def distributable(self) -> bool:
        """Whether a registry holds this blob (foreign and non-distributable layers it does
        not)."""
        media_type = self.media_type or ""
        return not any(marker in media_type for marker in _NOT_DISTRIBUTED)

    def to_json(self) -> dict[str, Any]:
        """The descriptor as the OCI specifications write it."""
        out: dict[str, Any] = {}
        if self.media_type is not None:
            out["mediaType"] = self.media_type
        out["digest"] = self.digest
        out["size"] = self.size
        if self.platform is not None:
            out["platform"] = dict(self.platform)
        if self.annotations:
            out["annotations"] = dict(self.annotations)
        return out


@attrs.frozen(kw_only=True)
class Manifest:
    """A manifest or index: its exact bytes, settled media type and what it points at."""

    data: bytes
    media_type: str
    digest: str
    manifests: tuple[Descriptor, ...]
    """The manifests an index points at (empty for an image manifest)."""
    blobs: tuple[Descriptor, ...]
    """The config and layers of an image manifest (empty for an index)."""

    @property
    def is_index(self) -> bool:
        return self.media_type in INDEX_TYPES

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def text(self) -> str:
        """The bytes as the string ``PutImage`` carries (ECR manifests are UTF-8 JSON)."""
        return self.data.decode("utf-8")

    def descriptor(self, annotations: Mapping[str, str] | None = None) -> Descriptor:
        return Descriptor(
            media_type=self.media_type,
            digest=self.digest,
            size=self.size,
            annotations=dict(annotations or {}),
        )


def as_object(value: object) -> dict[str, Any] | None:
    """``value`` if it is a JSON object (a ``dict``), else ``None``."""
    return cast("dict[str, Any]", value) if isinstance(value, dict) else None


def as_list(value: object) -> list[object] | None:
    """``value`` if it is a JSON array (a ``list``), else ``None``."""
    return cast("list[object]", value) if isinstance(value, list) else None


def parse_descriptor(value: object, where: str) -> Descriptor:
    """A descriptor from its JSON form; ``ManifestError`` naming ``where`` when malformed."""
    fields = as_object(value)
    if fields is None:
        raise ManifestError(f"{where}: a descriptor must be a JSON object")
    digest, size = fields.get("digest"), fields.get("size")
    media_type = fields.get("mediaType")
    if not isinstance(digest, str) or not is_digest(digest):
        raise ManifestError(f"{where}: digest {digest!r} is not a sha256 digest")
    if not isinstance(size, int) or isinstance(size, bool) or size < 0:
        raise ManifestError(f"{where}: size {size!r} is not a byte count", digest=digest)
    if media_type is not None and not isinstance(media_type, str):
        raise ManifestError(f"{where}: mediaType {media_type!r} is not a string", digest=digest)
    annotations = as_object(fields.get("annotations")) or {}
    return Descriptor(
        media_type=media_type,
        digest=digest,
        size=size,
        annotations={str(key): str(value) for key, value in annotations.items()},
        platform=as_object(fields.get("platform")),
    )


def load_json_object(data: bytes, what: str, digest: str | None = None) -> Mapping[str, Any]:
    """``data`` parsed as a JSON object; ``ManifestError`` naming ``what`` otherwise."""
    try:
        parsed: object = json.loads(data)
    except (UnicodeDecodeError, ValueError) as exc:
        raise ManifestError(f"{what} is not valid JSON: {exc}", digest=digest) from None
    document = as_object(parsed)
    if document is None:
        raise ManifestError(f"{what} is not a JSON object", digest=digest)
    return document


def resolve_media_type(
    document: Mapping[str, Any], declared: str | None, digest: str | None = None
) -> str:
    """The media type of a parsed manifest: its ``mediaType`` field, which must agree with
    ``declared`` (the descriptor's or the caller's) when both are given; else ``declared``;
    else what the document's shape says (``manifests`` → OCI index, ``layers`` → OCI
    manifest)."""
    field = document.get("mediaType")
    if field is not None and not isinstance(field, str):
        raise MediaTypeError(f"mediaType {field!r} is not a string", digest=digest)
    if field and declared and field != declared:
        raise MediaTypeError(
            f"the manifest says its mediaType is {field!r} but it is declared as {declared!r};"
            " ECR refuses a PutImage whose imageManifestMediaType contradicts the manifest",
            digest=digest,
            declared=declared,
            found=field,
        )
    media_type = field or declared
    if media_type is None:
        if document.get("schemaVersion") == 2 and "manifests" in document:
            media_type = OCI_INDEX
        elif document.get("schemaVersion") == 2 and "layers" in document:
            media_type = OCI_MANIFEST
        else:
            raise MediaTypeError(
                "the manifest has no mediaType field, none was declared, and its shape is not"
                " an OCI manifest or index",
                digest=digest,
            )
    if media_type not in IMAGE_MANIFEST_TYPES and media_type not in INDEX_TYPES:
        raise MediaTypeError(
            f"unsupported manifest media type {media_type!r}; supported: "
            + ", ".join(ACCEPTED_MANIFEST_TYPES),
            digest=digest,
            declared=declared,
            found=field,
        )
    return media_type


def parse_manifest(data: bytes, declared: str | None = None) -> Manifest:
    """What the manifest or index ``data`` is and points at. ``declared`` is the media type
    stated outside the document, if any."""
    digest = digest_of(data)
    document = load_json_object(data, f"manifest {digest}", digest)
    media_type = resolve_media_type(document, declared, digest)
    manifests: list[Descriptor] = []
    blobs: list[Descriptor] = []
    if media_type in INDEX_TYPES:
        entries = as_list(document.get("manifests"))
        if entries is None:
            raise ManifestError(f"index {digest} has no manifests list", digest=digest)
        for number, entry in enumerate(entries):
            manifests.append(parse_descriptor(entry, f"index {digest}, manifests[{number}]"))
    else:
        config = document.get("config")
        if config is None:
            raise ManifestError(f"manifest {digest} has no config", digest=digest)
        blobs.append(parse_descriptor(config, f"manifest {digest}, config"))
        layers = as_list(document.get("layers"))
        if layers is None:
            raise ManifestError(f"manifest {digest} has no layers list", digest=digest)
        for number, layer in enumerate(layers):
            blobs.append(parse_descriptor(layer, f"manifest {digest}, layers[{number}]"))
    return Manifest(
        data=data,
        media_type=media_type,
        digest=digest,
        manifests=tuple(manifests),
        blobs=tuple(blobs),
    )


def check_descriptor(manifest: Manifest, descriptor: Descriptor) -> None:
    """That ``manifest`` is the content ``descriptor`` points at (digest and size)."""
    if manifest.digest != descriptor.digest:
        raise ManifestError(
            f"the manifest read for {descriptor.digest} has digest {manifest.digest}",
            digest=descriptor.digest,
        )
    if manifest.size != descriptor.size:
        raise ManifestError(
            f"manifest {descriptor.digest} is {manifest.size} bytes, its descriptor says "
            f"{descriptor.size}",
            digest=descriptor.digest,
        )


def distributable_blobs(manifests: Sequence[Manifest]) -> list[Descriptor]:
    """The blobs a registry holds for ``manifests``, each digest once, in first-seen order."""
    seen: dict[str, Descriptor] = {}
    for manifest in manifests:
        for blob in manifest.blobs:
            if blob.distributable and blob.digest not in seen:
                seen[blob.digest] = blob
    return list(seen.values())


def children_first(root: Manifest, found: Mapping[str, Manifest]) -> list[Manifest]:
    """Every manifest of the tree under ``root``, each once, children before their index: the
    order ECR needs them stored in (an index may only point at manifests already there)."""
    ordered: list[Manifest] = []
    placed: set[str] = set()

    def place(manifest: Manifest, path: tuple[str, ...]) -> None:
        if manifest.digest in path:
            raise ManifestError(f"index {manifest.digest} contains itself", digest=manifest.digest)
        for child in manifest.manifests:
            place(found[child.digest], (*path, manifest.digest))
        if manifest.digest not in placed:
            placed.add(manifest.digest)
            ordered.append(manifest)

    place(root, ())
    return ordered
