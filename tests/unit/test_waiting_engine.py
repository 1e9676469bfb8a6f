"""The sans-IO waiter engine, with botocore's own waiters as the oracle.

botocore runs its waiters over scripted responses (through ``Stubber`` for ECR's modeled
waiters, or a scripted operation for hand-written acceptor sets) with ``time.sleep`` replaced;
the engine is driven over the same script. Both must make the same number of attempts, sleep
the same delays and end the same way, with the same ``WaiterError`` message. Time budgets and
backoff run on a fake clock: nothing here really sleeps.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import math
import pickle
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs
import boto3
import botocore
import botocore.waiter
import pytest
from botocore import exceptions as boto_exceptions
from botocore.stub import Stubber

from ecrclient._core.errors import SdkClientError
from ecrclient._core.waiting import (
    DEFAULT_MAX_DELAY,
    Acceptor,
    Decision,
    Outcome,
    Poller,
    WaiterConfigError,
    WaiterError,
    WaiterSpec,
    backoff_delay,
    match_acceptor,
)

MODEL_DIR = Path(botocore.__file__).parent / "data" / "ecr" / "2015-09-21"
WAITERS: dict[str, dict[str, Any]] = json.loads((MODEL_DIR / "waiters-2.json").read_text())[
    "waiters"
]
SPECS = {name: WaiterSpec.from_model(name, config) for name, config in WAITERS.items()}
SCAN = SPECS["ImageScanComplete"]
PREVIEW = SPECS["LifecyclePolicyPreviewComplete"]


@attrs.frozen
class Error:
    """A scripted service error."""

    code: str
    message: str = "boom"
    status: int = 400

    def as_botocore(self) -> dict[str, Any]:
        return {
            "Error": {"Code": self.code, "Message": self.message},
            "ResponseMetadata": {"HTTPStatusCode": self.status},
        }


Step = dict[str, Any] | Error


def outcome_of(step: Step) -> Outcome:
    """What a driver reports for one scripted step."""
    if isinstance(step, Error):
        return Outcome.of_error(step.code, message=step.message, status_code=step.status)
    response = {key: value for key, value in step.items() if key != "ResponseMetadata"}
    status = step.get("ResponseMetadata", {}).get("HTTPStatusCode", 200)
    return Outcome.of_result(response, status_code=status, value=step)


@attrs.frozen
class Ending:
    attempts: int
    sleeps: list[float]
    message: str | None
    """``str(WaiterError)``, or ``None`` on success."""
    reason: str | None
    last_response: Any


def engine_wait(spec: WaiterSpec, script: Iterable[Step], **options: Any) -> Ending:
    poller = Poller(spec, **options)
    sleeps: list[float] = []
    for step in script:
        decision = poller.accept(outcome_of(step))
        if decision.state == "retry":
            sleeps.append(decision.delay)
            continue
        error = decision.error
        assert poller.done and decision.attempt == poller.attempts
        if error is None:
            return Ending(poller.attempts, sleeps, None, None, None)
        assert error.attempts == poller.attempts
        return Ending(poller.attempts, sleeps, str(error), error.reason, error.last_response)
    raise AssertionError("the script ran out before the waiter finished")


@pytest.fixture
def recorded_sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    sleeps: list[float] = []
    monkeypatch.setattr(botocore.waiter.time, "sleep", sleeps.append)
    return sleeps


def botocore_client_wait(
    waiter_name: str, script: list[Step], config: Mapping[str, Any], sleeps: list[float]
) -> Ending:
    """botocore's modeled waiter over ``script``, answered by Stubber."""
    client = boto3.client(
        "ecr", region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b"
    )
    spec = SPECS[waiter_name]
    method = {
        "DescribeImageScanFindings": "describe_image_scan_findings",
        "GetLifecyclePolicyPreview": "get_lifecycle_policy_preview",
    }[spec.operation]
    params: dict[str, Any] = {"repositoryName": "repo"}
    if spec.operation == "DescribeImageScanFindings":
        params["imageId"] = {"imageTag": "latest"}
    stubber = Stubber(client)
    for step in script:
        if isinstance(step, Error):
            stubber.add_client_error(method, step.code, step.message, step.status)
        else:
            stubber.add_response(method, dict(step))
    with stubber:
        try:
            client.get_waiter(_snake(waiter_name)).wait(**params, WaiterConfig=dict(config))
            error = None
        except boto_exceptions.WaiterError as exc:
            error = exc
    attempts = len(script) - len(stubber._queue)
    if error is None:
        return Ending(attempts, list(sleeps), None, None, None)
    last = {key: value for key, value in error.last_response.items() if key != "ResponseMetadata"}
    return Ending(attempts, list(sleeps), str(error), error.kwargs["reason"], last)


