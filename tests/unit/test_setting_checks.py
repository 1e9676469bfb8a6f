"""Settings that end up in every request are checked before any I/O: a bad one is refused with
ConfigurationError naming the setting, never quoting its value, and is never retried."""

from __future__ import annotations

import math
from typing import Any

import attrs
import pytest
from blocking import CLIENT_KINDS, make_client
from faultserver import FaultServer

from ecrclient import AwsCredentials, ClientConfig, ECRClient
from ecrclient._core.credentials import FrozenCredentials
from ecrclient.errors import ConfigurationError

SECRET_KEY = "wJalrXUtnFEMI-checked-secret-key-5e6f"
SESSION_TOKEN = "FwoGZXIvYXdzEJr-checked-session-token-7g8h"
KEYS = {"aws_access_key_id": "AKIDEXAMPLE", "aws_secret_access_key": SECRET_KEY}


def refusal(make: Any) -> ConfigurationError:
    with pytest.raises(ConfigurationError) as caught:
        make()
    return caught.value


@pytest.mark.parametrize(
    ("setting", "value", "problem"),
    [
        ("aws_session_token", SESSION_TOKEN + "\n", "ends with a line break"),
        ("aws_session_token", SESSION_TOKEN + "\r\nX-Injected: 1", "contains a line break"),
        ("aws_access_key_id", "AKIDEXAMPLE\n", "ends with a line break"),
        ("aws_access_key_id", " AKIDEXAMPLE", "begins or ends with whitespace"),
        ("aws_secret_access_key", SECRET_KEY + "\n", "ends with a line break"),
        ("aws_secret_access_key", SECRET_KEY + "é", "non-ASCII"),
        ("aws_session_token", SESSION_TOKEN + "\x00", "control character"),
    ],
)
@pytest.mark.parametrize("kind", CLIENT_KINDS)
def test_explicit_keys_an_http_header_cannot_carry_are_refused_at_creation(
    kind: str, setting: str, value: str, problem: str
) -> None:
    options: dict[str, Any] = {**KEYS, "aws_session_token": SESSION_TOKEN, setting: value}
    with FaultServer() as server:
        error = refusal(
            lambda: make_client(kind, region_name="us-east-1", endpoint_url=server.url, **options)
        )
        assert server.requests == []
    assert error.setting == setting
    assert str(error).startswith(f"{setting} cannot be used: it ")
    assert problem in str(error)
    for text in (str(error), repr(error)):
        assert value.strip() not in text
        assert SECRET_KEY not in text and SESSION_TOKEN not in text


def test_static_credentials_are_checked_at_creation_under_their_own_names() -> None:
    error = refusal(
        lambda: ECRClient(
            region_name="us-east-1",
            credentials=AwsCredentials("AKIDEXAMPLE", SECRET_KEY, SESSION_TOKEN + "\n"),
        )
    )
    assert error.setting == "credentials.session_token"
    assert SESSION_TOKEN not in str(error)


class RotatingProvider:
    """A provider whose keys change: the first are fine, the next carry a newline."""

    method = "custom-process"

    def __init__(self) -> None:
        self.handed_out = [
            FrozenCredentials("AKIDEXAMPLE", SECRET_KEY, SESSION_TOKEN),
            FrozenCredentials("AKIDEXAMPLE", SECRET_KEY, SESSION_TOKEN + "-2\n"),
        ]

    def get_frozen_credentials(self) -> FrozenCredentials:
        return self.handed_out[0] if len(self.handed_out) == 1 else self.handed_out.pop(0)


