"""Report how the installed botocore's ECR model differs from the pinned one in ``codegen/model/``.

Usage: ``python codegen/drift.py [--pinned DIR] [--botocore-root DIR]`` (``nox -s model-drift``
installs the newest botocore first, or the version given after ``--``).

The pinned side is the directory of model files ``codegen/update_model.py`` writes (``SOURCE.md``
names the botocore version they came from). The current side is the ``botocore`` package
importable in the running interpreter, or the botocore package directory given with
``--botocore-root``; its files are read the way botocore's loader finds them (plain ``.json``,
else ``.json.gz``; the newest API version directory of ``data/ecr/``).

Design:

- Loading (:func:`load_pinned`, :func:`load_botocore`) is the only I/O. :func:`compare` is a pure
  function of two :class:`ModelFiles` and returns :class:`Difference` records; :func:`render`
  turns them into the text report; :func:`main` wires both to the command line.
- ``documentation`` and ``documentationUrl`` keys are dropped everywhere before comparing, so a
  release that only rewords the docs is "no drift". Everything else is compared, and a key the
  specific rules below do not know is still reported (as an attribute change), so "no drift"
  means the two models are equal apart from their documentation.
- Each difference belongs to one :class:`Section` (service metadata, operations, shapes, modeled
  errors, paginators, waiters, endpoint rule set, partitions) and one subject (an operation, a
  shape, a waiter ...), and says what regenerating from the current model would change: on the
  typed clients (``ECRClient``/``AsyncECRClient``, ``ecrclient.model``, the fault classes), on
  the boto3 drop-in (``ecrclient.client("ecr")``, ``ecrclient.type_defs``), or neither (a
  behaviour note such as a validation constraint). The names follow the generator's
  (``codegen/loader.py``): methods and fields are ``botocore.xform_name`` of the model names;
  an operation's input and output structures are its ``<Operation>Request`` and
  ``<Operation>Result`` classes.
- Members of an operation's input and output structures are reported under the operation; the
  Shapes section covers the other structures and the scalar, list and map shapes; exception
  structures are the Modeled errors section.
- Exit status: 0 and "no drift" when the models match, 1 when they differ, 2 for usage errors.
"""

from __future__ import annotations

import argparse
import enum
import gzip
import json
import keyword
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from botocore import xform_name

ROOT = Path(__file__).resolve().parent.parent
PINNED_DIR = ROOT / "codegen" / "model"
SERVICE_FILES = ("service-2", "paginators-1", "waiters-2", "endpoint-rule-set-1")
DOC_KEYS = frozenset({"documentation", "documentationUrl"})
DEPRECATION = "the deprecation note in the docstring"
DATA_ONLY = "generated model data only"
ENDPOINT_NOTE = "ecrclient._generated.endpoint_data regenerated; endpoint resolution may change"
MISSING: Any = object()
"""Stands for a key one side does not have."""

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
SERVICE_FACTS = frozenset(
    {"serviceId", "apiVersion", "targetPrefix", "jsonVersion", "signingName", "endpointPrefix"}
)
"""Metadata keys the generator writes into ``ecrclient._generated.service``."""
WIRE_FACTS = frozenset({"protocol", "protocols", "signatureVersion", "auth", "jsonVersion"})
"""Metadata keys the hand-written transport and signer depend on."""


class UsageError(Exception):
    """A directory or file the command line names is not there (exit status 2)."""


class Section(enum.Enum):
    """The groups of the report, in report order."""

    SERVICE = "Service metadata"
    OPERATIONS = "Operations"
    SHAPES = "Shapes"
    ERRORS = "Modeled errors"
    PAGINATORS = "Paginators"
    WAITERS = "Waiters"
    ENDPOINTS = "Endpoint rule set"
    PARTITIONS = "Partitions"


class Change(enum.Enum):
    """What happened to the subject, from the pinned model to the current one."""

    ADDED = "+"
    REMOVED = "-"
    CHANGED = "~"


@dataclass(frozen=True)
class Difference:
    """One difference between the pinned and the current model.

    ``typed`` and ``dropin`` say how the generated typed surface and the boto3 drop-in surface
    would change ("" when they would not); ``note`` is a behaviour change or a hint that is not a
    change of names, signatures or types."""

    section: Section
    change: Change
    subject: str
    detail: str
    typed: str = ""
    dropin: str = ""
    note: str = ""


@dataclass(frozen=True)
class ModelFiles:
    """One side of the comparison: the five model files, parsed, and where they came from."""

    version: str
    origin: str
    service: Mapping[str, Any]
    paginators: Mapping[str, Any]
    waiters: Mapping[str, Any]
    ruleset: Mapping[str, Any]
    partitions: Mapping[str, Any]


# --- loading ----------------------------------------------------------------------------------


def read_botocore_data(data_dir: Path, stem: str) -> bytes:
    """A data file as botocore's loader finds it: plain JSON, else its ``.json.gz`` (the same
    rule as ``codegen/update_model.py``)."""
    plain = data_dir / f"{stem}.json"
    if plain.exists():
        return plain.read_bytes()
    packed = data_dir / f"{stem}.json.gz"
    if not packed.exists():
        raise UsageError(f"neither {plain} nor {packed} exists")
    return gzip.decompress(packed.read_bytes())


