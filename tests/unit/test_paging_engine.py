"""The sans-IO pagination engine, with botocore's own paginator as the oracle.

A fake ECR serves pages computed from each request (offset in the token, ``maxResults`` or a
default page size), so botocore and the engine can each make whatever requests they decide to;
the tests assert that they decide the same: the same requests, the same (truncated) pages, the
same resume tokens and the same ``build_full_result``.
"""

from __future__ import annotations

import asyncio
import base64
import copy
import json
import pickle
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs
import boto3
import botocore
import pytest
from botocore import exceptions as boto_exceptions
from botocore import xform_name
from botocore.awsrequest import AWSResponse
from botocore.paginate import PageIterator, TokenEncoder
from botocore.stub import Stubber

from ecrclient._core.errors import SdkClientError
from ecrclient._core.paging import (
    TRUNCATE_KEY,
    InvalidStartingTokenError,
    Pager,
    PaginationError,
    PaginatorSpec,
    build_full_result,
    encode_token,
    parse_starting_token,
    search_path,
    set_path,
)

MODEL_DIR = Path(botocore.__file__).parent / "data" / "ecr" / "2015-09-21"
PAGINATORS: dict[str, dict[str, Any]] = json.loads((MODEL_DIR / "paginators-1.json").read_text())[
    "pagination"
]
SPECS = {name: PaginatorSpec.from_model(config) for name, config in PAGINATORS.items()}

REQUIRED_PARAMS: dict[str, dict[str, Any]] = {
    "ListImages": {"repositoryName": "repo"},
    "DescribeImages": {"repositoryName": "repo"},
    "DescribeRepositories": {},
    "DescribeImageScanFindings": {"repositoryName": "repo", "imageId": {"imageTag": "latest"}},
    "GetLifecyclePolicyPreview": {"repositoryName": "repo"},
    "DescribePullThroughCacheRules": {},
    "DescribeRepositoryCreationTemplates": {},
    "DescribeReplicationBackfillResults": {
        "replicationBackfillId": "6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f"
    },
    "ListReplicationBackfills": {},
}

# -- a fake service -----------------------------------------------------------------------------


@attrs.define
class FakeService:
    """Pages of ``lists`` (dotted path to items; ``None`` leaves the path out of every page)."""

    lists: dict[str, list[Any] | None]
    static: dict[str, Any] = attrs.Factory(dict)
    default_page_size: int = 3
    token_path: str = "nextToken"
    stuck_token: str | None = None
    """When set, every page carries this token (a misbehaving service)."""
    last_token: str | None = None
    """When set, the last page carries this token instead of none (e.g. ``""``)."""

    def __call__(self, request: Mapping[str, Any]) -> dict[str, Any]:
        token = request.get("nextToken")
        offset = 0 if token is None or token == self.stuck_token else int(token[4:].split("_")[0])
        size = request.get("maxResults", self.default_page_size)
        page = copy.deepcopy(self.static)
        total = max(len(items) for items in self.lists.values() if items is not None)
        for path, items in self.lists.items():
            if items is not None:
                set_path(page, path, copy.deepcopy(items[offset : offset + size]))
        if self.stuck_token is not None:
            set_path(page, self.token_path, self.stuck_token)
        elif offset + size < total:
            set_path(page, self.token_path, f"tok-{offset + size}")
        elif self.last_token is not None:
            set_path(page, self.token_path, self.last_token)
        return page


def items(prefix: str, count: int, field: str = "name") -> list[dict[str, Any]]:
    return [{field: f"{prefix}{index}"} for index in range(count)]


# -- the two runners ----------------------------------------------------------------------------


@attrs.frozen
class Run:
    requests: list[dict[str, Any]]
    pages: list[dict[str, Any]]
    resume_token: str | None
    full_result: dict[str, Any] | None = None
    error: str | None = None


def strip(page: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in page.items() if key != "ResponseMetadata"}


