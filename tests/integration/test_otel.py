"""ecrclient.otel against its oracle: the spans ``opentelemetry-instrumentation-botocore`` makes
for boto3.

boto3 runs under the botocore instrumentation, and every ecrclient client kind under
``EcrClientInstrumentor``, into one in-memory exporter; each scenario — a success and a fault
against a moto server, retried calls and a failure without an answer against the fault server —
runs with boto3 first, and each kind's span must then equal boto3's in name, kind, attributes,
status and events. Nothing is typed by hand: the expected values are what boto3's span holds.

Deliberate differences, and only these, are taken out before comparing (:func:`comparable`):

- the instrumentation scope (``ecrclient.otel``, not ``opentelemetry.instrumentation.botocore``);
- ``aws.request_id``: a fresh id per answer; both must carry one where boto3's does;
- the ``exception.type`` of a recorded fault: ecrclient's class (``ecrclient.errors.<Code>``,
  or ``AmazonECRException`` for a code the model does not know), not botocore's
  (``botocore.errorfactory.<Code>``, ``ClientError``); and the stack trace;
- the ``ecr.retry`` events, ecrclient's own (checked on their own below);
- a failure without an answer: the status text and the recorded exception are ecrclient's
  network error (``could not connect calling ...``), not botocore's wording.

Trace context: every request carries ``X-Amzn-Trace-Id`` with the span's ids, as boto3's do;
with httpx instrumented too, each attempt is an HTTP span under the call's span and the
``traceparent`` it sends names that HTTP span. The aiohttp transport is left out of that check:
the test environment has no aiohttp instrumentation.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import botocore.endpoint
import pytest
from botocore.config import Config
from faultserver import FaultServer, Json, Stall, Throttle
from opentelemetry.instrumentation.botocore import BotocoreInstrumentor
from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
from opentelemetry.instrumentation.utils import suppress_instrumentation
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

import ecrclient
import ecrclient.aio
from ecrclient import AsyncECRClient, ClientConfig, ECRClient
from ecrclient.interceptors import add_default_interceptor, remove_default_interceptor
from ecrclient.otel import RETRY_EVENT, EcrClientInstrumentor, TracingInterceptor

REGION = "us-east-1"
KEYS = {"aws_access_key_id": "AKIDEXAMPLE", "aws_secret_access_key": "secret"}
KINDS = ["drop-in", "aio drop-in", "typed", "async-httpx", "async-aiohttp"]
"""Every ecrclient client kind; boto3 is the oracle."""


class _InstantTime:
    """``time`` for botocore's retry loop: its pauses take no time."""

    def __getattr__(self, name: str) -> Any:
        return getattr(time, name)

    @staticmethod
    def sleep(seconds: float) -> None:
        del seconds


@pytest.fixture
def exporter(monkeypatch: pytest.MonkeyPatch) -> Iterator[InMemorySpanExporter]:
    """boto3 and ecrclient instrumented into one in-memory exporter; botocore's retry pauses
    are not slept."""
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    monkeypatch.setattr(botocore.endpoint, "time", _InstantTime())
    BotocoreInstrumentor().instrument(tracer_provider=provider)
    EcrClientInstrumentor().instrument(tracer_provider=provider)
    try:
        yield exporter
    finally:
        EcrClientInstrumentor().uninstrument()
        BotocoreInstrumentor().uninstrument()


# -- one call, by any client -------------------------------------------------------------------

SCENARIOS: dict[str, tuple[str, dict[str, Any], dict[str, Any]]] = {
    # name: (operation, boto3's parameters, the typed client's)
    "registry": ("describe_registry", {}, {}),
    "missing": (
        "describe_repositories",
        {"repositoryNames": ["otel/missing"]},
        {"repository_names": ["otel/missing"]},
    ),
}


async def _no_pause(seconds: float) -> None:
    del seconds


