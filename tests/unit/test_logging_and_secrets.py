"""Logging: DEBUG tells each attempt and retry decision, INFO stays silent for normal calls,
and no secret ever appears in a log line, repr, str or exception message."""

from __future__ import annotations

import base64
import json
import logging
import traceback
from typing import Any

import attrs
import httpx
import pytest
import respx
from blocking import CLIENT_KINDS, make_client
from faultserver import (
    Action,
    AwsError,
    FaultServer,
    Json,
    ResetAfterRead,
    ResetBeforeRead,
    Respond,
    Throttle,
    Truncated,
)

import ecrclient
from ecrclient import AwsCredentials, ClientConfig, ECRClient
from ecrclient._core.credentials import FrozenCredentials
from ecrclient._core.interceptors import READ_HOOKS, InterceptorContext
from ecrclient._core.messages import HttpRequest
from ecrclient.errors import MalformedResponseError, ServerException

ENDPOINT = "https://ecr.logging.example"
SECRET_KEY = "wJalrXUtnFEMI-very-secret-key-9f8e7d"
SESSION_TOKEN = "FwoGZXIvYXdzEJr-session-token-value-1a2b3c"
DOCKER_PASSWORD = "docker-password-4d5e6f-never-print"
TOKEN = base64.b64encode(f"AWS:{DOCKER_PASSWORD}".encode()).decode()
SECRETS = [SECRET_KEY, SESSION_TOKEN, DOCKER_PASSWORD, TOKEN]
GARBAGE = (
    b'<html>not json; {"authorizationToken": "' + TOKEN.encode() + b'", '
    b'"password": "' + DOCKER_PASSWORD.encode() + b'"}</html>'
)


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


# -- the sweep: every outcome, every client, nothing secret anywhere ----------------------------

ENDPOINT_PASSWORD = "endpoint-password-7a8b9c-in-the-url"


class ReprEverything:
    """An interceptor keeping the ``repr`` of the context, and of each of its fields, at every
    hook it reads."""

    def __init__(self, seen: list[str]) -> None:
        self.seen = seen
        for hook in READ_HOOKS:
            setattr(self, hook, self.capture)

    def capture(self, context: InterceptorContext) -> None:
        self.seen.append(repr(context))
        self.seen += [
            repr(getattr(context, name))
            for name in attrs.fields_dict(type(context))
            # The drop-in's result is boto3's answer, a plain dict: the data itself, as the
            # call returns it (the context's own repr, above, must still hide its secrets).
            if not (name == "result" and isinstance(context.result, dict))
        ]
        self.seen.append(str(context.error))


class BreakTheTokenHeader:
    """An interceptor that puts a value no HTTP header can carry (the session token with its
    newline) into the request after signing: the HTTP library refuses it, quoting it."""

    def modify_before_transmit(self, context: InterceptorContext) -> HttpRequest:
        request = context.http_request
        assert request is not None
        request.headers["X-Amz-Security-Token"] = SESSION_TOKEN + "\n"
        return request


def exception_texts(error: BaseException) -> list[str]:
    """``str`` and ``repr`` of ``error`` and of every exception chained to it, and the whole
    formatted traceback."""
    texts = ["".join(traceback.format_exception(error))]
    seen: set[int] = set()
    pending: list[BaseException | None] = [error]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        texts += [str(current), repr(current), repr(getattr(current, "kwargs", None))]
        texts += [repr(value) for value in vars(current).values()]
        pending += [current.__cause__, current.__context__]
    return texts


SWEEP_SCRIPT: list[tuple[str, list[Action], int]] = [
    ("success", [Json(200, token_body())], 0),
    ("service error", [AwsError(400, "AccessDeniedException", "no")], 0),
    ("throttled, then garbage", [Throttle(), Respond(200, body=GARBAGE)], 0),
    ("server error garbage", [Respond(500, body=GARBAGE)] * 2, 0),
    ("resets", [ResetAfterRead(), ResetBeforeRead()], 0),
    ("truncated", [Truncated(body=GARBAGE[:60])] * 2, 0),
    ("a header the HTTP library refuses", [], 1),
]


