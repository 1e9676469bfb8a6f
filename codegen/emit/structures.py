"""One ``attrs`` class per structure shape, for the modules under ``model/`` (see :mod:`.models`).

A class has its fields (with docstrings), and then generated methods rather than reflection, so
that converting and validating cost no more than the code a person would write:

- ``_to_wire``/``_from_wire``: the JSON the service speaks (epoch seconds, base64 text);
  ``_from_wire`` reads answers, so it checks every value's class against the model as it goes
  (:func:`checked_from_wire`) and raises ``WireShapeError`` naming the member's path;
- ``_to_boto``/``_from_boto``: boto3's dicts, for the drop-in client (:data:`FLAVORS`);
- ``_validate``: only on classes some request can contain; it checks the model's constraints
  and collects every problem, as botocore's parameter validation does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from codegen.docstrings import docstring, to_text
from codegen.loader import SCALAR_TYPES, Member, Model

SENSITIVE_MEMBERS = {("AuthorizationData", "authorizationToken")}
"""Members kept out of ``repr``: the model marks nothing sensitive, but this is a docker
password."""


@dataclass(frozen=True)
class Flavor:
    """One dict form the classes convert to and from, and the helpers for its scalar values
    (imported under these names by the model modules, from ``ecrclient._core.wire``)."""

    to_method: str
    from_method: str
    reads_answers: bool
    """Whether ``from_method`` reads the service's answers (else the caller's parameters)."""
    timestamp_out: str
    timestamp_in: str
    blob_out: str | None
    """``None``: the value goes out as it is."""
    blob_in: str

    def scalar_function(self, kind: str, *, out: bool) -> str | None:
        if kind == "timestamp":
            return self.timestamp_out if out else self.timestamp_in
        return self.blob_out if out else self.blob_in


WIRE = Flavor(
    # JSON on the wire: epoch seconds and base64 text.
    to_method="_to_wire",
    from_method="_from_wire",
    reads_answers=True,
    timestamp_out="_timestamp_out",
    timestamp_in="_timestamp_in",
    blob_out="_blob_out",
    blob_in="_blob_in",
)
BOTO = Flavor(
    # boto3's dicts: datetimes in local time out; datetimes, text or numbers in; bytes both ways
    # (text and files accepted in).
    to_method="_to_boto",
    from_method="_from_boto",
    reads_answers=False,
    timestamp_out="_timestamp_local",
    timestamp_in="_timestamp_param",
    blob_out=None,
    blob_in="_blob_param",
)
FLAVORS = (WIRE, BOTO)
"""In the order their methods appear in each class."""

VALIDATOR_OF_KIND = {
    "string": "string",
    "integer": "integer",
    "long": "integer",
    "double": "double",
    "float": "double",
    "boolean": "boolean",
    "timestamp": "timestamp",
    "blob": "blob",
}
"""The ``ecrclient._core.validation`` function that checks a scalar of each shape type."""


def structure_class_source(model: Model, shape_name: str) -> str:
    """The class of one structure shape: fields, converters and (if needed) ``_validate``."""
    cls = model.class_names[shape_name]
    shape = model.shapes[shape_name]
    members = model.members(shape_name)
    op_name = model.operation_of.get(shape_name)
    is_result = op_name is not None and cls == f"{op_name}Result"
    out = ["\n\n@attrs.frozen(kw_only=True)\n", f"class {cls}:\n"]
    doc = to_text(shape.get("documentation"))
    if not doc and op_name is not None:
        doc = f"The {'output' if is_result else 'input'} of `{op_name}`."
    doc = doc or f"The {cls} structure."
    out.append(docstring(doc, "    "))
    out.append("\n")
    for member in members:
        py_type = model.py_type(member.shape)
        repr_off = (shape_name, member.wire) in SENSITIVE_MEMBERS
        if member.required:
            line = f"    {member.name}: {py_type}"
            line += " = attrs.field(repr=False)" if repr_off else ""
        else:
            default = "attrs.field(default=None, repr=False)" if repr_off else "None"
            line = f"    {member.name}: {py_type} | None = {default}"
        out.append(line + "\n")
        text = member_doc(model, member)
        if text:
            out.append(docstring(text, "    "))
    if is_result:
        out.append(
            "    response_metadata: ResponseMetadata = attrs.field("
            "default=EMPTY_RESPONSE_METADATA, eq=False, repr=False)\n"
        )
        out.append(
            '    """The HTTP facts of the call that returned this result; for a result built by '
            "hand, the\n    empty :data:`~ecrclient.EMPTY_RESPONSE_METADATA` "
            '(``is_empty``)."""\n'
        )
    for flavor in FLAVORS:
        out.extend(converter_methods(model, members, cls, is_result, flavor))
    if shape_name in model.input_reachable:
        out.extend(validate_method(model, members))
    return "".join(out)


