"""Parameters written once, for functions that take the same arguments.

:func:`parsed_by` makes a function whose parameters are those of a *parser*: the parser checks
and gathers the arguments into one value, and the decorated function receives that value. Type
checkers see the parser's parameters with the decorated function's result, and so does
``inspect.signature``. :func:`method_parsed_by` is the same for methods. The boto3-style
``client()`` functions use them, so boto3's signature is spelled out in one place.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any, Concatenate, ParamSpec, TypeVar

P = ParamSpec("P")
A = TypeVar("A")
R = TypeVar("R")
S = TypeVar("S")
W = TypeVar("W", bound=Callable[..., Any])


def parsed_by(parse: Callable[P, A]) -> Callable[[Callable[[A], R]], Callable[P, R]]:
    """Decorate ``make(arguments)`` into a function taking ``parse``'s parameters."""

    def decorate(make: Callable[[A], R]) -> Callable[P, R]:
        def function(*args: P.args, **kwargs: P.kwargs) -> R:
            return make(parse(*args, **kwargs))

        return _signed(function, make, parse, skip=0)

    return decorate


def method_parsed_by(
    parse: Callable[P, A],
) -> Callable[[Callable[[S, A], R]], Callable[Concatenate[S, P], R]]:
    """Decorate the method ``make(self, arguments)`` into one taking ``parse``'s parameters."""

    def decorate(make: Callable[[S, A], R]) -> Callable[Concatenate[S, P], R]:
        def method(self: S, /, *args: P.args, **kwargs: P.kwargs) -> R:
            return make(self, parse(*args, **kwargs))

        return _signed(method, make, parse, skip=1)

    return decorate


def _signed(wrapper: W, make: Callable[..., Any], parse: Callable[..., Any], skip: int) -> W:
    """``wrapper`` named and documented as ``make``, signed with ``parse``'s parameters (after
    ``make``'s first ``skip`` ones: ``self``) and ``make``'s result."""
    made = inspect.signature(make)
    leading = list(made.parameters.values())[:skip]
    parameters = [*leading, *inspect.signature(parse).parameters.values()]
    signed: Any = wrapper
    signed.__signature__ = made.replace(parameters=parameters)
    for name in ("__module__", "__name__", "__qualname__", "__doc__"):
        setattr(signed, name, getattr(make, name))
    return wrapper
