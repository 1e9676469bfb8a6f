"""Start an image scan and wait for its findings, with a time budget."""

from __future__ import annotations

from ecrclient import ECRClient
from ecrclient.model import DescribeImageScanFindingsResult, ImageIdentifier
from ecrclient.waiters import WaiterError


def scan_and_wait(
    ecr: ECRClient, repository: str, tag: str, budget_seconds: float = 600
) -> DescribeImageScanFindingsResult | None:
    image = ImageIdentifier(image_tag=tag)
    ecr.start_image_scan(repository_name=repository, image_id=image)
    try:
        return ecr.waiters.image_scan_complete.wait(
            repository_name=repository, image_id=image, max_wait=budget_seconds
        )
    except WaiterError as error:
        print(f"scan did not complete: {error.reason} after {error.attempts} attempts")
        return None
