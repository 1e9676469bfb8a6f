"""Load the pinned model files and derive the facts every emitter relies on.

:func:`load_model` is the generator's only input: it reads ``codegen/model/`` (the botocore
files ``codegen/update_model.py`` copies, and the botocore version ``SOURCE.md`` names) into a
:class:`Model`. The derived facts are computed here, once, so that all emitters (``codegen/emit/``)
agree on them:

- class names: an operation's input and output structures become ``<Operation>Request`` and
  ``<Operation>Result``; every other structure that is not an error keeps its shape name;
- module ownership: a structure used by one operation lives in that operation's module under
  ``model/``, one used by several lives in ``model/_shared``;
- input reachability: the structures a request can contain, the ones that validate themselves;
- members (:class:`Member`) with their Python names, and the Python type of any shape;
- paging (:class:`Paging`): the paginators' token and result paths, checked against the shapes.

Python-facing names (modules, methods, attributes) are :func:`snake_case` of the model's names,
as boto3 spells its methods and parameters.
"""

from __future__ import annotations

import json
import keyword
from dataclasses import InitVar, dataclass, field
from pathlib import Path
from typing import Any

from botocore import xform_name

from codegen.docstrings import to_text

MODEL_DIR = Path(__file__).resolve().parent / "model"

SCALAR_TYPES = {
    "string": "str",
    "integer": "int",
    "long": "int",
    "boolean": "bool",
    "double": "float",
    "float": "float",
    "timestamp": "datetime",
    "blob": "bytes",
}
"""Python type of each scalar shape type; the same names serve the classes and the TypedDicts."""

SHARED_MODULE = "_shared"
"""The module under ``model/`` for structures that more than one operation uses."""


def snake_case(name: str) -> str:
    """botocore's ``xform_name``: ``DescribeImages`` -> ``describe_images``."""
    converted: str = xform_name(name)
    return converted


@dataclass(frozen=True)
class Member:
    """One member of a structure shape."""

    name: str
    """The Python attribute (and keyword argument) name."""
    wire: str
    """The model's name, as the JSON on the wire and boto3's dicts spell it."""
    shape: str
    required: bool
    doc: str
    """The member's documentation as docstring text (empty when there is none)."""
    deprecated: bool = False


@dataclass(frozen=True)
class Paging:
    """How one operation pages (from paginators-1.json). Keys are dotted member paths."""

    input_tokens: tuple[str, ...]
    output_tokens: tuple[str, ...]
    limit_key: str | None
    result_keys: tuple[str, ...]
    non_aggregate_keys: tuple[str, ...]


