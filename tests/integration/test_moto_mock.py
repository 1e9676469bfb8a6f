"""moto's ``mock_aws`` answers every client kind, as it answers boto3.

The first tests are a user's boto3 test module as written for boto3 — ``@mock_aws`` on the
test, a client made inside it, no endpoint, no credentials — with only the client construction
changed; each runs with ``boto3.client`` too, the oracle, so the module is the same module for
both. The typed and async clients follow, inside ``with mock_aws():``. Outside a mock, and
without moto, nothing is intercepted: the request goes to the network.
"""

from __future__ import annotations

import asyncio
import json
import socket
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError, EndpointConnectionError
from moto import mock_aws

import ecrclient
import ecrclient.aio
from ecrclient import AsyncECRClient, ECRClient
from ecrclient.errors import EndpointConnectionError as SdkEndpointConnectionError
from ecrclient.errors import RepositoryNotFoundException

REGION = "eu-west-1"
MANIFEST = json.dumps(
    {
        "schemaVersion": 2,
        "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
        "config": {
            "mediaType": "application/vnd.docker.container.image.v1+json",
            "size": 7023,
            "digest": "sha256:" + "a" * 64,
        },
        "layers": [
            {
                "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
                "size": 32654,
                "digest": "sha256:" + "b" * 64,
            }
        ],
    }
)

MAKERS: dict[str, Callable[..., Any]] = {"boto3": boto3.client, "ecrclient": ecrclient.client}
"""How the test module makes its client: boto3's (the oracle) and the one-line change."""


@pytest.fixture(params=sorted(MAKERS))
def make_client(request: pytest.FixtureRequest) -> Callable[..., Any]:
    return MAKERS[request.param]


# -- a user's boto3 test module, with only the client construction changed --------------------


@mock_aws
def test_repository_and_image_lifecycle(make_client: Callable[..., Any]) -> None:
    client = make_client("ecr", region_name=REGION)
    created = client.create_repository(repositoryName="web")
    assert created["repository"]["repositoryName"] == "web"
    assert created["repository"]["repositoryUri"].endswith(f".dkr.ecr.{REGION}.amazonaws.com/web")
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 200

    pushed = client.put_image(repositoryName="web", imageManifest=MANIFEST, imageTag="v1")
    digest = pushed["image"]["imageId"]["imageDigest"]
    assert digest.startswith("sha256:")

    details = client.describe_images(repositoryName="web")["imageDetails"]
    assert [(d["imageDigest"], d["imageTags"]) for d in details] == [(digest, ["v1"])]
    listed = client.list_images(repositoryName="web")["imageIds"]
    assert listed == [{"imageDigest": digest, "imageTag": "v1"}]
    pages = client.get_paginator("describe_repositories").paginate()
    assert [r["repositoryName"] for page in pages for r in page["repositories"]] == ["web"]

    deleted = client.batch_delete_image(repositoryName="web", imageIds=[{"imageTag": "v1"}])
    assert deleted["failures"] == []
    assert client.list_images(repositoryName="web")["imageIds"] == []
    client.delete_repository(repositoryName="web")
    assert client.describe_repositories()["repositories"] == []


@mock_aws
def test_a_fault(make_client: Callable[..., Any]) -> None:
    client = make_client("ecr", region_name=REGION)
    with pytest.raises(client.exceptions.RepositoryNotFoundException) as raised:
        client.describe_repositories(repositoryNames=["missing"])
    assert raised.value.response["Error"]["Code"] == "RepositoryNotFoundException"
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    with pytest.raises(ClientError, match="RepositoryAlreadyExistsException"):
        client.create_repository(repositoryName="web")
        client.create_repository(repositoryName="web")


def test_the_context_manager_and_a_fresh_backend_each_time(make_client: Callable[..., Any]) -> None:
    with mock_aws():
        client = make_client("ecr", region_name=REGION)
        client.create_repository(repositoryName="web")
        assert len(client.describe_repositories()["repositories"]) == 1
    with mock_aws():  # moto resets its state between mocks, for both
        client = make_client("ecr", region_name=REGION)
        assert client.describe_repositories()["repositories"] == []


def test_the_same_answers_as_boto3() -> None:
    """Call for call, the drop-in returns what boto3 returns from the same mock, bar the
    request ids, dates and the timestamps moto stamps."""

    def session(make: Callable[..., Any]) -> list[Any]:
        with mock_aws():
            client = make("ecr", region_name=REGION)
            out: list[Any] = [client.create_repository(repositoryName="web")["repository"]]
            out.append(client.put_image(repositoryName="web", imageManifest=MANIFEST)["image"])
            out.append(client.list_images(repositoryName="web")["imageIds"])
            for item in out[:1]:
                item.pop("createdAt")
            return out

    assert session(ecrclient.client) == session(boto3.client)


# -- the typed and async clients --------------------------------------------------------------