def _parse(raw: bytes, where: str) -> Mapping[str, Any]:
    try:
        value = json.loads(raw)
    except ValueError as error:
        raise UsageError(f"{where} is not JSON: {error}") from None
    if not isinstance(value, dict):
        raise UsageError(f"{where} does not hold a JSON object")
    return value


def pinned_version(source_md: str) -> str:
    """The botocore version ``SOURCE.md`` names ("... from botocore 1.44.8 ...")."""
    found = re.search(r"botocore (\d[\w.+-]*\w)", source_md)
    return found.group(1) if found else "unknown"


def load_pinned(directory: Path) -> ModelFiles:
    """The pinned model files in ``directory`` (``codegen/model/`` by default)."""
    if not directory.is_dir():
        raise UsageError(f"{directory} is not a directory")
    files: dict[str, Mapping[str, Any]] = {}
    for stem in (*SERVICE_FILES, "partitions"):
        path = directory / f"{stem}.json"
        if not path.is_file():
            raise UsageError(f"{path} does not exist")
        files[stem] = _parse(path.read_bytes(), str(path))
    source = directory / "SOURCE.md"
    version = pinned_version(source.read_text()) if source.is_file() else "unknown"
    return ModelFiles(
        version=version,
        origin=str(directory),
        service=files["service-2"],
        paginators=files["paginators-1"],
        waiters=files["waiters-2"],
        ruleset=files["endpoint-rule-set-1"],
        partitions=files["partitions"],
    )


def botocore_version(root: Path) -> str:
    """``__version__`` of the botocore package in ``root``, read without importing it."""
    init = root / "__init__.py"
    found = re.search(r"""^__version__\s*=\s*['"]([^'"]+)['"]""", init.read_text(), re.M)
    return found.group(1) if found else "unknown"


def load_botocore(root: Path | None = None) -> ModelFiles:
    """The ECR model of the botocore package in ``root``, else of the importable botocore."""
    if root is None:
        import botocore

        root = Path(botocore.__file__).resolve().parent
        version = str(botocore.__version__)
    else:
        if not (root / "__init__.py").is_file():
            raise UsageError(f"{root} is not a botocore package directory (no __init__.py)")
        version = botocore_version(root)
    data = root / "data"
    ecr = data / "ecr"
    api_versions = sorted(p.name for p in ecr.iterdir() if p.is_dir()) if ecr.is_dir() else []
    if not api_versions:
        raise UsageError(f"{ecr} holds no ECR model")
    service_dir = ecr / api_versions[-1]  # botocore's loader takes the newest API version
    files = {
        stem: _parse(read_botocore_data(service_dir, stem), str(service_dir / stem))
        for stem in SERVICE_FILES
    }
    return ModelFiles(
        version=version,
        origin=str(root),
        service=files["service-2"],
        paginators=files["paginators-1"],
        waiters=files["waiters-2"],
        ruleset=files["endpoint-rule-set-1"],
        partitions=_parse(read_botocore_data(data, "partitions"), str(data / "partitions")),
    )


# --- helpers ----------------------------------------------------------------------------------


def strip_docs(value: Any) -> Any:
    """``value`` without its ``documentation`` keys, at any depth."""
    if isinstance(value, dict):
        return {k: strip_docs(v) for k, v in value.items() if k not in DOC_KEYS}
    if isinstance(value, list):
        return [strip_docs(v) for v in value]
    return value


def show(value: Any, limit: int = 80) -> str:
    """A value as the report prints it: compact JSON, cut at ``limit`` characters."""
    if value is MISSING:
        return "(absent)"
    text = json.dumps(value, sort_keys=True, separators=(", ", ": "))
    return text if len(text) <= limit else text[: limit - 3] + "..."


def listing(names: Sequence[str], limit: int = 6) -> str:
    """``a, b, c`` or ``a, b, c and 4 more``."""
    if len(names) <= limit:
        return ", ".join(names)
    return f"{', '.join(names[:limit])} and {len(names) - limit} more"


def changed_keys(
    old: Mapping[str, Any], new: Mapping[str, Any], skip: frozenset[str] = frozenset()
) -> list[tuple[str, Any, Any]]:
    """``(key, old value, new value)`` for each key (outside ``skip``) whose value differs."""
    keys = sorted((set(old) | set(new)) - skip)
    out: list[tuple[str, Any, Any]] = []
    for key in keys:
        a, b = old.get(key, MISSING), new.get(key, MISSING)
        if a is MISSING or b is MISSING or a != b:
            out.append((key, a, b))
    return out


def enum_constant(value: str) -> str:
    """The constant the generator names an enum value."""
    const = value.upper().replace("-", "_").replace(".", "_").replace(" ", "_")
    if not const.isidentifier() or keyword.iskeyword(const):
        const = f"V_{const}"
    return const


def error_names(value: Any) -> list[str]:
    """The shape names of a model's ``errors`` list."""
    return [e.get("shape", "?") for e in value or () if isinstance(e, dict)]


