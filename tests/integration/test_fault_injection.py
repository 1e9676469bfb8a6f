"""End-to-end fault injection: retries, timeouts, the retry quota, the deadline and clock skew,
over real sockets.

Each scenario scripts the loopback :class:`faultserver.FaultServer`, runs one call through a
typed :class:`ECRClient` whose sleeps are recorded instead of slept and whose jitter is fixed at
0.5, and checks what the server saw (attempts, ``amz-sdk-request``, signatures) and what the
caller got (result or error class, retry counts, delays, quota). ``test_retries.py`` checks the
retry decisions against respx; this file checks that they hold with httpx, sockets and bytes.

Also here: the boto3-compatible client against boto3 itself on the same scripts, boto3 failing
the clock-skew scenario the typed client survives, and one client shared by 16 threads against
moto. 16 threads x 500 calls took 78 s against the in-process moto server (about 100 calls a
second, moto-bound); the thread test makes the full 16 x 500.
"""

from __future__ import annotations

import re
import threading
import time
import types
import uuid
from calendar import timegm
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import boto3
import botocore.endpoint
import botocore.retries.standard
import botocore.retryhandler
import pytest
from blocking import SYNC_TRANSPORTS
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from botocore.parsers import ResponseParserError
from faultserver import (
    AMZ_DATE_FORMAT,
    Action,
    AwsError,
    CheckSkew,
    CloseAfterRead,
    FaultServer,
    Json,
    RecordedRequest,
    ResetAfterRead,
    ResetBeforeRead,
    Respond,
    Stall,
    Throttle,
    Truncated,
)

import ecrclient
from ecrclient import ClientConfig, ECRClient
from ecrclient._core.retries import (
    MAX_BACKOFF,
    QUOTA_CAPACITY,
    RETRY_AFTER_EXTRA,
    RateLimiter,
)
from ecrclient.errors import (
    AmazonECRException,
    ConnectionClosedError,
    DeadlineExceededError,
    LimitExceededException,
    MalformedResponseError,
    NetworkError,
    ReadTimeoutError,
    RepositoryNotFoundException,
    ServerException,
    ServiceError,
)
from ecrclient.model.describe_repositories import DescribeRepositoriesRequest

REGION = "us-east-1"
ACCESS_KEY = "AKIDEXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
REGISTRY_ID = "123456789012"
JITTER = 0.5
SKEW = 20 * 60
"""Seconds between the server's clock and ours in the skew scenarios (SigV4 allows 5 min)."""

OK = Json(200, {"registryId": REGISTRY_ID})
SERVER_ERROR = AwsError(500, "ServerException", "internal failure")
HTML_502 = Respond(
    502, b"<html><body><h1>502 Bad Gateway</h1></body></html>", {"Content-Type": "text/html"}
)
HTML_403 = Respond(403, b"<html><body>Forbidden</body></html>", {"Content-Type": "text/html"})
_CUT = b'{"registryId": "1234'
CUT_JSON = Truncated(body=_CUT, declared_length=len(_CUT))
"""A 200 whose JSON stops half-way although every declared byte arrives."""

LEGACY_AND_STANDARD_THROTTLING = (
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "ProvisionedThroughputExceededException",
)
STANDARD_ONLY_THROTTLING = (
    "TooManyRequestsException",
    "RequestLimitExceeded",
    "SlowDown",
    "BandwidthLimitExceeded",
)


def backoff_cap(mode: str, retry: int) -> float:
    """The largest backoff before retry number ``retry`` (1-based) in ``mode``."""
    exponent = 2.0 ** (retry - 1)
    return exponent if mode == "legacy" else min(exponent, MAX_BACKOFF)


# ---------------------------------------------------------------------------------------------
# A typed client with its sleeps recorded
# ---------------------------------------------------------------------------------------------


class Harness:
    """An :class:`ECRClient` on ``server`` whose sleeps are recorded, not slept.

    ``backoffs`` are the retry delays, ``rate_waits`` adaptive mode's send-rate waits, and
    ``quota_at_backoff`` the retry quota left when each backoff started (after the retry paid).
    Adaptive mode's rate limiter runs on a clock that the recorded sleeps advance, as real sleeps
    would.
    """

    def __init__(
        self,
        server: FaultServer,
        *,
        jitter: float | None = JITTER,
        real_sleep: bool = False,
        transport: str = "urllib3",
        **config: Any,
    ) -> None:
        self.client = ECRClient(
            region_name=REGION,
            endpoint_url=server.url,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            config=ClientConfig(**config),
            transport=transport,  # type: ignore[arg-type]
        )
        self.sleeps: list[float] = []
        self.backoffs: list[float] = []
        self.rate_waits: list[float] = []
        self.quota_at_backoff: list[int] = []
        self._real_sleep = real_sleep
        self._pending_wait: float | None = None
        self.client._sleep = self._sleep
        if jitter is not None:
            self.client._pipeline.random = lambda: jitter
        self.limiter = RateLimiter(clock=lambda: time.monotonic() + sum(self.sleeps))
        measure = self.limiter.delay_before_send

        def delay_before_send(within: float | None = None) -> float | None:
            wait = measure(within)
            self._pending_wait = wait if wait else None
            return wait

        self.limiter.delay_before_send = delay_before_send  # type: ignore[method-assign]
        self.client._pipeline._rate_limiter = self.limiter

    @property
    def quota(self) -> Any:
        return self.client._pipeline.retry_quota

    def _sleep(self, seconds: float) -> None:
        if self._real_sleep:
            time.sleep(seconds)
        else:
            self.sleeps.append(seconds)
        if self._pending_wait is not None and seconds == self._pending_wait:
            self.rate_waits.append(seconds)
        else:
            self.backoffs.append(seconds)
            self.quota_at_backoff.append(self.quota.available)
        self._pending_wait = None


