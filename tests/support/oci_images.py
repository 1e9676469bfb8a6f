"""Test images built from scratch: gzipped tar layers, config JSON, manifests, a multi-platform
index, written as OCI image layouts. Deterministic for a given seed; nothing is downloaded.

Manifests are written with unusual formatting (three-space indents, a trailing newline) on
purpose: a transfer that re-serialized a manifest instead of keeping its bytes would change its
digest, and the tests would see it.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import random
import tarfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip"
DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json"
DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar.gzip"
REF_NAME = "org.opencontainers.image.ref.name"


def digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def odd_json(document: Any) -> bytes:
    return json.dumps(document, indent=3).encode() + b"\n"


def tar_layer(files: dict[str, bytes]) -> tuple[bytes, str]:
    """A gzipped tar of ``files`` (fixed times and owners) and its diff id."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, content in sorted(files.items()):
            info = tarfile.TarInfo(name)
            info.size = len(content)
            info.mode = 0o644
            info.mtime = 0
            tar.addfile(info, io.BytesIO(content))
    uncompressed = raw.getvalue()
    return gzip.compress(uncompressed, mtime=0), digest(uncompressed)


@dataclass
class Image:
    """What a test needs to know about an image it built."""

    layout: Path
    tag: str
    digest: str
    media_type: str
    manifests: list[str] = field(default_factory=list)
    """Every manifest digest, the top one last."""
    blobs: list[str] = field(default_factory=list)
    """Every config and layer digest, each once."""

    def blob(self, digest: str) -> bytes:
        return (self.layout / "blobs" / "sha256" / digest.split(":", 1)[1]).read_bytes()


class LayoutWriter:
    def __init__(self, root: Path) -> None:
        self.root = root
        (root / "blobs" / "sha256").mkdir(parents=True, exist_ok=True)
        (root / "oci-layout").write_text('{"imageLayoutVersion": "1.0.0"}')

    def add(self, data: bytes, media_type: str, **extra: Any) -> dict[str, Any]:
        name = digest(data)
        (self.root / "blobs" / "sha256" / name.split(":", 1)[1]).write_bytes(data)
        return {"mediaType": media_type, "digest": name, "size": len(data), **extra}

    def name(self, descriptor: dict[str, Any], tag: str) -> None:
        index_path = self.root / "index.json"
        index: dict[str, Any] = (
            json.loads(index_path.read_text())
            if index_path.exists()
            else {"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": []}
        )
        entry = {**descriptor, "annotations": {REF_NAME: tag}}
        index["manifests"] = [
            m for m in index["manifests"] if m.get("annotations", {}).get(REF_NAME) != tag
        ] + [entry]
        index_path.write_text(json.dumps(index, indent=2))


def _image_manifest(
    writer: LayoutWriter,
    rng: random.Random,
    *,
    arch: str,
    layer_sizes: list[int],
    docker: bool,
    shared: tuple[bytes, str] | None,
    media_type_field: bool,
) -> tuple[dict[str, Any], list[str]]:
    layers, diff_ids = [], []
    built = [
        tar_layer({f"data/{arch}-{n}.bin": rng.randbytes(size)})
        for n, size in enumerate(layer_sizes)
    ]
    if shared is not None:
        built.insert(0, shared)
    for data, diff_id in built:
        layers.append(writer.add(data, DOCKER_LAYER if docker else OCI_LAYER))
        diff_ids.append(diff_id)
    created = "2026-01-01T00:00:00Z"
    config = odd_json(
        {
            "created": created,
            "architecture": arch,
            "os": "linux",
            "config": {"Env": ["PATH=/usr/bin"]},
            "rootfs": {"type": "layers", "diff_ids": diff_ids},
            "history": [
                {"created": created, "created_by": "tests/support/oci_images.py"} for _ in diff_ids
            ],
        }
    )
    config_descriptor = writer.add(config, DOCKER_CONFIG if docker else OCI_CONFIG)
    media_type = DOCKER_MANIFEST if docker else OCI_MANIFEST
    document: dict[str, Any] = {"schemaVersion": 2}
    if media_type_field:
        document["mediaType"] = media_type
    document["config"] = config_descriptor
    document["layers"] = layers
    data = odd_json(document)
    descriptor = writer.add(data, media_type)
    return descriptor, [config_descriptor["digest"], *(layer["digest"] for layer in layers)]


def single_image(
    root: Path,
    tag: str = "v1",
    *,
    seed: int = 1,
    layer_sizes: tuple[int, ...] = (150_000, 70_000),
    docker: bool = False,
    media_type_field: bool = True,
) -> Image:
    """One platform's image manifest with its config and layers."""
    writer = LayoutWriter(root)
    descriptor, blobs = _image_manifest(
        writer,
        random.Random(seed),
        arch="amd64",
        layer_sizes=list(layer_sizes),
        docker=docker,
        shared=None,
        media_type_field=media_type_field,
    )
    writer.name(descriptor, tag)
    return Image(
        root, tag, descriptor["digest"], descriptor["mediaType"], [descriptor["digest"]], blobs
    )


def multi_platform_image(
    root: Path,
    tag: str = "v1",
    *,
    seed: int = 2,
    platforms: tuple[str, ...] = ("amd64", "arm64"),
    docker: bool = False,
) -> Image:
    """An index over one image per platform; the images share a base layer."""
    rng = random.Random(seed)
    writer = LayoutWriter(root)
    shared = tar_layer({"base/os-release": b'NAME="test"\n' + rng.randbytes(90_000)})
    children, blobs = [], []
    for arch in platforms:
        descriptor, child_blobs = _image_manifest(
            writer,
            rng,
            arch=arch,
            layer_sizes=[120_000],
            docker=docker,
            shared=shared,
            media_type_field=True,
        )
        children.append({**descriptor, "platform": {"architecture": arch, "os": "linux"}})
        blobs += [blob for blob in child_blobs if blob not in blobs]
    media_type = DOCKER_LIST if docker else OCI_INDEX
    index = odd_json({"schemaVersion": 2, "mediaType": media_type, "manifests": children})
    descriptor = writer.add(index, media_type)
    writer.name(descriptor, tag)
    return Image(
        root,
        tag,
        descriptor["digest"],
        media_type,
        [child["digest"] for child in children] + [descriptor["digest"]],
        blobs,
    )


def layout_files(root: Path) -> dict[str, bytes]:
    """Every blob file of a layout, by digest."""
    return {
        f"sha256:{path.name}": path.read_bytes()
        for path in (root / "blobs" / "sha256").iterdir()
        if path.is_file()
    }