@pytest.mark.parametrize("kind", CLIENT_KINDS)
def test_keys_a_provider_hands_out_are_checked_when_they_change_and_not_retried(
    kind: str,
) -> None:
    with FaultServer() as server:
        client = make_client(
            kind, region_name="us-east-1", endpoint_url=server.url, credentials=RotatingProvider()
        )
        with client:
            client.describe_registry()  # the first keys are sendable
            assert len(server.requests) == 1
            error = refusal(client.describe_registry)
            assert len(server.requests) == 1  # nothing sent, nothing retried
    assert error.setting == "the session token from the credential provider (custom-process)"
    assert SESSION_TOKEN not in str(error) and SESSION_TOKEN not in repr(error)
    assert getattr(error, "retry_attempts", 0) == 0


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("connect_timeout", "5", "must be a number of seconds or None, got a str"),
        ("read_timeout", True, "must be a number of seconds or None, got a bool"),
        ("write_timeout", -1, "must be positive, got -1"),
        ("pool_timeout", 0, "must be positive, got 0"),
        ("connect_timeout", math.nan, "must be a finite number of seconds"),
        ("read_timeout", math.inf, "(None for no limit), got inf"),
        ("total_deadline", math.nan, "must be a finite number of seconds"),
        ("total_deadline", math.inf, "(None for no limit), got inf"),
        ("total_deadline", -0.5, "must be positive, got -0.5"),
        ("total_deadline", "10", "got a str"),
        ("max_pool_connections", 0, "must be at least 1, got 0"),
        ("max_pool_connections", 2.5, "must be a whole number, got a float"),
        ("max_attempts", "3", "must be a whole number, got a str"),
        ("max_attempts", 0, "must be at least 1, got 0"),
        ("max_response_bytes", True, "must be a whole number, got a bool"),
        ("parameter_validation", "no", "must be True or False, got a str"),
        ("retry_quota_errors", 1, "must be True or False, got a int"),
        ("honour_retry_after", None, "must be True or False, got a NoneType"),
        ("user_agent_appid", 7, "must be a string or None, got a int"),
        ("verify", 1.0, "must be True, False, a CA bundle's path or None, got a float"),
        ("user_agent_extra", "tool/1.0\r\nX-Injected: yes", "contains a line break"),
        ("user_agent_extra", "outil/1.0 café", "non-ASCII"),
        ("user_agent_extra", 3, "must be a string, got a int"),
    ],
)
def test_client_config_refuses_a_bad_field_naming_it(field: str, value: Any, says: str) -> None:
    error = refusal(lambda: ClientConfig(**{field: value}))
    assert error.setting == f"ClientConfig.{field}"
    assert str(error).startswith(f"ClientConfig.{field} ")
    assert says in str(error)
    assert isinstance(error, ValueError)
    # A changed copy is checked too.
    assert isinstance(refusal(lambda: attrs.evolve(ClientConfig(), **{field: value})), ValueError)


def test_with_options_checks_what_it_changes() -> None:
    client = ECRClient(region_name="us-east-1", **KEYS)
    error = refusal(lambda: client.with_options(total_deadline=math.nan))
    assert error.setting == "ClientConfig.total_deadline"


def test_good_client_config_values_stand() -> None:
    config = ClientConfig(
        connect_timeout=5,
        read_timeout=None,
        total_deadline=0.25,
        max_attempts=None,
        user_agent_extra="tool/1.0 (linux)\tx",
        user_agent_appid="any text: sent with - for what a token cannot carry\n",
        verify="/etc/ssl/certs/ca-certificates.crt",
    )
    assert config.connect_timeout == 5 and config.total_deadline == 0.25


@pytest.mark.parametrize(
    ("endpoint", "problem"),
    [
        ("localhost:4566", "must start with http:// or https://"),
        ("127.0.0.1:4566", "must start with http:// or https://"),
        ("ftp://ecr.example.com", "must start with http:// or https://"),
        ("http://", "must start with http:// or https://"),
        ("http://exa mple.com", "whitespace"),
        ("http://example.com\n", "whitespace"),
        ("https://ecr.exämple.com", "non-ASCII"),
        ("https://under_score.example.com", "host is not a valid host name"),
        ("https://ecr.example.com:99999", "port is not a number"),
        ("https://[::zz]:4566", "host is not a valid host name or IP address"),
    ],
)
def test_an_endpoint_url_the_client_cannot_use_is_refused_at_creation(
    endpoint: str, problem: str
) -> None:
    error = refusal(lambda: ECRClient(region_name="us-east-1", endpoint_url=endpoint, **KEYS))
    assert error.setting == "endpoint_url"
    assert str(error).startswith("endpoint_url is not a usable endpoint URL: ")
    assert problem in str(error)


def test_the_configured_endpoint_is_checked_and_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_ECR", "http://user:hunter2-password@local host:4566")
    error = refusal(lambda: ECRClient(region_name="us-east-1", **KEYS))
    assert "AWS_ENDPOINT_URL_ECR" in str(error)
    assert "hunter2" not in str(error)


@pytest.mark.parametrize(
    "endpoint",
    [
        "http://localhost:4566",
        "https://ecr.us-east-1.amazonaws.com",
        "http://[::1]:4566/",
        "http://user:pass@127.0.0.1:4566",
        "https://example.com.",
    ],
)
def test_usable_endpoints_are_accepted(endpoint: str) -> None:
    assert (
        ECRClient(region_name="us-east-1", endpoint_url=endpoint, **KEYS).endpoint_url == endpoint
    )