@pytest.fixture
def server() -> Iterator[FaultServer]:
    with FaultServer() as fault_server:
        yield fault_server


@pytest.fixture(params=SYNC_TRANSPORTS)
def harness(
    server: FaultServer, request: pytest.FixtureRequest
) -> Iterator[Callable[..., Harness]]:
    """A factory of :class:`Harness` on ``server``, once per sync transport; closes the clients
    before the server."""
    made: list[Harness] = []

    def make(**options: Any) -> Harness:
        made.append(Harness(server, transport=request.param, **options))
        return made[-1]

    yield make
    for each in made:
        each.client.close()


def consumed(server: FaultServer, script: Sequence[Action]) -> list[Action]:
    """The scripted actions the server has used, one per attempt."""
    return list(script[: len(script) - server.pending])


def signed_at(request: RecordedRequest) -> float:
    return float(timegm(time.strptime(request.headers["x-amz-date"], AMZ_DATE_FORMAT)))


# ---------------------------------------------------------------------------------------------
# The scenario table
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    mode: str
    script: tuple[Action, ...]
    attempts: int
    """Attempts the server must see (every one consumes one scripted action)."""
    delays: tuple[float, ...]
    """The backoffs chosen, with the jitter fixed at 0.5."""
    outcome: type[BaseException] | None
    """The exact error class raised; ``None`` when the call succeeds."""
    reached: bool
    """``max_attempts_reached`` on the final error."""
    cost: int
    """Quota tokens each retry takes in standard and adaptive modes (10 for timeouts)."""
    config: Mapping[str, Any] = field(default_factory=dict)


def row(
    mode: str,
    name: str,
    script: Sequence[Action],
    attempts: int,
    delays: Sequence[float] = (),
    outcome: type[BaseException] | None = None,
    *,
    reached: bool = False,
    cost: int = 5,
    **config: Any,
) -> Any:
    scenario = Row(mode, tuple(script), attempts, tuple(delays), outcome, reached, cost, config)
    return pytest.param(scenario, id=f"{mode}:{name}")


TWO_MODES = ("standard", "legacy")
TRANSIENT = ((500, "ServerException"), (502, "BadGateway"), (503, "ServiceUnavailable"))
TRANSIENT += ((504, "GatewayTimeout"),)

