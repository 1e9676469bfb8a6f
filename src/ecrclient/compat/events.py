"""``client.meta.events`` for the boto3-compatible clients: the botocore events boto3 code
commonly hooks, emitted at the same moments and with the same arguments as botocore emits them.

Supported: ``provide-client-params``, ``before-parameter-build``,
``before-endpoint-resolution`` (its ``builtins`` tell the inputs the client's endpoint was
resolved from when it was created; changing them changes nothing), ``before-call`` (a handler
returning ``(http_response, parsed)`` short-circuits the call), ``before-sign`` (headers a
handler adds are signed), ``before-send`` (a handler returning an ``AWSResponse`` replaces the
HTTP exchange), ``after-call`` and ``after-call-error``, each as ``<event>``,
``<event>.ecr`` or ``<event>.ecr.<Operation>``, with botocore's wildcard matching. Registering
any other event raises an error listing these. Handlers are matched by botocore's own emitter.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from typing import Any

import attrs

from ecrclient._core.interceptors import Interceptor, InterceptorContext
from ecrclient._core.messages import HttpResponse
from ecrclient._core.signatures import method_parsed_by

SUPPORTED_EVENTS = (
    "provide-client-params",
    "before-parameter-build",
    "before-endpoint-resolution",
    "before-call",
    "before-sign",
    "before-send",
    "after-call",
    "after-call-error",
)
SERVICE_ID = "ecr"

last_response: contextvars.ContextVar[HttpResponse | None] = contextvars.ContextVar(
    "ecrclient_last_response", default=None
)
"""The HTTP response of the current call's last attempt, for ``after-call`` handlers."""


class UnsupportedEventError(ValueError):
    pass


def endpoint_builtins(parameters: Mapping[str, object]) -> dict[Any, object]:
    """botocore's endpoint builtins (keyed by its ``EndpointResolverBuiltins``) for a typed
    client's ``endpoint_parameters``."""
    from botocore.regions import EndpointResolverBuiltins as Builtins

    return {
        Builtins.AWS_REGION: parameters["Region"],
        Builtins.AWS_USE_FIPS: parameters["UseFIPS"],
        Builtins.AWS_USE_DUALSTACK: parameters["UseDualStack"],
        Builtins.SDK_ENDPOINT: parameters["Endpoint"],
    }


def _check(event_name: str) -> None:
    parts = event_name.split(".")
    if parts[0] not in SUPPORTED_EVENTS or (len(parts) > 1 and parts[1] not in (SERVICE_ID, "*")):
        raise UnsupportedEventError(
            f"ecrclient does not emit {event_name!r}; supported events are "
            f"{', '.join(SUPPORTED_EVENTS)} (optionally followed by '.ecr' and "
            "'.<OperationName>', or a '*' wildcard)"
        )


@attrs.frozen
class Registration:
    """A handler for an event, as botocore's ``register*`` methods take it."""

    event_name: str
    handler: Any
    unique_id: Any = None
    unique_id_uses_count: bool = False


def registration(
    event_name: str, handler: Any, unique_id: Any = None, unique_id_uses_count: bool = False
) -> Registration:
    """botocore's ``register`` / ``register_first`` / ``register_last`` signature."""
    return Registration(event_name, handler, unique_id, unique_id_uses_count)


class CompatEvents:
    """The subset of botocore's event system the drop-in emits."""

    def __init__(self) -> None:
        from botocore.hooks import HierarchicalEmitter

        self._emitter: Any = HierarchicalEmitter()
        self.active = False
        """Whether any handler was ever registered (the event path costs nothing otherwise)."""

    # botocore's HierarchicalEmitter, whose methods botocore leaves unannotated.
    @method_parsed_by(registration)
    def register(self, handler: Registration) -> None:
        self._add(self._emitter.register, handler)

    @method_parsed_by(registration)
    def register_first(self, handler: Registration) -> None:
        self._add(self._emitter.register_first, handler)

    @method_parsed_by(registration)
    def register_last(self, handler: Registration) -> None:
        self._add(self._emitter.register_last, handler)

    def _add(self, register: Callable[..., None], handler: Registration) -> None:
        _check(handler.event_name)
        register(
            handler.event_name,
            handler.handler,
            handler.unique_id,
            handler.unique_id_uses_count,
        )
        self.active = True

    def unregister(
        self,
        event_name: str,
        handler: Any = None,
        unique_id: Any = None,
        unique_id_uses_count: bool = False,
    ) -> None:
        self._emitter.unregister(event_name, handler, unique_id, unique_id_uses_count)

    def emit(self, event_name: str, **kwargs: Any) -> list[tuple[Any, Any]]:
        responses: list[tuple[Any, Any]] = self._emitter.emit(event_name, **kwargs)
        return responses

    def emit_until_response(self, event_name: str, **kwargs: Any) -> tuple[Any, Any]:
        response: tuple[Any, Any] = self._emitter.emit_until_response(event_name, **kwargs)
        return response


class _ReadBody:
    """A body already read in full, as the ``raw`` stream botocore's ``AWSResponse`` reads it
    from."""

    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self) -> Iterator[bytes]:
        yield self._body


def aws_response(response: HttpResponse, url: str) -> Any:
    """botocore's ``AWSResponse`` for one of our responses, body included."""
    from botocore.awsrequest import AWSResponse, HeadersDict

    # botocore has no public way to set the body: ``content`` reads it from ``raw.stream()``
    # on first use and keeps it.
    return AWSResponse(
        url, response.status_code, HeadersDict(response.headers), _ReadBody(response.body)
    )


def _bytes_header_values(headers: MutableMapping[str, str | bytes]) -> None:
    """botocore hands before-send handlers header values encoded as bytes."""
    for name, value in list(headers.items()):
        if isinstance(value, str):
            headers[name] = value.encode("utf-8")


class EventBridge(Interceptor):
    """Emits the signing and sending events from inside the typed client's pipeline."""

    def __init__(self, events: CompatEvents, region_name: str) -> None:
        self._events = events
        self._region_name = region_name

    def modify_before_signing(self, context: InterceptorContext) -> Any:
        from botocore.awsrequest import AWSRequest

        request = context.http_request
        assert request is not None
        aws = AWSRequest(
            method=request.method, url=request.url, headers=request.headers, data=request.body
        )
        self._events.emit(
            f"before-sign.{SERVICE_ID}.{context.operation_name}",
            request=aws,
            signing_name=SERVICE_ID,
            region_name=self._region_name,
            signature_version="v4",
            request_signer=None,
            operation_name=context.operation_name,
        )
        request.headers = dict(aws.headers.items())
        return request

    def read_before_transmit(self, context: InterceptorContext) -> None:
        from botocore.awsrequest import AWSRequest

        request = context.http_request
        assert request is not None
        prepared = AWSRequest(
            method=request.method, url=request.url, headers=request.headers, data=request.body
        ).prepare()
        _bytes_header_values(prepared.headers)
        _, response = self._events.emit_until_response(
            f"before-send.{SERVICE_ID}.{context.operation_name}", request=prepared
        )
        if response is not None:
            context.http_response = HttpResponse(
                status_code=response.status_code,
                headers={name.lower(): value for name, value in response.headers.items()},
                body=response.content,
            )

    def read_after_transmit(self, context: InterceptorContext) -> None:
        last_response.set(context.http_response)
