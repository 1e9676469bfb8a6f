"""A small fault-injection HTTP/1.1 server for testing an HTTP client's retries and timeouts.

Standard library only, byte-level control over the wire::

    with FaultServer() as server:
        server.script([Throttle(retry_after_ms=10), ResetAfterRead(), Json(200, {"ok": True})])
        client = httpx.Client(base_url=server.url)
        ...
        assert len(server.requests) == 3

Each incoming request consumes the next scripted action; once the script runs out,
:attr:`FaultServer.default` answers. The server binds ``127.0.0.1`` on a free port only, serves
every connection in its own thread, and stops by itself when the ``with`` block ends. Every loop
is bounded: each wait for data is a ``select`` that stopping the server wakes at once, idle or
half-sent connections are dropped after ``idle_timeout`` seconds, sends give up after
``io_timeout`` seconds, and at most ``max_connections`` connections are ever accepted (later
clients are refused).

Response header names are sent as given; the ones the server adds use AWS's spelling
(``Content-Length``, ``Date``, ``x-amzn-RequestId``, ``x-amzn-ErrorType``...).

A request is always read in full (headers and a ``Content-Length`` or chunked body) and
recorded before its action is taken, so a client that gives up mid-request consumes nothing.
The one exception is :class:`ResetBeforeRead`: when it is next in line as the first bytes of a
request arrive, the connection is reset without reading them. Waiting for those first bytes
(rather than resetting right after ``accept``) makes the client's failure deterministic: a small
request has been sent and the client is waiting for the answer, so it sees a reset on read, not
on write. It also means an idle pooled connection never consumes an action, and that
``ResetBeforeRead`` works on a reused keep-alive connection too (a "stale pool entry").

With concurrent connections, actions go to requests in the order their reading completes.
"""

from __future__ import annotations

import calendar
import contextlib
import email.utils
import http
import json
import selectors
import socket
import struct
import threading
import time
import uuid
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import TypeAlias

__all__ = [
    "AMZ_DATE_FORMAT",
    "Action",
    "AwsError",
    "CheckSkew",
    "CloseAfterAnswer",
    "CloseAfterRead",
    "FaultServer",
    "Interim",
    "Json",
    "RecordedRequest",
    "ResetAfterRead",
    "ResetBeforeRead",
    "Respond",
    "Stall",
    "Throttle",
    "Trickle",
    "Truncated",
    "Unending",
]

AMZ_DATE_FORMAT = "%Y%m%dT%H%M%SZ"
"""The SigV4 ``X-Amz-Date`` format (always UTC)."""

AMZ_JSON_CONTENT_TYPE = "application/x-amz-json-1.1"

# ---------------------------------------------------------------------------------------------
# Actions
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Respond:
    """A normal response.

    ``Content-Length``, ``Date`` (from the server's own, possibly skewed, clock) and
    ``x-amzn-RequestId`` (unique per request) are added unless given in ``headers``.
    """

    status: int
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Json:
    """A JSON response with ``Content-Type: application/x-amz-json-1.1``."""

    status: int
    payload: Mapping[str, object]
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class AwsError:
    """An AWS JSON-protocol error: ``{"__type": code, "message": message}`` and
    ``x-amzn-ErrorType: code``."""

    status: int
    code: str
    message: str = ""
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Throttle:
    """A throttling :class:`AwsError`; ``retry_after_ms`` adds ``x-amz-retry-after``."""

    code: str = "ThrottlingException"
    status: int = 400
    retry_after_ms: int | None = None
    message: str = "Rate exceeded"


@dataclass(frozen=True)
class CheckSkew:
    """Check the request's ``X-Amz-Date`` against the server's clock, then perform ``then``.

    When the two differ by more than ``tolerance`` seconds, answer ``status``/``code`` with
    AWS's SigV4 messages instead (unless ``message`` overrides them)::

        Signature expired: <amz-date> is now earlier than <server - tol> (<server> - 5 min.)
        Signature not yet current: <amz-date> is still later than <server + tol> (<server> + 5 min.)

    A missing or unparsable ``X-Amz-Date`` is answered with the same error. For S3-style
    skew errors, pass ``code="RequestTimeTooSkewed"`` (and ``status=403``).
    """

    then: Action
    tolerance: float = 300.0
    code: str = "InvalidSignatureException"
    status: int = 400
    message: str | None = None