class Botocore:
    """One boto3 client whose calls are answered by whatever service is plugged in."""

    def __init__(self) -> None:
        self.client = boto3.client(
            "ecr", region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b"
        )
        self.service: Callable[[Mapping[str, Any]], dict[str, Any]] | None = None
        self.sent: list[dict[str, Any]] = []
        self.client.meta.events.register("before-parameter-build.ecr.*", self._capture)
        self.client.meta.events.register("before-call.ecr.*", self._respond)

    def _capture(self, params: dict[str, Any], **kwargs: Any) -> None:
        self.sent.append(copy.deepcopy(params))

    def _respond(self, **kwargs: Any) -> tuple[AWSResponse, dict[str, Any]]:
        assert self.service is not None
        return AWSResponse(None, 200, {}, None), self.service(copy.deepcopy(self.sent[-1]))

    def iterator(
        self, operation: str, params: Mapping[str, Any], config: Mapping[str, Any]
    ) -> PageIterator:
        paginator = self.client.get_paginator(xform_name(operation))
        return paginator.paginate(**copy.deepcopy(dict(params)), PaginationConfig=dict(config))

    def run(
        self,
        operation: str,
        params: Mapping[str, Any],
        service: FakeService,
        *,
        page_size: int | None = None,
        max_items: int | None = None,
        starting_token: str | None = None,
    ) -> Run:
        config = {
            key: value
            for key, value in (
                ("PageSize", page_size),
                ("MaxItems", max_items),
                ("StartingToken", starting_token),
            )
            if value is not None
        }
        self.service, self.sent = service, []
        iterator = self.iterator(operation, params, config)
        pages, error = [], None
        try:
            for page in iterator:
                pages.append(copy.deepcopy(strip(page)))
        except boto_exceptions.PaginationError as exc:
            error = str(exc)
        requests = self.sent
        full = None
        if error is None:
            self.sent = []
            full = strip(self.iterator(operation, params, config).build_full_result())
        return Run(requests, pages, iterator.resume_token, full, error)


def engine_run(
    operation: str,
    params: Mapping[str, Any],
    service: FakeService,
    *,
    page_size: int | None = None,
    max_items: int | None = None,
    starting_token: str | None = None,
) -> Run:
    spec = SPECS[operation]
    pager = Pager(
        spec, params, page_size=page_size, max_items=max_items, starting_token=starting_token
    )
    requests, pages, error = [], [], None
    try:
        while (request := pager.next_request()) is not None:
            requests.append(request)
            pages.append(pager.accept(service(copy.deepcopy(request))))
    except PaginationError as exc:
        error = str(exc)
    full = None if error else build_full_result(spec, pages, resume_token=pager.resume_token)
    return Run(requests, pages, pager.resume_token, full, error)


@pytest.fixture(scope="module")
def boto() -> Botocore:
    return Botocore()


def assert_same_chain(
    boto: Botocore,
    operation: str,
    service: FakeService,
    *,
    page_size: int | None = None,
    max_items: int | None = None,
    starting_token: str | None = None,
    params: Mapping[str, Any] | None = None,
    max_legs: int = 12,
) -> list[Run]:
    """Run, then resume from each resume token, in both; every leg must agree exactly."""
    params = REQUIRED_PARAMS[operation] if params is None else params
    token, runs = starting_token, []
    for _ in range(max_legs):
        kwargs: dict[str, Any] = {
            "page_size": page_size,
            "max_items": max_items,
            "starting_token": token,
        }
        expected = boto.run(operation, params, service, **kwargs)
        actual = engine_run(operation, params, service, **kwargs)
        assert actual.requests == expected.requests
        assert actual.pages == expected.pages
        assert actual.resume_token == expected.resume_token
        assert actual.error == expected.error
        assert actual.full_result == expected.full_result
        runs.append(actual)
        if actual.resume_token is None or actual.resume_token == token:
            break
        token = actual.resume_token
    return runs


# -- differential: botocore as the oracle -------------------------------------------------------

PAGE_SIZES = [None, 1, 2, 3, 5, 20]
MAX_ITEMS = [None, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 50]


@pytest.mark.parametrize("page_size", PAGE_SIZES)
@pytest.mark.parametrize("max_items", MAX_ITEMS)
def test_list_images_matches_botocore(
    boto: Botocore, page_size: int | None, max_items: int | None
) -> None:
    service = FakeService({"imageIds": items("sha", 8, "imageTag")})
    runs = assert_same_chain(boto, "ListImages", service, page_size=page_size, max_items=max_items)
    if max_items:
        # Chained legs hand out every item exactly once.
        handed_out = [item for run in runs for page in run.pages for item in page["imageIds"]]
        assert handed_out == items("sha", 8, "imageTag")


