"""Logging: DEBUG tells each attempt and retry decision, INFO stays silent for normal calls,
and no secret ever appears in a log line, repr, str or exception message."""

from __future__ import annotations

import base64
import json
import logging
from typing import Any

import httpx
import pytest
import respx
from blocking import CLIENT_KINDS, make_client

import ecrclient
from ecrclient import AwsCredentials, ClientConfig, ECRClient
from ecrclient._core.credentials import FrozenCredentials
from ecrclient.errors import MalformedResponseError, ServerException

ENDPOINT = "https://ecr.logging.example"
SECRET_KEY = "wJalrXUtnFEMI-very-secret-key-9f8e7d"
SESSION_TOKEN = "FwoGZXIvYXdzEJr-session-token-value-1a2b3c"
DOCKER_PASSWORD = "docker-password-4d5e6f-never-print"
TOKEN = base64.b64encode(f"AWS:{DOCKER_PASSWORD}".encode()).decode()
SECRETS = [SECRET_KEY, SESSION_TOKEN, DOCKER_PASSWORD, TOKEN]


def token_body() -> dict[str, object]:
    return {
        "authorizationData": [
            {
                "authorizationToken": TOKEN,
                "expiresAt": 1900000000,
                "proxyEndpoint": "https://123456789012.dkr.ecr.us-east-1.amazonaws.com",
            }
        ]
    }


def test_no_secret_in_logs_reprs_or_errors_during_a_full_scenario(
    caplog: pytest.LogCaptureFixture,
) -> None:
    client = ECRClient(
        region_name="us-east-1",
        endpoint_url=ENDPOINT,
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key=SECRET_KEY,
        aws_session_token=SESSION_TOKEN,
        config=ClientConfig(max_attempts=2),
        transport="httpx",  # respx intercepts httpx only
    )
    client._sleep = lambda seconds: None
    seen: list[str] = [repr(client)]
    with caplog.at_level(logging.DEBUG), respx.mock() as router:
        route = router.post(f"{ENDPOINT}/")
        route.side_effect = [
            httpx.Response(500, json={"__type": "ServerException", "message": "blip"}),
            httpx.Response(200, json=token_body()),
            httpx.Response(500, json={"__type": "ServerException", "message": "down"}),
            httpx.Response(500, json={"__type": "ServerException", "message": "down"}),
            httpx.Response(200, content=json.dumps(token_body()).encode()[:90]),
        ]
        result = client.get_authorization_token()
        seen += [repr(result), str(result), repr(result.authorization_data)]
        with pytest.raises(ServerException) as fault:
            client.get_authorization_token()
        seen += [str(fault.value), repr(fault.value), json.dumps(fault.value.response, default=str)]
        with pytest.raises(MalformedResponseError) as malformed:
            client.with_options(max_attempts=1).get_authorization_token()
        seen += [str(malformed.value), repr(malformed.value)]
        sent = [call.request for call in route.calls]
    # The signed requests did carry the session token: the checks below are not vacuous.
    assert all(r.headers["x-amz-security-token"] == SESSION_TOKEN for r in sent)
    assert result.authorization_data[0].authorization_token == TOKEN
    assert "authorizationToken" in str(malformed.value)
    seen += [record.getMessage() for record in caplog.records]
    seen += [repr(record.args) for record in caplog.records]
    for text in seen:
        for secret in SECRETS:
            assert secret not in text


def test_debug_shows_each_attempt_and_info_is_silent(caplog: pytest.LogCaptureFixture) -> None:
    client = ECRClient(
        region_name="us-east-1",
        endpoint_url=ENDPOINT,
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key=SECRET_KEY,
        transport="httpx",  # respx intercepts httpx only
    )
    client._sleep = lambda seconds: None
    with caplog.at_level(logging.INFO, logger="ecrclient"), respx.mock() as router:
        router.post(f"{ENDPOINT}/").respond(200, json={}, headers={"x-amzn-RequestId": "r-1"})
        client.describe_registry()
    assert [r for r in caplog.records if r.name.startswith("ecrclient")] == []
    caplog.clear()
    with caplog.at_level(logging.DEBUG, logger="ecrclient"), respx.mock() as router:
        router.post(f"{ENDPOINT}/").mock(
            side_effect=[
                httpx.Response(503, json={"__type": "ServiceUnavailable"}),
                httpx.Response(200, json={}, headers={"x-amzn-RequestId": "r-2"}),
            ]
        )
        client.describe_registry()
    lines = [(r.name, r.getMessage()) for r in caplog.records if r.name.startswith("ecrclient")]
    assert [name for name, _ in lines] == ["ecrclient.http", "ecrclient.retries", "ecrclient.http"]
    first, decision, last = (message for _, message in lines)
    assert first.startswith(f"DescribeRegistry attempt 1/3: POST {ENDPOINT} -> HTTP 503 in ")
    assert "retrying in" in decision
    assert last.startswith(f"DescribeRegistry attempt 2/3: POST {ENDPOINT} -> HTTP 200 in ")
    assert last.endswith("(request id r-2)")


def test_credentials_reprs_hide_secrets() -> None:
    frozen = FrozenCredentials("AKIDEXAMPLE", SECRET_KEY, SESSION_TOKEN)
    static = AwsCredentials("AKIDEXAMPLE", SECRET_KEY, SESSION_TOKEN)
    for text in (repr(frozen), str(frozen), repr(static), str(static)):
        assert SECRET_KEY not in text and SESSION_TOKEN not in text
        assert "AKIDEXAMPLE" in text


@pytest.mark.parametrize("kind", [*CLIENT_KINDS, "drop-in"])
def test_a_normal_call_logs_nothing_at_info_on_any_logger(
    kind: str, moto_endpoint: str, caplog: pytest.LogCaptureFixture
) -> None:
    """Not ecrclient's loggers, and not those of the HTTP libraries under it."""
    options: dict[str, Any] = {
        "region_name": "us-east-1",
        "endpoint_url": moto_endpoint,
        "aws_access_key_id": "AKIDEXAMPLE",
        "aws_secret_access_key": SECRET_KEY,
    }
    with caplog.at_level(logging.INFO):
        if kind == "drop-in":
            ecrclient.client("ecr", **options).describe_repositories()
        else:
            with make_client(kind, **options) as client:
                client.describe_repositories()
    server_side = ("werkzeug", "moto")  # the test server's own request log
    assert [
        (r.name, r.getMessage()) for r in caplog.records if not r.name.startswith(server_side)
    ] == []
