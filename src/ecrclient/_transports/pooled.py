"""What both sync transports do around an exchange, written once: :class:`PooledTransport`.

A sync transport's pool is made on the first call (so a client that never calls opens nothing)
and shared by the client's ``with_options`` copies. It belongs to one process: a fork's child
abandons the parent's pool — closing it would end the parent's connections, and the lock may
have been held by another of the parent's threads — and makes its own. Closing the transport
refuses further calls and shuts down the sockets of calls in flight, which then fail with the
closed error rather than whatever the broken socket made the HTTP library say. While moto's
``mock_aws`` serves the endpoint, calls never reach the pool.

A subclass says how to open its pool and how to carry out one exchange on it.
"""

from __future__ import annotations

import os
import threading
from typing import Generic, Protocol, TypeVar

from ecrclient._core.config import ClientConfig
from ecrclient._core.errors import SdkClientError
from ecrclient._core.messages import HttpRequest, HttpResponse
from ecrclient._transports.base import SocketRegistry, closed_client_error
from ecrclient._transports.mocking import MOTO_MODELS, mocked_response, modules


class Pool(Protocol):
    @property
    def sockets(self) -> SocketRegistry: ...

    def close(self) -> None:
        """Shut down the sockets in flight and release the connections."""


P = TypeVar("P", bound=Pool)


class PooledTransport(Generic[P]):
    """A sync transport over a pool of type ``P``, made on first use (or ``supplied`` by the
    caller: then it is used as is, and never closed by the transport)."""

    def __init__(self, supplied: P | None = None) -> None:
        self._pool = supplied
        self._supplied = supplied is not None
        self._lock = threading.Lock()
        self._closed = False
        self._pid = os.getpid()

    @property
    def closed(self) -> bool:
        return self._closed

    def send(self, request: HttpRequest, config: ClientConfig) -> HttpResponse:
        if MOTO_MODELS in modules and (mocked := mocked_response(request)) is not None:
            return mocked  # moto's mock_aws is active and serves this endpoint
        pool = self._pool
        if pool is None or self._pid != os.getpid():
            pool = self._current(request.url, config)
        try:
            return self._exchange(pool, request, config)
        except SdkClientError:
            if pool.sockets.closed:
                raise closed_client_error() from None
            raise

    def close(self) -> None:
        with self._lock:
            self._closed = True
            pool, self._pool = self._pool, None
        if pool is not None and not self._supplied and self._pid == os.getpid():
            pool.close()

    def _current(self, url: str, config: ClientConfig) -> P:
        if self._pid != os.getpid() and not self._supplied:  # a fork's child: see above
            self._lock = threading.Lock()
            self._pool = None
            self._pid = os.getpid()
        with self._lock:
            if self._closed:
                raise closed_client_error()
            if self._pool is None:
                self._pool = self._open(url, config)
            return self._pool

    def _open(self, url: str, config: ClientConfig) -> P:
        """A new pool for calls to ``url`` under ``config``."""
        raise NotImplementedError

    def _exchange(self, pool: P, request: HttpRequest, config: ClientConfig) -> HttpResponse:
        """One exchange on ``pool``; every failure is an :class:`SdkClientError`."""
        raise NotImplementedError
