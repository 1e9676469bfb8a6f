"""One regression test per way a hostile answer used to escape the SDK's errors, break a typed
result, or corrupt a client's state (the fuzz test, test_hostile_answers.py, draws them at
random; these pin each one down)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import botocore.config
import botocore.exceptions
import botocore.parsers
import httpx
import pytest
from botocore.model import ServiceModel
from hostile import MODEL_FILE, deep_json

import ecrclient
from ecrclient import ECRClient
from ecrclient._core import awsjson
from ecrclient._core.errors import MESSAGE_LIMIT
from ecrclient._core.messages import HttpResponse
from ecrclient._core.metadata import EMPTY_RESPONSE_METADATA
from ecrclient._core.pipeline import MAX_CLOCK_OFFSET
from ecrclient._generated.faults import FAULTS, AmazonECRException
from ecrclient._generated.service import OPERATION_MODULES
from ecrclient.compat.boto_client import answering_spec
from ecrclient.compat.installed_model import installed_operation
from ecrclient.compat.reading import read_as_botocore
from ecrclient.errors import (
    InvalidParameterException,
    KmsException,
    MalformedResponseError,
    RepositoryNotFoundException,
)
from ecrclient.model.describe_images import OPERATION as DESCRIBE_IMAGES
from ecrclient.model.describe_images import DescribeImagesResult

ENDPOINT = "https://ecr.hostile.example"
CREDENTIALS = {
    "region_name": "us-east-1",
    "aws_access_key_id": "AKID",
    "aws_secret_access_key": "secret",
}


def _drop_in(operation: Any, *args: Any, **kwargs: Any) -> Any:
    """The drop-in's reading: the answer as botocore reads it, straight into boto3's dict."""
    spec = answering_spec(OPERATION_MODULES[operation.name])
    return read_as_botocore(spec, *args, **kwargs)._to_boto()


READERS = [
    pytest.param(awsjson.parse_response, id="typed"),
    pytest.param(_drop_in, id="drop-in"),
]
Answer = tuple[int, dict[str, str], bytes]


def _read(reader: Any, status: int, body: bytes, headers: dict[str, str] | None = None) -> Any:
    response = HttpResponse(status_code=status, headers=headers or {}, body=body)
    return reader(
        DESCRIBE_IMAGES,
        response,
        awsjson.response_metadata(response),
        faults=FAULTS,
        base_error=AmazonECRException,
    )


def _images(**member: Any) -> bytes:
    return json.dumps({"imageDetails": [{"imageDigest": "sha256:1", **member}]}).encode()


class Server:
    """Answers every request from a script, through httpx's mock transport; counts requests
    and keeps each one's signing time."""

    def __init__(self, answers: list[Answer]) -> None:
        self.answers = answers
        self.signed_at: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.signed_at.append(request.headers["x-amz-date"])
        status, headers, body = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        return httpx.Response(status, headers=headers, content=body)


@pytest.fixture
def serve() -> Iterator[Callable[..., tuple[ECRClient, Server]]]:
    clients: list[ECRClient] = []

    def make(*answers: Answer, **config: Any) -> tuple[ECRClient, Server]:
        server = Server(list(answers))
        client = ECRClient(
            endpoint_url=ENDPOINT,
            http_client=httpx.Client(transport=httpx.MockTransport(server)),
            config=ecrclient.ClientConfig(**config),
            **CREDENTIALS,
        )
        clients.append(client)
        return client, server

    yield make
    for client in clients:
        client.close()


# -- 1. only SDK errors escape -----------------------------------------------------------------


@pytest.mark.parametrize("reader", READERS)
def test_json_nested_too_deep_is_a_malformed_answer(reader: Any) -> None:
    with pytest.raises(MalformedResponseError, match="nests too deeply"):
        _read(reader, 200, deep_json(100_000).encode())