class Names:
    """How the generator names the things of one service model."""

    def __init__(self, service: Mapping[str, Any]) -> None:
        self.shapes: Mapping[str, Any] = service.get("shapes", {})
        self.operations: Mapping[str, Any] = service.get("operations", {})
        self.input_of: dict[str, str] = {}
        self.output_of: dict[str, str] = {}
        for op_name, op in self.operations.items():
            if "input" in op:
                self.input_of[op["input"]["shape"]] = op_name
            if "output" in op:
                self.output_of[op["output"]["shape"]] = op_name
        self._users: dict[str, list[str]] = {}
        for name, shape in self.shapes.items():
            for wire, member in shape.get("members", {}).items():
                self._users.setdefault(member.get("shape", ""), []).append(
                    f"{self.class_name(name)}.{xform_name(wire)}"
                )
            for key in ("member", "key", "value"):
                if key in shape:
                    self._users.setdefault(shape[key].get("shape", ""), []).append(f"[{name}]")

    def is_exception(self, shape_name: str) -> bool:
        return bool(self.shapes.get(shape_name, {}).get("exception"))

    def is_io(self, shape_name: str) -> bool:
        return shape_name in self.input_of or shape_name in self.output_of

    def class_name(self, shape_name: str) -> str:
        if shape_name in self.input_of:
            return f"{self.input_of[shape_name]}Request"
        if shape_name in self.output_of:
            return f"{self.output_of[shape_name]}Result"
        return shape_name

    def typedef_name(self, shape_name: str) -> str:
        if shape_name in self.output_of:
            return f"{self.output_of[shape_name]}ResponseTypeDef"
        return f"{shape_name}TypeDef"

    def py_type(self, shape_name: str, *, typedef: bool = False) -> str:
        """The annotation of a field of this shape: typed model (or drop-in TypedDict)."""
        shape = self.shapes.get(shape_name)
        if shape is None:
            return f"<missing {shape_name}>"
        kind = shape.get("type")
        if kind in SCALAR_TYPES:
            return SCALAR_TYPES[kind]
        if kind == "list":
            return f"Sequence[{self.py_type(shape['member']['shape'], typedef=typedef)}]"
        if kind == "map":
            key = self.py_type(shape["key"]["shape"], typedef=typedef)
            return f"Mapping[{key}, {self.py_type(shape['value']['shape'], typedef=typedef)}]"
        return self.typedef_name(shape_name) if typedef else self.class_name(shape_name)

    def users(self, shape_name: str) -> list[str]:
        """The fields that hold values of this shape, through lists and maps."""
        out: list[str] = []
        seen: set[str] = set()
        todo = [shape_name]
        while todo:
            name = todo.pop()
            if name in seen:
                continue
            seen.add(name)
            for user in self._users.get(name, ()):
                if user.startswith("["):
                    todo.append(user[1:-1])
                else:
                    out.append(user)
        return sorted(set(out))

    def fields(self, shape_name: str) -> str:
        users = self.users(shape_name)
        return listing(users, 3) if users else "no field"

    def used_by(self, shape_name: str) -> str:
        users = self.users(shape_name)
        return f"used by {listing(users, 3)}" if users else "not used by any field"


@dataclass(frozen=True)
class Role:
    """Where a structure sits on the generated surface, for wording member changes."""

    kind: str  # "input", "output", "shape" or "fault"
    class_name: str
    typedef: str
    method: str = ""


def role_of(names: Names, shape_name: str) -> Role:
    if names.is_exception(shape_name):
        return Role("fault", shape_name, "")
    if shape_name in names.input_of:
        op = names.input_of[shape_name]
        return Role("input", f"{op}Request", names.typedef_name(shape_name), xform_name(op))
    if shape_name in names.output_of:
        op = names.output_of[shape_name]
        return Role("output", f"{op}Result", names.typedef_name(shape_name), xform_name(op))
    return Role("shape", shape_name, names.typedef_name(shape_name))


class Emit(Protocol):
    """Records one change of the subject being compared."""

    def __call__(self, detail: str, typed: str = "", dropin: str = "", note: str = "") -> None: ...


def prefixed(emit: Emit, prefix: str) -> Emit:
    """``emit`` with ``prefix`` before every detail."""

    def inner(detail: str, typed: str = "", dropin: str = "", note: str = "") -> None:
        emit(f"{prefix}{detail}", typed, dropin, note)

    return inner


# --- comparing structures and shapes -----------------------------------------------------------


def _member_presence(role: Role, wire: str, required: bool, added: bool) -> tuple[str, str]:
    """The typed and drop-in wording of a member that appears or disappears."""
    field = xform_name(wire)
    need = ("required " if required else "optional ") if role.kind in ("input", "shape") else ""
    if role.kind == "input":
        typed = f"argument {field} of {role.method}() ({role.class_name}.{field})"
        dropin = f"parameter {wire} of {role.method}() ({role.typedef})"
    elif role.kind == "output":
        typed = f"field {role.class_name}.{field}"
        dropin = f"response key {wire} ({role.typedef})"
    elif role.kind == "fault":
        typed = dropin = f"attribute {role.class_name}.{field} of the fault class"
    else:
        typed = f"field {role.class_name}.{field}"
        dropin = f"key {wire} in {role.typedef}"
    if added:
        return f"new {need}{typed}", f"new {need}{dropin}"
    return f"{typed} removed", f"{dropin} removed"


