"""Settings boto3 refuses when it creates a client, the drop-in refuses alike: the same
exception class and botocore's wording (an endpoint's userinfo redacted). The installed boto3
is the oracle; no expected message is written by hand."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.config import Config

import ecrclient
from ecrclient.errors import ConfigurationError

KEYS = {"aws_access_key_id": "AKIDEXAMPLE", "aws_secret_access_key": "secret-for-refusals"}


def refusal(make: Any) -> BaseException:
    with pytest.raises(Exception) as caught:
        make()
    return caught.value


@pytest.mark.parametrize(
    "options",
    [
        {"endpoint_url": "localhost:4566"},
        {"endpoint_url": "127.0.0.1:4566"},
        {"endpoint_url": "http://"},
        {"endpoint_url": "http://exa mple.com"},
        {"endpoint_url": "https://under_score.example.com"},
        {"endpoint_url": "localhost:4566", "config": Config(connect_timeout="5")},
        {"config": Config(connect_timeout="5")},
        {"config": Config(read_timeout=-1)},
        {"config": Config(connect_timeout=0)},
        {"config": Config(read_timeout=True)},
        {"config": Config(connect_timeout=[1])},
    ],
    ids=repr,
)
def test_the_drop_in_refuses_what_boto3_refuses_with_its_exception(options: dict[str, Any]) -> None:
    expected = refusal(lambda: boto3.client("ecr", region_name="us-east-1", **KEYS, **options))
    got = refusal(lambda: ecrclient.client("ecr", region_name="us-east-1", **KEYS, **options))
    assert type(got) is type(expected)
    assert str(got) == str(expected)


def test_the_configured_endpoint_is_refused_as_boto3_refuses_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_ECR", "localhost:4566")
    expected = refusal(lambda: boto3.client("ecr", region_name="us-east-1", **KEYS))
    got = refusal(lambda: ecrclient.client("ecr", region_name="us-east-1", **KEYS))
    assert (type(got), str(got)) == (type(expected), str(expected))


def test_an_invalid_endpoint_with_a_password_is_refused_without_it() -> None:
    url = "http://someone:hunter2-password@exa mple.com"
    expected = refusal(lambda: boto3.client("ecr", region_name="us-east-1", endpoint_url=url))
    got = refusal(lambda: ecrclient.client("ecr", region_name="us-east-1", endpoint_url=url))
    assert type(got) is type(expected) is ValueError
    assert "hunter2" in str(expected)  # boto3 quotes it; the drop-in does not
    assert str(got) == str(expected).replace("someone:hunter2-password", "<redacted>")


@pytest.mark.parametrize(
    ("options", "setting"),
    [
        ({"endpoint_url": "ftp://127.0.0.1:4566"}, "endpoint_url"),
        ({"config": Config(connect_timeout=float("nan"))}, "ClientConfig.connect_timeout"),
        ({"aws_session_token": "token-read-from-a-file\n"}, "aws_session_token"),
        (
            {"config": Config(user_agent_extra="tool/1.0\r\nX-Injected: 1")},
            "ClientConfig.user_agent_extra",
        ),
    ],
    ids=repr,
)
def test_what_boto3_only_fails_on_when_sending_the_drop_in_refuses_at_creation(
    options: dict[str, Any], setting: str
) -> None:
    """boto3 creates these clients, then each call fails with ``HTTPClientError`` (quoting the
    token, or the signed Authorization header). The drop-in refuses them at once with
    ConfigurationError, a ValueError and a ``BotoCoreError`` like botocore's errors."""
    boto3.client("ecr", region_name="us-east-1", **{**KEYS, **options})
    got = refusal(lambda: ecrclient.client("ecr", region_name="us-east-1", **{**KEYS, **options}))
    assert isinstance(got, ConfigurationError) and isinstance(got, ValueError)
    assert got.setting == setting
    assert "token-read-from-a-file" not in str(got)