def call(kind: str, url: str, scenario: str, **options: Any) -> None:
    """Make the scenario's call with a new client of ``kind`` on ``url``; its fault or failure
    is swallowed (the span is what the tests look at)."""
    operation, boto_params, typed_params = SCENARIOS[scenario]
    boto_config = Config(**options.get("boto", {}))
    typed_config = ClientConfig(**options.get("typed", {}))
    common = {"region_name": REGION, "endpoint_url": url, **KEYS}
    if kind in ("boto3", "drop-in"):
        make = boto3.client if kind == "boto3" else ecrclient.client
        client = make("ecr", config=boto_config, **common)
        if kind == "drop-in":
            client.typed._sleep = lambda seconds: None
        with contextlib.suppress(Exception):
            getattr(client, operation)(**boto_params)
        client.close()
    elif kind == "typed":
        with ECRClient(config=typed_config, **common) as ecr:
            ecr._sleep = lambda seconds: None
            with contextlib.suppress(Exception):
                getattr(ecr, operation)(**typed_params)
    else:
        asyncio.run(_async_call(kind, common, operation, boto_params, typed_params, options))


async def _async_call(
    kind: str,
    common: dict[str, Any],
    operation: str,
    boto_params: dict[str, Any],
    typed_params: dict[str, Any],
    options: dict[str, Any],
) -> None:
    if kind == "aio drop-in":
        async with ecrclient.aio.client(
            "ecr", config=Config(**options.get("boto", {})), **common
        ) as client:
            client.typed._sleep = _no_pause
            with contextlib.suppress(Exception):
                await getattr(client, operation)(**boto_params)
        return
    # async-aiohttp is the default construction; async-httpx asks for httpx.
    transport: dict[str, Any] = {"transport": "httpx"} if kind == "async-httpx" else {}
    async with AsyncECRClient(
        config=ClientConfig(**options.get("typed", {})), **transport, **common
    ) as ecr:
        ecr._sleep = _no_pause
        with contextlib.suppress(Exception):
            await getattr(ecr, operation)(**typed_params)


# -- what is compared ---------------------------------------------------------------------------


def comparable(span: ReadableSpan) -> dict[str, Any]:
    """The span, less the deliberate differences listed in the module's docstring."""
    attributes = dict(span.attributes or {})
    request_id = attributes.pop("aws.request_id", None)
    events = []
    for event in span.events:
        if event.name == RETRY_EVENT:
            continue
        details = dict(event.attributes or {})
        details.pop("exception.stacktrace", None)
        if "exception.type" in details:  # ecrclient's class, by design: present is enough
            details["exception.type"] = bool(details["exception.type"])
        events.append((event.name, details))
    return {
        "name": span.name,
        "kind": span.kind,
        "attributes": attributes,
        "has request id": isinstance(request_id, str) and bool(request_id),
        "status": (span.status.status_code, span.status.description),
        "events": events,
        "parent": span.parent is not None,
    }


def only_span(exporter: InMemorySpanExporter) -> ReadableSpan:
    spans = exporter.get_finished_spans()
    assert len(spans) == 1, [s.name for s in spans]
    exporter.clear()
    return spans[0]


def oracle_and_ours(
    exporter: InMemorySpanExporter, kind: str, run: Callable[[str], None]
) -> tuple[ReadableSpan, ReadableSpan]:
    run("boto3")
    theirs = only_span(exporter)
    assert theirs.instrumentation_scope is not None
    assert theirs.instrumentation_scope.name == "opentelemetry.instrumentation.botocore"
    run(kind)
    ours = only_span(exporter)
    assert ours.instrumentation_scope is not None
    assert ours.instrumentation_scope.name == "ecrclient.otel"
    return theirs, ours


# -- the comparisons ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_a_success_makes_boto3s_span(
    exporter: InMemorySpanExporter, moto_endpoint: str, kind: str
) -> None:
    theirs, ours = oracle_and_ours(exporter, kind, lambda k: call(k, moto_endpoint, "registry"))
    assert comparable(ours) == comparable(theirs)
    assert ours.kind is SpanKind.CLIENT and ours.name == "ECR.DescribeRegistry"  # sanity
    assert ours.status.status_code is StatusCode.UNSET


