"""The awsJson 1.1 protocol: requests out, results and faults in.

Every call is ``POST /`` with ``Content-Type: application/x-amz-json-1.1`` and
``X-Amz-Target: <target prefix>.<Operation>``; the body is the request's members as JSON.
A 2xx answer is the result's members as JSON; anything else is an error whose code is in the
body's ``__type`` or the ``x-amzn-ErrorType`` header.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, cast

from ecrclient._core.errors import MalformedResponseError, ServiceError
from ecrclient._core.messages import HttpRequest, HttpResponse
from ecrclient._core.metadata import ResponseMetadata
from ecrclient._core.operation import OperationSpec
from ecrclient._core.service import ServiceSpec


def build_request(
    service: ServiceSpec,
    operation: OperationSpec,
    request: Any,
    *,
    endpoint_url: str,
    headers: Mapping[str, str],
) -> HttpRequest:
    """The unsigned HTTP request for ``request``; ``headers`` are added as given."""
    body = json.dumps(request._to_wire(), separators=(",", ":")).encode()
    all_headers = {
        "X-Amz-Target": f"{service.target_prefix}.{operation.name}",
        "Content-Type": f"application/x-amz-json-{service.json_version}",
        **headers,
    }
    url = endpoint_url if endpoint_url.endswith("/") else endpoint_url + "/"
    return HttpRequest(method="POST", url=url, headers=all_headers, body=body)


def response_metadata(
    response: HttpResponse, *, retry_attempts: int = 0, max_attempts_reached: bool = False
) -> ResponseMetadata:
    return ResponseMetadata(
        request_id=response.headers.get("x-amzn-requestid"),
        http_status_code=response.status_code,
        http_headers=response.headers,
        retry_attempts=retry_attempts,
        max_attempts_reached=max_attempts_reached,
    )


def parse_response(
    operation: OperationSpec,
    response: HttpResponse,
    metadata: ResponseMetadata,
    *,
    faults: Mapping[str, type[ServiceError]],
    base_error: type[ServiceError],
) -> Any:
    """The typed result of a 2xx response; any other response raises its fault. A 2xx body
    that is not a JSON object raises :class:`MalformedResponseError` (empty included: ECR
    answers every operation with an object)."""
    if not 200 <= response.status_code < 300:
        raise error_from_response(
            operation, response, metadata, faults=faults, base_error=base_error
        )
    data = decode_object(response.body)
    if isinstance(data, str):
        raise malformed(operation, response, metadata, data)
    return result_of(operation, response, metadata, data)


def result_of(
    operation: OperationSpec, response: HttpResponse, metadata: ResponseMetadata, data: Any
) -> Any:
    """The typed result from the decoded JSON ``data``; raises
    :class:`MalformedResponseError` when it does not fit the result's shape."""
    try:
        return operation.result_type._from_wire(data, metadata)
    except (TypeError, ValueError, AttributeError, KeyError) as exc:
        reason = f"the JSON does not fit {operation.result_type.__name__} ({exc})"
        raise malformed(operation, response, metadata, reason) from exc


def error_code(body: Mapping[str, Any] | None, headers: Mapping[str, str]) -> str | None:
    """The error code from ``__type`` or ``x-amzn-ErrorType``, without namespace or suffix."""
    raw = body.get("__type") if body is not None else None
    if not isinstance(raw, str) or not raw:
        raw = headers.get("x-amzn-errortype")
    if not raw:
        return None
    raw = raw.split(":", 1)[0]
    return raw.rsplit("#", 1)[-1]


def error_from_response(
    operation: OperationSpec,
    response: HttpResponse,
    metadata: ResponseMetadata,
    *,
    faults: Mapping[str, type[ServiceError]],
    base_error: type[ServiceError],
) -> Exception:
    """The exception for an error response: its modeled fault, the base fault, or an SDK error
    when the body cannot be read and no header names the error."""
    decoded = decode_object(response.body)
    body = decoded if isinstance(decoded, dict) else None
    code = error_code(body, response.headers)
    if code is None:
        if body is None:
            return malformed(operation, response, metadata, str(decoded))
        code = str(response.status_code)
    return fault(
        operation, response, metadata, code, body or {}, faults=faults, base_error=base_error
    )


def fault(
    operation: OperationSpec,
    response: HttpResponse,
    metadata: ResponseMetadata,
    code: str,
    body: Mapping[str, Any],
    *,
    faults: Mapping[str, type[ServiceError]],
    base_error: type[ServiceError],
    message: Any = None,
    with_request_id: bool = True,
) -> ServiceError:
    """The fault ``code`` names, from the error answer's members (``body``); ``message``
    overrides the body's."""
    if message is None:
        message = body.get("message", body.get("Message", ""))
    return faults.get(code, base_error).from_parts(
        code=code,
        message=message,
        operation_name=operation.name,
        status_code=response.status_code,
        metadata=metadata,
        members=body,
        with_request_id=with_request_id,
    )


def decode_object(body: bytes) -> dict[str, Any] | str:
    """The JSON object in ``body``, or a string saying why there is none."""
    if not body:
        return "the body is empty"
    try:
        data = json.loads(body)
    except ValueError as exc:
        return f"the body is not JSON ({exc})"
    if not isinstance(data, dict):
        return f"the body is JSON but not an object ({type(data).__name__})"
    return cast("dict[str, Any]", data)


def malformed(
    operation: OperationSpec, response: HttpResponse, metadata: ResponseMetadata, reason: str
) -> MalformedResponseError:
    return MalformedResponseError(
        operation_name=operation.name,
        status_code=response.status_code,
        body=response.body,
        reason=reason,
        request_id=metadata.request_id,
    )