def test_an_error_answer_nested_too_deep_is_malformed_or_botocores_generic_fault() -> None:
    body = deep_json(100_000).encode()
    with pytest.raises(MalformedResponseError, match="nests too deeply"):
        _read(awsjson.parse_response, 400, body)
    # botocore makes an unreadable error body the message of a fault named by the status.
    with pytest.raises(AmazonECRException) as info:
        _read(read_as_botocore, 400, body)
    assert info.value.error_code == "400"
    assert len(str(info.value)) < MESSAGE_LIMIT + 200


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize(
    "timestamp",
    [1e20, float("inf"), "inf", "Infinity", 1e18, -1e18, "nan", "99999999999999999999-01-01"],
)
def test_impossible_timestamps_are_a_malformed_answer(reader: Any, timestamp: Any) -> None:
    # The typed reading names the member's path; the drop-in's reader says what was wrong.
    where = r"imageDetails\[0\]\.imagePushedAt" if reader is awsjson.parse_response else None
    with pytest.raises(MalformedResponseError, match=where):
        _read(reader, 200, _images(imagePushedAt=timestamp))


@pytest.mark.parametrize(
    "date",
    [
        "Mon, 01 Jan 99999999999 00:00:00 GMT",
        "Mon, 01 Jan 2024 00:00:00 +99999999999999999999",
        "Mon, 99999999999999999999 Jan 2024 00:00:00 GMT",
    ],
)
@pytest.mark.parametrize("code", ["RepositoryNotFoundException", "RequestTimeTooSkewed"])
def test_an_unreadable_date_leaves_the_modeled_fault(
    serve: Callable[..., tuple[ECRClient, Server]], date: str, code: str
) -> None:
    body = json.dumps({"__type": code, "message": "no"}).encode()
    client, server = serve((400, {"Date": date, "x-amz-retry-after": "9" * 400}, body))
    expected = RepositoryNotFoundException if code == "RepositoryNotFoundException" else None
    with pytest.raises(AmazonECRException) as info:
        client.describe_images(repository_name="web")
    assert info.value.error_code == code
    if expected is not None:
        assert type(info.value) is expected
    assert len(server.signed_at) == 1  # nothing to correct the clock by: not retried


def _botocore_parse(body: bytes, status: int) -> dict[str, Any]:
    """What botocore's own parser makes of a DescribeImages answer: the drop-in's oracle."""
    model = ServiceModel(json.loads(MODEL_FILE.read_text()), "ecr")
    shape = model.operation_model("DescribeImages").output_shape
    parser: Any = botocore.parsers.create_parser("json")
    parsed: dict[str, Any] = parser.parse(
        {"status_code": status, "headers": {}, "body": body}, shape
    )
    return parsed


def _botocore_error(body: bytes, status: int = 400) -> dict[str, Any]:
    return _botocore_parse(body, status)


@pytest.mark.parametrize("message", [5, 1.5, ["a"], {"b": 1}, None])
@pytest.mark.parametrize("code", ["InvalidSignatureException", "InvalidParameterException"])
def test_a_message_that_is_not_text_is_ignored_by_the_typed_fault(
    serve: Callable[..., tuple[ECRClient, Server]], message: Any, code: str
) -> None:
    body = json.dumps({"__type": code, "message": message}).encode()
    client, _ = serve((400, {}, body))
    with pytest.raises(AmazonECRException) as info:
        client.describe_images(repository_name="web")
    assert info.value.error_code == code
    assert info.value.error_message == ""
    if code == "InvalidParameterException":
        assert type(info.value) is InvalidParameterException
    # The boto3 view is botocore's, whatever the type.
    assert info.value.response["Error"] == _botocore_error(body)["Error"]
    assert str(info.value).startswith(f"An error occurred ({code})")


@pytest.mark.parametrize("value", [5, ["k"], {"a": "b"}, True])
def test_a_fault_member_of_the_wrong_type_is_ignored_by_the_typed_attribute(value: Any) -> None:
    body = json.dumps({"__type": "KmsException", "message": "m", "kmsError": value}).encode()
    with pytest.raises(KmsException) as info:
        _read(awsjson.parse_response, 400, body)
    assert info.value.kms_error is None
    assert info.value.response["kmsError"] == value  # the boto3 view keeps it, as botocore
    with pytest.raises(KmsException) as info:
        _read(awsjson.parse_response, 400, body.replace(json.dumps(value).encode(), b'"x"'))
    assert info.value.kms_error == "x"


