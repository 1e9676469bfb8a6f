"""Registry hosts in every form and partition, image references on the command line, and
docker configuration entries."""

from __future__ import annotations

import argparse
from datetime import datetime, timedelta, timezone

import pytest

from ecrclient.cli.arguments import parse_duration, parse_image, parse_repository
from ecrclient.cli.context import CommandError
from ecrclient.login import (
    DockerConfigError,
    DockerCredentials,
    NotAnECRRegistryError,
    RegistryHost,
    parse_registry,
    registry_host,
    with_auth_entry,
    with_helper_entry,
)

ACCOUNT = "123456789012"


@pytest.mark.parametrize(
    ("text", "region", "partition", "fips", "dual_stack"),
    [
        (f"{ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com", "us-east-1", "aws", False, False),
        (
            f"https://{ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/v2/",
            "eu-west-1",
            "aws",
            False,
            False,
        ),
        (f"{ACCOUNT}.dkr.ecr-fips.us-east-2.amazonaws.com", "us-east-2", "aws", True, False),
        (f"{ACCOUNT}.dkr-ecr.ap-south-1.on.aws", "ap-south-1", "aws", False, True),
        (f"{ACCOUNT}.dkr-ecr-fips.ca-central-1.on.aws", "ca-central-1", "aws", True, True),
        (f"{ACCOUNT}.dkr.ecr.cn-north-1.amazonaws.com.cn", "cn-north-1", "aws-cn", False, False),
        (
            f"{ACCOUNT}.dkr-ecr.cn-northwest-1.on.amazonwebservices.com.cn",
            "cn-northwest-1",
            "aws-cn",
            False,
            True,
        ),
        (
            f"{ACCOUNT}.dkr.ecr-fips.us-gov-west-1.amazonaws.com",
            "us-gov-west-1",
            "aws-us-gov",
            True,
            False,
        ),
        (f"{ACCOUNT}.dkr-ecr.us-gov-east-1.on.aws", "us-gov-east-1", "aws-us-gov", False, True),
        (f"{ACCOUNT}.dkr.ecr.us-iso-east-1.c2s.ic.gov", "us-iso-east-1", "aws-iso", False, False),
        (
            f"{ACCOUNT}.dkr.ecr.us-isob-east-1.sc2s.sgov.gov",
            "us-isob-east-1",
            "aws-iso-b",
            False,
            False,
        ),
        (
            f"{ACCOUNT}.dkr.ecr.eu-isoe-west-1.cloud.adc-e.uk",
            "eu-isoe-west-1",
            "aws-iso-e",
            False,
            False,
        ),
        (
            f"{ACCOUNT}.dkr.ecr.us-isof-south-1.csp.hci.ic.gov",
            "us-isof-south-1",
            "aws-iso-f",
            False,
            False,
        ),
        (
            f"{ACCOUNT}.dkr.ecr.eusc-de-east-1.amazonaws.eu",
            "eusc-de-east-1",
            "aws-eusc",
            False,
            False,
        ),
        (f"{ACCOUNT}.DKR.ECR.US-WEST-2.AMAZONAWS.COM.:443", "us-west-2", "aws", False, False),
    ],
)
def test_every_host_form_parses_and_round_trips(
    text: str, region: str, partition: str, fips: bool, dual_stack: bool
) -> None:
    registry = parse_registry(text)
    assert registry == RegistryHost(ACCOUNT, region, partition, fips, dual_stack)
    assert parse_registry(registry.host) == registry
    assert registry_host(ACCOUNT, region, fips=fips, dual_stack=dual_stack) == registry
    assert registry.url == f"https://{registry.host}" and str(registry) == registry.host


@pytest.mark.parametrize(
    "text",
    [
        "docker.io",
        "public.ecr.aws",
        "12345.dkr.ecr.us-east-1.amazonaws.com",  # not 12 digits
        f"{ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com.cn",  # China domain, aws region
        f"{ACCOUNT}.dkr.ecr.cn-north-1.amazonaws.com",  # aws domain, China region
        f"{ACCOUNT}.dkr.ecr.mars-north-1.amazonaws.com",  # no such partition
        f"{ACCOUNT}.dkr-ecr.us-east-1.amazonaws.com",  # dual-stack prefix, IPv4 domain
        f"{ACCOUNT}.dkr.ecr.us-east-1.on.aws",  # IPv4 prefix, dual-stack domain
        f"{ACCOUNT}.dkr-ecr.us-iso-east-1.c2s.ic.gov",  # no known dual-stack domain
        f"{ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com.evil.example",
        "",
    ],
)
def test_other_hosts_are_refused(text: str) -> None:
    with pytest.raises(NotAnECRRegistryError):
        parse_registry(text)


def test_building_a_host_checks_its_parts() -> None:
    with pytest.raises(ValueError, match="12-digit"):
        registry_host("1234", "us-east-1")
    with pytest.raises(ValueError, match="region"):
        registry_host(ACCOUNT, "moon-1")
    with pytest.raises(ValueError, match="dual-stack"):
        registry_host(ACCOUNT, "us-iso-east-1", dual_stack=True)


def test_image_and_repository_arguments() -> None:
    assert parse_image("team/web:v1") == (None, "team/web", "v1")
    assert parse_image("team/web") == (None, "team/web", "latest")
    digest = "sha256:" + "a" * 64
    assert parse_image(f"team/web@{digest}").reference == digest
    full = parse_image(f"{ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/team/web:v2")
    assert (full.registry_id, full.region, full.repository, full.reference) == (
        ACCOUNT,
        "eu-west-1",
        "team/web",
        "v2",
    )
    assert str(full) == "team/web:v2"
    assert parse_repository(f"{ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/team/web").region == (
        "eu-west-1"
    )
    with pytest.raises(CommandError, match="not an Amazon ECR registry host"):
        parse_image("ghcr.io/team/web:v1")
    with pytest.raises(CommandError):
        parse_repository("team/web:v1")


def test_durations() -> None:
    assert parse_duration("30d") == timedelta(days=30)
    assert parse_duration("12h") == timedelta(hours=12)
    assert parse_duration("2w") == timedelta(weeks=2)
    assert parse_duration("1.5") == timedelta(days=1.5)
    with pytest.raises(argparse.ArgumentTypeError):
        parse_duration("soon")


def test_docker_config_entries_touch_only_their_own_key() -> None:
    now = datetime.now(timezone.utc)
    credentials = DockerCredentials(
        "AWS", "s3cret-password-0123", f"{ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com",
        now + timedelta(hours=12), now,
    )  # fmt: skip
    config = {
        "auths": {credentials.registry: {"auth": "b2xkOm9sZA==", "identitytoken": "x"}},
        "credsStore": "desktop",
        "currentContext": "default",
    }
    updated, change = with_auth_entry(config, credentials)
    assert updated["auths"][credentials.registry] == {
        "auth": credentials.auth,
        "identitytoken": "x",
    }
    assert updated["currentContext"] == "default" and config["auths"] != updated["auths"]
    assert change.replaced and change.changed and credentials.password not in change.description
    assert any("credsStore" in warning for warning in change.warnings)
    helper, helper_change = with_helper_entry(updated, credentials.registry)
    assert helper["credHelpers"] == {credentials.registry: "ecrclient"}
    assert helper["auths"] == updated["auths"]
    assert helper_change.warnings  # the auths entry is now shadowed
    with pytest.raises(DockerConfigError):
        with_helper_entry({"credHelpers": ["not", "an", "object"]}, credentials.registry)
