"""``model/``: the request, result and shape classes, and the known values of the enumerations.

- ``model/<operation>.py`` per operation: its ``<Operation>Request`` and ``<Operation>Result``
  first, then the structures only it uses, its ``PAGING`` if it pages, and its ``OPERATION``
  (the wire facts the client runs it with);
- ``model/_shared.py``: the structures several operations use (imported by their modules);
- ``model/enums.py``: one class of constants per enumeration (members stay plain ``str``);
- ``model/__init__.py``: every name above, importing its module on first use.

The classes themselves come from :mod:`.structures`.
"""

from __future__ import annotations

import keyword
from collections.abc import Iterable

from codegen.docstrings import HEADER, docstring, to_text
from codegen.emit.structures import structure_class_source
from codegen.loader import SHARED_MODULE, Model, snake_case

MODEL_PYRIGHT_SETTINGS = (
    "# The classes here call each other's converters, and re-check at run time what their\n"
    "# annotations promise: answers are read leniently and callers may have no type checker.\n"
    "# pyright: reportPrivateUsage=false, reportUnnecessaryComparison=false\n"
)
"""Pyright's strict mode minus the two rules those deliberate choices trip, model modules only."""


def model_package(model: Model) -> dict[str, str]:
    """Every file of ``model/``, by file name."""
    files = {}
    for op_name in model.operations:
        module = snake_case(op_name)
        files[f"{module}.py"] = module_source(model, module, op_name)
    files[f"{SHARED_MODULE}.py"] = module_source(model, SHARED_MODULE, None)
    files["enums.py"] = enums_source(model)
    files["__init__.py"] = model_init_source(model)
    return files


# -- one module of classes --------------------------------------------------------------------


def module_source(model: Model, module: str, op_name: str | None) -> str:
    """The module of one operation (``op_name``), or the shared one (``op_name`` None)."""
    names = ordered_shapes(model, module, op_name)
    imports_shared = sorted(
        {
            model.class_names[dep]
            for name in names
            for dep in structure_deps(model, name)
            if model.owner[dep] != module
        }
    )
    kinds = kinds_used(model, names)
    if op_name is not None:
        title = f'"""{op_name}: its request, result and operation metadata."""\n'
    else:
        title = '"""Structures shared by several operations."""\n'
    lines = [HEADER, MODEL_PYRIGHT_SETTINGS, title, "\nfrom __future__ import annotations\n\n"]
    # Every class's ``_from_*`` methods take a Mapping.
    collections = "Mapping, Sequence" if "list" in kinds else "Mapping"
    lines.append(f"from collections.abc import {collections}\n")
    if "timestamp" in kinds:
        lines.append("from datetime import datetime\n")
    lines.append("from typing import Any\n\n")
    lines.append("import attrs\n\n")
    if any(n in model.input_reachable for n in names):
        lines.append("from ecrclient._core import validation as _v\n")
    if op_name is not None:
        lines.append(
            "from ecrclient._core.metadata import EMPTY_RESPONSE_METADATA, ResponseMetadata\n"
        )
        lines.append("from ecrclient._core.operation import OperationSpec\n")
    if op_name in model.paging:
        lines.append("from ecrclient._core.pages import TypedPaging\n")
        lines.append("from ecrclient._core.paging import PaginatorSpec\n")
    wire_funcs = []
    # Every class reads answers with these (ruff drops those a module does not use).
    wire_funcs += [
        "WireShapeError as _WireShapeError",
        "scalar_map as _scalar_map",
        "strings as _strings",
        "structures as _structures",
        "wrong as _wrong",
    ]
    if "timestamp" in kinds:
        wire_funcs += [
            "timestamp_in as _timestamp_in",
            "timestamp_local as _timestamp_local",
            "timestamp_out as _timestamp_out",
            "timestamp_param as _timestamp_param",
        ]
    if "blob" in kinds:
        wire_funcs += ["blob_in as _blob_in", "blob_out as _blob_out", "blob_param as _blob_param"]
    if any(m.required for n in names for m in model.members(n)):
        wire_funcs.append("absent_ok as _absent_ok")
    if wire_funcs:
        lines.append(f"from ecrclient._core.wire import {', '.join(sorted(wire_funcs))}\n")
    if imports_shared:
        lines.append(f"from ecrclient.model.{SHARED_MODULE} import {', '.join(imports_shared)}\n")
    exported = [model.class_names[n] for n in names]
    lines.append(f"\n__all__ = {sorted(exported)!r}\n")
    for name in names:
        lines.append(structure_class_source(model, name))
    if op_name is not None:
        lines.append(operation_source(model, op_name))
    return "".join(lines)


def ordered_shapes(model: Model, module: str, op_name: str | None) -> list[str]:
    """The structures ``module`` defines: an operation's request and result first, the rest
    alphabetically."""
    names = [n for n, owner in model.owner.items() if owner == module]
    if op_name is None:
        return sorted(names)
    op = model.operations[op_name]
    head = [op["input"]["shape"], op["output"]["shape"]]
    return head + sorted(n for n in names if n not in head)


def structure_deps(model: Model, shape_name: str) -> set[str]:
    """Structure shapes that ``shape_name``'s members refer to directly or through lists/maps."""
    deps: set[str] = set()

    def walk(name: str) -> None:
        shape = model.shapes[name]
        if shape["type"] == "structure":
            deps.add(name)
            return
        for key in ("member", "key", "value"):
            if key in shape:
                walk(shape[key]["shape"])

    for member in model.members(shape_name):
        walk(member.shape)
    return deps


def kinds_used(model: Model, names: Iterable[str]) -> set[str]:
    """The shape types the members of ``names`` reach: which imports the module needs."""
    kinds: set[str] = set()
    for name in names:
        for member in model.members(name):
            kinds |= {model.shapes[s]["type"] for s in model.reachable(member.shape)}
    return kinds