@dataclass(frozen=True)
class ResetBeforeRead:
    """Reset the connection (RST, ``SO_LINGER`` 0) once a request starts to arrive, without
    reading it.

    The request is not recorded in :attr:`FaultServer.requests`. Used as the ``then`` of
    :class:`Stall` or :class:`CheckSkew` (the request is already read) it acts like
    :class:`ResetAfterRead`.
    """


@dataclass(frozen=True)
class ResetAfterRead:
    """Read the whole request, then reset the connection (RST) without answering."""


@dataclass(frozen=True)
class CloseAfterRead:
    """Read the whole request, then close the connection cleanly (FIN) without answering."""


@dataclass(frozen=True)
class Stall:
    """Read the request, wait ``seconds`` (cut short when the server stops), then perform
    ``then``, or close the connection cleanly if ``then`` is None."""

    seconds: float
    then: Action | None = None


@dataclass(frozen=True)
class Truncated:
    """Send headers declaring ``Content-Length: declared_length`` (default ``len(body) + 100``),
    then only ``body``, then close the connection cleanly."""

    status: int = 200
    body: bytes = b'{"repositories": ['
    declared_length: int | None = None


@dataclass(frozen=True)
class CloseAfterAnswer:
    """Perform ``then`` (a response) as if the connection were kept alive (no
    ``Connection: close``), then close the connection cleanly: a server that drops idle
    connections without saying so."""

    then: Action


@dataclass(frozen=True)
class Interim:
    """Send the interim answer ``100 Continue`` (asked for or not), then perform ``then``."""

    then: Action


@dataclass(frozen=True)
class Trickle:
    """A 200 whose headers declare ``len(body)`` bytes, then the body one byte every
    ``interval`` seconds (a server that never lets a read timeout fire)."""

    body: bytes = b'{"repositories": []}'
    interval: float = 0.3


@dataclass(frozen=True)
class Unending:
    """A 200 with a chunked body that never ends: ``chunk`` again and again, until the client
    goes away or the server stops."""

    chunk: bytes = b"x" * 65536


Action: TypeAlias = (
    "Respond | Json | AwsError | Throttle | CheckSkew | ResetBeforeRead | ResetAfterRead"
    " | CloseAfterRead | Stall | Truncated | Trickle | Unending | CloseAfterAnswer | Interim"
)


@dataclass(frozen=True)
class RecordedRequest:
    """A request as the server read it.

    ``path`` is the raw request target (with any query string); ``headers`` has lower-case
    names (repeated headers joined with ``", "``); ``received_at`` is the real ``time.time()``
    when the request was fully read (not the skewed server clock); ``head`` is the request
    line and header section as they came off the wire.
    """

    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    received_at: float
    head: bytes = b""


# ---------------------------------------------------------------------------------------------
# Server
# ---------------------------------------------------------------------------------------------


class _BadRequest(Exception):
    """The client sent something that is not HTTP/1.1 this server understands."""


class _Closed(Exception):
    """The peer went away, the connection idled out, or the server is stopping."""


