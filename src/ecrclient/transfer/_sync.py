"""The sync driver: carries out the transfer steps' effects (see :mod:`._driver`) with an
``ECRClient``, an ``httpx.Client`` for layer URLs, and threads for blobs moved in parallel.

When one of several parallel blobs fails — or the caller's thread gets ``KeyboardInterrupt`` —
the others are told to stop: at their next effect the driver throws :class:`Abandoned` into
their steps, which remove their partial files and end. The first failure is then raised. A blob
blocked in a network read notices at the end of that read (bounded by the client's
``read_timeout``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Generator, Iterator, Sequence
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from typing import Any, TypeVar

import httpx

from ecrclient._runtime.jobs import perform as perform_job_effect
from ecrclient._runtime.steps import drive
from ecrclient.transfer._driver import Driver
from ecrclient.transfer._effects import CLEANUP_EFFECTS, Effect, OpenSink, Steps
from ecrclient.transfer._http import Pools
from ecrclient.transfer._local import perform_local
from ecrclient.transfer._sinks import BackgroundSink, FileSink

T = TypeVar("T")


class Abandoned(BaseException):
    """Thrown into steps whose sibling failed: clean up and end. Never reaches the caller."""


class _Stop:
    """A stop flag that also stands when an enclosing group's does."""

    def __init__(self, parent: _Stop | None = None) -> None:
        self._event = threading.Event()
        self._parent = parent

    def set(self) -> None:
        self._event.set()

    def is_set(self) -> bool:
        return self._event.is_set() or (self._parent is not None and self._parent.is_set())


class SyncDriver(Driver[httpx.Client]):
    """Runs steps on the calling thread; steps run in parallel get a driver of their own (on
    the same pools) whose stop flag their group can set."""

    def __init__(self, pools: Pools[httpx.Client] | None = None, stop: _Stop | None = None):
        self.pools = pools if pools is not None else Pools(httpx.Client)
        self._stop = stop

    def perform(self, effect: Effect) -> Any:
        if (
            self._stop is not None
            and self._stop.is_set()
            and not isinstance(effect, CLEANUP_EFFECTS)
        ):
            raise Abandoned
        return super().perform(effect)

    def loop(self, steps: Generator[Any, Any, Any], perform: Callable[[Any], Any]) -> Any:
        return drive(steps, perform)

    def pieces(self, response: httpx.Response) -> Iterator[bytes]:
        return response.iter_raw()

    def next_piece(self, pieces: Any) -> bytes:
        piece: bytes = next(pieces, b"")
        return piece

    def close_response(self, response: httpx.Response) -> None:
        response.close()

    def local(self, effect: Effect) -> Any:
        result = perform_local(effect)
        if isinstance(effect, OpenSink) and isinstance(result, FileSink):
            # Hash and write a file on a thread of its own, while the next bytes arrive.
            return BackgroundSink(result)
        return result

    def job_effect(self, effect: Any) -> Any:
        return perform_job_effect(effect)

    def in_parallel(self, steps: Sequence[Steps[Any]], limit: int) -> list[Any]:
        group = SyncDriver(self.pools, _Stop(self._stop))
        with ThreadPoolExecutor(
            max_workers=min(limit, len(steps)), thread_name_prefix="ecrclient-transfer"
        ) as pool:
            futures: list[Future[Any]] = [pool.submit(group.run, each) for each in steps]
            try:
                done, _ = wait(futures, return_when=FIRST_EXCEPTION)
                for future in futures:
                    if future in done and future.exception() is not None:
                        future.result()  # raises the first failure
            except BaseException:
                group.stop()
                for future in futures:
                    future.cancel()
                wait(futures)
                raise
        return [future.result() for future in futures]

    def stop(self) -> None:
        """Abandon the steps this driver runs, at their next effect."""
        assert self._stop is not None
        self._stop.set()


def run_sync(steps: Steps[T]) -> T:
    """Run ``steps`` to their end on the calling thread (and workers it starts)."""
    driver = SyncDriver()
    try:
        result: T = driver.run(steps)
        return result
    finally:
        for pool in driver.pools.drain():
            pool.close()
