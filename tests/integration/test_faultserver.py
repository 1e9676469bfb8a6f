"""The fault-injection server in :mod:`faultserver`: every action on the wire, seen through httpx
and through raw sockets, plus keep-alive, scripting, bounds and shutdown."""

from __future__ import annotations

import calendar
import concurrent.futures
import email.utils
import json
import re
import socket
import ssl
import sys
import time
from collections.abc import Iterator

import httpx
import pytest
from faultserver import (
    AMZ_DATE_FORMAT,
    AwsError,
    CheckSkew,
    CloseAfterRead,
    FaultServer,
    Json,
    ResetAfterRead,
    ResetBeforeRead,
    Respond,
    Stall,
    Throttle,
    Truncated,
)

# httpx builds (and loads CA certificates into) an SSL context for every Client, which costs
# ~50-200 ms; the servers are plain HTTP, so one shared context keeps the suite fast.
_TLS = ssl.create_default_context()


def new_client(server: FaultServer, timeout: float = 2.0) -> httpx.Client:
    return httpx.Client(base_url=server.url, timeout=timeout, verify=_TLS)


def get(server: FaultServer) -> httpx.Response:
    """One GET on a fresh client (so on a fresh connection)."""
    with new_client(server) as client:
        return client.get("/")


@pytest.fixture
def server() -> Iterator[FaultServer]:
    with FaultServer() as fault_server:
        yield fault_server
    assert fault_server.errors == []


@pytest.fixture
def client(server: FaultServer) -> Iterator[httpx.Client]:
    with new_client(server) as http_client:
        yield http_client


def amz_date(timestamp: float) -> str:
    return time.strftime(AMZ_DATE_FORMAT, time.gmtime(timestamp))


def parse_amz_date(value: str) -> float:
    return float(calendar.timegm(time.strptime(value, AMZ_DATE_FORMAT)))


def raw_connect(server: FaultServer) -> socket.socket:
    return socket.create_connection(server.address, timeout=2.0)


def raw_request(body: bytes = b"", extra: str = "") -> bytes:
    """A POST with a Content-Length body; ``extra`` is more header lines, each ending in CRLF."""
    head = f"POST / HTTP/1.1\r\nHost: test\r\nContent-Length: {len(body)}\r\n{extra}\r\n"
    return head.encode() + body


def read_until_eof(sock: socket.socket) -> bytes:
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
    return data


def parse_responses(data: bytes) -> list[tuple[str, dict[str, str], bytes]]:
    """Split Content-Length-framed responses received on a raw socket."""
    responses = []
    while data:
        head, separator, data = data.partition(b"\r\n\r\n")
        assert separator, f"incomplete headers: {head!r}"
        status_line, *lines = head.decode("iso-8859-1").split("\r\n")
        headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines)}
        length = int(headers["content-length"])
        assert len(data) >= length, "incomplete body"
        responses.append((status_line, headers, data[:length]))
        data = data[length:]
    return responses


def raw_exchange(server: FaultServer, data: bytes) -> list[tuple[str, dict[str, str], bytes]]:
    """Send ``data`` on a fresh connection and parse everything received until the server
    closes it (so the last request should ask for ``Connection: close``)."""
    with raw_connect(server) as sock:
        sock.sendall(data)
        return parse_responses(read_until_eof(sock))


# ---------------------------------------------------------------------------------------------
# Binding, lifecycle, bounds
# ---------------------------------------------------------------------------------------------


def test_binds_loopback_on_a_free_port() -> None:
    with FaultServer() as server:
        host, port = server.address
        assert host == "127.0.0.1"
        assert port > 0
        assert server.url == f"http://127.0.0.1:{port}"
        with raw_connect(server) as sock:
            assert sock.getpeername() == ("127.0.0.1", port)
        if sys.platform.startswith("linux"):
            # All of 127/8 reaches the loopback interface on Linux, so a wildcard (0.0.0.0)
            # bind would answer on 127.0.0.2 as well; a 127.0.0.1 bind refuses it.
            with pytest.raises(ConnectionRefusedError):
                socket.create_connection(("127.0.0.2", port), timeout=1.0)
    # Stopped: nobody listens any more.
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=1.0)