class FaultServer:
    """A scripted HTTP/1.1 server on ``127.0.0.1:<free port>``; use it as a context manager."""

    def __init__(
        self,
        *,
        default: Action | None = None,
        clock_offset: float = 0.0,
        max_connections: int = 256,
        max_requests_per_connection: int = 1000,
        idle_timeout: float = 10.0,
        io_timeout: float = 5.0,
        max_header_bytes: int = 64 * 1024,
        max_body_bytes: int = 16 * 1024 * 1024,
    ) -> None:
        self.default: Action = default if default is not None else Respond(200, body=b"{}")
        """What answers once the script has run out."""
        self.clock_offset: float = clock_offset
        """Seconds added to ``time.time()`` to make the server's own clock."""
        self.max_connections = max_connections
        self.max_requests_per_connection = max_requests_per_connection
        self.idle_timeout = idle_timeout
        self.io_timeout = io_timeout
        self.max_header_bytes = max_header_bytes
        self.max_body_bytes = max_body_bytes

        self._lock = threading.Lock()
        self._script: deque[Action] = deque()
        self._requests: list[RecordedRequest] = []
        self._errors: list[BaseException] = []
        self._connections_accepted = 0
        self._open: set[socket.socket] = set()
        self._workers: list[threading.Thread] = []
        self._stop = threading.Event()
        # Written to once by stop(); never drained, so it stays readable and wakes every wait.
        self._wake: tuple[socket.socket, socket.socket] | None = None
        self._listener: socket.socket | None = None
        self._acceptor: threading.Thread | None = None
        self._address: tuple[str, int] | None = None

    # -- public API -----------------------------------------------------------------------

    @property
    def address(self) -> tuple[str, int]:
        """The bound ``(host, port)``; the host is always ``127.0.0.1``."""
        if self._address is None:
            raise RuntimeError("FaultServer is not started")
        return self._address

    @property
    def url(self) -> str:
        """``http://127.0.0.1:<port>``."""
        host, port = self.address
        return f"http://{host}:{port}"

    def script(self, actions: Iterable[Action]) -> None:
        """Replace the pending script: one action per incoming request, consumed in order."""
        with self._lock:
            self._script = deque(actions)

    @property
    def pending(self) -> int:
        """How many scripted actions have not been consumed yet."""
        with self._lock:
            return len(self._script)

    @property
    def requests(self) -> list[RecordedRequest]:
        """A snapshot of every request read so far, in the order they were read."""
        with self._lock:
            return list(self._requests)

    @property
    def connections_accepted(self) -> int:
        """How many TCP connections the server has accepted."""
        with self._lock:
            return self._connections_accepted

    @property
    def errors(self) -> list[BaseException]:
        """Unexpected exceptions raised inside server threads (bugs, not client disconnects)."""
        with self._lock:
            return list(self._errors)

    def now(self) -> float:
        """The server's own clock: ``time.time() + clock_offset``."""
        return time.time() + self.clock_offset

    def start(self) -> None:
        """Bind ``127.0.0.1:0`` and start accepting in a background thread."""
        if self._listener is not None:
            raise RuntimeError("FaultServer already started")
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            listener.bind(("127.0.0.1", 0))
            listener.listen(64)
            listener.setblocking(False)
        except BaseException:
            listener.close()
            raise
        host, port = listener.getsockname()[:2]
        self._wake = socket.socketpair()
        self._listener = listener
        self._address = (str(host), int(port))
        self._acceptor = threading.Thread(
            target=self._accept_loop, name=f"FaultServer:{port}", daemon=True
        )
        self._acceptor.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop accepting, interrupt stalls, close every connection and join every thread."""
        if not self._stop.is_set():
            self._stop.set()
            if self._wake is not None:
                with contextlib.suppress(OSError):
                    self._wake[1].send(b"x")
        deadline = time.monotonic() + timeout
        if self._acceptor is not None:
            self._acceptor.join(max(0.0, deadline - time.monotonic()))
        with self._lock:
            workers = list(self._workers)
            sockets = list(self._open)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        for worker in workers:
            worker.join(max(0.0, deadline - time.monotonic()))
        if self._listener is not None:
            self._listener.close()
        alive = [t.name for t in [*workers, self._acceptor] if t is not None and t.is_alive()]
        if alive:
            raise RuntimeError(f"FaultServer threads did not stop: {alive}")
        if self._wake is not None:
            for end in self._wake:
                end.close()

    def __enter__(self) -> FaultServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
        errors = self.errors
        if errors and exc_type is None:
            raise RuntimeError(f"FaultServer thread failed: {errors[0]!r}") from errors[0]

    # -- accepting ------------------------------------------------------------------------

    def _accept_loop(self) -> None:
        listener = self._listener
        assert listener is not None
        try:
            while not self._stop.is_set():
                with self._lock:
                    if self._connections_accepted >= self.max_connections:
                        break
                if listener.fileno() < 0 or not self._wait_for(listener, None):
                    break
                try:
                    conn, _ = listener.accept()
                except BlockingIOError:
                    continue  # the client gave up between select and accept
                conn.settimeout(self.io_timeout)  # a safety net: reads wait in _wait_for
                with self._lock:
                    self._connections_accepted += 1
                    if self._connections_accepted >= self.max_connections:
                        # Close now, before this connection is answered, so that no later
                        # client can slip into the backlog (it would get a reset, not a refusal).
                        listener.close()
                    self._open.add(conn)
                    worker = threading.Thread(
                        target=self._serve_connection,
                        args=(conn,),
                        name=f"FaultServer-conn-{self._connections_accepted}",
                        daemon=True,
                    )
                    self._workers.append(worker)
                worker.start()
        except Exception as error:
            self._record_error(error)
        finally:
            # Past the cap (or stopping): refuse new clients outright rather than leaving them
            # queued in the backlog with nobody to answer.
            listener.close()

    def _record_error(self, error: BaseException) -> None:
        with self._lock:
            self._errors.append(error)

    # -- one connection -------------------------------------------------------------------

    def _serve_connection(self, conn: socket.socket) -> None:
        buffer = bytearray()
        try:
            for _ in range(self.max_requests_per_connection):
                self._wait_readable(conn, buffer)
                if self._take_reset_before_read():
                    if not buffer:
                        self._await_unread_request(conn)
                    self._reset(conn)
                    return
                request, keep_alive = self._read_request(conn, buffer)
                action = self._record(request)
                if not self._perform(conn, action, request, keep_alive):
                    return
        except _BadRequest as bad:
            self._send_quietly(conn, _bad_request(str(bad), self.now()))
        except (_Closed, OSError):
            pass  # client went away, idled out or the server is stopping: nothing to do
        except Exception as error:
            self._record_error(error)
        finally:
            with self._lock:
                self._open.discard(conn)
            with contextlib.suppress(OSError):
                conn.close()

    def _take_reset_before_read(self) -> bool:
        """Whether the next action is :class:`ResetBeforeRead` (consuming it if scripted).

        Decided when a request's first bytes arrive; every other action is taken only once
        the request has been read in full, so a client that gives up mid-request consumes
        nothing.
        """
        with self._lock:
            if self._script:
                if isinstance(self._script[0], ResetBeforeRead):
                    self._script.popleft()
                    return True
                return False
            return isinstance(self.default, ResetBeforeRead)

    def _record(self, request: RecordedRequest) -> Action:
        """Record a fully read request and take the action for it, atomically."""
        with self._lock:
            self._requests.append(request)
            return self._script.popleft() if self._script else self.default

    def _perform(
        self, conn: socket.socket, action: Action, request: RecordedRequest, keep_alive: bool
    ) -> bool:
        """Carry out ``action`` for a request already read; return whether to keep going."""
        if isinstance(action, CheckSkew):
            error = self._skew_error(action, request)
            if error is None:
                return self._perform(conn, action.then, request, keep_alive)
            action = error
        if isinstance(action, Respond | Json | AwsError | Throttle):
            status, headers, body = _render(action)
            headers = _with_defaults(headers, body, self.now())
            if (_get(headers, "Connection") or "").lower() == "close":
                keep_alive = False
            elif not keep_alive:
                headers["Connection"] = "close"
            if request.method == "HEAD":
                body = b""  # Content-Length still describes the body a GET would get
            self._send(conn, _response_bytes(status, headers, body))
            if not keep_alive:
                self._close_cleanly(conn)
            return keep_alive
        if isinstance(action, ResetBeforeRead | ResetAfterRead):
            self._reset(conn)
            return False
        if isinstance(action, CloseAfterRead):
            self._close_cleanly(conn)
            return False
        if isinstance(action, Stall):
            if self._stop.wait(action.seconds) or action.then is None:
                self._close_cleanly(conn)
                return False
            return self._perform(conn, action.then, request, keep_alive)
        if isinstance(action, CloseAfterAnswer):
            self._perform(conn, action.then, request, keep_alive)
            self._close_cleanly(conn)
            return False
        if isinstance(action, Interim):
            self._send(conn, b"HTTP/1.1 100 Continue\r\n\r\n")
            return self._perform(conn, action.then, request, keep_alive)
        if isinstance(action, Truncated):
            declared = (
                action.declared_length
                if action.declared_length is not None
                else len(action.body) + 100
            )
            headers = {"Content-Length": str(declared), "Content-Type": AMZ_JSON_CONTENT_TYPE}
            headers = _with_defaults(headers, action.body, self.now())
            self._send(conn, _response_bytes(action.status, headers, action.body))
            self._close_cleanly(conn)
            return False
        if isinstance(action, Trickle):
            content_type = {"Content-Type": AMZ_JSON_CONTENT_TYPE}
            headers = _with_defaults(content_type, action.body, self.now())
            self._send(conn, _response_bytes(200, headers, b""))
            for index in range(len(action.body)):
                if self._stop.wait(action.interval):
                    return False
                self._send(conn, action.body[index : index + 1])
            return keep_alive
        if isinstance(action, Unending):
            headers = {"Content-Type": AMZ_JSON_CONTENT_TYPE, "Transfer-Encoding": "chunked"}
            head = _response_bytes(200, _merge(_with_defaults({}, b"", self.now()), headers), b"")
            head = head.replace(b"Content-Length: 0\r\n", b"")
            self._send(conn, head)
            frame = f"{len(action.chunk):x}\r\n".encode() + action.chunk + b"\r\n"
            while not self._stop.is_set():
                self._send(conn, frame)
            return False
        raise TypeError(f"not a FaultServer action: {action!r}")

    def _skew_error(self, check: CheckSkew, request: RecordedRequest) -> AwsError | None:
        amz_date = request.headers.get("x-amz-date", "")
        try:
            request_time = float(calendar.timegm(time.strptime(amz_date, AMZ_DATE_FORMAT)))
        except ValueError:
            message = f"Missing or malformed X-Amz-Date header: {amz_date!r}"
            return AwsError(check.status, check.code, check.message or message)
        server_time = self.now()
        skew = request_time - server_time
        if abs(skew) <= check.tolerance:
            return None
        if check.message is not None:
            return AwsError(check.status, check.code, check.message)
        window = f"{check.tolerance / 60:g} min."
        now = _amz_date(server_time)
        if skew < 0:
            message = (
                f"Signature expired: {amz_date} is now earlier than "
                f"{_amz_date(server_time - check.tolerance)} ({now} - {window})"
            )
        else:
            message = (
                f"Signature not yet current: {amz_date} is still later than "
                f"{_amz_date(server_time + check.tolerance)} ({now} + {window})"
            )
        return AwsError(check.status, check.code, message)

    # -- socket helpers -------------------------------------------------------------------

    def _wait_for(self, sock: socket.socket, deadline: float | None) -> bool:
        """Wait until ``sock`` is readable; False when the server stops or ``deadline``
        (``time.monotonic()``) passes first."""
        with selectors.DefaultSelector() as selector:
            selector.register(sock, selectors.EVENT_READ)
            assert self._wake is not None
            selector.register(self._wake[0], selectors.EVENT_READ)
            while not self._stop.is_set():
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    return False
                events = selector.select(remaining)
                if any(key.fileobj is sock for key, _ in events):
                    return not self._stop.is_set()
        return False

    def _wait_readable(self, conn: socket.socket, buffer: bytearray) -> None:
        """Wait until at least one byte of the next request is available, without consuming
        anything new from the socket (``MSG_PEEK``)."""
        if buffer:
            return
        if not self._wait_for(conn, time.monotonic() + self.idle_timeout):
            raise _Closed
        if not conn.recv(1, socket.MSG_PEEK):
            raise _Closed

    def _await_unread_request(self, conn: socket.socket) -> None:
        """Wait (at most a second or two) until a whole request sits in the socket's receive
        buffer, without reading any of it.

        Resetting only then makes the client's failure deterministic: it has sent everything
        and waits for the answer, so the reset surfaces on its read. (Resetting while the
        client still writes gives it a write error, which httpcore swallows before it reads
        EOF and reports ``RemoteProtocolError`` instead.) A request larger than the receive
        buffer never fits, and is reset when the wait runs out.
        """
        deadline = time.monotonic() + min(self.idle_timeout, 2.0)
        size, cap = 65536, self.max_header_bytes + self.max_body_bytes
        while not self._stop.is_set() and time.monotonic() < deadline:
            data = conn.recv(size, socket.MSG_PEEK)
            extent = _request_extent(data)
            if not data or (extent is not None and len(data) >= extent):
                return
            if len(data) >= size and size < cap:  # more may be there than was peeked
                size = min(max(size * 2, extent or 0), cap)
            else:
                time.sleep(0.002)

    def _recv_more(self, conn: socket.socket, buffer: bytearray) -> None:
        """Append at least one byte to ``buffer``; raise :class:`_Closed` on EOF/idle/stop."""
        if not self._wait_for(conn, time.monotonic() + self.idle_timeout):
            raise _Closed
        chunk = conn.recv(65536)
        if not chunk:
            raise _Closed
        buffer += chunk

    def _read_until(self, conn: socket.socket, buffer: bytearray, marker: bytes, cap: int) -> bytes:
        """Remove and return ``buffer`` up to and including ``marker``."""
        while True:
            index = buffer.find(marker)
            if index >= 0:
                end = index + len(marker)
                data = bytes(buffer[:end])
                del buffer[:end]
                return data
            if len(buffer) > cap:
                raise _BadRequest("header section too large")
            self._recv_more(conn, buffer)

    def _read_exact(self, conn: socket.socket, buffer: bytearray, size: int) -> bytes:
        while len(buffer) < size:
            self._recv_more(conn, buffer)
        data = bytes(buffer[:size])
        del buffer[:size]
        return data

    def _read_request(self, conn: socket.socket, buffer: bytearray) -> tuple[RecordedRequest, bool]:
        head = self._read_until(conn, buffer, b"\r\n\r\n", self.max_header_bytes)
        try:
            lines = head[:-4].decode("iso-8859-1").split("\r\n")
            method, target, version = lines[0].split(" ")
        except ValueError:
            raise _BadRequest("malformed request line") from None
        if not version.startswith("HTTP/1."):
            raise _BadRequest(f"unsupported version {version!r}")
        headers: dict[str, str] = {}
        for line in lines[1:]:
            name, sep, value = line.partition(":")
            if not sep or not name or name != name.strip():
                raise _BadRequest(f"malformed header line {line!r}")
            key = name.lower()
            value = value.strip(" \t")
            headers[key] = f"{headers[key]}, {value}" if key in headers else value

        if headers.get("expect", "").lower() == "100-continue":
            self._send(conn, b"HTTP/1.1 100 Continue\r\n\r\n")
        if "chunked" in headers.get("transfer-encoding", "").lower():
            body = self._read_chunked(conn, buffer)
        else:
            try:
                length = int(headers.get("content-length", "0"))
            except ValueError:
                raise _BadRequest("malformed Content-Length") from None
            if not 0 <= length <= self.max_body_bytes:
                raise _BadRequest(f"unacceptable Content-Length {length}")
            body = self._read_exact(conn, buffer, length)

        connection = {token.strip() for token in headers.get("connection", "").lower().split(",")}
        if version == "HTTP/1.0":
            keep_alive = "keep-alive" in connection
        else:
            keep_alive = "close" not in connection
        request = RecordedRequest(method, target, headers, body, time.time(), head)
        return request, keep_alive

    def _read_chunked(self, conn: socket.socket, buffer: bytearray) -> bytes:
        body = bytearray()
        while True:
            size_line = self._read_until(conn, buffer, b"\r\n", 1024)
            try:
                size = int(size_line.split(b";", 1)[0].strip(), 16)
            except ValueError:
                raise _BadRequest("malformed chunk size") from None
            if size == 0:
                # Skip any trailers up to the final empty line.
                while self._read_until(conn, buffer, b"\r\n", self.max_header_bytes) != b"\r\n":
                    pass
                return bytes(body)
            if size < 0 or len(body) + size > self.max_body_bytes:
                raise _BadRequest("chunked body too large")
            body += self._read_exact(conn, buffer, size)
            if self._read_exact(conn, buffer, 2) != b"\r\n":
                raise _BadRequest("malformed chunk terminator")

    def _send(self, conn: socket.socket, data: bytes) -> None:
        conn.sendall(data)

    def _send_quietly(self, conn: socket.socket, data: bytes) -> None:
        try:
            self._send(conn, data)
            self._close_cleanly(conn)
        except OSError:
            pass

    @staticmethod
    def _reset(conn: socket.socket) -> None:
        """Abort the connection: with ``SO_LINGER`` 0, ``close`` sends RST instead of FIN."""
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        conn.close()

    @staticmethod
    def _close_cleanly(conn: socket.socket) -> None:
        """Send FIN; the worker closes the socket afterwards."""
        conn.shutdown(socket.SHUT_WR)


# ---------------------------------------------------------------------------------------------
# Wire helpers
# ---------------------------------------------------------------------------------------------


def _amz_date(timestamp: float) -> str:
    return time.strftime(AMZ_DATE_FORMAT, time.gmtime(timestamp))


def _request_extent(data: bytes) -> int | None:
    """The length of the request at the start of ``data`` if its headers are all there, else
    None. Lenient: anything unparsable counts as complete."""
    head_end = data.find(b"\r\n\r\n")
    if head_end < 0:
        return None
    fields = {}
    for line in data[:head_end].split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        fields[name.strip().lower()] = value.strip().lower()
    position = head_end + 4
    if b"chunked" in fields.get(b"transfer-encoding", b""):
        while True:
            line_end = data.find(b"\r\n", position)
            if line_end < 0:
                return len(data) + 1
            try:
                size = int(data[position:line_end].split(b";")[0], 16)
            except ValueError:
                return len(data)
            if size < 0:
                return len(data)
            if size == 0:  # the last chunk, then optional trailers and an empty line
                trailers_end = data.find(b"\r\n\r\n", line_end)
                return trailers_end + 4 if trailers_end >= 0 else len(data) + 1
            position = line_end + 2 + size + 2
    try:
        return position + int(fields.get(b"content-length", b"0"))
    except ValueError:
        return len(data)


def _render(action: Respond | Json | AwsError | Throttle) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and body for a response action."""
    if isinstance(action, Throttle):
        extra: dict[str, str] = {}
        if action.retry_after_ms is not None:
            extra["x-amz-retry-after"] = str(action.retry_after_ms)
        return _render(AwsError(action.status, action.code, action.message, extra))
    if isinstance(action, AwsError):
        payload = {"__type": action.code, "message": action.message}
        base = {"Content-Type": AMZ_JSON_CONTENT_TYPE, "x-amzn-ErrorType": action.code}
        return action.status, _merge(base, action.headers), json.dumps(payload).encode()
    if isinstance(action, Json):
        base = {"Content-Type": AMZ_JSON_CONTENT_TYPE}
        return action.status, _merge(base, action.headers), json.dumps(action.payload).encode()
    return action.status, dict(action.headers), action.body


