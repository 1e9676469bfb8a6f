"""``_generated/type_defs.py``: TypedDicts of boto3's parameter and response dicts.

One TypedDict per structure that is not an error, keyed by the model's (wire) member names: an
operation's output is ``<Operation>ResponseTypeDef`` (with boto3's ``ResponseMetadata``), every
other structure, its input included, ``<Shape>TypeDef``. The drop-in's methods (:mod:`.compat`)
are annotated with them.
"""

from __future__ import annotations

import keyword

from codegen.docstrings import HEADER
from codegen.loader import SCALAR_TYPES, Model

RESPONSE_METADATA_TYPEDDICT = (
    "\n\nclass ResponseMetadataTypeDef(TypedDict):\n"
    "    RequestId: NotRequired[str]\n"
    "    HTTPStatusCode: int\n"
    "    HTTPHeaders: dict[str, str]\n"
    "    RetryAttempts: int\n"
    "    MaxAttemptsReached: NotRequired[bool]\n"
)
"""What boto3 adds to every response; not in the model."""


def typedef_name(model: Model, shape_name: str) -> str:
    """The TypedDict of a structure: ``<Operation>ResponseTypeDef`` for an output, else
    ``<Shape>TypeDef``."""
    op_name = model.operation_of.get(shape_name)
    if op_name is not None and model.operations[op_name]["output"]["shape"] == shape_name:
        return f"{op_name}ResponseTypeDef"
    return f"{shape_name}TypeDef"


def typedef_type(model: Model, shape_name: str) -> str:
    """The annotation of a value of ``shape_name`` in the TypedDicts."""
    shape = model.shapes[shape_name]
    kind = shape["type"]
    if kind in SCALAR_TYPES:
        return SCALAR_TYPES[kind]
    if kind == "list":
        return f"Sequence[{typedef_type(model, shape['member']['shape'])}]"
    if kind == "map":
        key = typedef_type(model, shape["key"]["shape"])
        return f"Mapping[{key}, {typedef_type(model, shape['value']['shape'])}]"
    return typedef_name(model, shape_name)


def type_defs_source(model: Model) -> str:
    out = [HEADER]
    out.append(
        '"""TypedDicts of the boto3-style dicts: parameters in, responses out.\n\n'
        "A key is required only where the model requires the member; every other key may be\n"
        'absent, as it may be in the service\'s answers."""\n\n'
        "from __future__ import annotations\n\n"
        "import sys\n"
        "from collections.abc import Mapping, Sequence\n"
        "from datetime import datetime\n\n"
        "if sys.version_info >= (3, 11):\n"
        "    from typing import NotRequired, TypedDict\n"
        "else:\n"
        "    from typing_extensions import NotRequired, TypedDict\n"
    )
    out.append(RESPONSE_METADATA_TYPEDDICT)
    names = [
        name
        for name, shape in model.shapes.items()
        if shape["type"] == "structure" and not shape.get("exception")
    ]
    for name in sorted(names, key=lambda n: typedef_name(model, n)):
        out.append(typeddict_source(model, name))
    exported = sorted({"ResponseMetadataTypeDef", *(typedef_name(model, n) for n in names)})
    out.append(f"\n\n__all__ = {exported!r}\n")
    return "".join(out)


def typeddict_source(model: Model, shape_name: str) -> str:
    shape = model.shapes[shape_name]
    required = set(shape.get("required", ()))
    out = [f"\n\nclass {typedef_name(model, shape_name)}(TypedDict):\n"]
    members = shape["members"]
    for wire, spec in members.items():
        # The class syntax needs identifiers; the functional one is not worth it until needed.
        if keyword.iskeyword(wire) or not wire.isidentifier():
            raise SystemExit(f"{shape_name}.{wire} cannot be a TypedDict key")
        value = typedef_type(model, spec["shape"])
        out.append(f"    {wire}: {value if wire in required else f'NotRequired[{value}]'}\n")
    if typedef_name(model, shape_name).endswith("ResponseTypeDef"):
        out.append("    ResponseMetadata: ResponseMetadataTypeDef\n")
    elif not members:
        out.append("    pass\n")
    return "".join(out)
