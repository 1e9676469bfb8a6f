"""The OCI image layout, as paths and bytes (no I/O here).

A layout is a folder holding ``oci-layout`` (``{"imageLayoutVersion": "1.0.0"}``), ``index.json``
(an OCI index whose descriptors name the images, by the ``org.opencontainers.image.ref.name``
annotation) and ``blobs/sha256/<hex>``, every blob and manifest under its digest. This module
finds an image in ``index.json``, maps digests to paths, and writes the updated ``index.json``
after a pull; the drivers do the reading and writing.

``index.json`` is rewritten, not re-created: entries for other images are kept as they were, so
pulling several tags into one layout collects them, and pulling a tag again replaces only its
own entry.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ecrclient.transfer._digest import ALGORITHM, hex_part, is_digest
from ecrclient.transfer._media import (
    OCI_INDEX,
    REF_NAME,
    Descriptor,
    as_list,
    as_object,
    load_json_object,
    parse_descriptor,
)
from ecrclient.transfer.errors import LayoutError, ManifestError

LAYOUT_FILE = "oci-layout"
INDEX_FILE = "index.json"
LAYOUT_VERSION = "1.0.0"
LAYOUT_MARKER = json.dumps({"imageLayoutVersion": LAYOUT_VERSION}).encode()


def blob_path(root: Path, digest: str) -> Path:
    """Where the blob ``digest`` lives in the layout at ``root``. The digest is checked first,
    so no ``index.json`` can point outside the layout."""
    return root / "blobs" / ALGORITHM / hex_part(digest)


def blobs_dir(root: Path) -> Path:
    return root / "blobs" / ALGORITHM


def check_marker(data: bytes | None, root: Path) -> None:
    """That ``oci-layout`` (its bytes, ``None`` if absent) marks a layout this module reads."""
    where = str(root / LAYOUT_FILE)
    if data is None:
        raise LayoutError(
            f"{root} is not an OCI image layout: {LAYOUT_FILE} is missing", path=where
        )
    try:
        version = load_json_object(data, where).get("imageLayoutVersion")
    except ManifestError as exc:
        raise LayoutError(str(exc), path=where) from None
    if not isinstance(version, str) or version.split(".")[0] != "1":
        raise LayoutError(f"unsupported imageLayoutVersion {version!r} in {where}", path=where)


def read_index(data: bytes | None, root: Path) -> list[Descriptor]:
    """The descriptors of ``index.json`` (its bytes, ``None`` if absent)."""
    where = str(root / INDEX_FILE)
    if data is None:
        raise LayoutError(f"{root} has no {INDEX_FILE}", path=where)
    try:
        document = load_json_object(data, where)
        entries = as_list(document.get("manifests"))
        if entries is None:
            raise LayoutError(f"{where} has no manifests list", path=where)
        return [
            parse_descriptor(entry, f"{where}, manifests[{number}]")
            for number, entry in enumerate(entries)
        ]
    except ManifestError as exc:
        raise LayoutError(str(exc), path=where, digest=exc.digest) from None


def select_image(
    descriptors: Sequence[Descriptor], reference: str | None, root: Path
) -> Descriptor:
    """The image ``reference`` names in ``index.json``: a ``ref.name`` annotation (the tag) or
    a digest; ``None`` when the layout holds exactly one image."""
    where = str(root / INDEX_FILE)
    if reference is None:
        if len(descriptors) == 1:
            return descriptors[0]
        names = sorted(d.annotations.get(REF_NAME) or d.digest for d in descriptors)
        raise LayoutError(
            f"{where} lists {len(descriptors)} images; name one of: {', '.join(names) or 'none'}",
            path=where,
        )
    key = "digest" if is_digest(reference) else "ref.name"
    matches = [
        d
        for d in descriptors
        if (d.digest if key == "digest" else d.annotations.get(REF_NAME)) == reference
    ]
    if not matches:
        raise LayoutError(f"{where} has no image with {key} {reference!r}", path=where)
    if len({d.digest for d in matches}) > 1:
        raise LayoutError(f"{where} names several images {reference!r}", path=where)
    return matches[0]


def updated_index(existing: bytes | None, image: Descriptor, root: Path) -> bytes:
    """``index.json`` with ``image`` added, replacing an entry of the same ``ref.name`` (or, for
    an unnamed image, the unnamed entry of the same digest). Other entries stay as written."""
    document: dict[str, Any] = {"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": []}
    if existing is not None:
        try:
            document = dict(load_json_object(existing, str(root / INDEX_FILE)))
        except ManifestError as exc:
            raise LayoutError(str(exc), path=str(root / INDEX_FILE)) from None
    kept = as_list(document.get("manifests")) or []
    name = image.annotations.get(REF_NAME)

    def replaced(entry: object) -> bool:
        fields = as_object(entry)
        if fields is None:
            return False
        entry_name = (as_object(fields.get("annotations")) or {}).get(REF_NAME)
        if name is not None:
            return entry_name == name
        return entry_name is None and fields.get("digest") == image.digest

    document["manifests"] = [entry for entry in kept if not replaced(entry)] + [image.to_json()]
    return (json.dumps(document, indent=2) + "\n").encode()
