"""A griffe extension for the docs build: reST bits of the docstrings, as Markdown.

The package's docstrings are Markdown, with a few reST habits: roles such as
``:class:`~ecrclient.errors.WaiterError``` and a ``::`` before a literal block. mkdocstrings
renders Markdown, so a role becomes a code span of the name (the last dotted part when the
target starts with ``~``) and ``::`` at the end of a line becomes ``:``. The generated
operation methods end with a ``Raises:`` block of fault names; it becomes a list linking each
fault to its entry in the reference. The source files are not changed.
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
