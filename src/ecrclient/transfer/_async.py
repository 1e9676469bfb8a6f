"""The async driver: carries out the transfer steps' effects with an ``AsyncECRClient``, an
``httpx.AsyncClient`` for layer URLs, and one task per blob moved in parallel.

Cancelling the calling task (or ``KeyboardInterrupt`` in ``asyncio.run``) throws
``CancelledError`` into the steps at the effect they wait on; they remove their partial files —
inline, so a second cancellation cannot cut the cleanup short — and re-raise. When one of
several parallel blobs fails, the others are cancelled the same way and the first failure is
raised. Reads from a caller's stream or a file run in a worker thread, so they never block the
event loop; the other local effects are short and run inline.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any, TypeVar

import attrs
import httpx

from ecrclient import AsyncECRClient
from ecrclient.transfer._effects import (
    Call,
    CloseStream,
    Concurrently,
    Effect,
    HttpGet,
    HttpStream,
    ReadSource,
    ReadStream,
    Sleep,
    Steps,
    StreamBroken,
)
from ecrclient.transfer._http import (
    CHUNK,
    broken_message,
    client_options,
    lower_headers,
    pool_key,
    range_headers,
)
from ecrclient.transfer._local import LOCAL_EFFECTS, perform_local

T = TypeVar("T")


@attrs.define
class _Body:
    """What an :class:`HttpStream` holds for this driver."""

    response: httpx.Response
    chunks: AsyncIterator[bytes]
    url: str = attrs.field(repr=False)
    failure: str | None = None
    """A break met after some bytes: reported by the next read, once they are delivered."""


class AsyncDriver:
    def __init__(self) -> None:
        self._pools: dict[tuple[int, str], httpx.AsyncClient] = {}

    async def aclose(self) -> None:
        pools, self._pools = list(self._pools.values()), {}
        for pool in pools:
            await pool.aclose()

    async def run(self, steps: Steps[T]) -> T:
        reply: Any = None
        failure: BaseException | None = None
        while True:
            try:
                effect = steps.send(reply) if failure is None else steps.throw(failure)
            except StopIteration as finished:
                result: T = finished.value
                return result
            reply, failure = None, None
            try:
                reply = await self._perform(effect)
            except BaseException as exc:  # CancelledError too: the steps clean up, re-raise
                failure = exc

    async def _perform(self, effect: Effect) -> Any:
        if isinstance(effect, ReadSource) and not effect.source.in_memory:
            return await asyncio.to_thread(effect.source.read, effect.count)
        if isinstance(effect, LOCAL_EFFECTS):
            return perform_local(effect)
        match effect:
            case Call(repository=repository, operation=operation, request=request):
                return await getattr(repository.client, operation)(request)
            case HttpGet():
                return await self._get(effect)
            case ReadStream(stream=stream):
                return await _next_chunk(stream)
            case CloseStream(stream=stream):
                await _body(stream).response.aclose()
                return None
            case Sleep(seconds=seconds):
                await asyncio.sleep(seconds)
                return None
            case Concurrently():
                return await self._concurrently(effect)
            case _:
                raise TypeError(f"unknown effect {effect!r}")

    def _pool(self, via: object, url: str) -> httpx.AsyncClient:
        key = (id(via), pool_key(url))
        pool = self._pools.get(key)
        if pool is None:
            assert isinstance(via, AsyncECRClient)
            pool = httpx.AsyncClient(**client_options(via.config, asynchronous=True, key=key[1]))
            self._pools[key] = pool
        return pool

    async def _get(self, effect: HttpGet) -> HttpStream:
        pool = self._pool(effect.via, effect.url)
        request = pool.build_request("GET", effect.url, headers=range_headers(effect.start))
        try:
            response = await pool.send(request, stream=True)
        except httpx.TransportError as exc:
            raise StreamBroken(broken_message(exc, effect.url)) from None
        except (httpx.HTTPError, httpx.InvalidURL) as exc:  # no retry; may quote the URL
            raise RuntimeError(broken_message(exc, effect.url)) from None
        body = _Body(response, response.aiter_raw(), effect.url)
        return HttpStream(response.status_code, lower_headers(response.headers), body)

    async def _concurrently(self, effect: Concurrently) -> list[Any]:
        steps = list(effect.steps)
        if effect.limit <= 1 or len(steps) <= 1:
            return [await self.run(each) for each in steps]
        gate = asyncio.Semaphore(effect.limit)

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


def _body(stream: HttpStream) -> _Body:
    body = stream.native
    assert isinstance(body, _Body)
    return body


async def _next_chunk(stream: HttpStream) -> bytes:
    """The next bytes of the body, ``b""`` at its end: network reads (~64 KiB) gathered up to
    :data:`CHUNK`, so that the steps, the hash and the disk see few, large pieces."""
    body = _body(stream)
    if body.failure is not None:
        raise StreamBroken(body.failure)
    pieces: list[bytes] = []
    size = 0
    try:
        while size < CHUNK:
            piece = await anext(body.chunks, b"")
            if not piece:
                break
            pieces.append(piece)
            size += len(piece)
    except httpx.TransportError as exc:
        body.failure = broken_message(exc, body.url)
        if not pieces:
            raise StreamBroken(body.failure) from None
    return pieces[0] if len(pieces) == 1 else b"".join(pieces)


async def run_async(steps: Steps[T]) -> T:
    """Run ``steps`` to their end in the current task (and tasks it starts)."""
    driver = AsyncDriver()
    try:
        return await driver.run(steps)
    finally:
        await driver.aclose()
