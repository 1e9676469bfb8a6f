"""Redaction: one function takes every secret-shaped part out of a text, and everything the SDK
shows — error messages, HTTP request and response reprs, transport failures — goes through it."""

from __future__ import annotations

import httpx
import pytest

from ecrclient._core.errors import MalformedResponseError, NetworkError, SdkClientError
from ecrclient._core.messages import HttpRequest, HttpResponse
from ecrclient._core.redaction import redact, redact_url, transport_error_text
from ecrclient._transports.httpx import map_error

SIGNATURE = "1d138c5e046cfcefddf1c68bf5720c09131fb86bb67021ecfa0f2a5ce3dde4d2"
AUTHORIZATION = (
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261205/us-east-1/ecr/aws4_request, "
    f"SignedHeaders=content-type;host;x-amz-date, Signature={SIGNATURE}"
)
TOKEN = "FwoGZXIvYXdzEJr-redaction-session-token"


def signed_request(url: str = "https://ecr.example.com/") -> HttpRequest:
    return HttpRequest(
        method="POST",
        url=url,
        headers={
            "Authorization": AUTHORIZATION,
            "X-Amz-Security-Token": TOKEN,
            "X-Amz-Target": "AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken",
        },
        body=b'{"password": "in-the-body"}',
    )


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        (f"Invalid header value b'{AUTHORIZATION}\\n'", SIGNATURE),
        (f"Invalid header value b'{AUTHORIZATION}\\n'", "AKIDEXAMPLE/20261205"),
        (f"{{'Authorization': '{AUTHORIZATION}'}}", "AWS4-HMAC-SHA256"),
        ("Authorization: Basic dXNlcjpwYXNzd29yZA==\r\nHost: x", "dXNlcjpwYXNzd29yZA"),
        (f"X-Amz-Security-Token: {TOKEN}", TOKEN),
        (f"{{'x-amz-security-token': '{TOKEN}'}}", TOKEN),
        (f"https://h/?X-Amz-Security-Token={TOKEN}&X-Amz-Signature={SIGNATURE}", TOKEN),
        (f"https://h/?X-Amz-Security-Token={TOKEN}&X-Amz-Signature={SIGNATURE}", SIGNATURE),
        ('{"authorizationToken": "QVdTOnNlY3JldA==", "x": 1}', "QVdTOnNlY3JldA=="),
        ('{"secretAccessKey":"wJalrXUtnFEMI", "sessionToken": "tok"}', "wJalrXUtnFEMI"),
        ('body starts \'{"password": "docker-pass', "docker-pass"),
        ('{"auths": {"r": {"auth": "dXNlcjpwdw=="}}}', "dXNlcjpwdw=="),
        ("{'authorizationToken': 'QVdTOnB3ZA==', 'expiresAt': 1}", "QVdTOnB3ZA=="),
        ("authorizationToken=QVdTOnB3ZA==&next=1", "QVdTOnB3ZA=="),
        ("<html>password: hunter2-in-prose</html>", "hunter2-in-prose"),
        ("<SessionToken>FwoGZXIvYXdzEJr</SessionToken>", "FwoGZXIvYXdzEJr"),
        ("<SecretAccessKey>wJalrXUtnFEMI</SecretAccessKey>", "wJalrXUtnFEMI"),
        ("calling http://user:hunter2@127.0.0.1:4566/: refused", "hunter2"),
        ("calling https://user:hunter2@ecr.example.com/", "user:hunter2"),
    ],
)
def test_redact_takes_out_every_secret_shape(text: str, secret: str) -> None:
    assert secret in text
    cleaned = redact(text)
    assert secret not in cleaned
    assert "<redacted>" in cleaned


def test_redact_leaves_ordinary_text_alone() -> None:
    text = "could not connect calling https://ecr.us-east-1.amazonaws.com/: [Errno 111] refused"
    assert redact(text) == text
    for ordinary in (
        "the authorizationToken member is missing",
        '{"nextToken": "page-2", "maxResults": 5}',
        "next_token=abc",
    ):
        assert redact(ordinary) == ordinary
    assert redact('{"authorizationToken": "QVdT"}') == '{"authorizationToken": "<redacted>"}'


