"""Retry decisions, sans-IO: whether a failed attempt is retried, after how long, at what cost.

The pieces, from the bottom up:

* :func:`classify` looks at one failure (a service fault, an unreadable answer, or a network
  error) and names its kind: throttling, transient, timeout, clock skew, or none of these.
* :class:`RetryPolicy` is the configuration: mode, attempts, total deadline.
* :class:`RetryQuota` is the per-client token bucket that stops a failing endpoint from being
  hammered (``standard`` and ``adaptive`` modes), and :class:`RateLimiter` the client-side send
  rate that ``adaptive`` mode lowers on throttling.
* :class:`CallRetries` holds one call's state and answers :meth:`CallRetries.decide` after each
  failed attempt; the clients run the attempts with tenacity (``Retrying`` / ``AsyncRetrying``)
  and ask it. Every decision is logged at DEBUG on ``ecrclient.retries``.

Modes, as the AWS SDKs define them:

=========  ============  =====================================================================
mode       attempts      retried
=========  ============  =====================================================================
standard   3             throttling codes, transient codes, HTTP 500/502/503/504, connection
                         errors and timeouts; backoff ``rand() * min(2 ** (n - 1), 20)`` s;
                         retry quota; ``x-amz-retry-after`` honoured within ``[t, t + 5]`` s
adaptive   3             as standard, plus a client-side send rate cut on throttling
legacy     5             botocore's ``_retry.json``: 429/500/502/503/504/509, five throttling
                         codes, connection errors; backoff ``rand() * 2 ** (n - 1)`` s, no cap
=========  ============  =====================================================================

Standard and adaptive mode come in two revisions of the AWS SDKs' rules (:data:`RetryRules`),
and botocore 1.44 moved from the first to the second:

=========  ===========================================================================
rules      differences
=========  ===========================================================================
classic    backoff base 1 s for every failure; a retry costs 5 quota tokens, a timeout
           retry 10
2026       backoff base 1 s for throttling, 50 ms for anything else; a retry costs 14
           tokens, a throttling retry 5; a 429 whose error code the operation does not
           model counts as throttling
=========  ===========================================================================
"""

from __future__ import annotations

import logging
import random
import re
import threading
import time
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Literal

import attrs

from ecrclient._core.errors import (
    ConnectionClosedError,
    ConnectTimeoutError,
    DeadlineExceededError,
    EndpointConnectionError,
    MalformedResponseError,
    NetworkError,
    PoolTimeoutError,
    ReadTimeoutError,
    ServiceError,
    WriteTimeoutError,
)

logger = logging.getLogger("ecrclient.retries")

RetryMode = Literal["standard", "adaptive", "legacy"]
MODES: tuple[str, ...] = ("standard", "adaptive", "legacy")
DEFAULT_MAX_ATTEMPTS = {"standard": 3, "adaptive": 3, "legacy": 5}

MAX_BACKOFF = 20.0
"""Seconds: the cap on one standard-mode backoff."""
RETRY_AFTER_EXTRA = 5.0
"""Seconds a server's ``x-amz-retry-after`` may add to the computed backoff, at most."""

THROTTLING_CODES = frozenset(
    {
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "RequestThrottledException",
        "TooManyRequestsException",
        "ProvisionedThroughputExceededException",
        "TransactionInProgressException",
        "RequestLimitExceeded",
        "BandwidthLimitExceeded",
        "LimitExceededException",
        "RequestThrottled",
        "SlowDown",
        "PriorRequestNotComplete",
        "EC2ThrottledException",
    }
)
QUOTA_CODES = frozenset({"LimitExceededException"})
"""ECR answers LimitExceededException when a service quota is used up (too many repositories,
images or lifecycle previews): waiting does not help. botocore retries it as throttling."""
TRANSIENT_CODES = frozenset(
    {"RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete"}
)
TRANSIENT_STATUS = frozenset({500, 502, 503, 504})

LEGACY_THROTTLING_CODES = frozenset(
    {
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "RequestThrottledException",
        "ProvisionedThroughputExceededException",
    }
)
LEGACY_STATUS = frozenset({429, 500, 502, 503, 504, 509})

SKEW_CODES = frozenset({"RequestTimeTooSkewed", "RequestExpired", "RequestInTheFuture"})
SIGNATURE_CODES = frozenset({"InvalidSignatureException", "SignatureDoesNotMatch", "AuthFailure"})
_SKEW_MESSAGE = re.compile(r"signature (has )?expired|not yet current|time.*skew", re.IGNORECASE)

QUOTA_CAPACITY = 500
RETRY_COST = 5
TIMEOUT_RETRY_COST = 10
NO_RETRY_INCREMENT = 1

