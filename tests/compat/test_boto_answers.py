"""The drop-in's answers read straight from the wire (``_generated/boto_answers/``) against
botocore's own ``json`` parser over the same bytes.

For every operation's output shape, :mod:`shapegen` draws random valid wire answers from the
pinned model; botocore's parser and the generated reader read the same body, and the two dicts
must be identical: the same keys in the same order, values of the same types, and timestamps
equal in instant, wall time, ``fold``, offset and time-zone class, in UTC and in zones with
daylight saving time. No expected value is written by hand.

Answers botocore would crash on, or read as nonsense, must raise ``MalformedResponseError``
(botocore's ``ResponseParserError``) instead, through the pipeline and through the drop-in.
"""

from __future__ import annotations

import importlib
import json
import os
import random
import time
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import botocore.parsers
import pytest
from botocore.parsers import ResponseParserError
from pinned import SERVICE_MODEL
from shapegen import ShapeGenerator

import ecrclient
from ecrclient._core.awsjson import response_metadata
from ecrclient._core.boto_reading import BotoAnswer
from ecrclient._core.messages import HttpResponse
from ecrclient._generated.service import OPERATION_MODULES
from ecrclient.compat.boto_client import answering_spec
from ecrclient.compat.reading import read_as_botocore
from ecrclient.errors import AmazonECRException, MalformedResponseError
from ecrclient.faults import FAULTS

OPERATIONS = tuple(SERVICE_MODEL.operation_names)
SEEDS = range(6)
PRESENCE = (1.0, 0.0, 0.5, 0.5, 0.75, 0.9)
"""The chance an optional member is present, by seed."""

ZONES = ("UTC", "America/New_York", "Europe/Dublin", "Australia/Lord_Howe", "Asia/Kolkata")
"""UTC, and zones with daylight saving (a negative one in Dublin, half an hour on Lord Howe)
or with offsets that changed in the past."""

REQUEST_ID = "c0ffee00-0000-4000-8000-000000000000"
HEADERS = {"x-amzn-requestid": REQUEST_ID, "content-type": "application/x-amz-json-1.1"}


def botocore_read(operation: str, body: bytes) -> dict[str, Any]:
    parsed: dict[str, Any] = botocore.parsers.create_parser("json").parse(
        {"status_code": 200, "headers": HEADERS, "body": body},
        SERVICE_MODEL.operation_model(operation).output_shape,
    )
    parsed.pop("ResponseMetadata")
    return parsed


def answer_class(operation: str) -> type[BotoAnswer]:
    module = importlib.import_module(
        f"ecrclient._generated.boto_answers.{OPERATION_MODULES[operation]}"
    )
    answer: type[BotoAnswer] = module.ANSWER
    return answer


def our_read(operation: str, body: bytes) -> dict[str, Any]:
    return answer_class(operation).read(json.loads(body))  # type: ignore[no-any-return]


def assert_identical(ours: Any, theirs: Any, path: str = "$") -> None:
    """The same value to a boto3 user: same types, same key order, timestamps the same in
    every respect a caller can see."""
    assert type(ours) is type(theirs), f"{path}: {ours!r} vs botocore {theirs!r}"
    if isinstance(theirs, dict):
        assert list(ours) == list(theirs), f"{path}: keys {list(ours)} vs {list(theirs)}"
        for key in theirs:
            assert_identical(ours[key], theirs[key], f"{path}.{key}")
    elif isinstance(theirs, list):
        assert len(ours) == len(theirs), f"{path}: {len(ours)} vs {len(theirs)} items"
        for n, (mine, other) in enumerate(zip(ours, theirs, strict=True)):
            assert_identical(mine, other, f"{path}[{n}]")
    elif isinstance(theirs, datetime):
        # Not ``==``: aware datetimes of two tzinfo objects never compare equal in a repeated
        # hour, botocore's with botocore's included.
        assert ours.timestamp() == theirs.timestamp(), f"{path}: {ours!r} vs {theirs!r}"
        assert type(ours.tzinfo) is type(theirs.tzinfo), f"{path}: {ours!r} vs {theirs!r}"
        assert ours.replace(tzinfo=None) == theirs.replace(tzinfo=None), (
            f"{path}: wall time {ours!r} vs {theirs!r}"
        )
        assert ours.fold == theirs.fold, f"{path}: fold of {ours!r} vs {theirs!r}"
        assert ours.utcoffset() == theirs.utcoffset(), f"{path}: offset {ours!r} vs {theirs!r}"
        assert ours.tzname() == theirs.tzname(), f"{path}: {ours.tzname()} vs {theirs.tzname()}"
    else:
        assert ours == theirs, f"{path}: {ours!r} vs botocore {theirs!r}"


def wire_answer(operation: str, seed: int) -> bytes:
    generator = ShapeGenerator(
        random.Random(f"{operation}/answer/{seed}"), optional_probability=PRESENCE[seed]
    )
    output = SERVICE_MODEL.operation_model(operation).output_shape
    return json.dumps(generator.value(output, "wire")).encode()


@pytest.fixture
def zone(request: pytest.FixtureRequest) -> Iterator[str]:
    """The process's local time zone set to ``request.param`` (``time.tzset``), then restored."""
    saved = os.environ.get("TZ")
    os.environ["TZ"] = request.param
    time.tzset()
    try:
        yield request.param
    finally:
        if saved is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = saved
        time.tzset()


