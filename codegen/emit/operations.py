"""``_generated/operations.py`` and ``async_operations.py``: the typed client methods.

One method per operation on ``ECROperations`` (``AsyncECROperations``), the base of
``ECRClient`` (``AsyncECRClient``): it takes the ``<Operation>Request`` or its members as keyword
arguments (two overloads) and returns the ``<Operation>Result``. The client supplies
``_invoke``; these classes only carry the signatures and the documentation.
"""

from __future__ import annotations

from codegen.docstrings import HEADER, docstring, to_text
from codegen.loader import Model, snake_case


def operations_source(model: Model, *, is_async: bool = False) -> str:
    cls = "AsyncECROperations" if is_async else "ECROperations"
    client = "AsyncECRClient" if is_async else "ECRClient"
    prefix = "async " if is_async else ""
    out = [HEADER]
    out.append(
        f'"""The typed operation methods of ``{client}``, one per ECR operation."""\n\n'
        "from __future__ import annotations\n\n"
        "from collections.abc import Mapping, Sequence\n"
        "from datetime import datetime\n"
        "from typing import TYPE_CHECKING, Any, overload\n\n"
        "if TYPE_CHECKING:\n"
        "    from ecrclient.model import (\n"
    )
    referenced: set[str] = set()
    for op_name, op in model.operations.items():
        referenced |= {f"{op_name}Result", *model.classes_reachable(op["input"]["shape"])}
    out.extend(f"        {name},\n" for name in sorted(referenced))
    out.append("    )\n\n\n")
    out.append(
        f"class {cls}:\n"
        '    """One method per ECR operation; subclasses supply ``_invoke``."""\n\n'
        "    __slots__ = ()\n\n"
        f"    {prefix}def _invoke(self, operation: str, request: Any, kwargs: dict[str, Any]) "
        "-> Any:\n"
        "        raise NotImplementedError\n"
    )
    for op_name, op in model.operations.items():
        method = snake_case(op_name)
        req, res = f"{op_name}Request", f"{op_name}Result"
        doc = to_text(op.get("documentation"))
        errors = [e["shape"] for e in op.get("errors", ())]
        doc += f"\n\nTakes a `{req}`, or its members as keyword arguments, and returns a `{res}`."
        if errors:
            doc += "\n\nRaises:\n" + "\n".join(f"    {e}" for e in errors)
        out.append("\n    @overload\n")
        out.append(f"    {prefix}def {method}(self, request: {req}, /) -> {res}: ...\n")
        out.append("\n    @overload\n")
        out.append(
            f"    {prefix}def {method}({kwargs_signature(model, op_name)}) -> {res}: ...\n\n"
        )
        out.append(
            f"    {prefix}def {method}(self, request: {req} | None = None, **kwargs: Any) "
            f"-> {res}:\n"
        )
        out.append(docstring(doc, "        "))
        call = f'self._invoke("{method}", request, kwargs)'
        out.append(
            f"        return {'await ' if is_async else ''}{call}  # type: ignore[no-any-return]\n"
        )
    return "".join(out)


def kwargs_signature(model: Model, op_name: str) -> str:
    """The parameters of the keyword overload: required members first, all keyword-only."""
    members = model.members(model.operations[op_name]["input"]["shape"])
    if not members:
        return "self"
    params = []
    for member in sorted(members, key=lambda m: not m.required):
        py_type = model.py_type(member.shape)
        params.append(
            f"{member.name}: {py_type}"
            if member.required
            else f"{member.name}: {py_type} | None = ..."
        )
    return "self, *, " + ", ".join(params)
