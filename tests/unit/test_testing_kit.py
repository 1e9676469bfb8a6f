"""``ecrclient.testing``: the boto3-style ``Stubber`` against botocore's, and the ``TypedStubber``.

botocore is the oracle for :class:`ecrclient.testing.Stubber`: each scenario queues the same
answers on ``boto3.client("ecr")`` with ``botocore.stub.Stubber`` and on
``ecrclient.client("ecr")`` with ``ecrclient.testing.Stubber``, makes the same calls on both and
compares what came back (the dicts, or the exception's class, text, ``response`` and operation)
and what stayed queued. With ``fill_response_metadata=False`` the answers must be identical; by
default ecrclient adds the ``ResponseMetadata`` botocore leaves out, and everything else must be
identical. No test makes an HTTP request.
"""

from __future__ import annotations

import asyncio
import copy
import dataclasses
import datetime
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import botocore.stub
import botocore.waiter
import pytest
from botocore.exceptions import (
    ClientError,
    ParamValidationError,
    StubAssertionError,
    StubResponseError,
    UnStubbedResponseError,
    WaiterError,
)

import ecrclient
import ecrclient.aio
from ecrclient import AsyncECRClient, ClientConfig, ECRClient, ResponseMetadata
from ecrclient.errors import (
    AmazonECRException,
    EndpointConnectionError,
    RequestValidationError,
    SdkClientError,
)
from ecrclient.faults import KmsException, RepositoryNotFoundException, ServerException
from ecrclient.model import (
    DescribeImageScanFindingsResult,
    DescribeImagesRequest,
    DescribeImagesResult,
    DescribeRepositoriesResult,
    ImageDetail,
    ImageIdentifier,
    ImageScanStatus,
    ListImagesRequest,
    ListImagesResult,
)
from ecrclient.testing import ANY, Stubber, TypedStubber

REGION = "us-east-1"
KEY_ID = "AKIDEXAMPLE"
SECRET = "secret"
URI = "123456789012.dkr.ecr.us-east-1.amazonaws.com/web"
DIGEST = "sha256:" + "ab" * 32
WHEN = datetime.datetime(2024, 5, 1, 12, 30, tzinfo=datetime.timezone.utc)
DEFAULT_METADATA_KEYS = {"RequestId", "HTTPStatusCode", "HTTPHeaders", "RetryAttempts"}


@pytest.fixture
def boto() -> Iterator[Any]:
    client = boto3.client(
        "ecr", region_name=REGION, aws_access_key_id=KEY_ID, aws_secret_access_key=SECRET
    )
    yield client
    client.close()


@pytest.fixture
def compat() -> Iterator[Any]:
    client = ecrclient.client(
        "ecr", region_name=REGION, aws_access_key_id=KEY_ID, aws_secret_access_key=SECRET
    )
    yield client
    client.close()


@pytest.fixture
def typed() -> Iterator[ECRClient]:
    with ECRClient(
        region_name=REGION, aws_access_key_id=KEY_ID, aws_secret_access_key=SECRET
    ) as client:
        yield client


# --------------------------------------------------------------------------------------------
# Running one scenario on botocore's Stubber and on ecrclient's.
# --------------------------------------------------------------------------------------------


@dataclasses.dataclass
class Outcome:
    value: Any = None
    error: BaseException | None = None
    pending: str | None = None
    """``assert_no_pending_responses()``'s message afterwards, ``None`` when nothing is left."""


def _run(
    stubber: Any, client: Any, setup: Callable[[Any], None], call: Callable[[Any], Any]
) -> Outcome:
    outcome = Outcome()
    setup(stubber)
    with stubber:
        try:
            outcome.value = call(client)
        except Exception as exc:
            outcome.error = exc
    try:
        stubber.assert_no_pending_responses()
    except AssertionError as exc:
        outcome.pending = str(exc)
    return outcome


def run_both(
    boto: Any,
    compat: Any,
    setup: Callable[[Any], None],
    call: Callable[[Any], Any],
    *,
    fill: bool,
) -> tuple[Outcome, Outcome]:
    expected = _run(botocore.stub.Stubber(boto), boto, setup, call)
    actual = _run(Stubber(compat, fill_response_metadata=fill), compat, setup, call)
    return expected, actual


def assert_same_dict(expected: Any, actual: Any, *, fill: bool, error: bool = False) -> None:
    """``actual`` is ``expected``; with ``fill``, up to the ``ResponseMetadata`` botocore omits
    (all of it in a response, all but ``HTTPStatusCode`` and ``response_meta`` in an error)."""
    if fill and isinstance(expected, dict) and isinstance(actual, dict):
        error = error or "Error" in expected  # botocore returns errors stubbed with a 2xx status
        expected, actual = dict(expected), dict(actual)
        theirs = expected.pop("ResponseMetadata", None)
        ours = actual.pop("ResponseMetadata", None)
        if ours is None:
            assert theirs is None  # not a response: a paginator's full result
        elif theirs is not None and not error:
            assert ours == theirs  # a stubbed ResponseMetadata is returned as given
        else:
            assert set(ours) >= DEFAULT_METADATA_KEYS
            assert (theirs or {}).items() <= ours.items()
            assert ours["HTTPHeaders"]["x-amzn-requestid"] == ours["RequestId"]
    assert actual == expected
    assert repr(actual) == repr(expected)  # the same types, tz-awareness and key order


def assert_same_outcome(expected: Outcome, actual: Outcome, *, fill: bool) -> None:
    if expected.error is None:
        assert actual.error is None, f"ecrclient raised {actual.error!r}"
        if isinstance(expected.value, list):
            assert len(actual.value) == len(expected.value)
            for theirs, ours in zip(expected.value, actual.value, strict=True):
                assert_same_dict(theirs, ours, fill=fill)
        else:
            assert_same_dict(expected.value, actual.value, fill=fill)
    else:
        assert actual.error is not None, f"ecrclient returned {actual.value!r}"
        assert type(actual.error).__name__ == type(expected.error).__name__
        assert str(actual.error) == str(expected.error)
        if isinstance(expected.error, ClientError):
            assert isinstance(actual.error, ClientError)
            assert actual.error.operation_name == expected.error.operation_name
            assert_same_dict(expected.error.response, actual.error.response, fill=fill, error=True)
    assert actual.pending == expected.pending or (
        expected.pending is not None
        and actual.pending is not None
        and actual.pending.startswith(expected.pending)
    )


FILL = pytest.mark.parametrize("fill", [False, True], ids=["exact", "filled"])


# --------------------------------------------------------------------------------------------
# Stubber: answers.
# --------------------------------------------------------------------------------------------

