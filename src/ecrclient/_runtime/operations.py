"""The generated operation specs, imported on first use."""

from __future__ import annotations

import importlib

from ecrclient._core.operation import OperationSpec

_operations: dict[str, OperationSpec] = {}


def load_operation(module: str) -> OperationSpec:
    """The spec of an operation by its snake_case name, importing its module on first use."""
    spec = _operations.get(module)
    if spec is None:
        spec = importlib.import_module(f"ecrclient.model.{module}").OPERATION
        _operations[module] = spec
    return spec
