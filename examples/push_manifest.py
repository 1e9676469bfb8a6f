"""Push an image under a tag — its blobs first, then its manifest — and read it back by digest.

ECR stores a manifest only once every blob it names is in the repository (``PutImage`` answers
``LayersNotFoundException`` otherwise), so the config and the layer go up first, with
:mod:`ecrclient.transfer` (which skips blobs ECR already has). The manifest is then stored with
its media type and digest; pushing the same image again is fine.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import tarfile

from ecrclient import ECRClient
from ecrclient.model import BatchGetImageRequest, ImageIdentifier
from ecrclient.transfer import DOCKER_MANIFEST, put_manifest, upload_blob

CONFIG_TYPE = "application/vnd.docker.container.image.v1+json"
LAYER_TYPE = "application/vnd.docker.image.rootfs.diff.tar.gzip"


def _digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def _layer_tar(name: str) -> bytes:
    """An uncompressed tar holding one file named after the image, the same on every call."""
    content = f"image {name}\n".encode()
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as tar:
        info = tarfile.TarInfo(f"etc/{name}.txt")
        info.size = len(content)
        tar.addfile(info, io.BytesIO(content))
    return out.getvalue()


def layer(name: str) -> bytes:
    return gzip.compress(_layer_tar(name), mtime=0)


def config(name: str) -> bytes:
    diff_id = _digest(_layer_tar(name))  # the layer's digest before compression
    return json.dumps(
        {
            "architecture": "amd64",
            "os": "linux",
            "config": {"Labels": {"example": name}},
            "rootfs": {"type": "layers", "diff_ids": [diff_id]},
        }
    ).encode()


def manifest(name: str) -> str:
    return json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": DOCKER_MANIFEST,
            "config": {
                "mediaType": CONFIG_TYPE,
                "size": len(config(name)),
                "digest": _digest(config(name)),
            },
            "layers": [
                {"mediaType": LAYER_TYPE, "size": len(layer(name)), "digest": _digest(layer(name))}
            ],
        }
    )


def push(ecr: ECRClient, repository: str, tag: str) -> str:
    """Push ``tag`` and return the image digest (an existing identical push is fine)."""
    for blob in (config(tag), layer(tag)):
        upload_blob(ecr, repository, blob)
    return put_manifest(ecr, repository, manifest(tag), tags=[tag]).digest


def read_back(ecr: ECRClient, repository: str, digest: str) -> str | None:
    found = ecr.batch_get_image(
        BatchGetImageRequest(
            repository_name=repository,
            image_ids=[ImageIdentifier(image_digest=digest)],
            accepted_media_types=[DOCKER_MANIFEST],  # return it as stored, never converted
        )
    )
    for image in found.images or ():
        return image.image_manifest
    return None