def test_redact_takes_out_known_values_wherever_they_are() -> None:
    assert redact(f"Illegal header value b'{TOKEN}\\n'", [TOKEN + "\n"]) == (
        "Illegal header value b'<redacted>\\n'"
    )


def test_redact_url_drops_only_the_userinfo() -> None:
    assert redact_url("http://u:p@127.0.0.1:4566/x?y=1") == "http://<redacted>@127.0.0.1:4566/x?y=1"
    assert redact_url("https://ecr.example.com/") == "https://ecr.example.com/"


def test_http_request_and_response_reprs_show_names_not_secrets() -> None:
    request = signed_request("http://someone:hunter2@127.0.0.1:4566/")
    text = repr(request)
    assert "Authorization" in text and "X-Amz-Security-Token" in text and "X-Amz-Target" in text
    for secret in (SIGNATURE, TOKEN, "AKIDEXAMPLE", "hunter2", "in-the-body"):
        assert secret not in text
    assert "body=<27 bytes>" in text
    response = HttpResponse(status_code=200, headers={}, body=b'{"authorizationToken": "x"}')
    assert "authorizationToken" not in repr(response) and "<27 bytes>" in repr(response)


def test_every_sdk_error_message_is_redacted_where_it_is_made() -> None:
    error = SdkClientError(f"while sending {{'Authorization': '{AUTHORIZATION}'}}")
    network = NetworkError("failed calling http://u:hunter2@h/", endpoint_url="http://u:hunter2@h/")
    for text in (str(error), repr(error), str(network), repr(network), network.endpoint_url):
        assert SIGNATURE not in text and "hunter2" not in text


def test_a_malformed_answer_is_quoted_redacted() -> None:
    body = f'<html>Authorization: {AUTHORIZATION}\n{{"authorizationToken": "QVdT"}}'.encode()
    error = MalformedResponseError(
        operation_name="GetAuthorizationToken", status_code=200, body=body, reason="not JSON"
    )
    assert SIGNATURE not in str(error) and "QVdT" not in str(error)
    assert "Authorization: <redacted>" in str(error)


def test_a_transport_failure_quoting_a_header_is_redacted_and_not_chained() -> None:
    request = signed_request()
    request.headers["X-Amz-Security-Token"] = TOKEN + "\n"
    library_error = httpx.LocalProtocolError(f"Illegal header value b'{TOKEN}\\n'")
    text, clean = transport_error_text(library_error, request)
    assert TOKEN not in text and not clean
    error = map_error(library_error, request)
    # Refused before sending: not a NetworkError, so not retried; and the library's
    # exception, which quotes the token, is not chained.
    assert type(error) is SdkClientError
    assert error.__cause__ is None
    assert TOKEN not in str(error)


def test_a_clean_transport_failure_keeps_its_cause() -> None:
    library_error = httpx.ConnectError("[Errno 111] Connection refused")
    error = map_error(library_error, signed_request())
    assert isinstance(error, NetworkError)
    assert error.__cause__ is library_error
    assert str(error) == (
        "could not connect calling https://ecr.example.com/: [Errno 111] Connection refused"
    )


def test_aiohttp_failures_are_mapped_redacted_as_httpx_ones_are() -> None:
    import aiohttp

    from ecrclient._transports.aiohttp_wire import mapped

    request = signed_request()
    refused = mapped(ValueError(f"bad header value {TOKEN}\n"), request)
    assert type(refused) is SdkClientError  # refused before sending: not retried
    assert refused.__cause__ is None and TOKEN not in str(refused)
    disconnected = aiohttp.ServerDisconnectedError()
    closed = mapped(disconnected, request)
    assert isinstance(closed, NetworkError) and closed.__cause__ is disconnected
    assert str(closed).startswith("connection closed mid-response calling https://ecr.example.com/")