RESPONSES: list[tuple[str, dict[str, Any], dict[str, Any], Any]] = [
    (
        "describe_repositories",
        {
            "repositories": [
                {
                    "repositoryArn": "arn:aws:ecr:us-east-1:123456789012:repository/web",
                    "registryId": "123456789012",
                    "repositoryName": "web",
                    "repositoryUri": URI,
                    "createdAt": WHEN,
                    "imageTagMutability": "IMMUTABLE",
                    "imageScanningConfiguration": {"scanOnPush": True},
                    "encryptionConfiguration": {"encryptionType": "AES256"},
                }
            ]
        },
        {"repositoryNames": ["web"]},
        {"repositoryNames": ["web"]},
    ),
    (
        "describe_images",
        {
            "imageDetails": [
                {
                    "repositoryName": "web",
                    "imageDigest": DIGEST,
                    "imageTags": ["v1", "latest"],
                    "imageSizeInBytes": 12345678,
                    "imagePushedAt": datetime.datetime(2024, 1, 2, 3, 4, 5),
                    "imageScanFindingsSummary": {"findingSeverityCounts": {"HIGH": 2}},
                }
            ],
            "nextToken": "page-2",
        },
        {"repositoryName": "web", "maxResults": 10},
        {"repositoryName": "web", "maxResults": ANY},
    ),
    (
        "get_authorization_token",
        {
            "authorizationData": [
                {
                    "authorizationToken": "QVdTOnNlY3JldA==",
                    "expiresAt": WHEN,
                    "proxyEndpoint": "https://123456789012.dkr.ecr.us-east-1.amazonaws.com",
                }
            ]
        },
        {},
        {},
    ),
    (
        "batch_get_image",
        {
            "images": [],
            "failures": [
                {
                    "imageId": {"imageTag": "gone"},
                    "failureCode": "ImageNotFound",
                    "failureReason": "Requested image not found",
                }
            ],
        },
        {"repositoryName": "web", "imageIds": [{"imageTag": "gone"}]},
        None,
    ),
    ("list_images", {}, {"repositoryName": "web"}, {"repositoryName": "web"}),
    (
        "delete_lifecycle_policy",
        {"registryId": "123456789012", "repositoryName": "web"},
        {"repositoryName": "web"},
        {"repositoryName": "web"},
    ),
    (
        "list_tags_for_resource",
        {
            "tags": [{"Key": "team", "Value": "web"}],
            "ResponseMetadata": {"RequestId": "given", "HTTPStatusCode": 200, "HostId": "h"},
        },
        {"resourceArn": "arn:aws:ecr:us-east-1:123456789012:repository/web"},
        {"resourceArn": ANY},
    ),
]


@FILL
@pytest.mark.parametrize(
    ("method", "response", "params", "expected_params"), RESPONSES, ids=[r[0] for r in RESPONSES]
)
def test_responses_match_botocore(
    boto: Any,
    compat: Any,
    fill: bool,
    method: str,
    response: dict[str, Any],
    params: dict[str, Any],
    expected_params: Any,
) -> None:
    def setup(stubber: Any) -> None:
        stubber.add_response(method, copy.deepcopy(response), expected_params)

    expected, actual = run_both(
        boto, compat, setup, lambda client: getattr(client, method)(**params), fill=fill
    )
    assert_same_outcome(expected, actual, fill=fill)


def test_exact_mode_returns_the_stubbed_dict_itself(compat: Any) -> None:
    response = {"imageIds": [{"imageTag": "v1"}]}
    with Stubber(compat, fill_response_metadata=False) as stubber:
        stubber.add_response("list_images", response)
        assert compat.list_images(repositoryName="web") is response


def test_filled_metadata_has_distinct_request_ids(compat: Any) -> None:
    with Stubber(compat) as stubber:
        stubber.add_response("list_images", {})
        stubber.add_response("list_images", {})
        first = compat.list_images(repositoryName="web")["ResponseMetadata"]
        second = compat.list_images(repositoryName="web")["ResponseMetadata"]
    assert first == {
        "RequestId": "00000000-0000-0000-0000-000000000001",
        "HTTPStatusCode": 200,
        "HTTPHeaders": {
            "x-amzn-requestid": "00000000-0000-0000-0000-000000000001",
            "content-type": "application/x-amz-json-1.1",
        },
        "RetryAttempts": 0,
    }
    assert second["RequestId"] == "00000000-0000-0000-0000-000000000002"


# --------------------------------------------------------------------------------------------
# Stubber: client errors.
# --------------------------------------------------------------------------------------------

ERRORS: dict[str, dict[str, Any]] = {
    "modeled": {
        "service_error_code": "RepositoryNotFoundException",
        "service_message": "The repository 'web' does not exist",
    },
    "modeled-404": {
        "service_error_code": "RepositoryNotFoundException",
        "service_message": "gone",
        "http_status_code": 404,
    },
    "server-fault": {
        "service_error_code": "ServerException",
        "service_message": "internal",
        "http_status_code": 500,
    },
    "unmodeled": {
        "service_error_code": "ThrottlingException",
        "service_message": "Rate exceeded",
    },
    "no-code": {},
    "error-meta": {
        "service_error_code": "RepositoryNotFoundException",
        "service_message": "gone",
        "service_error_meta": {"Type": "Sender"},
    },
    "response-meta": {
        "service_error_code": "RepositoryNotFoundException",
        "service_message": "gone",
        "response_meta": {"RequestId": "8675309", "RetryAttempts": 2},
    },
    "modeled-fields": {
        "service_error_code": "KmsException",
        "service_message": "kms said no",
        "modeled_fields": {"kmsError": "AccessDenied", "message": "kms said no"},
    },
    "status-200": {
        "service_error_code": "RepositoryNotFoundException",
        "service_message": "an error in a 2xx answer is returned, as botocore does",
        "http_status_code": 200,
    },
}


@FILL
@pytest.mark.parametrize("error", list(ERRORS.values()), ids=list(ERRORS))
def test_client_errors_match_botocore(
    boto: Any, compat: Any, fill: bool, error: dict[str, Any]
) -> None:
    def setup(stubber: Any) -> None:
        stubber.add_client_error("describe_repositories", expected_params={}, **error)

    expected, actual = run_both(
        boto, compat, setup, lambda client: client.describe_repositories(), fill=fill
    )
    assert_same_outcome(expected, actual, fill=fill)
    if expected.error is not None and error.get("service_error_code") != "ThrottlingException":
        code = error.get("service_error_code") or "ClientError"
        if code != "ClientError":
            assert isinstance(actual.error, getattr(compat.exceptions, code))
            assert isinstance(expected.error, getattr(boto.exceptions, code))


