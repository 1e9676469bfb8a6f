"""Hostile answers: whatever an endpoint sends, only SDK errors escape and typed results hold
what their annotations promise.

The answers (:mod:`hostile`) are seeded; ``ECRCLIENT_FUZZ_ANSWERS`` sets how many each test
draws (a few hundred by default, bounded to seconds; ``nox -s fuzz -- --answers 10000`` runs
the long version) and ``ECRCLIENT_FUZZ_SEED`` draws other answers. Parsers are fed directly,
both as the typed clients and as the drop-in read answers; every client kind is fed over a
local HTTP server.
"""

from __future__ import annotations

import asyncio
import functools
import os
import random
import threading
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import botocore.config
import botocore.exceptions
import pytest
from hostile import SERVICE_MODEL, HostileAnswers, operation_names
from shapegen import generate
from typecheck import fault_problems, type_problems

import ecrclient
import ecrclient.aio
from ecrclient import AsyncECRClient, ClientConfig, ECRClient
from ecrclient._core import awsjson
from ecrclient._core.messages import HttpResponse
from ecrclient._core.retries import RetryPolicy, classify
from ecrclient._generated.faults import FAULTS, AmazonECRException
from ecrclient._generated.service import OPERATION_MODULES
from ecrclient._runtime.operations import load_operation
from ecrclient.compat.boto_client import answering_spec
from ecrclient.compat.reading import read_as_botocore
from ecrclient.errors import SdkClientError, ServiceError

ANSWERS = int(os.environ.get("ECRCLIENT_FUZZ_ANSWERS", "0"))
PARSER_ANSWERS = ANSWERS or 1200
CLIENT_ANSWERS = ANSWERS or 60
SDK_ERRORS = (SdkClientError, ServiceError)
DROP_IN_ERRORS = (SdkClientError, botocore.exceptions.ClientError)
SEED = int(os.environ.get("ECRCLIENT_FUZZ_SEED", "20260"))


def _outcome(call: Any, allowed: tuple[type[BaseException], ...]) -> tuple[str, Any]:
    try:
        return "result", call()
    except allowed as exc:
        str(exc)  # showing the error is part of raising it
        return "sdk error", exc
    except Exception as exc:
        return f"non-SDK {type(exc).__name__}: {str(exc)[:200]}", exc


def _record(tally: Counter[str], failures: list[str], where: str, outcome: tuple[str, Any]) -> None:
    kind, value = outcome
    if kind == "result" and not isinstance(value, dict):
        problems = type_problems(value)
        if problems:
            kind = "wrongly typed result"
            failures.append(f"{where}: {problems[:3]}")
    elif kind == "sdk error" and isinstance(value, ServiceError):
        problems = fault_problems(value)
        if problems:
            kind = "wrongly typed fault"
            failures.append(f"{where}: {problems[:3]}")
    elif kind.startswith("non-SDK"):
        failures.append(f"{where}: {kind}")
    tally[kind.split(":")[0]] += 1


def _report(name: str, tally: Counter[str], failures: list[str]) -> None:
    print(f"\n{name}: {dict(tally)}")
    assert not failures, f"{len(failures)} bad outcomes, first: {failures[:5]}"


def _parse(reader: Any, spec: Any, response: HttpResponse, policy: RetryPolicy) -> Any:
    """What a client does with an answer: read it; on a fault also classify it (the skew
    reader runs on every fault); for the drop-in also take boto3's dict from the result."""
    metadata = awsjson.response_metadata(response)
    try:
        result = reader(spec, response, metadata, faults=FAULTS, base_error=AmazonECRException)
    except ServiceError as exc:
        classify(exc, policy, spec.errors)
        raise
    return result._to_boto() if reader is read_as_botocore else result


def test_every_parser_raises_only_sdk_errors_and_reads_only_typed_results() -> None:
    answers = HostileAnswers(SEED)
    operations = operation_names()
    tally: Counter[str] = Counter()
    failures: list[str] = []
    policy = RetryPolicy()
    for n in range(PARSER_ANSWERS):
        operation = operations[n % len(operations)]
        typed_spec = load_operation(OPERATION_MODULES[operation])
        drop_in_spec = answering_spec(OPERATION_MODULES[operation])
        status, headers, body = answers.answer(operation)
        response = HttpResponse(
            status_code=status, headers={k.lower(): v for k, v in headers.items()}, body=body
        )
        for reader, spec in (
            (awsjson.parse_response, typed_spec),
            (read_as_botocore, drop_in_spec),
        ):
            call = functools.partial(_parse, reader, spec, response, policy)
            _record(tally, failures, f"{operation} answer {n}", _outcome(call, SDK_ERRORS))
    _report("parsers", tally, failures)
    assert tally["result"] and tally["sdk error"]


