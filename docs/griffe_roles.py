"""A griffe extension for the docs build: reST bits of the docstrings, as Markdown.

The package's docstrings are Markdown, with a few reST habits: roles such as
``:class:`~ecrclient.errors.WaiterError``` and a ``::`` before a literal block. mkdocstrings
renders Markdown, so a role becomes a code span of the name (the last dotted part when the
target starts with ``~``) and ``::`` at the end of a line becomes ``:``. The generated
operation methods end with a ``Raises:`` block of fault names; it becomes a list linking each
fault to its entry in the reference. The source files are not changed.

A second extension, ``MethodAliases``, documents a class-level alias of a method
(``shutdown = close``, ``add_request_handler = add_interceptor``: the Java SDK's names) as the
method it is, with the alias's own docstring, instead of as an attribute.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_ROLE = re.compile(r":(?:py:)?(?:class|meth|func|mod|attr|exc|data|obj|const|ref):`(~?)([^`]+)`")
_LITERAL = re.compile(r"(?<=\S)::$", re.MULTILINE)


_RAISES = re.compile(r"^Raises:\n((?:[ \t]+\w+[ \t]*(?:\n|$))+)", re.MULTILINE)


def _faults() -> frozenset[str]:
    try:
        from ecrclient.faults import FAULTS
    except ImportError:  # the package is not importable: no links, plain names
        return frozenset()
    return frozenset(FAULTS)


def _raises(match: re.Match[str], faults: frozenset[str]) -> str:
    names = match.group(1).split()
    items = [
        f"- [`{name}`][ecrclient.faults.{name}]" if name in faults else f"- `{name}`"
        for name in names
    ]
    return "Raises:\n\n" + "\n".join(items) + "\n"


def _name(match: re.Match[str]) -> str:
    short, target = match.group(1), match.group(2).strip()
    if short:
        target = target.rsplit(".", 1)[-1]
    return f"`{target}`"


def markdown(text: str, faults: frozenset[str] = frozenset()) -> str:
    """``text`` with reST roles as code spans, ``::`` literal markers as ``:``, and a
    ``Raises:`` block as a list (linked for the names in ``faults``)."""
    text = _LITERAL.sub(":", _ROLE.sub(_name, text))
    return _RAISES.sub(lambda match: _raises(match, faults), text)


class ReSTRoles(griffe.Extension):
    def __init__(self) -> None:
        super().__init__()
        self._faults = _faults()

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = markdown(obj.docstring.value, self._faults)


def method_alias(cls: griffe.Class, name: str) -> griffe.Function | None:
    """The method ``cls.<name>`` is, when it is an attribute assigned a method of ``cls``
    (``shutdown = close``), as a function named ``name``; else ``None``."""
    member = cls.members.get(name)
    if member is None or member.is_alias or not isinstance(member, griffe.Attribute):
        return None
    target = cls.members.get(str(member.value)) if member.value is not None else None
    if target is None or target.is_alias or not isinstance(target, griffe.Function):
        return None
    method = griffe.Function(
        name,
        lineno=member.lineno,
        endlineno=member.endlineno,
        parameters=griffe.Parameters(*target.parameters),
        returns=target.returns,
        decorators=list(target.decorators),
    )
    method.labels = set(target.labels)
    text = member.docstring.value if member.docstring else f"Same as `{target.name}`."
    method.docstring = griffe.Docstring(text, lineno=member.lineno, parent=method)
    return method


class MethodAliases(griffe.Extension):
    def on_class_members(self, *, cls: griffe.Class, **kwargs: Any) -> None:
        for name in list(cls.members):
            method = method_alias(cls, name)
            if method is not None:
                cls.set_member(name, method)
