"""Interceptors (request handlers): hooks into every call, in the AWS SDKs' order.

See :mod:`ecrclient._core.interceptors` for the hook list and order.
"""

from ecrclient._core.interceptors import (
    READ_HOOKS,
    Interceptor,
    InterceptorContext,
    InterceptorError,
)

__all__ = ["READ_HOOKS", "Interceptor", "InterceptorContext", "InterceptorError"]
