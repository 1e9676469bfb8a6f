"""``_generated/compat_operations.py`` and ``async_compat_operations.py``: the boto3-style methods.

``CompatOperations`` (``AsyncCompatOperations``) has one snake_case method per operation, as
boto3's ECR client has them: keyword arguments typed by the operation's input TypedDict in, its
``<Operation>ResponseTypeDef`` out (:mod:`.type_defs`). The drop-in client supplies ``_call``.

``get_paginator`` and ``get_waiter`` are overloaded on ``Literal`` names, one overload per
paginated operation and per waiter, each returning a class of this module that types its
``paginate`` / ``wait`` (the operation's input TypedDict plus ``PaginationConfig`` /
``WaiterConfig``) and the pages (``PageIterator[<Operation>ResponseTypeDef]``). There is no
``str`` overload: a misspelt name is a type error. The classes are ``Protocol``s, which the
drop-in's paginators and waiters (``ecrclient.compat.paginator`` / ``.waiter``, which this
layer may not import) satisfy; the drop-in supplies ``_paginator`` and ``_waiter``.
"""

from __future__ import annotations

from codegen.docstrings import HEADER, docstring, to_text
from codegen.emit.type_defs import typedef_name
from codegen.loader import Model, snake_case

SHARED_SOURCE = """
PageT = TypeVar("PageT", covariant=True)


class PaginationConfigTypeDef(TypedDict, total=False):
    \"\"\"``paginate(..., PaginationConfig=...)``: botocore's paging options.\"\"\"

    MaxItems: int
    PageSize: int
    StartingToken: str


class WaiterConfigTypeDef(TypedDict, total=False):
    \"\"\"``wait(..., WaiterConfig=...)``: the polling interval and attempts.\"\"\"

    Delay: int
    MaxAttempts: int


class PageIterator(Protocol[PageT]):
    \"\"\"The pages ``paginate`` returns: boto3's response dicts, fetched as iterated.\"\"\"

    def __iter__(self) -> Iterator[PageT]: ...
    def build_full_result(self) -> dict[str, Any]: ...
    def search(self, expression: str) -> Iterator[Any]: ...
    @property
    def resume_token(self) -> str | None: ...
    @property
    def non_aggregate_part(self) -> dict[str, Any]: ...


class AsyncPageIterator(Protocol[PageT]):
    \"\"\"The pages an async ``paginate`` returns: ``async for page in ...``.\"\"\"

    def __aiter__(self) -> AsyncIterator[PageT]: ...
    async def build_full_result(self) -> dict[str, Any]: ...
    def search(self, expression: str) -> AsyncIterator[Any]: ...
    @property
    def resume_token(self) -> str | None: ...
    @property
    def non_aggregate_part(self) -> dict[str, Any]: ...
"""
"""What both modules use; the async one imports it from the sync one."""

SHARED_NAMES = (
    "AsyncPageIterator",
    "PageIterator",
    "PaginationConfigTypeDef",
    "WaiterConfigTypeDef",
)


def paginator_class(model: Model, op_name: str, *, is_async: bool) -> tuple[str, str]:
    """The name and source of the class ``get_paginator`` returns for ``op_name``."""
    flavor = "Async" if is_async else ""
    name = f"{flavor}{op_name}Paginator"
    params = f"type_defs.{typedef_name(model, model.operations[op_name]['input']['shape'])}"
    page = f"type_defs.{typedef_name(model, model.operations[op_name]['output']['shape'])}"
    source = (
        f"\n\nclass {name}(Protocol):\n"
        f'    """``get_paginator("{snake_case(op_name)}")``: the pages of `{op_name}`."""\n\n'
        "    def paginate(\n"
        "        self,\n"
        "        *,\n"
        "        PaginationConfig: PaginationConfigTypeDef = ...,\n"
        f"        **kwargs: Unpack[{params}],\n"
        f"    ) -> {flavor}PageIterator[{page}]: ...\n"
        "    @property\n"
        "    def result_keys(self) -> list[Any]: ...\n"
    )
    return name, source


def waiter_class(model: Model, waiter_name: str, *, is_async: bool) -> tuple[str, str]:
    """The name and source of the class ``get_waiter`` returns for ``waiter_name``."""
    flavor = "Async" if is_async else ""
    name = f"{flavor}{waiter_name}Waiter"
    op_name = model.waiters[waiter_name]["operation"]
    params = f"type_defs.{typedef_name(model, model.operations[op_name]['input']['shape'])}"
    source = (
        f"\n\nclass {name}(Protocol):\n"
        f'    """``get_waiter("{snake_case(waiter_name)}")``: polls `{op_name}` until '
        f'{waiter_name}."""\n\n'
        "    name: str\n\n"
        f"    {'async ' if is_async else ''}def wait(\n"
        "        self,\n"
        "        *,\n"
        "        WaiterConfig: WaiterConfigTypeDef = ...,\n"
        f"        **kwargs: Unpack[{params}],\n"
        "    ) -> None: ...\n"
    )
    return name, source