@pytest.mark.parametrize("operation", sorted(SPECS))
@pytest.mark.parametrize(("page_size", "max_items"), [(None, None), (2, 3), (None, 4), (4, 1)])
def test_every_ecr_paginator_matches_botocore(
    boto: Botocore, operation: str, page_size: int | None, max_items: int | None
) -> None:
    spec = SPECS[operation]
    lists: dict[str, list[Any] | None] = {
        path: items(f"{path}-", 7 - 2 * index) for index, path in enumerate(spec.result_keys)
    }
    static: dict[str, Any] = {}
    for path in spec.non_aggregate_keys:
        if path not in ("registryId", "imageId", "imageScanStatus", "imageScanFindings"):
            set_path(static, path, "x" if path != "summary" else {"expiringImageTotalCount": 2})
    service = FakeService(lists, static)
    assert_same_chain(boto, operation, service, page_size=page_size, max_items=max_items)


def scan_findings_service(
    findings: int | None, enhanced: int | None, *, page: int = 3
) -> FakeService:
    return FakeService(
        {
            "imageScanFindings.findings": None
            if findings is None
            else [{"name": f"CVE-{i}", "severity": "HIGH"} for i in range(findings)],
            "imageScanFindings.enhancedFindings": None
            if enhanced is None
            else [{"findingArn": f"arn:finding/{i}"} for i in range(enhanced)],
        },
        {
            "registryId": "123456789012",
            "repositoryName": "repo",
            "imageId": {"imageDigest": "sha256:abc", "imageTag": "latest"},
            "imageScanStatus": {"status": "COMPLETE", "description": "done"},
            "imageScanFindings": {"findingSeverityCounts": {"HIGH": 7}},
        },
        default_page_size=page,
    )


@pytest.mark.parametrize(
    ("findings", "enhanced"), [(7, 4), (4, 7), (7, None), (None, 7), (0, 5), (6, 6)]
)
@pytest.mark.parametrize("page_size", [None, 2, 4])
@pytest.mark.parametrize("max_items", [None, 1, 2, 3, 5, 7, 8])
def test_scan_findings_two_result_keys_match_botocore(
    boto: Botocore,
    findings: int | None,
    enhanced: int | None,
    page_size: int | None,
    max_items: int | None,
) -> None:
    service = scan_findings_service(findings, enhanced)
    assert_same_chain(
        boto, "DescribeImageScanFindings", service, page_size=page_size, max_items=max_items
    )


def test_scan_findings_full_result_aggregates_both_keys_and_keeps_first_page_parts(
    boto: Botocore,
) -> None:
    service = scan_findings_service(7, 4)
    (run,) = assert_same_chain(boto, "DescribeImageScanFindings", service)
    assert run.full_result is not None
    findings = run.full_result["imageScanFindings"]
    assert [f["name"] for f in findings["findings"]] == [f"CVE-{i}" for i in range(7)]
    assert len(findings["enhancedFindings"]) == 4
    assert findings["findingSeverityCounts"] == {"HIGH": 7}
    assert run.full_result["imageScanStatus"] == {"status": "COMPLETE", "description": "done"}
    assert "NextToken" not in run.full_result


def test_full_result_carries_next_token_when_truncated(boto: Botocore) -> None:
    service = FakeService({"imageIds": items("sha", 8, "imageTag")})
    (run, *_) = assert_same_chain(boto, "ListImages", service, max_items=4)
    assert run.full_result is not None
    assert run.full_result["NextToken"] == run.resume_token
    assert json.loads(base64.b64decode(run.resume_token or "")) == {
        "nextToken": "tok-3",
        TRUNCATE_KEY: 1,
    }


def test_absent_non_aggregate_keys_are_none_in_the_full_result(boto: Botocore) -> None:
    service = FakeService({"previewResults": items("r", 5)}, {"status": "COMPLETE"})
    (run,) = assert_same_chain(boto, "GetLifecyclePolicyPreview", service)
    assert run.full_result is not None
    assert run.full_result["registryId"] is None
    assert run.full_result["status"] == "COMPLETE"