def test_client_error_is_the_modeled_fault_with_typed_facts(compat: Any) -> None:
    with Stubber(compat) as stubber:
        stubber.add_client_error(
            "describe_repositories",
            "KmsException",
            "kms said no",
            http_status_code=400,
            modeled_fields={"kmsError": "AccessDenied"},
            response_meta={"RequestId": "req-1"},
        )
        with pytest.raises(KmsException) as caught:
            compat.describe_repositories()
    fault = caught.value
    assert fault.error_code == "KmsException"
    assert fault.error_message == "kms said no"
    assert fault.status_code == 400
    assert fault.request_id == "req-1"
    assert fault.kms_error == "AccessDenied"
    assert fault.operation_name == "DescribeRepositories"


def test_client_error_has_typed_response_metadata(compat: Any) -> None:
    with Stubber(compat) as stubber:
        stubber.add_client_error("list_images", "RepositoryNotFoundException", "gone", 404)
        with pytest.raises(RepositoryNotFoundException) as caught:
            compat.list_images(repositoryName="web")
    metadata = caught.value.response_metadata
    assert metadata is not None
    assert metadata.http_status_code == 404
    assert metadata.request_id == caught.value.response["ResponseMetadata"]["RequestId"]


def test_unmodeled_code_is_a_plain_client_error(compat: Any) -> None:
    with Stubber(compat) as stubber:
        stubber.add_client_error("list_images", "ThrottlingException", "slow down")
        with pytest.raises(ClientError) as caught:
            compat.list_images(repositoryName="web")
    assert type(caught.value) is ClientError
    assert caught.value.response["Error"]["Code"] == "ThrottlingException"


# --------------------------------------------------------------------------------------------
# Stubber: what the stubbed call checks, against botocore's.
# --------------------------------------------------------------------------------------------


def _queue(*entries: tuple[str, str, dict[str, Any] | None]) -> Callable[[Any], None]:
    def setup(stubber: Any) -> None:
        for kind, method, expected_params in entries:
            if kind == "response":
                stubber.add_response(method, {}, expected_params)
            else:
                stubber.add_client_error(method, "ServerException", expected_params=expected_params)

    return setup


CHECKS: dict[str, tuple[Callable[[Any], None], Callable[[Any], Any]]] = {
    "nothing-queued": (_queue(), lambda c: c.list_images(repositoryName="web")),
    "called-twice": (
        _queue(("response", "list_images", None)),
        lambda c: [c.list_images(repositoryName="web"), c.list_images(repositoryName="web")],
    ),
    "other-operation": (
        _queue(("response", "describe_repositories", None)),
        lambda c: c.list_images(repositoryName="web"),
    ),
    "other-operation-for-an-error": (
        _queue(("error", "describe_repositories", None)),
        lambda c: c.list_images(repositoryName="web"),
    ),
    "different-value": (
        _queue(("response", "list_images", {"repositoryName": "api"})),
        lambda c: c.list_images(repositoryName="web"),
    ),
    "missing-parameter": (
        _queue(("response", "list_images", {"repositoryName": "web", "maxResults": 5})),
        lambda c: c.list_images(repositoryName="web"),
    ),
    "extra-parameter": (
        _queue(("response", "list_images", {"repositoryName": "web"})),
        lambda c: c.list_images(repositoryName="web", maxResults=5),
    ),
    "any-value": (
        _queue(("response", "list_images", {"repositoryName": ANY, "maxResults": ANY})),
        lambda c: c.list_images(repositoryName="web", maxResults=5),
    ),
    "nested-any": (
        _queue(("response", "batch_get_image", {"repositoryName": "web", "imageIds": [ANY]})),
        lambda c: c.batch_get_image(repositoryName="web", imageIds=[{"imageTag": "v1"}]),
    ),
    "error-with-expected-params": (
        _queue(("error", "list_images", {"repositoryName": "web"})),
        lambda c: c.list_images(repositoryName="api"),
    ),
    "invalid-parameters-keep-the-answer": (
        _queue(("response", "list_images", None)),
        lambda c: c.list_images(repositoryName=7),
    ),
    "unknown-parameter": (
        _queue(("response", "list_images", None)),
        lambda c: c.list_images(repositoryName="web", colour="blue"),
    ),
    "expected-invalid-parameters-still-fail-validation": (
        _queue(("response", "list_images", {"repositoryName": 7})),
        lambda c: c.list_images(repositoryName=7),
    ),
    "mismatch-reported-before-validation": (
        _queue(("response", "list_images", {"repositoryName": "web"})),
        lambda c: c.list_images(repositoryName=7),
    ),
    "nothing-queued-reported-before-validation": (
        _queue(),
        lambda c: c.list_images(),
    ),
    "leftover": (
        _queue(("response", "list_images", None), ("error", "describe_repositories", None)),
        lambda c: c.list_images(repositoryName="web"),
    ),
    "positional-arguments": (
        _queue(("response", "list_images", None)),
        lambda c: c.list_images("web"),
    ),
}


@FILL
@pytest.mark.parametrize("scenario", list(CHECKS.values()), ids=list(CHECKS))
def test_call_checks_match_botocore(
    boto: Any,
    compat: Any,
    fill: bool,
    scenario: tuple[Callable[[Any], None], Callable[[Any], Any]],
) -> None:
    setup, call = scenario
    expected, actual = run_both(boto, compat, setup, call, fill=fill)
    if isinstance(expected.error, StubAssertionError):
        # ecrclient's message is botocore's with the differences listed after it.
        assert type(actual.error) is StubAssertionError
        assert str(actual.error).startswith(str(expected.error))
        assert "Differences:" in str(actual.error)
        assert expected.pending is not None and actual.pending is not None
        assert actual.pending.startswith(expected.pending)
    else:
        assert_same_outcome(expected, actual, fill=fill)


def test_param_mismatch_message_lists_the_differences(compat: Any) -> None:
    with Stubber(compat) as stubber:
        stubber.add_response("list_images", {}, {"repositoryName": "api", "maxResults": 5})
        with pytest.raises(StubAssertionError) as caught:
            compat.list_images(repositoryName="web", nextToken="t")
    message = str(caught.value)
    assert "operation ListImages" in message
    assert "repositoryName: expected 'api', got 'web'" in message
    assert "maxResults: expected 5, but it was not passed" in message
    assert "nextToken: passed 't', but not expected" in message


