"""The per-operation facts generated code declares and the pipeline reads."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    from ecrclient._core.pages import TypedPaging


@attrs.frozen(kw_only=True)
class OperationSpec:
    name: str
    """The wire name, e.g. ``DescribeRepositories``."""
    request_type: type[Any]
    result_type: type[Any]
    errors: tuple[str, ...]
    """The error codes the model declares for this operation."""
    paging: TypedPaging | None = None
    """How the operation pages, when it does."""
