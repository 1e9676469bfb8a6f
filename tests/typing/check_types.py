"""Static checks of the public types, read by mypy and pyright (never run)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any

from typing_extensions import assert_type

import ecrclient
import ecrclient.errors
import ecrclient.model
from ecrclient import AsyncECRClient, ECRClient, ECRCompatClient, ResponseMetadata
from ecrclient.compat.aio_client import AsyncECRCompatClient
from ecrclient.compat.paginator import CompatPaginator
from ecrclient.compat.typed import (
    AsyncDescribeImagesPaginator,
    AsyncImageScanCompleteWaiter,
    AsyncListImagesPaginator,
    AsyncPageIterator,
    DescribeImagesPaginator,
    ImageScanCompleteWaiter,
    LifecyclePolicyPreviewCompleteWaiter,
    ListImagesPaginator,
    PageIterator,
)
from ecrclient.compat.waiter import AsyncCompatWaiter, CompatWaiter
from ecrclient.errors import InvalidLayerPartException, KmsException, RepositoryNotFoundException
from ecrclient.model import (
    DescribeImageScanFindingsResult,
    DescribeImagesResult,
    DescribeRegistryResult,
    DescribeRepositoriesRequest,
    DescribeRepositoriesResult,
    ImageDetail,
    Repository,
)
from ecrclient.paginators import AsyncPaginator, Paginator
from ecrclient.type_defs import (
    DescribeImagesResponseTypeDef,
    DescribeRepositoriesResponseTypeDef,
    ListImagesResponseTypeDef,
    RepositoryTypeDef,
)


def typed_client(ecr: ECRClient, request: DescribeRepositoriesRequest) -> None:
    result = ecr.describe_repositories(request)
    assert_type(result, DescribeRepositoriesResult)
    assert_type(ecr.describe_repositories(max_results=5), DescribeRepositoriesResult)
    assert_type(result.next_token, str | None)
    assert_type(result.repositories, Sequence[Repository] | None)
    assert_type(result.response_metadata, ResponseMetadata)
    for repository in result.repositories or ():
        assert_type(repository.repository_uri, str | None)
        assert_type(repository.created_at, datetime | None)


def paginators(ecr: ECRClient) -> None:
    images = ecr.paginators.describe_images(repository_name="web")
    assert_type(images, Paginator[DescribeImagesResult, ImageDetail])
    assert_type(iter(images), Iterator[ImageDetail])
    for page in images.pages():
        assert_type(page, DescribeImagesResult)
    assert_type(images.resume_token, str | None)


def waiters(ecr: ECRClient) -> None:
    done = ecr.waiters.image_scan_complete.wait(repository_name="web")
    assert_type(done, DescribeImageScanFindingsResult)


def faults(error: InvalidLayerPartException, kms: KmsException) -> None:
    assert_type(error.last_valid_byte_received, int | None)
    assert_type(kms.kms_error, str | None)
    assert_type(error.error_code, str)
    assert_type(error.status_code, int | None)


async def async_client(ecr: AsyncECRClient) -> None:
    result = await ecr.describe_repositories(max_results=5)
    assert_type(result, DescribeRepositoriesResult)
    images = ecr.paginators.describe_images(repository_name="web")
    assert_type(images, AsyncPaginator[DescribeImagesResult, ImageDetail])
    async for detail in images:
        assert_type(detail, ImageDetail)
    done = await ecr.waiters.image_scan_complete.wait(repository_name="web")
    assert_type(done, DescribeImageScanFindingsResult)


def boto3_style(client: ECRCompatClient) -> None:
    response = client.describe_repositories(repositoryNames=["web"])
    assert_type(response, DescribeRepositoriesResponseTypeDef)
    for repository in response.get("repositories", []):
        assert_type(repository, RepositoryTypeDef)
        uri: str | None = repository.get("repositoryUri")
        del uri
    metadata = response["ResponseMetadata"]
    assert_type(metadata["HTTPStatusCode"], int)
    assert_type(client.generate_presigned_url("describe_registry", ExpiresIn=60), str)


def client_facts(ecr: ECRClient) -> None:
    assert_type(ecr.closed, bool)
    assert_type(ecr.endpoint_parameters, Mapping[str, str | bool | None])
    assert_type(ecr.config.verify, bool | str | None)
    assert_type(ecr.config.user_agent_appid, str | None)


def response_metadata_is_never_none(ecr: ECRClient) -> None:
    # No None check needed, on a returned result or on one built by hand.
    assert_type(ecr.describe_registry().response_metadata.http_status_code, int)
    assert_type(DescribeRegistryResult().response_metadata, ResponseMetadata)
    assert_type(DescribeRegistryResult().response_metadata.is_empty, bool)


def lazy_names_are_typed() -> None:
    # The package's lazy loader is invisible to type checkers: these are the real types.
    assert_type(ecrclient.ECRClient, type[ECRClient])
    assert_type(ecrclient.errors.RepositoryNotFoundException, type[RepositoryNotFoundException])
    assert_type(ecrclient.model.DescribeImagesResult, type[DescribeImagesResult])
    assert_type(ecrclient.client("ecr"), ECRCompatClient)


def drop_in_paginators_and_waiters(client: ECRCompatClient) -> None:
    images = client.get_paginator("describe_images")
    assert_type(images, DescribeImagesPaginator)
    pages = images.paginate(repositoryName="web", PaginationConfig={"MaxItems": 10})
    assert_type(pages, PageIterator[DescribeImagesResponseTypeDef])
    for page in pages:
        assert_type(page, DescribeImagesResponseTypeDef)
    assert_type(pages.build_full_result(), dict[str, Any])
    assert_type(client.get_paginator("list_images"), ListImagesPaginator)
    waiter = client.get_waiter("image_scan_complete")
    assert_type(waiter, ImageScanCompleteWaiter)
    assert_type(
        waiter.wait(repositoryName="web", imageId={"imageTag": "v1"}, WaiterConfig={"Delay": 1}),
        None,
    )
    assert_type(
        client.get_waiter("lifecycle_policy_preview_complete"), LifecyclePolicyPreviewCompleteWaiter
    )


async def async_drop_in_paginators_and_waiters(client: AsyncECRCompatClient) -> None:
    images = client.get_paginator("describe_images")
    assert_type(images, AsyncDescribeImagesPaginator)
    listed = client.get_paginator("list_images").paginate(repositoryName="web")
    assert_type(listed, AsyncPageIterator[ListImagesResponseTypeDef])
    async for page in listed:
        assert_type(page, ListImagesResponseTypeDef)
    assert_type(client.get_paginator("list_images"), AsyncListImagesPaginator)
    waiter = client.get_waiter("image_scan_complete")
    assert_type(waiter, AsyncImageScanCompleteWaiter)
    await waiter.wait(repositoryName="web", imageId={"imageTag": "v1"})


def the_drop_in_classes_satisfy_the_typed_ones(
    paginator: CompatPaginator, waiter: CompatWaiter, async_waiter: AsyncCompatWaiter
) -> None:
    typed_paginator: DescribeImagesPaginator = paginator
    typed_async_paginator: AsyncDescribeImagesPaginator = paginator
    typed_waiter: ImageScanCompleteWaiter = waiter
    typed_async_waiter: AsyncImageScanCompleteWaiter = async_waiter
    del typed_paginator, typed_async_paginator, typed_waiter, typed_async_waiter
