"""The retry loop of a call, written once as steps (:mod:`ecrclient._runtime.steps`) that the
sync client runs with :func:`run` and the async client with :func:`arun`.

Every decision is the call's: after a failed attempt :meth:`Call.on_failure` says whether to
retry and after how long (sans-IO, ``_core/retries.py``). tenacity is the loop's engine: its
state machine (``Retrying.iter``) decides, through hooks that ask the call, whether the next
step is an attempt, a pause or the end; it never stops on its own (``stop_never``: the call's
attempts, quota and deadline decide). The steps only carry out what it says.

The first attempt runs before tenacity is involved: most calls need no retry, and setting up a
``Retrying`` (and importing tenacity) costs more than parsing a small answer.
"""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from ecrclient._runtime.steps import RUN, Steps, adrive, drive, run_or_pause

if TYPE_CHECKING:
    from ecrclient._core.pipeline import Call
    from ecrclient._core.retries import Decision


class _Decisions:
    """tenacity's hooks over one call: each failure asks the call once; the wait reads it."""

    def __init__(self, call: Call, first: Decision) -> None:
        self.call = call
        self.last = first

    def retry(self, exc: BaseException) -> bool:
        self.last = self.call.on_failure(exc)
        return self.last.retry

    def wait(self, _: object) -> float:
        return self.last.delay


def attempt_steps(call: Call) -> Steps[Any]:
    """The attempts of ``call`` until it succeeds or decides to stop; returns its result, or
    raises its final error."""
    try:
        result = yield RUN
    except Exception as exc:
        decisions = _Decisions(call, call.on_failure(exc))
        if not decisions.last.retry:
            return call.completed(error=call.final_error(exc, decisions.last))
    else:
        return call.completed(result)
    import tenacity  # only once a call needs a retry: it is slow to import

    retrying = tenacity.Retrying(
        stop=tenacity.stop_never,
        wait=decisions.wait,
        retry=tenacity.retry_if_exception(decisions.retry),
        reraise=True,
    )
    retrying.begin()
    state = tenacity.RetryCallState(retrying, fn=None, args=(), kwargs={})
    yield decisions.last.delay  # the backoff the first failure asked for
    while True:
        try:
            action = retrying.iter(state)
        except Exception as exc:  # the call decided not to retry: its error, re-raised
            return call.completed(error=call.final_error(exc, decisions.last))
        if isinstance(action, tenacity.DoAttempt):
            try:
                state.set_result((yield RUN))
            except Exception:
                state.set_exception(sys.exc_info())  # type: ignore[arg-type]
        elif isinstance(action, tenacity.DoSleep):
            state.prepare_for_next_attempt()
            yield float(action)
        else:
            return call.completed(action)


def run(call: Call, attempt: Callable[[Call], Any], sleep: Callable[[float], None]) -> Any:
    """Run ``call``'s attempts; return its result or raise its final error. Interrupted
    (``KeyboardInterrupt``...), the call's hooks still see its end."""
    try:
        return drive(attempt_steps(call), run_or_pause(lambda: attempt(call), sleep))
    except BaseException as exc:
        if not isinstance(exc, Exception):
            call.interrupted(exc)
        raise


async def arun(
    call: Call, attempt: Callable[[Call], Awaitable[Any]], sleep: Callable[[float], Awaitable[None]]
) -> Any:
    """:func:`run` for the async client. Cancelled, the call's hooks still see its end."""
    try:
        return await adrive(attempt_steps(call), run_or_pause(lambda: attempt(call), sleep))
    except BaseException as exc:
        if not isinstance(exc, Exception):
            call.interrupted(exc)
        raise
