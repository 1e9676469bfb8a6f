"""Interceptors (request handlers): hooks into every call, in the AWS SDKs' order, and the
HTTP messages they see (:class:`HttpRequest`, :class:`HttpResponse`).

See :mod:`ecrclient._core.interceptors` for the hook list and order.
:func:`add_default_interceptor` gives every client created afterwards an interceptor of its own,
made by a factory (how an instrumentation such as :mod:`ecrclient.otel` reaches every client).
"""

from ecrclient._core.interceptors import (
    READ_HOOKS,
    Interceptor,
    InterceptorContext,
    InterceptorError,
    InterceptorFactory,
    add_default_interceptor,
    remove_default_interceptor,
)
from ecrclient._core.messages import HttpRequest, HttpResponse

__all__ = [
    "READ_HOOKS",
    "HttpRequest",
    "HttpResponse",
    "Interceptor",
    "InterceptorContext",
    "InterceptorError",
    "InterceptorFactory",
    "add_default_interceptor",
    "remove_default_interceptor",
]