QUEUEING: dict[str, Callable[[Any], None]] = {
    "wrong-type": lambda s: s.add_response("list_images", {"imageIds": "v1"}),
    "unknown-member": lambda s: s.add_response("list_images", {"images": []}),
    "bad-nested-member": lambda s: s.add_response(
        "describe_images", {"imageDetails": [{"imageSizeInBytes": "big"}]}
    ),
    "missing-required-nested-member": lambda s: s.add_response(
        "list_tags_for_resource", {"tags": [{"Key": "team"}]}
    ),
    "metadata-is-not-validated": lambda s: s.add_response(
        "list_images", {"ResponseMetadata": {"Anything": object}}
    ),
    "unknown-method": lambda s: s.add_response("list_imagez", {}),
    "bad-modeled-fields": lambda s: s.add_client_error(
        "list_images", "KmsException", modeled_fields={"kmsError": 7}
    ),
    "modeled-fields-of-an-unmodeled-code": lambda s: s.add_client_error(
        "list_images", "ThrottlingException", modeled_fields={"x": 1}
    ),
}


@pytest.mark.parametrize("queue", list(QUEUEING.values()), ids=list(QUEUEING))
def test_queueing_checks_match_botocore(
    boto: Any, compat: Any, queue: Callable[[Any], None]
) -> None:
    outcomes: list[tuple[type[Exception] | None, str]] = []
    for stubber in (botocore.stub.Stubber(boto), Stubber(compat)):
        try:
            queue(stubber)
        except Exception as exc:
            outcomes.append((type(exc), str(exc)))
        else:
            outcomes.append((None, ""))
    assert outcomes[1] == outcomes[0]


def test_add_client_error_refuses_unknown_methods(compat: Any) -> None:
    with pytest.raises(ValueError, match="does not have method: list_imagez"):
        Stubber(compat).add_client_error("list_imagez", "ServerException")


def test_bound_methods_name_the_operation(compat: Any) -> None:
    with Stubber(compat) as stubber:
        stubber.add_response(
            compat.list_images, {"imageIds": [{"imageTag": "v1"}]}, {"repositoryName": "web"}
        )
        assert compat.list_images(repositoryName="web")["imageIds"] == [{"imageTag": "v1"}]


# --------------------------------------------------------------------------------------------
# Stubber: paginators, waiters, the async client, activation.
# --------------------------------------------------------------------------------------------


@FILL
def test_paginator_matches_botocore(boto: Any, compat: Any, fill: bool) -> None:
    def setup(stubber: Any) -> None:
        for _ in range(2):  # once for the pages, once for build_full_result
            # Fresh dicts each time: build_full_result extends the first page's list in place
            # (botocore's does too), and in exact mode that list is the stubbed one.
            pages = [
                ({"imageIds": [{"imageTag": "v1"}, {"imageTag": "v2"}], "nextToken": "t1"}, None),
                ({"imageIds": [{"imageTag": "v3"}], "nextToken": "t2"}, "t1"),
                ({"imageIds": [{"imageDigest": DIGEST}]}, "t2"),
            ]
            for page, token in pages:
                params = {"repositoryName": "web", "maxResults": 2}
                if token is not None:
                    params["nextToken"] = token
                stubber.add_response("list_images", page, params)

    def call(client: Any) -> Any:
        paginator = client.get_paginator("list_images")
        found = list(paginator.paginate(repositoryName="web", PaginationConfig={"PageSize": 2}))
        full = paginator.paginate(
            repositoryName="web", PaginationConfig={"PageSize": 2}
        ).build_full_result()
        return [*found, full]

    expected, actual = run_both(boto, compat, setup, call, fill=fill)
    assert_same_outcome(expected, actual, fill=fill)


def test_paginator_resume_token_matches_botocore(boto: Any, compat: Any) -> None:
    def setup(stubber: Any) -> None:
        stubber.add_response(
            "list_images",
            {"imageIds": [{"imageTag": "v1"}, {"imageTag": "v2"}], "nextToken": "t1"},
            {"repositoryName": "web"},
        )

    def call(client: Any) -> Any:
        pages = client.get_paginator("list_images").paginate(
            repositoryName="web", PaginationConfig={"MaxItems": 1}
        )
        result = pages.build_full_result()
        return [result]

    expected, actual = run_both(boto, compat, setup, call, fill=True)
    assert_same_outcome(expected, actual, fill=True)


@pytest.fixture
def boto_waiter_sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    sleeps: list[float] = []
    monkeypatch.setattr(botocore.waiter.time, "sleep", sleeps.append)
    return sleeps


def _scan(status: str) -> dict[str, Any]:
    return {
        "repositoryName": "web",
        "imageId": {"imageTag": "v1"},
        "imageScanStatus": {"status": status, "description": status.lower()},
    }


WAITS = {
    "complete": ["IN_PROGRESS", "IN_PROGRESS", "COMPLETE"],
    "failed": ["IN_PROGRESS", "FAILED"],
    "error": [],
}


@pytest.mark.parametrize("statuses", list(WAITS.values()), ids=list(WAITS))
def test_waiter_matches_botocore(
    boto: Any, compat: Any, boto_waiter_sleeps: list[float], statuses: list[str]
) -> None:
    sleeps: list[float] = []
    compat.typed._sleep = sleeps.append
    params = {"repositoryName": "web", "imageId": {"imageTag": "v1"}}

    def setup(stubber: Any) -> None:
        for status in statuses:
            stubber.add_response("describe_image_scan_findings", _scan(status), params)
        if not statuses:
            stubber.add_client_error(
                "describe_image_scan_findings", "ScanNotFoundException", "no scan", 400
            )

    def call(client: Any) -> Any:
        return client.get_waiter("image_scan_complete").wait(
            **params, WaiterConfig={"Delay": 1, "MaxAttempts": 5}
        )

    expected, actual = run_both(boto, compat, setup, call, fill=True)
    assert_same_outcome(expected, actual, fill=True)
    if isinstance(expected.error, WaiterError):
        assert isinstance(actual.error, WaiterError)
        assert actual.error.kwargs == expected.error.kwargs
    assert sleeps == boto_waiter_sleeps == [1] * (max(len(statuses), 1) - 1)


def test_compat_waiter_accepts_a_response_without_metadata(compat: Any) -> None:
    compat.typed._sleep = lambda seconds: None
    with Stubber(compat, fill_response_metadata=False) as stubber:
        stubber.add_response("describe_image_scan_findings", _scan("COMPLETE"))
        compat.get_waiter("image_scan_complete").wait(
            repositoryName="web", imageId={"imageTag": "v1"}
        )


