"""Answers read as botocore reads them, for the boto3-compatible clients.

The typed clients read ECR's answers strictly (``ecrclient._core.awsjson``). boto3 code may
depend on botocore's leniency, so the drop-in's pipeline is built with :func:`read_as_botocore`
instead, which differs in four places only:

* an empty 2xx body is a result without members (strictly: a malformed answer);
* an error's code comes from the body's ``__type`` alone, never the ``x-amzn-ErrorType``
  header;
* an error body that is not JSON becomes the fault's message, and a missing code is the HTTP
  status;
* an empty or HTML 5xx answer is the generic ``"<status>"`` fault whose message is the reason
  phrase, without a request id.

A non-empty 2xx body that is not JSON raises in both readings: botocore reads it as an empty
result, which would lose the answer silently.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ecrclient._core import awsjson
from ecrclient._core.errors import ServiceError
from ecrclient._core.messages import HttpResponse
from ecrclient._core.metadata import ResponseMetadata
from ecrclient._core.operation import OperationSpec


def read_as_botocore(
    operation: OperationSpec,
    response: HttpResponse,
    metadata: ResponseMetadata,
    *,
    faults: Mapping[str, type[ServiceError]],
    base_error: type[ServiceError],
) -> Any:
    """The result of a 2xx response (of the spec's result class: the drop-in calls with the
    generated ``<Operation>Answer``, boto3's dict), read as botocore reads it; raises the fault
    of any other response."""
    if not 200 <= response.status_code < 300:
        raise _error(operation, response, metadata, faults=faults, base_error=base_error)
    if not response.body:
        return awsjson.result_of(operation, response, metadata, {})
    # Any other 2xx answer reads as the strict reading reads it.
    return awsjson.parse_response(
        operation, response, metadata, faults=faults, base_error=base_error
    )


def _error(
    operation: OperationSpec,
    response: HttpResponse,
    metadata: ResponseMetadata,
    *,
    faults: Mapping[str, type[ServiceError]],
    base_error: type[ServiceError],
) -> ServiceError:
    if _generic_server_error(response):
        import http.client  # only for this rare answer: the module is slow to import

        return awsjson.fault(
            operation,
            response,
            metadata,
            str(response.status_code),
            {},
            faults=faults,
            base_error=base_error,
            message=http.client.responses.get(response.status_code, ""),
            with_request_id=False,
        )
    decoded = awsjson.decode_object(response.body)
    if isinstance(decoded, dict):
        body: Mapping[str, Any] = decoded
    else:
        body = {"message": response.body.decode("utf-8", "replace")} if response.body else {}
    code = awsjson.error_code(body, {}) or str(response.status_code)
    return awsjson.fault(
        operation, response, metadata, code, body, faults=faults, base_error=base_error
    )


def _generic_server_error(response: HttpResponse) -> bool:
    """botocore reads an empty or HTML 5xx answer as ``"<status>: <reason phrase>"``."""
    if response.status_code < 500:
        return False
    body = response.body.strip()
    return not body or body.startswith(b"<html>")
