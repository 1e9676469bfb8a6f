"""``client.meta.events`` on the drop-in: each supported event, registered with the same handler
on boto3's client and on ecrclient's, against the same scripted server (boto3 is the oracle)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import botocore.exceptions
import pytest
from botocore.awsrequest import AWSResponse, HeadersDict
from botocore.config import Config
from faultserver import FaultServer, Json

import ecrclient
from ecrclient.compat.events import UnsupportedEventError

KEYS = {"aws_access_key_id": "AKIDEXAMPLE", "aws_secret_access_key": "secret"}
REPOS = {"repositories": [{"repositoryName": "web", "registryId": "123456789012"}]}


@pytest.fixture
def server() -> Iterator[FaultServer]:
    with FaultServer(default=Json(200, REPOS)) as fault_server:
        yield fault_server


def both(server: FaultServer, **extra: Any) -> list[Any]:
    options = {"region_name": "us-east-1", "endpoint_url": server.url, **KEYS, **extra}
    return [boto3.client("ecr", **options), ecrclient.client("ecr", **options)]


def run_both(
    server: FaultServer,
    event: str,
    handler_for: Callable[[list[Any]], Callable[..., Any]],
    call: Callable[[Any], Any],
) -> list[tuple[Any, list[Any], list[Any]]]:
    """For each client: (outcome, what the handler saw, the requests the server received)."""
    outcomes = []
    for client in both(server):
        seen: list[Any] = []
        client.meta.events.register(event, handler_for(seen))
        before = len(server.requests)
        try:
            outcome: Any = call(client)
            outcome.pop("ResponseMetadata", None)
        except Exception as exc:
            outcome = exc
        outcomes.append((outcome, seen, server.requests[before:]))
    return outcomes


def test_provide_client_params_replaces_the_params(server: FaultServer) -> None:
    def handler_for(seen: list[Any]) -> Callable[..., Any]:
        def handler(params: dict[str, Any], model: Any, context: dict[str, Any], **_: Any) -> Any:
            seen.append((sorted(params), model.name, "client_region" in context))
            return {**params, "maxResults": 7}

        return handler

    (ours, ours_seen, ours_sent), (theirs, theirs_seen, theirs_sent) = reversed(
        run_both(
            server,
            "provide-client-params.ecr.DescribeRepositories",
            handler_for,
            lambda c: c.describe_repositories(registryId="123456789012"),
        )
    )
    assert ours == theirs
    assert ours_seen == theirs_seen
    assert json.loads(ours_sent[0].body) == json.loads(theirs_sent[0].body)
    assert json.loads(ours_sent[0].body)["maxResults"] == 7


def test_before_parameter_build_mutates_in_place(server: FaultServer) -> None:
    def handler_for(seen: list[Any]) -> Callable[..., Any]:
        def handler(params: dict[str, Any], **kwargs: Any) -> None:
            seen.append(sorted(kwargs))
            params["maxResults"] = 3

        return handler

    (a, a_seen, a_sent), (b, b_seen, b_sent) = run_both(
        server, "before-parameter-build.ecr", handler_for, lambda c: c.describe_repositories()
    )
    assert a == b and a_seen == b_seen
    assert json.loads(a_sent[0].body) == json.loads(b_sent[0].body) == {"maxResults": 3}


def test_before_call_can_short_circuit(server: FaultServer) -> None:
    def handler_for(seen: list[Any]) -> Callable[..., Any]:
        def handler(model: Any, params: dict[str, Any], context: dict[str, Any], **_: Any) -> Any:
            seen.append(
                (model.name, params["method"], params["url_path"], json.loads(params["body"]))
            )
            http = AWSResponse("https://x", 200, HeadersDict({}), None)
            return http, {"repositories": [{"repositoryName": "cached"}]}

        return handler

    (a, a_seen, a_sent), (b, b_seen, b_sent) = run_both(
        server, "before-call.ecr.*", handler_for, lambda c: c.describe_repositories()
    )
    assert a == b == {"repositories": [{"repositoryName": "cached"}]}
    assert a_seen == b_seen
    assert a_sent == b_sent == []


def test_a_header_added_before_sign_is_sent_and_signed(server: FaultServer) -> None:
    def handler_for(seen: list[Any]) -> Callable[..., Any]:
        def handler(
            request: Any, signing_name: str, region_name: str, operation_name: str, **_: Any
        ) -> None:
            seen.append((signing_name, region_name, operation_name))
            request.headers["X-Audit"] = "team-a"

        return handler

    (a, a_seen, a_sent), (b, b_seen, b_sent) = run_both(
        server,
        "before-sign.ecr.DescribeRepositories",
        handler_for,
        lambda c: c.describe_repositories(),
    )
    assert a == b and a_seen == b_seen
    for sent in (a_sent[0], b_sent[0]):
        assert sent.headers["x-audit"] == "team-a"
        assert "x-audit" in sent.headers["authorization"].split("SignedHeaders=")[1]


def test_before_send_can_replace_the_exchange(server: FaultServer) -> None:
    def handler_for(seen: list[Any]) -> Callable[..., Any]:
        def handler(request: Any, **_: Any) -> Any:
            seen.append((request.method, request.headers["X-Amz-Target"]))
            body = json.dumps({"repositories": [{"repositoryName": "from-handler"}]}).encode()
            response = AWSResponse(request.url, 200, HeadersDict({"x-amzn-requestid": "h"}), None)
            response._content = body
            return response

        return handler

    (a, a_seen, a_sent), (b, b_seen, b_sent) = run_both(
        server, "before-send", handler_for, lambda c: c.describe_repositories()
    )
    assert a == b == {"repositories": [{"repositoryName": "from-handler"}]}
    assert a_seen == b_seen
    assert a_sent == b_sent == []


def test_after_call_sees_the_parsed_dict(server: FaultServer) -> None:
    def handler_for(seen: list[Any]) -> Callable[..., Any]:
        def handler(http_response: Any, parsed: dict[str, Any], model: Any, **_: Any) -> None:
            seen.append(
                (
                    http_response.status_code,
                    {k: v for k, v in parsed.items() if k != "ResponseMetadata"},
                    model.name,
                )
            )

        return handler

    (a, a_seen, _), (b, b_seen, _) = run_both(
        server,
        "after-call.ecr.DescribeRepositories",
        handler_for,
        lambda c: c.describe_repositories(),
    )
    assert a == b
    assert a_seen == b_seen == [(200, REPOS, "DescribeRepositories")]


def _recorder(seen: list[Any]) -> Callable[..., None]:
    def handler(exception: BaseException, context: Any, **_: Any) -> None:
        seen.append(type(exception))

    return handler


def test_after_call_error_on_a_network_failure() -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    results = []
    for make in (boto3.client, ecrclient.client):
        seen: list[Any] = []
        client = make(
            "ecr",
            region_name="us-east-1",
            endpoint_url=f"http://127.0.0.1:{port}",
            config=Config(retries={"max_attempts": 0}),
            **KEYS,
        )
        client.meta.events.register("after-call-error", _recorder(seen))
        with pytest.raises(botocore.exceptions.EndpointConnectionError):
            client.describe_repositories()
        results.append(seen)
    assert len(results[0]) == len(results[1]) == 1
    assert issubclass(results[1][0], results[0][0])


def test_unregister_and_unsupported_events(server: FaultServer) -> None:
    client = both(server)[1]
    calls: list[str] = []

    def handler(**_: Any) -> None:
        calls.append("called")

    client.meta.events.register("before-call.ecr.DescribeRepositories", handler)
    client.describe_repositories()
    client.meta.events.unregister("before-call.ecr.DescribeRepositories", handler)
    client.describe_repositories()
    assert calls == ["called"]
    with pytest.raises(UnsupportedEventError, match="supported events are provide-client-params"):
        client.meta.events.register("needs-retry.ecr", handler)
    with pytest.raises(UnsupportedEventError):
        client.meta.events.register("before-call.s3", handler)
