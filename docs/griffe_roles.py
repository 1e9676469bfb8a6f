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

A third, ``PublishedSteps``, documents a function published from steps
(``push_image = blocking(_calls.push_image, "push_image", __name__, run=run_sync)``, see
``ecrclient._runtime.jobs``) as the function it is: the steps' parameters and docstring, its
``Client`` parameters shown as ``ECRClient`` (``blocking``) or ``AsyncECRClient``
(``awaiting``, an ``async`` function), and what the steps end with as its return type.
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


_PUBLISHERS = {"blocking": "ECRClient", "awaiting": "AsyncECRClient"}


def published_function(module: griffe.Module, name: str) -> griffe.Function | None:
    """The function ``module.<name>`` is, when it is an attribute assigned
    ``blocking(steps, ...)`` or ``awaiting(steps, ...)``; else ``None``."""
    member = module.members.get(name)
    if member is None or member.is_alias or not isinstance(member, griffe.Attribute):
        return None
    call = member.value
    if not isinstance(call, griffe.ExprCall) or str(call.function) not in _PUBLISHERS:
        return None
    client = _PUBLISHERS[str(call.function)]
    steps_path = getattr(call.arguments[0], "canonical_path", None) if call.arguments else None
    try:
        steps = module.modules_collection[steps_path] if steps_path else None
    except KeyError:
        return None
    if not isinstance(steps, griffe.Function):
        return None
    parameters = [
        griffe.Parameter(
            parameter.name,
            annotation=griffe.ExprName(client, parent=module)
            if str(parameter.annotation) == "Client"
            else parameter.annotation,
            kind=parameter.kind,
            default=parameter.default,
        )
        for parameter in steps.parameters
    ]
    returns = steps.returns
    if isinstance(returns, griffe.ExprSubscript) and str(returns.left) == "Steps":
        returns = returns.slice
    function = griffe.Function(
        name,
        lineno=member.lineno,
        endlineno=member.endlineno,
        parameters=griffe.Parameters(*parameters),
        returns=returns,
    )
    if client == "AsyncECRClient":
        function.labels = {"async"}
    if steps.docstring is not None:
        function.docstring = griffe.Docstring(
            steps.docstring.value, lineno=member.lineno, parent=function
        )
    return function


def _modules(module: griffe.Module) -> list[griffe.Module]:
    found = [module]
    for member in module.members.values():
        if not member.is_alias and isinstance(member, griffe.Module):
            found += _modules(member)
    return found


class PublishedSteps(griffe.Extension):
    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        # Once the whole package is loaded: the steps may live in a module loaded after the
        # one that publishes them.
        for module in _modules(pkg):
            for name in list(module.members):
                function = published_function(module, name)
                if function is not None:
                    module.set_member(name, function)