def compare_members(
    old_names: Names,
    new_names: Names,
    old_shape: Mapping[str, Any],
    new_shape: Mapping[str, Any],
    role: Role,
    emit: Emit,
) -> None:
    """Members added, removed and retargeted, member attributes, and the required list."""
    old_members: Mapping[str, Any] = old_shape.get("members", {})
    new_members: Mapping[str, Any] = new_shape.get("members", {})
    old_required = set(old_shape.get("required", ()))
    new_required = set(new_shape.get("required", ()))
    for wire in sorted(set(new_members) - set(old_members)):
        target = new_members[wire].get("shape", "?")
        required = wire in new_required
        typed, dropin = _member_presence(role, wire, required, added=True)
        kind = "required" if required else "optional"
        emit(f"member {wire} added ({kind}, {target})", typed, dropin)
    for wire in sorted(set(old_members) - set(new_members)):
        typed, dropin = _member_presence(role, wire, wire in old_required, added=False)
        emit(f"member {wire} removed", typed, dropin)
    for wire in sorted(set(old_members) & set(new_members)):
        old_m, new_m = old_members[wire], new_members[wire]
        field = xform_name(wire)
        a, b = old_m.get("shape"), new_m.get("shape")
        if a != b:
            old_t, new_t = old_names.py_type(a), new_names.py_type(b)
            old_td = old_names.py_type(a, typedef=True)
            new_td = new_names.py_type(b, typedef=True)
            typed = f"{role.class_name}.{field}: {old_t} -> {new_t}" if old_t != new_t else ""
            if role.kind == "fault":
                dropin = typed  # the drop-in raises the same classes
            else:
                dropin = (
                    f"{role.typedef} key {wire}: {old_td} -> {new_td}" if old_td != new_td else ""
                )
            note = "" if typed else f"Python type stays {new_t}; validation follows {b}"
            emit(f"member {wire}: target shape {a} -> {b}", typed, dropin, note)
        for key, x, y in changed_keys(old_m, new_m, frozenset({"shape"})):
            note = DEPRECATION if key.startswith("deprecated") else DATA_ONLY
            emit(f"member {wire}: {key} {show(x)} -> {show(y)}", note=note)
    for wire in sorted((old_required ^ new_required) & set(old_members) & set(new_members)):
        field = xform_name(wire)
        now = wire in new_required
        state = "required" if now else "optional"
        detail = f"member {wire} {'now required' if now else 'no longer required'}"
        if role.kind == "fault":
            emit(detail, note="fault attributes stay optional")
            continue
        if role.kind == "input":
            typed = f"argument {field} of {role.method}() becomes {state}"
        else:
            typed = f"{role.class_name}.{field} becomes {state}"
        dropin = f"{role.typedef} key {wire} becomes {'required' if now else 'NotRequired'}"
        emit(detail, typed, dropin)


def compare_shape_body(
    old_names: Names,
    new_names: Names,
    name: str,
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    emit: Emit,
) -> None:
    """Everything but the members: type, enum values, constraints, list/map targets, flags."""
    if old.get("type") != new.get("type"):
        emit(
            f"type {show(old.get('type', MISSING))} -> {show(new.get('type', MISSING))}",
            f"{old_names.py_type(name)} -> {new_names.py_type(name)} in {new_names.fields(name)}",
            f"{old_names.py_type(name, typedef=True)} -> {new_names.py_type(name, typedef=True)}"
            " in the TypedDict keys of those fields",
        )
    old_enum: list[str] | None = old.get("enum")
    new_enum: list[str] | None = new.get("enum")
    if old_enum != new_enum:
        if old_enum is None:
            emit(
                f"now an enum: {listing([repr(v) for v in new_enum or ()])}",
                f"new enum class ecrclient.model.enums.{name}",
            )
        elif new_enum is None:
            emit("no longer an enum", f"enum class ecrclient.model.enums.{name} removed")
        else:
            added = [v for v in new_enum if v not in old_enum]
            removed = [v for v in old_enum if v not in new_enum]
            consts = [f"{name}.{enum_constant(v)}" for v in added]
            gone = [f"{name}.{enum_constant(v)}" for v in removed]
            if added:
                emit(
                    f"enum values added: {listing([repr(v) for v in added])}",
                    f"new constants ecrclient.model.enums.{listing(consts)}",
                    note=f"{new_names.used_by(name)}; drop-in fields stay str",
                )
            if removed:
                emit(
                    f"enum values removed: {listing([repr(v) for v in removed])}",
                    f"constants ecrclient.model.enums.{listing(gone)} removed",
                    note=f"{old_names.used_by(name)}; drop-in fields stay str",
                )
            if not added and not removed:
                emit("enum values reordered", note="order of the VALUES constant only")
    for key in ("min", "max", "pattern"):
        a, b = old.get(key, MISSING), new.get(key, MISSING)
        if a != b:
            emit(
                f"{key} {show(a)} -> {show(b)}",
                note=f"request validation changes ({new_names.used_by(name)}); "
                "signatures unchanged",
            )
    for key in ("member", "key", "value"):
        a, b = old.get(key, {}).get("shape"), new.get(key, {}).get("shape")
        if a != b:
            old_t, new_t = old_names.py_type(name), new_names.py_type(name)
            typed = f"{old_t} -> {new_t} in {new_names.fields(name)}" if old_t != new_t else ""
            emit(
                f"{key} shape {a} -> {b}",
                typed,
                "the TypedDict keys of those fields follow" if typed else "",
                "" if typed else f"Python type stays {new_t}",
            )
        for attr, x, y in changed_keys(old.get(key, {}), new.get(key, {}), frozenset({"shape"})):
            emit(f"{key} {attr} {show(x)} -> {show(y)}", note=DATA_ONLY)
    handled = frozenset(
        {"type", "enum", "min", "max", "pattern", "member", "key", "value", "members", "required"}
    )
    for key, x, y in changed_keys(old, new, handled):
        emit(f"{key} {show(x)} -> {show(y)}", note=DATA_ONLY)


