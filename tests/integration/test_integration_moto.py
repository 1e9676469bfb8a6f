"""Integration tests: the typed ``ECRClient`` against a real moto server, cross-checked with boto3.

moto's state lives for the whole session, so every test uses its own repository names and
removes what it creates; registry-wide settings are restored when a test ends.
"""

from __future__ import annotations

import base64
import contextlib
import gzip
import hashlib
import io
import json
import pickle
import socket
import tarfile
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from typing import Any, NamedTuple

import attrs
import pytest
from botocore.exceptions import ClientError, ParamValidationError

from ecrclient import ClientConfig, ECRClient, ResponseMetadata
from ecrclient.errors import (
    AmazonECRException,
    EndpointConnectionError,
    ImageAlreadyExistsException,
    ImageNotFoundException,
    InvalidParameterException,
    LifecyclePolicyNotFoundException,
    NetworkError,
    RegistryPolicyNotFoundException,
    RepositoryAlreadyExistsException,
    RepositoryNotEmptyException,
    RepositoryNotFoundException,
    RepositoryPolicyNotFoundException,
    RequestValidationError,
    SdkClientError,
)
from ecrclient.model import (
    BatchDeleteImageRequest,
    BatchGetImageRequest,
    CreateRepositoryRequest,
    DescribeImagesRequest,
    DescribeRepositoriesRequest,
    GetAuthorizationTokenRequest,
    ImageIdentifier,
    ImageScanningConfiguration,
    ListImagesFilter,
    ListImagesRequest,
    PutImageRequest,
    RegistryScanningRule,
    ReplicationConfiguration,
    ReplicationDestination,
    ReplicationRule,
    RepositoryFilter,
    ScanningRepositoryFilter,
    Tag,
)

REGION = "us-east-1"  # as in conftest.py
ACCESS_KEY = "AKIDEXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
ACCOUNT_ID = "123456789012"  # moto's default account
DOCKER_MANIFEST_V2 = "application/vnd.docker.distribution.manifest.v2+json"
DOCKER_CONFIG_V1 = "application/vnd.docker.container.image.v1+json"
DOCKER_LAYER_GZIP = "application/vnd.docker.image.rootfs.diff.tar.gzip"
MISSING_DIGEST = "sha256:" + "0" * 64


# -- helpers ---------------------------------------------------------------------------------


def unique_name(prefix: str = "itest") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def sha256_digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


class DockerImage(NamedTuple):
    manifest: str
    digest: str
    config_digest: str
    layer_digest: str


def make_docker_image() -> DockerImage:
    """A genuine Docker image manifest (schema 2) with one gzipped tar layer and its config.

    Every call makes a different image (the layer holds a fresh UUID), so digests never collide
    across tests sharing the moto server.
    """
    payload = f"hello from {uuid.uuid4()}\n".encode()
    tar_buffer = io.BytesIO()
    with tarfile.open(fileobj=tar_buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        info = tarfile.TarInfo("hello.txt")
        info.size = len(payload)
        info.mtime = 0
        tar.addfile(info, io.BytesIO(payload))
    layer_tar = tar_buffer.getvalue()
    layer_gz = gzip.compress(layer_tar, mtime=0)
    config = json.dumps(
        {
            "architecture": "amd64",
            "os": "linux",
            "config": {"Cmd": ["cat", "/hello.txt"]},
            "rootfs": {"type": "layers", "diff_ids": [sha256_digest(layer_tar)]},
            "history": [{"created_by": "COPY hello.txt /"}],
        },
        separators=(",", ":"),
    ).encode()
    manifest = json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": DOCKER_MANIFEST_V2,
            "config": {
                "mediaType": DOCKER_CONFIG_V1,
                "size": len(config),
                "digest": sha256_digest(config),
            },
            "layers": [
                {
                    "mediaType": DOCKER_LAYER_GZIP,
                    "size": len(layer_gz),
                    "digest": sha256_digest(layer_gz),
                }
            ],
        },
        indent=3,
    )
    return DockerImage(
        manifest=manifest,
        digest=sha256_digest(manifest.encode()),
        config_digest=sha256_digest(config),
        layer_digest=sha256_digest(layer_gz),
    )


def push(client: ECRClient, repository_name: str, tag: str | None = "v1") -> DockerImage:
    image = make_docker_image()
    result = client.put_image(
        repository_name=repository_name,
        image_manifest=image.manifest,
        image_manifest_media_type=DOCKER_MANIFEST_V2,
        image_tag=tag,
        image_digest=image.digest,
    )
    assert result.image is not None
    assert result.image.image_id.image_digest == image.digest
    return image


def force_delete(client: ECRClient, repository_name: str) -> None:
    with contextlib.suppress(RepositoryNotFoundException):
        client.delete_repository(repository_name=repository_name, force=True)


def boto_to_wire(value: Any) -> Any:
    """A boto3 answer in the shape of ecrclient's wire dicts: datetimes become epoch seconds."""
    if isinstance(value, dict):
        return {k: boto_to_wire(v) for k, v in value.items() if k != "ResponseMetadata"}
    if isinstance(value, list):
        return [boto_to_wire(v) for v in value]
    if isinstance(value, datetime):
        return value.timestamp() if value.microsecond else int(value.timestamp())
    return value


def assert_same_as_boto3(result: Any, boto_response: dict[str, Any]) -> None:
    """The whole typed result, re-serialized, equals boto3's parse of the same call."""
    assert result._to_wire() == boto_to_wire(boto_response)


def assert_metadata(metadata: ResponseMetadata | None, status: int = 200) -> None:
    assert isinstance(metadata, ResponseMetadata)
    assert metadata.http_status_code == status
    assert metadata.request_id
    assert metadata.request_id == metadata.http_headers["x-amzn-requestid"]
    assert metadata.retry_attempts == 0
    assert metadata.max_attempts_reached is False


