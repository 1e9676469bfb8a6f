"""One adapter per benchmarked client, all making the same three calls the same way.

Each adapter imports its library when it is created (never at module level), so the
cold-start child pays only for the client it measures. Every client uses the fake static
credentials, ``endpoint_url`` pointing at the canned server, ``POOL_SIZE`` connections and no
retries (one attempt per call); parameter validation stays at each client's default (on).

The calls: ``describe_repositories(count)`` (DescribeRepositories, ``maxResults=count``),
``describe_images(count)`` (DescribeImages, one page of ``count`` images) and ``image_pages()``
(all ten pages of DescribeImages through the client's paginator, or a ``nextToken`` loop for
the raw floors). ``summarize_*`` turn a client's answer into plain tuples that the benchmark
compares with the canned bodies, so a client that fails or parses wrongly cannot go unnoticed.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, NamedTuple

from common import (
    ACCESS_KEY_ID,
    CONTENT_TYPE,
    IMAGES_REPOSITORY,
    PAGE_SIZE,
    PAGED_REPOSITORY,
    POOL_SIZE,
    REGION,
    SECRET_ACCESS_KEY,
    TARGET_PREFIX,
)

RepositorySummary = tuple[Any, ...]
ImageSummary = tuple[Any, ...]

# ---------------------------------------------------------------------------------------------
# Summaries: the same tuples from boto3-style dicts, typed results and raw JSON
# ---------------------------------------------------------------------------------------------


def _millis(value: Any, sdk: bool) -> int | None:
    """Epoch milliseconds of a timestamp; an SDK must have parsed it to an aware datetime."""
    if value is None:
        return None
    if sdk:
        from datetime import datetime

        if not isinstance(value, datetime) or value.tzinfo is None:
            raise AssertionError(f"expected an aware datetime, got {value!r}")
        return round(value.timestamp() * 1000)
    return round(float(value) * 1000)


def summarize_dict_repositories(response: Any, sdk: bool = True) -> list[RepositorySummary]:
    return [
        (
            repo["repositoryName"],
            repo["repositoryUri"],
            _millis(repo["createdAt"], sdk),
            repo["imageScanningConfiguration"]["scanOnPush"],
            repo["encryptionConfiguration"]["encryptionType"],
            repo["encryptionConfiguration"].get("kmsKey"),
        )
        for repo in response["repositories"]
    ]


def summarize_dict_images(pages: list[Any], sdk: bool = True) -> list[ImageSummary]:
    summaries = []
    for page in pages:
        for image in page["imageDetails"]:
            findings = image.get("imageScanFindingsSummary")
            summaries.append(
                (
                    image["imageDigest"],
                    tuple(image["imageTags"]) if "imageTags" in image else None,
                    image["imageSizeInBytes"],
                    _millis(image["imagePushedAt"], sdk),
                    image["imageScanStatus"]["status"],
                    None
                    if findings is None
                    else (
                        _millis(findings["imageScanCompletedAt"], sdk),
                        tuple(sorted(findings["findingSeverityCounts"].items())),
                    ),
                    _millis(image.get("lastRecordedPullTime"), sdk),
                    image["imageManifestMediaType"],
                )
            )
    return summaries


def summarize_typed_repositories(result: Any) -> list[RepositorySummary]:
    return [
        (
            repo.repository_name,
            repo.repository_uri,
            _millis(repo.created_at, True),
            repo.image_scanning_configuration.scan_on_push,
            repo.encryption_configuration.encryption_type,
            repo.encryption_configuration.kms_key,
        )
        for repo in result.repositories
    ]


def summarize_typed_images(pages: list[Any]) -> list[ImageSummary]:
    summaries = []
    for page in pages:
        for image in page.image_details:
            findings = image.image_scan_findings_summary
            summaries.append(
                (
                    image.image_digest,
                    tuple(image.image_tags) if image.image_tags is not None else None,
                    image.image_size_in_bytes,
                    _millis(image.image_pushed_at, True),
                    image.image_scan_status.status,
                    None
                    if findings is None
                    else (
                        _millis(findings.image_scan_completed_at, True),
                        tuple(sorted(findings.finding_severity_counts.items())),
                    ),
                    _millis(image.last_recorded_pull_time, True),
                    image.image_manifest_media_type,
                )
            )
    return summaries


# ---------------------------------------------------------------------------------------------
# Sync adapters
# ---------------------------------------------------------------------------------------------


def _no_retries_config() -> Any:
    from botocore.config import Config

    return Config(
        max_pool_connections=POOL_SIZE, retries={"mode": "standard", "total_max_attempts": 1}
    )


class Boto3Adapter:
    """boto3's ECR client (the anchor)."""

    def __init__(self, endpoint_url: str) -> None:
        self.client = self._create(endpoint_url)

    def _create(self, endpoint_url: str) -> Any:
        import boto3

        return boto3.client(
            "ecr",
            region_name=REGION,
            endpoint_url=endpoint_url,
            aws_access_key_id=ACCESS_KEY_ID,
            aws_secret_access_key=SECRET_ACCESS_KEY,
            config=_no_retries_config(),
        )

    def describe_repositories(self, count: int) -> Any:
        return self.client.describe_repositories(maxResults=count)

    def describe_images(self, count: int) -> Any:
        return self.client.describe_images(repositoryName=IMAGES_REPOSITORY, maxResults=count)

    def image_pages(self) -> list[Any]:
        paginator = self.client.get_paginator("describe_images")
        return list(
            paginator.paginate(
                repositoryName=PAGED_REPOSITORY, PaginationConfig={"PageSize": PAGE_SIZE}
            )
        )

    def summarize_repositories(self, response: Any) -> list[RepositorySummary]:
        return summarize_dict_repositories(response)

    def summarize_images(self, pages: list[Any]) -> list[ImageSummary]:
        return summarize_dict_images(pages)

    def close(self) -> None:
        self.client.close()


