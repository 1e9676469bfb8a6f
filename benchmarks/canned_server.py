"""A fast canned-response awsJson server for the benchmarks, run in its own process.

Every answer is prebuilt bytes (status line, headers and a body from :mod:`bodies`), chosen by
``X-Amz-Target`` and a few request members (``maxResults``, ``repositoryName``, ``nextToken``),
so the server's cost per request is tiny and the same for every client. It speaks just enough
HTTP/1.1 for keep-alive clients sending ``Content-Length`` bodies, binds 127.0.0.1 on a free
port, prints ``PORT <n>`` once it is ready, and stops when its standard input closes (the
benchmark exited or died) or after ``--max-seconds``.

Run it alone with ``python benchmarks/canned_server.py``; the benchmarks use
:class:`CannedServer`, which starts and stops it as a subprocess.
"""

from __future__ import annotations

import argparse
import asyncio
import email.utils
import json
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path
from types import TracebackType
from typing import Any

import bodies
from common import CONTENT_TYPE, PAGE_COUNT, PAGED_REPOSITORY, TARGET_PREFIX

STATS_TARGET = "Bench.Stats"
"""``X-Amz-Target`` of the server's own statistics request (not counted as a request)."""
_REQUEST_ID = "6f2f4f2e-8d53-4c2b-9a1e-3b0f8a1c0d7e"
_MAX_ITEMS = 1000


class Responder:
    """The prebuilt answer to each request, memoized by what selects it."""

    def __init__(self) -> None:
        self._date = email.utils.formatdate(usegmt=True)
        self._cache: dict[tuple[str, int], bytes] = {}
        self.requests = 0
        self.errors = 0

    def prebuild(self) -> None:
        """Build the answers the benchmarks use before the first request arrives."""
        for key in [("repositories", 1), ("repositories", 100), ("images", 100)]:
            self._answer(key)
        for page in range(PAGE_COUNT):
            self._answer(("paged", page))

    def respond(self, target: str, body: bytes) -> bytes:
        if target == STATS_TARGET:
            stats = {"requests": self.requests, "errors": self.errors}
            return self._http(200, "OK", json.dumps(stats).encode())
        self.requests += 1
        prefix, _, operation = target.rpartition(".")
        try:
            params: Any = json.loads(body) if body else {}
            if prefix != TARGET_PREFIX or not isinstance(params, dict):
                raise ValueError(f"unexpected request {target!r}")
            key = _select(operation, params)
        except (ValueError, TypeError, KeyError) as exc:
            self.errors += 1
            error = {"__type": "InvalidParameterException", "message": str(exc)}
            return self._http(400, "Bad Request", json.dumps(error).encode())
        return self._answer(key)

    def _answer(self, key: tuple[str, int]) -> bytes:
        answer = self._cache.get(key)
        if answer is None:
            kind, number = key
            if kind == "repositories":
                body = bodies.repositories_body(number)
            elif kind == "images":
                body = bodies.images_body(number)
            else:
                body = bodies.paged_images_body(number)
            answer = self._cache[key] = self._http(
                200, "OK", json.dumps(body, separators=(",", ":")).encode()
            )
        return answer

    def _http(self, status: int, reason: str, body: bytes) -> bytes:
        head = (
            f"HTTP/1.1 {status} {reason}\r\n"
            f"Content-Type: {CONTENT_TYPE}\r\n"
            f"Content-Length: {len(body)}\r\n"
            f"x-amzn-RequestId: {_REQUEST_ID}\r\n"
            f"Date: {self._date}\r\n"
            "\r\n"
        )
        return head.encode("latin-1") + body


def _select(operation: str, params: dict[str, Any]) -> tuple[str, int]:
    if operation == "DescribeRepositories":
        return "repositories", _count(params)
    if operation == "DescribeImages":
        if params.get("repositoryName") == PAGED_REPOSITORY:
            token = params.get("nextToken")
            return "paged", 0 if token is None else bodies.TOKEN_PAGES[token]
        return "images", _count(params)
    raise ValueError(f"the canned server does not answer {operation!r}")


def _count(params: dict[str, Any]) -> int:
    count = int(params.get("maxResults", 100))
    if not 1 <= count <= _MAX_ITEMS:
        raise ValueError(f"maxResults must be 1..{_MAX_ITEMS}, got {count}")
    return count


class _Connection(asyncio.Protocol):
    """One keep-alive connection: read whole requests, write their prebuilt answers."""

    def __init__(self, responder: Responder) -> None:
        self._responder = responder
        self._buffer = bytearray()
        self._transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport

    def data_received(self, data: bytes) -> None:
        buffer = self._buffer
        buffer += data
        while (head_end := buffer.find(b"\r\n\r\n")) >= 0:
            length, target = 0, ""
            for line in bytes(buffer[:head_end]).split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                name = name.strip().lower()
                if name == b"content-length":
                    length = int(value)
                elif name == b"x-amz-target":
                    target = value.strip().decode("latin-1")
                elif name == b"transfer-encoding":
                    self._fail()
                    return
            end = head_end + 4 + length
            if len(buffer) < end:
                return
            body = bytes(buffer[head_end + 4 : end])
            del buffer[:end]
            assert self._transport is not None
            self._transport.write(self._responder.respond(target, body))

    def _fail(self) -> None:
        """Chunked request bodies are not supported: count an error and drop the connection."""
        self._responder.errors += 1
        assert self._transport is not None
        self._transport.close()


async def serve(port: int, max_seconds: float) -> None:
    responder = Responder()
    responder.prebuild()
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    server = await loop.create_server(
        lambda: _Connection(responder), "127.0.0.1", port, backlog=1024
    )
    bound = server.sockets[0].getsockname()[1]

    def wait_for_parent() -> None:
        sys.stdin.buffer.read()  # returns at end of input: the parent closed it or died
        loop.call_soon_threadsafe(stop.set)

    threading.Thread(target=wait_for_parent, daemon=True).start()
    loop.call_later(max_seconds, stop.set)
    print(f"PORT {bound}", flush=True)
    async with server:
        await stop.wait()


class CannedServer:
    """Starts the canned server in a subprocess: ``with CannedServer() as server: server.url``."""

    def __init__(self, max_seconds: float = 3600.0) -> None:
        self._max_seconds = max_seconds
        self._process: subprocess.Popen[str] | None = None
        self.url = ""

    def start(self) -> CannedServer:
        process = self._process = subprocess.Popen(
            [sys.executable, str(Path(__file__)), "--max-seconds", str(self._max_seconds)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert process.stdout is not None
        line = process.stdout.readline().split()
        if len(line) != 2 or line[0] != "PORT":
            self.close()
            raise RuntimeError(f"the canned server did not start (said {line!r})")
        self.url = f"http://127.0.0.1:{int(line[1])}"
        return self

    def stats(self) -> dict[str, int]:
        """Requests answered so far, and how many of them were errors."""
        request = urllib.request.Request(
            self.url + "/", data=b"{}", headers={"X-Amz-Target": STATS_TARGET}, method="POST"
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            stats: dict[str, int] = json.loads(response.read())
        return stats

    def close(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        assert process.stdin is not None
        process.stdin.close()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()

    def __enter__(self) -> CannedServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: a free one)")
    parser.add_argument("--max-seconds", type=float, default=3600.0, help="stop after this long")
    args = parser.parse_args()
    asyncio.run(serve(args.port, args.max_seconds))


if __name__ == "__main__":
    main()