def test_async_compat_client(boto: Any) -> None:
    response = RESPONSES[0][1]

    with botocore.stub.Stubber(boto) as boto_stubber:
        boto_stubber.add_response("describe_repositories", response, {"repositoryNames": ["web"]})
        expected = boto.describe_repositories(repositoryNames=["web"])

    async def main() -> tuple[Any, RepositoryNotFoundException]:
        async with ecrclient.aio.client(
            "ecr", region_name=REGION, aws_access_key_id=KEY_ID, aws_secret_access_key=SECRET
        ) as client:
            assert isinstance(client, ecrclient.aio.AsyncECRCompatClient)
            with Stubber(client, fill_response_metadata=False) as stubber:
                stubber.add_response(
                    "describe_repositories", response, {"repositoryNames": ["web"]}
                )
                stubber.add_client_error("list_images", "RepositoryNotFoundException", "gone")
                got = await client.describe_repositories(repositoryNames=["web"])
                with pytest.raises(RepositoryNotFoundException) as caught:
                    await client.list_images(repositoryName="web")
                stubber.assert_no_pending_responses()
            return got, caught.value

    got, error = asyncio.run(main())
    assert got == expected
    assert error.response["Error"] == {"Message": "gone", "Code": "RepositoryNotFoundException"}


sent: list[Any] = []


def _sent(request: Any, **kwargs: Any) -> Any:
    """A ``before-send`` handler: the HTTP exchange of a call that was not stubbed."""
    from botocore.awsrequest import AWSResponse

    sent.append(request.headers["X-Amz-Target"])
    response = AWSResponse(request.url, 200, {"x-amzn-RequestId": "real"}, None)
    response._content = b'{"imageIds": [{"imageTag": "sent"}]}'
    return response


def test_activation(compat: Any) -> None:
    sent.clear()
    compat.meta.events.register("before-send.ecr.ListImages", _sent)
    stubber = Stubber(compat)
    stubber.add_response("list_images", {"imageIds": [{"imageTag": "stubbed"}]})
    assert not stubber.active
    assert compat.list_images(repositoryName="web")["imageIds"] == [{"imageTag": "sent"}]
    stubber.activate()
    stubber.activate()  # idempotent
    assert stubber.active
    with pytest.raises(RuntimeError, match="already active"):
        Stubber(compat).activate()
    assert compat.list_images(repositoryName="web")["imageIds"] == [{"imageTag": "stubbed"}]
    stubber.add_response("list_images", {"imageIds": [{"imageTag": "stubbed"}]})
    stubber.deactivate()
    stubber.deactivate()
    assert not stubber.active
    response = compat.list_images(repositoryName="web")
    assert response["imageIds"] == [{"imageTag": "sent"}]
    assert response["ResponseMetadata"]["RequestId"] == "real"
    assert sent == [b"AmazonEC2ContainerRegistry_V20150921.ListImages"] * 2
    with pytest.raises(AssertionError, match="1 responses remaining"):
        stubber.assert_no_pending_responses()
    other = Stubber(compat)  # another stubber may take over once this one is off
    with other:
        other.add_response("list_images", {})
        compat.list_images(repositoryName="web")