def sweep_client(kind: str, url: str, seen: list[str]) -> Any:
    """A client of ``kind`` with fake secrets, whose endpoint carries a password, with an
    interceptor keeping every context ``repr``."""
    options: dict[str, Any] = {
        "region_name": "us-east-1",
        "endpoint_url": url.replace("http://", f"http://someone:{ENDPOINT_PASSWORD}@"),
        "aws_access_key_id": "AKIDEXAMPLE",
        "aws_secret_access_key": SECRET_KEY,
        "aws_session_token": SESSION_TOKEN,
    }
    if kind == "drop-in":
        from botocore.config import Config

        client = ecrclient.client("ecr", config=Config(retries={"max_attempts": 2}), **options)
        client.typed.add_interceptor(ReprEverything(seen))
        client.typed._sleep = lambda seconds: None
        return client
    client = make_client(kind, config=ClientConfig(max_attempts=2), **options)
    client.add_interceptor(ReprEverything(seen))
    client._sleep = lambda seconds: None
    return client


@pytest.mark.parametrize("kind", [*CLIENT_KINDS, "drop-in"])
def test_no_secret_anywhere_in_success_and_every_kind_of_failure(
    kind: str, caplog: pytest.LogCaptureFixture
) -> None:
    seen: list[str] = []
    outcomes: list[str] = []
    with FaultServer(default=ResetAfterRead()) as server, caplog.at_level(logging.DEBUG):
        client = sweep_client(kind, server.url, seen)
        seen.append(repr(client))
        for name, script, refusing_interceptors in SWEEP_SCRIPT:
            server.script(script)
            call = client if kind != "drop-in" else client.typed
            breaker = BreakTheTokenHeader() if refusing_interceptors else None
            if breaker is not None:
                call.add_interceptor(breaker)
            sent_before = len(server.requests)
            try:
                result = client.get_authorization_token()
            except Exception as error:
                outcomes.append(f"{name}: {type(error).__name__}")
                seen += exception_texts(error)
            else:
                outcomes.append(f"{name}: ok")
                if kind == "drop-in":  # boto3's answer is the data itself, a plain dict
                    token = result["authorizationData"][0]["authorizationToken"]
                    assert token == TOKEN
                else:
                    seen += [repr(result), str(result)]
            finally:
                if breaker is not None:
                    call.remove_interceptor(breaker)
            if refusing_interceptors:
                # Refused before sending: nothing reached the server, and nothing was retried.
                assert len(server.requests) == sent_before, name
        signatures = [r.headers["authorization"] for r in server.requests]
        client.close()
    seen += [record.getMessage() for record in caplog.records]
    seen += [repr(record.args) for record in caplog.records]
    seen += [
        "".join(traceback.format_exception(*record.exc_info))
        for record in caplog.records
        if record.exc_info
    ]
    # Not vacuous: the server did receive the token and signatures, every outcome happened,
    # the request reprs were captured, and the failures were logged.
    assert signatures and all(
        r.headers["x-amz-security-token"] == SESSION_TOKEN for r in server.requests
    )
    assert [outcome.split(":")[0] for outcome in outcomes] == [s[0] for s in SWEEP_SCRIPT]
    assert outcomes[0] == "success: ok" and all("ok" not in o for o in outcomes[1:]), outcomes
    assert any("HttpRequest(" in text and "X-Amz-Security-Token" in text for text in seen)
    assert any("failed (" in record.getMessage() for record in caplog.records)
    forbidden = [*SECRETS, ENDPOINT_PASSWORD]
    forbidden += [header.rsplit("Signature=", 1)[1] for header in signatures]
    forbidden += signatures
    for text in seen:
        for secret in forbidden:
            assert secret not in text, (secret, text[:500])