class CompatAdapter(Boto3Adapter):
    """``ecrclient.client("ecr", ...)``: boto3's surface over the typed core."""

    def _create(self, endpoint_url: str) -> Any:
        import ecrclient

        return ecrclient.client(
            "ecr",
            region_name=REGION,
            endpoint_url=endpoint_url,
            aws_access_key_id=ACCESS_KEY_ID,
            aws_secret_access_key=SECRET_ACCESS_KEY,
            config=_no_retries_config(),
        )


class TypedAdapter:
    """``ecrclient.ECRClient``, the typed sync client, on its default transport (urllib3) or
    the one named."""

    def __init__(self, endpoint_url: str, transport: str | None = None) -> None:
        from ecrclient import ClientConfig, ECRClient

        options: dict[str, Any] = {} if transport is None else {"transport": transport}
        self.client = ECRClient(
            region_name=REGION,
            endpoint_url=endpoint_url,
            aws_access_key_id=ACCESS_KEY_ID,
            aws_secret_access_key=SECRET_ACCESS_KEY,
            config=ClientConfig(max_pool_connections=POOL_SIZE, max_attempts=1),
            **options,
        )

    def describe_repositories(self, count: int) -> Any:
        return self.client.describe_repositories(max_results=count)

    def describe_images(self, count: int) -> Any:
        return self.client.describe_images(repository_name=IMAGES_REPOSITORY, max_results=count)

    def image_pages(self) -> list[Any]:
        paginator = self.client.paginators.describe_images(
            repository_name=PAGED_REPOSITORY, page_size=PAGE_SIZE
        )
        return list(paginator.pages())

    def summarize_repositories(self, response: Any) -> list[RepositorySummary]:
        return summarize_typed_repositories(response)

    def summarize_images(self, pages: list[Any]) -> list[ImageSummary]:
        return summarize_typed_images(pages)

    def close(self) -> None:
        self.client.close()


_HEADERS = {"Content-Type": CONTENT_TYPE}


def _target(operation: str) -> dict[str, str]:
    return {**_HEADERS, "X-Amz-Target": f"{TARGET_PREFIX}.{operation}"}


_REPOSITORIES = _target("DescribeRepositories")
_IMAGES = _target("DescribeImages")