@pytest.mark.parametrize(
    "starting_token",
    [
        "tok-3",  # a raw service token
        "tok-3___2",  # the old "<token>___<index>" form
        "None___1",  # the old form, from the first page
        "tok-3___x",  # not the old form after all: an opaque token
        encode_token({"nextToken": "tok-3", TRUNCATE_KEY: 1}),
        encode_token({"nextToken": None, TRUNCATE_KEY: 2}),
        encode_token({"nextToken": "tok-6"}),
        encode_token({"nextToken": "tok-3", TRUNCATE_KEY: 0}),
    ],
)
@pytest.mark.parametrize("max_items", [None, 1, 2, 4])
@pytest.mark.parametrize("operation", ["ListImages", "DescribeImageScanFindings"])
def test_starting_tokens_match_botocore(
    boto: Botocore, starting_token: str, max_items: int | None, operation: str
) -> None:
    if operation == "ListImages":
        service = FakeService({"imageIds": items("sha", 8, "imageTag")})
    else:
        service = scan_findings_service(8, 5)
    assert_same_chain(boto, operation, service, max_items=max_items, starting_token=starting_token)


def test_resuming_blanks_secondary_result_keys_on_the_first_page_like_botocore(
    boto: Botocore,
) -> None:
    service = scan_findings_service(8, 5)
    token = encode_token({"nextToken": "tok-3", TRUNCATE_KEY: 1})
    (run,) = assert_same_chain(boto, "DescribeImageScanFindings", service, starting_token=token)
    first = run.pages[0]["imageScanFindings"]
    assert [f["name"] for f in first["findings"]] == ["CVE-4", "CVE-5"]
    assert first["enhancedFindings"] == []
    # botocore blanks them on a page-boundary or raw token too: a known botocore quirk, kept.
    (run,) = assert_same_chain(boto, "DescribeImageScanFindings", service, starting_token="tok-3")
    assert run.pages[0]["imageScanFindings"]["enhancedFindings"] == []


def test_resumed_scan_without_findings_on_the_first_page_matches_botocore(
    boto: Botocore,
) -> None:
    # The first resumed page lacks enhancedFindings; botocore sets it to None there, and that
    # None then overwrites the aggregate in build_full_result. Reproduced, not endorsed.
    service = FakeService(
        {
            "imageScanFindings.findings": [{"name": f"CVE-{i}"} for i in range(6)],
            "imageScanFindings.enhancedFindings": None,
        },
        {"imageScanFindings": {"findingSeverityCounts": {"LOW": 6}}},
    )
    (run,) = assert_same_chain(boto, "DescribeImageScanFindings", service, starting_token="tok-3")
    assert run.full_result is not None
    assert run.full_result["imageScanFindings"]["enhancedFindings"] is None


def test_empty_next_token_ends_pagination_like_botocore(boto: Botocore) -> None:
    service = FakeService({"imageIds": items("sha", 5, "imageTag")}, last_token="")
    (run,) = assert_same_chain(boto, "ListImages", service)
    assert len(run.requests) == 2


def test_repeated_token_raises_after_the_page_like_botocore(boto: Botocore) -> None:
    service = FakeService({"imageIds": items("sha", 5, "imageTag")}, stuck_token="tok-0")
    (run,) = assert_same_chain(boto, "ListImages", service)
    assert len(run.pages) == 2
    assert run.error == (
        "Error during pagination: The same next token was received twice: {'nextToken': 'tok-0'}"
    )


def test_repeated_token_equal_to_the_starting_token_is_not_an_error(boto: Botocore) -> None:
    service = FakeService({"imageIds": items("sha", 5, "imageTag")}, stuck_token="tok-0")
    runs = assert_same_chain(boto, "ListImages", service, starting_token="tok-0")
    assert len(runs[0].pages) == 2 and runs[0].error is not None


