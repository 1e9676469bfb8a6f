"""Realistic, deterministic ECR response bodies for the canned server and the result checks.

The server answers from these bodies and the benchmark checks each client's parsed answer
against them, so both sides agree on every repository and image without sharing state.
Timestamps are epoch seconds with milliseconds, as ECR sends them; images carry tags, digests,
sizes, media types and (mostly) scan summaries with severity counts.
"""

from __future__ import annotations

import base64
import hashlib
import random
from typing import Any

from common import (
    ACCOUNT,
    IMAGES_REPOSITORY,
    PAGE_COUNT,
    PAGE_SIZE,
    PAGED_REPOSITORY,
    REGION,
)

_BASE_TIME = 1_716_239_022.0  # 2024-05-20, a fixed "now" so bodies never change
_SEVERITIES = ("CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL", "UNDEFINED")
_MEDIA_TYPES = (
    (
        "application/vnd.docker.distribution.manifest.v2+json",
        "application/vnd.docker.container.image.v1+json",
    ),
    ("application/vnd.oci.image.manifest.v1+json", "application/vnd.oci.image.config.v1+json"),
)


def _timestamp(rng: random.Random, base: float) -> float:
    """Epoch seconds with milliseconds, as ECR sends them (``1.716239022123E9``)."""
    return round(base + rng.random(), 3)


def repository(index: int) -> dict[str, Any]:
    rng = random.Random(f"repository-{index}")
    name = f"team-{index % 12:02d}/service-{index:04d}"
    encrypted_with_kms = rng.random() < 0.3
    encryption: dict[str, Any] = {"encryptionType": "KMS" if encrypted_with_kms else "AES256"}
    if encrypted_with_kms:
        key_id = hashlib.sha256(name.encode()).hexdigest()
        encryption["kmsKey"] = (
            f"arn:aws:kms:{REGION}:{ACCOUNT}:key/"
            f"{key_id[:8]}-{key_id[8:12]}-{key_id[12:16]}-{key_id[16:20]}-{key_id[20:32]}"
        )
    return {
        "repositoryArn": f"arn:aws:ecr:{REGION}:{ACCOUNT}:repository/{name}",
        "registryId": ACCOUNT,
        "repositoryName": name,
        "repositoryUri": f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/{name}",
        "createdAt": _timestamp(rng, _BASE_TIME - 86_400 * (30 + index)),
        "imageTagMutability": "IMMUTABLE" if rng.random() < 0.4 else "MUTABLE",
        "imageScanningConfiguration": {"scanOnPush": rng.random() < 0.7},
        "encryptionConfiguration": encryption,
    }


def image(index: int, repository_name: str) -> dict[str, Any]:
    rng = random.Random(f"image-{repository_name}-{index}")
    pushed_at = _timestamp(rng, _BASE_TIME - 3_600 * (index + 1))
    manifest_type, artifact_type = _MEDIA_TYPES[1 if index % 3 == 0 else 0]
    digest = hashlib.sha256(f"{repository_name}@{index}".encode()).hexdigest()
    detail: dict[str, Any] = {
        "registryId": ACCOUNT,
        "repositoryName": repository_name,
        "imageDigest": f"sha256:{digest}",
    }
    if rng.random() < 0.9:  # some images are untagged: ECR then leaves imageTags out
        commit = hashlib.sha1(f"commit-{index}".encode()).hexdigest()[:7]
        tags = [f"v{index // 100}.{index // 10 % 10}.{index % 10}", f"git-{commit}"]
        if rng.random() < 0.3:
            tags.append(f"build-{20_000 + index}")
        if index == 0:
            tags.append("latest")
        detail["imageTags"] = tags
    detail["imageSizeInBytes"] = rng.randint(20_000_000, 900_000_000)
    detail["imagePushedAt"] = pushed_at
    if rng.random() < 0.85:
        detail["imageScanStatus"] = {
            "status": "COMPLETE",
            "description": "The scan was completed successfully.",
        }
        counts = {severity: rng.randint(1, 40) for severity in _SEVERITIES if rng.random() < 0.6}
        detail["imageScanFindingsSummary"] = {
            "imageScanCompletedAt": _timestamp(rng, pushed_at + 60),
            "vulnerabilitySourceUpdatedAt": _timestamp(rng, pushed_at - 7_200),
            "findingSeverityCounts": counts,
        }
    else:
        detail["imageScanStatus"] = {
            "status": "FAILED",
            "description": "UnsupportedImageError: The operating system and/or package manager "
            "are not supported.",
        }
    detail["imageManifestMediaType"] = manifest_type
    detail["artifactMediaType"] = artifact_type
    if rng.random() < 0.7:
        detail["lastRecordedPullTime"] = _timestamp(rng, _BASE_TIME - 600 * index)
    detail["imageStatus"] = "ACTIVE"
    return detail


def page_token(page: int) -> str:
    """An opaque token as long as ECR's (about 200 characters) that names page ``page``."""
    digest = b"".join(hashlib.sha256(f"page-{page}-{part}".encode()).digest() for part in range(5))
    return base64.b64encode(digest).decode("ascii")


TOKEN_PAGES = {page_token(page): page for page in range(1, PAGE_COUNT)}
"""The page each ``nextToken`` of the paged repository asks for (the first page has none)."""


def repositories_body(count: int) -> dict[str, Any]:
    return {"repositories": [repository(index) for index in range(count)]}


def images_body(count: int) -> dict[str, Any]:
    return {"imageDetails": [image(index, IMAGES_REPOSITORY) for index in range(count)]}


def paged_images_body(page: int) -> dict[str, Any]:
    start = page * PAGE_SIZE
    body: dict[str, Any] = {
        "imageDetails": [
            image(index, PAGED_REPOSITORY) for index in range(start, start + PAGE_SIZE)
        ]
    }
    if page + 1 < PAGE_COUNT:
        body["nextToken"] = page_token(page + 1)
    return body
