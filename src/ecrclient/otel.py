"""OpenTelemetry tracing for every ecrclient client: ``pip install "ecrclient[otel]"``.

::

    from ecrclient.otel import EcrClientInstrumentor

    EcrClientInstrumentor().instrument()  # or run under ``opentelemetry-instrument``

Every client created afterwards — ``ECRClient``, ``AsyncECRClient`` (either transport),
``ecrclient.client("ecr")`` and ``ecrclient.aio.client("ecr")`` — traces each call with the span
``opentelemetry-instrumentation-botocore`` makes for boto3: named ``ECR.<Operation>``, of kind
CLIENT, with ``rpc.system`` (``aws-api``), ``rpc.service`` (``ECR``), ``rpc.method``,
``cloud.region``, ``server.address`` and ``server.port`` from the start, and once answered
``aws.request_id``, ``retry_attempts`` and ``http.status_code``; a fault (an HTTP status that is
an error for a client span) or a failure without an answer sets the status to ERROR with the
error's text, and the exception is recorded on the span. Each request carries the span's
context in an ``X-Amzn-Trace-Id`` header (AWS X-Ray's, the only one AWS services propagate), as
the botocore instrumentation sends it.

Beyond it: each retry adds a span event ``ecr.retry`` saying which attempt follows and why the
previous one failed (``error.type``, and ``http.status_code`` when it was answered). The span is
the current one while the call runs, so an instrumented HTTP client (``HTTPXClientInstrumentor``
for the httpx transports) makes one HTTP span per attempt as its child, and propagates the trace
in its own headers; ``instrument(suppress_http_instrumentation=True)`` suppresses those spans,
as the botocore instrumentation does for urllib3's.

How it reaches the clients: ``instrument()`` registers a default-interceptor factory
(:func:`ecrclient.interceptors.add_default_interceptor`), which each client created afterwards
calls once, while it is constructed, for an interceptor of its own. Clients created before
``instrument()`` stay untraced; ``uninstrument()`` unregisters the factory and turns the
existing interceptors into no-ops. A client created without the instrumentation has no
interceptor: its calls pay nothing. Calls made while instrumentation is suppressed
(``opentelemetry.instrumentation.utils.suppress_instrumentation``) are not traced.

Differences from the botocore instrumentation, by design: the instrumentation scope is
``ecrclient.otel``; the exception recorded for a fault is ecrclient's class (for a code the
model does not know, ``AmazonECRException`` where the drop-in then raises botocore's
``ClientError``), and for a failure without an answer ecrclient's network error, whose text
(also the status description) is ecrclient's; a call refused before it starts (parameter
validation) makes no span; the ``ecr.retry`` events; the HTTP spans beneath (unless
suppressed).

``request_hook(span, "ecr", operation_name, request)`` and
``response_hook(span, "ecr", operation_name, result)`` may be passed to ``instrument``, as to
the botocore instrumentation's; here ``request`` is the typed request and ``result`` the typed
result (``None`` on failure). On the drop-in's calls (``ecrclient.client("ecr")``), whose
answers are read straight into boto3's dicts, ``result`` is the answer object: its ``response``
is boto3's dict (without ``ResponseMetadata``), its ``response_metadata`` the metadata.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection
from contextvars import Token
from typing import Any
from urllib.parse import urlsplit

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.instrumentation.instrumentor import (  # type: ignore[attr-defined]
    BaseInstrumentor,  # (the module is "# type: ignore" as a whole: mypy sees no names in it)
)
from opentelemetry.instrumentation.utils import (
    http_status_to_status_code,
    is_instrumentation_enabled,
    suppress_http_instrumentation,
)
from opentelemetry.propagators.aws.aws_xray_propagator import AwsXRayPropagator
from opentelemetry.semconv._incubating.attributes.cloud_attributes import CLOUD_REGION
from opentelemetry.semconv._incubating.attributes.http_attributes import HTTP_STATUS_CODE
from opentelemetry.semconv._incubating.attributes.rpc_attributes import (
    RPC_METHOD,
    RPC_SERVICE,
    RPC_SYSTEM,
)
from opentelemetry.semconv._incubating.attributes.server_attributes import (
    SERVER_ADDRESS,
    SERVER_PORT,
)
from opentelemetry.trace import Span, SpanKind, StatusCode, Tracer

from ecrclient._core.errors import ServiceError
from ecrclient._core.interceptors import InterceptorContext
from ecrclient._version import __version__
from ecrclient.interceptors import add_default_interceptor, remove_default_interceptor

__all__ = ["EcrClientInstrumentor", "TracingInterceptor"]

logger = logging.getLogger(__name__)

SERVICE_ID = "ECR"
"""ECR's ``serviceId``: the spans' ``rpc.service`` and the prefix of their names."""
SCHEMA_URL = "https://opentelemetry.io/schemas/1.11.0"
"""The semantic conventions the attributes follow (those of the botocore instrumentation)."""
RETRY_EVENT = "ecr.retry"
_STATE = "ecrclient.otel"
"""The key of a call's span (and context tokens) in ``InterceptorContext.attributes``."""