@FILL
def test_event_handlers_run_around_the_stub_as_in_botocore(
    boto: Any, compat: Any, fill: bool
) -> None:
    """Handlers of the code under test see what they see under botocore's Stubber."""
    seen: dict[str, list[Any]] = {"ecrclient": [], "boto3": []}

    def setup(stubber: Any) -> None:
        log = seen["ecrclient" if isinstance(stubber, Stubber) else "boto3"]
        events = stubber.client.meta.events

        def provide(params: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
            log.append(("provide-client-params", dict(params)))
            return {**params, "registryId": "123456789012"}

        def before_build(params: dict[str, Any], **kwargs: Any) -> None:
            log.append(("before-parameter-build", dict(params)))

        def after(parsed: dict[str, Any], http_response: Any, **kwargs: Any) -> None:
            keys = sorted(key for key in parsed if key != "ResponseMetadata")  # filled or not
            log.append(("after-call", http_response.status_code, keys))

        events.register("provide-client-params.ecr.ListImages", provide)
        events.register("before-parameter-build.ecr.ListImages", before_build)
        events.register("after-call.ecr.ListImages", after)
        stubber.add_response(
            "list_images",
            {"imageIds": [{"imageTag": "v1"}]},
            {"repositoryName": "web", "registryId": "123456789012"},
        )
        stubber.add_client_error("list_images", "RepositoryNotFoundException", "gone", 404)

    def call(client: Any) -> Any:
        first = client.list_images(repositoryName="web")
        client.list_images(repositoryName="api")
        return first

    expected, actual = run_both(boto, compat, setup, call, fill=fill)
    assert_same_outcome(expected, actual, fill=fill)
    boto_log, our_log = seen["boto3"], seen["ecrclient"]
    assert len(boto_log) == 6
    assert our_log == boto_log


def test_stubber_refuses_other_clients(typed: ECRClient, boto: Any) -> None:
    with pytest.raises(TypeError, match="TypedStubber"):
        Stubber(typed)
    with pytest.raises(TypeError, match=r"botocore\.stub\.Stubber"):
        Stubber(boto)
    with pytest.raises(TypeError, match=r"ecrclient\.testing\.Stubber"):
        TypedStubber(ecrclient.client("ecr", region_name=REGION))  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------
# TypedStubber.
# --------------------------------------------------------------------------------------------

DETAIL = ImageDetail(
    repository_name="web", image_digest=DIGEST, image_tags=["v1"], image_pushed_at=WHEN
)


def test_typed_response(typed: ECRClient) -> None:
    result = DescribeImagesResult(image_details=[DETAIL])
    request = DescribeImagesRequest(repository_name="web", max_results=10)
    with TypedStubber(typed) as stubber:
        stubber.add_response("describe_images", result, expected_request=request)
        stubber.add_response(typed.describe_images, result, expected_request=request)
        stubber.add_response(
            "DescribeImages", result, expected_request={"repository_name": "web", "max_results": 10}
        )
        first = typed.describe_images(repository_name="web", max_results=10)
        second = typed.describe_images(request)
        third = typed.describe_images(repository_name="web", max_results=10)
        stubber.assert_no_pending_responses()
    assert first == second == third == result
    assert result.response_metadata.is_empty  # the queued object is not changed
    assert first.response_metadata == ResponseMetadata(
        request_id="00000000-0000-0000-0000-000000000001",
        http_status_code=200,
        http_headers={
            "x-amzn-requestid": "00000000-0000-0000-0000-000000000001",
            "content-type": "application/x-amz-json-1.1",
        },
        retry_attempts=0,
    )
    assert second.response_metadata is not None
    assert second.response_metadata.request_id == "00000000-0000-0000-0000-000000000002"
    assert typed.get_cached_response_metadata(request) == second.response_metadata


def test_typed_response_keeps_its_own_metadata(typed: ECRClient) -> None:
    metadata = ResponseMetadata(request_id="mine", http_status_code=200, http_headers={})
    with TypedStubber(typed) as stubber:
        stubber.add_response(
            "list_images", ListImagesResult(next_token="t", response_metadata=metadata)
        )
        stubber.add_response("delete_lifecycle_policy")  # an empty result
        assert typed.list_images(repository_name="web").response_metadata == metadata
        assert typed.delete_lifecycle_policy(repository_name="web").repository_name is None


def test_typed_expected_request_with_any(typed: ECRClient) -> None:
    with TypedStubber(typed) as stubber:
        stubber.add_response(
            "describe_images",
            DescribeImagesResult(),
            expected_request=DescribeImagesRequest(
                repository_name=ANY, image_ids=[ImageIdentifier(image_tag=ANY)]
            ),
        )
        stubber.add_response(
            "describe_images",
            DescribeImagesResult(),
            expected_request={"repository_name": "web", "image_ids": ANY},
        )
        typed.describe_images(repository_name="web", image_ids=[ImageIdentifier(image_tag="v9")])
        typed.describe_images(repository_name="web", image_ids=(ImageIdentifier(image_tag="v9"),))


def test_typed_request_mismatch(typed: ECRClient) -> None:
    with TypedStubber(typed) as stubber:
        stubber.add_response(
            "describe_images",
            DescribeImagesResult(),
            expected_request=DescribeImagesRequest(
                repository_name="web", image_ids=[ImageIdentifier(image_tag="v1")]
            ),
        )
        with pytest.raises(StubAssertionError) as caught:
            typed.describe_images(
                repository_name="api",
                image_ids=[ImageIdentifier(image_tag="v2")],
                max_results=3,
            )
        message = str(caught.value)
        assert "operation DescribeImages" in message
        assert "request.repository_name: expected 'web', got 'api'" in message
        assert "request.image_ids[0].image_tag: expected 'v1', got 'v2'" in message
        assert "request.max_results: expected None, got 3" in message
        with pytest.raises(AssertionError, match="1 responses remaining in queue"):
            stubber.assert_no_pending_responses()  # a mismatch leaves the answer queued


def test_typed_unexpected_calls(typed: ECRClient) -> None:
    with TypedStubber(typed) as stubber:
        with pytest.raises(UnStubbedResponseError, match="operation ListImages: Unexpected API"):
            typed.list_images(repository_name="web")
        stubber.add_response("describe_repositories", DescribeRepositoriesResult())
        with pytest.raises(
            StubResponseError, match="ListImages: Operation mismatch: found response for "
        ):
            typed.list_images(repository_name="web")
        stubber.add_response("list_images", ListImagesResult())
        with pytest.raises(
            AssertionError,
            match=r"^2 responses remaining in queue\. Still queued: DescribeRepositories, ",
        ):
            stubber.assert_no_pending_responses()


def test_typed_validation_runs_first(typed: ECRClient) -> None:
    with TypedStubber(typed) as stubber:
        stubber.add_response("list_images", ListImagesResult())
        with pytest.raises(RequestValidationError, match="repository_name"):
            typed.list_images(repository_name="x")
        with pytest.raises(RequestValidationError, match="colour"):
            typed.list_images(repository_name="web", colour="blue")  # type: ignore[call-overload]
        with pytest.raises(RequestValidationError, match="either"):
            typed.list_images(ListImagesRequest(repository_name="web"), max_results=3)  # type: ignore[call-overload]
        assert typed.list_images(repository_name="web") == ListImagesResult()
        stubber.assert_no_pending_responses()


def test_typed_queueing_checks(typed: ECRClient) -> None:
    stubber = TypedStubber(typed)
    with pytest.raises(TypeError, match="returns a ListImagesResult, not a DescribeImagesResult"):
        stubber.add_response("list_images", DescribeImagesResult())
    with pytest.raises(ParamValidationError, match=r"imageIds\[0\]\.imageTag"):
        bad_tag: Any = 7
        stubber.add_response(
            "list_images", ListImagesResult(image_ids=[ImageIdentifier(image_tag=bad_tag)])
        )
    with pytest.raises(ParamValidationError, match="ListImagesResult does not fit the model"):
        stubber.add_response("list_images", ListImagesResult(image_ids=["v1"]))  # type: ignore[list-item]
    with pytest.raises(ValueError, match="does not have method: list_imagez"):
        stubber.add_response("list_imagez", ListImagesResult())
    with pytest.raises(TypeError, match="must be a ListImagesRequest"):
        stubber.add_response("list_images", ListImagesResult(), expected_request=3)
    with pytest.raises(RequestValidationError, match="colour: unknown parameter"):
        stubber.add_response(
            "list_images",
            ListImagesResult(),
            expected_request={"repository_name": "w", "colour": 1},
        )
    stubber.assert_no_pending_responses()


def test_typed_errors(typed: ECRClient) -> None:
    with TypedStubber(typed) as stubber:
        stubber.add_error("list_images", RepositoryNotFoundException, message="no web")
        stubber.add_error(
            typed.list_images, "RepositoryNotFoundException", "no web", status_code=404
        )
        stubber.add_error("list_images", "ThrottlingException", "slow down")
        stubber.add_error("list_images", ServerException, "oops")
        stubber.add_error(
            "describe_repositories", KmsException, "kms", members={"kms_error": "AccessDenied"}
        )
        stubber.add_error("describe_repositories", KmsException, "kms", members={"kmsError": "x"})

        with pytest.raises(RepositoryNotFoundException) as caught:
            typed.list_images(repository_name="web")
        fault = caught.value
        assert fault.error_code == "RepositoryNotFoundException"
        assert fault.error_message == "no web"
        assert fault.status_code == 400
        assert fault.operation_name == "ListImages"
        assert fault.request_id == "00000000-0000-0000-0000-000000000001"
        assert fault.response_metadata is not None
        assert fault.response_metadata.http_status_code == 400
        assert fault.response_metadata.request_id == fault.request_id
        assert fault.response == {
            "Error": {"Message": "no web", "Code": "RepositoryNotFoundException"},
            "ResponseMetadata": fault.response_metadata.to_boto(),
            "message": "no web",
        }
        assert str(fault) == (
            "An error occurred (RepositoryNotFoundException) when calling the ListImages "
            "operation: no web"
        )

        with pytest.raises(RepositoryNotFoundException) as caught:
            typed.list_images(repository_name="web")
        assert caught.value.status_code == 404

        with pytest.raises(AmazonECRException) as caught_base:
            typed.list_images(repository_name="web")
        assert type(caught_base.value) is AmazonECRException
        assert caught_base.value.error_code == "ThrottlingException"
        assert "message" not in caught_base.value.response

        with pytest.raises(ServerException) as caught_server:
            typed.list_images(repository_name="web")
        assert caught_server.value.status_code == 500

        for _ in range(2):
            with pytest.raises(KmsException) as caught_kms:
                typed.describe_repositories()
            assert caught_kms.value.kms_error in {"AccessDenied", "x"}
        stubber.assert_no_pending_responses()


def test_typed_error_instances(typed: ECRClient) -> None:
    network = EndpointConnectionError("no route", endpoint_url="https://example.invalid")
    bare = RepositoryNotFoundException(
        {"Error": {"Code": "RepositoryNotFoundException", "Message": "m"}}, "ListImages"
    )
    with TypedStubber(typed) as stubber:
        stubber.add_error("list_images", network)
        stubber.add_error("list_images", bare)
        with pytest.raises(EndpointConnectionError) as caught:
            typed.list_images(repository_name="web")
        assert caught.value is network
        with pytest.raises(RepositoryNotFoundException) as caught_fault:
            typed.list_images(repository_name="web")
        assert caught_fault.value.response_metadata is not None
        assert caught_fault.value.response_metadata.http_status_code == 400


def test_typed_error_checks(typed: ECRClient) -> None:
    stubber = TypedStubber(typed)
    with pytest.raises(ValueError, match="stands for no error code"):
        stubber.add_error("list_images", AmazonECRException)
    with pytest.raises(ValueError, match="KmsException has no member 'colour'"):
        stubber.add_error("list_images", KmsException, members={"colour": 1})
    with pytest.raises(TypeError, match="not a fault class"):
        stubber.add_error("list_images", ValueError)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="apply to a fault class or code"):
        stubber.add_error("list_images", ValueError("x"), message="m")
    stubber.assert_no_pending_responses()