def test_two_servers_get_different_ports() -> None:
    with FaultServer() as first, FaultServer() as second:
        assert first.address[1] != second.address[1]


def test_address_before_start_is_an_error() -> None:
    with pytest.raises(RuntimeError, match="not started"):
        _ = FaultServer().url


def test_stop_interrupts_a_stall_and_idle_connections_promptly() -> None:
    server = FaultServer()
    server.start()
    server.script([Stall(30.0, then=Respond(200))])
    stalled = raw_connect(server)
    idle = raw_connect(server)
    try:
        stalled.sendall(raw_request())
        deadline = time.monotonic() + 2.0
        while not server.requests and time.monotonic() < deadline:
            time.sleep(0.01)
        assert len(server.requests) == 1
        started = time.monotonic()
        server.stop()
        assert time.monotonic() - started < 1.0
        # The stall ended by closing the connection, without an answer; so did the idle one.
        assert read_until_eof(stalled) == b""
        assert read_until_eof(idle) == b""
    finally:
        stalled.close()
        idle.close()
    assert server.errors == []


def test_connection_cap_refuses_further_clients() -> None:
    with FaultServer(max_connections=1) as server:
        assert get(server).status_code == 200
        with pytest.raises(httpx.ConnectError):
            get(server)


def test_a_failing_server_thread_is_reported_on_exit() -> None:
    with (
        pytest.raises(RuntimeError, match="FaultServer thread failed"),
        FaultServer() as server,
    ):
        server.script(["not an action"])  # type: ignore[list-item]
        with pytest.raises(httpx.RemoteProtocolError):
            get(server)


# ---------------------------------------------------------------------------------------------
# Normal responses
# ---------------------------------------------------------------------------------------------


def test_respond_sends_status_body_and_default_headers(
    server: FaultServer, client: httpx.Client
) -> None:
    server.script([Respond(201, body=b"hello", headers={"X-Custom": "yes"})])
    response = client.post("/repos?x=1", content=b"payload", headers={"X-Amz-Target": "T"})
    assert response.status_code == 201
    assert response.reason_phrase == "Created"
    assert response.content == b"hello"
    assert response.headers["content-length"] == "5"
    assert response.headers["x-custom"] == "yes"
    assert re.fullmatch(r"[0-9a-f-]{36}", response.headers["x-amzn-requestid"])
    assert email.utils.parsedate_to_datetime(response.headers["date"]).tzname() == "UTC"

    (request,) = server.requests
    assert request.method == "POST"
    assert request.path == "/repos?x=1"
    assert request.body == b"payload"
    assert request.headers["x-amz-target"] == "T"
    assert all(name == name.lower() for name in request.headers)
    assert abs(request.received_at - time.time()) < 5


def test_respond_keeps_given_default_headers(server: FaultServer, client: httpx.Client) -> None:
    given = {"Date": "Mon, 01 Jan 2024 00:00:00 GMT", "x-amzn-RequestId": "fixed-id"}
    server.script([Respond(200, headers=given)])
    response = client.get("/")
    assert response.headers["date"] == given["Date"]
    assert response.headers.get_list("x-amzn-requestid") == ["fixed-id"]
    assert response.headers["content-length"] == "0"


def test_header_names_on_the_wire(server: FaultServer) -> None:
    server.script([AwsError(400, "Boom", headers={"X-Mixed-Case": "kept"})])
    with raw_connect(server) as sock:
        sock.sendall(raw_request(extra="Connection: close\r\n"))
        head = read_until_eof(sock).partition(b"\r\n\r\n")[0].decode()
    names = [line.partition(":")[0] for line in head.split("\r\n")[1:]]
    assert sorted(names) == sorted(
        [
            "Content-Type",
            "x-amzn-ErrorType",
            "X-Mixed-Case",
            "Content-Length",
            "Date",
            "x-amzn-RequestId",
            "Connection",
        ]
    )


def test_request_ids_are_unique(server: FaultServer, client: httpx.Client) -> None:
    ids = {client.get("/").headers["x-amzn-requestid"] for _ in range(5)}
    assert len(ids) == 5