def test_user_supplied_limit_and_token_members_pass_through(boto: Botocore) -> None:
    service = FakeService({"imageIds": items("sha", 8, "imageTag")})
    params = {"repositoryName": "repo", "maxResults": 2, "nextToken": "tok-2"}
    assert_same_chain(boto, "ListImages", service, params=params, max_items=3)
    assert_same_chain(boto, "ListImages", service, params=params, page_size=4)


def test_stubber_sees_the_requests_the_engine_makes() -> None:
    """Scripted pages through botocore's Stubber, expecting exactly the engine's requests."""
    spec = SPECS["DescribeImageScanFindings"]
    scripted = [scan_findings_service(7, 4, page=3)(r) for r in ({}, {"nextToken": "tok-3"})]
    params = REQUIRED_PARAMS["DescribeImageScanFindings"]
    pager = Pager(spec, params, page_size=3, max_items=5)
    requests, pages = [], []
    responses = iter(scripted)
    while (request := pager.next_request()) is not None:
        requests.append(request)
        pages.append(pager.accept(copy.deepcopy(next(responses))))

    client = boto3.client(
        "ecr", region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b"
    )
    with Stubber(client) as stubber:
        for response, request in zip(scripted, requests, strict=True):
            stubber.add_response("describe_image_scan_findings", response, request)
        paginator = client.get_paginator("describe_image_scan_findings")
        iterator = paginator.paginate(**params, PaginationConfig={"PageSize": 3, "MaxItems": 5})
        boto_pages = [strip(page) for page in iterator]
        stubber.assert_no_pending_responses()
    assert pages == boto_pages
    assert pager.resume_token == iterator.resume_token


# -- tokens -------------------------------------------------------------------------------------


def botocore_parse(token: str, input_token: list[str]) -> tuple[dict[str, Any], int]:
    iterator = PageIterator(None, input_token, [], None, [], [], None, None, token, None, {})
    parsed: tuple[dict[str, Any], int] = iterator._parse_starting_token()
    return parsed


@pytest.mark.parametrize(
    "token",
    [
        "abc",
        "tok-3",
        "tok-3___2",
        "None___4",
        "a___b",
        "eyJuZXh0VG9rZW4iOiAiYWJjIn0=",
        encode_token({"nextToken": "t", TRUNCATE_KEY: 3}),
        encode_token({"nextToken": None, TRUNCATE_KEY: 0}),
        encode_token({"nextToken": "ünïcode"}),
    ],
)
def test_parse_starting_token_matches_botocore(token: str) -> None:
    spec = SPECS["ListImages"]
    assert parse_starting_token(spec, token) == botocore_parse(token, ["nextToken"])


def test_parse_starting_token_with_two_input_tokens_matches_botocore() -> None:
    spec = PaginatorSpec(input_token=("a", "b"), output_token=("A", "B"), result_keys=("Items",))
    for token in ("x", "x___y", "x___y___3", "None___y", encode_token({"a": 1, "b": "z"})):
        assert parse_starting_token(spec, token) == botocore_parse(token, ["a", "b"])


@pytest.mark.parametrize(
    "token",
    [
        "a___b___c",  # more parts than input tokens
        "tok___-1",  # negative index
        encode_token({"other": "x"}),
        encode_token({"nextToken": "x", "extra": 1}),
        encode_token({"nextToken": "x", TRUNCATE_KEY: "2"}),
        encode_token({"nextToken": "x", TRUNCATE_KEY: -1}),
    ],
)
def test_bad_starting_tokens_fail_before_any_request(token: str) -> None:
    with pytest.raises(InvalidStartingTokenError, match="Bad starting token") as info:
        Pager(SPECS["ListImages"], {"repositoryName": "r"}, starting_token=token)
    assert isinstance(info.value, ValueError)
    assert isinstance(info.value, boto_exceptions.PaginationError)


def test_encode_token_matches_botocore() -> None:
    for token in ({"nextToken": "abc"}, {"nextToken": None, TRUNCATE_KEY: 4}, {"a": "ü"}):
        assert encode_token(token) == TokenEncoder().encode(token)


# -- the protocol -------------------------------------------------------------------------------