def assert_fault(
    error: AmazonECRException,
    expected: type[AmazonECRException],
    operation_name: str,
    boto_call: Callable[[], Any],
) -> ClientError:
    """Check an ecrclient fault, then make the same failing call through boto3 and compare."""
    assert type(error) is expected
    assert isinstance(error, AmazonECRException)
    assert isinstance(error, ClientError)
    assert error.error_code == expected.code
    assert error.status_code == 400
    assert error.request_id
    assert error.operation_name == operation_name
    assert error.error_message
    assert error.response["Error"] == {"Code": expected.code, "Message": error.error_message}
    assert error.response["ResponseMetadata"]["RequestId"] == error.request_id
    assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert_metadata(error.response_metadata, status=400)
    assert error.response_metadata.request_id == error.request_id

    with pytest.raises(ClientError) as boto_info:
        boto_call()
    boto_error = boto_info.value
    assert boto_error.operation_name == operation_name
    assert str(error) == str(boto_error)
    assert error.response["Error"] == boto_error.response["Error"]
    assert error.response.get("message") == boto_error.response.get("message")
    assert error.response["message"] == error.error_message
    assert set(error.response) == set(boto_error.response)
    assert set(error.response["ResponseMetadata"]) == set(boto_error.response["ResponseMetadata"])
    return boto_error


# -- fixtures --------------------------------------------------------------------------------


@pytest.fixture
def repo(moto_client: ECRClient) -> Iterator[str]:
    """A fresh, empty repository, deleted (with its images) after the test."""
    name = unique_name()
    moto_client.create_repository(repository_name=name)
    yield name
    force_delete(moto_client, name)


@pytest.fixture
def no_registry_policy(moto_client: ECRClient) -> Iterator[None]:
    """The registry has no policy when the test starts, and none is left behind."""
    with contextlib.suppress(RegistryPolicyNotFoundException):
        moto_client.delete_registry_policy()
    yield
    with contextlib.suppress(RegistryPolicyNotFoundException):
        moto_client.delete_registry_policy()


# -- repositories ----------------------------------------------------------------------------


def test_create_describe_delete_repository(moto_client: ECRClient, boto3_moto_client: Any) -> None:
    name = unique_name("crud")
    before = datetime.now(timezone.utc) - timedelta(seconds=5)
    created = moto_client.create_repository(
        repository_name=name,
        image_tag_mutability="IMMUTABLE",
        image_scanning_configuration=ImageScanningConfiguration(scan_on_push=True),
        tags=[Tag(key="team", value="platform")],
    )
    try:
        repository = created.repository
        assert repository is not None
        assert repository.repository_name == name
        assert repository.registry_id == ACCOUNT_ID
        assert repository.repository_arn == f"arn:aws:ecr:{REGION}:{ACCOUNT_ID}:repository/{name}"
        assert repository.repository_uri == f"{ACCOUNT_ID}.dkr.ecr.{REGION}.amazonaws.com/{name}"
        assert repository.image_tag_mutability == "IMMUTABLE"
        assert repository.image_scanning_configuration == ImageScanningConfiguration(
            scan_on_push=True
        )
        assert repository.encryption_configuration is not None
        assert repository.encryption_configuration.encryption_type == "AES256"
        assert repository.encryption_configuration.kms_key is None
        assert repository.created_at is not None
        assert repository.created_at.tzinfo is not None
        assert before <= repository.created_at <= datetime.now(timezone.utc) + timedelta(seconds=5)
        assert_metadata(created.response_metadata)

        described = moto_client.describe_repositories(repository_names=[name])
        assert described.repositories == [repository]
        assert described.next_token is None
        assert_metadata(described.response_metadata)

        boto_described = boto3_moto_client.describe_repositories(repositoryNames=[name])
        (boto_repository,) = boto_described["repositories"]
        assert boto_repository["repositoryUri"] == repository.repository_uri
        assert boto_repository["repositoryArn"] == repository.repository_arn
        assert boto_repository["createdAt"] == repository.created_at
        assert_same_as_boto3(described, boto_described)

        tags = moto_client.list_tags_for_resource(resource_arn=repository.repository_arn)
        assert tags.tags == [Tag(key="team", value="platform")]
    finally:
        deleted = moto_client.delete_repository(repository_name=name)
    assert deleted.repository == repository
    assert_metadata(deleted.response_metadata)
    with pytest.raises(RepositoryNotFoundException):
        moto_client.describe_repositories(repository_names=[name])


def test_describe_repositories_agrees_with_boto3(
    moto_client: ECRClient, boto3_moto_client: Any
) -> None:
    names = [unique_name("many"), f"{unique_name('ns')}/service-a", unique_name("many")]
    try:
        for name in names:
            moto_client.create_repository(repository_name=name)
        ours = moto_client.describe_repositories(repository_names=names)
        theirs = boto3_moto_client.describe_repositories(repositoryNames=names)
        assert ours.repositories is not None
        assert [r.repository_name for r in ours.repositories] == names
        assert {r.repository_uri: r.created_at for r in ours.repositories} == {
            r["repositoryUri"]: r["createdAt"] for r in theirs["repositories"]
        }
        assert_same_as_boto3(ours, theirs)

        everything = moto_client.describe_repositories()
        assert everything.repositories is not None
        assert set(names) <= {r.repository_name for r in everything.repositories}
    finally:
        for name in names:
            force_delete(moto_client, name)


def test_create_existing_repository_raises(
    moto_client: ECRClient, boto3_moto_client: Any, repo: str
) -> None:
    with pytest.raises(RepositoryAlreadyExistsException) as info:
        moto_client.create_repository(repository_name=repo)
    assert_fault(
        info.value,
        RepositoryAlreadyExistsException,
        "CreateRepository",
        lambda: boto3_moto_client.create_repository(repositoryName=repo),
    )
    assert repo in info.value.error_message


def test_delete_repository_holding_an_image_needs_force(
    moto_client: ECRClient, boto3_moto_client: Any
) -> None:
    name = unique_name("nonempty")
    moto_client.create_repository(repository_name=name)
    try:
        image = push(moto_client, name)

        with pytest.raises(RepositoryNotEmptyException) as info:
            moto_client.delete_repository(repository_name=name)
        assert_fault(
            info.value,
            RepositoryNotEmptyException,
            "DeleteRepository",
            lambda: boto3_moto_client.delete_repository(repositoryName=name),
        )
        with pytest.raises(RepositoryNotEmptyException):
            moto_client.delete_repository(repository_name=name, force=False)

        # Nothing was deleted by the refused calls.
        still_there = moto_client.list_images(repository_name=name)
        assert still_there.image_ids == [ImageIdentifier(image_digest=image.digest, image_tag="v1")]

        deleted = moto_client.delete_repository(repository_name=name, force=True)
        assert deleted.repository is not None
        assert deleted.repository.repository_name == name
    finally:
        force_delete(moto_client, name)
    with pytest.raises(RepositoryNotFoundException):
        moto_client.describe_repositories(repository_names=[name])