@pytest.mark.parametrize("kind", KINDS)
def test_a_fault_makes_boto3s_span(
    exporter: InMemorySpanExporter, moto_endpoint: str, kind: str
) -> None:
    theirs, ours = oracle_and_ours(exporter, kind, lambda k: call(k, moto_endpoint, "missing"))
    assert comparable(ours) == comparable(theirs)
    assert ours.status.status_code is StatusCode.ERROR
    assert [event.name for event in ours.events] == ["exception"]


@pytest.mark.parametrize("kind", KINDS)
def test_a_retried_success_makes_boto3s_span_and_says_why_it_retried(
    exporter: InMemorySpanExporter, kind: str
) -> None:
    with FaultServer() as server:

        def run(k: str) -> None:
            server.script([Throttle(), Throttle(), Json(200, {"registryId": "123456789012"})])
            call(k, server.url, "registry")

        theirs, ours = oracle_and_ours(exporter, kind, run)
    assert comparable(ours) == comparable(theirs)
    assert (ours.attributes or {})["retry_attempts"] == 2
    retries = [(e.name, dict(e.attributes or {})) for e in ours.events]
    assert retries == [
        (RETRY_EVENT, {"retry.attempt": n, "error.type": "ThrottlingException", **status_400()})
        for n in (2, 3)
    ]


def status_400() -> dict[str, int]:
    from opentelemetry.semconv._incubating.attributes.http_attributes import HTTP_STATUS_CODE

    return {HTTP_STATUS_CODE: 400}


@pytest.mark.parametrize("kind", KINDS)
def test_retries_running_out_make_boto3s_span(exporter: InMemorySpanExporter, kind: str) -> None:
    with FaultServer() as server:

        def run(k: str) -> None:
            server.script([Throttle(), Throttle(), Throttle()])
            call(k, server.url, "registry")

        theirs, ours = oracle_and_ours(exporter, kind, run)
    assert comparable(ours) == comparable(theirs)
    assert ours.status.status_code is StatusCode.ERROR
    assert [e.name for e in ours.events] == [RETRY_EVENT, RETRY_EVENT, "exception"]


@pytest.mark.parametrize("kind", KINDS)
def test_a_failure_without_an_answer_makes_boto3s_span(
    exporter: InMemorySpanExporter, kind: str
) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}"  # bound, not listening: refused
        options = {"boto": {"retries": {"total_max_attempts": 1}}, "typed": {"max_attempts": 1}}
        theirs, ours = oracle_and_ours(
            exporter, kind, lambda k: call(k, url, "registry", **options)
        )
    mine, oracle = comparable(ours), comparable(theirs)
    # Deliberate: the error's text (status description, recorded exception) is ecrclient's.
    assert mine["status"][0] is oracle["status"][0] is StatusCode.ERROR
    assert mine["status"][1] and "127.0.0.1" in mine["status"][1]
    assert [name for name, _ in mine["events"]] == [name for name, _ in oracle["events"]]
    for key in ("name", "kind", "attributes", "has request id", "parent"):
        assert mine[key] == oracle[key], key


def test_boto3s_scenarios_hold_no_surprise(
    exporter: InMemorySpanExporter, moto_endpoint: str
) -> None:
    """The oracle's attributes are the ones this module's docstring talks about (a guard
    against comparing two empty spans)."""
    call("boto3", moto_endpoint, "registry")
    span = only_span(exporter)
    assert {"rpc.system", "rpc.service", "rpc.method", "retry_attempts"} <= set(
        span.attributes or {}
    )
    assert (span.attributes or {})["rpc.service"] == "ECR"


# -- trace context on the wire ----------------------------------------------------------------

XRAY = re.compile(r"^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=([0-9a-f]{16});Sampled=1$")


@pytest.mark.parametrize("kind", ["boto3", *KINDS])
def test_each_request_carries_the_spans_xray_header(
    exporter: InMemorySpanExporter, kind: str
) -> None:
    with FaultServer() as server:
        server.script([Throttle(), Json(200, {"registryId": "1"})])
        call(kind, server.url, "registry")
        requests = server.requests
    span = only_span(exporter)
    assert span.context is not None
    assert len(requests) == 2
    for request in requests:
        header = request.headers.get("x-amzn-trace-id", "")
        match = XRAY.match(header)
        assert match, header
        assert match[1] == f"{span.context.span_id:016x}"
        assert f"{span.context.trace_id:032x}"[8:] in header
        # Not signed: the header is added after signing, as botocore adds it.
        assert "x-amzn-trace-id" not in request.headers["authorization"]