def test_botocores_parser_failing_on_an_answer_is_a_malformed_answer() -> None:
    spec = installed_operation("describe_images")
    assert spec is not None
    result = spec.result_type._from_wire(
        {"imageDetails": [{"imagePushedAt": 1e20}]}, EMPTY_RESPONSE_METADATA
    )
    with pytest.raises(MalformedResponseError, match="botocore's parser"):
        result._to_boto()


# -- 2. typed results are typed ---------------------------------------------------------------


WRONG_TYPES = pytest.mark.parametrize(
    ("member", "value", "path"),
    [
        ("imageTags", "latest", r"imageDetails\[0\]\.imageTags: expected a list, got a string"),
        ("imageTags", ["a", 1], r"imageDetails\[0\]\.imageTags\[1\]: expected a string"),
        ("registryId", 123456789012, r"imageDetails\[0\]\.registryId: expected a string"),
        ("registryId", {"a": 1}, r"imageDetails\[0\]\.registryId: expected a string, got an obj"),
        ("imageDigest", ["sha"], r"imageDetails\[0\]\.imageDigest: expected a string, got a list"),
        ("imageSizeInBytes", True, r"imageSizeInBytes: expected an integer, got a boolean"),
        ("imageSizeInBytes", 1.5, r"imageSizeInBytes: expected an integer, got a number"),
        ("imageSizeInBytes", "12", r"imageSizeInBytes: expected an integer, got a string"),
        ("imageScanStatus", "COMPLETE", r"imageScanStatus: expected an object, got a string"),
        ("imageScanStatus", {"status": 1}, r"imageScanStatus\.status: expected a string"),
        (
            "imageScanFindingsSummary",
            {"findingSeverityCounts": {"HIGH": "2"}},
            r"imageScanFindingsSummary\.findingSeverityCounts\['HIGH'\]: expected an integer",
        ),
    ],
)


@WRONG_TYPES
def test_a_value_of_the_wrong_type_is_a_malformed_answer_naming_its_path(
    member: str, value: Any, path: str
) -> None:
    with pytest.raises(MalformedResponseError, match=path):
        _read(awsjson.parse_response, 200, _images(**{member: value}))


@WRONG_TYPES
def test_the_drop_in_reads_a_value_of_the_wrong_type_as_botocore(
    member: str, value: Any, path: str
) -> None:
    body = _images(**{member: value})
    try:
        expected = _botocore_parse(body, 200)
    except Exception:
        expected = None  # botocore's parser fails on it: boto3 raises whatever it raised
    else:
        expected.pop("ResponseMetadata", None)
    try:
        ours = _read(_drop_in, 200, body)
    except MalformedResponseError:
        # Where botocore fails, or reads nonsense (a string's characters as a list).
        assert expected is None or isinstance(value, str)
    else:
        assert ours == expected


def test_the_path_names_the_item_of_a_list() -> None:
    body = {"imageDetails": [{"imageDigest": "a"}, {"imageDigest": "b"}, "not an object"]}
    with pytest.raises(MalformedResponseError, match=r"imageDetails\[2\]: expected an object"):
        _read(awsjson.parse_response, 200, json.dumps(body).encode())
    body = {"imageDetails": [{"imageDigest": "a"}, {"imageScanStatus": {"description": 0}}]}
    with pytest.raises(
        MalformedResponseError, match=r"imageDetails\[1\]\.imageScanStatus\.description"
    ):
        _read(awsjson.parse_response, 200, json.dumps(body).encode())


def test_values_of_the_right_type_are_read_as_before() -> None:
    body = _images(
        imageTags=["latest", "v1"],
        imageSizeInBytes=10**20,
        imagePushedAt="2024-05-20T21:03:42Z",
        imageScanFindingsSummary={"findingSeverityCounts": {"HIGH": 2}},
    )
    result = _read(awsjson.parse_response, 200, body)
    assert isinstance(result, DescribeImagesResult)
    (image,) = result.image_details
    assert image.image_tags == ["latest", "v1"]
    assert image.image_size_in_bytes == 10**20
    assert image.image_pushed_at.year == 2024
    assert image.image_scan_findings_summary.finding_severity_counts == {"HIGH": 2}


