"""Waiters, minus the I/O: match each attempt's outcome, then say stop or poll again later.

A :class:`Poller` never calls the service and never sleeps; the caller does both, synchronously
or with ``await``, and reports each attempt as an :class:`Outcome`::

    poller = Poller(spec, delay=..., max_attempts=..., max_wait=...)  # checks the options
    while True:
        outcome = <call the operation>   # Outcome.of_result(wire_dict) or Outcome.of_error(code)
        decision = poller.accept(outcome)
        if decision.state == "retry":
            <sleep decision.delay>        # time.sleep(...) or await asyncio.sleep(...)
        elif decision.error is not None:
            raise decision.error
        else:
            break                         # success

Only service errors are outcomes. Anything else the call raises (a timeout, a bad request) is
not the waiter's business: the caller lets it propagate, as botocore does.

By default the decisions are botocore's ``Waiter.wait`` (``botocore/waiter.py``), reasons
included: the acceptors are tried in order and the first match decides; an error no acceptor
matches fails the wait; no match on a result means poll again; ``max_attempts`` attempts at
most, with a fixed ``delay`` between them. Beyond botocore:

* ``max_wait`` — a budget in seconds from the Poller's creation, read from an injectable
  monotonic clock. No attempt starts after it is spent: the delay before the last attempt is
  cut short to end at the deadline.
* ``min_delay`` / ``max_delay`` — aws-sdk-go-v2's exponential backoff with jitter instead of
  the fixed delay: ``min_delay * 2**(attempt-1)`` capped at ``max_delay``, jittered uniformly
  into ``[min_delay, that)``. With ``max_wait``, the wait ends once less than ``min_delay`` is
  left, and the last delay is shortened to leave ``min_delay`` for the last attempt, as in Go.
* ``retryable`` — a hook that may overrule the acceptors for an outcome.
"""

from __future__ import annotations

import functools
import math
import random
import time
from collections.abc import Callable, Mapping
from typing import Any, Literal, cast

import attrs
import jmespath
from botocore import exceptions as _boto
from jmespath.exceptions import JMESPathError

from ecrclient._core.errors import SdkClientError

__all__ = [
    "DEFAULT_MAX_DELAY",
    "Acceptor",
    "AcceptorState",
    "Decision",
    "Matcher",
    "Outcome",
    "Poller",
    "WaiterConfigError",
    "WaiterError",
    "WaiterErrorKind",
    "WaiterSpec",
    "backoff_delay",
    "match_acceptor",
]

AcceptorState = Literal["success", "failure", "retry"]
Matcher = Literal["path", "pathAll", "pathAny", "status", "error"]
WaiterErrorKind = Literal["failure", "error", "max_attempts", "max_wait"]
"""Why a wait failed: a failure acceptor matched; an error no acceptor matched; out of attempts;
out of time."""

DEFAULT_MAX_DELAY = 120.0
"""aws-sdk-go-v2's default ``max_delay``, used when only ``min_delay`` is given."""

_STATES = ("success", "failure", "retry")
_MATCHERS = ("path", "pathAll", "pathAny", "status", "error")
_PATH_MATCHERS = ("path", "pathAll", "pathAny")


class WaiterConfigError(SdkClientError, _boto.WaiterConfigError, ValueError):  # type: ignore[misc]
    """A waiter model or waiter options that cannot work. Raised before any polling."""


class WaiterError(SdkClientError, _boto.WaiterError):  # type: ignore[misc]
    """The wait ended without reaching the success state.

    Also a ``botocore.exceptions.WaiterError``, with the same message, ``kwargs`` and
    ``last_response`` botocore gives when ``last_response`` is what botocore would report.
    ``attempts`` counts the calls made; ``kind`` says why it failed.
    """

    fmt = "Waiter {name} failed: {reason}"

    def __init__(
        self,
        name: str,
        reason: str,
        last_response: Any,
        attempts: int = 0,
        kind: WaiterErrorKind = "failure",
    ) -> None:
        _boto.BotoCoreError.__init__(self, name=name, reason=reason)  # pyright: ignore[reportUnknownMemberType]
        self.message = str(self)
        self.name = name
        self.reason = reason
        self.last_response = last_response
        self.attempts = attempts
        self.kind: WaiterErrorKind = kind

    def __reduce__(self) -> tuple[Any, ...]:
        args = (self.name, self.reason, self.last_response, self.attempts, self.kind)
        return (type(self), args)


