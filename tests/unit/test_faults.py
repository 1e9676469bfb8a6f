"""Error responses: every declared fault of every operation maps to its class with its members,
in every wire form the protocol allows; unreadable bodies and network failures raise clear SDK
errors."""

from __future__ import annotations

import functools
import json
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import botocore.exceptions
import httpx
import pytest
import respx
from blocking import MOCKABLE_CLIENT_KINDS, make_client
from botocore.exceptions import ClientError

from ecrclient import ClientConfig, ECRClient
from ecrclient._generated.service import OPERATION_MODULES
from ecrclient._runtime.operations import load_operation
from ecrclient.errors import (
    AmazonECRException,
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    MalformedResponseError,
    PoolTimeoutError,
    ReadTimeoutError,
    WriteTimeoutError,
)
from ecrclient.faults import FAULTS

ENDPOINT = "https://ecr.test.example"
DECLARED = [
    (operation, code)
    for operation, module in OPERATION_MODULES.items()
    for code in load_operation(module).errors
]


@pytest.fixture(params=MOCKABLE_CLIENT_KINDS)
def client(request: pytest.FixtureRequest) -> Iterator[ECRClient]:
    # One attempt: these tests are about how each answer maps, not about retrying it.
    with make_client(
        request.param,
        region_name="us-east-1",
        endpoint_url=ENDPOINT,
        aws_access_key_id="AKID",
        aws_secret_access_key="secret",
        config=ClientConfig(max_attempts=1),
    ) as ecr:
        yield ecr


def _minimal_wire(shape: Any) -> Any:
    """The smallest wire value of a botocore shape: required members only."""
    kind = shape.type_name
    if kind == "structure":
        return {name: _minimal_wire(shape.members[name]) for name in shape.required_members}
    return {
        "string": "x",
        "integer": 1,
        "long": 1,
        "boolean": False,
        "double": 1.0,
        "float": 1.0,
        "timestamp": 0,
        "blob": "",
        "list": [],
        "map": {},
    }[kind]


@functools.cache
def _botocore_model() -> Any:
    from pinned import SERVICE_MODEL

    return SERVICE_MODEL


def _call_with_minimal_request(client: ECRClient, operation: str) -> Any:
    """Call ``operation`` with validation off and only its required members, as placeholders."""
    model = _botocore_model()
    spec = load_operation(OPERATION_MODULES[operation])
    request = spec.request_type._from_wire(
        _minimal_wire(model.operation_model(operation).input_shape)
    )
    unchecked = client.with_options(parameter_validation=False)
    return getattr(unchecked, OPERATION_MODULES[operation])(request)


def test_every_operation_declares_faults_and_all_47_are_declared_somewhere() -> None:
    assert len(OPERATION_MODULES) == 62
    assert {code for _, code in DECLARED} <= set(FAULTS)
    assert len(FAULTS) == 50


@pytest.mark.parametrize(("operation", "code"), DECLARED, ids=lambda v: str(v))
def test_declared_fault_maps_to_its_class(client: ECRClient, operation: str, code: str) -> None:
    body = {"__type": f"com.amazonaws.ecr#{code}", "message": f"{code} happened"}
    with respx.mock(assert_all_called=True) as router:
        router.post(f"{ENDPOINT}/").respond(400, json=body, headers={"x-amzn-RequestId": "req-1"})
        with pytest.raises(FAULTS[code]) as info:
            _call_with_minimal_request(client, operation)
    error = info.value
    assert type(error) is FAULTS[code]
    assert isinstance(error, AmazonECRException)
    assert isinstance(error, ClientError)
    assert error.error_code == code
    assert error.error_message == f"{code} happened"
    assert error.status_code == 400
    assert error.request_id == "req-1"
    assert error.operation_name == operation
    assert error.response["Error"] == {"Code": code, "Message": f"{code} happened"}
    assert error.response["message"] == f"{code} happened"
    assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert error.response_metadata is not None
    assert error.response_metadata.request_id == "req-1"
    assert client.get_cached_response_metadata(object()) is None