def _snake(name: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_")


def _strip_metadata(ending: Ending) -> Ending:
    last = ending.last_response
    if isinstance(last, Mapping):
        last = {key: value for key, value in last.items() if key != "ResponseMetadata"}
    return attrs.evolve(ending, last_response=last)


def scan(status: str | None) -> dict[str, Any]:
    response: dict[str, Any] = {"repositoryName": "repo"}
    if status is not None:
        response["imageScanStatus"] = {"status": status, "description": "x"}
    return response


def preview(status: str) -> dict[str, Any]:
    return {"repositoryName": "repo", "status": status}


# -- differential: ECR's modeled waiters through boto3 + Stubber --------------------------------

SCAN_SCRIPTS: dict[str, list[Step]] = {
    "in progress then complete": [scan("IN_PROGRESS"), scan("IN_PROGRESS"), scan("COMPLETE")],
    "complete at once": [scan("COMPLETE")],
    "failed": [scan("IN_PROGRESS"), scan("FAILED")],
    "missing status": [scan(None), scan("PENDING"), scan(None), scan("COMPLETE")],
    "unmatched error": [scan("IN_PROGRESS"), Error("ScanNotFoundException", "no scan", 400)],
    "server error": [Error("ServerException", "oops", 500)],
    "attempts exhausted": [scan("IN_PROGRESS")] * 60,
    "findings unavailable": [scan("FINDINGS_UNAVAILABLE"), scan("ACTIVE"), scan("COMPLETE")],
}


@pytest.mark.parametrize("script_name", sorted(SCAN_SCRIPTS))
@pytest.mark.parametrize("config", [{}, {"Delay": 2, "MaxAttempts": 3}, {"MaxAttempts": 1}])
def test_image_scan_complete_matches_botocore(
    script_name: str, config: dict[str, Any], recorded_sleeps: list[float]
) -> None:
    script = SCAN_SCRIPTS[script_name]
    expected = botocore_client_wait("ImageScanComplete", script, config, recorded_sleeps)
    actual = engine_wait(
        SCAN, script, delay=config.get("Delay"), max_attempts=config.get("MaxAttempts")
    )
    assert _strip_metadata(actual) == expected


@pytest.mark.parametrize(
    "script",
    [
        [preview("IN_PROGRESS"), preview("COMPLETE")],
        [preview("IN_PROGRESS"), preview("EXPIRED"), preview("FAILED")],
        [Error("LifecyclePolicyPreviewNotFoundException")],
        [preview("IN_PROGRESS")] * 21,
    ],
)
def test_lifecycle_policy_preview_complete_matches_botocore(
    script: list[Step], recorded_sleeps: list[float]
) -> None:
    expected = botocore_client_wait("LifecyclePolicyPreviewComplete", script, {}, recorded_sleeps)
    actual = engine_wait(PREVIEW, script)
    assert _strip_metadata(actual) == expected


def test_the_reasons_are_botocore_s(recorded_sleeps: list[float]) -> None:
    failed = engine_wait(SCAN, SCAN_SCRIPTS["failed"])
    assert failed.message == (
        "Waiter ImageScanComplete failed: Waiter encountered a terminal failure state: "
        'For expression "imageScanStatus.status" we matched expected path: "FAILED"'
    )
    errored = engine_wait(SCAN, SCAN_SCRIPTS["unmatched error"])
    assert errored.reason == "An error occurred (ScanNotFoundException): no scan"
    exhausted = engine_wait(SCAN, SCAN_SCRIPTS["attempts exhausted"], max_attempts=4)
    assert exhausted.reason == "Max attempts exceeded"
    assert exhausted.sleeps == [5, 5, 5]


# -- differential: every matcher, through botocore's Waiter with a scripted operation -----------

MATCHER_CONFIG: dict[str, Any] = {
    "operation": "DescribeImages",
    "delay": 3,
    "maxAttempts": 3,
    "acceptors": [
        {
            "state": "success",
            "matcher": "pathAll",
            "argument": "imageDetails[].imageScanStatus.status",
            "expected": "COMPLETE",
        },
        {
            "state": "failure",
            "matcher": "pathAny",
            "argument": "imageDetails[].imageScanStatus.status",
            "expected": "FAILED",
        },
        {"state": "retry", "matcher": "error", "expected": "ThrottlingException"},
        {"state": "success", "matcher": "error", "expected": "ImageNotFoundException"},
        {"state": "failure", "matcher": "status", "expected": 500},
        {
            "state": "retry",
            "matcher": "pathAny",
            "argument": "imageDetails[].imageScanStatus.status",
            "expected": "IN_PROGRESS",
        },
        {"state": "retry", "matcher": "path", "argument": "length(imageDetails)", "expected": 0},
    ],
}


def images(*statuses: str) -> dict[str, Any]:
    return {
        "imageDetails": [{"imageScanStatus": {"status": status}} for status in statuses],
        "ResponseMetadata": {"HTTPStatusCode": 200},
    }


ATOMS: dict[str, Step] = {
    "all complete": images("COMPLETE", "COMPLETE"),
    "mixed": images("COMPLETE", "IN_PROGRESS"),
    "one failed": images("COMPLETE", "FAILED"),
    "empty": images(),
    "no match": images("ACTIVE"),
    "throttled": Error("ThrottlingException", "slow down", 400),
    "not found": Error("ImageNotFoundException", "gone", 404),
    "denied": Error("AccessDeniedException", "no", 403),
    "500": Error("InternalFailure", "oops", 500),
}


def botocore_scripted_wait(
    name: str, config: Mapping[str, Any], script: list[Step], options: Mapping[str, Any]
) -> Ending:
    steps = iter(script)
    attempts = 0

    def operation(**kwargs: Any) -> dict[str, Any]:
        nonlocal attempts
        attempts += 1
        step = next(steps)
        return step.as_botocore() if isinstance(step, Error) else dict(step)

    sleeps: list[float] = []
    waiter = botocore.waiter.Waiter(name, botocore.waiter.SingleWaiterConfig(config), operation)
    original = botocore.waiter.time.sleep
    botocore.waiter.time.sleep = sleeps.append
    try:
        waiter.wait(WaiterConfig=dict(options))
    except boto_exceptions.WaiterError as exc:
        return Ending(attempts, sleeps, str(exc), exc.kwargs["reason"], exc.last_response)
    finally:
        botocore.waiter.time.sleep = original
    return Ending(attempts, sleeps, None, None, None)


@pytest.mark.parametrize(
    "script_names", list(itertools.product(sorted(ATOMS), repeat=2)), ids="-".join
)
def test_every_matcher_matches_botocore(script_names: tuple[str, ...]) -> None:
    # Pad with "no match" so three attempts are always available.
    script = [ATOMS[name] for name in script_names] + [ATOMS["no match"]] * 2
    spec = WaiterSpec.from_model("Custom", MATCHER_CONFIG)
    expected = botocore_scripted_wait("Custom", MATCHER_CONFIG, script, {})
    actual = engine_wait(spec, script)
    assert actual == expected


@pytest.mark.parametrize("expected_error", [True, False])
@pytest.mark.parametrize("step", sorted(ATOMS))
def test_error_matcher_true_and_false_match_botocore(expected_error: bool, step: str) -> None:
    config = {
        "operation": "DescribeImages",
        "delay": 1,
        "maxAttempts": 2,
        "acceptors": [{"state": "success", "matcher": "error", "expected": expected_error}],
    }
    script = [ATOMS[step], ATOMS["no match"]]
    expected = botocore_scripted_wait("Errors", config, script, {"Delay": 0})
    actual = engine_wait(WaiterSpec.from_model("Errors", config), script, delay=0)
    assert actual == expected


def test_previously_accepted_state_names_the_acceptor_botocore_names() -> None:
    # botocore's reason names its loop variable: the acceptor matched on the last attempt, or
    # the last acceptor when none matched (not the one previously matched). Kept as is.
    script = [ATOMS["mixed"], ATOMS["no match"], ATOMS["no match"]]
    expected = botocore_scripted_wait("Custom", MATCHER_CONFIG, script, {})
    actual = engine_wait(WaiterSpec.from_model("Custom", MATCHER_CONFIG), script)
    assert actual == expected
    assert actual.reason == (
        'Max attempts exceeded. Previously accepted state: For expression "length(imageDetails)"'
        ' we matched expected path: "0"'
    )
    script = [ATOMS["no match"], ATOMS["throttled"], ATOMS["throttled"]]
    actual = engine_wait(WaiterSpec.from_model("Custom", MATCHER_CONFIG), script)
    assert actual == botocore_scripted_wait("Custom", MATCHER_CONFIG, script, {})
    assert actual.reason == (
        "Max attempts exceeded. Previously accepted state: "
        "Matched expected service error code: ThrottlingException"
    )


def test_match_acceptor_is_first_match_wins() -> None:
    spec = WaiterSpec.from_model("Custom", MATCHER_CONFIG)
    assert match_acceptor(spec.acceptors, outcome_of(ATOMS["empty"])) is spec.acceptors[6]
    assert match_acceptor(spec.acceptors, outcome_of(ATOMS["500"])) is spec.acceptors[4]
    assert match_acceptor(spec.acceptors, outcome_of(ATOMS["no match"])) is None
    # a pathAll/pathAny matcher needs a non-empty list
    assert not spec.acceptors[0].matches(Outcome.of_result({"imageDetails": []}))
    assert not spec.acceptors[0].matches(Outcome.of_result({"imageDetails": "COMPLETE"}))


# -- the protocol -------------------------------------------------------------------------------


def test_success_failure_and_retry_decisions() -> None:
    poller = Poller(SCAN)
    first = poller.accept(Outcome.of_result(scan("IN_PROGRESS")))
    assert first == Decision(state="retry", attempt=1, delay=5.0)
    last = poller.accept(Outcome.of_result(scan("COMPLETE")))
    assert last.state == "success" and last.error is None and last.acceptor is SCAN.acceptors[0]
    assert poller.done and poller.attempts == 2
    with pytest.raises(RuntimeError, match="already finished"):
        poller.accept(Outcome.of_result(scan("COMPLETE")))


def test_last_response_is_whatever_the_caller_reported() -> None:
    marker = object()
    decision = Poller(SCAN).accept(Outcome.of_error("AccessDeniedException", value=marker))
    assert decision.error is not None and decision.error.last_response is marker
    decision = Poller(SCAN).accept(
        Outcome.of_error("AccessDeniedException", message="no", status_code=403)
    )
    assert decision.error is not None
    assert decision.error.last_response == {
        "Error": {"Code": "AccessDeniedException", "Message": "no"},
        "ResponseMetadata": {"HTTPStatusCode": 403},
    }
    assert decision.error.reason == "An error occurred (AccessDeniedException): no"
    decision = Poller(SCAN).accept(Outcome.of_error("AccessDeniedException"))
    assert decision.error is not None
    assert decision.error.reason == "An error occurred (AccessDeniedException): Unknown"
    failed = scan("FAILED")
    decision = Poller(SCAN).accept(Outcome.of_result(failed))
    assert decision.error is not None and decision.error.last_response is failed
    assert decision.error.kind == "failure" and decision.acceptor is SCAN.acceptors[1]


def test_async_driver_uses_the_same_protocol() -> None:
    statuses = iter(["IN_PROGRESS", "IN_PROGRESS", "COMPLETE"])
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)
        await asyncio.sleep(0)

    async def wait() -> int:
        poller = Poller(SCAN, delay=1)
        while True:
            decision = poller.accept(Outcome.of_result(scan(next(statuses))))
            if decision.state == "retry":
                await sleep(decision.delay)
            elif decision.error is not None:
                raise decision.error
            else:
                return poller.attempts

    assert asyncio.run(wait()) == 3
    assert slept == [1.0, 1.0]