ROWS = [
    # -- HTTP 500/502/503/504, then success ----------------------------------------------------
    *(
        row(mode, f"http-{status}-then-ok", [AwsError(status, code), OK], 2, [0.5])
        for mode in TWO_MODES
        for status, code in TRANSIENT
    ),
    row("adaptive", "http-503-then-ok", [AwsError(503, "ServiceUnavailable"), OK], 2, [0.5]),
    *(
        row(mode, "http-500-502-then-ok", [SERVER_ERROR, HTML_502, OK], 3, [0.5, 1.0])
        for mode in TWO_MODES
    ),
    # -- throttling, then success --------------------------------------------------------------
    *(
        row(mode, f"{code}-then-ok", [Throttle(code), OK], 2, [0.5])
        for mode in TWO_MODES
        for code in LEGACY_AND_STANDARD_THROTTLING
    ),
    *(
        row("standard", f"{code}-then-ok", [Throttle(code), OK], 2, [0.5])
        for code in STANDARD_ONLY_THROTTLING
    ),
    *(
        row("legacy", f"{code}-not-retried", [Throttle(code), OK], 1, [], AmazonECRException)
        for code in STANDARD_ONLY_THROTTLING
    ),
    row("legacy", "http-429-any-code-then-ok", [AwsError(429, "TooBusy"), OK], 2, [0.5]),
    row(
        "standard",
        "http-429-unknown-code-not-retried",
        [AwsError(429, "TooBusy"), OK],
        1,
        [],
        AmazonECRException,
    ),
    row("adaptive", "ThrottlingException-then-ok", [Throttle(), OK], 2, [0.5]),
    row("standard", "retry-after-1500ms-honoured", [Throttle(retry_after_ms=1500), OK], 2, [1.5]),
    row("legacy", "retry-after-1500ms-ignored", [Throttle(retry_after_ms=1500), OK], 2, [0.5]),
    # -- attempts exhausted --------------------------------------------------------------------
    row(
        "standard",
        "http-500-exhausted",
        [SERVER_ERROR] * 3,
        3,
        [0.5, 1.0],
        ServerException,
        reached=True,
    ),
    row(
        "legacy",
        "http-500-exhausted",
        [SERVER_ERROR] * 5,
        5,
        [0.5, 1.0, 2.0, 4.0],
        ServerException,
        reached=True,
    ),
    row(
        "adaptive",
        "http-500-exhausted",
        [SERVER_ERROR] * 3,
        3,
        [0.5, 1.0],
        ServerException,
        reached=True,
    ),
    row(
        "standard",
        "backoff-capped-at-20s",
        [SERVER_ERROR] * 8,
        8,
        [0.5, 1.0, 2.0, 4.0, 8.0, 10.0, 10.0],
        ServerException,
        reached=True,
        max_attempts=8,
    ),
    row(
        "legacy",
        "backoff-not-capped",
        [SERVER_ERROR] * 8,
        8,
        [0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0],
        ServerException,
        reached=True,
        max_attempts=8,
    ),
    *(
        row(
            mode,
            "throttling-exhausted",
            [Throttle()] * 3,
            3,
            [0.5, 1.0],
            AmazonECRException,
            reached=True,
        )
        for mode in ("standard", "adaptive")
    ),
    # -- not retryable -------------------------------------------------------------------------
    *(
        row(
            mode,
            "RepositoryNotFound-not-retried",
            [AwsError(400, "RepositoryNotFoundException", "no such repository"), OK],
            1,
            [],
            RepositoryNotFoundException,
        )
        for mode in (*TWO_MODES, "adaptive")
    ),
    *(
        row(
            mode,
            "LimitExceeded-not-retried",
            [AwsError(400, "LimitExceededException", "too many repositories"), OK],
            1,
            [],
            LimitExceededException,
        )
        for mode in TWO_MODES
    ),
    row(
        "standard",
        "LimitExceeded-retried-when-asked",
        [AwsError(400, "LimitExceededException"), OK],
        2,
        [0.5],
        retry_quota_errors=True,
    ),
    # -- RequestTimeout codes: transient in standard mode, unknown to legacy mode --------------
    *(
        row("standard", f"{code}-then-ok", [AwsError(400, code), OK], 2, [0.5])
        for code in ("RequestTimeout", "RequestTimeoutException")
    ),
    *(
        row("legacy", f"{code}-not-retried", [AwsError(400, code), OK], 1, [], AmazonECRException)
        for code in ("RequestTimeout", "RequestTimeoutException")
    ),
    # -- the connection breaks -----------------------------------------------------------------
    *(
        row(mode, f"{name}-then-ok", [action, OK], 2, [0.5])
        for mode in TWO_MODES
        for name, action in (
            ("reset-before-read", ResetBeforeRead()),
            ("reset-after-read", ResetAfterRead()),
            ("close-after-read", CloseAfterRead()),
        )
    ),
    row("adaptive", "reset-after-read-then-ok", [ResetAfterRead(), OK], 2, [0.5]),
    *(
        row(
            "standard",
            f"{name}-exhausted",
            [action] * 3,
            3,
            [0.5, 1.0],
            ConnectionClosedError,
            reached=True,
        )
        for name, action in (
            ("reset-before-read", ResetBeforeRead()),
            ("reset-after-read", ResetAfterRead()),
            ("close-after-read", CloseAfterRead()),
        )
    ),
    row(
        "legacy",
        "reset-after-read-exhausted",
        [ResetAfterRead()] * 5,
        5,
        [0.5, 1.0, 2.0, 4.0],
        ConnectionClosedError,
        reached=True,
    ),
    # -- the answer stalls past the read timeout (real time: 0.2 s per timed-out attempt) -------
    *(
        row(
            mode,
            "stall-past-read-timeout-then-ok",
            [Stall(0.5), OK],
            2,
            [0.5],
            cost=10,
            read_timeout=0.2,
        )
        for mode in (*TWO_MODES, "adaptive")
    ),
    *(
        row(
            mode,
            "stall-past-read-timeout-exhausted",
            [Stall(0.5)] * 2,
            2,
            [0.5],
            ReadTimeoutError,
            reached=True,
            cost=10,
            read_timeout=0.2,
            max_attempts=2,
        )
        for mode in TWO_MODES
    ),
    # -- unreadable answers --------------------------------------------------------------------
    # A 200 whose body stops short of its Content-Length: httpx reports the connection closed
    # mid-body, so it is a ConnectionClosedError and retried, as botocore does.
    *(row(mode, "truncated-200-then-ok", [Truncated(), OK], 2, [0.5]) for mode in TWO_MODES),
    row(
        "standard",
        "truncated-200-exhausted",
        [Truncated()] * 3,
        3,
        [0.5, 1.0],
        ConnectionClosedError,
        reached=True,
    ),
    # A complete 200 whose JSON is cut: unreadable, not retried.
    *(
        row(mode, "cut-json-200-not-retried", [CUT_JSON, OK], 1, [], MalformedResponseError)
        for mode in TWO_MODES
    ),
    *(row(mode, "html-502-then-ok", [HTML_502, OK], 2, [0.5]) for mode in TWO_MODES),
    row(
        "standard",
        "html-502-exhausted",
        [HTML_502] * 3,
        3,
        [0.5, 1.0],
        MalformedResponseError,
        reached=True,
    ),
    row(
        "legacy",
        "html-502-exhausted",
        [HTML_502] * 5,
        5,
        [0.5, 1.0, 2.0, 4.0],
        MalformedResponseError,
        reached=True,
    ),
    row("standard", "html-403-not-retried", [HTML_403, OK], 1, [], MalformedResponseError),
    row("standard", "empty-503-then-ok", [Respond(503), OK], 2, [0.5]),
]