def test_delete_empty_repository_without_force(moto_client: ECRClient) -> None:
    name = unique_name("empty")
    moto_client.create_repository(repository_name=name)
    deleted = moto_client.delete_repository(repository_name=name)
    assert deleted.repository is not None
    assert deleted.repository.repository_name == name
    with pytest.raises(RepositoryNotFoundException):
        moto_client.delete_repository(repository_name=name)


# -- images ----------------------------------------------------------------------------------


def test_put_image_with_docker_manifest(
    moto_client: ECRClient, boto3_moto_client: Any, repo: str
) -> None:
    image = make_docker_image()
    result = moto_client.put_image(
        repository_name=repo,
        image_manifest=image.manifest,
        image_manifest_media_type=DOCKER_MANIFEST_V2,
        image_tag="v1",
        image_digest=image.digest,
    )
    assert_metadata(result.response_metadata)
    pushed = result.image
    assert pushed is not None
    assert pushed.registry_id == ACCOUNT_ID
    assert pushed.repository_name == repo
    assert pushed.image_id == ImageIdentifier(image_digest=image.digest, image_tag="v1")
    assert pushed.image_manifest == image.manifest
    assert pushed.image_manifest_media_type == DOCKER_MANIFEST_V2
    assert sha256_digest(pushed.image_manifest.encode()) == image.digest

    # A second tag on the same manifest is the same image.
    retagged = moto_client.put_image(
        repository_name=repo,
        image_manifest=image.manifest,
        image_tag="latest",
        image_digest=image.digest,
    )
    assert retagged.image is not None
    assert retagged.image.image_id == ImageIdentifier(image_digest=image.digest, image_tag="latest")

    # Pushing the same manifest with a tag it already has is refused.
    with pytest.raises(ImageAlreadyExistsException) as info:
        moto_client.put_image(
            repository_name=repo,
            image_manifest=image.manifest,
            image_tag="v1",
            image_digest=image.digest,
        )
    assert_fault(
        info.value,
        ImageAlreadyExistsException,
        "PutImage",
        lambda: boto3_moto_client.put_image(
            repositoryName=repo, imageManifest=image.manifest, imageTag="v1"
        ),
    )
    assert image.digest in info.value.error_message

    listed = moto_client.list_images(repository_name=repo)
    assert listed.image_ids is not None
    assert {(i.image_digest, i.image_tag) for i in listed.image_ids} == {
        (image.digest, "v1"),
        (image.digest, "latest"),
    }


def test_list_images(moto_client: ECRClient, boto3_moto_client: Any, repo: str) -> None:
    tagged = push(moto_client, repo, tag="v1")
    untagged = push(moto_client, repo, tag=None)

    everything = moto_client.list_images(repository_name=repo)
    assert_metadata(everything.response_metadata)
    assert everything.image_ids is not None
    assert sorted(everything.image_ids, key=lambda i: i.image_digest or "") == sorted(
        [
            ImageIdentifier(image_digest=tagged.digest, image_tag="v1"),
            ImageIdentifier(image_digest=untagged.digest),
        ],
        key=lambda i: i.image_digest or "",
    )
    assert_same_as_boto3(everything, boto3_moto_client.list_images(repositoryName=repo))

    # moto accepts but ignores the filter (and maxResults); check only that both SDKs agree.
    only_tagged = moto_client.list_images(
        repository_name=repo, filter=ListImagesFilter(tag_status="TAGGED")
    )
    assert only_tagged.image_ids is not None
    assert ImageIdentifier(image_digest=tagged.digest, image_tag="v1") in only_tagged.image_ids
    assert_same_as_boto3(
        only_tagged,
        boto3_moto_client.list_images(repositoryName=repo, filter={"tagStatus": "TAGGED"}),
    )


def test_describe_images(moto_client: ECRClient, boto3_moto_client: Any, repo: str) -> None:
    image = push(moto_client, repo, tag="v1")

    described = moto_client.describe_images(repository_name=repo)
    assert_metadata(described.response_metadata)
    (detail,) = described.image_details or ()
    assert detail.registry_id == ACCOUNT_ID
    assert detail.repository_name == repo
    assert detail.image_digest == image.digest
    assert detail.image_tags == ["v1"]
    assert detail.image_manifest_media_type == DOCKER_MANIFEST_V2
    assert isinstance(detail.image_size_in_bytes, int)
    assert detail.image_size_in_bytes > 0
    assert detail.image_pushed_at is not None
    assert detail.image_pushed_at.tzinfo is not None
    assert abs(detail.image_pushed_at - datetime.now(timezone.utc)) < timedelta(minutes=5)

    boto_described = boto3_moto_client.describe_images(repositoryName=repo)
    (boto_detail,) = boto_described["imageDetails"]
    assert boto_detail["imagePushedAt"] == detail.image_pushed_at
    assert boto_detail["imageSizeInBytes"] == detail.image_size_in_bytes
    assert_same_as_boto3(described, boto_described)

    by_digest = moto_client.describe_images(
        repository_name=repo, image_ids=[ImageIdentifier(image_digest=image.digest)]
    )
    assert by_digest.image_details == [detail]
    by_tag = moto_client.describe_images(
        DescribeImagesRequest(repository_name=repo, image_ids=[ImageIdentifier(image_tag="v1")])
    )
    assert by_tag.image_details == [detail]


def test_describe_missing_image_raises(
    moto_client: ECRClient, boto3_moto_client: Any, repo: str
) -> None:
    push(moto_client, repo, tag="v1")
    with pytest.raises(ImageNotFoundException) as info:
        moto_client.describe_images(
            repository_name=repo, image_ids=[ImageIdentifier(image_tag="no-such-tag")]
        )
    assert_fault(
        info.value,
        ImageNotFoundException,
        "DescribeImages",
        lambda: boto3_moto_client.describe_images(
            repositoryName=repo, imageIds=[{"imageTag": "no-such-tag"}]
        ),
    )
    assert "no-such-tag" in info.value.error_message


