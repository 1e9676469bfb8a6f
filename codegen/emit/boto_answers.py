"""``_generated/boto_answers/``: each operation's answer read from its JSON into boto3's dict.

The drop-in's calls skip the typed result: the pipeline reads the answer with the operation's
``<Operation>Answer`` (a :class:`~ecrclient._core.boto_reading.BotoAnswer`), the ``ANSWER`` of
``boto_answers/<operation>.py``, imported on the operation's first call. Its ``read`` is the
function of the output structure.

Every structure an output reaches gets one function, ``read_<snake_case shape>``, in the module
of the one operation that uses it, or in ``boto_answers/_shared.py`` when several do (the
ownership of ``model/``). It builds the dict in the model's member order (botocore's order) from
the members present and not ``null``. A member's value is read by an expression chosen by its
shape:

- strings, numbers and booleans: the value itself, as botocore keeps it;
- timestamps and blobs: ``timestamp(v)`` / ``blob(v)`` from ``_core/boto_reading``;
- structures: their function;
- lists and maps: checked to be a JSON array / object; one of values read as they are is the
  parsed JSON itself (the answer's JSON is the call's own, so nothing else holds it), others
  are rebuilt item by item.

A value of the wrong JSON kind raises ``TypeError`` (the pipeline's ``MalformedResponseError``).
"""

from __future__ import annotations

from codegen.docstrings import HEADER
from codegen.loader import SHARED_MODULE, Model, snake_case

AS_IS = frozenset({"string", "integer", "long", "boolean", "double", "float"})
"""Scalar shape types botocore's ``json`` parser returns unchanged."""

SCALAR_READERS = {"timestamp": "timestamp", "blob": "blob"}

PACKAGE = "ecrclient._generated.boto_answers"


def reader_name(shape_name: str) -> str:
    return f"read_{snake_case(shape_name)}"


def answer_class(op_name: str) -> str:
    return f"{op_name}Answer"


def _as_is(model: Model, shape_name: str) -> bool:
    """Whether a value of ``shape_name`` is read as it is, with everything inside it."""
    shape = model.shapes[shape_name]
    kind = shape["type"]
    if kind == "list":
        return _as_is(model, shape["member"]["shape"])
    if kind == "map":
        return _as_is(model, shape["key"]["shape"]) and _as_is(model, shape["value"]["shape"])
    return kind in AS_IS


def value_expr(model: Model, shape_name: str, var: str, depth: int = 0) -> str:
    """The expression reading JSON value ``var`` as a value of ``shape_name``."""
    shape = model.shapes[shape_name]
    kind = shape["type"]
    if kind in AS_IS:
        return var
    if kind in SCALAR_READERS:
        return f"{SCALAR_READERS[kind]}({var})"
    if kind == "structure":
        return f"{reader_name(shape_name)}({var})"
    if kind == "list":
        checked = f'({var} if {var}.__class__ is list else unfit("{shape_name}", "array", {var}))'
        item = shape["member"]["shape"]
        if _as_is(model, item):
            return checked
        name = f"i{depth}"
        return f"[{value_expr(model, item, name, depth + 1)} for {name} in {checked}]"
    if kind == "map":
        checked = f'({var} if {var}.__class__ is dict else unfit("{shape_name}", "object", {var}))'
        if _as_is(model, shape_name):
            return checked
        key, value = f"k{depth}", f"i{depth}"
        key_expr = value_expr(model, shape["key"]["shape"], key, depth + 1)
        value_read = value_expr(model, shape["value"]["shape"], value, depth + 1)
        return f"{{{key_expr}: {value_read} for {key}, {value} in {checked}.items()}}"
    raise SystemExit(f"{shape_name}: no reading for shape type {kind!r}")


def structure_reader(model: Model, shape_name: str) -> str:
    lines = [
        f"def {reader_name(shape_name)}(d: Any) -> dict[str, Any]:",
        "    if d.__class__ is not dict:",
        f'        unfit("{shape_name}", "object", d)',
        "    out: dict[str, Any] = {}",
    ]
    members = model.members(shape_name)
    if members:
        lines.insert(1, "    v: Any")
    for member in members:
        lines.append(f'    if (v := d.get("{member.wire}")) is not None:')
        lines.append(f'        out["{member.wire}"] = {value_expr(model, member.shape, "v")}')
    lines.append("    return out")
    return "\n".join(lines) + "\n"


def output_structures(model: Model) -> list[str]:
    """Every structure an operation's output reaches, in the model's shape order."""
    reached: set[str] = set()
    for op in model.operations.values():
        reached |= model.reachable(op["output"]["shape"])
    structures = [
        name
        for name, shape in model.shapes.items()
        if name in reached and shape["type"] == "structure"
    ]
    names = [reader_name(name) for name in structures]
    if len(set(names)) != len(names):
        raise SystemExit("reader names collide")
    return structures


IMPORTS = (
    "from __future__ import annotations\n\n"
    "from typing import Any\n\n"
    "from ecrclient._core.boto_reading import BotoAnswer, blob, timestamp, unfit\n"
)


def boto_answers_package(model: Model) -> dict[str, str]:
    """The package's files by name: ``__init__.py``, ``_shared.py`` and one per operation."""
    structures = output_structures(model)
    shared = [name for name in structures if model.owner[name] == SHARED_MODULE]
    shared_import = (
        f"from {PACKAGE}.{SHARED_MODULE} import (\n"
        + "".join(f"    {reader_name(name)},\n" for name in shared)
        + ")\n"
    )
    files = {
        "__init__.py": f"{HEADER}"
        '"""Each operation\'s answer read from its JSON into boto3\'s dict, for the drop-in: the\n'
        '``ANSWER`` of the operation\'s module (see :mod:`ecrclient._core.boto_reading`)."""\n',
        f"{SHARED_MODULE}.py": f"{HEADER}"
        '"""The readers of the structures several operations\' answers share."""\n\n'
        + IMPORTS
        + "\n\n"
        + "".join(structure_reader(model, name) + "\n\n" for name in shared),
    }
    for op_name, op in model.operations.items():
        module = snake_case(op_name)
        own = [name for name in structures if model.owner[name] == module]
        files[f"{module}.py"] = (
            f"{HEADER}"
            f'"""boto3\'s answer to {op_name}, read from its JSON."""\n\n'
            + IMPORTS
            + shared_import
            + "\n\n"
            + "".join(structure_reader(model, name) + "\n\n" for name in own)
            + f"class {answer_class(op_name)}(BotoAnswer):\n"
            f'    """boto3\'s answer to {op_name}."""\n\n'
            "    __slots__ = ()\n"
            f"    read = staticmethod({reader_name(op['output']['shape'])})\n\n\n"
            f"ANSWER = {answer_class(op_name)}\n"
        )
    return files
