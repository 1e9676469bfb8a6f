"""What the two drivers share: one :meth:`Driver.perform` that routes each effect to the way
of carrying it out, written once.

Most effects are carried out the same way by both drivers, the only difference being whether
the result is a value (sync) or an awaitable of it (async, awaited by
:func:`~ecrclient._runtime.steps.adrive`): an ECR call is ``client.<operation>(request)``
with either client; a GET and a body read are steps (:mod:`._http`) run by the driver's own
loop; several blobs in sequence are steps too; a pause is the jobs'. A driver subclass supplies
only its I/O: its loop (``drive`` or ``adrive``), how to read a network piece and close a
response, the local effects (see :mod:`._local`), and running steps in parallel (threads or
tasks).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Generator, Sequence
from typing import Any, Generic

import httpx

from ecrclient.transfer._effects import (
    Call,
    CloseStream,
    Concurrently,
    Effect,
    HttpGet,
    ReadStream,
    Steps,
)
from ecrclient.transfer._http import Pool, Pools, body_of, next_chunk, open_stream
from ecrclient.transfer._local import LOCAL_EFFECTS


def one_after_another(steps: Sequence[Generator[Any, Any, Any]]) -> Steps[list[Any]]:
    """The ``steps`` run in order: their results, as a list."""
    results: list[Any] = []
    for each in steps:
        results.append((yield from each))
    return results


class Driver(ABC, Generic[Pool]):
    """Carries out the transfer effects; :meth:`perform` returns each effect's result, or (in
    the async driver) an awaitable of it."""

    pools: Pools[Pool]

    def run(self, steps: Steps[Any]) -> Any:
        """Run ``steps`` to their end (``adrive``'s coroutine, in the async driver)."""
        return self.loop(steps, self.perform)

    def perform(self, effect: Effect) -> Any:
        match effect:
            case Call(repository=repository, operation=operation, request=request):
                return getattr(repository.client, operation)(request)
            case HttpGet(via=via, url=url):
                pool = self.pools.get(via, url)
                return self.loop(
                    open_stream(pool, effect, self.pieces),
                    lambda request: pool.send(request, stream=True),
                )
            case ReadStream(stream=stream):
                return self.loop(next_chunk(body_of(stream)), self.next_piece)
            case CloseStream(stream=stream):
                return self.close_response(body_of(stream).response)
            case Concurrently(steps=steps, limit=limit):
                if limit <= 1 or len(steps) <= 1:
                    return self.run(one_after_another(steps))
                return self.in_parallel(steps, limit)
            case _ if isinstance(effect, LOCAL_EFFECTS):
                return self.local(effect)
            case _:  # the jobs' own effects (a Pause)
                return self.job_effect(effect)

    @abstractmethod
    def loop(self, steps: Generator[Any, Any, Any], perform: Callable[[Any], Any]) -> Any:
        """Run ``steps``, carrying out what they yield with ``perform``: ``drive`` or
        ``adrive``."""
        ...

    @abstractmethod
    def pieces(self, response: httpx.Response) -> Any:
        """The raw iterator of a streamed response's body."""
        ...

    @abstractmethod
    def next_piece(self, pieces: Any) -> Any:
        """The next raw piece of a body, ``b""`` at its end."""
        ...

    @abstractmethod
    def close_response(self, response: httpx.Response) -> Any: ...

    @abstractmethod
    def local(self, effect: Effect) -> Any:
        """Carry out one of the local effects (:mod:`._local`)."""
        ...

    @abstractmethod
    def in_parallel(self, steps: Sequence[Steps[Any]], limit: int) -> Any:
        """Run ``steps``, ``limit`` at a time; the first failure stops the others and is
        raised."""
        ...

    @abstractmethod
    def job_effect(self, effect: Any) -> Any:
        """Carry out an effect of :mod:`ecrclient._runtime.jobs`."""
        ...