def test_unknown_status_codes_are_sent(server: FaultServer, client: httpx.Client) -> None:
    server.script([Respond(599, body=b"odd")])
    response = client.get("/")
    assert (response.status_code, response.content) == (599, b"odd")


def test_head_gets_headers_without_a_body(server: FaultServer, client: httpx.Client) -> None:
    server.script([Respond(200, body=b"twelve bytes"), Respond(200, body=b"next")])
    head = client.head("/")
    assert head.headers["content-length"] == "12"
    assert head.content == b""
    assert client.get("/").content == b"next"  # the connection framing survived
    assert server.connections_accepted == 1


def test_json(server: FaultServer, client: httpx.Client) -> None:
    server.script([Json(200, {"repositories": [{"repositoryName": "a"}]}, headers={"X-A": "b"})])
    response = client.post("/")
    assert response.headers["content-type"] == "application/x-amz-json-1.1"
    assert response.headers["x-a"] == "b"
    assert response.json() == {"repositories": [{"repositoryName": "a"}]}


def test_aws_error(server: FaultServer, client: httpx.Client) -> None:
    server.script([AwsError(400, "RepositoryNotFoundException", "no such repository")])
    response = client.post("/")
    assert response.status_code == 400
    assert response.headers["x-amzn-errortype"] == "RepositoryNotFoundException"
    assert response.headers["content-type"] == "application/x-amz-json-1.1"
    assert response.json() == {
        "__type": "RepositoryNotFoundException",
        "message": "no such repository",
    }


def test_throttle_defaults_and_retry_after(server: FaultServer, client: httpx.Client) -> None:
    server.script(
        [Throttle(), Throttle(code="TooManyRequestsException", status=429, retry_after_ms=1500)]
    )
    plain = client.post("/")
    assert plain.status_code == 400
    assert plain.headers["x-amzn-errortype"] == "ThrottlingException"
    assert plain.json()["__type"] == "ThrottlingException"
    assert "x-amz-retry-after" not in plain.headers

    timed = client.post("/")
    assert timed.status_code == 429
    assert timed.json()["__type"] == "TooManyRequestsException"
    assert timed.headers["x-amz-retry-after"] == "1500"


@pytest.mark.parametrize("offset", [0.0, -1200.0, 3600.0])
def test_date_header_follows_the_server_clock(
    server: FaultServer, client: httpx.Client, offset: float
) -> None:
    server.clock_offset = offset
    date = email.utils.parsedate_to_datetime(client.get("/").headers["date"])
    assert abs(date.timestamp() - (time.time() + offset)) < 2
    assert abs(server.now() - (time.time() + offset)) < 1


# ---------------------------------------------------------------------------------------------
# Clock skew
# ---------------------------------------------------------------------------------------------

EXPIRED = re.compile(
    r"Signature expired: (\d{8}T\d{6}Z) is now earlier than (\d{8}T\d{6}Z) "
    r"\((\d{8}T\d{6}Z) - 5 min\.\)"
)
NOT_YET = re.compile(
    r"Signature not yet current: (\d{8}T\d{6}Z) is still later than (\d{8}T\d{6}Z) "
    r"\((\d{8}T\d{6}Z) \+ 5 min\.\)"
)


def test_check_skew_within_tolerance_performs_then(
    server: FaultServer, client: httpx.Client
) -> None:
    server.clock_offset = -200.0
    server.script([CheckSkew(Json(200, {"ok": True}))])
    response = client.post("/", headers={"X-Amz-Date": amz_date(time.time())})
    assert response.json() == {"ok": True}


def test_check_skew_request_too_old(server: FaultServer, client: httpx.Client) -> None:
    server.script([CheckSkew(Json(200, {}))])
    sent = amz_date(time.time() - 1200)
    response = client.post("/", headers={"X-Amz-Date": sent})
    assert response.status_code == 400
    assert response.headers["x-amzn-errortype"] == "InvalidSignatureException"
    match = EXPIRED.fullmatch(response.json()["message"])
    assert match, response.json()["message"]
    request_time, limit, server_time = match.groups()
    assert request_time == sent
    assert parse_amz_date(server_time) - parse_amz_date(limit) == 300
    assert abs(parse_amz_date(server_time) - time.time()) < 2


