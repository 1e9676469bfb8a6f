"""Push an image manifest under a tag, then read it back by digest."""

from __future__ import annotations

import hashlib
import json

from ecrclient import ECRClient
from ecrclient.errors import ImageAlreadyExistsException
from ecrclient.model import BatchGetImageRequest, ImageIdentifier, PutImageRequest


def manifest(name: str) -> str:
    layer = name.encode()
    return json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
            "config": {
                "mediaType": "application/vnd.docker.container.image.v1+json",
                "size": 2,
                "digest": "sha256:" + hashlib.sha256(b"{}").hexdigest(),
            },
            "layers": [
                {
                    "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
                    "size": len(layer),
                    "digest": "sha256:" + hashlib.sha256(layer).hexdigest(),
                }
            ],
        }
    )


def push(ecr: ECRClient, repository: str, tag: str) -> str:
    """Push ``tag`` and return the image digest (an existing identical push is fine)."""
    body = manifest(tag)
    digest = "sha256:" + hashlib.sha256(body.encode()).hexdigest()
    try:
        pushed = ecr.put_image(
            PutImageRequest(
                repository_name=repository, image_manifest=body, image_tag=tag, image_digest=digest
            )
        )
    except ImageAlreadyExistsException:
        return digest
    assert pushed.image is not None and pushed.image.image_id is not None
    return pushed.image.image_id.image_digest or digest


def read_back(ecr: ECRClient, repository: str, digest: str) -> str | None:
    found = ecr.batch_get_image(
        BatchGetImageRequest(
            repository_name=repository, image_ids=[ImageIdentifier(image_digest=digest)]
        )
    )
    for image in found.images or ():
        return image.image_manifest
    return None