def test_the_typed_client() -> None:
    with mock_aws():
        ecr = ECRClient(region_name=REGION)
        repository = ecr.create_repository(repository_name="web").repository
        assert repository is not None and repository.repository_name == "web"
        image = ecr.put_image(repository_name="web", image_manifest=MANIFEST, image_tag="v1")
        assert image.image is not None and image.image.image_id is not None
        listed = ecr.list_images(repository_name="web")
        assert [i.image_tag for i in listed.image_ids or ()] == ["v1"]
        assert [d.image_tags for d in ecr.paginators.describe_images(repository_name="web")] == [
            ["v1"]
        ]
        assert listed.response_metadata.http_status_code == 200
        assert listed.response_metadata.request_id
        with pytest.raises(RepositoryNotFoundException):
            ecr.describe_images(repository_name="missing")
        ecr.delete_repository(repository_name="web", force=True)
        assert ecr.describe_repositories().repositories == []
        ecr.close()


@pytest.mark.parametrize("transport", ["httpx", "aiohttp"])
def test_the_async_client(transport: Any) -> None:
    async def scenario() -> None:
        async with AsyncECRClient(region_name=REGION, transport=transport) as ecr:
            await ecr.create_repository(repository_name="web")
            await ecr.put_image(repository_name="web", image_manifest=MANIFEST, image_tag="v1")
            details = [d async for d in ecr.paginators.describe_images(repository_name="web")]
            assert [d.image_tags for d in details] == [["v1"]]
            with pytest.raises(RepositoryNotFoundException):
                await ecr.delete_repository(repository_name="missing")
            await ecr.delete_repository(repository_name="web", force=True)
            assert (await ecr.describe_repositories()).repositories == []

    with mock_aws():
        asyncio.run(scenario())


def test_the_async_drop_in() -> None:
    async def scenario() -> None:
        async with ecrclient.aio.client("ecr", region_name=REGION) as client:
            await client.create_repository(repositoryName="web")
            await client.put_image(repositoryName="web", imageManifest=MANIFEST, imageTag="v1")
            listed = await client.list_images(repositoryName="web")
            assert [i["imageTag"] for i in listed["imageIds"]] == ["v1"]
            with pytest.raises(client.exceptions.RepositoryNotFoundException):
                await client.describe_repositories(repositoryNames=["missing"])

    with mock_aws():
        asyncio.run(scenario())


@mock_aws
def test_a_client_made_before_the_mock_is_answered_inside_it() -> None:
    """As with boto3: what counts is whether the mock is active when the request is sent."""
    ecr = ECRClient(region_name=REGION)
    ecr.create_repository(repository_name="web")
    assert [r.repository_name for r in ecr.describe_repositories().repositories or ()] == ["web"]


# -- outside the mock, nothing is intercepted ------------------------------------------------


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _credentials() -> dict[str, str]:
    return {"aws_access_key_id": "AKIDEXAMPLE", "aws_secret_access_key": "secret"}


def test_outside_the_mock_requests_go_to_the_network() -> None:
    url = f"http://127.0.0.1:{_closed_port()}"
    fast = ecrclient.ClientConfig(max_attempts=1)
    with mock_aws():
        pass  # moto imported and used once; no longer active
    with pytest.raises(SdkEndpointConnectionError):
        ECRClient(
            region_name=REGION, endpoint_url=url, config=fast, **_credentials()
        ).describe_registry()
    drop_in = ecrclient.client(
        "ecr",
        region_name=REGION,
        endpoint_url=url,
        config=Config(retries={"total_max_attempts": 1}),
        **_credentials(),
    )
    with pytest.raises(EndpointConnectionError):
        drop_in.describe_registry()


def test_inside_the_mock_an_endpoint_moto_does_not_serve_goes_to_the_network() -> None:
    url = f"http://127.0.0.1:{_closed_port()}"
    with mock_aws():
        ecr = ECRClient(
            region_name=REGION,
            endpoint_url=url,
            config=ecrclient.ClientConfig(max_attempts=1),
            **_credentials(),
        )
        with pytest.raises(SdkEndpointConnectionError):
            ecr.describe_registry()


def test_without_moto_nothing_is_imported_and_requests_go_to_the_network() -> None:
    """moto made unimportable: a call still works as before, and no module of moto's loads."""
    script = textwrap.dedent(
        f"""
        import sys
        sys.modules["moto"] = None  # as if it were not installed
        from ecrclient import ClientConfig, ECRClient
        from ecrclient.errors import EndpointConnectionError
        ecr = ECRClient(region_name="{REGION}", endpoint_url="http://127.0.0.1:{_closed_port()}",
                        aws_access_key_id="AKID", aws_secret_access_key="secret",
                        config=ClientConfig(max_attempts=1))
        try:
            ecr.describe_registry()
        except EndpointConnectionError:
            print("connection refused")
        print(sorted(name for name in sys.modules if name.startswith("moto.")))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parent,
    )
    assert result.stdout.split("\n")[:2] == ["connection refused", "[]"], result.stderr