def test_outcome_is_a_result_or_an_error() -> None:
    with pytest.raises(ValueError):
        Outcome()
    with pytest.raises(ValueError):
        Outcome(response={}, error_code="X")
    assert Outcome.of_result({"a": 1}).value == {"a": 1}
    assert Outcome.of_result({}).status_code == 200
    assert Outcome.of_error("X").is_error and not Outcome.of_result({}).is_error


# -- the retryable hook -------------------------------------------------------------------------


def test_retryable_true_keeps_polling_past_success() -> None:
    ending = engine_wait(
        SCAN, [scan("COMPLETE")] * 3, max_attempts=3, retryable=lambda outcome: True
    )
    assert ending.attempts == 3
    assert ending.reason == (
        "Max attempts exceeded. Previously accepted state: For expression "
        '"imageScanStatus.status" we matched expected path: "COMPLETE"'
    )


def test_retryable_false_stops_with_success_on_a_result() -> None:
    ending = engine_wait(SCAN, [scan("IN_PROGRESS")], retryable=lambda outcome: False)
    assert ending == Ending(1, [], None, None, None)


def test_retryable_false_keeps_a_failure_acceptor_s_failure() -> None:
    ending = engine_wait(SCAN, [scan("FAILED")], retryable=lambda outcome: False)
    assert ending.reason is not None and "terminal failure state" in ending.reason