def test_batch_get_image(moto_client: ECRClient, boto3_moto_client: Any, repo: str) -> None:
    image = push(moto_client, repo, tag="v1")

    got = moto_client.batch_get_image(
        repository_name=repo,
        image_ids=[ImageIdentifier(image_tag="v1")],
        accepted_media_types=[DOCKER_MANIFEST_V2],
    )
    assert_metadata(got.response_metadata)
    assert got.failures == []
    (fetched,) = got.images or ()
    assert fetched.repository_name == repo
    assert fetched.registry_id == ACCOUNT_ID
    assert fetched.image_id == ImageIdentifier(image_digest=image.digest, image_tag="v1")
    assert fetched.image_manifest == image.manifest
    assert fetched.image_manifest_media_type == DOCKER_MANIFEST_V2
    manifest = json.loads(fetched.image_manifest)
    assert manifest["config"]["digest"] == image.config_digest
    assert [layer["digest"] for layer in manifest["layers"]] == [image.layer_digest]
    assert_same_as_boto3(
        got,
        boto3_moto_client.batch_get_image(
            repositoryName=repo,
            imageIds=[{"imageTag": "v1"}],
            acceptedMediaTypes=[DOCKER_MANIFEST_V2],
        ),
    )

    # One image found, one missing: the missing one comes back as a failure, not a fault.
    mixed_request = BatchGetImageRequest(
        repository_name=repo,
        image_ids=[
            ImageIdentifier(image_digest=image.digest),
            ImageIdentifier(image_tag="no-such-tag"),
        ],
    )
    mixed = moto_client.batch_get_image(mixed_request)
    assert [i.image_id.image_digest for i in mixed.images or ()] == [image.digest]
    (failure,) = mixed.failures or ()
    assert failure.failure_code == "ImageNotFound"
    assert failure.failure_reason
    assert failure.image_id is not None
    assert failure.image_id.image_tag == "no-such-tag"
    assert_same_as_boto3(
        mixed,
        boto3_moto_client.batch_get_image(
            repositoryName=repo,
            imageIds=[{"imageDigest": image.digest}, {"imageTag": "no-such-tag"}],
        ),
    )


def test_batch_delete_image(moto_client: ECRClient, boto3_moto_client: Any, repo: str) -> None:
    first = push(moto_client, repo, tag="v1")
    second = push(moto_client, repo, tag="v2")

    deleted = moto_client.batch_delete_image(
        repository_name=repo,
        image_ids=[ImageIdentifier(image_tag="v1"), ImageIdentifier(image_digest=MISSING_DIGEST)],
    )
    assert_metadata(deleted.response_metadata)
    assert deleted.image_ids == [ImageIdentifier(image_digest=first.digest, image_tag="v1")]
    (failure,) = deleted.failures or ()
    assert failure.image_id == ImageIdentifier(image_digest=MISSING_DIGEST)
    assert failure.failure_code == "ImageNotFound"
    assert failure.failure_reason == "Requested image not found"

    # The same missing digest through boto3 gives the same failure entry.
    boto_deleted = boto3_moto_client.batch_delete_image(
        repositoryName=repo, imageIds=[{"imageDigest": MISSING_DIGEST}]
    )
    assert boto_deleted["imageIds"] == []
    assert boto_to_wire(boto_deleted["failures"]) == [failure._to_wire()]

    remaining = moto_client.list_images(repository_name=repo)
    assert remaining.image_ids == [ImageIdentifier(image_digest=second.digest, image_tag="v2")]

    by_digest = moto_client.batch_delete_image(
        BatchDeleteImageRequest(
            repository_name=repo, image_ids=[ImageIdentifier(image_digest=second.digest)]
        )
    )
    assert by_digest.failures == []
    assert [i.image_digest for i in by_digest.image_ids or ()] == [second.digest]
    assert moto_client.list_images(repository_name=repo).image_ids == []

    # With no images left the repository can be deleted without force.
    moto_client.delete_repository(repository_name=repo)


# -- tags ------------------------------------------------------------------------------------


def test_tag_untag_list_tags(moto_client: ECRClient, boto3_moto_client: Any, repo: str) -> None:
    arn = f"arn:aws:ecr:{REGION}:{ACCOUNT_ID}:repository/{repo}"
    assert moto_client.list_tags_for_resource(resource_arn=arn).tags == []

    tagged = moto_client.tag_resource(
        resource_arn=arn,
        tags=[Tag(key="env", value="test"), Tag(key="owner", value="ünïcødé ✓")],
    )
    assert_metadata(tagged.response_metadata)
    listed = moto_client.list_tags_for_resource(resource_arn=arn)
    assert_metadata(listed.response_metadata)
    assert sorted(listed.tags or (), key=lambda t: t.key) == [
        Tag(key="env", value="test"),
        Tag(key="owner", value="ünïcødé ✓"),
    ]
    boto_listed = boto3_moto_client.list_tags_for_resource(resourceArn=arn)
    assert sorted(boto_listed["tags"], key=lambda t: t["Key"]) == [
        {"Key": "env", "Value": "test"},
        {"Key": "owner", "Value": "ünïcødé ✓"},
    ]
    assert_same_as_boto3(listed, boto_listed)

    untagged = moto_client.untag_resource(resource_arn=arn, tag_keys=["env"])
    assert_metadata(untagged.response_metadata)
    assert moto_client.list_tags_for_resource(resource_arn=arn).tags == [
        Tag(key="owner", value="ünïcødé ✓")
    ]


# -- repository policy -----------------------------------------------------------------------


def test_repository_policy(moto_client: ECRClient, boto3_moto_client: Any, repo: str) -> None:
    policy = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "AllowPull",
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT_ID}:root"},
                    "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
                }
            ],
        }
    )
    with pytest.raises(RepositoryPolicyNotFoundException) as info:
        moto_client.get_repository_policy(repository_name=repo)
    assert_fault(
        info.value,
        RepositoryPolicyNotFoundException,
        "GetRepositoryPolicy",
        lambda: boto3_moto_client.get_repository_policy(repositoryName=repo),
    )

    set_result = moto_client.set_repository_policy(repository_name=repo, policy_text=policy)
    assert_metadata(set_result.response_metadata)
    assert set_result.repository_name == repo
    assert set_result.registry_id == ACCOUNT_ID
    assert json.loads(set_result.policy_text or "") == json.loads(policy)

    got = moto_client.get_repository_policy(repository_name=repo)
    assert json.loads(got.policy_text or "") == json.loads(policy)
    assert_same_as_boto3(got, boto3_moto_client.get_repository_policy(repositoryName=repo))

    deleted = moto_client.delete_repository_policy(repository_name=repo)
    assert deleted.repository_name == repo
    assert json.loads(deleted.policy_text or "") == json.loads(policy)

    with pytest.raises(RepositoryPolicyNotFoundException) as info:
        moto_client.delete_repository_policy(repository_name=repo)
    assert_fault(
        info.value,
        RepositoryPolicyNotFoundException,
        "DeleteRepositoryPolicy",
        lambda: boto3_moto_client.delete_repository_policy(repositoryName=repo),
    )


