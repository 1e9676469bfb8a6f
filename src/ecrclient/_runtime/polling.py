"""The poll loop of every waiter, typed and boto3-style, written once.

:func:`poll_steps` is the loop as a generator, with no I/O: it yields ``None`` to ask for one
poll (whose result is sent back in, or whose fault is thrown in) and a number of seconds to ask
for a pause; it returns the final result, or raises the waiter's error. :func:`drive` and
:func:`adrive` run it, calling and sleeping synchronously or awaiting.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Generator
from typing import Any

from ecrclient._core.waiting import Outcome, Poller

PollSteps = Generator["float | None", Any, Any]


def poll_steps(
    poller: Poller,
    outcome_of: Callable[[Any, Any], Outcome],
    faults: type[BaseException] | tuple[type[BaseException], ...],
) -> PollSteps:
    """Poll until ``poller``'s acceptors settle; ``outcome_of(result, fault)`` is what they
    read of one poll, and ``faults`` the errors that are outcomes rather than failures."""
    while True:
        try:
            result = yield None
            outcome = outcome_of(result, None)
        except faults as fault:
            result, outcome = None, outcome_of(None, fault)
        decision = poller.accept(outcome)
        if decision.state != "retry":
            if decision.error is not None:
                raise decision.error
            return result
        yield decision.delay


def drive(steps: PollSteps, poll: Callable[[], Any], sleep: Callable[[float], None]) -> Any:
    try:
        step = next(steps)
        while True:
            if step is not None:
                sleep(step)
                step = steps.send(None)
                continue
            try:
                result = poll()
            except Exception as exc:
                step = steps.throw(exc)
            else:
                step = steps.send(result)
    except StopIteration as stop:
        return stop.value


async def adrive(
    steps: PollSteps, poll: Callable[[], Awaitable[Any]], sleep: Callable[[float], Awaitable[None]]
) -> Any:
    try:
        step = next(steps)
        while True:
            if step is not None:
                await sleep(step)
                step = steps.send(None)
                continue
            try:
                result = await poll()
            except Exception as exc:
                step = steps.throw(exc)
            else:
                step = steps.send(result)
    except StopIteration as stop:
        return stop.value
