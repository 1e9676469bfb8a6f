"""Interceptors and metrics, on the sync and async clients alike."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any

import httpx
import pytest
import respx
from blocking import MOCKABLE_CLIENT_KINDS, make_client
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import ReadOnlyCredentials

from ecrclient import ClientConfig
from ecrclient.errors import EndpointConnectionError, RepositoryNotFoundException, ServerException
from ecrclient.interceptors import Interceptor, InterceptorContext, InterceptorError
from ecrclient.metrics import AggregatingCollector, CallMetrics
from ecrclient.model import DescribeRegistryResult

ENDPOINT = "https://ecr.hooks.example"
OK = {"registryId": "123456789012"}
FIXED = datetime(2026, 3, 4, 5, 6, 7, tzinfo=timezone.utc)

HOOK_ORDER_ONE_ATTEMPT = [
    "read_before_attempt",
    "modify_before_signing",
    "read_before_signing",
    "read_after_signing",
    "modify_before_transmit",
    "read_before_transmit",
    "read_after_transmit",
    "modify_before_deserialization",
    "read_before_deserialization",
    "read_after_deserialization",
    "modify_before_attempt_completion",
    "read_after_attempt",
]
BEFORE_LOOP = [
    "read_before_execution",
    "modify_before_serialization",
    "read_before_serialization",
    "read_after_serialization",
    "modify_before_retry_loop",
]
AFTER_LOOP = ["modify_before_completion", "read_after_execution"]


class Recorder(Interceptor):
    """Records every hook it sees, in order."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def __getattribute__(self, name: str) -> Any:
        attribute = object.__getattribute__(self, name)
        if name.startswith(("read_", "modify_")):
            seen = object.__getattribute__(self, "seen")

            def hook(context: InterceptorContext) -> Any:
                seen.append(name)
                return attribute(context)

            return hook
        return attribute


@pytest.fixture(params=MOCKABLE_CLIENT_KINDS)
def client(request: pytest.FixtureRequest) -> Iterator[Any]:
    with make_client(
        request.param,
        region_name="us-east-1",
        endpoint_url=ENDPOINT,
        aws_access_key_id="AKID",
        aws_secret_access_key="secret",
    ) as ecr:
        ecr._sleep = lambda seconds: None
        yield ecr


def respond(*responses: httpx.Response) -> Any:
    router = respx.mock(assert_all_called=False)
    router.post(f"{ENDPOINT}/").mock(side_effect=list(responses))
    return router


def test_hook_order_for_a_successful_call(client: Any) -> None:
    recorder = Recorder()
    client.add_interceptor(recorder)
    with respond(httpx.Response(200, json=OK)):
        client.describe_registry()
    assert recorder.seen == BEFORE_LOOP + HOOK_ORDER_ONE_ATTEMPT + AFTER_LOOP


def test_hook_order_for_a_retried_call(client: Any) -> None:
    recorder = Recorder()
    client.add_interceptor(recorder)
    with respond(
        httpx.Response(500, json={"__type": "ServerException"}), httpx.Response(200, json=OK)
    ):
        client.describe_registry()
    assert recorder.seen == BEFORE_LOOP + HOOK_ORDER_ONE_ATTEMPT * 2 + AFTER_LOOP


def test_hook_order_for_a_failed_call_and_a_failed_send(client: Any) -> None:
    recorder = Recorder()
    client.add_interceptor(recorder)
    with (
        respond(httpx.Response(400, json={"__type": "RepositoryNotFoundException"})),
        pytest.raises(RepositoryNotFoundException),
    ):
        client.describe_registry()
    assert recorder.seen == BEFORE_LOOP + HOOK_ORDER_ONE_ATTEMPT + AFTER_LOOP
    recorder.seen.clear()
    unreachable = client.with_options(max_attempts=1)
    with respond(httpx.ConnectError("refused")), pytest.raises(EndpointConnectionError):
        unreachable.describe_registry()
    sent_but_no_answer = [
        h for h in HOOK_ORDER_ONE_ATTEMPT if "transmit" not in h or h.endswith("before_transmit")
    ]
    no_response = [
        h
        for h in sent_but_no_answer
        if "deserialization" not in h or h == "read_after_deserialization"
    ]
    assert recorder.seen == BEFORE_LOOP + no_response + AFTER_LOOP


class AddHeader(Interceptor):
    def modify_before_signing(self, context: InterceptorContext) -> Any:
        assert context.http_request is not None
        context.http_request.headers["X-Trace-Id"] = "trace-123"
        return context.http_request


def test_a_header_added_before_signing_is_signed(client: Any) -> None:
    client.add_interceptor(AddHeader())
    client._pipeline.clock = lambda: FIXED
    with respond(httpx.Response(200, json=OK)) as router:
        client.describe_registry()
        sent = router.calls.last.request
    assert sent.headers["x-trace-id"] == "trace-123"
    assert "x-trace-id" in sent.headers["authorization"].split("SignedHeaders=")[1]
    # botocore, signing the same request at the same instant, produces the same signature.
    names = (
        "x-amz-target",
        "content-type",
        "user-agent",
        "amz-sdk-invocation-id",
        "amz-sdk-request",
        "x-trace-id",
    )
    oracle = AWSRequest(
        method="POST",
        url=str(sent.url),
        headers={n: v for n, v in sent.headers.items() if n.lower() in names},
        data=sent.content,
    )
    from unittest import mock

    with mock.patch("botocore.auth.get_current_datetime", return_value=FIXED.replace(tzinfo=None)):
        SigV4Auth(ReadOnlyCredentials("AKID", "secret", None), "ecr", "us-east-1").add_auth(oracle)
    assert sent.headers["authorization"] == oracle.headers["Authorization"]


