"""Typed paginators and waiters over scripted answers (respx), sleeps injected."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import respx
from blocking import MOCKABLE_CLIENT_KINDS, make_client

from ecrclient import ClientConfig, ECRClient
from ecrclient._core.paging import InvalidStartingTokenError, PaginationError
from ecrclient._core.waiting import WaiterConfigError, WaiterError
from ecrclient.errors import RepositoryNotFoundException, RequestValidationError
from ecrclient.model import (
    DescribeImageScanFindingsResult,
    ImageIdentifier,
    ListImagesRequest,
    ListImagesResult,
)

ENDPOINT = "https://ecr.paging.example"


@pytest.fixture(params=MOCKABLE_CLIENT_KINDS)
def client(request: pytest.FixtureRequest) -> Iterator[ECRClient]:
    with make_client(
        request.param,
        region_name="us-east-1",
        endpoint_url=ENDPOINT,
        aws_access_key_id="AKID",
        aws_secret_access_key="secret",
        config=ClientConfig(max_attempts=1),
    ) as ecr:
        ecr.sleeps = []  # type: ignore[attr-defined]
        ecr._sleep = ecr.sleeps.append  # type: ignore[attr-defined]
        yield ecr


def pages_of(*pages: dict[str, Any]) -> list[httpx.Response]:
    return [httpx.Response(200, json=page) for page in pages]


def image_page(tags: list[str], token: str | None) -> dict[str, Any]:
    page: dict[str, Any] = {"imageIds": [{"imageTag": tag} for tag in tags]}
    if token is not None:
        page["nextToken"] = token
    return page


THREE_PAGES = [
    image_page(["a", "b", "c"], "t1"),
    image_page([], "t2"),  # an empty page in the middle
    image_page(["d", "e"], None),
]


def run(client: ECRClient, script: list[dict[str, Any]], consume: Any) -> tuple[Any, list[Any]]:
    with respx.mock() as router:
        route = router.post(f"{ENDPOINT}/").mock(side_effect=pages_of(*script))
        value = consume()
        bodies = [json.loads(call.request.content) for call in route.calls]
    return value, bodies


def test_items_across_pages_including_an_empty_one(client: ECRClient) -> None:
    paginator = client.paginators.list_images(repository_name="web", page_size=3)
    tags, bodies = run(client, THREE_PAGES, lambda: [i.image_tag for i in paginator])
    assert tags == ["a", "b", "c", "d", "e"]
    assert bodies == [
        {"repositoryName": "web", "maxResults": 3},
        {"repositoryName": "web", "maxResults": 3, "nextToken": "t1"},
        {"repositoryName": "web", "maxResults": 3, "nextToken": "t2"},
    ]


def test_pages_are_the_typed_results_the_calls_returned(client: ECRClient) -> None:
    paginator = client.paginators.list_images(ListImagesRequest(repository_name="web"))
    pages, _ = run(client, THREE_PAGES, lambda: list(paginator.pages()))
    assert all(type(page) is ListImagesResult for page in pages)
    assert [page.next_token for page in pages] == ["t1", "t2", None]
    assert all(page.response_metadata is not None for page in pages)
    first: list[ImageIdentifier] = list(pages[0].image_ids)
    assert first == [ImageIdentifier(image_tag=t) for t in "abc"]


def test_max_items_and_resuming(client: ECRClient) -> None:
    paginator = client.paginators.list_images(repository_name="web", max_items=4)
    tags, bodies = run(client, THREE_PAGES, lambda: [i.image_tag for i in paginator])
    assert tags == ["a", "b", "c", "d"]
    assert len(bodies) == 3
    token = paginator.resume_token
    assert token is not None
    rest = client.paginators.list_images(repository_name="web", starting_token=token)
    tags, bodies = run(client, [image_page(["d", "e"], None)], lambda: [i.image_tag for i in rest])
    assert tags == ["e"]
    assert bodies == [{"repositoryName": "web", "nextToken": "t2"}]
    assert rest.resume_token is None


def test_a_repeated_token_is_an_error_not_a_loop(client: ECRClient) -> None:
    paginator = client.paginators.list_images(repository_name="web")
    script = [image_page(["a"], "same"), image_page(["b"], "same"), image_page(["c"], "same")]
    with pytest.raises(PaginationError, match="same"):
        run(client, script, lambda: list(paginator))


def test_bad_input_fails_before_fetching(client: ECRClient) -> None:
    with respx.mock(assert_all_called=False) as router:
        route = router.post(f"{ENDPOINT}/")
        with pytest.raises(RequestValidationError):
            client.paginators.list_images(repository_name="X")
        with pytest.raises(InvalidStartingTokenError):
            list(client.paginators.list_images(repository_name="web", starting_token="e30="))
        assert not route.called


def test_scan_findings_keep_both_result_keys(client: ECRClient) -> None:
    script = [
        {
            "imageScanFindings": {
                "findings": [{"name": "CVE-1"}],
                "enhancedFindings": [{"title": "enh-1"}],
            },
            "repositoryName": "web",
            "nextToken": "t1",
        },
        {
            "imageScanFindings": {"findings": [{"name": "CVE-2"}], "enhancedFindings": []},
            "repositoryName": "web",
        },
    ]
    paginator = client.paginators.describe_image_scan_findings(
        repository_name="web", image_id=ImageIdentifier(image_tag="v1")
    )
    pages, _ = run(client, script, lambda: list(paginator.pages()))
    assert all(type(p) is DescribeImageScanFindingsResult for p in pages)
    assert [f.name for p in pages for f in p.image_scan_findings.findings] == ["CVE-1", "CVE-2"]
    assert [e.title for p in pages for e in p.image_scan_findings.enhanced_findings] == ["enh-1"]
    names, _ = run(client, script, lambda: [f.name for f in paginator])
    assert names == ["CVE-1", "CVE-2"]


def test_max_items_cuts_the_typed_page(client: ECRClient) -> None:
    paginator = client.paginators.list_images(repository_name="web", max_items=2)
    pages, _ = run(client, THREE_PAGES, lambda: list(paginator.pages()))
    assert len(pages) == 1
    assert [i.image_tag for i in pages[0].image_ids] == ["a", "b"]
    # As in botocore, the cut page keeps the service's token; resume_token says where to go on.
    assert pages[0].next_token == "t1"
    assert paginator.resume_token is not None


# -- waiters ---------------------------------------------------------------------------------


def scan(status: str | None) -> dict[str, Any]:
    page: dict[str, Any] = {"repositoryName": "web", "imageId": {"imageTag": "v1"}}
    if status is not None:
        page["imageScanStatus"] = {"status": status}
    return page


def wait(client: ECRClient, script: list[Any], **options: Any) -> tuple[Any, int]:
    responses = [
        s if isinstance(s, httpx.Response) else httpx.Response(200, json=s) for s in script
    ]
    with respx.mock() as router:
        route = router.post(f"{ENDPOINT}/").mock(side_effect=responses)
        try:
            return (
                client.waiters.image_scan_complete.wait(
                    repository_name="web", image_id=ImageIdentifier(image_tag="v1"), **options
                ),
                route.call_count,
            )
        finally:
            client.calls = route.call_count  # type: ignore[attr-defined]


def test_waits_through_in_progress_to_complete(client: ECRClient) -> None:
    result, calls = wait(client, [scan("IN_PROGRESS"), scan("IN_PROGRESS"), scan("COMPLETE")])
    assert type(result) is DescribeImageScanFindingsResult
    assert result.image_scan_status.status == "COMPLETE"
    assert calls == 3
    assert client.sleeps == [5, 5]  # type: ignore[attr-defined]


def test_failed_status_raises_with_the_last_result(client: ECRClient) -> None:
    with pytest.raises(WaiterError) as info:
        wait(client, [scan("IN_PROGRESS"), scan("FAILED")])
    error = info.value
    assert "terminal failure state" in error.reason
    assert error.attempts == 2
    assert type(error.last_response) is DescribeImageScanFindingsResult


def test_missing_status_keeps_polling_until_attempts_run_out(client: ECRClient) -> None:
    with pytest.raises(WaiterError) as info:
        wait(client, [scan(None)] * 3, max_attempts=3)
    assert info.value.reason == "Max attempts exceeded"
    assert info.value.attempts == 3
    assert client.calls == 3  # type: ignore[attr-defined]


def test_an_error_answer_ends_the_wait(client: ECRClient) -> None:
    missing = httpx.Response(400, json={"__type": "RepositoryNotFoundException", "message": "gone"})
    with pytest.raises(WaiterError) as info:
        wait(client, [missing])
    assert isinstance(info.value.last_response, RepositoryNotFoundException)


def test_time_budget_and_backoff(client: ECRClient, monkeypatch: pytest.MonkeyPatch) -> None:
    now = [0.0]
    monkeypatch.setattr("ecrclient._core.waiting.time.monotonic", lambda: now[0])

    def sleep(seconds: float) -> None:
        client.sleeps.append(seconds)  # type: ignore[attr-defined]
        now[0] += seconds

    client._sleep = sleep
    with pytest.raises(WaiterError) as info:
        wait(client, [scan("IN_PROGRESS")] * 50, max_wait=12, delay=5)
    assert sum(client.sleeps) <= 12  # type: ignore[attr-defined]
    assert "wait" in info.value.reason.lower()


def test_retryable_hook_overrules_the_acceptors(client: ECRClient) -> None:
    result, calls = wait(
        client,
        [scan("FAILED"), scan("COMPLETE")],
        retryable=lambda outcome: (
            True if outcome.response.get("imageScanStatus", {}).get("status") == "FAILED" else None
        ),
    )
    assert result.image_scan_status.status == "COMPLETE"
    assert calls == 2


def test_bad_waiter_options_fail_before_polling(client: ECRClient) -> None:
    with respx.mock(assert_all_called=False) as router:
        route = router.post(f"{ENDPOINT}/")
        for bad in ({"delay": -1}, {"max_attempts": 0}, {"max_wait": 0}):
            with pytest.raises(WaiterConfigError):
                client.waiters.image_scan_complete.wait(
                    repository_name="web", image_id=ImageIdentifier(image_tag="v1"), **bad
                )
        assert not route.called


def test_java_spelling_and_release_on_close(client: ECRClient) -> None:
    handle = client.waiters()
    assert handle is client.waiters
    waiter = handle.image_scan_complete()
    assert waiter.spec.name == "ImageScanComplete"
    result, _ = wait(client, [scan("COMPLETE")])
    assert result.image_scan_status.status == "COMPLETE"
    client.close()
    assert client._waiters is None


def test_lifecycle_preview_waiter(client: ECRClient) -> None:
    with respx.mock() as router:
        router.post(f"{ENDPOINT}/").mock(
            side_effect=[
                httpx.Response(200, json={"status": "IN_PROGRESS"}),
                httpx.Response(200, json={"status": "COMPLETE"}),
            ]
        )
        result = client.waiters.lifecycle_policy_preview_complete.wait(repository_name="web")
    assert result.status == "COMPLETE"


# -- against the moto server -----------------------------------------------------------------


def _manifest(n: int) -> str:
    import hashlib

    layer = f"layer-{n}".encode()
    return json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
            "config": {
                "mediaType": "application/vnd.docker.container.image.v1+json",
                "size": 2,
                "digest": "sha256:" + hashlib.sha256(b"{}").hexdigest(),
            },
            "layers": [
                {
                    "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
                    "size": len(layer),
                    "digest": "sha256:" + hashlib.sha256(layer).hexdigest(),
                }
            ],
        }
    )


def test_paging_25_images_on_moto_matches_boto3(
    moto_client: ECRClient, boto3_moto_client: Any
) -> None:
    import hashlib
    import uuid

    name = f"paging-{uuid.uuid4().hex[:8]}"
    moto_client.create_repository(repository_name=name)
    try:
        for n in range(25):
            manifest = _manifest(n)
            moto_client.put_image(
                repository_name=name,
                image_manifest=manifest,
                image_tag=f"v{n}",
                image_digest="sha256:" + hashlib.sha256(manifest.encode()).hexdigest(),
            )
        for operation, key, item_key in (
            ("list_images", "imageIds", lambda i: i.image_tag),
            ("describe_images", "imageDetails", lambda d: sorted(d.image_tags or [])),
        ):
            ours = getattr(moto_client.paginators, operation)(repository_name=name, page_size=4)
            items = [item_key(item) for item in ours]
            pages = list(ours.pages())
            boto_pages = list(
                boto3_moto_client.get_paginator(operation).paginate(
                    repositoryName=name, PaginationConfig={"PageSize": 4}
                )
            )
            boto_items = [
                (i.get("imageTag") if key == "imageIds" else sorted(i.get("imageTags", [])))
                for page in boto_pages
                for i in page[key]
            ]
            assert len(items) == 25
            assert items == boto_items
            assert len(pages) == len(boto_pages)
            # A capped iteration resumes where it stopped, with nothing lost or repeated.
            capped = getattr(moto_client.paginators, operation)(
                repository_name=name, page_size=4, max_items=10
            )
            first = [item_key(item) for item in capped]
            rest = getattr(moto_client.paginators, operation)(
                repository_name=name, page_size=4, starting_token=capped.resume_token
            )
            assert first + [item_key(item) for item in rest] == items
            assert len(first) == 10
    finally:
        moto_client.delete_repository(repository_name=name, force=True)
