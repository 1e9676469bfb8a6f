"""Drive an :class:`AsyncECRClient` from synchronous tests, so one suite checks both clients.

:class:`Blocking` runs every coroutine of the client on a private event loop; paginators and
waiters are wrapped the same way. Tests parametrized over ``sync`` (urllib3, the default) /
``sync-httpx`` / ``async-httpx`` / ``async-aiohttp`` then exercise identical code paths in the
pipeline and different I/O shells.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable, Iterator
from typing import Any

from ecrclient import AsyncECRClient, ECRClient

CLIENT_KINDS = ["sync", "sync-httpx", "async-httpx", "async-aiohttp"]
"""Every client and transport, for suites that talk to a real server. ``async-aiohttp`` is the
async client as constructed by default (``AsyncECRClient()``: aiohttp); ``async-httpx`` asks
for httpx."""
MOCKABLE_CLIENT_KINDS = ["sync-httpx", "async-httpx"]
"""The clients whose HTTP respx intercepts: those on httpx (urllib3 and aiohttp are checked
against real servers)."""
SYNC_TRANSPORTS = ["urllib3", "httpx"]
"""The sync client's transports, for suites that build ``ECRClient`` themselves."""


class _Loop:
    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()

    def run(self, awaitable: Any) -> Any:
        return self.loop.run_until_complete(awaitable)

    def collect(self, iterator: Any) -> list[Any]:
        async def drain() -> list[Any]:
            return [item async for item in iterator]

        return self.run(drain())


class _BlockingPaginator:
    def __init__(self, loop: _Loop, paginator: Any) -> None:
        self._loop = loop
        self._paginator = paginator

    def pages(self) -> Iterator[Any]:
        return iter(self._loop.collect(self._paginator.pages()))

    def __iter__(self) -> Iterator[Any]:
        return iter(self._loop.collect(self._paginator))

    items = __iter__

    @property
    def resume_token(self) -> str | None:
        return self._paginator.resume_token  # type: ignore[no-any-return]


class _Wrapped:
    """Attribute access that turns coroutine methods into blocking calls."""

    def __init__(self, loop: _Loop, target: Any) -> None:
        object.__setattr__(self, "_loop", loop)
        object.__setattr__(self, "_target", target)

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._target, name)
        if inspect.iscoroutinefunction(value):
            return lambda *args, **kwargs: self._loop.run(value(*args, **kwargs))
        return value


class _BlockingWaiter(_Wrapped):
    def __call__(self) -> _BlockingWaiter:
        return self


class _BlockingWaiters(_Wrapped):
    def __getattr__(self, name: str) -> Any:
        value = getattr(self._target, name)
        if hasattr(value, "wait"):
            return _BlockingWaiter(self._loop, value)
        return value

    def __call__(self) -> _BlockingWaiters:
        return self


class _BlockingPaginators(_Wrapped):
    def __getattr__(self, name: str) -> Any:
        make = getattr(self._target, name)
        return lambda *args, **kwargs: _BlockingPaginator(self._loop, make(*args, **kwargs))


class Blocking(_Wrapped):
    """An :class:`AsyncECRClient` with a synchronous face."""

    def __init__(self, client: AsyncECRClient, loop: _Loop | None = None) -> None:
        super().__init__(loop or _Loop(), client)

    @property
    def paginators(self) -> Any:
        return _BlockingPaginators(self._loop, self._target.paginators)

    @property
    def waiters(self) -> Any:
        handle = self._target.waiters
        wrapped = self.__dict__.get("_waiters_face")
        if wrapped is None or wrapped._target is not handle:
            wrapped = _BlockingWaiters(self._loop, handle)
            object.__setattr__(self, "_waiters_face", wrapped)
        return wrapped

    def with_options(self, **changes: Any) -> Blocking:
        return Blocking(self._target.with_options(**changes), self._loop)

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "_sleep" and not inspect.iscoroutinefunction(value):
            record: Callable[[float], Any] = value

            async def sleep(seconds: float) -> None:
                record(seconds)

            value = sleep
        setattr(self._target, name, value)

    def close(self) -> None:
        self._loop.run(self._target.close())

    def shutdown(self) -> None:
        self.close()

    def __enter__(self) -> Blocking:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
        self._loop.loop.close()


def make_client(kind: str, **options: Any) -> Any:
    """A sync client, or an async one behind :class:`Blocking`, built with ``options``."""
    if kind == "sync":
        return ECRClient(**options)
    if kind == "sync-httpx":
        return ECRClient(transport="httpx", **options)
    if kind == "async-aiohttp":
        return Blocking(AsyncECRClient(**options))  # the default construction
    if kind == "async-httpx":
        return Blocking(AsyncECRClient(transport="httpx", **options))
    raise ValueError(f"unknown client kind {kind!r}")