@dataclass
class Model:
    """The pinned model files, and what the emitters derive from them."""

    service: dict[str, Any]
    """service-2.json: metadata, operations and shapes."""
    pagination: InitVar[dict[str, Any]]
    """paginators-1.json's ``pagination``: each paginated operation's config."""
    waiters: dict[str, Any]
    """waiters-2.json's ``waiters``, by waiter name."""
    endpoint_ruleset: dict[str, Any]
    """endpoint-rule-set-1.json."""
    partitions: dict[str, Any]
    """partitions.json."""
    botocore_version: str
    """The botocore release the files were copied from."""

    shapes: dict[str, Any] = field(init=False)
    operations: dict[str, Any] = field(init=False)
    class_names: dict[str, str] = field(init=False)
    """Structure shape (not an error) -> its class name."""
    operation_of: dict[str, str] = field(init=False)
    """An operation's input or output shape -> the operation."""
    owner: dict[str, str] = field(init=False)
    """Structure shape -> the module under ``model/`` that defines its class."""
    input_reachable: set[str] = field(init=False)
    """Shapes some operation's input reaches: their classes get ``_validate``."""
    paging: dict[str, Paging] = field(init=False)
    """Paginated operation -> how it pages, in the model's order."""

    def __post_init__(self, pagination: dict[str, Any]) -> None:
        self.shapes = self.service["shapes"]
        self.operations = self.service["operations"]
        self._name_classes()
        self._assign_modules()
        self.paging = {
            op_name: self._read_paging(op_name, pagination[op_name]) for op_name in pagination
        }

    def _name_classes(self) -> None:
        self.class_names = {}
        self.operation_of = {}
        for op_name, op in self.operations.items():
            self.operation_of[op["input"]["shape"]] = op_name
            self.operation_of[op["output"]["shape"]] = op_name
            self.class_names[op["input"]["shape"]] = f"{op_name}Request"
            self.class_names[op["output"]["shape"]] = f"{op_name}Result"
        for name, shape in self.shapes.items():
            if shape["type"] == "structure" and not shape.get("exception"):
                self.class_names.setdefault(name, name)
        if len(set(self.class_names.values())) != len(self.class_names):
            raise SystemExit("class names collide")

    def _assign_modules(self) -> None:
        users: dict[str, set[str]] = {}
        self.input_reachable = set()
        for op_name, op in self.operations.items():
            for key in ("input", "output"):
                reached = self.reachable(op[key]["shape"])
                if key == "input":
                    self.input_reachable |= reached
                for name in reached:
                    if name in self.class_names:
                        users.setdefault(name, set()).add(op_name)
        self.owner = {}
        for name, ops in users.items():
            self.owner[name] = snake_case(next(iter(ops))) if len(ops) == 1 else SHARED_MODULE

    def _read_paging(self, op_name: str, config: dict[str, Any]) -> Paging:
        def paths(value: str | list[str]) -> tuple[str, ...]:
            # The model gives one path as a string and several as a list.
            return (value,) if isinstance(value, str) else tuple(value)

        paging = Paging(
            input_tokens=paths(config["input_token"]),
            output_tokens=paths(config["output_token"]),
            limit_key=config.get("limit_key"),
            result_keys=paths(config["result_key"]),
            non_aggregate_keys=paths(config.get("non_aggregate_keys", [])),
        )
        output = self.operations[op_name]["output"]["shape"]
        for path in (*paging.output_tokens, *paging.result_keys, *paging.non_aggregate_keys):
            self.shape_at(output, path)  # fails loudly on a path the model lacks
        return paging

    def reachable(self, name: str, seen: set[str] | None = None) -> set[str]:
        """Every shape reachable from ``name`` through members, list items and map entries,
        ``name`` included."""
        seen = set() if seen is None else seen
        if name in seen:
            return seen
        seen.add(name)
        shape = self.shapes[name]
        for member in shape.get("members", {}).values():
            self.reachable(member["shape"], seen)
        for key in ("member", "key", "value"):
            if key in shape:
                self.reachable(shape[key]["shape"], seen)
        return seen

    def classes_reachable(self, name: str) -> set[str]:
        """The class names of the structures reachable from ``name`` (itself included)."""
        return {self.class_names[s] for s in self.reachable(name) if s in self.class_names}

    def shape_at(self, shape_name: str, wire_path: str) -> str:
        """The shape name found at a dotted member path below ``shape_name``."""
        for part in wire_path.split("."):
            shape_name = self.shapes[shape_name]["members"][part]["shape"]
        return shape_name

    def members(self, shape_name: str) -> list[Member]:
        shape = self.shapes[shape_name]
        required = set(shape.get("required", ()))
        out = []
        for wire, spec in shape.get("members", {}).items():
            name = snake_case(wire)
            # These would break the generated classes: no renaming scheme exists until needed.
            if keyword.iskeyword(name) or name == "response_metadata":
                raise SystemExit(f"{shape_name}.{wire} needs a rename")
            out.append(
                Member(
                    name=name,
                    wire=wire,
                    shape=spec["shape"],
                    required=wire in required,
                    doc=to_text(spec.get("documentation")),
                    deprecated=bool(spec.get("deprecated")),
                )
            )
        return out

    def py_type(self, shape_name: str) -> str:
        """The annotation of a value of ``shape_name`` on the typed classes."""
        shape = self.shapes[shape_name]
        kind = shape["type"]
        if kind in SCALAR_TYPES:
            return SCALAR_TYPES[kind]
        if kind == "list":
            return f"Sequence[{self.py_type(shape['member']['shape'])}]"
        if kind == "map":
            key = self.py_type(shape["key"]["shape"])
            return f"Mapping[{key}, {self.py_type(shape['value']['shape'])}]"
        return self.class_names[shape_name]

    def page_item_type(self, op_name: str) -> str:
        """The type of the items a paginator of ``op_name`` iterates (its first result key's)."""
        output = self.operations[op_name]["output"]["shape"]
        list_shape = self.shapes[self.shape_at(output, self.paging[op_name].result_keys[0])]
        return self.py_type(list_shape["member"]["shape"])

    def enums(self) -> dict[str, list[str]]:
        """String shapes with known values -> those values."""
        return {
            name: list(shape["enum"])
            for name, shape in self.shapes.items()
            if shape["type"] == "string" and "enum" in shape
        }

    def faults(self) -> list[str]:
        """The error shapes."""
        return [name for name, shape in self.shapes.items() if shape.get("exception")]


def load_model(model_dir: Path = MODEL_DIR) -> Model:
    """The model in ``model_dir`` (``codegen/model/`` unless given)."""

    def read(name: str) -> Any:
        return json.loads((model_dir / name).read_text())

    return Model(
        service=read("service-2.json"),
        pagination=read("paginators-1.json")["pagination"],
        waiters=read("waiters-2.json")["waiters"],
        endpoint_ruleset=read("endpoint-rule-set-1.json"),
        partitions=read("partitions.json"),
        botocore_version=pinned_botocore_version(model_dir / "SOURCE.md"),
    )


def pinned_botocore_version(source_md: Path) -> str:
    # update_model.py writes it into the first line: "... (decompressed) from botocore 1.44.8 (...".
    return source_md.read_text().split("botocore ", 1)[1].split()[0]