RetryRules = Literal["classic", "2026"]
RULES: tuple[str, ...] = ("classic", "2026")
RETRY_COST_2026 = 14
THROTTLING_RETRY_COST_2026 = 5
NON_THROTTLING_BASE_2026 = 0.05
"""Seconds: the 2026 rules' backoff base for failures other than throttling."""

FailureKind = Literal["throttling", "transient", "timeout", "skew", "quota", "fatal"]


@attrs.frozen(kw_only=True)
class RetryPolicy:
    """How a client retries. ``max_attempts`` counts every attempt, the first included."""

    mode: RetryMode = "standard"
    max_attempts: int | None = None
    """``None`` takes the mode's default (3 for standard and adaptive, 5 for legacy)."""
    total_deadline: float | None = None
    """Seconds for the whole call, retries and backoff included; ``None`` for no limit."""
    retry_quota_errors: bool = False
    """Retry ``LimitExceededException`` as throttling (botocore does; it is usually a quota)."""
    honour_retry_after: bool = True
    """Let ``x-amz-retry-after`` lengthen a standard-mode backoff (botocore's classic standard
    mode ignores it)."""
    rules: RetryRules = "classic"
    """Which revision of the standard-mode rules applies (see the module's documentation)."""

    def __attrs_post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"retry mode must be one of {', '.join(MODES)}, got {self.mode!r}")
        if self.rules not in RULES:
            raise ValueError(f"retry rules must be one of {', '.join(RULES)}, got {self.rules!r}")
        if self.max_attempts is not None and self.max_attempts < 1:
            raise ValueError(f"max_attempts must be at least 1, got {self.max_attempts}")
        if self.total_deadline is not None and self.total_deadline <= 0:
            raise ValueError(f"total_deadline must be positive, got {self.total_deadline}")

    @property
    def attempts(self) -> int:
        return (
            self.max_attempts if self.max_attempts is not None else DEFAULT_MAX_ATTEMPTS[self.mode]
        )


@attrs.frozen(kw_only=True)
class Failure:
    """What a failed attempt was, as far as retrying is concerned."""

    kind: FailureKind
    code: str | None = None
    status: int | None = None
    retry_after: float | None = None
    """The server's ``x-amz-retry-after`` in seconds, when it sent one."""
    server_time: datetime | None = None
    """The response's ``Date``, when it had one."""


def classify(
    exc: BaseException, policy: RetryPolicy, modeled_errors: tuple[str, ...] = ()
) -> Failure:
    """The kind of failure ``exc`` is, under ``policy``'s mode; ``modeled_errors`` are the
    codes the operation declares."""
    if isinstance(exc, ServiceError):
        headers: Mapping[str, str] = (
            exc.response_metadata.http_headers if exc.response_metadata is not None else {}
        )
        code, status = exc.error_code, exc.status_code
        return Failure(
            kind=_service_kind(code, status, exc.error_message, policy, modeled_errors),
            code=code,
            status=status,
            retry_after=_retry_after(headers),
            server_time=_server_time(headers),
        )
    if isinstance(exc, DeadlineExceededError):
        return Failure(kind="fatal")  # the call's time is up: no attempt can follow
    if isinstance(exc, MalformedResponseError):
        retryable = exc.status_code in (
            LEGACY_STATUS if policy.mode == "legacy" else TRANSIENT_STATUS
        )
        return Failure(kind="transient" if retryable else "fatal", status=exc.status_code)
    if isinstance(exc, (ConnectTimeoutError, ReadTimeoutError, WriteTimeoutError)):
        return Failure(kind="timeout")
    if isinstance(exc, PoolTimeoutError):
        # The client's own pool is saturated; another attempt would queue again.
        return Failure(kind="fatal")
    if isinstance(exc, (EndpointConnectionError, ConnectionClosedError, NetworkError)):
        return Failure(kind="transient")
    return Failure(kind="fatal")


def _service_kind(
    code: str,
    status: int | None,
    message: str,
    policy: RetryPolicy,
    modeled_errors: tuple[str, ...],
) -> FailureKind:
    if code in SKEW_CODES or (code in SIGNATURE_CODES and _SKEW_MESSAGE.search(message or "")):
        return "skew"
    if policy.mode == "legacy":
        if (code in LEGACY_THROTTLING_CODES and status == 400) or status in LEGACY_STATUS:
            return "throttling" if code in LEGACY_THROTTLING_CODES or status == 429 else "transient"
        return "fatal"
    if code in QUOTA_CODES and not policy.retry_quota_errors:
        return "quota"
    if code in THROTTLING_CODES:
        return "throttling"
    if policy.rules == "2026" and status == 429 and code not in modeled_errors:
        return "throttling"
    if code in TRANSIENT_CODES or status in TRANSIENT_STATUS:
        return "transient"
    return "fatal"


