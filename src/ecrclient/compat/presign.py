"""``generate_presigned_url`` for the boto3-style clients: the request is checked and
serialized as for a call, then botocore's own ``RequestSigner`` signs it into a URL, as boto3
does (query-string SigV4; for ECR's JSON protocol the body's members become query parameters)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ecrclient._core.credentials import FrozenCredentials
    from ecrclient._core.messages import HttpRequest

_PRESIGNED_HEADERS = ("x-amz-target", "content-type")
"""The serialized headers botocore presigns (it adds no User-Agent to a presigned request)."""


def presigned_url(
    http: HttpRequest,
    *,
    operation_name: str,
    endpoint_url: str,
    region_name: str,
    expires_in: int,
    http_method: str | None,
    credentials: FrozenCredentials,
    events: Any,
) -> str:
    """The URL boto3's ``generate_presigned_url`` gives for the request ``http`` carries.
    ``events`` is the client's ``meta.events``: botocore's signer emits ``before-sign`` there."""
    from botocore import awsrequest
    from botocore.credentials import Credentials
    from botocore.model import ServiceId
    from botocore.signers import RequestSigner

    context: dict[str, Any] = {"is_presign_request": True, "use_global_endpoint": False}
    request_dict: dict[str, Any] = {
        "url_path": "/",
        "query_string": "",
        "method": http_method if http_method is not None else http.method,
        "headers": {
            name: value
            for name, value in http.headers.items()
            if name.lower() in _PRESIGNED_HEADERS
        },
        "body": http.body,
        "context": context,
    }
    untyped_awsrequest: Any = awsrequest  # botocore ships no types
    untyped_awsrequest.prepare_request_dict(
        request_dict, endpoint_url=endpoint_url, context=context
    )
    signer: Any = RequestSigner(
        ServiceId("ECR"),
        region_name,
        "ecr",
        "v4",
        Credentials(credentials.access_key, credentials.secret_key, credentials.token),
        events,
    )
    url: str = signer.generate_presigned_url(
        request_dict=request_dict, operation_name=operation_name, expires_in=expires_in
    )
    return url