def test_typed_activation(typed: ECRClient) -> None:
    stubber = TypedStubber(typed)
    attributes = dict(vars(typed))
    stubber.activate()
    assert vars(typed) == attributes  # plugged in through the client's seam, nothing patched
    assert stubber.active
    stubber.activate()
    with pytest.raises(RuntimeError, match="already active"):
        TypedStubber(typed).activate()
    stubber.deactivate()
    assert "_invoke" not in vars(typed)
    assert typed._invoke.__func__ is ECRClient._invoke  # type: ignore[attr-defined]


def test_typed_copies_and_closed_clients(typed: ECRClient) -> None:
    with TypedStubber(typed) as stubber:
        stubber.add_response("list_images", ListImagesResult())
        assert typed.with_options(max_attempts=5).list_images(repository_name="web") == (
            ListImagesResult()
        )
        typed.close()
        stubber.add_response("list_images", ListImagesResult())
        with pytest.raises(SdkClientError, match="closed"):
            typed.list_images(repository_name="web")


def test_typed_copies_answer_from_the_queue_exactly_while_it_is_active() -> None:
    # Port 9 on the loopback refuses at once: a call that reaches the wire fails fast.
    with ECRClient(
        region_name=REGION,
        endpoint_url="http://127.0.0.1:9",
        aws_access_key_id=KEY_ID,
        aws_secret_access_key=SECRET,
        config=ClientConfig(max_attempts=1),
    ) as client:
        copy = client.with_options(read_timeout=5)
        stubber = TypedStubber(client)
        stubber.add_response("list_images", ListImagesResult(next_token="first"))
        stubber.add_response("list_images", ListImagesResult(next_token="second"))
        with stubber:
            assert copy.list_images(repository_name="web").next_token == "first"
        with pytest.raises(EndpointConnectionError):
            copy.list_images(repository_name="web")  # deactivated: the wire, not the queue
        with pytest.raises(AssertionError):
            stubber.assert_no_pending_responses()


def _tag_pages(stubber: TypedStubber) -> None:
    stubber.add_response(
        "list_images",
        ListImagesResult(image_ids=[ImageIdentifier(image_tag="v2")], next_token="t1"),
        expected_request=ListImagesRequest(repository_name="web", max_results=1),
    )
    stubber.add_response(
        "list_images",
        ListImagesResult(image_ids=[ImageIdentifier(image_tag="v1")]),
        expected_request=ListImagesRequest(repository_name="web", max_results=1, next_token="t1"),
    )


def test_typed_paginator(typed: ECRClient) -> None:
    with TypedStubber(typed) as stubber:
        _tag_pages(stubber)
        items = list(typed.paginators.list_images(repository_name="web", page_size=1))
        _tag_pages(stubber)
        pages = list(typed.paginators.list_images(repository_name="web", page_size=1).pages())
        stubber.assert_no_pending_responses()
    assert [item.image_tag for item in items] == ["v2", "v1"]
    assert [page.next_token for page in pages] == ["t1", None]
    assert all(page.response_metadata is not None for page in pages)


def _scans(stubber: TypedStubber, *statuses: str) -> None:
    for status in statuses:
        stubber.add_response(
            "describe_image_scan_findings",
            DescribeImageScanFindingsResult(
                repository_name="web", image_scan_status=ImageScanStatus(status=status)
            ),
            expected_request={
                "repository_name": "web",
                "image_id": ImageIdentifier(image_tag="v1"),
            },
        )


def test_typed_waiter(typed: ECRClient) -> None:
    from ecrclient.waiters import WaiterError as TypedWaiterError

    sleeps: list[float] = []
    typed._sleep = sleeps.append
    with TypedStubber(typed) as stubber:
        _scans(stubber, "IN_PROGRESS", "IN_PROGRESS", "COMPLETE")
        result = typed.waiters.image_scan_complete.wait(
            repository_name="web", image_id=ImageIdentifier(image_tag="v1")
        )
        assert result.image_scan_status == ImageScanStatus(status="COMPLETE")
        assert sleeps == [5, 5]
        _scans(stubber, "FAILED")
        with pytest.raises(TypedWaiterError, match="terminal failure state"):
            typed.waiters.image_scan_complete.wait(
                repository_name="web", image_id=ImageIdentifier(image_tag="v1")
            )
        stubber.add_error("describe_image_scan_findings", "ScanNotFoundException", "no scan")
        with pytest.raises(TypedWaiterError, match="ScanNotFoundException"):
            typed.waiters.image_scan_complete.wait(
                repository_name="web", image_id=ImageIdentifier(image_tag="v1")
            )
        stubber.assert_no_pending_responses()