# -- registry policy -------------------------------------------------------------------------


@pytest.mark.usefixtures("no_registry_policy")
def test_registry_policy(moto_client: ECRClient, boto3_moto_client: Any) -> None:
    policy = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "ReplicationAccess",
                    "Effect": "Allow",
                    "Principal": {"AWS": "arn:aws:iam::210987654321:root"},
                    "Action": ["ecr:CreateRepository", "ecr:ReplicateImage"],
                    "Resource": f"arn:aws:ecr:{REGION}:{ACCOUNT_ID}:repository/*",
                }
            ],
        }
    )
    with pytest.raises(RegistryPolicyNotFoundException) as info:
        moto_client.get_registry_policy()
    assert_fault(
        info.value,
        RegistryPolicyNotFoundException,
        "GetRegistryPolicy",
        boto3_moto_client.get_registry_policy,
    )

    put = moto_client.put_registry_policy(policy_text=policy)
    assert_metadata(put.response_metadata)
    assert put.registry_id == ACCOUNT_ID
    assert json.loads(put.policy_text or "") == json.loads(policy)

    got = moto_client.get_registry_policy()
    assert got.registry_id == ACCOUNT_ID
    assert json.loads(got.policy_text or "") == json.loads(policy)
    assert_same_as_boto3(got, boto3_moto_client.get_registry_policy())

    deleted = moto_client.delete_registry_policy()
    assert deleted.registry_id == ACCOUNT_ID
    assert json.loads(deleted.policy_text or "") == json.loads(policy)

    with pytest.raises(RegistryPolicyNotFoundException) as info:
        moto_client.delete_registry_policy()
    assert_fault(
        info.value,
        RegistryPolicyNotFoundException,
        "DeleteRegistryPolicy",
        boto3_moto_client.delete_registry_policy,
    )


# -- lifecycle policy ------------------------------------------------------------------------


def test_lifecycle_policy(moto_client: ECRClient, boto3_moto_client: Any, repo: str) -> None:
    policy = json.dumps(
        {
            "rules": [
                {
                    "rulePriority": 1,
                    "description": "Expire untagged images older than 14 days",
                    "selection": {
                        "tagStatus": "untagged",
                        "countType": "sinceImagePushed",
                        "countUnit": "days",
                        "countNumber": 14,
                    },
                    "action": {"type": "expire"},
                }
            ]
        }
    )
    with pytest.raises(LifecyclePolicyNotFoundException) as info:
        moto_client.get_lifecycle_policy(repository_name=repo)
    assert_fault(
        info.value,
        LifecyclePolicyNotFoundException,
        "GetLifecyclePolicy",
        lambda: boto3_moto_client.get_lifecycle_policy(repositoryName=repo),
    )

    put = moto_client.put_lifecycle_policy(repository_name=repo, lifecycle_policy_text=policy)
    assert_metadata(put.response_metadata)
    assert put.repository_name == repo
    assert put.registry_id == ACCOUNT_ID
    assert json.loads(put.lifecycle_policy_text or "") == json.loads(policy)

    got = moto_client.get_lifecycle_policy(repository_name=repo)
    assert got.repository_name == repo
    assert json.loads(got.lifecycle_policy_text or "") == json.loads(policy)
    assert got.last_evaluated_at is not None
    assert got.last_evaluated_at.tzinfo is not None
    boto_got = boto3_moto_client.get_lifecycle_policy(repositoryName=repo)
    # moto stamps lastEvaluatedAt with the time of each call: two calls may straddle a second.
    assert abs(boto_got["lastEvaluatedAt"] - got.last_evaluated_at) <= timedelta(seconds=5)
    assert_same_as_boto3(attrs.evolve(got, last_evaluated_at=boto_got["lastEvaluatedAt"]), boto_got)

    deleted = moto_client.delete_lifecycle_policy(repository_name=repo)
    assert deleted.repository_name == repo
    assert json.loads(deleted.lifecycle_policy_text or "") == json.loads(policy)

    with pytest.raises(LifecyclePolicyNotFoundException) as info:
        moto_client.delete_lifecycle_policy(repository_name=repo)
    assert_fault(
        info.value,
        LifecyclePolicyNotFoundException,
        "DeleteLifecyclePolicy",
        lambda: boto3_moto_client.delete_lifecycle_policy(repositoryName=repo),
    )


# -- scanning --------------------------------------------------------------------------------


def test_put_image_scanning_configuration(
    moto_client: ECRClient, boto3_moto_client: Any, repo: str
) -> None:
    for scan_on_push in (True, False):
        result = moto_client.put_image_scanning_configuration(
            repository_name=repo,
            image_scanning_configuration=ImageScanningConfiguration(scan_on_push=scan_on_push),
        )
        assert_metadata(result.response_metadata)
        assert result.repository_name == repo
        assert result.registry_id == ACCOUNT_ID
        assert result.image_scanning_configuration == ImageScanningConfiguration(
            scan_on_push=scan_on_push
        )
        (described,) = moto_client.describe_repositories(repository_names=[repo]).repositories or ()
        assert described.image_scanning_configuration == ImageScanningConfiguration(
            scan_on_push=scan_on_push
        )
        (boto_described,) = boto3_moto_client.describe_repositories(repositoryNames=[repo])[
            "repositories"
        ]
        assert boto_described["imageScanningConfiguration"] == {"scanOnPush": scan_on_push}