def test_every_operation_has_an_answer() -> None:
    assert set(OPERATIONS) == set(OPERATION_MODULES)
    for operation, method in OPERATION_MODULES.items():
        answer = answer_class(operation)
        assert answering_spec(method).result_type is answer
        assert answer.__name__ == f"{operation}Answer"
        assert issubclass(answer, BotoAnswer)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("operation", OPERATIONS)
def test_answer_matches_botocore(operation: str, seed: int) -> None:
    body = wire_answer(operation, seed)
    assert_identical(our_read(operation, body), botocore_read(operation, body))


# Instants around daylight-saving changes in the zones above (both folds of a repeated hour),
# the epoch, and dates before the zones' current rules.
EDGE_EPOCHS = (
    0,
    1.5,
    -86_400 * 365 * 60,
    1_699_163_999.999,  # New York, 2023-11-05 01:59:59.999 EDT
    1_699_164_000,  # 01:00:00 EST, the repeated hour
    1_699_167_600.5,
    1_710_054_000,  # New York, 2024-03-10, clocks spring forward
    1_698_541_200,  # Dublin, 2023-10-29 01:00 UTC
    1_712_419_200,  # Lord Howe, 2024-04-07 02:00 local, half an hour back
    1_712_421_000,
    -880_000_000,  # Kolkata in 1942 (+06:30)
)


@pytest.mark.parametrize("zone", ZONES, indirect=True)
def test_timestamps_match_botocore_in_every_zone(zone: str) -> None:
    values: list[Any] = [*EDGE_EPOCHS, *(str(value) for value in EDGE_EPOCHS)]
    values += [
        "2024-05-20T12:00:00Z",
        "2024-05-20T12:00:00.123+05:30",
        "Mon, 20 May 2024 12:00:00 GMT",
    ]
    for value in values:
        body = json.dumps({"imageDetails": [{"imagePushedAt": value}]}).encode()
        assert_identical(our_read("DescribeImages", body), botocore_read("DescribeImages", body))
    for seed in SEEDS:
        body = wire_answer("DescribeImages", seed)
        assert_identical(our_read("DescribeImages", body), botocore_read("DescribeImages", body))


@pytest.mark.parametrize(
    "members",
    [
        {"imageDetails": [{"imageSizeInBytes": "12"}]},  # botocore keeps wrong scalars as they are
        {"imageDetails": [{"imageTags": [None, "a"], "repositoryName": 5}]},
        {"imageDetails": [{"imageScanFindingsSummary": {"findingSeverityCounts": {"HIGH": "x"}}}]},
        {"imageDetails": [{"unknownMember": {"x": 1}, "imageDigest": None}], "other": 1},
        {},
    ],
)
def test_lenient_reading_matches_botocore(members: dict[str, Any]) -> None:
    body = json.dumps(members).encode()
    assert_identical(our_read("DescribeImages", body), botocore_read("DescribeImages", body))


HOSTILE = [
    {"imageDetails": {"imageDigest": "sha256:0"}},
    {"imageDetails": ["sha256:0"]},
    {"imageDetails": [None]},
    {"imageDetails": [{"imageTags": "latest"}]},
    {"imageDetails": [{"imageScanStatus": ["COMPLETE"]}]},
    {"imageDetails": [{"imageScanFindingsSummary": {"findingSeverityCounts": [1]}}]},
    {"imageDetails": [{"imagePushedAt": True}]},
    {"imageDetails": [{"imagePushedAt": {"seconds": 1}}]},
    {"imageDetails": [{"imagePushedAt": 1e20}]},
    {"imageDetails": [{"imagePushedAt": "not a time"}]},
]
"""Answers botocore fails on (with errors that are not its own) or reads as nonsense."""


def _response(members: dict[str, Any]) -> HttpResponse:
    return HttpResponse(status_code=200, headers=HEADERS, body=json.dumps(members).encode())


@pytest.mark.parametrize("members", HOSTILE)
def test_wrong_kinds_are_malformed_answers(members: dict[str, Any]) -> None:
    response = _response(members)
    with pytest.raises(MalformedResponseError) as caught:
        read_as_botocore(
            answering_spec("describe_images"),
            response,
            response_metadata(response),
            faults=FAULTS,
            base_error=AmazonECRException,
        )
    assert isinstance(caught.value, ResponseParserError)
    assert caught.value.operation_name == "DescribeImages"
    assert "DescribeImagesAnswer" in str(caught.value)


def test_drop_in_raises_malformed_answer_over_http() -> None:
    from faultserver import FaultServer, Json, Respond

    body = wire_answer("DescribeImages", 0)
    with FaultServer() as server:
        server.script(
            [
                Json(200, {"imageDetails": [{"imageTags": "x"}]}),
                Respond(200, body, HEADERS),
            ]
        )
        client = ecrclient.client(
            "ecr",
            region_name="us-east-1",
            endpoint_url=server.url,
            aws_access_key_id="AKIDEXAMPLE",
            aws_secret_access_key="secret",
        )
        with pytest.raises(ResponseParserError, match="ImageTagList must be a JSON array, not str"):
            client.describe_images(repositoryName="web")
        answer = client.describe_images(repositoryName="web")
        client.close()
    metadata = answer.pop("ResponseMetadata")
    assert metadata["RequestId"] == REQUEST_ID
    assert_identical(answer, botocore_read("DescribeImages", body))