class ReplaceResult(Interceptor):
    def modify_before_completion(self, context: InterceptorContext) -> Any:
        return DescribeRegistryResult(registry_id="replaced"), None


class SwallowNotFound(Interceptor):
    def modify_before_attempt_completion(self, context: InterceptorContext) -> Any:
        if isinstance(context.error, RepositoryNotFoundException):
            return DescribeRegistryResult(registry_id="recovered"), None
        return context.result, context.error


def test_replaced_results_reach_the_caller(client: Any) -> None:
    client.add_interceptor(ReplaceResult())
    with respond(httpx.Response(200, json=OK)):
        assert client.describe_registry().registry_id == "replaced"
    client.remove_interceptor(client.interceptors[0])
    client.add_request_handler(SwallowNotFound())  # the Java spelling
    with respond(httpx.Response(400, json={"__type": "RepositoryNotFoundException"})):
        assert client.describe_registry().registry_id == "recovered"


class Broken(Interceptor):
    def read_before_transmit(self, context: InterceptorContext) -> None:
        raise RuntimeError("boom")


def test_a_raising_hook_gives_a_clear_error_naming_it(client: Any) -> None:
    client.add_interceptor(Broken())
    with respond(httpx.Response(200, json=OK)), pytest.raises(InterceptorError) as info:
        client.describe_registry()
    assert str(info.value) == "interceptor Broken.read_before_transmit raised RuntimeError: boom"
    assert isinstance(info.value.__cause__, RuntimeError)


def test_per_call_interceptors_through_with_options(client: Any) -> None:
    recorder = Recorder()
    traced = client.with_options(interceptors=[recorder])
    with respond(httpx.Response(200, json=OK), httpx.Response(200, json=OK)):
        client.describe_registry()
        assert recorder.seen == []
        traced.describe_registry()
    assert recorder.seen[0] == "read_before_execution"
    client.remove_request_handler(recorder)  # not registered on the original: a no-op


class ListCollector:
    def __init__(self) -> None:
        self.calls: list[CallMetrics] = []

    def collect(self, metrics: CallMetrics) -> None:
        self.calls.append(metrics)


def test_metrics_per_call(client: Any) -> None:
    collector = ListCollector()
    aggregate = AggregatingCollector()
    client.add_metric_collector(collector)
    client.add_metric_collector(aggregate)
    with respond(
        httpx.Response(500, json={"__type": "ServerException"}),
        httpx.Response(503, json={"__type": "ServiceUnavailable"}),
        httpx.Response(200, json=OK),
        httpx.Response(400, json={"__type": "RepositoryNotFoundException"}),
    ):
        client.describe_registry()
        with pytest.raises(RepositoryNotFoundException):
            client.describe_registry()
    retried, failed = collector.calls
    assert retried.operation == "DescribeRegistry"
    assert [a.status_code for a in retried.attempts] == [500, 503, 200]
    assert [a.error_code for a in retried.attempts] == [
        "ServerException",
        "ServiceUnavailable",
        None,
    ]
    assert retried.error_code is None and failed.error_code == "RepositoryNotFoundException"
    for call in collector.calls:
        parts = [call.serialization] + [
            a.signing + a.transmit + (a.parsing or 0.0) for a in call.attempts
        ]
        assert all(p >= 0 for p in parts)
        assert all(a.signing >= 0 and a.transmit >= 0 for a in call.attempts)
        assert sum(parts) <= call.total
    stats = aggregate.snapshot()["DescribeRegistry"]
    assert (stats.calls, stats.errors, stats.attempts) == (2, 1, 4)
    assert stats.error_codes == {"RepositoryNotFoundException": 1}


def test_metrics_for_a_failed_send(client: Any) -> None:
    collector = ListCollector()
    unreachable = client.with_options(max_attempts=2, metric_collector=collector)
    with (
        respond(httpx.ConnectError("refused"), httpx.ConnectError("refused")),
        pytest.raises(EndpointConnectionError),
    ):
        unreachable.describe_registry()
    (call,) = collector.calls
    assert [a.status_code for a in call.attempts] == [None, None]
    assert [a.parsing for a in call.attempts] == [None, None]
    assert call.error_code == "EndpointConnectionError"


def test_no_interceptor_means_no_hook_work(client: Any) -> None:
    assert client.interceptors == ()
    with respond(httpx.Response(200, json=OK)):
        result = client.describe_registry()
    assert result.registry_id == "123456789012"
    assert client.with_options(max_attempts=2).interceptors == ()
    assert isinstance(ClientConfig(), ClientConfig)


def test_a_server_fault_passes_through_hooks_unchanged(client: Any) -> None:
    client.add_interceptor(Recorder())
    with (
        respond(*[httpx.Response(500, json={"__type": "ServerException"})] * 3),
        pytest.raises(ServerException) as info,
    ):
        client.describe_registry()
    assert info.value.response_metadata.max_attempts_reached is True
