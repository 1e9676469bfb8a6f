"""``_generated/faults.py``: one exception class per error shape, and the lookups over them.

``AmazonECRException`` is the base of the modeled faults; each fault class names its error code,
its fault side and its modeled members (typed attributes beyond ``message``). ``FAULTS`` maps
error codes to classes, and ``ECRExceptions`` is the boto3-style ``client.exceptions``.
"""

from __future__ import annotations

from codegen.docstrings import HEADER, docstring, to_text
from codegen.loader import Model


def faults_source(model: Model) -> str:
    out = [HEADER, '"""One exception class per error in the ECR model."""\n\n']
    out.append("from __future__ import annotations\n\n")
    out.append("from collections.abc import Mapping\n")
    out.append("from typing import ClassVar\n\n")
    out.append("from botocore import exceptions as _botocore_exceptions\n\n")
    out.append("from ecrclient._core.errors import ServiceError\n")
    out.append(
        "\n\nclass AmazonECRException(ServiceError):\n"
        '    """An error answer from Amazon ECR.\n\n'
        "    Attributes: ``error_code``, ``error_message``, ``status_code``, ``request_id``,\n"
        "    ``operation_name``, ``response_metadata``, and ``response`` "
        "(the dict boto3 would give).\n"
        '    Modeled faults add their members as typed attributes.\n    """\n'
    )
    names = model.faults()
    for name in names:
        out.append(fault_class_source(model, name))
    out.append("\n\nFAULTS: Mapping[str, type[AmazonECRException]] = {\n")
    out.extend(f'    "{name}": {name},\n' for name in names)
    out.append("}\n")
    out.append('"""Every modeled error class, by error code."""\n')
    out.append(
        "\n\nclass ECRExceptions:\n"
        '    """``client.exceptions`` of the boto3-style clients: every fault class by name,\n'
        '    botocore\'s ``ClientError``, and ``from_code``."""\n\n'
        "    ClientError = _botocore_exceptions.ClientError\n"
    )
    out.extend(f"    {name} = {name}\n" for name in names)
    out.append(
        "\n    def from_code(self, error_code: str) -> type[Exception]:\n"
        "        default = _botocore_exceptions.ClientError\n"
        "        found: type[Exception] = FAULTS.get(error_code, default)\n"
        "        return found\n"
    )
    # The exceptions only: ecrclient.errors re-exports this list whole (``__all__ +=``, which
    # type checkers follow) and ecrclient.faults adds ECRExceptions and FAULTS to it.
    out.append(f"\n\n__all__ = {['AmazonECRException', *names]!r}\n")
    return "".join(out)


def fault_class_source(model: Model, name: str) -> str:
    shape = model.shapes[name]
    out = [f"\n\nclass {name}(AmazonECRException):\n"]
    out.append(docstring(to_text(shape.get("documentation")) or f"The {name} error.", "    "))
    out.append("\n")
    out.append(f'    code = "{name}"\n')
    out.append(f'    fault = "{"server" if shape.get("fault") else "client"}"\n')
    members = model.members(name)
    wire_names = tuple(m.wire for m in members)
    out.append(f"    modeled_wire_names: ClassVar[tuple[str, ...]] = {wire_names!r}\n")
    # ``message`` is the base class's ``error_message``; the others become typed attributes.
    extra = [m for m in members if m.wire != "message"]
    if extra:
        pairs = ", ".join(f'"{m.name}": "{m.wire}"' for m in extra)
        out.append(f"    wire_members: ClassVar[Mapping[str, str]] = {{{pairs}}}\n")
        classes = ", ".join(f'"{m.name}": {member_class(model, m.shape)}' for m in extra)
        out.append(f"    wire_member_classes: ClassVar[Mapping[str, type]] = {{{classes}}}\n")
        for member in extra:
            out.append(f"    {member.name}: {model.py_type(member.shape)} | None\n")
            if member.doc:
                out.append(docstring(member.doc, "    "))
    return "".join(out)


def member_class(model: Model, shape_name: str) -> str:
    """The one class a scalar member's value may have in an error answer (a boolean is not an
    integer)."""
    classes = {"string": "str", "integer": "int", "long": "int", "boolean": "bool"}
    kind = model.shapes[shape_name]["type"]
    if kind not in classes:
        raise NotImplementedError(f"no class check for an error member of type {kind}")
    return classes[kind]
