"""Every exception ecrclient raises.

``AmazonECRException`` is the base of the modeled faults (generated with them, see
:mod:`ecrclient.faults`, all importable from here too) and of service errors whose code the model
does not know. It subclasses botocore's ``ClientError``, so ``except ClientError`` in boto3 code
keeps working. Client-side failures derive from :class:`SdkClientError` (a botocore
``BotoCoreError``), those of waiters, paginators and interceptors included: :class:`WaiterError`,
:class:`WaiterConfigError`, :class:`PaginationError` and :class:`InterceptorError` (loaded with
the modules that raise them).

The faults and the engine errors are looked up on first use by a module-level ``__getattr__``
that exists only at run time (under ``if not TYPE_CHECKING:``); type checkers read the imports
made for them instead, so a misspelt fault name is an error, not an ``Any``. ``dir()`` lists
every public name.
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
    ResponseTooLargeError,
    SdkClientError,
    ServiceError,
    WriteTimeoutError,
)
from ecrclient._generated import faults
from ecrclient._generated.faults import AmazonECRException as AmazonECRException

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


if not TYPE_CHECKING:  # a run-time hook only: type checkers must not see an Any-typed fallback

    def __getattr__(name: str) -> Any:
        if name in _ENGINE_ERRORS:
            import importlib

            return getattr(importlib.import_module(_ENGINE_ERRORS[name]), name)
        try:
            return getattr(faults, name)
        except AttributeError:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


__all__ = [
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
    "ResponseTooLargeError",
    "SdkClientError",
    "ServiceError",
    "HttpTimeoutError",
    "InterceptorError",
    "WaiterConfigError",
    "WaiterError",
    "WriteTimeoutError",
]
__all__ += faults.__all__  # AmazonECRException and every modeled fault, as type checkers see
