"""Catch ECR's faults by class, and look at what they carry."""

from __future__ import annotations

from botocore.exceptions import ClientError

from ecrclient import ECRClient
from ecrclient.errors import (
    AmazonECRException,
    RepositoryAlreadyExistsException,
    RepositoryNotFoundException,
    RequestValidationError,
)


def ensure_repository(ecr: ECRClient, name: str) -> str:
    try:
        created = ecr.create_repository(repository_name=name)
    except RepositoryAlreadyExistsException:
        found = ecr.describe_repositories(repository_names=[name])
        return (found.repositories or [])[0].repository_uri or ""
    assert created.repository is not None
    return created.repository.repository_uri or ""


def describe_or_none(ecr: ECRClient, name: str) -> str | None:
    try:
        found = ecr.describe_repositories(repository_names=[name])
    except RepositoryNotFoundException as error:
        print(f"{error.error_code} (HTTP {error.status_code}, request {error.request_id})")
        return None
    except RequestValidationError as error:
        print("bad input:", *error.problems, sep="\n  ")
        return None
    except AmazonECRException as error:  # any other ECR fault
        print(error.error_code, error.error_message)
        raise
    except ClientError:  # boto3-era handlers keep working
        raise
    return (found.repositories or [])[0].repository_arn