def member_doc(model: Model, member: Member) -> str:
    parts = [member.doc] if member.doc else []
    shape = model.shapes[member.shape]
    if shape["type"] == "string" and "enum" in shape:
        parts.append(f"Known values are listed in `ecrclient.model.enums.{member.shape}`.")
    if member.deprecated:
        parts.append("Deprecated by the service.")
    if member.required:
        parts.append("Required.")
    return "\n\n".join(parts)


# -- converters -------------------------------------------------------------------------------

RESULT_SIGNATURE_EXTRA = ", response_metadata: ResponseMetadata = EMPTY_RESPONSE_METADATA"


def converter_methods(
    model: Model, members: list[Member], cls: str, is_result: bool, flavor: Flavor
) -> list[str]:
    """The ``_to_<flavor>`` and ``_from_<flavor>`` methods of one class."""
    out = [f"\n    def {flavor.to_method}(self) -> dict[str, Any]:\n"]
    out.extend(to_method_body(model, members, flavor))
    if flavor.reads_answers:
        out.extend(checked_from_wire(model, members, cls, is_result))
    else:
        out.extend(from_method(model, members, cls, is_result, flavor))
    return out


def to_method_body(model: Model, members: list[Member], flavor: Flavor) -> list[str]:
    out: list[str] = []
    out.append("        d: dict[str, Any] = {}\n")
    for member in members:
        attr = f"self.{member.name}"
        expr = convert_expr(model, member.shape, attr, out=True, flavor=flavor)
        out.append(f"        if {attr} is not None:\n")
        out.append(f'            d["{member.wire}"] = {expr}\n')
    out.append("        return d\n")
    return out


def from_method(
    model: Model, members: list[Member], cls: str, is_result: bool, flavor: Flavor
) -> list[str]:
    """``_from_<flavor>`` for a dict form the caller builds (its values are converted as given:
    the validation of parameters checks them)."""
    out = ["\n    @classmethod\n"]
    extra = RESULT_SIGNATURE_EXTRA if is_result else ""
    out.append(f"    def {flavor.from_method}(cls, d: Mapping[str, Any]{extra}) -> {cls}:\n")
    exprs = {m.name: convert_expr(model, m.shape, "v", out=False, flavor=flavor) for m in members}
    # One declaration gives every member's walrus ``v`` the same static type.
    if any(exprs[m.name] != "v" and not m.required for m in members):
        out.append("        v: Any\n")
    out.append("        return cls(\n")
    for member in members:
        expr = exprs[member.name]
        if member.required:
            # A missing required member is reported as botocore reports it.
            value = convert_expr(
                model, member.shape, f'd["{member.wire}"]', out=False, flavor=flavor
            )
            out.append(f"            {member.name}={value},\n")
        elif expr == "v":
            out.append(f'            {member.name}=d.get("{member.wire}"),\n')
        else:
            out.append(
                f'            {member.name}=None if (v := d.get("{member.wire}")) is None '
                f"else {expr},\n"
            )
    if is_result:
        out.append("            response_metadata=response_metadata,\n")
    out.append("        )\n")
    return out


CLASS_OF_KIND = {
    "string": "str",
    "integer": "int",
    "long": "int",
    "boolean": "bool",
}
"""Scalars JSON carries as themselves, by the one class a value of each may have (a boolean is
not an integer)."""

EXPECTED_OF_KIND = {
    "string": "a string",
    "integer": "an integer",
    "long": "an integer",
    "boolean": "a boolean",
    "double": "a number",
    "float": "a number",
    "structure": "an object",
}