def overloads(method: str, argument: str, pairs: list[tuple[str, str]], implementation: str) -> str:
    """``method``'s ``Literal`` overloads (``(name, returned class)`` each) and its body."""
    out = []
    for name, cls in pairs:
        if len(pairs) > 1:
            out.append("\n    @overload\n")
            out.append(f'    def {method}(self, {argument}: Literal["{name}"]) -> {cls}: ...\n')
    if len(pairs) == 1:
        name, cls = pairs[0]
        out.append(f'\n    def {method}(self, {argument}: Literal["{name}"]) -> {cls}:\n')
    else:
        out.append(f"\n    def {method}(self, {argument}: str) -> Any:\n")
    out.append(implementation)
    return "".join(out)


def compat_operations_source(model: Model, *, is_async: bool = False) -> str:
    cls = "AsyncCompatOperations" if is_async else "CompatOperations"
    prefix = "async " if is_async else ""
    shared = (
        f"from ecrclient._generated.compat_operations import {', '.join(SHARED_NAMES)}\n"
        if is_async
        else SHARED_SOURCE
    )
    paginators = [paginator_class(model, op, is_async=is_async) for op in model.paging]
    waiters = [waiter_class(model, name, is_async=is_async) for name in model.waiters]
    out = [HEADER]
    out.append(
        f'"""The boto3-style methods of ``ecrclient.{"aio." if is_async else ""}client("ecr")``'
        ": keyword arguments in,\n"
        'boto3\'s response dicts out; ``get_paginator`` and ``get_waiter`` typed by name."""\n\n'
        "from __future__ import annotations\n\n"
        "import sys\n"
        "from collections.abc import AsyncIterator, Iterator\n"
        "from typing import TYPE_CHECKING, Any, Literal, Protocol, TypedDict, TypeVar, overload\n\n"
        "if sys.version_info >= (3, 11):\n"
        "    from typing import Unpack\n"
        "else:\n"
        "    from typing_extensions import Unpack\n\n"
        f"{shared}\n"
        "if TYPE_CHECKING:\n"
        "    from ecrclient._generated import type_defs\n"
    )
    out.extend(source for _, source in paginators)
    out.extend(source for _, source in waiters)
    out.append(
        "\n\n"
        f"class {cls}:\n"
        '    """One snake_case method per ECR operation, as boto3\'s ECR client has them."""\n\n'
        "    __slots__ = ()\n\n"
        f"    {prefix}def _call(self, operation: str, params: dict[str, Any]) -> Any:\n"
        "        raise NotImplementedError\n\n"
        "    def _paginator(self, operation_name: str) -> Any:\n"
        "        raise NotImplementedError\n\n"
        "    def _waiter(self, waiter_name: str) -> Any:\n"
        "        raise NotImplementedError\n"
    )
    paginator_names = [
        (snake_case(op), name) for op, (name, _) in zip(model.paging, paginators, strict=True)
    ]
    waiter_names = [
        (snake_case(w), name) for w, (name, _) in zip(model.waiters, waiters, strict=True)
    ]
    out.append(
        overloads(
            "get_paginator",
            "operation_name",
            paginator_names,
            '        """boto3\'s ``get_paginator``; ``paginate`` takes the operation\'s '
            "parameters\n"
            '        and ``PaginationConfig``, and yields its response dicts."""\n'
            "        return self._paginator(operation_name)\n",
        )
    )
    out.append(
        overloads(
            "get_waiter",
            "waiter_name",
            waiter_names,
            '        """boto3\'s ``get_waiter``; ``wait`` takes the operation\'s parameters and\n'
            '        ``WaiterConfig``."""\n'
            "        return self._waiter(waiter_name)\n",
        )
    )
    for op_name, op in model.operations.items():
        method = snake_case(op_name)
        params = f"type_defs.{typedef_name(model, op['input']['shape'])}"
        result = f"type_defs.{typedef_name(model, op['output']['shape'])}"
        # The first paragraph only: the typed method carries the full documentation.
        doc = to_text(op.get("documentation")).split("\n\n")[0]
        doc += f"\n\nSee `ECRClient.{method}` for the members; boto3 spells them in camelCase."
        out.append(
            f"\n    {prefix}def {method}(self, *args: Any, **kwargs: Unpack[{params}]) "
            f"-> {result}:\n"
        )
        out.append(docstring(doc, "        "))
        # boto3 rejects positional arguments with this message.
        out.append("        if args:\n")
        out.append(f'            raise TypeError("{method}() only accepts keyword arguments.")\n')
        call = f'self._call("{method}", dict(kwargs))'
        awaited = "await " if is_async else ""
        out.append(f"        return {awaited}{call}  # type: ignore[no-any-return]\n")
    # The typed classes, re-exported for annotations by ecrclient.compat.typed.
    exported = [name for name, _ in (*paginators, *waiters)]
    if not is_async:
        exported = [*SHARED_NAMES, *exported]
    out.append(f"\n\n__all__ = {exported!r}\n")
    return "".join(out)