class HttpxRawAdapter:
    """The floor: an unsigned POST of the JSON body through httpx's transport (the layer below
    ``httpx.Client``'s cookie, auth and redirect handling, the layer ecrclient drives) and
    ``json.loads`` of the answer; no signing, validation, model or retries."""

    def __init__(self, endpoint_url: str) -> None:
        import httpx

        self._httpx = httpx
        self._url = httpx.URL(endpoint_url + "/")
        limits = httpx.Limits(max_connections=POOL_SIZE, max_keepalive_connections=POOL_SIZE)
        # An http:// endpoint: no TLS context to build (verify=False makes httpx skip the CAs).
        self.client = httpx.HTTPTransport(limits=limits, verify=False)

    def _post(self, headers: dict[str, str], params: dict[str, Any]) -> Any:
        request = self._httpx.Request(
            "POST", self._url, headers=headers, content=json.dumps(params)
        )
        response = self.client.handle_request(request)
        try:
            body = response.read()
        finally:
            response.close()
        if response.status_code != 200:
            raise RuntimeError(f"HTTP {response.status_code}: {body[:200]!r}")
        return json.loads(body)

    def describe_repositories(self, count: int) -> Any:
        return self._post(_REPOSITORIES, {"maxResults": count})

    def describe_images(self, count: int) -> Any:
        return self._post(_IMAGES, {"repositoryName": IMAGES_REPOSITORY, "maxResults": count})

    def image_pages(self) -> list[Any]:
        params: dict[str, Any] = {"repositoryName": PAGED_REPOSITORY, "maxResults": PAGE_SIZE}
        pages = [self._post(_IMAGES, params)]
        while "nextToken" in pages[-1]:
            pages.append(self._post(_IMAGES, {**params, "nextToken": pages[-1]["nextToken"]}))
        return pages

    def summarize_repositories(self, response: Any) -> list[RepositorySummary]:
        return summarize_dict_repositories(response, sdk=False)

    def summarize_images(self, pages: list[Any]) -> list[ImageSummary]:
        return summarize_dict_images(pages, sdk=False)

    def close(self) -> None:
        self.client.close()


class Urllib3RawAdapter(HttpxRawAdapter):
    """The floor of the default transport: an unsigned POST through a ``urllib3.PoolManager``
    and ``json.loads`` of the answer."""

    def __init__(self, endpoint_url: str) -> None:
        import urllib3

        self._url = endpoint_url + "/"
        self.client = urllib3.PoolManager(maxsize=POOL_SIZE, block=True, retries=False)

    def _post(self, headers: dict[str, str], params: dict[str, Any]) -> Any:
        response = self.client.urlopen("POST", self._url, body=json.dumps(params), headers=headers)
        if response.status != 200:
            raise RuntimeError(f"HTTP {response.status}: {response.data[:200]!r}")
        return json.loads(response.data)

    def close(self) -> None:
        self.client.clear()


# ---------------------------------------------------------------------------------------------
# Async adapters: create them anywhere, ``await open()`` inside the loop that uses them
# ---------------------------------------------------------------------------------------------


def _aiobotocore_session() -> Any:
    """One aiobotocore session for every client, as ``boto3.client`` shares boto3's default
    session (a session per client would load the service model again each time)."""
    global _AIOBOTOCORE_SESSION
    if _AIOBOTOCORE_SESSION is None:
        from aiobotocore.session import get_session

        _AIOBOTOCORE_SESSION = get_session()
    return _AIOBOTOCORE_SESSION


_AIOBOTOCORE_SESSION: Any = None


