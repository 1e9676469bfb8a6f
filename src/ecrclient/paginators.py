"""Typed paginators: ``client.paginators.<operation>(...)``.

A paginator iterates the items of every page (``for image in paginator``), or the pages
themselves (``paginator.pages()``, each the operation's typed result). Pages are fetched lazily.
After an iteration stopped by ``max_items``, ``resume_token`` continues where it left off::

    images = client.paginators.describe_images(repository_name="web", page_size=50)
    for detail in images:
        print(detail.image_digest)

The semantics are botocore's (``page_size``, ``max_items``, ``starting_token``, and an error when
the service repeats a token). The classes live in the runtime; this module names them.
"""

from __future__ import annotations

from ecrclient._core.paging import PaginationError
from ecrclient._runtime.paging import (
    AsyncECRPaginators,
    AsyncPaginator,
    ECRPaginators,
    Paginator,
    PaginatorHandle,
)

__all__ = [
    "AsyncECRPaginators",
    "AsyncPaginator",
    "ECRPaginators",
    "PaginationError",
    "Paginator",
    "PaginatorHandle",
]
