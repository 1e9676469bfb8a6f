"""The run-time side of the public types: what the static checks (tests/typing/,
tests/project/test_typing_errors.py) rely on is also what the code does."""

from __future__ import annotations

import typing
from typing import Any, get_args

import httpx
import pytest
from typing_extensions import get_overloads

import ecrclient
import ecrclient.errors
import ecrclient.model
from ecrclient import ECRClient, ResponseMetadata
from ecrclient._core.metadata import EMPTY_RESPONSE_METADATA
from ecrclient._generated.async_compat_operations import AsyncCompatOperations
from ecrclient._generated.compat_operations import CompatOperations
from ecrclient._generated.service import OPERATION_MODULES
from ecrclient.compat import typed
from ecrclient.model import DescribeRegistryResult, DescribeRepositoriesResult


def test_a_hand_built_result_has_empty_metadata() -> None:
    result = DescribeRegistryResult(registry_id="123456789012")
    assert result.response_metadata is EMPTY_RESPONSE_METADATA
    assert isinstance(result.response_metadata, ResponseMetadata)
    assert result.response_metadata.is_empty
    assert result.response_metadata.request_id is None
    assert dict(result.response_metadata.http_headers) == {}
    assert DescribeRepositoriesResult._from_wire({}).response_metadata.is_empty
    # Metadata stays out of equality: a hand-built result equals a returned one.
    assert result == DescribeRegistryResult(registry_id="123456789012")


def test_a_returned_result_has_its_calls_metadata() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        del request
        return httpx.Response(200, json={"registryId": "1"}, headers={"x-amzn-RequestId": "r-1"})

    with ECRClient(
        region_name="us-east-1",
        aws_access_key_id="AKID",
        aws_secret_access_key="secret",
        http_client=httpx.Client(transport=httpx.MockTransport(answer)),
    ) as ecr:
        result = ecr.describe_registry()
    assert not result.response_metadata.is_empty
    assert (result.response_metadata.request_id, result.response_metadata.http_status_code) == (
        "r-1",
        200,
    )
    assert result == DescribeRegistryResult(registry_id="1")


@pytest.mark.parametrize("module", [ecrclient, ecrclient.errors, ecrclient.model])
def test_dir_lists_every_public_name_loaded_or_not(module: Any) -> None:
    listed = dir(module)
    assert set(module.__all__) <= set(listed)
    for name in module.__all__:
        getattr(module, name)  # each resolves


def test_unknown_names_still_raise_attribute_error() -> None:
    for module in (ecrclient, ecrclient.errors, ecrclient.model):
        with pytest.raises(AttributeError, match="has no attribute 'Nope'"):
            module.Nope  # noqa: B018


def test_the_lazy_loaders_exist_only_at_run_time() -> None:
    """Each module defines __getattr__ (the loader) for the interpreter, under
    ``if not TYPE_CHECKING``: the source shows it, and the interpreter has it."""
    import inspect

    for module in (ecrclient, ecrclient.errors, ecrclient.model):
        assert callable(module.__getattr__)
        assert "if not TYPE_CHECKING:" in inspect.getsource(module)


def _literal_names(function: Any) -> set[str]:
    names: set[str] = set()
    for overload in get_overloads(function):
        hints = typing.get_type_hints(overload)  # in the generated module's namespace
        (argument,) = (hint for name, hint in hints.items() if name != "return")
        names.update(get_args(argument))
    return names


@pytest.mark.parametrize("mixin", [CompatOperations, AsyncCompatOperations])
def test_the_literal_names_are_every_paginator_and_waiter(mixin: type[Any]) -> None:
    client = ecrclient.client(
        "ecr", region_name="us-east-1", aws_access_key_id="A", aws_secret_access_key="s"
    )
    paginated = {name for name in OPERATION_MODULES.values() if client.can_paginate(name)}
    assert _literal_names(mixin.get_paginator) == paginated
    assert _literal_names(mixin.get_waiter) == set(client.waiter_names)


def test_every_named_paginator_and_waiter_exists_at_run_time() -> None:
    client = ecrclient.client(
        "ecr", region_name="us-east-1", aws_access_key_id="A", aws_secret_access_key="s"
    )
    for name in _literal_names(CompatOperations.get_paginator):
        assert callable(client.get_paginator(name).paginate)  # type: ignore[call-overload]
    for name in _literal_names(CompatOperations.get_waiter):
        assert client.get_waiter(name).name  # type: ignore[call-overload]


def test_the_typed_classes_are_importable() -> None:
    assert set(typed.__all__) >= {
        "DescribeImagesPaginator",
        "AsyncDescribeImagesPaginator",
        "ImageScanCompleteWaiter",
        "AsyncImageScanCompleteWaiter",
        "PageIterator",
        "AsyncPageIterator",
        "PaginationConfigTypeDef",
        "WaiterConfigTypeDef",
    }
    for name in typed.__all__:
        assert isinstance(getattr(typed, name), type), name