def test_retryable_can_absorb_errors() -> None:
    def retry_throttling(outcome: Outcome) -> bool | None:
        return True if outcome.error_code == "ThrottlingException" else None

    script: list[Step] = [Error("ThrottlingException"), scan("IN_PROGRESS"), scan("COMPLETE")]
    ending = engine_wait(SCAN, script, retryable=retry_throttling)
    assert ending == Ending(3, [5.0, 5.0], None, None, None)
    # without the hook an unmatched error ends the wait, as in botocore
    assert engine_wait(SCAN, script).reason == "An error occurred (ThrottlingException): boom"


def test_retryable_false_on_an_error_fails_with_the_error() -> None:
    config = {**MATCHER_CONFIG, "maxAttempts": 5}
    spec = WaiterSpec.from_model("Custom", config)
    ending = engine_wait(spec, [ATOMS["throttled"]], retryable=lambda outcome: False)
    assert ending.reason == "An error occurred (ThrottlingException): slow down"


def test_retryable_none_leaves_the_acceptors_in_charge() -> None:
    seen: list[Outcome] = []

    def observe(outcome: Outcome) -> None:
        seen.append(outcome)

    script = SCAN_SCRIPTS["in progress then complete"]
    assert engine_wait(SCAN, script, retryable=observe) == engine_wait(SCAN, script)
    assert [outcome.response for outcome in seen] == script


