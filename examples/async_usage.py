"""The async client: many calls in flight, async paginators and waiters."""

from __future__ import annotations

import asyncio

from ecrclient import AsyncECRClient
from ecrclient.model import Repository


async def describe_many(ecr: AsyncECRClient, names: list[str]) -> list[Repository]:
    results = await asyncio.gather(
        *(ecr.describe_repositories(repository_names=[name]) for name in names)
    )
    return [repo for result in results for repo in result.repositories or ()]


async def all_tags(ecr: AsyncECRClient, repository: str) -> list[str]:
    return [
        image.image_tag
        async for image in ecr.paginators.list_images(repository_name=repository)
        if image.image_tag
    ]


async def main(endpoint_url: str | None = None) -> None:
    ecr = AsyncECRClient(region_name="us-east-1", endpoint_url=endpoint_url)
    try:
        repositories = await describe_many(ecr, ["web", "api"])
        print([r.repository_uri for r in repositories])
    finally:
        await ecr.close()
