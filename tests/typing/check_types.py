"""Static checks of the public types, read by mypy and pyright (never run)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime

from typing_extensions import assert_type

from ecrclient import AsyncECRClient, ECRClient, ECRCompatClient, ResponseMetadata
from ecrclient.errors import InvalidLayerPartException, KmsException
from ecrclient.model import (
    DescribeImageScanFindingsResult,
    DescribeImagesResult,
    DescribeRepositoriesRequest,
    DescribeRepositoriesResult,
    ImageDetail,
    Repository,
)
from ecrclient.paginators import AsyncPaginator, Paginator
from ecrclient.type_defs import DescribeRepositoriesResponseTypeDef, RepositoryTypeDef


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