# -- time budget and backoff --------------------------------------------------------------------


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def timed_wait(
    spec: WaiterSpec,
    status: Callable[[int], str],
    *,
    call_time: float = 0.0,
    limit: int = 10_000,
    **options: Any,
) -> tuple[list[Decision], list[float]]:
    """Poll on a fake clock: each call takes ``call_time``, each sleep advances the clock."""
    clock = FakeClock()
    poller = Poller(spec, clock=clock, **options)
    decisions, starts = [], []
    for attempt in range(1, limit + 1):
        starts.append(clock.now - 1000.0)
        clock.now += call_time
        decision = poller.accept(Outcome.of_result(scan(status(attempt))))
        decisions.append(decision)
        if decision.state != "retry":
            return decisions, starts
        clock.now += decision.delay
    raise AssertionError("the waiter never finished")


def always(status: str) -> Callable[[int], str]:
    return lambda attempt: status


def test_max_wait_with_the_fixed_delay_never_starts_an_attempt_after_the_deadline() -> None:
    decisions, starts = timed_wait(SCAN, always("IN_PROGRESS"), max_wait=12)
    assert starts == [0, 5, 10, 12]
    assert [d.delay for d in decisions[:-1]] == [5, 5, 2]
    error = decisions[-1].error
    assert error is not None and error.kind == "max_wait" and error.attempts == 4
    assert error.reason == "Max wait time exceeded"
    assert str(error) == "Waiter ImageScanComplete failed: Max wait time exceeded"