# -- every client kind, over a local server ----------------------------------------------------


@pytest.fixture
def hostile_server() -> Iterator[str]:
    answers = HostileAnswers(SEED + 1, deep=5_000)
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body leave in one write: separate small writes stall on delayed ACKs.
        wbufsize = -1
        disable_nagle_algorithm = True

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            operation = self.headers.get("X-Amz-Target", ".").rsplit(".", 1)[-1]
            with lock:
                status, headers, body = answers.answer(operation)
            self.send_response_only(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


CREDENTIALS = {
    "region_name": "us-east-1",
    "aws_access_key_id": "AKIDFUZZ",
    "aws_secret_access_key": "fuzz-secret",
}


def _calls(seed: int) -> Iterator[tuple[str, dict[str, Any]]]:
    """(operation, boto3-style parameters) pairs, valid for the model."""
    rng = random.Random(seed)
    operations = operation_names()
    for _ in range(CLIENT_ANSWERS):
        operation = rng.choice(operations)
        shape = SERVICE_MODEL.operation_model(operation).input_shape
        params = generate(shape, rng.randrange(2**32), "params") if shape is not None else {}
        yield operation, params


def _typed_request(operation: str, params: dict[str, Any]) -> Any:
    return load_operation(OPERATION_MODULES[operation]).request_type._from_boto(params)


CLIENT_KINDS = ["typed-sync", "typed-async", "drop-in-sync", "drop-in-async"]


@pytest.mark.parametrize("kind", CLIENT_KINDS)
def test_every_client_kind_raises_only_sdk_errors(hostile_server: str, kind: str) -> None:
    tally: Counter[str] = Counter()
    failures: list[str] = []
    calls = list(_calls(SEED + 2))
    if kind == "typed-sync":
        with ECRClient(
            endpoint_url=hostile_server, config=ClientConfig(max_attempts=1), **CREDENTIALS
        ) as client:
            for operation, params in calls:
                method = getattr(client, OPERATION_MODULES[operation])
                request = _typed_request(operation, params)
                _record(
                    tally,
                    failures,
                    operation,
                    _outcome(functools.partial(method, request), SDK_ERRORS),
                )
    elif kind == "drop-in-sync":
        config = botocore.config.Config(retries={"max_attempts": 0})
        boto = ecrclient.client("ecr", endpoint_url=hostile_server, config=config, **CREDENTIALS)
        for operation, params in calls:
            method = getattr(boto, OPERATION_MODULES[operation])
            _record(
                tally,
                failures,
                operation,
                _outcome(functools.partial(method, **params), DROP_IN_ERRORS),
            )
        boto.close()
    else:
        asyncio.run(_run_async(kind, hostile_server, calls, tally, failures))
    _report(kind, tally, failures)
    assert tally["result"] and tally["sdk error"]


async def _run_async(
    kind: str,
    url: str,
    calls: list[tuple[str, dict[str, Any]]],
    tally: Counter[str],
    failures: list[str],
) -> None:
    async def outcome(awaitable: Any, allowed: tuple[type[BaseException], ...]) -> Any:
        try:
            result = await awaitable
        except allowed as exc:
            str(exc)
            return "sdk error", exc
        except Exception as exc:
            return f"non-SDK {type(exc).__name__}: {str(exc)[:200]}", exc
        return "result", result

    if kind == "typed-async":
        async with AsyncECRClient(
            endpoint_url=url, config=ClientConfig(max_attempts=1), **CREDENTIALS
        ) as client:
            for operation, params in calls:
                method = getattr(client, OPERATION_MODULES[operation])
                result = await outcome(method(_typed_request(operation, params)), SDK_ERRORS)
                _record(tally, failures, operation, result)
        return
    config = botocore.config.Config(retries={"max_attempts": 0})
    async with ecrclient.aio.client("ecr", endpoint_url=url, config=config, **CREDENTIALS) as boto:
        for operation, params in calls:
            method = getattr(boto, OPERATION_MODULES[operation])
            _record(tally, failures, operation, await outcome(method(**params), DROP_IN_ERRORS))