def checked_from_wire(model: Model, members: list[Member], cls: str, is_result: bool) -> list[str]:
    """``_from_wire``: reads an answer's object, checking each value's class on the way.

    Checks are class comparisons inline (``v.__class__ is str``), helpers for lists and maps,
    and the timestamp and blob readers; a failure raises ``WireShapeError`` with the member's
    name, and the ``except`` clause puts this object's part of the path in front as it leaves.
    A required member the service left out stays None, as botocore leaves it absent (the
    model's promise, not checked at run time).
    """
    extra = RESULT_SIGNATURE_EXTRA if is_result else ""
    out = ["\n    @classmethod\n"]
    out.append(f"    def _from_wire(cls, d: Mapping[str, Any]{extra}) -> {cls}:\n")
    if not members:
        tail = "response_metadata=response_metadata" if is_result else ""
        out.append(f"        return cls({tail})\n")
        return out
    out.append("        v: Any\n")
    out.append("        try:\n")
    out.append("            return cls(\n")
    for member in members:
        expr = checked_expr(model, member)
        if member.required:
            expr = f"_absent_ok({expr})"
        out.append(f"                {member.name}={expr},\n")
    if is_result:
        out.append("                response_metadata=response_metadata,\n")
    out.append("            )\n")
    out.append("        except _WireShapeError as exc:\n")
    nested = tuple(m.wire for m in members if model.shapes[m.shape]["type"] == "structure")
    out.append(f"            exc.within(d, {nested!r})\n")
    out.append("            raise\n")
    return out


def checked_expr(model: Model, member: Member) -> str:
    """The expression reading member ``member`` of ``d`` (into ``v``), checked."""
    wire = member.wire
    shape = model.shapes[member.shape]
    kind = shape["type"]
    fetch = f'(v := d.get("{wire}"))'
    wrong = f'_wrong(d, "{wire}", "{EXPECTED_OF_KIND.get(kind, kind)}")'
    if kind in CLASS_OF_KIND:
        return f"v if {fetch}.__class__ is {CLASS_OF_KIND[kind]} or v is None else {wrong}"
    if kind in ("double", "float"):
        return f"v if {fetch}.__class__ is float or v.__class__ is int or v is None else {wrong}"
    if kind == "timestamp":
        return f'None if {fetch} is None else _timestamp_in(v, "{wire}")'
    if kind == "blob":
        return f'None if {fetch} is None else _blob_in(v, "{wire}")'
    if kind == "structure":
        convert = f"{model.class_names[member.shape]}._from_wire"
        return f"None if {fetch} is None else {convert}(v) if v.__class__ is dict else {wrong}"
    if kind == "list":
        item = model.shapes[shape["member"]["shape"]]
        if item["type"] == "structure":
            convert = f"{model.class_names[shape['member']['shape']]}._from_wire"
            return f'None if {fetch} is None else _structures(v, "{wire}", {convert})'
        if item["type"] == "string":
            return f'None if {fetch} is None else _strings(v, "{wire}")'
    if kind == "map":
        value = model.shapes[shape["value"]["shape"]]
        if value["type"] in CLASS_OF_KIND:
            return (
                f'None if {fetch} is None else _scalar_map(v, "{wire}", '
                f"{CLASS_OF_KIND[value['type']]})"
            )
    # The model has no such member today; a new one needs a checked reader here first.
    raise NotImplementedError(f"no checked reader for {member.shape} ({kind})")


def convert_expr(
    model: Model, shape_name: str, value: str, *, out: bool, flavor: Flavor, depth: int = 0
) -> str:
    """An expression converting ``value`` of ``shape_name`` to (``out``) or from a dict form."""
    shape = model.shapes[shape_name]
    kind = shape["type"]
    if kind in ("timestamp", "blob"):
        function = flavor.scalar_function(kind, out=out)
        return f"{function}({value})" if function else value
    if kind in SCALAR_TYPES:
        return value
    item = f"i{depth}"
    if kind == "list":
        inner = convert_expr(
            model, shape["member"]["shape"], item, out=out, flavor=flavor, depth=depth + 1
        )
        return f"list({value})" if inner == item else f"[{inner} for {item} in {value}]"
    if kind == "map":
        inner = convert_expr(
            model, shape["value"]["shape"], item, out=out, flavor=flavor, depth=depth + 1
        )
        if inner == item:
            return f"dict({value})"
        return f"{{k{depth}: {inner} for k{depth}, {item} in {value}.items()}}"
    if out:
        return f"{value}.{flavor.to_method}()"
    return f"{model.class_names[shape_name]}.{flavor.from_method}({value})"