Hook = Callable[[Span, str, str, Any], None]


class _Settings:
    """What every interceptor of one ``instrument()`` shares; ``uninstrument()`` turns
    ``enabled`` off for the interceptors clients already have."""

    def __init__(
        self,
        tracer: Tracer,
        *,
        suppress_http: bool,
        request_hook: Hook | None,
        response_hook: Hook | None,
    ) -> None:
        self.tracer = tracer
        self.suppress_http = suppress_http
        self.request_hook = request_hook
        self.response_hook = response_hook
        self.enabled = True
        self.propagator = AwsXRayPropagator()


class _CallState:
    """One traced call: its span, the context tokens to detach, the last failure."""

    __slots__ = ("failure", "span", "suppression", "token")

    def __init__(self, span: Span, token: Token[Context], suppression: Any) -> None:
        self.span = span
        self.token = token
        self.suppression = suppression
        self.failure: dict[str, str | int] | None = None


def server_attributes(endpoint_url: str) -> dict[str, str | int]:
    """``server.address`` and ``server.port`` as the botocore instrumentation derives them from
    an endpoint URL (the port defaults to 443, whatever the scheme)."""
    parts = urlsplit(endpoint_url)
    if not parts.hostname:
        return {}
    return {SERVER_ADDRESS: parts.hostname, SERVER_PORT: parts.port or 443}


class TracingInterceptor:
    """One client's tracing interceptor (made by the factory :class:`EcrClientInstrumentor`
    registers). It defines only the hooks it uses, so the others cost nothing."""

    def __init__(self, settings: _Settings, *, region: str, endpoint_url: str) -> None:
        self._settings = settings
        self._region = region
        self._server = server_attributes(endpoint_url)

    def read_before_execution(self, context: InterceptorContext) -> None:
        settings = self._settings
        if not settings.enabled or not is_instrumentation_enabled():
            return
        try:
            operation = context.operation_name
            span = settings.tracer.start_span(
                f"{SERVICE_ID}.{operation}",
                kind=SpanKind.CLIENT,
                attributes={
                    RPC_SYSTEM: "aws-api",
                    RPC_SERVICE: SERVICE_ID,
                    RPC_METHOD: operation,
                    CLOUD_REGION: self._region,
                    **self._server,
                },
            )
            token = otel_context.attach(trace.set_span_in_context(span))
            suppression = None
            if settings.suppress_http:
                suppression = suppress_http_instrumentation()
                suppression.__enter__()
            context.attributes[_STATE] = _CallState(span, token, suppression)
            if settings.request_hook is not None:
                settings.request_hook(span, "ecr", operation, context.request)
        except Exception:  # tracing never breaks a call
            logger.exception("ecrclient.otel: could not start the span of a call")

    def read_before_attempt(self, context: InterceptorContext) -> None:
        state: _CallState | None = context.attributes.get(_STATE)
        if state is None or context.attempt < 2 or state.failure is None:
            return
        state.span.add_event(RETRY_EVENT, {"retry.attempt": context.attempt, **state.failure})
        state.failure = None

    def modify_before_transmit(self, context: InterceptorContext) -> Any:
        state: _CallState | None = context.attributes.get(_STATE)
        http_request = context.http_request
        if state is not None and http_request is not None:
            # After signing, as botocore injects it: the header is not part of the signature.
            self._settings.propagator.inject(
                http_request.headers, context=trace.set_span_in_context(state.span)
            )
        return http_request

    def read_after_attempt(self, context: InterceptorContext) -> None:
        state: _CallState | None = context.attributes.get(_STATE)
        error = context.error
        if state is None or error is None:
            return
        failure: dict[str, str | int] = {"error.type": _error_type(error)}
        response = context.http_response
        if response is not None:
            failure[HTTP_STATUS_CODE] = response.status_code
        state.failure = failure

    def read_after_execution(self, context: InterceptorContext) -> None:
        state: _CallState | None = context.attributes.pop(_STATE, None)
        if state is None:
            return
        span, error = state.span, context.error
        try:
            if error is None:
                _apply_response(span, getattr(context.result, "response_metadata", None))
            elif isinstance(error, ServiceError):
                metadata = error.response_metadata
                _apply_response(span, metadata)
                status = metadata.http_status_code if metadata is not None else error.status_code
                if http_status_to_status_code(status or 0) is StatusCode.ERROR:
                    span.set_status(StatusCode.ERROR, str(error))
            elif isinstance(error, Exception):
                span.set_status(StatusCode.ERROR, str(error))
            # A cancellation or an interrupt is recorded, and leaves the status unset, as
            # OpenTelemetry's ``with`` spans (the botocore instrumentation's) leave it.
            if error is not None and span.is_recording():
                span.record_exception(error)
            hook = self._settings.response_hook
            if hook is not None:
                hook(span, "ecr", context.operation_name, context.result if error is None else None)
        except Exception:
            logger.exception("ecrclient.otel: could not complete the span of a call")
        finally:
            span.end()
            if state.suppression is not None:
                state.suppression.__exit__(None, None, None)
            otel_context.detach(state.token)