@pytest.mark.parametrize("scenario", ROWS)
def test_fault_table(server: FaultServer, harness: Callable[..., Harness], scenario: Row) -> None:
    server.script(scenario.script)
    h = harness(retry_mode=scenario.mode, **scenario.config)
    started = time.monotonic()
    result: Any = None
    error: BaseException | None = None
    try:
        result = h.client.describe_registry()
    except Exception as exc:
        error = exc
    elapsed = time.monotonic() - started

    # What the server saw: one scripted action per attempt, nothing unscripted.
    used = consumed(server, scenario.script)
    sent = server.requests
    unrecorded = sum(isinstance(action, ResetBeforeRead) for action in used)
    assert len(used) == scenario.attempts
    assert len(sent) + unrecorded == scenario.attempts
    max_attempts = h.client.retry_policy.attempts
    numbers = [n for n, action in enumerate(used, 1) if not isinstance(action, ResetBeforeRead)]
    assert [r.headers["amz-sdk-request"] for r in sent] == [
        f"attempt={n}; max={max_attempts}" for n in numbers
    ]
    assert len({r.headers["amz-sdk-invocation-id"] for r in sent}) <= 1

    # The delays: exact with the jitter fixed, each within the mode's bound, none really slept.
    assert h.backoffs == pytest.approx(scenario.delays)
    retry_after = any(isinstance(a, Throttle) and a.retry_after_ms for a in used)
    extra = RETRY_AFTER_EXTRA if retry_after and scenario.mode != "legacy" else 0.0
    for retry, delay in enumerate(h.backoffs, 1):
        assert 0 <= delay <= backoff_cap(scenario.mode, retry) + extra
    stalls = sum(isinstance(action, Stall) for action in used)
    assert elapsed < 2.0 + 0.3 * stalls

    # Adaptive mode slows its sends only after throttling.
    throttled = any(isinstance(action, Throttle) for action in used)
    if scenario.mode == "adaptive" and throttled:
        assert h.limiter.enabled
        assert h.rate_waits
        assert all(0 < wait <= 1 / RateLimiter.MIN_RATE for wait in h.rate_waits)
    else:
        assert h.rate_waits == []
        assert not h.limiter.enabled

    # The retry quota: each retry pays (5, or 10 after a timeout); a success refunds the last
    # payment. Legacy mode has no quota.
    retries = scenario.attempts - 1
    if scenario.mode == "legacy":
        assert h.quota_at_backoff == [QUOTA_CAPACITY] * retries
        assert h.quota.available == QUOTA_CAPACITY
    else:
        paid = [QUOTA_CAPACITY - scenario.cost * n for n in range(1, retries + 1)]
        assert h.quota_at_backoff == paid
        refund = scenario.cost if error is None and retries else 0
        assert h.quota.available == QUOTA_CAPACITY - scenario.cost * retries + refund

    # The outcome, and what it says about the retries.
    if scenario.outcome is None:
        assert error is None, repr(error)
        assert result.registry_id == REGISTRY_ID
        assert result.response_metadata.retry_attempts == retries
        assert result.response_metadata.max_attempts_reached is False
        assert result.response_metadata.http_status_code == 200
        return
    assert type(error) is scenario.outcome, repr(error)
    if isinstance(error, ServiceError):
        assert error.response_metadata is not None
        assert error.response_metadata.retry_attempts == retries
        assert error.response_metadata.max_attempts_reached is scenario.reached
        assert error.response["ResponseMetadata"]["RetryAttempts"] == retries
    elif isinstance(error, NetworkError):
        assert error.retry_attempts == retries
        assert error.max_attempts_reached is scenario.reached
    else:
        # MalformedResponseError carries no retry count (reported as a gap).
        assert isinstance(error, MalformedResponseError)
        last = used[-1]
        assert isinstance(last, Respond | Truncated)
        assert error.status_code == last.status


# ---------------------------------------------------------------------------------------------
# Attempts, signatures and connections
# ---------------------------------------------------------------------------------------------

_AUTH_FIELD = re.compile(r"(\w+)=([^,\s]+)")