def _get(headers: Mapping[str, str], name: str) -> str | None:
    """The value of header ``name``, matched case-insensitively."""
    wanted = name.lower()
    return next((value for key, value in headers.items() if key.lower() == wanted), None)


def _merge(base: Mapping[str, str], overrides: Mapping[str, str]) -> dict[str, str]:
    """``base`` with ``overrides`` replacing same-named (case-insensitively) headers."""
    replaced = {name.lower() for name in overrides}
    merged = {name: value for name, value in base.items() if name.lower() not in replaced}
    merged.update(overrides)
    return merged


def _with_defaults(headers: Mapping[str, str], body: bytes, server_time: float) -> dict[str, str]:
    """``headers`` plus Content-Length, Date and x-amzn-RequestId unless already present."""
    defaults = {
        "Content-Length": str(len(body)),
        "Date": email.utils.formatdate(server_time, usegmt=True),
        "x-amzn-RequestId": str(uuid.uuid4()),
    }
    return _merge(defaults, headers)


def _response_bytes(status: int, headers: Mapping[str, str], body: bytes) -> bytes:
    try:
        reason = http.HTTPStatus(status).phrase
    except ValueError:
        reason = "Unknown"
    lines = [f"HTTP/1.1 {status} {reason}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("iso-8859-1") + body


def _bad_request(reason: str, server_time: float) -> bytes:
    body = reason.encode("utf-8", "replace")
    headers = _with_defaults({"Connection": "close"}, body, server_time)
    return _response_bytes(400, headers, body)