def _error_type(error: BaseException) -> str:
    if isinstance(error, ServiceError):
        return error.error_code
    return type(error).__name__


def _apply_response(span: Span, metadata: Any) -> None:
    """The response attributes, from a call's :class:`ResponseMetadata`, as the botocore
    instrumentation takes them from boto3's ``ResponseMetadata``."""
    if metadata is None or metadata.is_empty or not span.is_recording():
        return
    headers = metadata.http_headers
    request_id = (
        metadata.request_id
        or headers.get("x-amzn-requestid")
        or headers.get("x-amz-request-id")
        or headers.get("x-amz-id-2")
    )
    if request_id:
        span.set_attribute("aws.request_id", request_id)
    span.set_attribute("retry_attempts", metadata.retry_attempts)
    span.set_attribute(HTTP_STATUS_CODE, metadata.http_status_code)


class EcrClientInstrumentor(BaseInstrumentor):  # type: ignore[misc]  # Any to mypy, see above
    """Traces the calls of every ecrclient client created after :meth:`instrument`.

    ``instrument(tracer_provider=None, suppress_http_instrumentation=False, request_hook=None,
    response_hook=None)``; found by ``opentelemetry-instrument`` through the
    ``opentelemetry_instrumentor`` entry point ``ecrclient``.
    """

    _factory: Callable[[Any], object] | None = None
    _settings: _Settings | None = None

    def instrumentation_dependencies(self) -> Collection[str]:
        return ("ecrclient",)

    def _instrument(self, **kwargs: Any) -> None:
        tracer = trace.get_tracer(
            __name__,
            __version__,
            tracer_provider=kwargs.get("tracer_provider"),
            schema_url=SCHEMA_URL,
        )
        settings = _Settings(
            tracer,
            suppress_http=bool(kwargs.get("suppress_http_instrumentation", False)),
            request_hook=kwargs.get("request_hook"),
            response_hook=kwargs.get("response_hook"),
        )

        def factory(client: Any) -> TracingInterceptor:
            return TracingInterceptor(
                settings, region=client.region_name, endpoint_url=client.endpoint_url
            )

        self._settings, self._factory = settings, factory
        add_default_interceptor(factory)

    def _uninstrument(self, **kwargs: Any) -> None:
        del kwargs
        if self._factory is not None:
            remove_default_interceptor(self._factory)
        if self._settings is not None:
            self._settings.enabled = False
        self._factory = self._settings = None
