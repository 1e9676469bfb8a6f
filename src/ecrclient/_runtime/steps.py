"""Loops as steps: the retry loop and the poll loop are generators that perform no I/O, and
two drivers run any of them, one calling and sleeping, the other awaiting.

A generator of steps yields ``None`` to ask for the operation (a call, a poll) to run once; the
driver sends its result back in, or throws its exception in. It yields a number to ask for a
pause of that many seconds. What it returns is the loop's outcome, and what it raises (the
exception thrown in, or another) propagates to the caller.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Generator
from typing import Any

Steps = Generator["float | None", Any, Any]


def drive(steps: Steps, poll: Callable[[], Any], sleep: Callable[[float], None]) -> Any:
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
    steps: Steps, poll: Callable[[], Awaitable[Any]], sleep: Callable[[float], Awaitable[None]]
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
