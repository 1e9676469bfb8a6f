"""Existing boto3 code, with one import changed."""

from __future__ import annotations

import ecrclient as boto3  # was: import boto3


def image_tags(repository: str, endpoint_url: str | None = None) -> list[str]:
    client = boto3.client("ecr", region_name="us-east-1", endpoint_url=endpoint_url)
    tags: list[str] = []
    try:
        for page in client.get_paginator("describe_images").paginate(repositoryName=repository):
            for detail in page.get("imageDetails", []):
                tags.extend(detail.get("imageTags", []))
    except client.exceptions.RepositoryNotFoundException:
        return []
    return tags


def repository_uri(name: str, endpoint_url: str | None = None) -> str:
    client = boto3.client("ecr", region_name="us-east-1", endpoint_url=endpoint_url)
    response = client.describe_repositories(repositoryNames=[name])
    # Honest types: the service may omit any member the model does not require.
    for repository in response.get("repositories", []):
        return repository.get("repositoryUri", "")
    return ""