def recomputed_signature(request: RecordedRequest, url: str) -> str:
    """The SigV4 signature of ``request`` as received, computed independently with botocore."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    fields = dict(_AUTH_FIELD.findall(request.headers["authorization"]))
    signed = fields["SignedHeaders"].split(";")
    aws_request = AWSRequest(
        method=request.method,
        url=url + request.path,
        headers={name: request.headers[name] for name in signed},
        data=request.body,
    )
    aws_request.context["timestamp"] = request.headers["x-amz-date"]
    signer = SigV4Auth(Credentials(ACCESS_KEY, SECRET_KEY), "ecr", REGION)
    canonical = signer.canonical_request(aws_request)
    return str(signer.signature(signer.string_to_sign(aws_request, canonical), aws_request))


@pytest.mark.parametrize("mode", TWO_MODES)
def test_every_attempt_is_signed_afresh_under_one_invocation_id(
    server: FaultServer, harness: Callable[..., Harness], mode: str
) -> None:
    server.script([SERVER_ERROR, Throttle(), ResetAfterRead(), OK])
    h = harness(retry_mode=mode, max_attempts=4)
    result = h.client.describe_registry()
    sent = server.requests
    assert result.response_metadata.retry_attempts == 3
    assert [r.headers["amz-sdk-request"] for r in sent] == [
        f"attempt={n}; max=4" for n in range(1, 5)
    ]
    (invocation_id,) = {r.headers["amz-sdk-invocation-id"] for r in sent}
    uuid.UUID(invocation_id)
    signatures = []
    for request in sent:
        fields = dict(_AUTH_FIELD.findall(request.headers["authorization"]))
        signed = fields["SignedHeaders"].split(";")
        assert {"amz-sdk-invocation-id", "amz-sdk-request", "host", "x-amz-date"} <= set(signed)
        assert fields["Signature"] == recomputed_signature(request, server.url)
        signatures.append(fields["Signature"])
    assert len(set(signatures)) == 4  # the attempt header alone makes each signature new

    server.script([OK])
    h.client.describe_registry()
    last = server.requests[-1]
    assert last.headers["amz-sdk-request"] == "attempt=1; max=4"
    assert last.headers["amz-sdk-invocation-id"] != invocation_id


def test_a_stale_pooled_connection_is_retried_on_a_new_one(
    server: FaultServer, harness: Callable[..., Harness]
) -> None:
    server.script([OK, ResetBeforeRead(), OK])
    h = harness()
    h.client.describe_registry()
    assert server.connections_accepted == 1
    result = h.client.describe_registry()  # the pooled connection is reset under it
    assert result.response_metadata.retry_attempts == 1
    assert server.connections_accepted == 2
    assert h.backoffs == [0.5]


@pytest.mark.parametrize("mode", TWO_MODES)
def test_backoff_with_real_jitter_stays_within_bounds(
    server: FaultServer, harness: Callable[..., Harness], mode: str
) -> None:
    server.script([SERVER_ERROR] * 8)
    h = harness(jitter=None, retry_mode=mode, max_attempts=8)
    with pytest.raises(ServerException):
        h.client.describe_registry()
    assert len(h.backoffs) == 7
    for retry, delay in enumerate(h.backoffs, 1):
        assert 0 <= delay <= backoff_cap(mode, retry)
    assert len(set(h.backoffs)) == 7  # jittered: no two alike


# ---------------------------------------------------------------------------------------------
# The retry quota, across many calls of one client
# ---------------------------------------------------------------------------------------------


def test_retry_quota_runs_out_after_many_failures_and_successes_refill_it(
    server: FaultServer, harness: Callable[..., Harness]
) -> None:
    server.default = SERVER_ERROR
    h = harness(max_attempts=2, read_timeout=0.2)
    quota = h.quota
    assert quota.available == QUOTA_CAPACITY == 500

    # 100 failing calls, one retry each at 5 tokens: the 500 tokens are gone.
    for _ in range(100):
        with pytest.raises(ServerException) as info:
            h.client.describe_registry()
        assert info.value.response_metadata is not None
        assert info.value.response_metadata.retry_attempts == 1
        assert info.value.response_metadata.max_attempts_reached is True
    assert quota.available == 0
    assert len(server.requests) == 200
    assert h.backoffs == [0.5] * 100
    assert h.quota_at_backoff == list(range(495, -1, -5))

    # From now on failures are not retried, and do not claim attempts ran out.
    with pytest.raises(ServerException) as info:
        h.client.describe_registry()
    assert info.value.response_metadata is not None
    assert info.value.response_metadata.retry_attempts == 0
    assert info.value.response_metadata.max_attempts_reached is False
    assert len(server.requests) == 201
    assert len(h.backoffs) == 100

    # Legacy mode has no quota: a copy of the client in legacy mode still retries.
    legacy = h.client.with_options(retry_mode="legacy")
    with pytest.raises(ServerException) as info:
        legacy.describe_registry()
    assert info.value.response_metadata is not None
    assert info.value.response_metadata.retry_attempts == 1
    assert len(server.requests) == 203
    assert quota.available == 0

    # A success that needed no retry gives back 1 token.
    server.script([OK] * 5)
    for _ in range(5):
        h.client.describe_registry()
    assert quota.available == 5

    # 5 tokens buy one retry, and its success refunds them.
    server.script([SERVER_ERROR, OK])
    result = h.client.describe_registry()
    assert result.response_metadata.retry_attempts == 1
    assert h.quota_at_backoff[-1] == 0
    assert quota.available == 5

    # A timeout retry costs 10: with 5 tokens left a read timeout is not retried.
    server.script([Stall(0.5), OK])
    with pytest.raises(ReadTimeoutError) as timeout:
        h.client.describe_registry()
    assert timeout.value.retry_attempts == 0
    assert timeout.value.max_attempts_reached is False
    assert quota.available == 5
    assert server.pending == 1


def test_with_options_read_timeout_applies_to_the_copy(
    server: FaultServer, harness: Callable[..., Harness]
) -> None:
    server.script([Stall(0.6, then=OK), OK])
    impatient = harness().client.with_options(read_timeout=0.2)
    started = time.monotonic()
    result = impatient.describe_registry()
    assert time.monotonic() - started < 0.5  # actual: waits out the whole 0.6 s stall
    assert result.response_metadata.retry_attempts == 1  # actual: 0


# ---------------------------------------------------------------------------------------------
# The total deadline, with real stalls
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", TWO_MODES)
def test_total_deadline_cuts_a_real_stall(
    server: FaultServer, harness: Callable[..., Harness], mode: str
) -> None:
    server.script([Stall(2.0, then=OK)])
    h = harness(retry_mode=mode, total_deadline=0.6, read_timeout=5.0)
    started = time.monotonic()
    with pytest.raises(DeadlineExceededError) as info:
        h.client.describe_registry()
    elapsed = time.monotonic() - started
    assert 0.55 <= elapsed < 1.2  # the 5 s read timeout was cut to the 0.6 s deadline
    assert "deadline of 0.6 s" in str(info.value)
    assert isinstance(info.value.__cause__, ReadTimeoutError)
    assert info.value.retry_attempts == 0
    assert len(server.requests) == 1
    assert h.sleeps == []


def test_total_deadline_counts_real_backoff_between_attempts(
    server: FaultServer, harness: Callable[..., Harness]
) -> None:
    # Attempt 1 times out at 0.3 s, backs off 0.2 s (really slept), and attempt 2 gets only
    # what is left of the 0.8 s.
    server.script([Stall(2.0)] * 3)
    h = harness(jitter=0.2, real_sleep=True, total_deadline=0.8, read_timeout=0.3)
    started = time.monotonic()
    with pytest.raises(DeadlineExceededError) as info:
        h.client.describe_registry()
    elapsed = time.monotonic() - started
    assert 0.75 <= elapsed < 1.3
    assert h.backoffs == [pytest.approx(0.2)]
    assert len(server.requests) == 2
    assert info.value.retry_attempts == 1


def test_a_retry_refused_by_the_deadline_costs_no_quota(
    server: FaultServer, harness: Callable[..., Harness]
) -> None:
    server.script([Stall(2.0)])
    h = harness(total_deadline=0.3, read_timeout=5.0)
    with pytest.raises(DeadlineExceededError):
        h.client.describe_registry()
    assert len(server.requests) == 1  # no retry was made...
    assert h.quota.available == QUOTA_CAPACITY  # ...so none was paid for (actual: 490)


# ---------------------------------------------------------------------------------------------
# Clock skew
# ---------------------------------------------------------------------------------------------

SKEWS = [pytest.param(SKEW, id="server-20min-ahead"), pytest.param(-SKEW, id="server-20min-behind")]


@pytest.mark.parametrize("mode", TWO_MODES)
@pytest.mark.parametrize("offset", SKEWS)
def test_clock_skew_is_corrected_from_the_server_date_and_remembered(
    server: FaultServer, harness: Callable[..., Harness], mode: str, offset: int
) -> None:
    server.clock_offset = offset
    server.script([CheckSkew(then=OK), CheckSkew(then=OK)])
    h = harness(retry_mode=mode)

    result = h.client.describe_registry()
    first, second = server.requests
    server_clock = [r.received_at + offset for r in (first, second)]
    assert signed_at(first) - server_clock[0] == pytest.approx(-offset, abs=5)
    assert abs(signed_at(second) - server_clock[1]) <= 5  # within tolerance of the server
    assert second.headers["amz-sdk-request"] == f"attempt=2; max={h.client.retry_policy.attempts}"
    assert result.response_metadata.retry_attempts == 1
    assert h.sleeps == []  # a skew retry does not back off...
    assert h.quota.available == QUOTA_CAPACITY  # ...nor pay quota
    assert h.client._pipeline.clock_offset.total_seconds() == pytest.approx(offset, abs=2)

    # The correction is remembered: the next call passes on its first attempt.
    later = h.client.describe_registry()
    assert len(server.requests) == 3
    assert server.pending == 0
    assert abs(signed_at(server.requests[2]) - (server.requests[2].received_at + offset)) <= 5
    assert later.response_metadata.retry_attempts == 0


@pytest.mark.parametrize("offset", SKEWS)
def test_boto3_fails_the_skew_scenario_the_typed_client_survives(
    server: FaultServer,
    harness: Callable[..., Harness],
    boto_session: Any,
    boto_sleeps: list[float],
    offset: int,
) -> None:
    server.clock_offset = offset
    expected_message = "Signature expired" if offset > 0 else "Signature not yet current"

    # boto3 without retries: the skewed signature is refused, and that is that.
    server.script([CheckSkew(then=OK)] * 3)
    boto = boto_session.client(
        "ecr", endpoint_url=server.url, config=Config(retries={"max_attempts": 0})
    )
    with pytest.raises(ClientError) as info:
        boto.describe_registry()
    assert info.value.response["Error"]["Code"] == "InvalidSignatureException"
    assert expected_message in info.value.response["Error"]["Message"]
    assert len(server.requests) == 1

    # boto3's own retries do not help: it has no skew correction and does not retry the error.
    for mode in TWO_MODES:
        server.script([CheckSkew(then=OK)] * 5)
        retrying = boto_session.client(
            "ecr", endpoint_url=server.url, config=Config(retries={"mode": mode})
        )
        with pytest.raises(ClientError) as info:
            retrying.describe_registry()
        assert info.value.response["Error"]["Code"] == "InvalidSignatureException"
    assert len(server.requests) == 3
    assert boto_sleeps == []

    # The typed client, same server, same script: corrected on the second attempt.
    server.script([CheckSkew(then=OK)] * 3)
    result = harness().client.describe_registry()
    assert result.registry_id == REGISTRY_ID
    assert result.response_metadata.retry_attempts == 1
    assert len(server.requests) == 5

    # The boto3-compatible client: with no attempt to spare it fails as boto3 does (though it
    # flags MaxAttemptsReached, which boto3 does not: see the report); with boto3's default
    # legacy retries it corrects the clock where boto3 gives up.
    server.script([CheckSkew(then=OK)] * 3)
    compat, _ = compat_client(server, Config(retries={"max_attempts": 0}))
    outcome = outcome_of(compat.describe_registry)
    compat.close()
    assert outcome[:3] == ("ClientError", "InvalidSignatureException", 0)
    assert len(server.requests) == 6
    server.script([CheckSkew(then=OK)] * 3)
    compat, compat_sleeps = compat_client(server, Config(retries={"mode": "legacy"}))
    outcome = outcome_of(compat.describe_registry)
    compat.close()
    assert outcome == ("ok", 1, False)
    assert len(server.requests) == 8
    assert compat_sleeps == []


# ---------------------------------------------------------------------------------------------
# The boto3-compatible client against boto3, same server, same script
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def boto_session() -> Any:
    return boto3.session.Session(
        region_name=REGION, aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY
    )


@pytest.fixture
def boto_sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """boto3's retry sleeps, recorded: legacy and standard mode both return the delay to
    ``botocore.endpoint.Endpoint._needs_retry``, which calls ``time.sleep`` there. Its jitter
    is fixed at :data:`JITTER`, as the drop-in's, so the delays compare exactly."""
    sleeps: list[float] = []
    monkeypatch.setattr(botocore.endpoint, "time", types.SimpleNamespace(sleep=sleeps.append))
    monkeypatch.setattr(
        botocore.retryhandler, "random", types.SimpleNamespace(random=lambda: JITTER)
    )
    backoff = botocore.retries.standard.ExponentialBackoff
    unfixed = backoff.__init__

    def fixed_jitter(self: Any, *args: Any, **kwargs: Any) -> None:
        unfixed(self, *args, **kwargs)
        self._random = lambda: JITTER

    monkeypatch.setattr(backoff, "__init__", fixed_jitter)
    return sleeps