# -- outcomes -------------------------------------------------------------------------------


def _default_last_response(outcome: Outcome) -> Any:
    if outcome.response is not None:
        return outcome.response
    error = {"Code": outcome.error_code, "Message": outcome.error_message or ""}
    return {"Error": error, "ResponseMetadata": {"HTTPStatusCode": outcome.status_code}}


@attrs.frozen(kw_only=True)
class Outcome:
    """One attempt as the waiter sees it: a response, or a service error. Exactly one of
    ``response`` and ``error_code`` is set; the classmethods build either kind.
    """

    response: Mapping[str, Any] | None = None
    """The result in botocore's dict shape (wire keys); what ``path`` matchers search."""
    error_code: str | None = None
    """The service error code, e.g. ``ScanNotFoundException``."""
    error_message: str | None = None
    status_code: int | None = None
    """The HTTP status; what ``status`` matchers compare."""
    value: Any = attrs.field(default=attrs.Factory(_default_last_response, takes_self=True))
    """The caller's own record of the attempt (a typed result, an exception, boto3's dict),
    handed back as :attr:`WaiterError.last_response`. Defaults to ``response``, or to a
    botocore-shaped error dict."""

    def __attrs_post_init__(self) -> None:
        if (self.response is None) == (self.error_code is None):
            raise ValueError("an Outcome has either a response or an error_code")

    @classmethod
    def of_result(
        cls, response: Mapping[str, Any], *, status_code: int = 200, value: Any = None
    ) -> Outcome:
        if value is None:
            return cls(response=response, status_code=status_code)
        return cls(response=response, status_code=status_code, value=value)

    @classmethod
    def of_error(
        cls,
        code: str,
        *,
        message: str | None = None,
        status_code: int | None = None,
        value: Any = None,
    ) -> Outcome:
        if value is None:
            return cls(error_code=code, error_message=message, status_code=status_code)
        return cls(error_code=code, error_message=message, status_code=status_code, value=value)

    @property
    def is_error(self) -> bool:
        return self.error_code is not None


# -- the model ------------------------------------------------------------------------------


@functools.lru_cache(maxsize=256)
def _compiled(expression: str) -> Any:
    return jmespath.compile(expression)


