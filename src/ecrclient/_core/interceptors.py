"""Interceptors: hooks into every call, at the points and in the order the AWS SDKs' reference
architecture names them.

For each call, in order::

    read_before_execution
    modify_before_serialization      -> may replace context.request
    read_before_serialization
    read_after_serialization         (context.http_request: serialized, not yet signed)
    modify_before_retry_loop         -> may replace context.http_request
    for each attempt:
        read_before_attempt
        modify_before_signing        -> may replace context.http_request (a header added here
        read_before_signing             is signed)
        read_after_signing
        modify_before_transmit       -> may replace context.http_request
        read_before_transmit
        read_after_transmit          (context.http_response; skipped when the send failed)
        modify_before_deserialization -> may replace context.http_response
        read_before_deserialization
        read_after_deserialization   (context.result or context.error)
        modify_before_attempt_completion -> may replace context.result / context.error
        read_after_attempt
    modify_before_completion         -> may replace context.result / context.error
    read_after_execution

``read_*`` hooks look; ``modify_*`` hooks return the (possibly new) value. An exception raised
by a hook becomes an :class:`InterceptorError` naming the interceptor and the hook. Hooks run on
the caller's thread (or event loop) and must not block. With no interceptor registered, none of
this costs anything. Once ``read_before_execution`` has run, ``read_after_execution`` runs too:
a call that fails before its retry loop (a hook raising, a request that cannot be serialized),
or that is abandoned mid-way by a cancellation or an interrupt (an exception that is not an
``Exception``), still runs it, with ``context.error`` set, so that what a hook began (a trace
span, say) ends.

Default interceptors: :func:`add_default_interceptor` registers a factory that every client
created afterwards calls once, during its construction, for an interceptor of its own (or
``None``); clients created before are not changed. This is how an instrumentation reaches every
client without the code that creates them (``ecrclient.otel`` uses it). With no factory
registered a client's construction pays one truth test, and its calls nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import attrs

from ecrclient._core.errors import SdkClientError
from ecrclient._core.messages import HttpRequest, HttpResponse
from ecrclient._core.redaction import redact

READ_HOOKS = (
    "read_before_execution",
    "read_before_serialization",
    "read_after_serialization",
    "read_before_attempt",
    "read_before_signing",
    "read_after_signing",
    "read_before_transmit",
    "read_after_transmit",
    "read_before_deserialization",
    "read_after_deserialization",
    "read_after_attempt",
    "read_after_execution",
)


@attrs.define(kw_only=True, repr=False)
class InterceptorContext:
    """What a call has so far; one object per call, passed to every hook.

    Its ``repr`` is redacted (:func:`~ecrclient._core.redaction.redact`): a result may be a
    plain dict holding a docker password (the boto3-compatible layer's answers are)."""

    operation_name: str
    """The wire name, e.g. ``DescribeImages``."""
    request: Any
    """The typed request."""
    http_request: HttpRequest | None = None
    http_response: HttpResponse | None = None
    result: Any = None
    """The typed result, once an attempt produced one."""
    error: BaseException | None = None
    """The fault or SDK error of the attempt (or call), when it failed."""
    attempt: int = 0
    """The attempt number, from 1; 0 before the retry loop."""
    attributes: dict[str, Any] = attrs.field(factory=lambda: {})
    """Scratch space for interceptors to keep per-call state."""

    def __repr__(self) -> str:
        shown = ", ".join(
            f"{field.name}={getattr(self, field.name)!r}" for field in attrs.fields(type(self))
        )
        return redact(f"{type(self).__name__}({shown})")


class Interceptor:
    """Base class: every hook does nothing. Override the ones you need."""

    def read_before_execution(self, context: InterceptorContext) -> None: ...
    def modify_before_serialization(self, context: InterceptorContext) -> Any:
        return context.request

    def read_before_serialization(self, context: InterceptorContext) -> None: ...
    def read_after_serialization(self, context: InterceptorContext) -> None: ...
    def modify_before_retry_loop(self, context: InterceptorContext) -> HttpRequest | None:
        return context.http_request

    def read_before_attempt(self, context: InterceptorContext) -> None: ...
    def modify_before_signing(self, context: InterceptorContext) -> HttpRequest | None:
        return context.http_request

    def read_before_signing(self, context: InterceptorContext) -> None: ...
    def read_after_signing(self, context: InterceptorContext) -> None: ...
    def modify_before_transmit(self, context: InterceptorContext) -> HttpRequest | None:
        return context.http_request

    def read_before_transmit(self, context: InterceptorContext) -> None: ...
    def read_after_transmit(self, context: InterceptorContext) -> None: ...
    def modify_before_deserialization(self, context: InterceptorContext) -> HttpResponse | None:
        return context.http_response

    def read_before_deserialization(self, context: InterceptorContext) -> None: ...
    def read_after_deserialization(self, context: InterceptorContext) -> None: ...
    def modify_before_attempt_completion(
        self, context: InterceptorContext
    ) -> tuple[Any, BaseException | None]:
        return context.result, context.error

    def read_after_attempt(self, context: InterceptorContext) -> None: ...
    def modify_before_completion(
        self, context: InterceptorContext
    ) -> tuple[Any, BaseException | None]:
        return context.result, context.error

    def read_after_execution(self, context: InterceptorContext) -> None: ...


class InterceptorError(SdkClientError):
    """An interceptor's hook raised; the original exception is the ``__cause__``."""

    def __init__(self, interceptor: object, hook: str, exc: BaseException) -> None:
        name = type(interceptor).__name__
        super().__init__(f"interceptor {name}.{hook} raised {type(exc).__name__}: {exc}")
        self.interceptor = interceptor
        self.hook = hook


class Hooks:
    """Runs the hooks of a sequence of interceptors, in registration order."""

    __slots__ = ("interceptors",)

    def __init__(self, interceptors: Sequence[object]) -> None:
        self.interceptors = tuple(interceptors)

    def __bool__(self) -> bool:
        return bool(self.interceptors)

    def read(self, hook: str, context: InterceptorContext) -> None:
        for interceptor in self.interceptors:
            method = getattr(interceptor, hook, None)
            if method is not None:
                try:
                    method(context)
                except Exception as exc:
                    raise InterceptorError(interceptor, hook, exc) from exc

    def modify(self, hook: str, context: InterceptorContext, field: str) -> None:
        """Let each interceptor replace ``context.<field>`` (``None`` keeps it)."""
        for interceptor in self.interceptors:
            method = getattr(interceptor, hook, None)
            if method is None:
                continue
            try:
                value = method(context)
            except Exception as exc:
                raise InterceptorError(interceptor, hook, exc) from exc
            if value is not None:
                setattr(context, field, value)

    def modify_outcome(self, hook: str, context: InterceptorContext) -> None:
        """Let each interceptor replace the result or error (returning ``(result, error)``)."""
        for interceptor in self.interceptors:
            method = getattr(interceptor, hook, None)
            if method is None:
                continue
            try:
                result, error = method(context)
            except Exception as exc:
                raise InterceptorError(interceptor, hook, exc) from exc
            context.result, context.error = result, error


InterceptorFactory = Callable[[Any], object]
"""Called with a client under construction (its ``region_name`` and ``endpoint_url`` are set);
returns the interceptor that client runs, or ``None`` for none."""

_default_factories: tuple[InterceptorFactory, ...] = ()


def add_default_interceptor(factory: InterceptorFactory) -> None:
    """Have every client created from now on call ``factory(client)`` and run the interceptor it
    returns (``None``: none), before any added with ``add_interceptor``. Adding a factory twice
    adds it once."""
    global _default_factories
    if factory not in _default_factories:
        _default_factories = (*_default_factories, factory)


def remove_default_interceptor(factory: InterceptorFactory) -> None:
    """Stop giving clients created from now on ``factory``'s interceptor; a no-op when it is not
    registered. Clients that already have one keep it."""
    global _default_factories
    _default_factories = tuple(f for f in _default_factories if f != factory)


def default_interceptors(client: Any) -> tuple[object, ...]:
    """The interceptors the registered factories give ``client`` (empty without factories)."""
    if not _default_factories:
        return ()
    made = (factory(client) for factory in _default_factories)
    return tuple(interceptor for interceptor in made if interceptor is not None)
