"""Operations the installed botocore knows and the generated model does not are still served by
the drop-in (sync and async), through botocore's model, exactly as boto3 serves them.

Two generated operations are hidden (one plain, one pageable); boto3 against the same local
server is the oracle for the request bytes, the result dict, validation and errors.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError, ParamValidationError
from compat_oracle import (
    Pair,
    assert_same,
    assert_same_outcome,
    error,
    ok,
    request_params,
    response_wire,
)
from faultserver import FaultServer

import ecrclient
import ecrclient.aio
from ecrclient._generated import service as _service
from ecrclient._generated.async_compat_operations import AsyncCompatOperations
from ecrclient._generated.compat_operations import CompatOperations
from ecrclient.compat import boto_client, installed_model

HIDDEN = {
    "StartReplicationBackfill": "start_replication_backfill",
    "ListReplicationBackfills": "list_replication_backfills",
}


@pytest.fixture
def server() -> Iterator[FaultServer]:
    with FaultServer() as running:
        yield running


@pytest.fixture(autouse=True)
def hidden(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The generated code as it would be without the two operations."""
    for name, method in HIDDEN.items():
        monkeypatch.delitem(_service.OPERATION_MODULES, name)
        monkeypatch.delitem(boto_client.METHOD_TO_API, method)
        monkeypatch.delattr(CompatOperations, method)
        monkeypatch.delattr(AsyncCompatOperations, method)
    installed_model.installed_operation.cache_clear()
    yield
    installed_model.installed_operation.cache_clear()


def test_the_hidden_operations_are_not_generated_any_more() -> None:
    client = ecrclient.client(
        "ecr", region_name="us-east-1", aws_access_key_id="k", aws_secret_access_key="s"
    )
    for method in HIDDEN.values():
        assert method not in boto_client.METHOD_TO_API
        assert method not in vars(CompatOperations)
        assert hasattr(client, method)  # served through botocore's model
    assert not hasattr(client, "start_replication_backfil")
    with pytest.raises(AttributeError, match="start_replication_backfil"):
        client.start_replication_backfil  # noqa: B018
    assert set(HIDDEN.values()) <= set(dir(client))
    client.close()


@pytest.mark.parametrize("operation", sorted(HIDDEN))
@pytest.mark.parametrize("variant", ["all-members", "required-only"])
def test_a_hidden_operation_matches_boto3(
    server: FaultServer, operation: str, variant: str
) -> None:
    probability = 1.0 if variant == "all-members" else 0.0
    params = request_params(operation, variant, probability)
    answer = ok(response_wire(operation, variant, probability))
    both = Pair(server)
    try:
        ours, theirs = both.method(HIDDEN[operation], params, [answer])
    finally:
        both.close()
    assert theirs.error is None, theirs.describe()
    assert_same_outcome(ours, theirs)


@pytest.mark.parametrize(
    "answer",
    [error(400, "ReplicationBackfillInProgressException", "busy"), error(400, "ServerException")],
    ids=["modeled", "server"],
)
def test_a_hidden_operations_faults_match_boto3(server: FaultServer, answer: Any) -> None:
    params = request_params("StartReplicationBackfill", "faults", 0.0)
    both = Pair(server)
    try:
        ours, theirs = both.method(HIDDEN["StartReplicationBackfill"], params, [answer] * 5)
    finally:
        both.close()
    assert isinstance(theirs.error, ClientError)
    assert_same_outcome(ours, theirs)


def test_a_hidden_operation_validates_as_boto3(server: FaultServer) -> None:
    both = Pair(server)
    try:
        ours, theirs = both.method(
            HIDDEN["StartReplicationBackfill"], {"replicationBackfillRules": "x", "bogus": 1}
        )
    finally:
        both.close()
    assert isinstance(theirs.error, ParamValidationError)
    assert_same_outcome(ours, theirs)
    assert not ours.requests


def test_service_model_and_pagination_agree_with_boto3(server: FaultServer) -> None:
    both = Pair(server)
    try:
        assert both.ours.meta.service_model.operation_names == (
            both.boto.meta.service_model.operation_names
        )
        assert both.ours.meta.method_to_api_mapping == both.boto.meta.method_to_api_mapping
        for method in HIDDEN.values():
            assert both.ours.can_paginate(method) == both.boto.can_paginate(method)
        with pytest.raises(KeyError):
            both.ours.can_paginate("list_replication_backfill")

        pages = [
            ok({"backfills": [{"replicationBackfillId": f"id-{n}"}], "nextToken": f"t{n}"})
            for n in range(2)
        ] + [ok({"backfills": [{"replicationBackfillId": "id-2"}]})]

        def paginate(client: Any) -> Any:
            paginator = client.get_paginator("list_replication_backfills")
            return paginator.paginate(PaginationConfig={"PageSize": 1}).build_full_result()

        ours, theirs = both.run(paginate, pages)
    finally:
        both.close()
    assert theirs.error is None, theirs.describe()
    assert_same_outcome(ours, theirs)


def test_the_async_drop_in_serves_a_hidden_operation(server: FaultServer) -> None:
    operation = "StartReplicationBackfill"
    params = request_params(operation, "async", 1.0)
    answer = ok(response_wire(operation, "async", 1.0))
    both = Pair(server)
    try:
        _, theirs = both.method(HIDDEN[operation], params, [answer])
    finally:
        both.close()

    async def call() -> Any:
        client = ecrclient.aio.client(
            "ecr",
            region_name="us-east-1",
            endpoint_url=server.url,
            aws_access_key_id="AKIDEXAMPLE",
            aws_secret_access_key="secret",
        )
        async with client:
            return await getattr(client, HIDDEN[operation])(**params)

    server.script([answer])
    result = asyncio.run(call())
    result.pop("ResponseMetadata")
    expected = dict(theirs.result)
    expected.pop("ResponseMetadata")
    assert_same(result, expected)


def test_a_botocore_without_the_ecr_model_leaves_the_generated_surface(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from botocore.exceptions import DataNotFoundError

    def missing() -> Any:
        raise DataNotFoundError(data_path="ecr/2015-09-21/service-2")

    monkeypatch.setattr(installed_model, "installed_service_model", missing)
    installed_model.installed_methods.cache_clear()
    try:
        client = ecrclient.client(
            "ecr", region_name="us-east-1", aws_access_key_id="k", aws_secret_access_key="s"
        )
        assert not hasattr(client, "start_replication_backfill")  # hidden, and not installed
        assert callable(client.describe_registry)
        client.close()
    finally:
        installed_model.installed_methods.cache_clear()