# --- comparing the files -----------------------------------------------------------------------


@dataclass
class _Collector:
    """Collects the differences of one section."""

    section: Section
    items: list[Difference]

    def add(
        self,
        change: Change,
        subject: str,
        detail: str,
        typed: str = "",
        dropin: str = "",
        note: str = "",
    ) -> None:
        self.items.append(Difference(self.section, change, subject, detail, typed, dropin, note))

    def changed(
        self, subject: str, detail: str, typed: str = "", dropin: str = "", note: str = ""
    ) -> None:
        self.add(Change.CHANGED, subject, detail, typed, dropin, note)

    def emitter(self, subject: str) -> Emit:
        def emit(detail: str, typed: str = "", dropin: str = "", note: str = "") -> None:
            self.changed(subject, detail, typed, dropin, note)

        return emit


def _compare_metadata(old: Mapping[str, Any], new: Mapping[str, Any], out: _Collector) -> None:
    for key, a, b in changed_keys(old.get("metadata", {}), new.get("metadata", {})):
        facts = f"ecrclient._generated.service.SERVICE.{xform_name(key)} changes"
        typed = facts if key in SERVICE_FACTS else ""
        if key in WIRE_FACTS:
            note = "the hand-written transport and signer assume the pinned value: check them"
        else:
            note = "" if typed else DATA_ONLY
        out.changed("metadata", f"{key} {show(a)} -> {show(b)}", typed, typed, note)
    for key, a, b in changed_keys(old, new, frozenset({"metadata", "operations", "shapes"})):
        out.changed("service-2.json", f"{key} {show(a)} -> {show(b)}", note=DATA_ONLY)


def _compare_operation(
    op: str, a: Mapping[str, Any], b: Mapping[str, Any], on: Names, nn: Names, emit: Emit
) -> None:
    method = xform_name(op)
    for key in ("input", "output"):
        old_ref, new_ref = a.get(key, {}), b.get(key, {})
        old_name, new_name = old_ref.get("shape", ""), new_ref.get("shape", "")
        if old_name != new_name:
            emit(f"{key} shape {old_name} -> {new_name}", note="members compared below")
        for attr, x, y in changed_keys(old_ref, new_ref, frozenset({"shape"})):
            emit(f"{key} {attr} {show(x)} -> {show(y)}", note=DATA_ONLY)
        if old_name in on.shapes and new_name in nn.shapes:
            old_shape, new_shape = on.shapes[old_name], nn.shapes[new_name]
            role = role_of(nn, new_name)
            compare_members(on, nn, old_shape, new_shape, role, prefixed(emit, f"{key} "))
            body = prefixed(emit, f"{key} shape ")
            compare_shape_body(on, nn, new_name, old_shape, new_shape, body)
    old_errors, new_errors = error_names(a.get("errors")), error_names(b.get("errors"))
    added = [e for e in new_errors if e not in old_errors]
    removed = [e for e in old_errors if e not in new_errors]
    note = f"'Raises' in the docstring of {method}() and its OperationSpec.errors"
    if added:
        emit(f"errors added: {listing(added)}", note=note)
    if removed:
        emit(f"errors removed: {listing(removed)}", note=note)
    if not added and not removed and old_errors != new_errors:
        emit("errors reordered", note=note)
    for attr, x, y in changed_keys(a.get("http", {}), b.get("http", {})):
        emit(f"http {attr} {show(x)} -> {show(y)}", note="the wire request changes")
    for attr, x, y in changed_keys(a, b, frozenset({"input", "output", "errors", "http"})):
        deprecation = attr.startswith("deprecated")
        emit(f"{attr} {show(x)} -> {show(y)}", note=DEPRECATION if deprecation else DATA_ONLY)


def _compare_operations(
    old: Mapping[str, Any], new: Mapping[str, Any], on: Names, nn: Names, out: _Collector
) -> None:
    old_ops: Mapping[str, Any] = old.get("operations", {})
    new_ops: Mapping[str, Any] = new.get("operations", {})
    for op in sorted(set(new_ops) - set(old_ops)):
        method = xform_name(op)
        params = nn.typedef_name(new_ops[op].get("input", {}).get("shape", ""))
        out.add(
            Change.ADDED,
            op,
            "added",
            f"new client method {method} on ECRClient and AsyncECRClient; new classes "
            f"{op}Request, {op}Result (ecrclient.model.{method})",
            f"new client method {method} on the sync and async drop-in clients; new "
            f"{params}, {op}ResponseTypeDef",
        )
    for op in sorted(set(old_ops) - set(new_ops)):
        method = xform_name(op)
        params = on.typedef_name(old_ops[op].get("input", {}).get("shape", ""))
        out.add(
            Change.REMOVED,
            op,
            "removed",
            f"client method {method}, classes {op}Request and {op}Result removed",
            f"client method {method}, {params} and {op}ResponseTypeDef removed",
        )
    for op in sorted(set(old_ops) & set(new_ops)):
        _compare_operation(op, old_ops[op], new_ops[op], on, nn, out.emitter(op))