@pytest.mark.parametrize(
    ("body", "headers"),
    [
        ({"__type": "RepositoryNotFoundException", "message": "m"}, {}),
        ({"__type": "com.amazonaws.ecr#RepositoryNotFoundException", "message": "m"}, {}),
        (
            {
                "__type": "RepositoryNotFoundException:http://internal.amazon.com/coral/x/",
                "Message": "m",
            },
            {},
        ),
        ({"message": "m"}, {"x-amzn-ErrorType": "RepositoryNotFoundException:http://x/"}),
        ({"Message": "m"}, {"x-amzn-ErrorType": "aws.ecr#RepositoryNotFoundException"}),
    ],
    ids=["plain", "namespace", "suffix+Message", "header", "header-namespace"],
)
def test_error_code_wire_forms(
    client: ECRClient, body: dict[str, str], headers: dict[str, str]
) -> None:
    from ecrclient.errors import RepositoryNotFoundException

    with respx.mock() as router:
        router.post(f"{ENDPOINT}/").respond(400, json=body, headers=headers)
        with pytest.raises(RepositoryNotFoundException) as info:
            client.describe_repositories()
    assert info.value.error_code == "RepositoryNotFoundException"
    assert info.value.error_message == "m"


def test_modeled_members_become_typed_attributes(client: ECRClient) -> None:
    from ecrclient.errors import InvalidLayerPartException, KmsException

    body = {
        "__type": "InvalidLayerPartException",
        "message": "bad part",
        "registryId": "123456789012",
        "repositoryName": "app",
        "uploadId": "u-1",
        "lastValidByteReceived": 4096,
    }
    with respx.mock() as router:
        router.post(f"{ENDPOINT}/").respond(400, json=body)
        with pytest.raises(InvalidLayerPartException) as info:
            client.upload_layer_part(
                repository_name="app",
                upload_id="0b9a8c3e-1111-2222-3333-444455556666",
                part_first_byte=0,
                part_last_byte=3,
                layer_part_blob=b"abcd",
            )
    error = info.value
    assert error.last_valid_byte_received == 4096
    assert error.registry_id == "123456789012"
    assert error.repository_name == "app"
    assert error.upload_id == "u-1"
    assert error.response["lastValidByteReceived"] == 4096

    with respx.mock() as router:
        router.post(f"{ENDPOINT}/").respond(
            400, json={"__type": "KmsException", "message": "kms", "kmsError": "Disabled"}
        )
        with pytest.raises(KmsException) as kms:
            client.create_repository(repository_name="app")
    assert kms.value.kms_error == "Disabled"


def test_unknown_code_raises_the_base_class_with_that_code(client: ECRClient) -> None:
    with respx.mock() as router:
        router.post(f"{ENDPOINT}/").respond(
            400, json={"__type": "BrandNewException", "message": "new"}
        )
        with pytest.raises(AmazonECRException) as info:
            client.describe_registry()
    assert type(info.value) is AmazonECRException
    assert info.value.error_code == "BrandNewException"
    assert str(info.value) == (
        "An error occurred (BrandNewException) when calling the DescribeRegistry operation: new"
    )


def test_json_error_without_a_code_uses_the_status(client: ECRClient) -> None:
    with respx.mock() as router:
        router.post(f"{ENDPOINT}/").respond(503, json={"message": "busy"})
        with pytest.raises(AmazonECRException) as info:
            client.describe_registry()
    assert info.value.error_code == "503"
    assert info.value.status_code == 503


@pytest.mark.parametrize(
    ("status", "content", "reason"),
    [
        (502, b"<html><body><h1>502 Bad Gateway</h1></body></html>", "not JSON"),
        (500, b"Internal error " * 100, "not JSON"),
        (500, b"", "empty"),
        (200, b"", "empty"),
        (200, b'{"repositories": [{"repositoryName": "a"', "not JSON"),
        (200, b"[1, 2]", "not an object"),
        (200, b'"just a string"', "not an object"),
        (200, b'{"repositories": "not-a-list"}', "does not fit"),
        (200, b'{"repositories": [{"createdAt": "yesterday"}]}', "does not fit"),
    ],
    ids=[
        "html-502",
        "text-500",
        "empty-500",
        "empty-200",
        "truncated-200",
        "list-200",
        "string-200",
        "wrong-type-200",
        "bad-timestamp-200",
    ],
)
def test_unreadable_bodies_raise_a_clear_sdk_error(
    client: ECRClient, status: int, content: bytes, reason: str
) -> None:
    with respx.mock() as router:
        router.post(f"{ENDPOINT}/").respond(
            status, content=content, headers={"x-amzn-RequestId": "rid-9"}
        )
        with pytest.raises(MalformedResponseError) as info:
            client.describe_repositories()
    error = info.value
    assert error.status_code == status
    assert error.request_id == "rid-9"
    assert error.operation_name == "DescribeRepositories"
    assert reason in str(error)
    assert f"HTTP {status}" in str(error)
    assert len(error.body_snippet) <= 203
    assert error.body_snippet == content[:200].decode() + ("..." if len(content) > 200 else "")


