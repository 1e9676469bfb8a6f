"""The types of the boto3-style clients' paginators and waiters, for annotations.

``client.get_paginator("describe_images")`` is typed ``DescribeImagesPaginator`` (on
``ecrclient.aio.client``: ``AsyncDescribeImagesPaginator``), whose ``paginate`` takes
``DescribeImages``'s parameters and ``PaginationConfig`` and returns
``PageIterator[DescribeImagesResponseTypeDef]``; ``client.get_waiter("image_scan_complete")``
is typed ``ImageScanCompleteWaiter``. A name that is neither a paginated operation nor a waiter
is a type error. The classes are generated from the model (``_generated/compat_operations.py``)
as ``Protocol`` classes, which the drop-in's own paginators and waiters satisfy::

    from ecrclient.compat.typed import DescribeImagesPaginator

    def tags(paginator: DescribeImagesPaginator) -> list[str]:
        return [
            tag
            for page in paginator.paginate(repositoryName="web")
            for detail in page.get("imageDetails", [])
            for tag in detail.get("imageTags", [])
        ]
"""

from __future__ import annotations

from ecrclient._generated import async_compat_operations as _async
from ecrclient._generated import compat_operations as _sync
from ecrclient._generated.async_compat_operations import *  # noqa: F403
from ecrclient._generated.compat_operations import *  # noqa: F403

__all__: list[str] = []
__all__ += _sync.__all__
__all__ += _async.__all__