def test_async_typed_stubber() -> None:
    sleeps: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        sleeps.append(seconds)

    async def main() -> None:
        async with AsyncECRClient(
            region_name=REGION, aws_access_key_id=KEY_ID, aws_secret_access_key=SECRET
        ) as client:
            client._sleep = fake_sleep
            with TypedStubber(client) as stubber:
                result = DescribeImagesResult(image_details=[DETAIL])
                stubber.add_response(
                    client.describe_images,
                    result,
                    expected_request=DescribeImagesRequest(repository_name="web"),
                )
                got = await client.describe_images(repository_name="web")
                assert got == result
                assert got.response_metadata is not None

                stubber.add_error("describe_images", RepositoryNotFoundException, "gone")
                with pytest.raises(RepositoryNotFoundException, match="gone"):
                    await client.describe_images(repository_name="web")

                with pytest.raises(UnStubbedResponseError):
                    await client.describe_images(repository_name="web")
                stubber.add_response("list_images", ListImagesResult())
                with pytest.raises(StubResponseError):
                    await client.describe_images(repository_name="web")
                with pytest.raises(RequestValidationError):
                    await client.list_images(repository_name="")
                await client.list_images(repository_name="web")

                _tag_pages(stubber)
                tags = [
                    item.image_tag
                    async for item in client.paginators.list_images(
                        repository_name="web", page_size=1
                    )
                ]
                assert tags == ["v2", "v1"]

                _scans(stubber, "IN_PROGRESS", "COMPLETE")
                done = await client.waiters.image_scan_complete.wait(
                    repository_name="web", image_id=ImageIdentifier(image_tag="v1")
                )
                assert done.image_scan_status == ImageScanStatus(status="COMPLETE")
                stubber.assert_no_pending_responses()

                await client.close()
                stubber.add_response("list_images", ListImagesResult())
                with pytest.raises(SdkClientError, match="closed"):
                    await client.list_images(repository_name="web")

    asyncio.run(main())
    assert sleeps == [5]


# --------------------------------------------------------------------------------------------
# The module documentation's examples.
# --------------------------------------------------------------------------------------------


def image_tags(ecr: ECRClient, repository: str) -> list[str]:
    pages = ecr.paginators.list_images(repository_name=repository)
    return sorted(image.image_tag for image in pages if image.image_tag)


def repository_uri(ecr: Any, name: str) -> str | None:
    try:
        response = ecr.describe_repositories(repositoryNames=[name])
    except ecr.exceptions.RepositoryNotFoundException:
        return None
    return response["repositories"][0]["repositoryUri"]  # type: ignore[no-any-return]


def test_documented_typed_example(typed: ECRClient) -> None:
    ecr = typed
    with TypedStubber(ecr) as stubber:
        stubber.add_response(
            ecr.list_images,
            ListImagesResult(image_ids=[ImageIdentifier(image_tag="v2")], next_token="t1"),
            expected_request=ListImagesRequest(repository_name="web"),
        )
        stubber.add_response(
            ecr.list_images,
            ListImagesResult(image_ids=[ImageIdentifier(image_tag="v1")]),
            expected_request=ListImagesRequest(repository_name="web", next_token="t1"),
        )
        assert image_tags(ecr, "web") == ["v1", "v2"]
        stubber.assert_no_pending_responses()
    with TypedStubber(ecr) as stubber:
        stubber.add_error("list_images", RepositoryNotFoundException, message="no web")
        with pytest.raises(RepositoryNotFoundException):
            image_tags(ecr, "web")


@pytest.mark.parametrize("kind", ["ecrclient", "boto3"])
def test_documented_boto3_example(kind: str, compat: Any, boto: Any) -> None:
    ecr, stubber_class = (compat, Stubber) if kind == "ecrclient" else (boto, botocore.stub.Stubber)
    with stubber_class(ecr) as stubber:
        stubber.add_response(
            "describe_repositories",
            {"repositories": [{"repositoryName": "web", "repositoryUri": URI}]},
            expected_params={"repositoryNames": ["web"]},
        )
        stubber.add_client_error(
            "describe_repositories",
            service_error_code="RepositoryNotFoundException",
            service_message="gone",
            expected_params={"repositoryNames": ANY},
        )
        assert repository_uri(ecr, "web") == URI
        assert repository_uri(ecr, "old") is None
        stubber.assert_no_pending_responses()


# --------------------------------------------------------------------------------------------
# botocore's own Stubber on the drop-in: existing boto3 test suites keep working.
# --------------------------------------------------------------------------------------------


def _botocore_stubber_scenarios() -> dict[str, tuple[Callable[[Any], None], Callable[[Any], Any]]]:
    scenarios: dict[str, tuple[Callable[[Any], None], Callable[[Any], Any]]] = {}
    for method, response, params, expected_params in RESPONSES:

        def setup(
            stubber: Any, m: str = method, r: Any = response, e: Any = expected_params
        ) -> None:
            stubber.add_response(m, copy.deepcopy(r), e)

        scenarios[f"response-{method}"] = (setup, lambda c, m=method, p=params: getattr(c, m)(**p))
    for name, error in ERRORS.items():

        def setup_error(stubber: Any, e: dict[str, Any] = error) -> None:
            stubber.add_client_error("describe_repositories", expected_params={}, **e)

        scenarios[f"error-{name}"] = (setup_error, lambda c: c.describe_repositories())
    for name, (setup_check, call) in CHECKS.items():
        scenarios[f"check-{name}"] = (setup_check, call)
    return scenarios


BOTOCORE_STUBBER_SCENARIOS = _botocore_stubber_scenarios()


@pytest.mark.parametrize(
    "scenario", list(BOTOCORE_STUBBER_SCENARIOS.values()), ids=list(BOTOCORE_STUBBER_SCENARIOS)
)
def test_botocores_stubber_drives_the_drop_in_as_it_drives_boto3(
    boto: Any, compat: Any, scenario: tuple[Callable[[Any], None], Callable[[Any], Any]]
) -> None:
    setup, call = scenario
    expected = _run(botocore.stub.Stubber(boto), boto, setup, call)
    actual = _run(botocore.stub.Stubber(compat), compat, setup, call)
    assert_same_outcome(expected, actual, fill=False)


def test_botocores_stubber_drives_the_async_drop_in() -> None:
    import asyncio

    import ecrclient.aio

    async def scenario() -> tuple[Any, str]:
        client = ecrclient.aio.client(
            "ecr", region_name=REGION, aws_access_key_id=KEY_ID, aws_secret_access_key=SECRET
        )
        stubber = botocore.stub.Stubber(client)
        stubber.add_response(
            "list_images", {"imageIds": [{"imageTag": "v1"}]}, {"repositoryName": "web"}
        )
        stubber.add_client_error("describe_repositories", "RepositoryNotFoundException", "gone")
        with stubber:
            listed = await client.list_images(repositoryName="web")
            with pytest.raises(client.exceptions.RepositoryNotFoundException) as caught:
                await client.describe_repositories()
            stubber.assert_no_pending_responses()
        await client.close()
        return listed, str(caught.value)

    listed, message = asyncio.run(scenario())
    assert listed == {"imageIds": [{"imageTag": "v1"}]}
    assert "RepositoryNotFoundException" in message and "gone" in message