def test_check_skew_request_too_new(server: FaultServer, client: httpx.Client) -> None:
    server.clock_offset = -1200.0  # the server is behind, so the client looks to be ahead
    server.script([CheckSkew(Json(200, {}))])
    sent = amz_date(time.time())
    response = client.post("/", headers={"X-Amz-Date": sent})
    assert response.status_code == 400
    match = NOT_YET.fullmatch(response.json()["message"])
    assert match, response.json()["message"]
    request_time, limit, server_time = match.groups()
    assert request_time == sent
    assert parse_amz_date(limit) - parse_amz_date(server_time) == 300
    assert abs(parse_amz_date(server_time) - (time.time() - 1200)) < 2


def test_check_skew_request_time_too_skewed_variant(
    server: FaultServer, client: httpx.Client
) -> None:
    server.script(
        [
            CheckSkew(Respond(200), code="RequestTimeTooSkewed", status=403),
            CheckSkew(
                Respond(200),
                code="RequestTimeTooSkewed",
                status=403,
                message="The difference between the request time and the current time is too "
                "large.",
            ),
        ]
    )
    headers = {"X-Amz-Date": amz_date(time.time() + 3600)}
    first = client.post("/", headers=headers)
    assert first.status_code == 403
    assert first.json()["__type"] == "RequestTimeTooSkewed"
    assert first.json()["message"].startswith("Signature not yet current: ")
    second = client.post("/", headers=headers)
    assert second.json()["message"].startswith("The difference between the request time")


def test_check_skew_custom_tolerance(server: FaultServer, client: httpx.Client) -> None:
    server.script([CheckSkew(Respond(200), tolerance=900.0), CheckSkew(Respond(200))])
    headers = {"X-Amz-Date": amz_date(time.time() - 600)}
    assert client.post("/", headers=headers).status_code == 200
    assert client.post("/", headers=headers).status_code == 400


def test_check_skew_without_a_date(server: FaultServer, client: httpx.Client) -> None:
    server.script([CheckSkew(Respond(200))])
    response = client.post("/")
    assert response.status_code == 400
    assert "X-Amz-Date" in response.json()["message"]


# ---------------------------------------------------------------------------------------------
# Connection faults
# ---------------------------------------------------------------------------------------------


def test_reset_before_read_is_a_read_error(server: FaultServer, client: httpx.Client) -> None:
    server.script([ResetBeforeRead()])
    with pytest.raises(httpx.ReadError, match="Connection reset by peer"):
        client.post("/", content=b"body")
    assert server.requests == []  # never read, so never recorded
    assert client.post("/").status_code == 200  # the default answers on a new connection
    assert server.connections_accepted == 2


@pytest.mark.parametrize("size", [0, 50_000])
def test_reset_before_read_waits_for_the_whole_request(
    server: FaultServer, client: httpx.Client, size: int
) -> None:
    """The reset comes once the request has fully arrived (unread), so the client always
    sees it on read, whatever the size of the body or its framing."""

    def chunks() -> Iterator[bytes]:
        yield b"a" * size
        yield b"b"

    server.script([ResetBeforeRead(), ResetBeforeRead()])
    with pytest.raises(httpx.ReadError):
        client.put("/", content=b"x" * size)
    with pytest.raises(httpx.ReadError):
        client.put("/", content=chunks())
    assert server.requests == []


def test_reset_before_read_on_a_raw_socket(server: FaultServer) -> None:
    server.script([ResetBeforeRead()])
    with raw_connect(server) as sock:
        sock.sendall(raw_request())
        with pytest.raises(ConnectionResetError):
            sock.recv(1024)


def test_reset_after_read_is_a_read_error(server: FaultServer, client: httpx.Client) -> None:
    server.script([ResetAfterRead()])
    with pytest.raises(httpx.ReadError, match="Connection reset by peer"):
        client.post("/", content=b"delivered")
    (request,) = server.requests
    assert request.body == b"delivered"


def test_close_after_read_is_a_remote_protocol_error(
    server: FaultServer, client: httpx.Client
) -> None:
    server.script([CloseAfterRead()])
    with pytest.raises(httpx.RemoteProtocolError, match="without sending a response"):
        client.post("/", content=b"delivered")
    assert [r.body for r in server.requests] == [b"delivered"]


