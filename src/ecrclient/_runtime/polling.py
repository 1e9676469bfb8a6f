"""The poll loop of every waiter, typed and boto3-style, written once, as steps
(:mod:`ecrclient._runtime.steps`) that the sync and async drivers run."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ecrclient._core.waiting import Outcome, Poller
from ecrclient._runtime.steps import RUN, Steps


def poll_steps(
    poller: Poller,
    outcome_of: Callable[[Any, Any], Outcome],
    faults: type[BaseException] | tuple[type[BaseException], ...],
) -> Steps[Any]:
    """Poll until ``poller``'s acceptors settle; ``outcome_of(result, fault)`` is what they
    read of one poll, and ``faults`` the errors that are outcomes rather than failures."""
    while True:
        try:
            result = yield RUN
            outcome = outcome_of(result, None)
        except faults as fault:
            result, outcome = None, outcome_of(None, fault)
        decision = poller.accept(outcome)
        if decision.state != "retry":
            if decision.error is not None:
                raise decision.error
            return result
        yield decision.delay