def _retry_after(headers: Mapping[str, str]) -> float | None:
    raw = headers.get("x-amz-retry-after")
    if raw is None:
        return None
    try:
        value = int(raw) / 1000.0
    except (ValueError, OverflowError):  # not a number, or too many digits for a float
        return None
    return value if value >= 0 else None


def _server_time(headers: Mapping[str, str]) -> datetime | None:
    raw = headers.get("date")
    if not raw:
        return None
    try:
        parsed = parsedate_to_datetime(raw)
    except (TypeError, ValueError, OverflowError, IndexError):
        # Unreadable (a year past 9999, numbers too large for the C library): no server time.
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=timezone.utc)


class RetryQuota:
    """A token bucket of retries, shared by every call of a client (and its option copies)."""

    def __init__(self, capacity: int = QUOTA_CAPACITY) -> None:
        self.capacity = capacity
        self._available = capacity
        self._lock = threading.Lock()

    @property
    def available(self) -> int:
        return self._available

    def acquire(self, amount: int) -> bool:
        with self._lock:
            if amount > self._available:
                return False
            self._available -= amount
            return True

    def release(self, amount: int) -> None:
        if self._available == self.capacity:
            return
        with self._lock:
            self._available = min(self.capacity, self._available + amount)


class RateLimiter:
    """Adaptive mode's client-side send rate: CUBIC, as the AWS SDKs compute it.

    Inactive until the first throttling answer; from then on :meth:`delay_before_send` says how
    long to wait so sends stay under the measured rate. Sans-IO: the caller sleeps.
    """

    MIN_RATE = 0.5
    SMOOTH = 0.8
    BETA = 0.7
    SCALE = 0.4

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._enabled = False
        self._fill_rate = self.MIN_RATE
        self._capacity = 1.0
        self._tokens = 0.0
        self._last_refill = clock()
        self._last_max_rate = 0.0
        self._last_throttle = clock()
        self._measured_rate = 0.0
        self._count = 0
        self._bucket_start = int(clock() * 2) / 2
        self._time_window = 0.0

    @property
    def enabled(self) -> bool:
        return self._enabled

    def delay_before_send(self, within: float | None = None) -> float | None:
        """Seconds to wait before the next send (0 while inactive), reserving one token; or
        ``None``, reserving nothing, when the wait would be ``within`` seconds or longer."""
        with self._lock:
            if not self._enabled:
                return 0.0
            self._refill()
            tokens = self._tokens - 1.0
            delay = 0.0 if tokens >= 0 else -tokens / self._fill_rate
            if within is not None and delay >= within:
                return None
            self._tokens = tokens
            return delay

    def record(self, *, throttled: bool) -> None:
        """Feed back one answer: the rate grows on success and drops on throttling."""
        with self._lock:
            now = self._clock()
            self._update_measured_rate(now)
            if throttled:
                rate = (
                    self._measured_rate
                    if not self._enabled
                    else min(self._measured_rate, self._fill_rate)
                )
                self._last_max_rate = rate
                self._time_window = ((self._last_max_rate * (1 - self.BETA)) / self.SCALE) ** (
                    1 / 3
                )
                new_rate = rate * self.BETA
                self._enabled = True
                self._last_throttle = now
            else:
                elapsed = now - self._last_throttle
                new_rate = self.SCALE * (elapsed - self._time_window) ** 3 + self._last_max_rate
            self._set_rate(min(new_rate, 2 * self._measured_rate))

    def _refill(self) -> None:
        now = self._clock()
        self._tokens = min(
            self._capacity, self._tokens + (now - self._last_refill) * self._fill_rate
        )
        self._last_refill = now

    def _set_rate(self, rate: float) -> None:
        self._refill()
        self._fill_rate = max(rate, self.MIN_RATE)
        self._capacity = max(rate, 1.0)
        self._tokens = min(self._tokens, self._capacity)

    def _update_measured_rate(self, now: float) -> None:
        bucket = int(now * 2) / 2
        self._count += 1
        if bucket > self._bucket_start:
            current = self._count / (bucket - self._bucket_start)
            self._measured_rate = current * self.SMOOTH + self._measured_rate * (1 - self.SMOOTH)
            self._count = 0
            self._bucket_start = bucket


@attrs.frozen(kw_only=True)
class Decision:
    retry: bool
    delay: float = 0.0
    reason: str
    max_attempts_reached: bool = False


