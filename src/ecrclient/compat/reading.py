"""Answers read as botocore reads them, for the boto3-compatible clients.

The typed clients read ECR's answers strictly (``ecrclient._core.awsjson``). boto3 code may
depend on botocore's leniency, so the drop-in's pipeline is built with :func:`read_as_botocore`
instead, which differs in five places only:

* an empty 2xx body is a result without members (strictly: a malformed answer);
* an error's code comes from the body's ``__type`` alone, never the ``x-amzn-ErrorType``
  header;
* an error body that is not JSON becomes the fault's message, and a missing code is the HTTP
  status;
* an empty or HTML 5xx answer is the generic ``"<status>"`` fault whose message is the reason
  phrase, without a request id;
* a value of another type than the model's (a float for a long, text for a boolean) is kept as
  botocore keeps it: where the typed reading refuses such an answer, botocore's own parser
  reads it (:class:`~ecrclient.compat.installed_model.InstalledResult`).

A non-empty 2xx body that is not JSON raises in both readings: botocore reads it as an empty
result, which would lose the answer silently.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ecrclient._core import awsjson
from ecrclient._core.errors import MalformedResponseError, ServiceError
from ecrclient._core.messages import HttpResponse
from ecrclient._core.metadata import ResponseMetadata
from ecrclient._core.operation import OperationSpec
from ecrclient._core.wire import WireShapeError
from ecrclient._generated.service import OPERATION_MODULES
from ecrclient.compat.installed_model import installed_operation


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
    data = awsjson.decode_object(response.body)
    if isinstance(data, str):
        raise awsjson.malformed(operation, response, metadata, data)
    try:
        return awsjson.result_of(operation, response, metadata, data)
    except MalformedResponseError as exc:
        lenient = _botocore_reading(operation)
        if lenient is None or not isinstance(exc.__cause__, WireShapeError):
            raise
        result = lenient.result_type._from_wire(data, metadata)
        try:
            result._to_boto()  # botocore's parser, now: what it cannot read either is malformed
        except MalformedResponseError:
            raise exc from exc.__cause__  # the typed reading's reason names the member
        return result


def _botocore_reading(operation: OperationSpec) -> OperationSpec | None:
    """The spec that reads ``operation``'s answers with botocore's parser (values as they
    come), for the answers the typed reading refuses."""
    method = OPERATION_MODULES.get(operation.name)
    return installed_operation(method) if method is not None else None


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
