"""Operations the installed botocore knows and the generated model does not.

boto3 builds its client from the botocore installed beside it, so a newer botocore brings new
operations before this package is regenerated. The drop-in serves them too, through botocore's
model of each: botocore's validator checks the parameters, botocore's serializer writes the
body, the typed client's pipeline signs, sends and retries it, and botocore's parser turns the
answer into boto3's dict. Each such operation gets an :class:`OperationSpec` whose request and
result classes carry the wire data and botocore's operation model; nothing typed is generated
for them, and the typed clients never see them.
"""

from __future__ import annotations

import functools
import json
import os
from typing import Any, ClassVar

import botocore

from ecrclient._core.errors import MalformedResponseError
from ecrclient._core.operation import OperationSpec
from ecrclient._core.pages import TypedPaging
from ecrclient._core.paging import PaginatorSpec
from ecrclient.compat.arguments import SERVICE_NAME


@functools.cache
def _loader() -> Any:
    """botocore's data loader, with the search path boto3's session gives it."""
    from botocore import loaders

    untyped: Any = loaders  # botocore ships no types
    return untyped.create_loader(os.environ.get("AWS_DATA_PATH"))


@functools.cache
def installed_service_model() -> Any:
    """botocore's model of ECR as the installed botocore ships it: what boto3's
    ``client.meta.service_model`` is."""
    from botocore.model import ServiceModel

    data = _loader().load_service_model(SERVICE_NAME, "service-2")
    return ServiceModel(data, service_name=SERVICE_NAME)


@functools.cache
def installed_paginators() -> dict[str, Any]:
    """The installed botocore's paginator configurations by operation name."""
    from botocore.exceptions import DataNotFoundError

    try:
        config: dict[str, Any] = _loader().load_service_model(SERVICE_NAME, "paginators-1")
    except DataNotFoundError:
        return {}
    pagination: dict[str, Any] = config.get("pagination", {})
    return pagination


@functools.cache
def installed_methods() -> dict[str, str]:
    """Client method name to operation name, for every operation the installed botocore has
    (none when its ECR model cannot be loaded: the generated operations are still served)."""
    from botocore.exceptions import BotoCoreError

    try:
        names: list[str] = installed_service_model().operation_names
    except (BotoCoreError, OSError, ValueError):
        return {}
    untyped: Any = botocore
    return {untyped.xform_name(name): name for name in names}


class InstalledRequest:
    """The wire members of a request for an operation only botocore models."""

    operation_model: ClassVar[Any]

    def __init__(self, wire: dict[str, Any]) -> None:
        self.wire = wire

    @classmethod
    def _from_boto(cls, params: dict[str, Any]) -> InstalledRequest:
        from botocore import serialize

        untyped: Any = serialize
        serializer = untyped.create_serializer("json", include_validation=False)
        body: bytes = serializer.serialize_to_request(params, cls.operation_model)["body"]
        return cls(json.loads(body) if body else {})

    def _to_wire(self) -> dict[str, Any]:
        return self.wire

    def __repr__(self) -> str:
        return f"{self.operation_model.name}Request(<{len(self.wire)} members>)"


class InstalledResult:
    """The answer to an operation only botocore models: its JSON, read by botocore's parser
    when converted to boto3's dict."""

    operation_model: ClassVar[Any]

    def __init__(self, data: dict[str, Any], response_metadata: Any) -> None:
        self.data = data
        self.response_metadata = response_metadata

    @classmethod
    def _from_wire(cls, data: dict[str, Any], response_metadata: Any) -> InstalledResult:
        return cls(data, response_metadata)

    def _to_boto(self) -> dict[str, Any]:
        from botocore import parsers

        untyped: Any = parsers
        response: dict[str, Any] = {
            "status_code": 200,
            "headers": {},
            "body": json.dumps(self.data).encode(),
        }
        try:
            parsed: dict[str, Any] = untyped.create_parser("json").parse(
                response, self.operation_model.output_shape
            )
        except Exception as exc:  # botocore's parser fed a hostile answer fails in many ways
            raise MalformedResponseError(
                operation_name=self.operation_model.name,
                status_code=self.response_metadata.http_status_code or 200,
                body=response["body"],
                reason=f"botocore's parser cannot read it ({type(exc).__name__})",
                request_id=self.response_metadata.request_id,
            ) from exc
        parsed.pop("ResponseMetadata", None)
        return parsed


@functools.cache
def installed_operation(method: str) -> OperationSpec | None:
    """The spec that serves client method ``method`` through the installed botocore's model,
    or ``None`` when that botocore does not know it either."""
    name = installed_methods().get(method)
    if name is None:
        return None
    model = installed_service_model().operation_model(name)
    paging_config = installed_paginators().get(name)
    paging = None
    if paging_config is not None:
        # The typed side of the paging facts is never used: no typed client serves the operation.
        paging = TypedPaging(
            spec=PaginatorSpec.from_model(paging_config),
            input_attrs=(),
            limit_attr=None,
            result_attrs={},
            item_attr=(),
        )
    return OperationSpec(
        name=name,
        request_type=type(f"{name}Request", (InstalledRequest,), {"operation_model": model}),
        result_type=type(f"{name}Result", (InstalledResult,), {"operation_model": model}),
        errors=tuple(shape.name for shape in model.error_shapes),
        paging=paging,
    )