def test_registry_scanning_configuration(moto_client: ECRClient, boto3_moto_client: Any) -> None:
    original = moto_client.get_registry_scanning_configuration()
    assert_metadata(original.response_metadata)
    assert original.registry_id == ACCOUNT_ID
    assert original.scanning_configuration is not None
    rules = [
        RegistryScanningRule(
            scan_frequency="SCAN_ON_PUSH",
            repository_filters=[ScanningRepositoryFilter(filter="prod-*", filter_type="WILDCARD")],
        )
    ]
    try:
        put = moto_client.put_registry_scanning_configuration(scan_type="ENHANCED", rules=rules)
        assert_metadata(put.response_metadata)
        assert put.registry_scanning_configuration is not None
        assert put.registry_scanning_configuration.scan_type == "ENHANCED"
        assert put.registry_scanning_configuration.rules == rules

        got = moto_client.get_registry_scanning_configuration()
        assert got.registry_id == ACCOUNT_ID
        assert got.scanning_configuration == put.registry_scanning_configuration
        assert_same_as_boto3(got, boto3_moto_client.get_registry_scanning_configuration())
    finally:
        moto_client.put_registry_scanning_configuration(
            scan_type=original.scanning_configuration.scan_type,
            rules=original.scanning_configuration.rules or [],
        )
    assert moto_client.get_registry_scanning_configuration() == original


# -- replication / registry ------------------------------------------------------------------


def test_replication_configuration_and_describe_registry(
    moto_client: ECRClient, boto3_moto_client: Any
) -> None:
    original = moto_client.describe_registry()
    assert_metadata(original.response_metadata)
    assert original.registry_id == ACCOUNT_ID
    assert original.replication_configuration is not None
    configuration = ReplicationConfiguration(
        rules=[
            ReplicationRule(
                destinations=[
                    ReplicationDestination(region="eu-west-1", registry_id=ACCOUNT_ID),
                    ReplicationDestination(region="us-west-2", registry_id="210987654321"),
                ],
                repository_filters=[RepositoryFilter(filter="prod", filter_type="PREFIX_MATCH")],
            )
        ]
    )
    try:
        put = moto_client.put_replication_configuration(replication_configuration=configuration)
        assert_metadata(put.response_metadata)
        assert put.replication_configuration == configuration

        described = moto_client.describe_registry()
        assert described.registry_id == ACCOUNT_ID
        assert described.replication_configuration == configuration
        assert_same_as_boto3(described, boto3_moto_client.describe_registry())
    finally:
        moto_client.put_replication_configuration(
            replication_configuration=original.replication_configuration
        )
    assert moto_client.describe_registry() == original


# -- authorization token ---------------------------------------------------------------------


def test_get_authorization_token(moto_client: ECRClient, boto3_moto_client: Any) -> None:
    result = moto_client.get_authorization_token()
    assert_metadata(result.response_metadata)
    (data,) = result.authorization_data or ()
    token = data.authorization_token
    assert token
    user, _, password = base64.b64decode(token).decode().partition(":")
    assert user == "AWS"
    assert password
    assert data.proxy_endpoint == f"https://{ACCOUNT_ID}.dkr.ecr.{REGION}.amazonaws.com"
    assert data.expires_at is not None
    assert data.expires_at.tzinfo is not None

    # The secret never shows in a repr (nor in str, which is the attrs repr).
    for text in (repr(result), str(result), repr(data), repr(result.authorization_data)):
        assert token not in text
        assert password not in text
    assert "proxy_endpoint=" in repr(data)

    (boto_data,) = boto3_moto_client.get_authorization_token()["authorizationData"]
    assert boto_data["authorizationToken"] == token
    assert boto_data["expiresAt"] == data.expires_at
    assert boto_data["proxyEndpoint"] == data.proxy_endpoint


def test_get_authorization_token_for_several_registries(moto_client: ECRClient) -> None:
    request = GetAuthorizationTokenRequest(registry_ids=[ACCOUNT_ID, "210987654321"])
    result = moto_client.get_authorization_token(request)
    endpoints = [d.proxy_endpoint for d in result.authorization_data or ()]
    assert endpoints == [
        f"https://{ACCOUNT_ID}.dkr.ecr.{REGION}.amazonaws.com",
        f"https://210987654321.dkr.ecr.{REGION}.amazonaws.com",
    ]
    for data in result.authorization_data or ():
        assert data.authorization_token
        assert base64.b64decode(data.authorization_token).startswith(b"AWS:")


# -- faults ----------------------------------------------------------------------------------


class FaultCase(NamedTuple):
    expected: type[AmazonECRException]
    operation_name: str
    ours: Callable[[ECRClient, str], Any]
    theirs: Callable[[Any, str], Any]