def _shape_presence(names: Names, name: str, added: bool) -> tuple[str, str, str]:
    """Typed, drop-in and note wording of a shape that appears or disappears."""
    shape = names.shapes[name]
    kind = shape.get("type", "?")
    if kind == "structure":
        typed, dropin = f"model class ecrclient.model.{name}", f"{name}TypeDef"
    elif "enum" in shape:
        typed, dropin = f"enum class ecrclient.model.enums.{name}", ""
    else:
        return "", "", f"{kind} shape, {'' if added else 'was '}{names.used_by(name)}"
    if added:
        return f"new {typed}", f"new {dropin}" if dropin else "", ""
    return f"{typed} removed", f"{dropin} removed" if dropin else "", ""


def _compare_shapes(on: Names, nn: Names, out: _Collector) -> None:
    def plain(names: Names) -> set[str]:
        # Operation inputs and outputs are reported with their operation, exceptions as errors.
        return {
            n
            for n in names.shapes
            if not names.is_exception(n) and not on.is_io(n) and not nn.is_io(n)
        }

    old_plain, new_plain = plain(on), plain(nn)
    for name in sorted(new_plain - old_plain):
        kind = nn.shapes[name].get("type", "?")
        out.add(Change.ADDED, name, f"added ({kind})", *_shape_presence(nn, name, added=True))
    for name in sorted(old_plain - new_plain):
        kind = on.shapes[name].get("type", "?")
        out.add(Change.REMOVED, name, f"removed ({kind})", *_shape_presence(on, name, added=False))
    for name in sorted(set(on.shapes) & set(nn.shapes)):
        if name in old_plain and name in new_plain:
            old, new = on.shapes[name], nn.shapes[name]
            if old != new:
                emit = out.emitter(name)
                compare_members(on, nn, old, new, role_of(nn, name), emit)
                compare_shape_body(on, nn, name, old, new, emit)
        elif (
            not on.is_exception(name)
            and not nn.is_exception(name)
            and on.is_io(name) != nn.is_io(name)
        ):
            old_class, new_class = on.class_name(name), nn.class_name(name)
            old_td, new_td = on.typedef_name(name), nn.typedef_name(name)
            out.changed(
                name,
                f"{'now' if nn.is_io(name) else 'no longer'} an operation's input or output",
                f"class {old_class} becomes {new_class}" if old_class != new_class else "",
                f"{old_td} becomes {new_td}" if old_td != new_td else "",
            )


def _compare_errors(on: Names, nn: Names, out: _Collector) -> None:
    old_faults = {n for n in on.shapes if on.is_exception(n)}
    new_faults = {n for n in nn.shapes if nn.is_exception(n)}
    for name in sorted(new_faults - old_faults):
        typed = f"new fault class {name} (ecrclient.errors, ecrclient.faults)"
        out.add(Change.ADDED, name, "added", typed, f"new client.exceptions.{name}")
    for name in sorted(old_faults - new_faults):
        typed, dropin = f"fault class {name} removed", f"client.exceptions.{name} removed"
        out.add(Change.REMOVED, name, "removed", typed, dropin)
    for name in sorted(old_faults & new_faults):
        old, new = on.shapes[name], nn.shapes[name]
        if old != new:
            emit = out.emitter(name)
            compare_members(on, nn, old, new, role_of(nn, name), emit)
            compare_shape_body(on, nn, name, old, new, emit)


def _compare_paginators(old: Mapping[str, Any], new: Mapping[str, Any], out: _Collector) -> None:
    old_p: Mapping[str, Any] = old.get("pagination", {})
    new_p: Mapping[str, Any] = new.get("pagination", {})
    for op in sorted(set(new_p) - set(old_p)):
        m = xform_name(op)
        dropin = f"new get_paginator({m!r}); can_paginate({m!r}) becomes True"
        out.add(Change.ADDED, op, "added", f"new paginator client.paginators.{m}", dropin)
    for op in sorted(set(old_p) - set(new_p)):
        m = xform_name(op)
        dropin = f"get_paginator({m!r}) removed; can_paginate({m!r}) becomes False"
        out.add(Change.REMOVED, op, "removed", f"paginator client.paginators.{m} removed", dropin)
    for op in sorted(set(old_p) & set(new_p)):
        m = xform_name(op)
        for key, a, b in changed_keys(old_p[op], new_p[op]):
            detail = f"{key} {show(a)} -> {show(b)}"
            if key == "input_token":
                typed = f"keyword arguments of client.paginators.{m} change"
                out.changed(op, detail, typed, note="drop-in paging follows the new token")
            elif key == "result_key":
                typed = f"the items client.paginators.{m} yields change"
                out.changed(op, detail, typed, note="drop-in build_full_result() follows")
            else:
                out.changed(op, detail, note="paging behaviour only")
    for key, a, b in changed_keys(old, new, frozenset({"pagination"})):
        out.changed("paginators-1.json", f"{key} {show(a)} -> {show(b)}", note=DATA_ONLY)


