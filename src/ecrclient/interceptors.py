"""Interceptors (request handlers): hooks into every call, in the AWS SDKs' order, and the
HTTP messages they see (:class:`HttpRequest`, :class:`HttpResponse`).

See :mod:`ecrclient._core.interceptors` for the hook list and order.
"""

from ecrclient._core.interceptors import (
    READ_HOOKS,
    Interceptor,
    InterceptorContext,
    InterceptorError,
)
from ecrclient._core.messages import HttpRequest, HttpResponse

__all__ = [
    "READ_HOOKS",
    "HttpRequest",
    "HttpResponse",
    "Interceptor",
    "InterceptorContext",
    "InterceptorError",
]