def test_error_status_with_an_error_type_header_but_no_body_is_still_the_fault(
    client: ECRClient,
) -> None:
    from ecrclient.errors import ServerException

    with respx.mock() as router:
        router.post(f"{ENDPOINT}/").respond(
            500, content=b"", headers={"x-amzn-ErrorType": "ServerException"}
        )
        with pytest.raises(ServerException) as info:
            client.describe_registry()
    assert info.value.status_code == 500
    assert info.value.fault == "server"


@pytest.mark.parametrize(
    ("raised", "expected"),
    [
        (httpx.ConnectError("refused"), EndpointConnectionError),
        (httpx.ConnectTimeout("slow connect"), ConnectTimeoutError),
        (httpx.ReadTimeout("slow read"), ReadTimeoutError),
        (httpx.WriteTimeout("slow write"), WriteTimeoutError),
        (httpx.PoolTimeout("pool"), PoolTimeoutError),
        (httpx.RemoteProtocolError("closed"), ConnectionClosedError),
        (httpx.ReadError("reset"), ConnectionClosedError),
    ],
    ids=lambda v: type(v).__name__ if isinstance(v, Exception) else v.__name__,
)
def test_network_failures_name_the_endpoint(
    client: ECRClient, raised: Exception, expected: type[Exception]
) -> None:
    with respx.mock() as router:
        router.post(f"{ENDPOINT}/").mock(side_effect=raised)
        with pytest.raises(expected) as info:
            client.describe_registry()
    assert ENDPOINT in str(info.value)
    assert info.value.endpoint_url == f"{ENDPOINT}/"  # type: ignore[attr-defined]


def test_a_refused_connection_on_loopback_is_an_endpoint_connection_error() -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with (
        ECRClient(
            region_name="us-east-1",
            endpoint_url=f"http://127.0.0.1:{port}",
            aws_access_key_id="a",
            aws_secret_access_key="b",
            config=ClientConfig(max_attempts=1),
        ) as ecr,
        pytest.raises(EndpointConnectionError) as info,
    ):
        ecr.describe_registry()
    assert f"127.0.0.1:{port}" in str(info.value)


def test_faults_pickle_round_trip(client: ECRClient) -> None:
    import pickle

    from ecrclient.errors import RepositoryNotFoundException

    with respx.mock() as router:
        router.post(f"{ENDPOINT}/").respond(
            400, content=json.dumps({"__type": "RepositoryNotFoundException", "message": "m"})
        )
        with pytest.raises(RepositoryNotFoundException) as info:
            client.describe_repositories()
    copy = pickle.loads(pickle.dumps(info.value))
    assert type(copy) is RepositoryNotFoundException
    assert copy.response == info.value.response
    assert str(copy) == str(info.value)
    assert copy.response_metadata == info.value.response_metadata
    assert copy.status_code == 400


def test_with_validation_off_an_unencodable_member_is_still_a_clear_error(
    client: ECRClient,
) -> None:
    from ecrclient.errors import RequestValidationError
    from ecrclient.model import BatchDeleteImageRequest

    client = client.with_options(parameter_validation=False)
    with respx.mock(assert_all_called=False) as router:
        route = router.post(f"{ENDPOINT}/").respond(200, json={})
        with pytest.raises(RequestValidationError, match="cannot be serialized"):
            client.batch_delete_image(
                BatchDeleteImageRequest(repository_name="app", image_ids="notalist")  # type: ignore[arg-type]
            )
    assert not route.called


def test_every_error_is_importable_from_ecrclient_errors() -> None:
    import ecrclient.errors as errors
    from ecrclient.interceptors import InterceptorError
    from ecrclient.waiters import WaiterError

    for name in errors.__all__:
        found = getattr(errors, name)
        assert isinstance(found, type) and issubclass(found, Exception), name
    assert errors.WaiterError is WaiterError
    assert errors.InterceptorError is InterceptorError
    assert issubclass(errors.PaginationError, botocore.exceptions.PaginationError)
    assert issubclass(errors.WaiterConfigError, botocore.exceptions.WaiterConfigError)


def test_ecrclient_errors_loads_the_waiter_engine_only_when_asked() -> None:
    code = (
        "import sys, ecrclient.errors as e\n"
        "assert 'jmespath' not in sys.modules, 'loaded at import'\n"
        "e.WaiterError\n"
        "assert 'jmespath' in sys.modules\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
