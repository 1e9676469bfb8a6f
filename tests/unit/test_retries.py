"""Retry behaviour with scripted answers (respx) and the sleep injected, so nothing waits."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from typing import Any

import httpx
import pytest
import respx

from ecrclient import ClientConfig, ECRClient
from ecrclient.errors import (
    DeadlineExceededError,
    EndpointConnectionError,
    LimitExceededException,
    ReadTimeoutError,
    RepositoryNotFoundException,
    ServerException,
)

ENDPOINT = "https://ecr.retry.example"
OK = httpx.Response(200, json={"registryId": "123456789012"}, headers={"x-amzn-RequestId": "ok"})


def error(
    status: int, code: str, message: str = "", headers: dict[str, str] | None = None
) -> httpx.Response:
    return httpx.Response(status, json={"__type": code, "message": message}, headers=headers or {})


class Harness:
    """A client whose sleeps are recorded instead of slept and whose jitter is fixed."""

    def __init__(self, jitter: float = 0.5, **config: Any) -> None:
        self.sleeps: list[float] = []
        self.client = ECRClient(
            region_name="us-east-1",
            endpoint_url=ENDPOINT,
            aws_access_key_id="AKID",
            aws_secret_access_key="secret",
            config=ClientConfig(**config),
            transport="httpx",  # respx intercepts httpx only
        )
        self.client._sleep = self.sleeps.append
        self.client._pipeline.random = lambda: jitter

    def run(self, responses: list[Any]) -> tuple[Any, list[httpx.Request]]:
        with respx.mock() as router:
            route = router.post(f"{ENDPOINT}/").mock(side_effect=responses)
            try:
                return self.client.describe_registry(), [c.request for c in route.calls]
            except Exception as exc:
                exc.sent = [c.request for c in route.calls]  # type: ignore[attr-defined]
                raise


@pytest.fixture
def harness() -> Iterator[Harness]:
    h = Harness()
    yield h
    h.client.close()


def test_transient_errors_are_retried_with_capped_jittered_backoff(harness: Harness) -> None:
    result, sent = harness.run([error(500, "ServerException"), error(503, "X"), OK])
    assert len(sent) == 3
    assert harness.sleeps == [0.5 * 1, 0.5 * 2]
    assert result.response_metadata.retry_attempts == 2
    assert result.response_metadata.max_attempts_reached is False


def test_same_invocation_id_new_attempt_header_and_a_fresh_signature(harness: Harness) -> None:
    instants = iter(datetime(2026, 1, 1, 0, 0, s, tzinfo=timezone.utc) for s in range(10))
    harness.client._pipeline.clock = lambda: next(instants)
    _, sent = harness.run([error(500, "ServerException"), error(500, "ServerException"), OK])
    assert len({r.headers["amz-sdk-invocation-id"] for r in sent}) == 1
    assert [r.headers["amz-sdk-request"] for r in sent] == [
        "attempt=1; max=3",
        "attempt=2; max=3",
        "attempt=3; max=3",
    ]
    assert len({r.headers["x-amz-date"] for r in sent}) == 3
    assert len({r.headers["authorization"] for r in sent}) == 3


def test_attempts_run_out_and_the_fault_says_so(harness: Harness) -> None:
    with pytest.raises(ServerException) as info:
        harness.run([error(500, "ServerException", "down")] * 3)
    fault = info.value
    assert len(fault.sent) == 3  # type: ignore[attr-defined]
    assert fault.response_metadata is not None
    assert fault.response_metadata.retry_attempts == 2
    assert fault.response_metadata.max_attempts_reached is True
    assert fault.response["ResponseMetadata"]["MaxAttemptsReached"] is True
    assert fault.response["ResponseMetadata"]["RetryAttempts"] == 2
    assert str(fault) == (
        "An error occurred (ServerException) when calling the DescribeRegistry operation "
        "(reached max retries: 2): down"
    )
    assert harness.sleeps == [0.5, 1.0]


@pytest.mark.parametrize(
    "code",
    ["ThrottlingException", "TooManyRequestsException", "RequestLimitExceeded", "SlowDown"],
)
def test_throttling_codes_are_retried(harness: Harness, code: str) -> None:
    _, sent = harness.run([error(400, code), OK])
    assert len(sent) == 2


def test_client_faults_are_not_retried(harness: Harness) -> None:
    with pytest.raises(RepositoryNotFoundException) as info:
        harness.run([error(400, "RepositoryNotFoundException"), OK])
    assert len(info.value.sent) == 1  # type: ignore[attr-defined]
    assert info.value.response_metadata.max_attempts_reached is False  # type: ignore[union-attr]
    assert harness.sleeps == []


def test_quota_limit_errors_are_not_retried_unless_asked() -> None:
    typed = Harness()
    with pytest.raises(LimitExceededException) as info:
        typed.run([error(400, "LimitExceededException", "too many repositories"), OK])
    assert len(info.value.sent) == 1  # type: ignore[attr-defined]
    like_botocore = Harness(retry_quota_errors=True)
    _, sent = like_botocore.run([error(400, "LimitExceededException"), OK])
    assert len(sent) == 2


def test_connection_errors_are_retried_and_reported(harness: Harness) -> None:
    with pytest.raises(EndpointConnectionError) as info:
        harness.run([httpx.ConnectError("refused")] * 3)
    assert info.value.retry_attempts == 2
    assert info.value.max_attempts_reached is True
    _, sent = harness.run([httpx.ConnectError("refused"), httpx.ReadTimeout("slow"), OK])
    assert len(sent) == 3


def test_retry_after_is_honoured_within_bounds() -> None:
    h = Harness(jitter=0.1)
    h.run([error(503, "ServiceUnavailable", headers={"x-amz-retry-after": "3000"}), OK])
    h.run([error(503, "ServiceUnavailable", headers={"x-amz-retry-after": "60000"}), OK])
    h.run([error(503, "ServiceUnavailable", headers={"x-amz-retry-after": "10"}), OK])
    assert h.sleeps == pytest.approx([3.0, 0.1 + 5.0, 0.1])


def test_backoff_is_capped_at_20_seconds() -> None:
    h = Harness(jitter=1.0, max_attempts=8)
    with pytest.raises(ServerException):
        h.run([error(500, "ServerException")] * 8)
    assert h.sleeps == [1, 2, 4, 8, 16, 20, 20]


def test_the_retry_quota_stops_hammering_and_successes_refill_it() -> None:
    h = Harness(max_attempts=2)
    quota = h.client._pipeline.retry_quota
    for _ in range(100):  # 100 retries at 5 tokens each is = the whole bucket
        h.run([error(500, "ServerException"), OK])
    # Each success after a retry gives its 5 tokens back.
    assert quota.available == 500
    for _ in range(100):
        with pytest.raises(ServerException):
            h.run([error(500, "ServerException"), error(500, "ServerException")])
    assert quota.available == 0
    with pytest.raises(ServerException) as info:
        h.run([error(500, "ServerException"), OK])
    assert len(info.value.sent) == 1  # type: ignore[attr-defined]
    h.run([OK])
    assert quota.available == 1


def test_timeouts_cost_more_quota(harness: Harness) -> None:
    quota = harness.client._pipeline.retry_quota
    with pytest.raises(ReadTimeoutError):
        harness.run([httpx.ReadTimeout("slow")] * 3)
    assert quota.available == 500 - 2 * 10


def test_total_deadline_is_never_exceeded_by_backoff() -> None:
    h = Harness(jitter=0.9, total_deadline=1.5)
    with pytest.raises(ServerException) as info:
        h.run([error(500, "ServerException")] * 3)
    # The first backoff (0.9 s) fits in 1.5 s; the second (1.8 s) would not.
    assert h.sleeps == [0.9]
    assert len(info.value.sent) == 2  # type: ignore[attr-defined]


def test_each_attempt_is_capped_by_the_remaining_deadline() -> None:
    h = Harness(total_deadline=2.0, read_timeout=30.0)
    _, sent = h.run([OK])
    timeouts = sent[0].extensions["timeout"]
    assert 0 < timeouts["read"] <= 2.0
    assert 0 < timeouts["connect"] <= 2.0


def test_a_timeout_that_uses_up_the_deadline_is_reported_as_the_deadline(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    h = Harness(total_deadline=0.5)
    clock = iter([100.0, 100.0, 100.6, 100.6, 100.6])
    monkeypatch.setattr("ecrclient._core.retries.time.monotonic", lambda: next(clock))
    with pytest.raises(DeadlineExceededError) as info:
        h.run([httpx.ReadTimeout("slow"), OK])
    assert "deadline of 0.5 s" in str(info.value)
    assert isinstance(info.value.__cause__, ReadTimeoutError)


def test_legacy_mode_matches_botocores_legacy_rules() -> None:
    h = Harness(jitter=1.0, retry_mode="legacy")
    with pytest.raises(ServerException):
        h.run([error(500, "ServerException")] * 5)
    assert h.sleeps == [1, 2, 4, 8]  # rand * 2 ** (n - 1), five attempts, no cap
    legacy = Harness(retry_mode="legacy")
    _, sent = legacy.run([httpx.Response(429, json={"__type": "Anything"}), OK])
    assert len(sent) == 2
    with pytest.raises(Exception) as info:
        legacy.run([error(400, "TooManyRequestsException"), OK])
    assert len(info.value.sent) == 1  # type: ignore[attr-defined]


def test_adaptive_mode_slows_sending_after_throttling() -> None:
    h = Harness(retry_mode="adaptive", max_attempts=10)
    limiter = h.client._pipeline.rate_limiter
    assert not limiter.enabled
    h.run([error(400, "ThrottlingException")] * 4 + [OK])
    assert limiter.enabled
    waits = [limiter.delay_before_send() for _ in range(5)]
    assert any(wait is not None and wait > 0 for wait in waits)


def test_clock_skew_is_corrected_from_the_date_header_and_remembered(harness: Harness) -> None:
    server_now = datetime.now(timezone.utc) + timedelta(minutes=20)
    skewed = error(
        400,
        "InvalidSignatureException",
        "Signature expired: 20260101T000000Z is now earlier than 20260101T002000Z",
        headers={"Date": format_datetime(server_now, usegmt=True)},
    )
    _, sent = harness.run([skewed, OK])
    signed_at = [
        datetime.strptime(r.headers["x-amz-date"], "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)
        for r in sent
    ]
    assert abs(signed_at[1] - server_now) < timedelta(seconds=5)
    assert harness.sleeps == []
    # Later calls sign with the corrected clock from their first attempt.
    _, later = harness.run([OK])
    first = datetime.strptime(later[0].headers["x-amz-date"], "%Y%m%dT%H%M%SZ")
    assert abs(first.replace(tzinfo=timezone.utc) - server_now) < timedelta(seconds=5)


def test_signature_errors_that_are_not_about_time_are_not_retried(harness: Harness) -> None:
    with pytest.raises(Exception) as info:
        harness.run([error(400, "InvalidSignatureException", "The signature does not match"), OK])
    assert len(info.value.sent) == 1  # type: ignore[attr-defined]


def test_with_options_changes_retries_per_call_and_shares_the_pool(harness: Harness) -> None:
    patient = harness.client.with_options(max_attempts=5)
    assert patient.retry_policy.attempts == 5
    assert harness.client.retry_policy.attempts == 3
    assert patient._transport is harness.client._transport
    assert patient._pipeline.retry_quota is harness.client._pipeline.retry_quota
    with respx.mock() as router:
        route = router.post(f"{ENDPOINT}/").mock(side_effect=[error(500, "S")] * 4 + [OK])
        patient.describe_registry()
        assert route.call_count == 5
    patient.close()
    pool = harness.client._transport.http_client  # type: ignore[attr-defined]
    assert pool is not None and not pool.is_closed
    with pytest.raises(ValueError, match="cannot change"):
        harness.client.with_options(verify=False)


def test_environment_and_profile_choose_the_retry_policy(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    config = tmp_path / "config"
    config.write_text("[default]\nretry_mode = legacy\nmax_attempts = 7\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    assert Harness().client.retry_policy.mode == "legacy"
    assert Harness().client.retry_policy.attempts == 7
    monkeypatch.setenv("AWS_RETRY_MODE", "adaptive")
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "2")
    policy = Harness().client.retry_policy
    assert (policy.mode, policy.attempts) == ("adaptive", 2)
    explicit = Harness(retry_mode="standard", max_attempts=4).client.retry_policy
    assert (explicit.mode, explicit.attempts) == ("standard", 4)
    monkeypatch.setenv("AWS_RETRY_MODE", "bogus")
    with pytest.raises(ValueError, match="retry mode"):
        Harness()


def test_every_retry_decision_is_logged(harness: Harness, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG, logger="ecrclient"):
        harness.run([error(500, "ServerException"), OK])
    messages = [r.getMessage() for r in caplog.records if r.name == "ecrclient.retries"]
    assert len(messages) == 1
    assert "DescribeRegistry attempt 1/3 failed (transient, ServerException)" in messages[0]
    assert "retrying in 0.500 s" in messages[0]


def test_requests_sent_with_retries_keep_their_body(harness: Harness) -> None:
    with respx.mock() as router:
        route = router.post(f"{ENDPOINT}/").mock(side_effect=[error(500, "S"), OK])
        harness.client.describe_repositories(repository_names=["app"])
        bodies = [json.loads(call.request.content) for call in route.calls]
    assert bodies == [{"repositoryNames": ["app"]}] * 2


def test_a_rate_limit_wait_refused_by_the_deadline_reserves_nothing() -> None:
    from ecrclient._core.retries import RateLimiter

    now = [0.0]
    limiter = RateLimiter(clock=lambda: now[0])
    for _ in range(3):
        limiter.record(throttled=True)  # the rate drops to its floor: a send every 2 s
    waits = [limiter.delay_before_send(within=1.0) for _ in range(5)]
    assert waits[0] == 0.0 or waits[0] is None
    assert None in waits
    refused_at = waits.index(None)
    # Refusals leave the bucket as it was: the same question gets the same answer.
    assert all(wait is None for wait in waits[refused_at:])
    unbounded = limiter.delay_before_send()
    assert unbounded is not None and 0 < unbounded < 4.0