def _compare_waiter(name: str, a: Mapping[str, Any], b: Mapping[str, Any], emit: Emit) -> None:
    snake = xform_name(name)
    behaviour = "waiting behaviour changes; signatures unchanged"
    for key, x, y in changed_keys(a, b, frozenset({"acceptors"})):
        detail = f"{key} {show(x)} -> {show(y)}"
        if key == "operation":
            typed = f"request and result types of client.waiters.{snake} change"
            emit(detail, typed, note="the drop-in waiter polls the new operation")
        elif key == "description":
            emit(detail, note="docstring only")
        else:
            emit(detail, note=behaviour)
    old_acc: list[Any] = list(a.get("acceptors", ()))
    new_acc: list[Any] = list(b.get("acceptors", ()))
    for i in range(max(len(old_acc), len(new_acc))):
        if i >= len(old_acc):
            emit(f"acceptor {i} added: {show(new_acc[i], 120)}", note=behaviour)
        elif i >= len(new_acc):
            emit(f"acceptor {i} removed: {show(old_acc[i], 120)}", note=behaviour)
        else:
            for key, x, y in changed_keys(old_acc[i], new_acc[i]):
                emit(f"acceptor {i} {key} {show(x)} -> {show(y)}", note=behaviour)


def _compare_waiters(old: Mapping[str, Any], new: Mapping[str, Any], out: _Collector) -> None:
    old_w: Mapping[str, Any] = old.get("waiters", {})
    new_w: Mapping[str, Any] = new.get("waiters", {})
    for name in sorted(set(new_w) - set(old_w)):
        s = xform_name(name)
        detail = f"added (polls {new_w[name].get('operation')})"
        out.add(
            Change.ADDED, name, detail, f"new waiter client.waiters.{s}", f"new get_waiter({s!r})"
        )
    for name in sorted(set(old_w) - set(new_w)):
        s = xform_name(name)
        typed, dropin = f"waiter client.waiters.{s} removed", f"get_waiter({s!r}) removed"
        out.add(Change.REMOVED, name, "removed", typed, dropin)
    for name in sorted(set(old_w) & set(new_w)):
        _compare_waiter(name, old_w[name], new_w[name], out.emitter(name))
    for key, x, y in changed_keys(old, new, frozenset({"waiters"})):
        out.changed("waiters-2.json", f"{key} {show(x)} -> {show(y)}", note=DATA_ONLY)


def _compare_ruleset(old: Mapping[str, Any], new: Mapping[str, Any], out: _Collector) -> None:
    if old == new:
        return
    emit = out.emitter("endpoint-rule-set-1.json")
    emit("changed", note=ENDPOINT_NOTE)
    for key, x, y in changed_keys(old, new, frozenset({"parameters", "rules"})):
        note = "check that ecrclient's resolver reads this version" if key == "version" else ""
        emit(f"{key} {show(x)} -> {show(y)}", note=note)
    old_params: Mapping[str, Any] = old.get("parameters", {})
    new_params: Mapping[str, Any] = new.get("parameters", {})
    for param in sorted(set(new_params) - set(old_params)):
        emit(
            f"parameter {param} added ({show(new_params[param])})",
            note="the clients pass Region, UseFIPS, UseDualStack and Endpoint: a new parameter "
            "without a default needs a client setting",
        )
    for param in sorted(set(old_params) - set(new_params)):
        emit(f"parameter {param} removed", note="the clients' endpoint_parameters still name it")
    for param in sorted(set(old_params) & set(new_params)):
        for key, x, y in changed_keys(old_params[param], new_params[param]):
            emit(f"parameter {param}: {key} {show(x)} -> {show(y)}")
    old_rules, new_rules = old.get("rules", []), new.get("rules", [])
    if old_rules != new_rules:
        emit(f"rules changed ({len(old_rules)} -> {len(new_rules)} top-level rules)")


def _compare_partitions(old: Mapping[str, Any], new: Mapping[str, Any], out: _Collector) -> None:
    if old == new:
        return
    out.changed("partitions.json", "changed", note=ENDPOINT_NOTE)
    for key, x, y in changed_keys(old, new, frozenset({"partitions"})):
        out.changed("partitions.json", f"{key} {show(x)} -> {show(y)}")
    old_parts = {p.get("id", "?"): p for p in old.get("partitions", ())}
    new_parts = {p.get("id", "?"): p for p in new.get("partitions", ())}
    for pid in sorted(set(new_parts) - set(old_parts)):
        regions = listing(sorted(new_parts[pid].get("regions", {}))) or "none"
        out.add(Change.ADDED, pid, f"added (regions: {regions})")
    for pid in sorted(set(old_parts) - set(new_parts)):
        out.add(Change.REMOVED, pid, "removed", note="its regions fall back to partition aws")
    for pid in sorted(set(old_parts) & set(new_parts)):
        a, b = old_parts[pid], new_parts[pid]
        old_regions: Mapping[str, Any] = a.get("regions", {})
        new_regions: Mapping[str, Any] = b.get("regions", {})
        added = sorted(set(new_regions) - set(old_regions))
        removed = sorted(set(old_regions) - set(new_regions))
        if added:
            out.changed(pid, f"regions added: {listing(added)}", note="new region table entries")
        if removed:
            note = "these resolve by the partition's region pattern alone"
            out.changed(pid, f"regions removed: {listing(removed)}", note=note)
        for region in sorted(set(old_regions) & set(new_regions)):
            for key, x, y in changed_keys(old_regions[region], new_regions[region]):
                out.changed(pid, f"region {region}: {key} {show(x)} -> {show(y)}")
        for key, x, y in changed_keys(a.get("outputs", {}), b.get("outputs", {})):
            out.changed(pid, f"outputs {key} {show(x)} -> {show(y)}")
        for key, x, y in changed_keys(a, b, frozenset({"id", "regions", "outputs"})):
            out.changed(pid, f"{key} {show(x)} -> {show(y)}")


