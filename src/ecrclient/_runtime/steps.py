"""Loops written once, as steps: generators that perform no I/O, and two drivers that run any of
them, one calling, the other awaiting.

Steps *yield* an effect — what they need done — and the driver hands it to ``perform``; the
value ``perform`` returns is sent back in, and what it raises is thrown in at the ``yield``
(every exception, ``KeyboardInterrupt`` and ``CancelledError`` included, so steps can clean up
before re-raising). What the steps return is the loop's outcome; what they raise propagates.

The vocabulary of effects belongs to each kind of loop:

* the retry loop (:mod:`~ecrclient._runtime.retry_driver`) and the poll loop
  (:mod:`~ecrclient._runtime.polling`) yield :data:`RUN` to run their operation once and a
  number to pause that many seconds (:func:`run_or_pause` carries both out);
* the jobs (:mod:`~ecrclient._runtime.jobs`) and the transfers yield small effect objects.

:class:`Stepper` holds everything the two drivers share, so each driver is only the loop that
calls (or awaits) ``perform``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Generator
from typing import Any, Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

Steps = Generator[Any, Any, T]
"""Steps that end with a ``T``; what each ``yield`` receives depends on its effect."""

RUN = None
"""The effect "run the operation once" of the retry and poll loops."""


class Stepper(Generic[T]):
    """Where a run through steps stands: the ``effect`` to carry out next, or, once ``done``,
    the ``result``."""

    __slots__ = ("_steps", "done", "effect", "result")

    def __init__(self, steps: Steps[T]) -> None:
        self._steps = steps
        self.done = False
        self.effect: Any = None
        self.result: T | None = None
        self._advance(steps.send, None)

    def reply(self, value: Any) -> None:
        """The effect was carried out: ``value`` goes back in."""
        self._advance(self._steps.send, value)

    def fail(self, exc: BaseException) -> None:
        """The effect failed: ``exc`` is thrown in (the steps may recover, or it propagates)."""
        self._advance(self._steps.throw, exc)

    def _advance(self, step: Callable[[Any], Any], value: Any) -> None:
        try:
            self.effect = step(value)
        except StopIteration as finished:
            self.done = True
            self.result = finished.value


def drive(steps: Steps[T], perform: Callable[[Any], Any]) -> T:
    """Run ``steps`` to their end, carrying out each effect with ``perform``."""
    at = Stepper(steps)
    while not at.done:
        try:
            value = perform(at.effect)
        except BaseException as exc:  # the steps decide: recover, clean up, re-raise
            at.fail(exc)
        else:
            at.reply(value)
    return at.result  # type: ignore[return-value]  # set by the last step


async def adrive(steps: Steps[T], perform: Callable[[Any], Awaitable[Any]]) -> T:
    """:func:`drive`, awaiting ``perform``."""
    at = Stepper(steps)
    while not at.done:
        try:
            value = await perform(at.effect)
        except BaseException as exc:
            at.fail(exc)
        else:
            at.reply(value)
    return at.result  # type: ignore[return-value]


def run_or_pause(operation: Callable[[], R], sleep: Callable[[float], R]) -> Callable[[Any], R]:
    """``perform`` for the retry and poll loops: :data:`RUN` runs ``operation`` once, a number
    sleeps (sync or async alike: with async callables the result is awaited by :func:`adrive`)."""
    return lambda effect: operation() if effect is RUN else sleep(effect)