# -- validation -------------------------------------------------------------------------------


def validate_method(model: Model, members: list[Member]) -> list[str]:
    """``_validate``: appends a problem per missing or invalid member to ``problems``."""
    out = ["\n    def _validate(self, path: str, problems: list[str]) -> None:\n"]
    if members:
        out.append("        v: Any\n")
    for index, member in enumerate(members):
        path = f'f"{{path}}.{member.name}"'
        if member.required:
            out.append(f"        if (v := self.{member.name}) is None:\n")
            out.append(
                f'            problems.append(f"{{path}}.{member.name}: '
                f'missing required parameter")\n'
            )
            out.append("        else:\n")
        else:
            out.append(f"        if (v := self.{member.name}) is not None:\n")
        out.extend(
            line + "\n"
            for line in validate_lines(model, member.shape, "v", path, "            ", str(index))
        )
    if not members:
        out.append("        del path, problems\n")
    return out


def validate_lines(
    model: Model, shape_name: str, value: str, path: str, indent: str, tag: str
) -> list[str]:
    """Statements that check ``value`` (known not to be None) against ``shape_name``.

    ``tag`` keeps loop variables of different members apart, so each has one static type.
    """
    shape = model.shapes[shape_name]
    kind = shape["type"]
    args = constraint_args(shape, kind)
    if kind in VALIDATOR_OF_KIND:
        return [f"{indent}_v.{VALIDATOR_OF_KIND[kind]}(problems, {path}, {value}{args})"]
    if kind == "structure":
        return [f"{indent}_v.structure(problems, {path}, {value}, {model.class_names[shape_name]})"]
    depth = indent.count("    ")
    item = f"i{depth}_{tag}"
    index = f"n{depth}_{tag}"
    where = f"p{depth}"
    if kind == "list":
        inner_path = f'f"{{{where}}}[{{{index}}}]"'
        inner = validate_lines(
            model, shape["member"]["shape"], item, inner_path, indent + "        ", tag
        )
        return [
            f"{indent}{where} = {path}",
            f"{indent}if _v.sequence(problems, {where}, {value}{args}):",
            f"{indent}    for {index}, {item} in enumerate({value}):",
            *inner,
        ]
    key = f"k{depth}_{tag}"
    key_path = f'f"{{{where}}} key {{{key}!r}}"'
    value_path = f'f"{{{where}}}[{{{key}!r}}]"'
    key_lines = validate_lines(
        model, shape["key"]["shape"], key, key_path, indent + "        ", tag
    )
    value_lines = validate_lines(
        model, shape["value"]["shape"], item, value_path, indent + "        ", tag
    )
    return [
        f"{indent}{where} = {path}",
        f"{indent}if _v.mapping(problems, {where}, {value}{args}):",
        f"{indent}    for {key}, {item} in {value}.items():",
        *key_lines,
        *value_lines,
    ]


def constraint_args(shape: dict[str, Any], kind: str) -> str:
    """The model's length, pattern and range constraints as extra keyword arguments."""
    args = []
    if kind in ("string", "list", "map"):
        if "min" in shape:
            args.append(f"min_len={shape['min']}")
        if "max" in shape:
            args.append(f"max_len={shape['max']}")
        if kind == "string" and "pattern" in shape:
            args.append(f"pattern={shape['pattern']!r}")
    elif kind in ("integer", "long", "double", "float"):
        if "min" in shape:
            args.append(f"min_value={shape['min']}")
        if "max" in shape:
            args.append(f"max_value={shape['max']}")
    return "".join(f", {a}" for a in args)