def compare(pinned: ModelFiles, current: ModelFiles) -> list[Difference]:
    """Every difference from ``pinned`` to ``current``, documentation ignored, in report order:
    by section; within one, additions, removals, then changes, each sorted by name."""
    items: list[Difference] = []

    def section(which: Section) -> _Collector:
        return _Collector(which, items)

    old_service, new_service = strip_docs(pinned.service), strip_docs(current.service)
    on, nn = Names(old_service), Names(new_service)
    _compare_metadata(old_service, new_service, section(Section.SERVICE))
    _compare_operations(old_service, new_service, on, nn, section(Section.OPERATIONS))
    _compare_shapes(on, nn, section(Section.SHAPES))
    _compare_errors(on, nn, section(Section.ERRORS))
    old_pages, new_pages = strip_docs(pinned.paginators), strip_docs(current.paginators)
    _compare_paginators(old_pages, new_pages, section(Section.PAGINATORS))
    _compare_waiters(
        strip_docs(pinned.waiters), strip_docs(current.waiters), section(Section.WAITERS)
    )
    old_rules, new_rules = strip_docs(pinned.ruleset), strip_docs(current.ruleset)
    _compare_ruleset(old_rules, new_rules, section(Section.ENDPOINTS))
    old_parts, new_parts = strip_docs(pinned.partitions), strip_docs(current.partitions)
    _compare_partitions(old_parts, new_parts, section(Section.PARTITIONS))
    return items


# --- rendering ---------------------------------------------------------------------------------


def surface_lines(diff: Difference) -> list[str]:
    """What the difference does to the generated surfaces, and the note if any."""
    if diff.typed and diff.typed == diff.dropin:
        lines = [f"typed and drop-in: {diff.typed}"]
    elif diff.typed or diff.dropin:
        lines = [f"typed:   {diff.typed or 'unchanged'}", f"drop-in: {diff.dropin or 'unchanged'}"]
    else:
        lines = ["typed and drop-in: unchanged"]
    if diff.note:
        lines.append(f"note: {diff.note}")
    return lines


def summary(diffs: Sequence[Difference], pinned: ModelFiles, current: ModelFiles) -> list[str]:
    """Counts per section, and the yes/no of the endpoint files."""
    lines: list[str] = []
    for section in Section:
        if section in (Section.ENDPOINTS, Section.PARTITIONS):
            continue
        subjects: dict[Change, set[str]] = {change: set() for change in Change}
        for diff in diffs:
            if diff.section is section:
                subjects[diff.change].add(diff.subject)
        counts = [
            f"{len(subjects[change])} {word}"
            for change, word in (
                (Change.ADDED, "added"),
                (Change.REMOVED, "removed"),
                (Change.CHANGED, "changed"),
            )
            if subjects[change]
        ]
        lines.append(f"  {section.value}: {', '.join(counts) if counts else 'unchanged'}")
    ruleset = strip_docs(pinned.ruleset) != strip_docs(current.ruleset)
    partitions = strip_docs(pinned.partitions) != strip_docs(current.partitions)
    lines.append(f"  Endpoint rule set changed: {'yes' if ruleset else 'no'}")
    lines.append(f"  Partitions changed: {'yes' if partitions else 'no'}")
    return lines


def render(pinned: ModelFiles, current: ModelFiles, diffs: Sequence[Difference]) -> str:
    """The report: a header naming both versions, then "no drift" or the differences by
    section, each with its effect on the typed and drop-in surfaces."""
    lines = [
        f"ECR model drift: pinned botocore {pinned.version} ({pinned.origin}) -> "
        f"current botocore {current.version} ({current.origin})"
    ]
    if not diffs:
        lines.append("no drift")
        return "\n".join(lines) + "\n"
    lines.append(
        f"{len(diffs)} differences (documentation ignored); read them as what regenerating from "
        f"botocore {current.version} would change."
    )
    lines.append("")
    lines.append("Summary:")
    lines.extend(summary(diffs, pinned, current))
    for section in Section:
        items = [d for d in diffs if d.section is section]
        if not items:
            continue
        lines.append("")
        lines.append(f"{section.value}:")
        for diff in items:
            lines.append(f"  {diff.change.value} {diff.subject}: {diff.detail}")
            lines.extend(f"      {line}" for line in surface_lines(diff))
    lines.append("")
    lines.append(
        f"To adopt botocore {current.version}: nox -s update-model -- {current.version}, then "
        "pin boto3 and botocore to it in the test extra of pyproject.toml and run the tests."
    )
    return "\n".join(lines) + "\n"


# --- command line ------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="drift.py",
        description="Compare the pinned ECR model with the installed botocore's.",
    )
    parser.add_argument(
        "--pinned",
        type=Path,
        default=PINNED_DIR,
        metavar="DIR",
        help="the pinned model files (default: codegen/model/)",
    )
    parser.add_argument(
        "--botocore-root",
        type=Path,
        default=None,
        metavar="DIR",
        help="a botocore package directory (default: the botocore this Python imports)",
    )
    args = parser.parse_args(argv)
    try:
        pinned = load_pinned(args.pinned)
        current = load_botocore(args.botocore_root)
    except (UsageError, OSError) as error:
        parser.error(str(error))  # exits with status 2
    diffs = compare(pinned, current)
    sys.stdout.write(render(pinned, current, diffs))
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