def compat_client(server: FaultServer, config: Config) -> tuple[Any, list[float]]:
    """``ecrclient.client("ecr", ...)`` on ``server``, its sleeps recorded, its jitter 0.5."""
    client = ecrclient.client(
        "ecr",
        region_name=REGION,
        endpoint_url=server.url,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        config=config,
    )
    sleeps: list[float] = []
    client.typed._sleep = sleeps.append
    client.typed._pipeline.random = lambda: JITTER
    return client, sleeps


def botocore_family(exc: BaseException) -> str:
    """The first botocore exception class ``exc`` is (ecrclient's derive from botocore's)."""
    for cls in type(exc).__mro__:
        if cls.__module__ == "botocore.exceptions":
            return cls.__name__
    return type(exc).__name__


def outcome_of(call: Callable[[], Any]) -> tuple[Any, ...]:
    """What a boto3-style call ended with, in terms both clients share."""
    try:
        response = call()
    except ClientError as exc:
        metadata = exc.response.get("ResponseMetadata", {})
        return (
            type(exc).__name__,
            exc.response["Error"]["Code"],
            metadata.get("RetryAttempts"),
            metadata.get("MaxAttemptsReached", False),
        )
    except BotoCoreError as exc:
        return (botocore_family(exc),)
    metadata = response["ResponseMetadata"]
    return ("ok", metadata["RetryAttempts"], metadata.get("MaxAttemptsReached", False))