FAULT_CASES = {
    "describe_repositories-missing": FaultCase(
        RepositoryNotFoundException,
        "DescribeRepositories",
        lambda c, name: c.describe_repositories(repository_names=[name + "-missing"]),
        lambda b, name: b.describe_repositories(repositoryNames=[name + "-missing"]),
    ),
    "delete_repository-missing": FaultCase(
        RepositoryNotFoundException,
        "DeleteRepository",
        lambda c, name: c.delete_repository(repository_name=name + "-missing", force=True),
        lambda b, name: b.delete_repository(repositoryName=name + "-missing", force=True),
    ),
    "list_images-missing": FaultCase(
        RepositoryNotFoundException,
        "ListImages",
        lambda c, name: c.list_images(repository_name=name + "-missing"),
        lambda b, name: b.list_images(repositoryName=name + "-missing"),
    ),
    "batch_delete_image-missing-repository": FaultCase(
        RepositoryNotFoundException,
        "BatchDeleteImage",
        lambda c, name: c.batch_delete_image(
            repository_name=name + "-missing", image_ids=[ImageIdentifier(image_tag="v1")]
        ),
        lambda b, name: b.batch_delete_image(
            repositoryName=name + "-missing", imageIds=[{"imageTag": "v1"}]
        ),
    ),
    "list_tags_for_resource-missing": FaultCase(
        RepositoryNotFoundException,
        "ListTagsForResource",
        lambda c, name: c.list_tags_for_resource(
            resource_arn=f"arn:aws:ecr:{REGION}:{ACCOUNT_ID}:repository/{name}-missing"
        ),
        lambda b, name: b.list_tags_for_resource(
            resourceArn=f"arn:aws:ecr:{REGION}:{ACCOUNT_ID}:repository/{name}-missing"
        ),
    ),
    "put_image_scanning_configuration-missing": FaultCase(
        RepositoryNotFoundException,
        "PutImageScanningConfiguration",
        lambda c, name: c.put_image_scanning_configuration(
            repository_name=name + "-missing",
            image_scanning_configuration=ImageScanningConfiguration(scan_on_push=True),
        ),
        lambda b, name: b.put_image_scanning_configuration(
            repositoryName=name + "-missing", imageScanningConfiguration={"scanOnPush": True}
        ),
    ),
    "create_repository-exists": FaultCase(
        RepositoryAlreadyExistsException,
        "CreateRepository",
        lambda c, name: c.create_repository(repository_name=name),
        lambda b, name: b.create_repository(repositoryName=name),
    ),
    "delete_repository-not-empty": FaultCase(
        RepositoryNotEmptyException,
        "DeleteRepository",
        lambda c, name: c.delete_repository(repository_name=name),
        lambda b, name: b.delete_repository(repositoryName=name),
    ),
    "describe_images-missing-digest": FaultCase(
        ImageNotFoundException,
        "DescribeImages",
        lambda c, name: c.describe_images(
            repository_name=name, image_ids=[ImageIdentifier(image_digest=MISSING_DIGEST)]
        ),
        lambda b, name: b.describe_images(
            repositoryName=name, imageIds=[{"imageDigest": MISSING_DIGEST}]
        ),
    ),
    "get_repository_policy-none": FaultCase(
        RepositoryPolicyNotFoundException,
        "GetRepositoryPolicy",
        lambda c, name: c.get_repository_policy(repository_name=name),
        lambda b, name: b.get_repository_policy(repositoryName=name),
    ),
    "get_repository_policy-missing-repository": FaultCase(
        RepositoryNotFoundException,
        "GetRepositoryPolicy",
        lambda c, name: c.get_repository_policy(repository_name=name + "-missing"),
        lambda b, name: b.get_repository_policy(repositoryName=name + "-missing"),
    ),
    "get_lifecycle_policy-none": FaultCase(
        LifecyclePolicyNotFoundException,
        "GetLifecyclePolicy",
        lambda c, name: c.get_lifecycle_policy(repository_name=name),
        lambda b, name: b.get_lifecycle_policy(repositoryName=name),
    ),
    "delete_lifecycle_policy-none": FaultCase(
        LifecyclePolicyNotFoundException,
        "DeleteLifecyclePolicy",
        lambda c, name: c.delete_lifecycle_policy(repository_name=name),
        lambda b, name: b.delete_lifecycle_policy(repositoryName=name),
    ),
    "get_registry_policy-none": FaultCase(
        RegistryPolicyNotFoundException,
        "GetRegistryPolicy",
        lambda c, name: c.get_registry_policy(),
        lambda b, name: b.get_registry_policy(),
    ),
}


@pytest.mark.usefixtures("no_registry_policy")
@pytest.mark.parametrize("case", FAULT_CASES.values(), ids=FAULT_CASES.keys())
def test_faults_match_boto3(
    moto_client: ECRClient, boto3_moto_client: Any, repo: str, case: FaultCase
) -> None:
    push(moto_client, repo)  # the repository exists and is not empty
    with pytest.raises(case.expected) as info:
        case.ours(moto_client, repo)
    assert_fault(
        info.value, case.expected, case.operation_name, lambda: case.theirs(boto3_moto_client, repo)
    )
    # The boto3 habit of catching ClientError and reading the code keeps working.
    try:
        case.ours(moto_client, repo)
    except ClientError as e:
        assert e.response["Error"]["Code"] == case.expected.code
    else:  # pragma: no cover - the call above just failed the same way
        pytest.fail("the call did not fail the second time")


def test_server_side_validation_fault(moto_endpoint: str, boto3_moto_client: Any) -> None:
    """A name the server rejects surfaces as the modeled InvalidParameterException."""
    with (
        ECRClient(
            region_name=REGION,
            endpoint_url=moto_endpoint,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            config=ClientConfig(parameter_validation=False),
        ) as unchecked,
        pytest.raises(InvalidParameterException) as info,
    ):
        unchecked.create_repository(repository_name="Not_A_Valid_Name")
    assert_fault(
        info.value,
        InvalidParameterException,
        "CreateRepository",
        lambda: boto3_moto_client.create_repository(repositoryName="Not_A_Valid_Name"),
    )
    assert "repositoryName" in info.value.error_message


def test_fault_survives_pickling(moto_client: ECRClient) -> None:
    name = unique_name("pickle")
    with pytest.raises(RepositoryNotFoundException) as info:
        moto_client.describe_repositories(repository_names=[name])
    error = info.value
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is RepositoryNotFoundException
    assert str(copy) == str(error)
    assert copy.response == error.response
    assert copy.operation_name == error.operation_name
    assert copy.error_code == error.error_code
    assert copy.error_message == error.error_message
    assert copy.status_code == 400
    assert copy.request_id == error.request_id


# -- calling conventions and response metadata -----------------------------------------------


def test_request_object_and_keywords_give_equal_results(moto_client: ECRClient, repo: str) -> None:
    image = push(moto_client, repo, tag="v1")

    pairs: list[tuple[Any, Any]] = [
        (
            moto_client.describe_repositories(DescribeRepositoriesRequest(repository_names=[repo])),
            moto_client.describe_repositories(repository_names=[repo]),
        ),
        (
            moto_client.list_images(ListImagesRequest(repository_name=repo)),
            moto_client.list_images(repository_name=repo),
        ),
        (
            moto_client.describe_images(
                DescribeImagesRequest(
                    repository_name=repo, image_ids=[ImageIdentifier(image_digest=image.digest)]
                )
            ),
            moto_client.describe_images(
                repository_name=repo, image_ids=[ImageIdentifier(image_digest=image.digest)]
            ),
        ),
        (
            moto_client.batch_get_image(
                BatchGetImageRequest(
                    repository_name=repo, image_ids=[ImageIdentifier(image_tag="v1")]
                )
            ),
            moto_client.batch_get_image(
                repository_name=repo, image_ids=[ImageIdentifier(image_tag="v1")]
            ),
        ),
    ]
    for from_request, from_keywords in pairs:
        assert type(from_request) is type(from_keywords)
        assert from_request == from_keywords
        # Equality ignores the metadata, which differs call to call.
        assert from_request.response_metadata.request_id != (
            from_keywords.response_metadata.request_id
        )

    # A create through a request object behaves as through keywords.
    other = unique_name("reqobj")
    try:
        created = moto_client.create_repository(CreateRepositoryRequest(repository_name=other))
        assert created.repository is not None
        assert created.repository.repository_name == other
    finally:
        force_delete(moto_client, other)

    with pytest.raises(RequestValidationError, match="not both"):
        moto_client.describe_repositories(
            DescribeRepositoriesRequest(repository_names=[repo]), repository_names=[repo]
        )
    with pytest.raises(RequestValidationError, match="expected a ListImagesRequest"):
        moto_client.list_images(DescribeRepositoriesRequest())  # type: ignore[call-overload]