def test_driver_loop_protocol_and_no_mutation() -> None:
    spec = SPECS["ListImages"]
    request = {"repositoryName": "repo", "filter": {"tagStatus": "TAGGED"}}
    before = copy.deepcopy(request)
    service = FakeService({"imageIds": items("sha", 5, "imageTag")})
    pager = Pager(spec, request, page_size=2, max_items=3)
    assert not pager.done and pager.resume_token is None
    first = pager.next_request()
    assert first == {**request, "maxResults": 2}
    assert pager.next_request() == first  # asking again gives the same request
    response = service(first)
    frozen = copy.deepcopy(response)
    page = pager.accept(response)
    assert response == frozen and page == response
    second = pager.next_request()
    assert second == {**request, "maxResults": 2, "nextToken": "tok-2"}
    response = service(second)
    frozen = copy.deepcopy(response)
    page = pager.accept(response)
    assert response == frozen  # the caller's response is untouched by truncation
    assert page["imageIds"] == [{"imageTag": "sha2"}]
    assert pager.done and pager.total_items == 3
    assert pager.next_request() is None
    assert request == before
    assert json.loads(base64.b64decode(pager.resume_token or "")) == {
        "nextToken": "tok-2",
        TRUNCATE_KEY: 1,
    }


def test_accept_without_a_request_is_a_usage_error() -> None:
    pager = Pager(SPECS["ListImages"], {"repositoryName": "repo"})
    with pytest.raises(RuntimeError):
        pager.accept({"imageIds": []})
    pager.next_request()
    pager.accept({"imageIds": []})
    with pytest.raises(RuntimeError):
        pager.accept({"imageIds": []})


def test_nested_result_key_truncation_does_not_touch_the_response() -> None:
    spec = SPECS["DescribeImageScanFindings"]
    pager = Pager(spec, REQUIRED_PARAMS["DescribeImageScanFindings"], max_items=1)
    pager.next_request()
    response = scan_findings_service(3, 2)({})
    frozen = copy.deepcopy(response)
    page = pager.accept(response)
    assert response == frozen
    assert page["imageScanFindings"]["findings"] == [{"name": "CVE-0", "severity": "HIGH"}]
    assert (
        page["imageScanFindings"]["enhancedFindings"]
        == frozen["imageScanFindings"]["enhancedFindings"]
    )


def test_async_driver_uses_the_same_protocol() -> None:
    spec = SPECS["DescribeRepositories"]
    service = FakeService({"repositories": items("repo", 7, "repositoryName")})

    async def send(request: dict[str, Any]) -> dict[str, Any]:
        await asyncio.sleep(0)
        return service(request)

    async def collect() -> list[dict[str, Any]]:
        pager = Pager(spec, {}, page_size=3)
        pages = []
        while (request := pager.next_request()) is not None:
            pages.append(pager.accept(await send(request)))
        return pages

    pages = asyncio.run(collect())
    assert [len(page["repositories"]) for page in pages] == [3, 3, 1]


def test_repeated_token_error_keeps_raising() -> None:
    pager = Pager(SPECS["ListImages"], {"repositoryName": "r"})
    for _ in range(2):
        pager.next_request()
        pager.accept({"imageIds": [], "nextToken": "same"})
    for _ in range(2):
        with pytest.raises(PaginationError, match="received twice"):
            pager.next_request()


def test_page_size_without_limit_key_is_botocore_s_error() -> None:
    spec = PaginatorSpec(input_token=("t",), output_token=("t",), result_keys=("items",))
    with pytest.raises(PaginationError) as info:
        Pager(spec, {}, page_size=5)
    assert str(info.value) == (
        "Error during pagination: PageSize parameter is not supported for the pagination "
        "interface for this operation."
    )


@pytest.mark.parametrize("max_items", [-1, True])
def test_negative_max_items_is_rejected(max_items: int) -> None:
    with pytest.raises(PaginationError, match="MaxItems"):
        Pager(SPECS["ListImages"], {}, max_items=max_items)


def test_pagination_error_is_botocore_s_and_pickles() -> None:
    error = PaginationError("The same next token was received twice: {'nextToken': 'x'}")
    assert isinstance(error, SdkClientError)
    assert isinstance(error, boto_exceptions.PaginationError)
    copied = pickle.loads(pickle.dumps(error))
    assert type(copied) is PaginationError and str(copied) == str(error)
    assert str(error) == str(
        boto_exceptions.PaginationError(
            message="The same next token was received twice: {'nextToken': 'x'}"
        )
    )


