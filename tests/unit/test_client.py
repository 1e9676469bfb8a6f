"""ECRClient behaviour: how calls are made, signed, validated, remembered and closed."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from datetime import datetime, timezone

import httpx
import pytest
import respx
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import ReadOnlyCredentials

from ecrclient import AwsCredentials, ClientConfig, ECRClient, EndpointConfiguration
from ecrclient._transports.httpx import HttpxTransport
from ecrclient._transports.urllib3 import Urllib3Transport
from ecrclient.errors import RequestValidationError, SdkClientError
from ecrclient.model import (
    AuthorizationData,
    DescribeRepositoriesRequest,
    ImageIdentifier,
    ListImagesRequest,
    Tag,
)

ENDPOINT = "https://ecr.test.example"
FIXED = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)


def _client(**overrides: object) -> ECRClient:
    options: dict[str, object] = {
        "region_name": "us-east-1",
        "endpoint_url": ENDPOINT,
        "aws_access_key_id": "AKID",
        "aws_secret_access_key": "secret",
        "transport": "httpx",  # respx intercepts httpx only
    }
    options.update(overrides)
    if "http_client" in overrides:
        del options["transport"]  # a supplied client implies httpx
    return ECRClient(**options)  # type: ignore[arg-type]


@pytest.fixture
def client() -> Iterator[ECRClient]:
    with _client() as ecr:
        yield ecr


@pytest.fixture
def router() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_called=False) as mock:
        mock.post(f"{ENDPOINT}/").respond(200, json={}, headers={"x-amzn-RequestId": "r-1"})
        yield mock


def test_keyword_arguments_and_request_objects_send_the_same_body(
    client: ECRClient, router: respx.MockRouter
) -> None:
    client.list_images(repository_name="app", max_results=5, registry_id="123456789012")
    client.list_images(
        ListImagesRequest(repository_name="app", max_results=5, registry_id="123456789012")
    )
    first, second = (call.request for call in router.calls)
    assert json.loads(first.content) == json.loads(second.content)
    assert json.loads(first.content) == {
        "repositoryName": "app",
        "maxResults": 5,
        "registryId": "123456789012",
    }


def test_protocol_and_sdk_headers(client: ECRClient, router: respx.MockRouter) -> None:
    client.describe_registry()
    sent = router.calls.last.request
    assert sent.method == "POST"
    assert sent.url == f"{ENDPOINT}/"
    assert sent.headers["x-amz-target"] == "AmazonEC2ContainerRegistry_V20150921.DescribeRegistry"
    assert sent.headers["content-type"] == "application/x-amz-json-1.1"
    assert sent.headers["user-agent"].startswith("ecrclient/")
    assert uuid.UUID(sent.headers["amz-sdk-invocation-id"])
    assert sent.headers["amz-sdk-request"] == "attempt=1; max=3"
    assert sent.content == b"{}"


@pytest.mark.parametrize("token", [None, "session-token-value"])
def test_signature_equals_botocores_for_the_same_request_and_time(token: str | None) -> None:
    client = _client(aws_session_token=token)
    client._pipeline.clock = lambda: FIXED
    with respx.mock() as router:
        router.post(f"{ENDPOINT}/").respond(200, json={})
        client.describe_repositories(repository_names=["app"])
        sent = router.calls.last.request

    # botocore signs the same method, URL, headers and body at the same instant.
    unsigned = {
        name: value
        for name, value in sent.headers.items()
        if name.lower()
        in (
            "x-amz-target",
            "content-type",
            "user-agent",
            "amz-sdk-invocation-id",
            "amz-sdk-request",
        )
    }
    oracle = AWSRequest(method="POST", url=str(sent.url), headers=unsigned, data=sent.content)
    signer = SigV4Auth(ReadOnlyCredentials("AKID", "secret", token), "ecr", "us-east-1")
    from unittest import mock

    with mock.patch("botocore.auth.get_current_datetime", return_value=FIXED.replace(tzinfo=None)):
        signer.add_auth(oracle)
    assert sent.headers["x-amz-date"] == "20260102T030405Z"
    assert sent.headers["authorization"] == oracle.headers["Authorization"]
    assert "/us-east-1/ecr/aws4_request" in sent.headers["authorization"]
    if token:
        assert sent.headers["x-amz-security-token"] == token
    else:
        assert "x-amz-security-token" not in sent.headers


def test_validation_lists_every_problem_and_sends_nothing(
    client: ECRClient, router: respx.MockRouter
) -> None:
    with pytest.raises(RequestValidationError) as info:
        client.batch_get_image(
            repository_name="X",  # too short and not lower-case
            image_ids=[ImageIdentifier(image_tag="t" * 400), "oops"],  # type: ignore[list-item]
            accepted_media_types=[],
        )
    problems = info.value.problems
    assert any("repository_name: length 1 is below the minimum of 2" in p for p in problems)
    assert any("repository_name: 'X' does not match the pattern" in p for p in problems)
    assert any("image_ids[0].image_tag: length 400 is above the maximum" in p for p in problems)
    assert any("image_ids[1]: expected ImageIdentifier, got str" in p for p in problems)
    assert any("accepted_media_types: length 0 is below the minimum of 1" in p for p in problems)
    assert len(problems) == 5
    assert str(info.value).startswith("Parameter validation failed:\n")
    assert isinstance(info.value, ValueError)
    assert not router.calls


def test_missing_and_unknown_keywords_are_reported_together(
    client: ECRClient, router: respx.MockRouter
) -> None:
    with pytest.raises(RequestValidationError) as info:
        client.put_image(repository_nme="app", image_tag="v1")  # type: ignore[call-overload]
    assert set(info.value.problems) == {
        "repository_nme: unknown parameter; valid parameters are image_digest, image_manifest, "
        "image_manifest_media_type, image_tag, registry_id, repository_name",
        "repository_name: missing required parameter",
        "image_manifest: missing required parameter",
    }
    assert not router.calls


def test_required_member_set_to_none_is_reported(client: ECRClient) -> None:
    request = ListImagesRequest(repository_name=None)  # type: ignore[arg-type]
    with pytest.raises(RequestValidationError, match="repository_name: missing required"):
        client.list_images(request)


@pytest.mark.parametrize(
    "bad",
    [
        {"max_results": True},
        {"max_results": "5"},
        {"max_results": 1001},
        {"registry_id": "12"},
        {"repository_names": "app"},
        {"repository_names": ["ok-name", 7]},
    ],
    ids=lambda b: next(iter(b.items())).__repr__(),
)
def test_wrong_types_and_constraints(client: ECRClient, bad: dict[str, object]) -> None:
    with pytest.raises(RequestValidationError):
        client.describe_repositories(**bad)  # type: ignore[arg-type]


def test_enum_members_are_open(client: ECRClient, router: respx.MockRouter) -> None:
    client.create_repository(repository_name="app", image_tag_mutability="SOME_FUTURE_VALUE")
    assert json.loads(router.calls.last.request.content)["imageTagMutability"] == (
        "SOME_FUTURE_VALUE"
    )


def test_validation_can_be_switched_off(router: respx.MockRouter) -> None:
    with _client(config=ClientConfig(parameter_validation=False)) as ecr:
        ecr.describe_repositories(max_results=5000, repository_names=["UPPER"])
    assert json.loads(router.calls.last.request.content) == {
        "maxResults": 5000,
        "repositoryNames": ["UPPER"],
    }


def test_request_and_keywords_together_or_a_wrong_request_type_are_refused(
    client: ECRClient, router: respx.MockRouter
) -> None:
    with pytest.raises(RequestValidationError, match="not both"):
        client.list_images(ListImagesRequest(repository_name="app"), max_results=2)  # type: ignore[call-overload]
    with pytest.raises(RequestValidationError, match="expected a ListImagesRequest"):
        client.list_images(DescribeRepositoriesRequest())  # type: ignore[arg-type]
    assert not router.calls


def test_none_members_are_never_sent(client: ECRClient, router: respx.MockRouter) -> None:
    client.tag_resource(
        resource_arn="arn:aws:ecr:us-east-1:123456789012:repository/a",
        tags=[Tag(key="team", value="web")],
    )
    client.describe_repositories(registry_id=None, repository_names=None)
    bodies = [json.loads(call.request.content) for call in router.calls]
    assert bodies[0] == {
        "resourceArn": "arn:aws:ecr:us-east-1:123456789012:repository/a",
        "tags": [{"Key": "team", "Value": "web"}],
    }
    assert bodies[1] == {}


def test_result_carries_metadata_and_the_cache_is_keyed_by_identity(client: ECRClient) -> None:
    with respx.mock() as router:
        router.post(f"{ENDPOINT}/").respond(
            200,
            json={"repositories": [{"repositoryName": "app", "createdAt": 1700000000.5}]},
            headers={"x-amzn-RequestId": "req-42", "X-Custom": "v"},
        )
        request = DescribeRepositoriesRequest(repository_names=["app"])
        equal_but_different = DescribeRepositoriesRequest(repository_names=["app"])
        result = client.describe_repositories(request)
    assert request == equal_but_different
    metadata = result.response_metadata
    assert metadata is not None
    assert metadata.request_id == "req-42"
    assert metadata.http_status_code == 200
    assert metadata.http_headers["x-custom"] == "v"
    assert metadata.retry_attempts == 0
    assert client.get_cached_response_metadata(request) is metadata
    assert client.get_cached_response_metadata(equal_but_different) is None
    repository = (result.repositories or [])[0]
    assert repository.created_at == datetime(2023, 11, 14, 22, 13, 20, 500000, timezone.utc)
    assert repository.repository_uri is None


def test_metadata_cache_keeps_the_50_most_recent(
    client: ECRClient, router: respx.MockRouter
) -> None:
    requests = [DescribeRepositoriesRequest() for _ in range(51)]
    for request in requests:
        client.describe_repositories(request)
    assert client.get_cached_response_metadata(requests[0]) is None
    assert all(client.get_cached_response_metadata(r) is not None for r in requests[1:])


def test_secrets_stay_out_of_repr() -> None:
    data = AuthorizationData(authorization_token="QVdTOnNlY3JldA==", proxy_endpoint="https://x")
    assert "QVdTOnNlY3JldA==" not in repr(data)
    credentials = AwsCredentials("AKID", "very-secret", "token-value")
    assert "very-secret" not in repr(credentials)
    assert "token-value" not in repr(credentials)


def test_close_is_idempotent_and_calls_after_close_fail_clearly(router: respx.MockRouter) -> None:
    ecr = _client()
    ecr.describe_registry()
    pool = ecr._transport.http_client  # type: ignore[attr-defined]
    ecr.close()
    ecr.shutdown()
    assert pool is not None and pool.is_closed
    with pytest.raises(SdkClientError, match="closed"):
        ecr.describe_registry()


def test_a_supplied_http_client_is_used_and_left_open(router: respx.MockRouter) -> None:
    own = httpx.Client()
    with _client(http_client=own) as ecr:
        ecr.describe_registry()
        assert ecr._transport.http_client is own  # type: ignore[attr-defined]
    assert not own.is_closed
    own.close()


def test_clients_share_one_tls_context() -> None:
    import ssl

    from ecrclient._transports import httpx as _transport

    https = "https://api.ecr.us-east-1.amazonaws.com"
    first = _transport.client_options(ClientConfig(), https)["verify"]
    second = _transport.client_options(ClientConfig(read_timeout=5), https)["verify"]
    assert first is second
    assert isinstance(first, ssl.SSLContext) and first.cert_store_stats()["x509_ca"] > 0
    assert _transport.client_options(ClientConfig(verify=False), https)["verify"] is False


def test_a_pool_that_never_speaks_tls_loads_no_ca_bundle() -> None:
    import ssl

    from ecrclient._transports import httpx as _transport

    plain = _transport.client_options(ClientConfig(), "http://127.0.0.1:5000")["verify"]
    assert isinstance(plain, ssl.SSLContext)
    assert plain.verify_mode == ssl.CERT_REQUIRED and plain.check_hostname
    assert plain.cert_store_stats()["x509_ca"] == 0  # trusts nothing, should TLS ever happen
    through_tls_proxy = ClientConfig(proxies={"http": "https://proxy.internal:3129"})
    verify = _transport.client_options(through_tls_proxy, "http://127.0.0.1:5000")["verify"]
    assert isinstance(verify, ssl.SSLContext) and verify.cert_store_stats()["x509_ca"] > 0


def test_config_rejects_nonsense() -> None:
    with pytest.raises(ValueError):
        ClientConfig(read_timeout=0)
    with pytest.raises(ValueError):
        ClientConfig(max_pool_connections=0)


def test_timeouts_and_pool_size_reach_httpx(router: respx.MockRouter) -> None:
    config = ClientConfig(connect_timeout=1.5, read_timeout=2.5, max_pool_connections=3)
    with _client(config=config) as ecr:
        ecr.describe_registry()
        pool = ecr._transport.http_client  # type: ignore[attr-defined]
        assert pool is not None
        assert pool.timeout.connect == 1.5
        assert pool.timeout.read == 2.5


def test_java_style_builder(router: respx.MockRouter) -> None:
    ecr = (
        ECRClient.builder()
        .with_region("eu-west-1")
        .with_credentials(AwsCredentials("AKID", "secret"))
        .with_endpoint_configuration(EndpointConfiguration(ENDPOINT, "eu-west-2"))
        .with_client_configuration(ClientConfig(read_timeout=7))
        .build()
    )
    assert ecr.region_name == "eu-west-2"
    assert ecr.endpoint_url == ENDPOINT
    assert ecr.config.read_timeout == 7
    assert isinstance(ecr._transport, Urllib3Transport)  # the default
    ecr._transport = HttpxTransport()  # respx intercepts httpx only
    ecr.describe_registry()
    assert "/eu-west-2/ecr/aws4_request" in router.calls.last.request.headers["authorization"]
    ecr.shutdown()


def test_credentials_come_from_the_chain(
    monkeypatch: pytest.MonkeyPatch, router: respx.MockRouter
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDFROMENV")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "env-secret")
    with ECRClient(region_name="us-east-1", endpoint_url=ENDPOINT, transport="httpx") as ecr:
        ecr.describe_registry()
    assert "Credential=AKIDFROMENV/" in router.calls.last.request.headers["authorization"]


def test_credentials_from_a_named_profile(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path,
    router: respx.MockRouter,  # type: ignore[no-untyped-def]
) -> None:
    credentials = tmp_path / "credentials"
    credentials.write_text("[build]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = s\n")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(credentials))
    with ECRClient(
        region_name="us-east-1", endpoint_url=ENDPOINT, profile_name="build", transport="httpx"
    ) as ecr:
        ecr.describe_registry()
    assert "Credential=AKIDPROFILE/" in router.calls.last.request.headers["authorization"]


def test_no_credentials_and_partial_credentials(router: respx.MockRouter) -> None:
    from botocore.exceptions import NoCredentialsError, PartialCredentialsError

    with (
        ECRClient(region_name="us-east-1", endpoint_url=ENDPOINT, transport="httpx") as ecr,
        pytest.raises(NoCredentialsError),
    ):
        ecr.describe_registry()
    with pytest.raises(PartialCredentialsError):
        ECRClient(region_name="us-east-1", aws_access_key_id="only-the-key")
    assert not router.calls


def test_one_client_is_safe_to_share_between_threads(router: respx.MockRouter) -> None:
    errors: list[BaseException] = []
    results: list[str] = []
    lock = threading.Lock()

    def work(index: int) -> None:
        try:
            for _ in range(20):
                request = DescribeRepositoriesRequest(registry_id=f"{index:012d}")
                client.describe_repositories(request)
                metadata = client.get_cached_response_metadata(request)
                with lock:
                    results.append(metadata.request_id if metadata else "missing")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    with _client() as client:
        threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert not errors
    assert results == ["r-1"] * 160
    bodies = {json.loads(call.request.content)["registryId"] for call in router.calls}
    assert bodies == {f"{i:012d}" for i in range(8)}


def test_a_supplied_http_client_keeps_its_own_timeouts(router: respx.MockRouter) -> None:
    own = httpx.Client(timeout=httpx.Timeout(3.0))
    with _client(http_client=own) as ecr:
        ecr.describe_registry()
        assert "timeout" not in router.calls.last.request.extensions or (
            router.calls.last.request.extensions["timeout"]["read"] == 3.0
        )
        capped = ecr.with_options(total_deadline=1.0)
        capped.describe_registry()
        assert router.calls.last.request.extensions["timeout"]["read"] <= 1.0
    own.close()


def test_with_options_timeouts_apply_per_request(router: respx.MockRouter) -> None:
    with _client() as ecr:
        ecr.describe_registry()
        assert router.calls.last.request.extensions["timeout"]["read"] == 60.0
        ecr.with_options(read_timeout=2.5).describe_registry()
        assert router.calls.last.request.extensions["timeout"]["read"] == 2.5


def test_a_config_file_that_is_not_a_file_means_no_settings(
    monkeypatch: pytest.MonkeyPatch, router: respx.MockRouter
) -> None:
    monkeypatch.setenv("AWS_CONFIG_FILE", "/dev/null")
    with _client() as ecr:
        ecr.describe_registry()
    assert ecr.retry_policy.mode == "standard"


@pytest.mark.parametrize("asynchronous", [False, True])
def test_a_proxy_pool_is_bounded_like_the_direct_one(asynchronous: bool) -> None:
    from ecrclient._transports import httpx as _transport

    config = ClientConfig(proxies={"https": "http://proxy.internal:3128"}, max_pool_connections=3)
    endpoint = "https://api.ecr.us-east-1.amazonaws.com"
    options = _transport.client_options(config, endpoint, asynchronous=asynchronous)
    proxy_pool = options["mounts"]["https://"]._pool  # httpcore's pool behind the transport
    assert proxy_pool._max_connections == 3
    assert proxy_pool._max_keepalive_connections == 3