@attrs.frozen(kw_only=True)
class Acceptor:
    """One acceptor of a waiter model: when ``matcher`` finds ``expected``, go to ``state``."""

    state: AcceptorState
    matcher: Matcher
    expected: Any
    argument: str | None = None
    """The JMESPath expression, for the ``path*`` matchers."""

    def __attrs_post_init__(self) -> None:
        if self.state not in _STATES:
            raise WaiterConfigError(f"Unknown acceptor state: {self.state}")
        if self.matcher not in _MATCHERS:
            raise WaiterConfigError(f"Unknown acceptor: {self.matcher}")
        if self.matcher in _PATH_MATCHERS:
            if not isinstance(self.argument, str):
                raise WaiterConfigError(f"a {self.matcher} acceptor needs an argument")
            try:
                _compiled(self.argument)
            except JMESPathError as exc:
                raise WaiterConfigError(f"bad acceptor argument {self.argument!r}: {exc}") from exc

    def matches(self, outcome: Outcome) -> bool:
        """Whether this acceptor matches ``outcome``, by botocore's rules.

        ``path*`` never match an error. ``error`` with ``expected`` true matches any error,
        false matches any result, otherwise the error code. ``status`` compares the HTTP status.
        """
        if self.matcher == "status":
            return bool(outcome.status_code == self.expected)
        if self.matcher == "error":
            if self.expected is True:
                return outcome.is_error
            if self.expected is False:
                return not outcome.is_error
            return bool((outcome.error_code or "") == self.expected)
        if outcome.response is None:
            return False
        found = _compiled(self.argument).search(outcome.response)
        if self.matcher == "path":
            return bool(found == self.expected)
        if not isinstance(found, list) or not found:
            return False
        elements = cast("list[object]", found)
        if self.matcher == "pathAll":
            return all(element == self.expected for element in elements)
        return any(element == self.expected for element in elements)

    @property
    def explanation(self) -> str:
        """botocore's wording for this acceptor, as used in failure reasons."""
        if self.matcher == "path":
            return f'For expression "{self.argument}" we matched expected path: "{self.expected}"'
        if self.matcher == "pathAll":
            return (
                f'For expression "{self.argument}" all members matched '
                f'expected path: "{self.expected}"'
            )
        if self.matcher == "pathAny":
            return (
                f'For expression "{self.argument}" we matched expected '
                f'path: "{self.expected}" at least once'
            )
        if self.matcher == "status":
            return f"Matched expected HTTP status code: {self.expected}"
        return f"Matched expected service error code: {self.expected}"


def match_acceptor(acceptors: tuple[Acceptor, ...], outcome: Outcome) -> Acceptor | None:
    """The first acceptor matching ``outcome``, or ``None``."""
    for acceptor in acceptors:
        if acceptor.matches(outcome):
            return acceptor
    return None


@attrs.frozen(kw_only=True)
class WaiterSpec:
    """One waiter of botocore's ``waiters-2.json``, as data."""

    name: str
    """The waiter's name, e.g. ``ImageScanComplete``."""
    operation: str
    """The wire name of the operation it polls."""
    delay: float
    """Seconds between attempts, by default."""
    max_attempts: int
    """Attempts at most, by default."""
    acceptors: tuple[Acceptor, ...]

    def __attrs_post_init__(self) -> None:
        problems = _check_delay_and_attempts(self.delay, self.max_attempts)
        if problems:
            raise WaiterConfigError(f"Invalid waiter {self.name}: {'; '.join(problems)}")

    @classmethod
    def from_model(cls, name: str, config: Mapping[str, Any]) -> WaiterSpec:
        """The spec for the waiter ``name`` of a ``waiters-2.json`` file's ``waiters``."""
        return cls(
            name=name,
            operation=config["operation"],
            delay=config["delay"],
            max_attempts=config["maxAttempts"],
            acceptors=tuple(
                Acceptor(
                    state=acceptor["state"],
                    matcher=acceptor["matcher"],
                    expected=acceptor["expected"],
                    argument=acceptor.get("argument"),
                )
                for acceptor in config["acceptors"]
            ),
        )


# -- delays ---------------------------------------------------------------------------------


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and not math.isnan(value)


def _check_delay_and_attempts(delay: Any, max_attempts: Any) -> list[str]:
    problems: list[str] = []
    if not _is_number(delay) or not 0 <= delay < math.inf:
        problems.append(f"delay must be a finite number of seconds >= 0, got {delay!r}")
    if not isinstance(max_attempts, int) or isinstance(max_attempts, bool) or max_attempts < 1:
        problems.append(f"max_attempts must be an integer >= 1, got {max_attempts!r}")
    return problems