# -- specs and paths ----------------------------------------------------------------------------


def test_specs_load_from_the_ecr_model() -> None:
    assert len(SPECS) == 9
    scan = SPECS["DescribeImageScanFindings"]
    assert scan == PaginatorSpec(
        input_token=("nextToken",),
        output_token=("nextToken",),
        limit_key="maxResults",
        result_keys=("imageScanFindings.findings", "imageScanFindings.enhancedFindings"),
        non_aggregate_keys=(
            "registryId",
            "repositoryName",
            "imageId",
            "imageScanStatus",
            "imageScanFindings",
        ),
    )
    assert SPECS["ListImages"].result_keys == ("imageIds",)
    assert SPECS["ListImages"].non_aggregate_keys == ()


@pytest.mark.parametrize(
    "kwargs",
    [
        {"input_token": (), "output_token": (), "result_keys": ("a",)},
        {"input_token": ("a", "b"), "output_token": ("a",), "result_keys": ("a",)},
        {"input_token": ("a",), "output_token": ("a",), "result_keys": ()},
        {"input_token": ("a",), "output_token": ("Contents[-1].Key",), "result_keys": ("a",)},
        {"input_token": ("a.b",), "output_token": ("a",), "result_keys": ("a",)},
        {"input_token": ("a",), "output_token": ("a",), "result_keys": ("a..b",)},
    ],
)
def test_invalid_specs_are_rejected(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="invalid paginator"):
        PaginatorSpec(**kwargs)


def test_from_model_rejects_settings_it_does_not_implement() -> None:
    config = {**PAGINATORS["ListImages"], "more_results": "IsTruncated"}
    with pytest.raises(ValueError, match="more_results"):
        PaginatorSpec.from_model(config)


def test_search_and_set_path() -> None:
    data: dict[str, Any] = {"a": {"b": [1, 2]}, "c": None, "d": [{"e": 1}]}
    assert search_path(data, "a.b") == [1, 2]
    assert search_path(data, "a.x") is None
    assert search_path(data, "c.x") is None
    assert search_path(data, "d.e") is None  # like jmespath: no field of a list
    set_path(data, "x.y.z", 1)
    assert data["x"] == {"y": {"z": 1}}
    set_path(data, "a.b", [])
    assert data["a"] == {"b": []}
    with pytest.raises(TypeError):
        set_path(data, "d.e", 1)
    with pytest.raises(TypeError):
        set_path(data, "c.e", 1)


def test_build_full_result_does_not_mutate_pages() -> None:
    spec = SPECS["DescribeImageScanFindings"]
    pages = [scan_findings_service(5, 2)({}), scan_findings_service(5, 2)({"nextToken": "tok-3"})]
    frozen = copy.deepcopy(pages)
    full = build_full_result(spec, pages)
    assert pages == frozen
    assert len(full["imageScanFindings"]["findings"]) == 5
    full["imageScanFindings"]["findingSeverityCounts"]["HIGH"] = 0
    assert pages == frozen


def test_build_full_result_of_numbers_and_strings_adds_them_like_botocore() -> None:
    spec = PaginatorSpec(
        input_token=("t",), output_token=("t",), result_keys=("Items", "Count", "Text")
    )
    pages = [{"Items": [1], "Count": 1, "Text": "a"}, {"Items": [2, 3], "Count": 2, "Text": "b"}]
    assert build_full_result(spec, pages) == {"Items": [1, 2, 3], "Count": 3, "Text": "ab"}
    assert build_full_result(spec, []) == {}


def _all_pages(pager: Pager, service: FakeService) -> Iterator[dict[str, Any]]:
    while (request := pager.next_request()) is not None:
        yield pager.accept(service(request))


def test_non_aggregate_part_is_from_the_first_page() -> None:
    spec = SPECS["DescribeRepositoryCreationTemplates"]
    service = FakeService({"repositoryCreationTemplates": items("t", 4, "prefix")})
    pager = Pager(spec, {}, page_size=2)
    list(_all_pages(pager, service))
    assert pager.non_aggregate_part == {"registryId": None}
