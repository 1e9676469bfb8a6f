"""List every image of a repository, lazily, page by page or item by item."""

from __future__ import annotations

from collections.abc import Iterator

from ecrclient import ECRClient
from ecrclient.model import ImageDetail


def image_details(ecr: ECRClient, repository: str, page_size: int = 100) -> Iterator[ImageDetail]:
    yield from ecr.paginators.describe_images(repository_name=repository, page_size=page_size)


def tags_per_page(ecr: ECRClient, repository: str) -> list[list[str]]:
    pages = ecr.paginators.list_images(repository_name=repository, page_size=50).pages()
    return [[i.image_tag for i in page.image_ids or () if i.image_tag] for page in pages]


def first_items_then_the_rest(ecr: ECRClient, repository: str) -> tuple[list[str], list[str]]:
    first = ecr.paginators.list_images(repository_name=repository, max_items=10)
    head = [i.image_digest or "" for i in first]
    rest = ecr.paginators.list_images(repository_name=repository, starting_token=first.resume_token)
    return head, [i.image_digest or "" for i in rest]
