"""Every exception ecrclient raises.

``AmazonECRException`` is the base of the modeled faults (generated with them, see
:mod:`ecrclient.faults`, all importable from here too) and of service errors whose code the model
does not know. It subclasses botocore's ``ClientError``, so ``except ClientError`` in boto3 code
keeps working. Client-side failures derive from :class:`SdkClientError` (a botocore
``BotoCoreError``), those of waiters, paginators and interceptors included: :class:`WaiterError`,
:class:`WaiterConfigError`, :class:`PaginationError` and :class:`InterceptorError` (loaded with
the modules that raise them).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ecrclient._core.errors import (
    ConfigurationError,
    ConnectionClosedError,
    ConnectTimeoutError,
    DeadlineExceededError,
    EndpointConnectionError,
    HttpTimeoutError,
    MalformedResponseError,
    NetworkError,
    PoolTimeoutError,
    ReadTimeoutError,
    RequestValidationError,
    SdkClientError,
    ServiceError,
    WriteTimeoutError,
)
from ecrclient._generated.faults import AmazonECRException

if TYPE_CHECKING:
    from ecrclient._core.interceptors import InterceptorError
    from ecrclient._core.paging import PaginationError
    from ecrclient._core.waiting import WaiterConfigError, WaiterError
    from ecrclient._generated.faults import *  # noqa: F403 - the generated faults, re-exported

_ENGINE_ERRORS = {
    "InterceptorError": "ecrclient._core.interceptors",
    "PaginationError": "ecrclient._core.paging",
    "WaiterConfigError": "ecrclient._core.waiting",
    "WaiterError": "ecrclient._core.waiting",
}
"""Errors whose modules are imported only when asked for (the waiter engine loads jmespath)."""


def __getattr__(name: str) -> Any:
    if name in _ENGINE_ERRORS:
        import importlib

        return getattr(importlib.import_module(_ENGINE_ERRORS[name]), name)
    from ecrclient._generated import faults

    try:
        return getattr(faults, name)
    except AttributeError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None


__all__ = [
    "AmazonECRException",
    "ConfigurationError",
    "ConnectTimeoutError",
    "ConnectionClosedError",
    "DeadlineExceededError",
    "EndpointConnectionError",
    "MalformedResponseError",
    "NetworkError",
    "PaginationError",
    "PoolTimeoutError",
    "ReadTimeoutError",
    "RequestValidationError",
    "SdkClientError",
    "ServiceError",
    "HttpTimeoutError",
    "InterceptorError",
    "WaiterConfigError",
    "WaiterError",
    "WriteTimeoutError",
]