# -- 3. the learned clock offset is bounded ---------------------------------------------------


def _skewed(date: str) -> Answer:
    body = json.dumps({"__type": "RequestTimeTooSkewed", "message": "skewed"}).encode()
    return 400, {"Date": date}, body


def test_a_skew_answer_dated_far_away_does_not_move_the_clock(
    serve: Callable[..., tuple[ECRClient, Server]], caplog: pytest.LogCaptureFixture
) -> None:
    ok = (200, {}, b"{}")
    client, server = serve(_skewed("Fri, 31 Dec 9999 23:59:59 GMT"), ok)
    with pytest.raises(AmazonECRException) as info:
        client.describe_registry()
    assert info.value.error_code == "RequestTimeTooSkewed"
    assert client._pipeline.clock_offset == timedelta(0)
    assert "implausibly far" in caplog.text
    assert len(server.signed_at) == 1  # not retried: nothing plausible was learned
    client.describe_registry()  # later calls still sign
    assert server.signed_at[1][:4] == server.signed_at[0][:4]


def test_a_plausible_skew_is_still_learned(serve: Callable[..., tuple[ECRClient, Server]]) -> None:
    ok = (200, {}, b"{}")
    client, server = serve(_skewed("Mon, 01 Jan 2024 00:00:00 GMT"), ok)
    client._pipeline.clock = lambda: _at("2024-01-01T02:00:00")
    client.describe_registry()
    assert client._pipeline.clock_offset == timedelta(hours=-2)
    assert server.signed_at == ["20240101T020000Z", "20240101T000000Z"]


def test_the_signing_time_is_clamped_whatever_offset_is_set(
    serve: Callable[..., tuple[ECRClient, Server]],
) -> None:
    client, server = serve((200, {}, b"{}"))
    client._pipeline.clock = lambda: _at("2024-01-01T00:00:00")
    client._pipeline.clock_offset = timedelta(days=10**6)
    client.describe_registry()
    assert server.signed_at == [
        (_at("2024-01-01T00:00:00") + MAX_CLOCK_OFFSET).strftime("%Y%m%dT%H%M%SZ")
    ]


def _at(text: str) -> Any:
    from datetime import datetime, timezone

    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


# -- 4. str() of a fault is bounded -----------------------------------------------------------

HUGE = "m" * 5_000_000


@pytest.mark.parametrize("code", ["RepositoryNotFoundException", "NotAModeledCode"])
def test_str_of_a_fault_with_a_huge_message_is_bounded(
    serve: Callable[..., tuple[ECRClient, Server]], code: str
) -> None:
    body = json.dumps({"__type": code, "message": HUGE}).encode()
    client, _ = serve((400, {}, body))
    with pytest.raises(AmazonECRException) as info:
        client.describe_images(repository_name="web")
    shown = str(info.value)
    assert len(shown) < MESSAGE_LIMIT + 200
    assert shown.endswith(f"... ({len(HUGE) - MESSAGE_LIMIT} more characters)")
    assert info.value.error_message == HUGE
    assert info.value.response["Error"] == _botocore_error(body)["Error"]


@pytest.mark.parametrize("code", ["RepositoryNotFoundException", "NotAModeledCode"])
def test_the_drop_in_bounds_str_and_keeps_botocores_response(code: str) -> None:
    body = json.dumps({"__type": code, "message": HUGE}).encode()
    server = Server([(400, {}, body)])
    boto = ecrclient.client(
        "ecr",
        endpoint_url=ENDPOINT,
        config=botocore.config.Config(retries={"max_attempts": 0}),
        **CREDENTIALS,
    )
    typed = boto.typed
    typed._transport.close()
    from ecrclient._transports.httpx import HttpxTransport

    typed._transport = HttpxTransport(httpx.Client(transport=httpx.MockTransport(server)))
    with pytest.raises(botocore.exceptions.ClientError) as info:
        boto.describe_images(repositoryName="web")
    if code == "NotAModeledCode":
        assert type(info.value) is botocore.exceptions.ClientError  # as boto3 raises it
    assert len(str(info.value)) < MESSAGE_LIMIT + 200
    assert info.value.response["Error"] == _botocore_error(body)["Error"]
    boto.close()