def test_max_wait_alone_lifts_the_model_attempt_cap() -> None:
    decisions, _ = timed_wait(SCAN, always("IN_PROGRESS"), max_wait=1000)
    assert len(decisions) == 201 > SCAN.max_attempts
    decisions, _ = timed_wait(SCAN, always("IN_PROGRESS"), max_wait=1000, max_attempts=3)
    error = decisions[-1].error
    assert error is not None and error.kind == "max_attempts" and len(decisions) == 3


def test_success_within_the_budget() -> None:
    decisions, starts = timed_wait(
        SCAN, lambda n: "COMPLETE" if n == 3 else "IN_PROGRESS", max_wait=60, call_time=1
    )
    assert decisions[-1].state == "success" and starts == [0, 6, 12]


def test_slow_calls_count_against_the_budget() -> None:
    decisions, starts = timed_wait(SCAN, always("IN_PROGRESS"), max_wait=20, call_time=4)
    # t=0 call ends at 4, sleep 5; t=9 ends 13, sleep 5; t=18 ends 22: over budget.
    assert starts == [0, 9, 18]
    assert decisions[-1].error is not None and decisions[-1].error.kind == "max_wait"


def test_exponential_backoff_follows_go_v2() -> None:
    decisions, _ = timed_wait(
        SCAN, always("IN_PROGRESS"), min_delay=5, max_delay=120, max_attempts=9, rng=lambda: 0.5
    )
    # min * 2**(n-1) up to attempt 5 (ceiling of log2(120 // 5) + 1), then max; jittered
    # halfway into [min, delay).
    assert [d.delay for d in decisions[:-1]] == [5, 7.5, 12.5, 22.5, 42.5, 62.5, 62.5, 62.5]
    assert decisions[-1].error is not None and decisions[-1].error.kind == "max_attempts"


def test_exponential_backoff_is_bounded_by_the_remaining_time() -> None:
    decisions, starts = timed_wait(
        SCAN, always("IN_PROGRESS"), min_delay=5, max_wait=60, call_time=1, rng=lambda: 0.5
    )
    assert [d.delay for d in decisions[:-1]] == [5, 7.5, 12.5, 22.5, 2.5]
    assert starts == [0, 6, 14.5, 28, 51.5, 55]
    assert decisions[-1].error is not None and decisions[-1].error.kind == "max_wait"


def test_exponential_backoff_ends_on_a_frozen_clock() -> None:
    decisions, _ = timed_wait(SCAN, always("IN_PROGRESS"), min_delay=5, max_wait=30, rng=lambda: 0)
    assert [d.delay for d in decisions[:-1]] == [5, 5, 5, 5, 5]
    assert decisions[-1].error is not None and decisions[-1].error.kind == "max_wait"


def test_exponential_backoff_stops_when_less_than_min_delay_is_left() -> None:
    decisions, _ = timed_wait(SCAN, always("IN_PROGRESS"), min_delay=10, max_wait=12, call_time=3)
    assert len(decisions) == 1 and decisions[0].error is not None


def test_min_delay_alone_uses_go_v2_s_default_max_delay() -> None:
    poller = Poller(SCAN, min_delay=2)
    assert poller.exponential and poller.max_delay == DEFAULT_MAX_DELAY == 120
    poller = Poller(SCAN, max_delay=60)
    assert poller.min_delay == SCAN.delay and poller.max_delay == 60
    assert Poller(SCAN, min_delay=300).max_delay == 300