COMPARED: list[tuple[str, list[Action], dict[str, Any]]] = [
    ("http-500-then-ok", [SERVER_ERROR, OK], {}),
    ("http-500-500-then-ok", [SERVER_ERROR, SERVER_ERROR, OK], {}),
    ("http-503-exhausted", [AwsError(503, "ServiceUnavailableException")] * 5, {}),
    ("ThrottlingException-then-ok", [Throttle(), OK], {}),
    ("TooManyRequestsException-then-ok", [Throttle("TooManyRequestsException"), OK], {}),
    ("RequestLimitExceeded-then-ok", [Throttle("RequestLimitExceeded"), OK], {}),
    (
        "ProvisionedThroughputExceeded-then-ok",
        [Throttle("ProvisionedThroughputExceededException"), OK],
        {},
    ),
    ("http-509-unknown-code-then-ok", [AwsError(509, "Overloaded"), OK], {}),
    ("throttling-exhausted", [Throttle()] * 5, {}),
    ("LimitExceededException-then-ok", [AwsError(400, "LimitExceededException"), OK], {}),
    ("http-429-unknown-code-then-ok", [AwsError(429, "TooBusy"), OK], {}),
    ("RequestTimeout-then-ok", [AwsError(400, "RequestTimeout"), OK], {}),
    ("RepositoryNotFound", [AwsError(400, "RepositoryNotFoundException"), OK], {}),
    ("reset-before-read-then-ok", [ResetBeforeRead(), OK], {}),
    ("reset-after-read-exhausted", [ResetAfterRead()] * 5, {}),
    ("close-after-read-then-ok", [CloseAfterRead(), OK], {}),
    ("html-502-then-ok", [HTML_502, OK], {}),
    ("html-502-exhausted", [HTML_502] * 5, {}),
    ("stall-past-read-timeout-then-ok", [Stall(0.5), OK], {"read_timeout": 0.2}),
]


@pytest.mark.parametrize("mode", TWO_MODES)
@pytest.mark.parametrize(
    ("script", "config"),
    [pytest.param(script, config, id=name) for name, script, config in COMPARED],
)
def test_compat_client_retries_like_boto3(
    server: FaultServer,
    boto_session: Any,
    boto_sleeps: list[float],
    mode: str,
    script: list[Action],
    config: dict[str, Any],
) -> None:
    boto_config = Config(retries={"mode": mode}, **config)

    server.script(script)
    boto = boto_session.client("ecr", endpoint_url=server.url, config=boto_config)
    expected = outcome_of(boto.describe_registry)
    boto.close()
    boto_attempts = len(consumed(server, script))

    server.script(script)
    compat, compat_sleeps = compat_client(server, boto_config)
    actual = outcome_of(compat.describe_registry)
    compat.close()
    compat_attempts = len(consumed(server, script))

    assert (compat_attempts, actual) == (boto_attempts, expected)
    assert len(boto_sleeps) == len(compat_sleeps) == boto_attempts - 1
    assert compat_sleeps == pytest.approx(boto_sleeps)


