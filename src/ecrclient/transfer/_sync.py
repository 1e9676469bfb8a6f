"""The sync driver: carries out the transfer steps' effects with an ``ECRClient``, an
``httpx.Client`` for layer URLs, and threads for blobs moved in parallel.

When one of several parallel blobs fails — or the caller's thread gets ``KeyboardInterrupt`` —
the others are told to stop: at their next effect the driver throws :class:`Abandoned` into
their steps, which remove their partial files and end. The first failure is then raised. A blob
blocked in a network read notices at the end of that read (bounded by the client's
``read_timeout``).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from typing import Any, TypeVar

import attrs
import httpx

from ecrclient import ECRClient
from ecrclient.transfer._effects import (
    CLEANUP_EFFECTS,
    Call,
    CloseStream,
    Concurrently,
    Effect,
    HttpGet,
    HttpStream,
    OpenSink,
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
from ecrclient.transfer._sinks import BackgroundSink, FileSink

T = TypeVar("T")


@attrs.define
class _Body:
    """What an :class:`HttpStream` holds for this driver."""

    response: httpx.Response
    chunks: Iterator[bytes]
    url: str = attrs.field(repr=False)
    failure: str | None = None
    """A break met after some bytes: reported by the next read, once they are delivered."""


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


class SyncDriver:
    def __init__(self) -> None:
        self._pools: dict[tuple[int, str], httpx.Client] = {}
        self._pools_lock = threading.Lock()

    def close(self) -> None:
        with self._pools_lock:
            pools, self._pools = list(self._pools.values()), {}
        for pool in pools:
            pool.close()

    def run(self, steps: Steps[T], stop: _Stop | None = None) -> T:
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
                if stop is not None and stop.is_set() and not isinstance(effect, CLEANUP_EFFECTS):
                    raise Abandoned
                reply = self._perform(effect, stop)
            except BaseException as exc:  # thrown into the steps, which clean up and decide
                failure = exc

    def _perform(self, effect: Effect, stop: _Stop | None) -> Any:
        if isinstance(effect, OpenSink):
            sink = perform_local(effect)
            # Hash and write a file on a thread of its own, while the next bytes arrive.
            return BackgroundSink(sink) if isinstance(sink, FileSink) else sink
        if isinstance(effect, LOCAL_EFFECTS):
            return perform_local(effect)
        match effect:
            case Call(repository=repository, operation=operation, request=request):
                return getattr(repository.client, operation)(request)
            case HttpGet():
                return self._get(effect)
            case ReadStream(stream=stream):
                return _next_chunk(stream)
            case CloseStream(stream=stream):
                _body(stream).response.close()
                return None
            case Sleep(seconds=seconds):
                time.sleep(seconds)
                return None
            case Concurrently():
                return self._concurrently(effect, stop)
            case _:
                raise TypeError(f"unknown effect {effect!r}")

    def _pool(self, via: object, url: str) -> httpx.Client:
        with self._pools_lock:
            key = (id(via), pool_key(url))
            pool = self._pools.get(key)
            if pool is None:
                assert isinstance(via, ECRClient)
                pool = httpx.Client(**client_options(via.config, asynchronous=False, key=key[1]))
                self._pools[key] = pool
            return pool

    def _get(self, effect: HttpGet) -> HttpStream:
        pool = self._pool(effect.via, effect.url)
        request = pool.build_request("GET", effect.url, headers=range_headers(effect.start))
        try:
            response = pool.send(request, stream=True)
        except httpx.TransportError as exc:
            raise StreamBroken(broken_message(exc, effect.url)) from None
        except (httpx.HTTPError, httpx.InvalidURL) as exc:  # no retry; may quote the URL
            raise RuntimeError(broken_message(exc, effect.url)) from None
        body = _Body(response, response.iter_raw(), effect.url)
        return HttpStream(response.status_code, lower_headers(response.headers), body)

    def _concurrently(self, effect: Concurrently, stop: _Stop | None) -> list[Any]:
        steps = list(effect.steps)
        if effect.limit <= 1 or len(steps) <= 1:
            return [self.run(each, stop) for each in steps]
        group = _Stop(stop)
        with ThreadPoolExecutor(
            max_workers=min(effect.limit, len(steps)), thread_name_prefix="ecrclient-transfer"
        ) as pool:
            futures: list[Future[Any]] = [pool.submit(self.run, each, group) for each in steps]
            try:
                done, _ = wait(futures, return_when=FIRST_EXCEPTION)
                for future in futures:
                    if future in done and future.exception() is not None:
                        future.result()  # raises the first failure
            except BaseException:
                group.set()
                for future in futures:
                    future.cancel()
                wait(futures)
                raise
        return [future.result() for future in futures]


def _body(stream: HttpStream) -> _Body:
    body = stream.native
    assert isinstance(body, _Body)
    return body


def _next_chunk(stream: HttpStream) -> bytes:
    """The next bytes of the body, ``b""`` at its end: network reads (~64 KiB) gathered up to
    :data:`CHUNK`, so that the steps, the hash and the disk see few, large pieces."""
    body = _body(stream)
    if body.failure is not None:
        raise StreamBroken(body.failure)
    pieces: list[bytes] = []
    size = 0
    try:
        while size < CHUNK:
            piece = next(body.chunks, b"")
            if not piece:
                break
            pieces.append(piece)
            size += len(piece)
    except httpx.TransportError as exc:
        body.failure = broken_message(exc, body.url)
        if not pieces:
            raise StreamBroken(body.failure) from None
    return pieces[0] if len(pieces) == 1 else b"".join(pieces)


def run_sync(steps: Steps[T]) -> T:
    """Run ``steps`` to their end on the calling thread (and workers it starts)."""
    driver = SyncDriver()
    try:
        return driver.run(steps)
    finally:
        driver.close()