def test_get_cached_response_metadata(moto_client: ECRClient, repo: str) -> None:
    request = DescribeRepositoriesRequest(repository_names=[repo])
    equal_request = DescribeRepositoriesRequest(repository_names=[repo])
    assert request == equal_request
    assert request is not equal_request
    assert moto_client.get_cached_response_metadata(request) is None

    result = moto_client.describe_repositories(request)
    cached = moto_client.get_cached_response_metadata(request)
    assert cached is not None
    assert cached == result.response_metadata
    assert_metadata(cached)
    assert moto_client.get_cached_response_metadata(equal_request) is None

    # A later call with the same object replaces the entry.
    again = moto_client.describe_repositories(request)
    cached_again = moto_client.get_cached_response_metadata(request)
    assert cached_again == again.response_metadata
    assert cached_again is not None
    assert cached_again.request_id != cached.request_id

    # A failed call is remembered too, with the fault's request id and status.
    missing = DescribeRepositoriesRequest(repository_names=[repo + "-missing"])
    with pytest.raises(RepositoryNotFoundException) as info:
        moto_client.describe_repositories(missing)
    failed = moto_client.get_cached_response_metadata(missing)
    assert failed is not None
    assert failed.http_status_code == 400
    assert failed.request_id == info.value.request_id

    # The cache belongs to the client: another client knows nothing of this request.
    with ECRClient(
        region_name=REGION,
        endpoint_url=moto_client.endpoint_url,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
    ) as other_client:
        assert other_client.get_cached_response_metadata(request) is None


def test_response_metadata_matches_headers(moto_client: ECRClient, boto3_moto_client: Any) -> None:
    result = moto_client.describe_registry()
    metadata = result.response_metadata
    assert_metadata(metadata)
    assert metadata is not None
    assert metadata.http_headers["content-type"] == "application/x-amz-json-1.1"
    assert all(name == name.lower() for name in metadata.http_headers)
    boto_metadata = boto3_moto_client.describe_registry()["ResponseMetadata"]
    assert metadata.to_boto().keys() == boto_metadata.keys()
    assert set(metadata.to_boto()["HTTPHeaders"]) == set(boto_metadata["HTTPHeaders"])


def test_client_shared_between_threads(moto_endpoint: str) -> None:
    # Threads are the sync client's concurrency; the async client's is in test_async_client.py.
    moto_client = ECRClient(
        region_name=REGION,
        endpoint_url=moto_endpoint,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
    )
    names = [unique_name("thread") for _ in range(12)]
    try:
        with ThreadPoolExecutor(max_workers=6) as pool:
            created = list(
                pool.map(lambda name: moto_client.create_repository(repository_name=name), names)
            )
        assert [c.repository.repository_name for c in created if c.repository] == names

        requests = [DescribeRepositoriesRequest(repository_names=[name]) for name in names]
        with ThreadPoolExecutor(max_workers=6) as pool:
            results = list(pool.map(moto_client.describe_repositories, requests))
        for name, request, result in zip(names, requests, results, strict=True):
            assert [r.repository_name for r in result.repositories or ()] == [name]
            assert moto_client.get_cached_response_metadata(request) == result.response_metadata
        request_ids = {r.response_metadata.request_id for r in results if r.response_metadata}
        assert len(request_ids) == len(names)
    finally:
        for name in names:
            force_delete(moto_client, name)


def test_closed_client_refuses_calls(moto_endpoint: str) -> None:
    client = ECRClient(
        region_name=REGION,
        endpoint_url=moto_endpoint,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
    )
    assert client.describe_registry().registry_id == ACCOUNT_ID
    client.close()
    client.close()  # idempotent
    with pytest.raises(SdkClientError, match="closed"):
        client.describe_registry()


# -- validation before I/O -------------------------------------------------------------------


def _closed_port() -> int:
    """A local port nothing listens on."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize(
    "bad_name",
    ["BAD", "a", "x" * 257, "UPPER/CASE"],
    ids=["uppercase", "too-short", "too-long", "uppercase-namespace"],
)
def test_bad_repository_name_fails_before_any_io(bad_name: str) -> None:
    with ECRClient(
        region_name=REGION,
        endpoint_url=f"http://127.0.0.1:{_closed_port()}",
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        config=ClientConfig(max_attempts=1),
    ) as offline:
        # Nothing listens there: a valid request cannot get through.
        with pytest.raises(EndpointConnectionError):
            offline.describe_repositories()

        for call in (
            lambda: offline.create_repository(repository_name=bad_name),
            lambda: offline.create_repository(CreateRepositoryRequest(repository_name=bad_name)),
            lambda: offline.put_image(
                PutImageRequest(repository_name=bad_name, image_manifest="{}")
            ),
        ):
            with pytest.raises(RequestValidationError) as info:
                call()
            error = info.value
            assert not isinstance(error, NetworkError)
            assert isinstance(error, ParamValidationError)
            assert isinstance(error, ValueError)
            assert any("repository_name" in problem for problem in error.problems)
            assert "repository_name" in str(error)


def test_missing_and_unknown_parameters_fail_before_any_io() -> None:
    with ECRClient(
        region_name=REGION,
        endpoint_url=f"http://127.0.0.1:{_closed_port()}",
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        config=ClientConfig(max_attempts=1),
    ) as offline:
        with pytest.raises(RequestValidationError) as info:
            offline.create_repository()  # type: ignore[call-overload]
        assert any("missing required parameter" in p for p in info.value.problems)
        with pytest.raises(RequestValidationError) as info:
            offline.list_images(repository_name="fine-name", no_such_member=1)  # type: ignore[call-overload]
        assert any("no_such_member" in p for p in info.value.problems)
        with pytest.raises(RequestValidationError):
            offline.get_authorization_token(registry_ids=["not-an-account"])
