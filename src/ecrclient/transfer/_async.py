"""The async driver: carries out the transfer steps' effects (see :mod:`._driver`) with an
``AsyncECRClient``, an ``httpx.AsyncClient`` for layer URLs, and one task per blob moved in
parallel.

Cancelling the calling task (or ``KeyboardInterrupt`` in ``asyncio.run``) throws
``CancelledError`` into the steps at the effect they wait on; they remove their partial files —
inline, so a second cancellation cannot cut the cleanup short — and re-raise. When one of
several parallel blobs fails, the others are cancelled the same way and the first failure is
raised. Reads from a caller's stream or a file run in a worker thread, so they never block the
event loop; the other local effects are short and run inline.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Generator, Sequence
from typing import Any, TypeVar

import httpx

from ecrclient._runtime.jobs import aperform
from ecrclient._runtime.steps import adrive
from ecrclient.transfer._driver import Driver
from ecrclient.transfer._effects import Effect, ReadSource, Steps
from ecrclient.transfer._http import Pools
from ecrclient.transfer._local import perform_local

T = TypeVar("T")


class AsyncDriver(Driver[httpx.AsyncClient]):
    """Runs steps in the current task; steps run in parallel get a task each."""

    def __init__(self) -> None:
        self.pools = Pools(httpx.AsyncClient)

    def loop(
        self, steps: Generator[Any, Any, Any], perform: Callable[[Any], Awaitable[Any]]
    ) -> Coroutine[Any, Any, Any]:
        return adrive(steps, perform)

    def pieces(self, response: httpx.Response) -> AsyncIterator[bytes]:
        return response.aiter_raw()

    async def next_piece(self, pieces: Any) -> bytes:
        piece: bytes = await anext(pieces, b"")
        return piece

    async def close_response(self, response: httpx.Response) -> None:
        await response.aclose()

    async def local(self, effect: Effect) -> Any:
        if isinstance(effect, ReadSource) and not effect.source.in_memory:
            return await asyncio.to_thread(effect.source.read, effect.count)
        return perform_local(effect)

    def job_effect(self, effect: Any) -> Coroutine[Any, Any, Any]:
        return aperform(effect)

    async def in_parallel(self, steps: Sequence[Steps[Any]], limit: int) -> list[Any]:
        gate = asyncio.Semaphore(limit)

        async def one(each: Steps[Any]) -> Any:
            async with gate:
                return await self.run(each)

        tasks = [asyncio.ensure_future(one(each)) for each in steps]
        try:
            done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
            for task in tasks:
                if task in done and not task.cancelled() and task.exception() is not None:
                    task.result()  # raises the first failure
        except BaseException:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            raise
        return [task.result() for task in tasks]


async def run_async(steps: Steps[T]) -> T:
    """Run ``steps`` to their end in the current task (and tasks it starts)."""
    driver = AsyncDriver()
    try:
        result: T = await driver.run(steps)
        return result
    finally:
        for pool in driver.pools.drain():
            await pool.aclose()
