"""The parts of the aiohttp transport that need aiohttp itself, imported with the first call's
pool (so creating a client imports no HTTP stack): the connector and protocol that tell a
reused connection from a new one and keep the read timer running after an interim answer, the
session factory, and the mapping of aiohttp's failures to the SDK's errors. See
:mod:`ecrclient._transports.aiohttp` for the design."""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import functools
from ssl import SSLContext
from typing import Any

import aiohttp
from aiohttp.client_proto import ResponseHandler

from ecrclient._core.errors import (
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NetworkError,
    ReadTimeoutError,
    SdkClientError,
)
from ecrclient._core.messages import HttpRequest
from ecrclient._transports.base import Failures, classified_failure, network_failure

STALE = (aiohttp.ServerDisconnectedError, aiohttp.ClientOSError)
"""How a request fails on a connection the server closed while it sat idle in the pool."""


class Exchange:
    """What the connector tells the exchange under way (through :data:`EXCHANGE`)."""

    __slots__ = ("fresh_only", "reused")

    def __init__(self) -> None:
        self.reused = False
        """Whether the connection the request went out on had carried a request before."""
        self.fresh_only = False
        """Set for the one resend after a stale connection: take a new connection."""


EXCHANGE: contextvars.ContextVar[Exchange | None] = contextvars.ContextVar(
    "ecrclient_aiohttp_exchange", default=None
)


class _Handler(ResponseHandler):
    """aiohttp's protocol, counting the requests a connection carried, and with its read
    timer running again after an interim (1xx) answer."""

    requests_carried = 0
    _interim = False

    def feed_data(self, data: Any, size: int = 0) -> None:
        super().feed_data(data, size)
        code = data[0].code
        self._interim = 100 <= code < 200 and code != 101

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self._interim:  # aiohttp stopped the timer: nothing else bounds the wait
            self._interim = False
            self.start_timeout()


class _Connector(aiohttp.TCPConnector):
    """aiohttp's connector, making :class:`_Handler` protocols and telling the exchange under
    way whether its connection is reused (or, when it asks for a fresh one, discarding idle
    ones)."""

    def __init__(self, *, limit: int, ssl: SSLContext | bool) -> None:
        super().__init__(limit=limit, ssl=ssl)  # pyright: ignore[reportUnknownMemberType]
        self._factory = functools.partial(_Handler, loop=self._loop)  # type: ignore[assignment]

    async def connect(self, req: Any, traces: Any, timeout: Any) -> Any:
        exchange = EXCHANGE.get()
        fresh_only = exchange is not None and exchange.fresh_only
        spare = self.limit
        connection = await super().connect(req, traces, timeout)
        while fresh_only and spare and _carried(connection):
            connection.close()  # idle as long as the one that just failed: likely as stale
            spare -= 1
            connection = await super().connect(req, traces, timeout)
        carried = _carried(connection)
        if exchange is not None:
            exchange.reused = carried > 0
        protocol: Any = connection.protocol
        if protocol is not None:
            protocol.requests_carried = carried + 1
        return connection


def _carried(connection: Any) -> int:
    """How many requests ``connection`` carried before."""
    carried: int = getattr(connection.protocol, "requests_carried", 0)
    return carried


def new_session(limit: int, ssl: SSLContext | bool) -> aiohttp.ClientSession:
    """A pool of at most ``limit`` connections verifying TLS with ``ssl``."""
    return aiohttp.ClientSession(
        connector=_Connector(limit=limit, ssl=ssl),
        skip_auto_headers=("User-Agent",),
        auto_decompress=False,
        trust_env=False,
    )


def timeout(
    total: float | None, connect: float | None, sock_connect: float | None, sock_read: float | None
) -> aiohttp.ClientTimeout:
    return aiohttp.ClientTimeout(
        total=total, connect=connect, sock_connect=sock_connect, sock_read=sock_read
    )


def mapped(exc: Exception, request: HttpRequest) -> SdkClientError:
    """The SDK error for an aiohttp failure while sending ``request``, its message redacted
    (see :func:`~ecrclient._transports.base.classified_failure`); anything else aiohttp raises
    is a header value or URL it cannot use, refused before anything was sent."""
    if _silent_read_timeout(exc):  # aiohttp's read timeouts often say nothing: say it for them
        return network_failure(ReadTimeoutError, "read timeout (no data in time)", exc, request)
    return classified_failure(exc, request, _FAILURES, refused=(BaseException,))


_READ_TIMEOUTS = (aiohttp.SocketTimeoutError, asyncio.TimeoutError)

_FAILURES: Failures = [
    (aiohttp.ConnectionTimeoutError, ConnectTimeoutError, "connect timeout"),
    (_READ_TIMEOUTS, ReadTimeoutError, "read timeout"),
    (aiohttp.ClientConnectorError, EndpointConnectionError, "could not connect"),
    (
        (aiohttp.ServerDisconnectedError, aiohttp.ClientPayloadError),
        ConnectionClosedError,
        "connection closed mid-response",
    ),
    (
        (aiohttp.ClientOSError, aiohttp.ClientResponseError),
        ConnectionClosedError,
        "connection broke",
    ),
    (aiohttp.ClientError, NetworkError, "network error"),
]


def _silent_read_timeout(exc: Exception) -> bool:
    """A read timeout (a connect timeout is one too, in aiohttp's classes) without a message."""
    return (
        not str(exc)
        and isinstance(exc, _READ_TIMEOUTS)
        and not isinstance(exc, aiohttp.ConnectionTimeoutError)
    )


async def close(session: aiohttp.ClientSession) -> None:
    if not session.closed:
        await session.close()


def drop(session: aiohttp.ClientSession) -> None:
    """Release an aiohttp session's sockets without awaiting, and without the
    "Unclosed client session" / "Unclosed connector" warnings."""
    connector: Any = session.connector
    session.detach()
    if connector is not None and not connector.closed:
        # Each socket closes through its loop; if that loop is closed already, they close
        # when collected.
        with contextlib.suppress(RuntimeError):
            connector._close()
