"""One call, minus the I/O: request in, HTTP request out; HTTP response in, result or fault out.

The sync and async clients both drive a :class:`Pipeline`::

    request = pipeline.coerce(operation, request, kwargs)   # build and validate, before any I/O
    http_request = pipeline.prepare(operation, request)     # serialize, add headers, sign
    http_response = <transport>(http_request)               # the only I/O step
    result = pipeline.complete(operation, request, http_response)  # parse, or raise the fault
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from typing import Any

from ecrclient._core import awsjson, validation
from ecrclient._core.credentials import CredentialSource
from ecrclient._core.errors import RequestValidationError, ServiceError
from ecrclient._core.messages import HttpRequest, HttpResponse
from ecrclient._core.metadata import MetadataCache
from ecrclient._core.operation import OperationSpec
from ecrclient._core.service import ServiceSpec
from ecrclient._core.signing import SigV4Signer


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


class Pipeline:
    """Everything a client knows about making a call, except how to send bytes."""

    def __init__(
        self,
        *,
        service: ServiceSpec,
        faults: Mapping[str, type[ServiceError]],
        base_error: type[ServiceError],
        endpoint_url: str,
        signer: SigV4Signer,
        credentials: CredentialSource,
        user_agent: str,
        validate: bool = True,
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        self.service = service
        self.faults = faults
        self.base_error = base_error
        self.endpoint_url = endpoint_url
        self.signer = signer
        self.credentials = credentials
        self.user_agent = user_agent
        self.validate = validate
        self.clock = clock
        self.metadata_cache = MetadataCache()

    def coerce(self, operation: OperationSpec, request: Any, kwargs: Mapping[str, Any]) -> Any:
        """The request object for a call given either a request or keyword arguments."""
        if request is None:
            request = validation.build_request(operation.request_type, kwargs)
        elif kwargs:
            raise RequestValidationError(
                [
                    f"pass either a {operation.request_type.__name__} or keyword arguments, "
                    f"not both (got {', '.join(sorted(kwargs))})"
                ]
            )
        elif not isinstance(request, operation.request_type):
            raise RequestValidationError(
                [f"expected a {operation.request_type.__name__}, got {type(request).__name__}"]
            )
        if self.validate:
            validation.validate(request)
        return request

    def prepare(
        self, operation: OperationSpec, request: Any, *, attempt: int = 1, max_attempts: int = 1
    ) -> HttpRequest:
        try:
            http_request = awsjson.build_request(
                self.service,
                operation,
                request,
                endpoint_url=self.endpoint_url,
                headers={
                    "User-Agent": self.user_agent,
                    "amz-sdk-invocation-id": str(uuid.uuid4()),
                    "amz-sdk-request": f"attempt={attempt}; max={max_attempts}",
                },
            )
        except (TypeError, ValueError, AttributeError) as exc:
            # Only reachable with validation off: a member of the wrong type cannot be encoded.
            raise RequestValidationError(
                [f"{type(request).__name__} cannot be serialized: {exc}"]
            ) from exc
        self.signer.sign(http_request, self.credentials.frozen(), self.clock())
        return http_request

    def complete(
        self,
        operation: OperationSpec,
        request: Any,
        response: HttpResponse,
        *,
        retry_attempts: int = 0,
        max_attempts_reached: bool = False,
    ) -> Any:
        """The result for ``response``; raises its fault. Remembers the metadata either way."""
        metadata = awsjson.response_metadata(
            response, retry_attempts=retry_attempts, max_attempts_reached=max_attempts_reached
        )
        self.metadata_cache.put(request, metadata)
        return awsjson.parse_response(
            operation, response, metadata, faults=self.faults, base_error=self.base_error
        )
