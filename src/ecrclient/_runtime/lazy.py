"""Public names a package imports on first use, so that importing the package stays cheap.

A package lists where each name lives and installs the two module hooks, at run time only (type
checkers see the names imported for them under ``if TYPE_CHECKING:`` and no ``Any``-typed
fallback)::

    if not TYPE_CHECKING:
        __getattr__, __dir__ = lazy_names(__name__, {"scan_gate": ".drivers"}, __all__)

A name is imported from its module (absolute, or relative to the package) the first time it is
asked for, then kept in the package's namespace; ``dir()`` lists the public names, loaded or not.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterable, Mapping
from typing import Any


def lazy_names(
    package: str, homes: Mapping[str, str], public: Iterable[str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The ``__getattr__`` and ``__dir__`` of ``package``: ``homes`` maps each lazy name to
    the module it comes from; ``public`` is what ``dir()`` lists besides what is loaded."""
    namespace = vars(sys.modules[package])
    listed = frozenset(public)

    def __getattr__(name: str) -> Any:
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(home, package), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted(set(namespace) | listed)

    return __getattr__, __dir__