@pytest.mark.parametrize(
    ("attempt", "minimum", "maximum", "rng", "expected"),
    [
        (1, 5, 120, 0.9, 5),
        (2, 5, 120, 0.0, 5),
        (2, 5, 120, 0.5, 7.5),
        (5, 5, 120, 1.0, 80),
        (6, 5, 120, 0.0, 5),
        (6, 5, 120, 0.5, 62.5),
        (1000, 5, 120, 0.5, 62.5),
        (3, 2, 2, 0.7, 2),
        (2, 2, 7, 0.5, 3),  # ceiling int(log2(7 // 2) + 1) = 2: 2 * 2 = 4 jittered
        (3, 2, 7, 0.5, 4.5),  # past the ceiling: max_delay jittered
    ],
)
def test_backoff_delay(
    attempt: int, minimum: float, maximum: float, rng: float, expected: float
) -> None:
    assert backoff_delay(attempt, minimum, maximum, lambda: rng) == pytest.approx(expected)


# -- configuration ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"delay": -1}, "delay must be"),
        ({"delay": math.nan}, "delay must be"),
        ({"delay": math.inf}, "delay must be"),
        ({"max_attempts": 0}, "max_attempts must be"),
        ({"max_attempts": 2.5}, "max_attempts must be"),
        ({"max_attempts": True}, "max_attempts must be"),
        ({"max_wait": 0}, "max_wait must be"),
        ({"max_wait": -3}, "max_wait must be"),
        ({"min_delay": 10, "max_delay": 5}, r"min_delay \(10\) must not exceed max_delay \(5\)"),
        ({"min_delay": 0}, "min_delay must be"),
        ({"max_delay": -1}, "max_delay must be"),
        ({"delay": 0, "max_delay": 10}, "min_delay must be"),
    ],
)
def test_bad_options_fail_before_polling(options: dict[str, Any], message: str) -> None:
    with pytest.raises(WaiterConfigError, match=message) as info:
        Poller(SCAN, **options)
    assert isinstance(info.value, ValueError)
    assert isinstance(info.value, boto_exceptions.WaiterConfigError)
    assert "ImageScanComplete" in str(info.value)


@pytest.mark.parametrize(
    ("acceptor", "message"),
    [
        ({"state": "maybe", "matcher": "path", "argument": "a", "expected": 1}, "state"),
        ({"state": "success", "matcher": "regex", "expected": 1}, "Unknown acceptor: regex"),
        ({"state": "success", "matcher": "path", "expected": 1}, "needs an argument"),
        ({"state": "success", "matcher": "pathAll", "argument": "a[", "expected": 1}, "a\\["),
    ],
)
def test_bad_acceptors_are_rejected(acceptor: dict[str, Any], message: str) -> None:
    with pytest.raises(WaiterConfigError, match=message):
        Acceptor(**acceptor)


def test_bad_model_values_are_rejected() -> None:
    with pytest.raises(WaiterConfigError, match="max_attempts"):
        WaiterSpec(name="W", operation="Op", delay=1, max_attempts=0, acceptors=())


def test_specs_load_from_the_ecr_model() -> None:
    expected = WaiterSpec(
        name="ImageScanComplete",
        operation="DescribeImageScanFindings",
        delay=5,
        max_attempts=60,
        acceptors=(
            Acceptor(
                state="success",
                matcher="path",
                argument="imageScanStatus.status",
                expected="COMPLETE",
            ),
            Acceptor(
                state="failure",
                matcher="path",
                argument="imageScanStatus.status",
                expected="FAILED",
            ),
        ),
    )
    assert expected == SCAN
    assert (PREVIEW.operation, PREVIEW.delay, PREVIEW.max_attempts) == (
        "GetLifecyclePolicyPreview",
        5,
        20,
    )


def test_waiter_error_is_botocore_s_and_pickles() -> None:
    error = WaiterError("ImageScanComplete", "Max attempts exceeded", {"a": 1}, 7, "max_attempts")
    assert isinstance(error, SdkClientError)
    assert isinstance(error, boto_exceptions.WaiterError)
    reference = boto_exceptions.WaiterError(
        name="ImageScanComplete", reason="Max attempts exceeded", last_response={"a": 1}
    )
    assert str(error) == str(reference) == error.message
    assert error.kwargs == reference.kwargs
    copied = pickle.loads(pickle.dumps(error))
    assert type(copied) is WaiterError
    assert (copied.name, copied.reason, copied.last_response, copied.attempts, copied.kind) == (
        "ImageScanComplete",
        "Max attempts exceeded",
        {"a": 1},
        7,
        "max_attempts",
    )