class AiobotocoreAdapter:
    """aiobotocore's ECR client (the async anchor)."""

    def __init__(self, endpoint_url: str) -> None:
        self._endpoint_url = endpoint_url
        self._context: Any = None
        self.client: Any = None

    async def open(self) -> None:
        from aiobotocore.config import AioConfig

        self._context = _aiobotocore_session().create_client(
            "ecr",
            region_name=REGION,
            endpoint_url=self._endpoint_url,
            aws_access_key_id=ACCESS_KEY_ID,
            aws_secret_access_key=SECRET_ACCESS_KEY,
            config=AioConfig(
                max_pool_connections=POOL_SIZE,
                retries={"mode": "standard", "total_max_attempts": 1},
            ),
        )
        self.client = await self._context.__aenter__()

    async def describe_repositories(self, count: int) -> Any:
        return await self.client.describe_repositories(maxResults=count)

    async def describe_images(self, count: int) -> Any:
        return await self.client.describe_images(repositoryName=IMAGES_REPOSITORY, maxResults=count)

    async def image_pages(self) -> list[Any]:
        paginator = self.client.get_paginator("describe_images")
        pages = paginator.paginate(
            repositoryName=PAGED_REPOSITORY, PaginationConfig={"PageSize": PAGE_SIZE}
        )
        return [page async for page in pages]

    def summarize_repositories(self, response: Any) -> list[RepositorySummary]:
        return summarize_dict_repositories(response)

    def summarize_images(self, pages: list[Any]) -> list[ImageSummary]:
        return summarize_dict_images(pages)

    async def close(self) -> None:
        if self._context is not None:
            await self._context.__aexit__(None, None, None)


class AioCompatAdapter(AiobotocoreAdapter):
    """``ecrclient.aio.client("ecr", ...)``: aiobotocore's surface over the typed async core."""

    async def open(self) -> None:
        import ecrclient.aio

        self.client = ecrclient.aio.client(
            "ecr",
            region_name=REGION,
            endpoint_url=self._endpoint_url,
            aws_access_key_id=ACCESS_KEY_ID,
            aws_secret_access_key=SECRET_ACCESS_KEY,
            config=_no_retries_config(),
        )

    async def close(self) -> None:
        if self.client is not None:
            await self.client.close()


class AsyncTypedAdapter:
    """``ecrclient.AsyncECRClient`` as constructed by default (``transport=None``: aiohttp),
    or with the transport named."""

    def __init__(self, endpoint_url: str, transport: str | None) -> None:
        self._endpoint_url = endpoint_url
        self._transport = transport
        self.client: Any = None

    async def open(self) -> None:
        from ecrclient import AsyncECRClient, ClientConfig

        chosen = {} if self._transport is None else {"transport": self._transport}
        self.client = AsyncECRClient(
            region_name=REGION,
            endpoint_url=self._endpoint_url,
            aws_access_key_id=ACCESS_KEY_ID,
            aws_secret_access_key=SECRET_ACCESS_KEY,
            config=ClientConfig(max_pool_connections=POOL_SIZE, max_attempts=1),
            **chosen,
        )

    async def describe_repositories(self, count: int) -> Any:
        return await self.client.describe_repositories(max_results=count)

    async def describe_images(self, count: int) -> Any:
        return await self.client.describe_images(
            repository_name=IMAGES_REPOSITORY, max_results=count
        )

    async def image_pages(self) -> list[Any]:
        paginator = self.client.paginators.describe_images(
            repository_name=PAGED_REPOSITORY, page_size=PAGE_SIZE
        )
        return [page async for page in paginator.pages()]

    def summarize_repositories(self, response: Any) -> list[RepositorySummary]:
        return summarize_typed_repositories(response)

    def summarize_images(self, pages: list[Any]) -> list[ImageSummary]:
        return summarize_typed_images(pages)

    async def close(self) -> None:
        if self.client is not None:
            await self.client.close()


class _AsyncRawAdapter:
    """Shared by the async floors: the JSON calls over ``_post``."""

    async def _post(self, headers: dict[str, str], params: dict[str, Any]) -> Any:
        raise NotImplementedError

    async def describe_repositories(self, count: int) -> Any:
        return await self._post(_REPOSITORIES, {"maxResults": count})

    async def describe_images(self, count: int) -> Any:
        return await self._post(_IMAGES, {"repositoryName": IMAGES_REPOSITORY, "maxResults": count})

    async def image_pages(self) -> list[Any]:
        params: dict[str, Any] = {"repositoryName": PAGED_REPOSITORY, "maxResults": PAGE_SIZE}
        pages = [await self._post(_IMAGES, params)]
        while "nextToken" in pages[-1]:
            pages.append(await self._post(_IMAGES, {**params, "nextToken": pages[-1]["nextToken"]}))
        return pages

    def summarize_repositories(self, response: Any) -> list[RepositorySummary]:
        return summarize_dict_repositories(response, sdk=False)

    def summarize_images(self, pages: list[Any]) -> list[ImageSummary]:
        return summarize_dict_images(pages, sdk=False)