@pytest.mark.parametrize("mode", TWO_MODES)
@pytest.mark.parametrize("then_ok", [True, False], ids=["then-ok", "exhausted"])
def test_compat_client_treats_a_short_body_as_a_closed_connection(
    server: FaultServer, boto_session: Any, boto_sleeps: list[float], mode: str, then_ok: bool
) -> None:
    """Deliberate difference: botocore 1.44 reads an answer shorter than its Content-Length as
    if it were whole (here an empty success: data silently lost). The drop-in treats it as the
    broken connection it is, exactly as boto3 treats a connection closed after the request."""
    config = Config(retries={"mode": mode})

    def script(broken: Action) -> list[Action]:
        return [broken, OK] if then_ok else [broken] * 5

    server.script(script(Truncated()))
    boto = boto_session.client("ecr", endpoint_url=server.url, config=config)
    assert outcome_of(boto.describe_registry) == ("ok", 0, False)  # boto3 takes the fragment
    boto.close()

    server.script(script(CloseAfterRead()))
    boto = boto_session.client("ecr", endpoint_url=server.url, config=config)
    expected = outcome_of(boto.describe_registry)
    boto.close()
    expected_attempts = len(consumed(server, script(CloseAfterRead())))
    boto_sleeps.clear()

    server.script(script(Truncated()))
    compat, _ = compat_client(server, config)
    actual = outcome_of(compat.describe_registry)
    compat.close()
    assert (len(consumed(server, script(Truncated()))), actual) == (expected_attempts, expected)


@pytest.mark.parametrize("mode", TWO_MODES)
def test_compat_client_refuses_a_cut_json_success(
    server: FaultServer, boto_session: Any, boto_sleeps: list[float], mode: str
) -> None:
    """Deliberate difference: every declared byte of a 200 arrives but the JSON stops half-way.
    boto3 returns an empty success (data silently lost); the drop-in raises botocore's
    ResponseParserError with the status and a snippet, after one attempt as boto3 makes."""
    config = Config(retries={"mode": mode})
    server.script([CUT_JSON, OK])
    boto = boto_session.client("ecr", endpoint_url=server.url, config=config)
    assert outcome_of(boto.describe_registry) == ("ok", 0, False)
    boto.close()
    assert len(consumed(server, [CUT_JSON, OK])) == 1

    server.script([CUT_JSON, OK])
    compat, _ = compat_client(server, config)
    with pytest.raises(ResponseParserError, match="HTTP 200") as raised:
        compat.describe_registry()
    compat.close()
    assert len(consumed(server, [CUT_JSON, OK])) == 1
    assert '{"registryId"' in str(raised.value)


def test_compat_client_words_an_html_5xx_like_boto3(
    server: FaultServer, boto_session: Any, boto_sleeps: list[float]
) -> None:
    config = Config(retries={"total_max_attempts": 1})
    server.script([HTML_502])
    with pytest.raises(ClientError) as boto_error:
        boto_session.client("ecr", endpoint_url=server.url, config=config).describe_registry()
    server.script([HTML_502])
    compat, _ = compat_client(server, config)
    with pytest.raises(ClientError) as compat_error:
        compat.describe_registry()
    compat.close()
    assert boto_error.value.response["Error"] == {"Code": "502", "Message": "Bad Gateway"}
    assert compat_error.value.response["Error"] == boto_error.value.response["Error"]


# ---------------------------------------------------------------------------------------------
# One client, 16 threads, against moto
# ---------------------------------------------------------------------------------------------

THREADS = 16
CALLS_PER_THREAD = 500


def test_one_client_shared_by_16_threads_keeps_every_answer_with_its_caller(
    moto_endpoint: str,
) -> None:
    tag = uuid.uuid4().hex[:8]
    owners = [(f"{210000000000 + n}", f"fault-injection-{tag}-{n:02d}") for n in range(THREADS)]
    with ECRClient(
        region_name=REGION,
        endpoint_url=moto_endpoint,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        config=ClientConfig(max_pool_connections=THREADS),
    ) as client:
        for registry_id, name in owners:
            client.create_repository(repository_name=name, registry_id=registry_id)
        try:
            barrier = threading.Barrier(THREADS)
            errors: list[BaseException] = []
            done = [0] * THREADS

            def work(index: int, registry_id: str, name: str) -> None:
                try:
                    barrier.wait(timeout=30)
                    for _ in range(CALLS_PER_THREAD):
                        request = DescribeRepositoriesRequest(
                            registry_id=registry_id, repository_names=[name]
                        )
                        result = client.describe_repositories(request)
                        got = [
                            (r.registry_id, r.repository_name) for r in result.repositories or ()
                        ]
                        assert got == [(registry_id, name)], f"thread {index} got {got}"
                        uri = result.repositories[0].repository_uri  # type: ignore[index]
                        assert uri == f"{registry_id}.dkr.ecr.{REGION}.amazonaws.com/{name}"
                        assert result.response_metadata.http_status_code == 200
                        assert result.response_metadata.retry_attempts == 0
                        cached = client.get_cached_response_metadata(request)
                        assert cached is None or cached is result.response_metadata
                        done[index] += 1
                except BaseException as exc:
                    errors.append(exc)

            threads = [
                threading.Thread(target=work, args=(n, *owner), name=f"caller-{n}")
                for n, owner in enumerate(owners)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=120)
            assert not any(thread.is_alive() for thread in threads)
            assert errors == []
            assert done == [CALLS_PER_THREAD] * THREADS
        finally:
            for registry_id, name in owners:
                client.delete_repository(repository_name=name, registry_id=registry_id, force=True)
