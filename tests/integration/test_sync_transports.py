"""The sync client's two transports, urllib3 (the default) and httpx, against a hostile local
server: bodies that trickle, never end or inflate without bound; ``close()`` with calls in
flight; ``os.fork()``; ``with_options`` copies of a closed client; and the bytes each puts on the
wire, which must be the same."""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
import threading
import time
import tracemalloc
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from blocking import SYNC_TRANSPORTS
from faultserver import FaultServer, Json, Respond, Stall, Trickle, Unending

from ecrclient import ClientConfig, ECRClient
from ecrclient._transports.httpx import HttpxTransport
from ecrclient._transports.urllib3 import Urllib3Transport
from ecrclient.errors import (
    DeadlineExceededError,
    PoolTimeoutError,
    ResponseTooLargeError,
    SdkClientError,
)

KEYS = {
    "region_name": "us-east-1",
    "aws_access_key_id": "AKIDEXAMPLE",
    "aws_secret_access_key": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
}
SMALL_LIMIT = 256 * 1024


@pytest.fixture
def server() -> Iterator[FaultServer]:
    with FaultServer() as fault_server:
        yield fault_server


@pytest.fixture(params=SYNC_TRANSPORTS)
def transport(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _client(server: FaultServer, transport: str, **config: Any) -> ECRClient:
    return ECRClient(
        endpoint_url=server.url,
        transport=transport,  # type: ignore[arg-type]
        config=ClientConfig(**config),
        **KEYS,
    )


# -- choosing the transport -----------------------------------------------------------------


def test_urllib3_is_the_default_and_httpx_is_chosen_by_name_or_by_a_supplied_client() -> None:
    assert isinstance(ECRClient(**KEYS)._transport, Urllib3Transport)
    assert isinstance(ECRClient(transport="urllib3", **KEYS)._transport, Urllib3Transport)
    assert isinstance(ECRClient(transport="httpx", **KEYS)._transport, HttpxTransport)
    own = httpx.Client()
    try:
        assert isinstance(ECRClient(http_client=own, **KEYS)._transport, HttpxTransport)
        with pytest.raises(ValueError, match="transport='httpx'"):
            ECRClient(http_client=own, transport="urllib3", **KEYS)
    finally:
        own.close()
    with pytest.raises(ValueError, match="'urllib3' or 'httpx'"):
        ECRClient(transport="requests", **KEYS)  # type: ignore[arg-type]


def test_the_drop_in_uses_the_default_transport() -> None:
    import ecrclient

    assert isinstance(ecrclient.client("ecr", **KEYS).typed._transport, Urllib3Transport)


def test_the_default_client_never_imports_httpx(server: FaultServer) -> None:
    script = (
        "import sys\n"
        "from ecrclient import ECRClient\n"
        f"c = ECRClient(endpoint_url={server.url!r}, **{KEYS!r})\n"
        "c.describe_registry()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('httpx', 'httpcore')))\n"
    )
    server.default = Json(200, {"registryId": "1"})
    output = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    assert output.strip() == "[]"


# -- bodies ---------------------------------------------------------------------------------


def test_a_trickling_body_cannot_outlast_the_deadline(server: FaultServer, transport: str) -> None:
    body = b'{"registryId": "1"}' + b" " * 64  # 28 s at one byte every 0.3 s
    server.script([Trickle(body, interval=0.3)])
    client = _client(server, transport, read_timeout=2, total_deadline=2)
    started = time.monotonic()
    with pytest.raises(DeadlineExceededError):
        client.describe_registry()
    assert time.monotonic() - started < 2.5
    client.close()


def _peak_memory(call: Any) -> tuple[BaseException | None, int]:
    tracemalloc.start()
    try:
        call()
    except Exception as exc:
        return exc, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return None, 0


def test_an_endless_body_is_cut_at_the_size_cap(server: FaultServer, transport: str) -> None:
    server.script([Unending(chunk=b"x" * 65536)])
    client = _client(server, transport, max_response_bytes=SMALL_LIMIT, max_attempts=1)
    error, peak = _peak_memory(client.describe_registry)
    assert isinstance(error, ResponseTooLargeError)
    assert peak < 8 * SMALL_LIMIT
    client.close()


def test_a_gzip_bomb_is_cut_at_the_size_cap_once_inflated(
    server: FaultServer, transport: str
) -> None:
    bomb = gzip.compress(b"\0" * (64 * 2**20))  # 64 MiB from ~64 KiB
    server.script([Respond(200, bomb, {"Content-Encoding": "gzip"})])
    client = _client(server, transport, max_response_bytes=SMALL_LIMIT, max_attempts=1)
    error, peak = _peak_memory(client.describe_registry)
    assert isinstance(error, ResponseTooLargeError)
    assert peak < 8 * SMALL_LIMIT + 2 * len(bomb)
    client.close()


def test_identity_is_asked_and_a_gzipped_answer_is_still_read(
    server: FaultServer, transport: str
) -> None:
    answer = gzip.compress(b'{"registryId": "123456789012"}')
    server.script([Respond(200, answer, {"Content-Encoding": "gzip"})])
    client = _client(server, transport)
    assert client.describe_registry().registry_id == "123456789012"
    assert server.requests[0].headers["accept-encoding"] == "identity"
    client.close()


# -- lifecycle ------------------------------------------------------------------------------


def test_close_fails_the_calls_in_flight_at_once(server: FaultServer, transport: str) -> None:
    server.default = Stall(30, Json(200, {}))
    client = _client(server, transport, read_timeout=30, max_attempts=1)
    outcomes: list[tuple[BaseException | None, float]] = []

    def call() -> None:
        started = time.monotonic()
        try:
            client.describe_registry()
        except BaseException as exc:
            outcomes.append((exc, time.monotonic() - started))
        else:
            outcomes.append((None, time.monotonic() - started))

    threads = [threading.Thread(target=call) for _ in range(3)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 5
    while len(server.requests) < 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert len(server.requests) == 3  # all three are waiting for their answers
    closed_at = time.monotonic()
    client.close()
    for thread in threads:
        thread.join(5)
    assert time.monotonic() - closed_at < 1.0
    assert len(outcomes) == 3
    for error, _ in outcomes:
        assert type(error) is SdkClientError
        assert "closed" in str(error)


def test_a_copy_refuses_calls_once_its_parent_is_closed(
    server: FaultServer, transport: str
) -> None:
    server.default = Json(200, {"registryId": "1"})
    client = _client(server, transport)
    copy = client.with_options(read_timeout=5)
    assert copy.describe_registry().registry_id == "1"
    assert not copy.closed
    client.close()
    assert copy.closed
    with pytest.raises(SdkClientError, match="closed"):
        copy.describe_registry()
    assert len(server.requests) == 1


@pytest.mark.skipif(not hasattr(os, "fork"), reason="os.fork is POSIX only")
def test_a_forked_child_opens_its_own_connections(server: FaultServer, transport: str) -> None:
    server.default = Json(200, {"registryId": "1"})
    client = _client(server, transport)
    client.describe_registry()
    assert server.connections_accepted == 1
    pid = os.fork()
    if pid == 0:  # the child: one call, on a connection of its own
        try:
            code = 0 if client.describe_registry().registry_id == "1" else 1
        except BaseException:
            code = 2
        os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert server.connections_accepted == 2  # the child did not use the parent's connection
    client.describe_registry()  # and the parent's pooled connection still works
    assert server.connections_accepted == 2
    assert len(server.requests) == 3
    client.close()


def test_connections_are_reused(server: FaultServer, transport: str) -> None:
    server.default = Json(200, {"registryId": "1"})
    with _client(server, transport) as client:
        for _ in range(5):
            client.describe_registry()
    assert server.connections_accepted == 1


# -- the wire -------------------------------------------------------------------------------

_PER_ATTEMPT = ("x-amz-date", "authorization", "amz-sdk-invocation-id")


def _wire(server: FaultServer, transport: str) -> tuple[list[bytes], bytes]:
    before = len(server.requests)
    with _client(server, transport) as client:
        client.describe_images(repository_name="web", max_results=10)
    (request,) = server.requests[before:]
    lines = [
        line
        for line in request.head.split(b"\r\n")
        if line.split(b":", 1)[0].decode().lower() not in _PER_ATTEMPT
    ]
    return lines, request.body


def test_both_transports_put_the_same_bytes_on_the_wire(server: FaultServer) -> None:
    server.default = Json(200, {"imageDetails": []})
    urllib3_wire = _wire(server, "urllib3")
    httpx_wire = _wire(server, "httpx")
    assert urllib3_wire == httpx_wire
    names = [line.split(b":", 1)[0].lower() for line in urllib3_wire[0][1:] if line]
    assert b"accept-encoding" in names and b"host" in names


# -- pool and proxy settings ----------------------------------------------------------------


def test_the_pool_opens_at_most_max_pool_connections(server: FaultServer, transport: str) -> None:
    server.default = Stall(0.2, Json(200, {"registryId": "1"}))
    client = _client(server, transport, max_pool_connections=2)
    answers: list[str | None] = []
    threads = [
        threading.Thread(target=lambda: answers.append(client.describe_registry().registry_id))
        for _ in range(6)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    client.close()
    assert answers == ["1"] * 6
    assert server.connections_accepted == 2


def test_a_call_waits_at_most_pool_timeout_for_a_connection(
    server: FaultServer, transport: str
) -> None:
    server.default = Stall(2, Json(200, {"registryId": "1"}))
    client = _client(server, transport, max_pool_connections=1, pool_timeout=0.3, max_attempts=1)
    holder = threading.Thread(target=client.describe_registry)
    holder.start()
    deadline = time.monotonic() + 5
    while not server.requests and time.monotonic() < deadline:
        time.sleep(0.01)
    started = time.monotonic()
    with pytest.raises(PoolTimeoutError):
        client.describe_registry()
    assert time.monotonic() - started < 1.5
    holder.join(10)
    client.close()


@pytest.mark.parametrize(
    "proxy",
    ["http://proxy.example:3128", "http://user:p%40ss@proxy.example:3128", "http://u:@[::1]:8"],
)
def test_proxy_credentials_become_the_header_botocore_sends(proxy: str) -> None:
    from botocore.httpsession import ProxyConfiguration

    from ecrclient._transports.urllib3 import _proxy_address

    address, headers = _proxy_address(proxy)
    assert "@" not in address
    assert (headers or {}) == ProxyConfiguration().proxy_headers_for(proxy)