def test_close_after_read_is_a_clean_fin_on_a_raw_socket(server: FaultServer) -> None:
    server.script([CloseAfterRead()])
    with raw_connect(server) as sock:
        sock.sendall(raw_request())
        assert read_until_eof(sock) == b""  # EOF, not ConnectionResetError


def test_faults_on_a_reused_pooled_connection(server: FaultServer, client: httpx.Client) -> None:
    """A kept-alive connection that goes bad on its next request: how stale pool entries look."""
    server.script([Respond(200), ResetBeforeRead(), Respond(200), CloseAfterRead()])
    assert client.get("/").status_code == 200
    with pytest.raises(httpx.ReadError):
        client.get("/")
    assert client.get("/").status_code == 200
    with pytest.raises(httpx.RemoteProtocolError):
        client.get("/")
    assert server.connections_accepted == 2


def test_stall_times_out_the_client(server: FaultServer) -> None:
    server.script([Stall(0.5)])
    started = time.monotonic()
    with (
        new_client(server, timeout=0.2) as client,
        pytest.raises(httpx.ReadTimeout),
    ):
        client.post("/", content=b"x")
    assert 0.15 < time.monotonic() - started < 2.0
    assert len(server.requests) == 1


def test_stall_then_answers(server: FaultServer, client: httpx.Client) -> None:
    server.script([Stall(0.3, then=Json(200, {"late": True}))])
    started = time.monotonic()
    assert client.post("/").json() == {"late": True}
    assert time.monotonic() - started >= 0.3


def test_stall_without_then_closes(server: FaultServer, client: httpx.Client) -> None:
    server.script([Stall(0.1)])
    with pytest.raises(httpx.RemoteProtocolError, match="without sending a response"):
        client.post("/")


def test_stall_then_reset(server: FaultServer, client: httpx.Client) -> None:
    server.script([Stall(0.1, then=ResetAfterRead())])
    with pytest.raises(httpx.ReadError):
        client.post("/")


def test_truncated_is_a_remote_protocol_error(server: FaultServer, client: httpx.Client) -> None:
    server.script([Truncated()])
    with pytest.raises(httpx.RemoteProtocolError, match=r"received 18 bytes, expected 118"):
        client.post("/")


def test_truncated_on_the_wire(server: FaultServer) -> None:
    server.script([Truncated(status=500, body=b"abc", declared_length=10)])
    with raw_connect(server) as sock:
        sock.sendall(raw_request())
        data = read_until_eof(sock)
    head, _, body = data.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 500 Internal Server Error\r\n")
    assert b"\r\nContent-Length: 10\r\n" in head + b"\r\n"
    assert body == b"abc"


# ---------------------------------------------------------------------------------------------
# Scripting, keep-alive, robustness
# ---------------------------------------------------------------------------------------------


def test_script_is_consumed_in_order_then_default(
    server: FaultServer, client: httpx.Client
) -> None:
    server.script([Respond(500), Throttle(), Respond(200, body=b"third")])
    assert server.pending == 3
    assert client.get("/").status_code == 500
    assert client.get("/").json()["__type"] == "ThrottlingException"
    assert client.get("/").content == b"third"
    assert server.pending == 0
    assert client.get("/").content == b"{}"  # the built-in default
    server.default = Respond(204)
    assert client.get("/").status_code == 204
    server.script([Respond(418)])  # replaces whatever is pending
    assert client.get("/").status_code == 418
    assert len(server.requests) == 6


def test_default_can_be_given_to_the_constructor() -> None:
    with FaultServer(default=AwsError(503, "ServiceUnavailableException")) as server:
        assert get(server).status_code == 503


def test_keep_alive_reuses_one_connection(server: FaultServer, client: httpx.Client) -> None:
    for _ in range(3):
        assert client.post("/", content=b"x").status_code == 200
    assert server.connections_accepted == 1
    assert len(server.requests) == 3


def test_connection_close_is_honoured(server: FaultServer, client: httpx.Client) -> None:
    first = client.get("/", headers={"Connection": "close"})
    assert first.headers["connection"] == "close"
    client.get("/")
    assert server.connections_accepted == 2