@pytest.fixture
def httpx_instrumented(
    exporter: InMemorySpanExporter, monkeypatch: pytest.MonkeyPatch
) -> Iterator[InMemorySpanExporter]:
    """httpx's instrumentation, with every sync client (typed and drop-in) sending over httpx:
    the HTTP spans these tests read are httpx's."""
    from ecrclient._transports.httpx import HttpxTransport

    monkeypatch.setattr(
        ecrclient.sync_client, "_sync_transport", lambda transport, own: HttpxTransport(own)
    )
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    HTTPXClientInstrumentor().instrument(tracer_provider=provider)
    try:
        yield exporter
    finally:
        HTTPXClientInstrumentor().uninstrument()


# The clients that send with httpx (the aio drop-in sends with aiohttp, which the httpx
# instrumentation does not see).
@pytest.mark.parametrize("kind", ["drop-in", "typed", "async-httpx"])
def test_http_spans_are_children_and_carry_the_trace(
    httpx_instrumented: InMemorySpanExporter, kind: str
) -> None:
    with FaultServer() as server:
        server.script([Throttle(), Json(200, {"registryId": "1"})])
        call(kind, server.url, "registry")
        requests = server.requests
    spans = httpx_instrumented.get_finished_spans()
    (call_span,) = [s for s in spans if s.name == "ECR.DescribeRegistry"]
    http_spans = [s for s in spans if s is not call_span]
    assert len(http_spans) == 2  # one per attempt
    assert call_span.context is not None
    for http_span, request in zip(http_spans, requests, strict=True):
        assert http_span.kind is SpanKind.CLIENT
        assert http_span.parent is not None
        assert http_span.parent.span_id == call_span.context.span_id
        assert http_span.context is not None
        trace_id, span_id = http_span.context.trace_id, http_span.context.span_id
        version, sent_trace, sent_span, flags = request.headers["traceparent"].split("-")
        assert (version, sent_trace, sent_span) == ("00", f"{trace_id:032x}", f"{span_id:016x}")
        assert int(flags, 16) & 1  # sampled


def test_http_spans_can_be_suppressed_as_botocore_does(
    httpx_instrumented: InMemorySpanExporter,
) -> None:
    EcrClientInstrumentor().uninstrument()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(httpx_instrumented))
    EcrClientInstrumentor().instrument(tracer_provider=provider, suppress_http_instrumentation=True)
    with FaultServer() as server:
        server.script([Json(200, {"registryId": "1"})])
        call("typed", server.url, "registry")
        (request,) = server.requests
    assert [s.name for s in httpx_instrumented.get_finished_spans()] == ["ECR.DescribeRegistry"]
    assert "traceparent" not in request.headers
    assert "x-amzn-trace-id" in request.headers


# -- which clients are traced, and what the others pay -----------------------------------------


def _interceptors(client: Any) -> list[str]:
    return [type(i).__name__ for i in client.interceptors]


def test_only_clients_created_after_instrument_are_traced(moto_endpoint: str) -> None:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    common = {"region_name": REGION, "endpoint_url": moto_endpoint, **KEYS}
    before = ECRClient(**common)
    assert before.interceptors == ()  # an uninstrumented client has no hook to run
    EcrClientInstrumentor().instrument(tracer_provider=provider)
    try:
        after = ECRClient(**common)
        drop_in = ecrclient.client("ecr", **common)
        assert _interceptors(after) == ["TracingInterceptor"]
        assert _interceptors(drop_in.typed) == ["TracingInterceptor"]
        assert _interceptors(after.with_options(max_attempts=2)) == ["TracingInterceptor"]
        before.describe_registry()
        assert exporter.get_finished_spans() == ()
        after.describe_registry()
        drop_in.describe_registry()
        assert len(exporter.get_finished_spans()) == 2
        exporter.clear()
        with suppress_instrumentation():
            after.describe_registry()
        assert exporter.get_finished_spans() == ()
    finally:
        EcrClientInstrumentor().uninstrument()
    after.describe_registry()  # its interceptor stays, and does nothing
    assert exporter.get_finished_spans() == ()
    assert ECRClient(**common).interceptors == ()
    for client in (before, after):
        client.close()