def backoff_delay(
    attempt: int, min_delay: float, max_delay: float, rng: Callable[[], float] = random.random
) -> float:
    """aws-sdk-go-v2's delay after attempt number ``attempt`` (1 for the first), uncapped by time.

    ``min_delay * 2**(attempt-1)``, or ``max_delay`` past the attempt where doubling would pass
    it; anything above ``min_delay`` is jittered uniformly into ``[min_delay, delay)`` with
    ``rng`` (a ``[0, 1)`` source). Requires ``0 < min_delay <= max_delay``.
    """
    ceiling = int(math.log2(max_delay // min_delay) + 1)
    delay = max_delay if attempt > ceiling else min_delay * 2 ** (attempt - 1)
    if delay != min_delay:
        delay = min_delay + rng() * (delay - min_delay)
    return delay


# -- the state machine ----------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Decision:
    """What to do after an attempt."""

    state: AcceptorState
    """``success`` and ``failure`` end the wait; ``retry`` means sleep ``delay``, then poll."""
    attempt: int
    """The attempt this decides, counting from 1."""
    delay: float = 0.0
    acceptor: Acceptor | None = None
    """The acceptor that matched this attempt, if any."""
    error: WaiterError | None = None
    """The error to raise, on ``failure``."""


class Poller:
    """A sans-IO waiter: report each attempt with :meth:`accept`, obey the :class:`Decision`.

    Options default to the model's; all are checked here, before any polling, and a bad one
    raises :class:`WaiterConfigError`. ``max_attempts`` applies when given, or when ``max_wait``
    is not: a time budget alone does not inherit the model's attempt cap.

    ``retryable(outcome)`` may overrule the acceptors: ``None`` leaves them to decide, ``True``
    polls again whatever they said (limits still apply), ``False`` stops polling: the wait
    fails if a failure acceptor matched or the outcome is an error, and succeeds otherwise.

    The resolved options are readable as attributes: ``delay`` (the fixed delay, and the
    default ``min_delay``), ``max_attempts`` (``None``: no cap), ``max_wait``, ``exponential``
    (whether ``min_delay``/``max_delay`` apply), ``min_delay`` and ``max_delay``.
    """

    def __init__(
        self,
        spec: WaiterSpec,
        *,
        delay: float | None = None,
        max_attempts: int | None = None,
        max_wait: float | None = None,
        min_delay: float | None = None,
        max_delay: float | None = None,
        retryable: Callable[[Outcome], bool | None] | None = None,
        clock: Callable[[], float] | None = None,
        rng: Callable[[], float] | None = None,
    ) -> None:
        self.spec = spec
        self.delay = spec.delay if delay is None else delay
        self.max_attempts = (
            max_attempts
            if max_attempts is not None
            else (spec.max_attempts if max_wait is None else None)
        )
        self.max_wait = max_wait
        self.exponential = min_delay is not None or max_delay is not None
        self.min_delay = self.delay if min_delay is None else min_delay
        if max_delay is None:
            valid_min = _is_number(self.min_delay)
            max_delay = max(DEFAULT_MAX_DELAY, self.min_delay) if valid_min else DEFAULT_MAX_DELAY
        self.max_delay = max_delay
        self._check()
        self._retryable = retryable
        # Looked up per waiter (not bound at import), so tests can replace the clock.
        self._clock = clock or time.monotonic
        self._rng = rng or random.random
        self._started = self._clock()
        self._attempts = 0
        self._last_matched: Acceptor | None = None
        self._final_attempt = False
        self._finished = False

    def _check(self) -> None:
        problems = _check_delay_and_attempts(
            self.delay, 1 if self.max_attempts is None else self.max_attempts
        )
        if self.max_wait is not None and (not _is_number(self.max_wait) or self.max_wait <= 0):
            problems.append(f"max_wait must be a number of seconds > 0, got {self.max_wait!r}")
        if self.exponential:
            bounds_ok = True
            for name in ("min_delay", "max_delay"):
                value = getattr(self, name)
                if not _is_number(value) or not 0 < value < math.inf:
                    problems.append(f"{name} must be a finite number of seconds > 0, got {value!r}")
                    bounds_ok = False
            if bounds_ok and self.min_delay > self.max_delay:
                problems.append(
                    f"min_delay ({self.min_delay!r}) must not exceed max_delay ({self.max_delay!r})"
                )
        if problems:
            raise WaiterConfigError(
                f"Invalid options for waiter {self.spec.name}: " + "; ".join(problems)
            )

    @property
    def attempts(self) -> int:
        """Attempts reported so far."""
        return self._attempts

    @property
    def done(self) -> bool:
        """A success or failure was decided; no more attempts."""
        return self._finished

    def elapsed(self) -> float:
        """Seconds since the Poller was created, by its clock."""
        return self._clock() - self._started

    def accept(self, outcome: Outcome) -> Decision:
        """Decide what follows the attempt that produced ``outcome``."""
        if self._finished:
            raise RuntimeError(f"waiter {self.spec.name} has already finished")
        self._attempts += 1
        acceptors = self.spec.acceptors
        matched = match_acceptor(acceptors, outcome)
        if matched is not None:
            self._last_matched = matched
        verdict = self._verdict(outcome, matched)
        if verdict == "success":
            return self._finish(Decision(state="success", attempt=self._attempts, acceptor=matched))
        if verdict == "failure":
            assert matched is not None
            reason = f"Waiter encountered a terminal failure state: {matched.explanation}"
            return self._fail(reason, "failure", outcome, matched)
        if verdict == "error":
            code = outcome.error_code if outcome.error_code is not None else "Unknown"
            message = outcome.error_message if outcome.error_message is not None else "Unknown"
            return self._fail(f"An error occurred ({code}): {message}", "error", outcome, matched)
        # botocore names the acceptor its loop stopped on: the match, else the last acceptor.
        named = matched or (acceptors[-1] if acceptors else None)
        previously = (
            f". Previously accepted state: {named.explanation}"
            if self._last_matched is not None and named is not None
            else ""
        )
        if self.max_attempts is not None and self._attempts >= self.max_attempts:
            return self._fail(
                f"Max attempts exceeded{previously}", "max_attempts", outcome, matched
            )
        delay = self._next_delay()
        if delay is None:
            return self._fail(f"Max wait time exceeded{previously}", "max_wait", outcome, matched)
        return Decision(state="retry", attempt=self._attempts, delay=delay, acceptor=matched)

    def _verdict(
        self, outcome: Outcome, matched: Acceptor | None
    ) -> Literal["success", "failure", "error", "retry"]:
        if matched is not None and matched.state != "retry":
            verdict: Literal["success", "failure", "error", "retry"] = matched.state
        elif matched is None and outcome.is_error:
            verdict = "error"
        else:
            verdict = "retry"
        override = self._retryable(outcome) if self._retryable is not None else None
        if override is True:
            return "retry"
        if override is False and verdict == "retry":
            return "error" if outcome.is_error else "success"
        return verdict

    def _next_delay(self) -> float | None:
        """Seconds to sleep before the next attempt; ``None`` when the time budget is spent."""
        remaining: float | None = None
        if self.max_wait is not None:
            remaining = self.max_wait - self.elapsed()
            if self._final_attempt or remaining <= 0:
                return None
        if not self.exponential:
            delay = float(self.delay)
            if remaining is not None and remaining <= delay:
                delay, self._final_attempt = remaining, True
            return delay
        if remaining is not None and remaining < self.min_delay:
            return None
        delay = backoff_delay(self._attempts, self.min_delay, self.max_delay, self._rng)
        if remaining is not None and remaining - delay <= self.min_delay:
            delay, self._final_attempt = remaining - self.min_delay, True
        return max(delay, 0.0)

    def _finish(self, decision: Decision) -> Decision:
        self._finished = True
        return decision

    def _fail(
        self, reason: str, kind: WaiterErrorKind, outcome: Outcome, matched: Acceptor | None
    ) -> Decision:
        error = WaiterError(
            self.spec.name, reason, outcome.value, attempts=self._attempts, kind=kind
        )
        return self._finish(
            Decision(state="failure", attempt=self._attempts, acceptor=matched, error=error)
        )
