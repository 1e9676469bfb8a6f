"""The examples folder is real user code: run it against the moto server so it cannot rot."""

from __future__ import annotations

import asyncio
import sys
import uuid
from pathlib import Path

import pytest

from ecrclient import AsyncECRClient, ECRClient

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "examples"))

import async_usage
import boto3_style
import catch_faults
import paginate_images
import push_manifest

KEYS = {"aws_access_key_id": "AKIDEXAMPLE", "aws_secret_access_key": "secret"}


@pytest.fixture
def ecr(moto_endpoint: str) -> ECRClient:
    return ECRClient(region_name="us-east-1", endpoint_url=moto_endpoint, **KEYS)


@pytest.fixture
def repository(ecr: ECRClient) -> str:
    name = f"examples-{uuid.uuid4().hex[:8]}"
    ecr.create_repository(repository_name=name)
    return name


def test_push_and_read_back(ecr: ECRClient, repository: str) -> None:
    digest = push_manifest.push(ecr, repository, "v1")
    assert push_manifest.push(ecr, repository, "v1") == digest  # pushing again is fine
    assert push_manifest.read_back(ecr, repository, digest) == push_manifest.manifest("v1")


def test_paginate(ecr: ECRClient, repository: str) -> None:
    for n in range(12):
        push_manifest.push(ecr, repository, f"t{n}")
    details = list(paginate_images.image_details(ecr, repository, page_size=5))
    assert len(details) == 12
    assert sorted(
        t for page in paginate_images.tags_per_page(ecr, repository) for t in page
    ) == sorted(f"t{n}" for n in range(12))
    head, rest = paginate_images.first_items_then_the_rest(ecr, repository)
    assert len(head) == 10 and len(rest) == 2


def test_catch_faults(ecr: ECRClient, repository: str, capsys: pytest.CaptureFixture[str]) -> None:
    uri = catch_faults.ensure_repository(ecr, repository)
    assert uri.endswith(f"/{repository}")
    assert catch_faults.ensure_repository(ecr, repository) == uri
    assert catch_faults.describe_or_none(ecr, repository + "-missing") is None
    assert "RepositoryNotFoundException (HTTP 400" in capsys.readouterr().out
    assert catch_faults.describe_or_none(ecr, "a") is None  # shorter than the minimum of 2
    assert "bad input:" in capsys.readouterr().out


def test_boto3_style(
    moto_endpoint: str, ecr: ECRClient, repository: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", KEYS["aws_access_key_id"])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", KEYS["aws_secret_access_key"])
    push_manifest.push(ecr, repository, "latest")
    assert boto3_style.image_tags(repository, moto_endpoint) == ["latest"]
    assert boto3_style.image_tags(repository + "-missing", moto_endpoint) == []
    assert boto3_style.repository_uri(repository, moto_endpoint).endswith(repository)


def test_async_usage(moto_endpoint: str, ecr: ECRClient, repository: str) -> None:
    push_manifest.push(ecr, repository, "v9")

    async def run() -> tuple[int, list[str]]:
        client = AsyncECRClient(region_name="us-east-1", endpoint_url=moto_endpoint, **KEYS)
        try:
            found = await async_usage.describe_many(client, [repository, repository])
            return len(found), await async_usage.all_tags(client, repository)
        finally:
            await client.close()

    assert asyncio.run(run()) == (2, ["v9"])