def operation_source(model: Model, op_name: str) -> str:
    """``OPERATION`` (and ``PAGING`` before it if the operation pages)."""
    op = model.operations[op_name]
    errors = tuple(e["shape"] for e in op.get("errors", ()))
    paged = op_name in model.paging
    paging = paging_source(model, op_name) if paged else ""
    paging_arg = "    paging=PAGING,\n" if paged else ""
    return (
        f"{paging}\n\nOPERATION = OperationSpec(\n"
        f'    name="{op_name}",\n'
        f"    request_type={op_name}Request,\n"
        f"    result_type={op_name}Result,\n"
        f"    errors={errors!r},\n"
        f"{paging_arg})\n"
        f'"""Wire facts for {op_name}."""\n'
    )


def paging_source(model: Model, op_name: str) -> str:
    """``PAGING``: the paginator config, with the attribute paths the typed pages read."""
    paging = model.paging[op_name]
    paths = [*paging.output_tokens, *paging.result_keys, *paging.non_aggregate_keys]
    result_attrs = "".join(f"        {p!r}: {attr_path(p)!r},\n" for p in paths)
    limit = paging.limit_key
    return (
        "\n\nPAGING = TypedPaging(\n"
        "    spec=PaginatorSpec(\n"
        f"        input_token={paging.input_tokens!r},\n"
        f"        output_token={paging.output_tokens!r},\n"
        f"        limit_key={limit!r},\n"
        f"        result_keys={paging.result_keys!r},\n"
        f"        non_aggregate_keys={paging.non_aggregate_keys!r},\n"
        "    ),\n"
        f"    input_attrs={tuple(snake_case(t) for t in paging.input_tokens)!r},\n"
        f"    limit_attr={snake_case(limit) if limit else None!r},\n"
        f"    result_attrs={{\n{result_attrs}    }},\n"
        f"    item_attr={attr_path(paging.result_keys[0])!r},\n"
        ")\n"
        f'"""How {op_name} pages (from paginators-1.json)."""\n'
    )


def attr_path(wire_path: str) -> tuple[str, ...]:
    """A dotted member path as the attribute names along it."""
    return tuple(snake_case(part) for part in wire_path.split("."))


# -- package-level files ----------------------------------------------------------------------


def enums_source(model: Model) -> str:
    out = [HEADER, '"""Known values of the model\'s enumerations.\n\n']
    out.append(
        "Members typed with these enumerations are plain ``str``: the service adds values over\n"
        "time, and a value this version does not know still parses. Compare against the\n"
        'constants here, or check membership in ``VALUES``."""\n\n'
    )
    out.append("from __future__ import annotations\n\nfrom typing import Final\n")
    for name, values in model.enums().items():
        out.append(f"\n\nclass {name}:\n")
        doc = to_text(model.shapes[name].get("documentation"))
        out.append(docstring(doc or f"Known values of {name}.", "    "))
        out.append("\n")
        for value in values:
            out.append(f"    {enum_constant(value)}: Final = {value!r}\n")
        out.append(f"    VALUES: Final = frozenset({tuple(values)!r})\n")
    out.append(f"\n\n__all__ = {sorted(model.enums())!r}\n")
    return "".join(out)


def enum_constant(value: str) -> str:
    """The constant's name for an enumeration value: upper case, an identifier."""
    const = value.upper().replace("-", "_").replace(".", "_").replace(" ", "_")
    if not const.isidentifier() or keyword.iskeyword(const):
        const = f"V_{const}"
    return const


def model_init_source(model: Model) -> str:
    index: dict[str, str] = {}
    for shape, cls in model.class_names.items():
        index[cls] = model.owner[shape]
    for name in model.enums():
        index[name] = "enums"
    ordered = dict(sorted(index.items()))
    out = [HEADER]
    out.append(
        '"""Request, result and shape classes of every ECR operation, loaded on first use.\n\n'
        "``from ecrclient.model import DescribeRepositoriesRequest`` imports only the module of\n"
        "that operation (and the shared shapes it uses); nothing else is defined until it is\n"
        "needed. The loader (``__getattr__``) exists only at run time; type checkers read the\n"
        'imports made for them, so a misspelt name is an error for them."""\n\n'
    )
    out.append("from __future__ import annotations\n\nimport importlib\n")
    out.append("from typing import TYPE_CHECKING, Any\n\n")
    out.append("if TYPE_CHECKING:\n")
    by_module: dict[str, list[str]] = {}
    for name, module in ordered.items():
        by_module.setdefault(module, []).append(name)
    for module in sorted(by_module):
        out.append(f"    from ecrclient.model.{module} import (\n")
        out.extend(f"        {name},\n" for name in by_module[module])
        out.append("    )\n")
    out.append("\n_MODULE_OF: dict[str, str] = {\n")
    out.extend(f'    "{name}": "{module}",\n' for name, module in ordered.items())
    out.append("}\n\n")
    out.append(f"__all__ = {list(ordered)!r}\n\n\n")
    # The loader exists only at run time: type checkers see the imports made for them above
    # and no Any-typed fallback, so a misspelt name is an error rather than an ``Any``.
    out.append(
        "if not TYPE_CHECKING:  # a run-time hook only\n\n"
        "    def __getattr__(name: str) -> Any:\n"
        "        module = _MODULE_OF.get(name)\n"
        "        if module is None:\n"
        '            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")\n'
        '        value = getattr(importlib.import_module(f"{__name__}.{module}"), name)\n'
        "        globals()[name] = value\n"
        "        return value\n\n\n"
        "def __dir__() -> list[str]:\n"
        "    return sorted(set(globals()) | set(__all__))\n"
    )
    return "".join(out)
