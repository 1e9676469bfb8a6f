"""What both stubbers share: request ids, queues, comparisons and botocore's validation."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Mapping, Sequence
from typing import Any, Protocol, TypeGuard, TypeVar

import attrs
from botocore import validate as botocore_validate
from botocore.exceptions import (
    ParamValidationError,
    StubResponseError,
    UnStubbedResponseError,
)
from botocore.stub import ANY as _BOTOCORE_ANY

from ecrclient._core.metadata import ResponseMetadata
from ecrclient._generated.service import OPERATION_MODULES, SERVICE
from ecrclient.compat.boto_client import METHOD_TO_API

ANY: Any = _BOTOCORE_ANY
"""Equal to any value: ``expected_params={"nextToken": ANY}``, or inside an expected request,
``DescribeImagesRequest(repository_name=ANY)``. It is botocore's ``botocore.stub.ANY``."""

CONTENT_TYPE = f"application/x-amz-json-{SERVICE.json_version}"

UNEXPECTED_CALL = (
    "Unexpected API Call: A call was made but no additional calls expected. "
    "Either the API Call was not stubbed or it was called multiple times."
)

activation_lock = threading.Lock()


# --------------------------------------------------------------------------------------------
# Shared pieces.
# --------------------------------------------------------------------------------------------


class Stub(Protocol):
    """A queued answer of either stubber."""

    @property
    def operation_name(self) -> str: ...


S = TypeVar("S", bound=Stub)


Scope = TypeVar("Scope", bound="ActivationScope")


class ActivationScope:
    """``with stubber:`` activates the stubber for the block."""

    def activate(self) -> None:
        raise NotImplementedError

    def deactivate(self) -> None:
        raise NotImplementedError

    def __enter__(self: Scope) -> Scope:
        self.activate()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.deactivate()


class RequestIds:
    """Deterministic request ids: ``00000000-0000-0000-0000-000000000001``, ``...002``, ..."""

    def __init__(self) -> None:
        self._last = 0
        self._lock = threading.Lock()

    def next(self) -> str:
        with self._lock:
            self._last += 1
            return str(uuid.UUID(int=self._last))


def stub_metadata(request_id: str, status_code: int) -> ResponseMetadata:
    return ResponseMetadata(
        request_id=request_id,
        http_status_code=status_code,
        http_headers={"x-amzn-requestid": request_id, "content-type": CONTENT_TYPE},
        retry_attempts=0,
    )


def method_name(method: object) -> str:
    """The snake_case operation name of ``method``: a name, a wire name or a bound method.

    It takes any object as callers without a type checker may pass anything."""
    name: object = getattr(method, "__name__", None) if callable(method) else method
    if not isinstance(name, str):
        raise TypeError(f"expected an operation name or a client method, got {method!r}")
    return OPERATION_MODULES.get(name, name)


def check_operation(method: str) -> None:
    if method not in METHOD_TO_API:
        raise ValueError(f"Client ecr does not have method: {method}")


def next_stub(queue: Sequence[S], operation_name: str) -> S:
    """The next answer, if it is for ``operation_name``: botocore's checks and messages."""
    if not queue:
        raise UnStubbedResponseError(operation_name=operation_name, reason=UNEXPECTED_CALL)
    stub = queue[0]
    if stub.operation_name != operation_name:
        raise StubResponseError(
            operation_name=operation_name,
            reason=f"Operation mismatch: found response for {stub.operation_name}.",
        )
    return stub


def assert_none_pending(queue: Sequence[Any]) -> None:
    if queue:
        names = ", ".join(entry.operation_name for entry in queue)
        raise AssertionError(f"{len(queue)} responses remaining in queue. Still queued: {names}.")


def differences(expected: object, actual: object, path: str) -> list[str]:
    """Where ``actual`` differs from ``expected``, one line each; :data:`ANY` matches anything.

    attrs objects of one class compare member by member, lists and tuples item by item, and
    mappings key by key, so ``ANY`` works at any depth."""
    if expected is ANY:
        return []
    expected_type = type(expected)
    if attrs.has(expected_type) and expected_type is type(actual):
        found: list[str] = []
        for field in attrs.fields(expected_type):
            if field.eq:
                found += differences(
                    getattr(expected, field.name),
                    getattr(actual, field.name),
                    f"{path}.{field.name}",
                )
        return found
    if is_sequence(expected) and is_sequence(actual):
        if len(expected) != len(actual):
            return [
                f"{path}: expected {len(expected)} items, got {len(actual)}: "
                f"expected {expected!r}, got {actual!r}"
            ]
        found = []
        for index, (want, got) in enumerate(zip(expected, actual, strict=True)):
            found += differences(want, got, f"{path}[{index}]")
        return found
    if is_mapping(expected) and is_mapping(actual):
        found = [
            f"{path}[{key!r}]: expected {expected[key]!r}, missing"
            for key in expected
            if key not in actual
        ]
        found += [
            f"{path}[{key!r}]: not expected, got {actual[key]!r}"
            for key in actual
            if key not in expected
        ]
        for key in expected:
            if key in actual:
                found += differences(expected[key], actual[key], f"{path}[{key!r}]")
        return found
    if expected == actual:
        return []
    return [f"{path}: expected {expected!r}, got {actual!r}"]


def is_sequence(value: object) -> TypeGuard[Sequence[object]]:
    return isinstance(value, Sequence) and not isinstance(value, (str, bytes, bytearray))


def is_mapping(value: object) -> TypeGuard[Mapping[Any, Any]]:
    return isinstance(value, Mapping)


def validate_response(shape: Any, response: Mapping[str, Any]) -> None:
    """botocore's check of a stubbed answer: the shape's validator, or emptiness without one."""
    if shape is not None:
        validate_parameters(response, shape)
    elif response:
        raise ParamValidationError(report="Service response should only contain ResponseMetadata.")


def validate_parameters(params: Mapping[str, Any], shape: Any) -> None:
    """botocore's ``validate_parameters``: raises ``ParamValidationError`` with its report."""
    # botocore ships no type information, so pyright sees its parameters as Unknown; going
    # through the module as an explicit Any keeps that from spreading into this one.
    untyped_validate: Any = botocore_validate
    untyped_validate.validate_parameters(params, shape)