def test_a_cancelled_call_ends_its_span(exporter: InMemorySpanExporter) -> None:
    """Cancelled mid-call, the span still ends, with the cancellation recorded and the status
    left unset, as a ``with`` span (the botocore instrumentation's) leaves it."""

    async def cancelled(url: str) -> None:
        async with AsyncECRClient(region_name=REGION, endpoint_url=url, **KEYS) as ecr:
            task = asyncio.ensure_future(ecr.describe_registry())
            await asyncio.sleep(0.2)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task

    with FaultServer() as server:
        server.script([Stall(5.0)])
        asyncio.run(cancelled(server.url))
    span = only_span(exporter)
    assert span.status.status_code is StatusCode.UNSET
    assert [(e.name, (e.attributes or {}).get("exception.type")) for e in span.events] == [
        ("exception", "asyncio.exceptions.CancelledError")
    ]


def test_default_interceptor_factories(moto_endpoint: str) -> None:
    made: list[str] = []

    def factory(client: Any) -> object:
        made.append(client.region_name)
        return None  # no interceptor for this client

    add_default_interceptor(factory)
    add_default_interceptor(factory)  # once only
    try:
        ECRClient(region_name="eu-west-1", endpoint_url=moto_endpoint, **KEYS).close()
    finally:
        remove_default_interceptor(factory)
    ECRClient(region_name="eu-west-1", endpoint_url=moto_endpoint, **KEYS).close()
    assert made == ["eu-west-1"]


def test_the_entry_point_lets_opentelemetry_instrument_find_it(tmp_path: Path) -> None:
    from importlib.metadata import entry_points

    (found,) = [
        e for e in entry_points(group="opentelemetry_instrumentor") if e.name == "ecrclient"
    ]
    assert found.load() is EcrClientInstrumentor
    script = tmp_path / "app.py"
    script.write_text(
        textwrap.dedent(
            """
            from ecrclient import ECRClient
            from ecrclient.otel import EcrClientInstrumentor

            client = ECRClient(region_name="us-east-1")
            print(EcrClientInstrumentor().is_instrumented_by_opentelemetry)
            print([type(i).__name__ for i in client.interceptors])
            """
        )
    )
    launcher = Path(sys.executable).parent / "opentelemetry-instrument"
    result = subprocess.run(
        [str(launcher), sys.executable, str(script)],
        capture_output=True,
        text=True,
        check=True,
        env={
            "PATH": str(Path(sys.executable).parent),
            "OTEL_TRACES_EXPORTER": "none",
            "OTEL_METRICS_EXPORTER": "none",
            "OTEL_LOGS_EXPORTER": "none",
            "AWS_ACCESS_KEY_ID": "AKID",
            "AWS_SECRET_ACCESS_KEY": "secret",
        },
        cwd=tmp_path,
    )
    assert result.stdout.split() == ["True", "['TracingInterceptor']"], result.stderr


def test_the_interceptor_is_public_for_tests() -> None:
    assert TracingInterceptor.__module__ == "ecrclient.otel"


def test_a_call_failing_before_its_first_attempt_ends_its_span(
    exporter: InMemorySpanExporter,
) -> None:
    """A request that cannot be serialized (validation off) fails before the retry loop: its
    span still ends, with the error, and the span does not stay current."""
    from opentelemetry import trace

    from ecrclient.errors import RequestValidationError

    with (
        ECRClient(
            region_name=REGION, config=ClientConfig(parameter_validation=False), **KEYS
        ) as ecr,
        pytest.raises(RequestValidationError),
    ):
        ecr.describe_repositories(repository_names=[object()])  # type: ignore[list-item]
    span = only_span(exporter)
    assert span.status.status_code is StatusCode.ERROR
    assert [e.name for e in span.events] == ["exception"]
    assert not trace.get_current_span().get_span_context().is_valid