def test_respond_with_connection_close_closes(server: FaultServer, client: httpx.Client) -> None:
    server.script([Respond(200, headers={"Connection": "close"})])
    client.get("/")
    client.get("/")
    assert server.connections_accepted == 2


def test_pipelined_requests_on_a_raw_socket(server: FaultServer) -> None:
    server.script([Respond(200, body=b"one"), Respond(201, body=b"two")])
    close = "Connection: close\r\n"
    first, second = raw_exchange(server, raw_request(body=b"a") + raw_request(b"b", close))
    assert first[0] == "HTTP/1.1 200 OK"
    assert "connection" not in first[1]
    assert first[2] == b"one"
    assert second[0] == "HTTP/1.1 201 Created"
    assert second[1]["connection"] == "close"
    assert second[2] == b"two"
    assert [r.body for r in server.requests] == [b"a", b"b"]
    assert server.connections_accepted == 1


def test_http_1_0_closes_unless_keep_alive(server: FaultServer) -> None:
    ((status, headers, _),) = raw_exchange(server, b"GET / HTTP/1.0\r\n\r\n")
    assert status == "HTTP/1.1 200 OK"
    assert headers["connection"] == "close"
    keep = b"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"
    responses = raw_exchange(server, keep + b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n")
    assert len(responses) == 2


def test_chunked_request_body(server: FaultServer, client: httpx.Client) -> None:
    def chunks() -> Iterator[bytes]:
        yield b"hello "
        yield b"world"

    client.post("/", content=chunks())
    (request,) = server.requests
    assert request.headers["transfer-encoding"] == "chunked"
    assert request.body == b"hello world"


def test_malformed_request_gets_400(server: FaultServer) -> None:
    with raw_connect(server) as sock:
        sock.sendall(b"NONSENSE\r\n\r\n")
        assert read_until_eof(sock).startswith(b"HTTP/1.1 400 Bad Request\r\n")


@pytest.mark.parametrize(
    "fragment",
    [
        b"",
        b"POST / HTTP/1.1\r\nHost: te",
        b"POST / HTTP/1.1\r\nContent-Length: 100\r\n\r\npartial",
    ],
)
@pytest.mark.parametrize("abort", [False, True])
def test_clients_that_vanish_mid_request_do_not_hurt(
    server: FaultServer, fragment: bytes, abort: bool
) -> None:
    server.script([Respond(500)])
    sock = raw_connect(server)
    sock.sendall(fragment)
    if abort:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    sock.close()
    # The scripted action was not consumed by the half-sent request, and the server goes on.
    assert get(server).status_code == 500


def test_client_gone_before_the_answer_does_not_hurt(server: FaultServer) -> None:
    server.script([Stall(0.1, then=Respond(200, body=b"x" * 1_000_000))])
    with raw_connect(server) as sock:
        sock.sendall(raw_request())
    time.sleep(0.2)
    assert get(server).status_code == 200


def test_concurrent_requests_are_all_recorded(server: FaultServer) -> None:
    shared = new_client(server, timeout=5.0)  # httpx.Client is thread-safe

    def call(index: int) -> str:
        response = shared.post("/", content=str(index).encode())
        return str(response.headers["x-amzn-requestid"])

    with shared, concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        ids = list(pool.map(call, range(32)))
    assert 1 <= server.connections_accepted <= 8
    assert len(set(ids)) == 32
    assert sorted(int(r.body) for r in server.requests) == list(range(32))


def test_recorded_headers_join_repeats(server: FaultServer) -> None:
    raw_exchange(server, raw_request(extra="X-Multi: a\r\nx-multi: b\r\nConnection: close\r\n"))
    assert server.requests[0].headers["x-multi"] == "a, b"


def test_json_payload_is_plain_json_with_an_exact_length(server: FaultServer) -> None:
    server.script([Json(200, {"n": 1, "s": "é"})])
    ((_, headers, body),) = raw_exchange(server, raw_request(extra="Connection: close\r\n"))
    assert json.loads(body) == {"n": 1, "s": "é"}
    assert headers["content-length"] == str(len(body))