class HttpxAsyncRawAdapter(_AsyncRawAdapter):
    """The async floor over ``httpx.AsyncHTTPTransport`` (as the sync floor)."""

    def __init__(self, endpoint_url: str) -> None:
        self._endpoint_url = endpoint_url
        self.client: Any = None

    async def open(self) -> None:
        import httpx

        self._httpx = httpx
        self._url = httpx.URL(self._endpoint_url + "/")
        limits = httpx.Limits(max_connections=POOL_SIZE, max_keepalive_connections=POOL_SIZE)
        self.client = httpx.AsyncHTTPTransport(limits=limits, verify=False)

    async def _post(self, headers: dict[str, str], params: dict[str, Any]) -> Any:
        request = self._httpx.Request(
            "POST", self._url, headers=headers, content=json.dumps(params)
        )
        response = await self.client.handle_async_request(request)
        try:
            body = await response.aread()
        finally:
            await response.aclose()
        if response.status_code != 200:
            raise RuntimeError(f"HTTP {response.status_code}: {body[:200]!r}")
        return json.loads(body)

    async def close(self) -> None:
        if self.client is not None:
            await self.client.aclose()


class AiohttpRawAdapter(_AsyncRawAdapter):
    """The async floor over an ``aiohttp.ClientSession``."""

    def __init__(self, endpoint_url: str) -> None:
        self._url = endpoint_url + "/"
        self.client: Any = None

    async def open(self) -> None:
        import aiohttp

        self.client = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=POOL_SIZE, ssl=False), trust_env=False
        )

    async def _post(self, headers: dict[str, str], params: dict[str, Any]) -> Any:
        async with self.client.post(self._url, data=json.dumps(params), headers=headers) as reply:
            reply.raise_for_status()
            return json.loads(await reply.read())

    async def close(self) -> None:
        if self.client is not None:
            await self.client.close()


# ---------------------------------------------------------------------------------------------
# The clients by key
# ---------------------------------------------------------------------------------------------


class Kind(NamedTuple):
    key: str
    label: str
    is_async: bool
    role: str
    """``"anchor"`` (boto3, aiobotocore), ``"control"`` (boto3 again), ``"ecrclient"`` or
    ``"floor"`` (raw HTTP, no SDK)."""
    factory: Callable[[str], Any]


KINDS: dict[str, Kind] = {
    kind.key: kind
    for kind in [
        Kind("boto3", "boto3", False, "anchor", Boto3Adapter),
        Kind("boto3-control", "boto3 (control)", False, "control", Boto3Adapter),
        Kind("typed", "ecrclient typed", False, "ecrclient", TypedAdapter),
        Kind(
            "typed-httpx",
            "ecrclient typed (httpx)",
            False,
            "ecrclient",
            lambda url: TypedAdapter(url, "httpx"),
        ),
        Kind("compat", "ecrclient boto3-compat", False, "ecrclient", CompatAdapter),
        Kind("httpx-raw", "httpx raw (floor)", False, "floor", HttpxRawAdapter),
        Kind("urllib3-raw", "urllib3 raw (floor)", False, "floor", Urllib3RawAdapter),
        Kind("aiobotocore", "aiobotocore", True, "anchor", AiobotocoreAdapter),
        Kind(
            "async-httpx",
            "ecrclient async (httpx)",
            True,
            "ecrclient",
            lambda url: AsyncTypedAdapter(url, "httpx"),
        ),
        Kind(
            "async-aiohttp",
            "ecrclient async (default: aiohttp)",
            True,
            "ecrclient",
            lambda url: AsyncTypedAdapter(url, None),  # AsyncECRClient() as a user writes it
        ),
        Kind("aio-compat", "ecrclient aio-compat", True, "ecrclient", AioCompatAdapter),
        Kind("httpx-async-raw", "httpx async raw (floor)", True, "floor", HttpxAsyncRawAdapter),
        Kind("aiohttp-raw", "aiohttp raw (floor)", True, "floor", AiohttpRawAdapter),
    ]
}
