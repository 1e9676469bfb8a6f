"""The retry loop of a call, sync (:func:`run`) and async (:func:`arun`) side by side.

Every decision is the call's: after a failed attempt :meth:`Call.on_failure` says whether to
retry and after how long (sans-IO, ``_core/retries.py``). This module only loops, and tenacity
is its engine: its ``retry`` hook asks the call, its ``wait`` hook reads the same decision, and
it never stops on its own (``stop_never``: the call's attempts, quota and deadline decide).

The first attempt runs before tenacity is involved: most calls need no retry, and setting up a
``Retrying`` (and importing tenacity) costs more than parsing a small answer. A failure the call
decides to retry hands the remaining attempts to tenacity.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

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

    def options(self, sleep: Callable[[float], Any]) -> dict[str, Any]:
        import tenacity  # only once a call needs a retry: it is slow to import

        return {
            "sleep": sleep,
            "stop": tenacity.stop_never,
            "wait": self.wait,
            "retry": tenacity.retry_if_exception(self.retry),
            "reraise": True,
        }


def run(call: Call, attempt: Callable[[Call], Any], sleep: Callable[[float], None]) -> Any:
    """Run ``attempt`` until the call succeeds or decides to stop; return its result or raise
    its final error. Interrupted (``KeyboardInterrupt``...), the call's hooks still see its end."""
    try:
        try:
            result = attempt(call)
        except Exception as exc:
            decisions = _Decisions(call, call.on_failure(exc))
            if not decisions.last.retry:
                return call.completed(error=call.final_error(exc, decisions.last))
        else:
            return call.completed(result)
        import tenacity

        sleep(decisions.last.delay)
        try:
            result = tenacity.Retrying(**decisions.options(sleep))(attempt, call)
        except Exception as exc:
            return call.completed(error=call.final_error(exc, decisions.last))
        return call.completed(result)
    except BaseException as exc:
        if not isinstance(exc, Exception):
            call.interrupted(exc)
        raise


async def arun(
    call: Call, attempt: Callable[[Call], Awaitable[Any]], sleep: Callable[[float], Awaitable[None]]
) -> Any:
    """:func:`run` for the async client: ``attempt`` and ``sleep`` are awaited. Cancelled, the
    call's hooks still see its end."""
    try:
        try:
            result: Any = await attempt(call)
        except Exception as exc:
            decisions = _Decisions(call, call.on_failure(exc))
            if not decisions.last.retry:
                return call.completed(error=call.final_error(exc, decisions.last))
        else:
            return call.completed(result)
        import tenacity

        await sleep(decisions.last.delay)
        try:
            result = await tenacity.AsyncRetrying(**decisions.options(sleep))(attempt, call)
        except Exception as exc:
            return call.completed(error=call.final_error(exc, decisions.last))
        return call.completed(result)
    except BaseException as exc:
        if not isinstance(exc, Exception):
            call.interrupted(exc)
        raise