class CallRetries:
    """One call's retry state: attempts made, quota held, deadline; shared by sync and async."""

    def __init__(
        self,
        policy: RetryPolicy,
        *,
        quota: RetryQuota,
        rate_limiter: RateLimiter | None,
        on_skew: Callable[[datetime], bool],
        operation: str,
        modeled_errors: tuple[str, ...] = (),
        clock: Callable[[], float] | None = None,
        rng: Callable[[], float] | None = None,
    ) -> None:
        self.policy = policy
        self.max_attempts = policy.attempts
        self.attempt = 1
        self._quota = quota if policy.mode != "legacy" else None
        self._rate_limiter = rate_limiter if policy.mode == "adaptive" else None
        self._on_skew = on_skew
        self._operation = operation
        self._modeled_errors = modeled_errors
        self._clock = clock or time.monotonic
        self._rng = rng or random.random
        self._started = self._clock()
        self._quota_held: int | None = None

    def remaining(self) -> float | None:
        """Seconds left before the call's deadline, or ``None`` without one."""
        if self.policy.total_deadline is None:
            return None
        return self.policy.total_deadline - (self._clock() - self._started)

    def delay_before_send(self) -> float | None:
        """Seconds adaptive mode's rate limit waits before the next send (0 in other modes), or
        ``None`` when that wait would outlast the call's deadline (no send is reserved)."""
        if self._rate_limiter is None:
            return 0.0
        return self._rate_limiter.delay_before_send(within=self.remaining())

    def succeeded(self) -> None:
        if self._rate_limiter is not None:
            self._rate_limiter.record(throttled=False)
        if self._quota is not None:
            self._quota.release(self._quota_held if self._quota_held else NO_RETRY_INCREMENT)

    def decide(self, exc: BaseException) -> Decision:
        """Whether to retry after attempt ``self.attempt`` failed with ``exc``, and when."""
        failure = classify(exc, self.policy, self._modeled_errors)
        if self._rate_limiter is not None and isinstance(exc, ServiceError):
            self._rate_limiter.record(throttled=failure.kind == "throttling")
        decision = self._decide(failure)
        logger.debug(
            "%s attempt %d/%d failed (%s%s): %s %s",
            self._operation,
            self.attempt,
            self.max_attempts,
            failure.kind,
            f", {failure.code or failure.status}" if failure.code or failure.status else "",
            f"retrying in {decision.delay:.3f} s because" if decision.retry else "not retrying:",
            decision.reason,
        )
        if decision.retry:
            self.attempt += 1
        return decision

    def _decide(self, failure: Failure) -> Decision:
        if failure.kind in ("fatal", "quota"):
            reason = (
                "a quota error; waiting does not help"
                if failure.kind == "quota"
                else ("the failure is not retryable")
            )
            return Decision(retry=False, reason=reason)
        if self.attempt >= self.max_attempts:
            return Decision(
                retry=False,
                reason="the maximum attempts were made",
                # A skew error is not a retryable failure in botocore's terms.
                max_attempts_reached=failure.kind != "skew",
            )
        if failure.kind == "skew":
            if failure.server_time is None:
                return Decision(retry=False, reason="clock skew, but no Date header to correct by")
            if not self._on_skew(failure.server_time):
                return Decision(
                    retry=False, reason="clock skew, but the Date header is implausibly far off"
                )
            return self._within_deadline(
                Decision(retry=True, delay=0.0, reason="clock skew corrected from the Date header")
            )
        decision = self._within_deadline(
            Decision(retry=True, delay=self._backoff(failure), reason=f"{failure.kind} error")
        )
        if decision.retry and self._quota is not None:
            # Paid only for a retry that happens: one the deadline refuses costs nothing.
            cost = self._retry_cost(failure)
            if not self._quota.acquire(cost):
                return Decision(retry=False, reason="the client's retry quota is used up")
            self._quota_held = cost
        return decision

    def _retry_cost(self, failure: Failure) -> int:
        if self.policy.rules == "2026":
            return THROTTLING_RETRY_COST_2026 if failure.kind == "throttling" else RETRY_COST_2026
        return TIMEOUT_RETRY_COST if failure.kind == "timeout" else RETRY_COST

    def _backoff(self, failure: Failure) -> float:
        exponent = float(2 ** (self.attempt - 1))
        if self.policy.mode == "legacy":
            return self._rng() * exponent
        if self.policy.rules == "2026" and failure.kind != "throttling":
            exponent *= NON_THROTTLING_BASE_2026
        delay = self._rng() * min(exponent, MAX_BACKOFF)
        if failure.retry_after is not None and self.policy.honour_retry_after:
            delay = max(delay, min(failure.retry_after, delay + RETRY_AFTER_EXTRA))
        return delay

    def _within_deadline(self, decision: Decision) -> Decision:
        remaining = self.remaining()
        if remaining is not None and decision.delay >= remaining:
            return Decision(
                retry=False,
                reason=f"the call's deadline of {self.policy.total_deadline} s leaves no time",
            )
        return decision
