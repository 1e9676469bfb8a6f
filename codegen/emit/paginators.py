"""``_generated/paginators.py``: the typed paginator methods of the clients.

``PaginatorMethods`` (``AsyncPaginatorMethods``) has one method per paginated operation; it
takes the request or its members, without the token, plus the paging options, and returns a
``Paginator[<Operation>Result, <item>]``. The runtime's paginator handle mixes it in and supplies
``_paginate``; the paging facts themselves are each operation's ``PAGING`` (:mod:`.models`).
"""

from __future__ import annotations

from codegen.docstrings import HEADER, docstring, wrap
from codegen.loader import Model, snake_case


def paginators_source(model: Model) -> str:
    out = [HEADER]
    out.append(
        '"""Typed paginators of the client, one per paginated operation."""\n\n'
        "from __future__ import annotations\n\n"
        "from collections.abc import Mapping, Sequence\n"
        "from datetime import datetime\n"
        "from typing import TYPE_CHECKING, Any\n\n"
        "if TYPE_CHECKING:\n"
        "    from ecrclient._runtime.paging import AsyncPaginator, Paginator\n"
        "    from ecrclient.model import (\n"
    )
    referenced: set[str] = set()
    for op_name in model.paging:
        referenced |= {
            f"{op_name}Result",
            *model.classes_reachable(model.operations[op_name]["input"]["shape"]),
        }
        item = model.page_item_type(op_name)
        if item in model.class_names.values():
            referenced.add(item)
    out.extend(f"        {name},\n" for name in sorted(referenced))
    out.append("    )\n")
    for flavor, paginator in (("", "Paginator"), ("Async", "AsyncPaginator")):
        out.append(f"\n\nclass {flavor}PaginatorMethods:\n")
        out.append(
            f'    """One {"async " if flavor else ""}paginator per paginated operation: iterate '
            "``.pages()`` (typed results) or the paginator itself (the items of every page).\n\n"
            '    A mixin: the runtime\'s paginator handle provides ``_paginate``."""\n'
        )
        out.append(
            "\n    if TYPE_CHECKING:\n\n"
            "        def _paginate(\n"
            "            self,\n"
            "            method: str,\n"
            "            request: Any,\n"
            "            members: Mapping[str, Any],\n"
            "            *,\n"
            "            page_size: int | None,\n"
            "            max_items: int | None,\n"
            "            starting_token: str | None,\n"
            "        ) -> Any: ...\n"
        )
        for op_name in model.paging:
            out.append(paginator_method_source(model, op_name, paginator))
    return "".join(out)


def paginator_method_source(model: Model, op_name: str, paginator: str) -> str:
    """One operation's method, returning a ``paginator`` (``Paginator`` or ``AsyncPaginator``)."""
    method = snake_case(op_name)
    req, res = f"{op_name}Request", f"{op_name}Result"
    item = model.page_item_type(op_name)
    paging = model.paging[op_name]
    # The paginator sets the token itself, so it is no parameter.
    tokens = {snake_case(t) for t in paging.input_tokens}
    members = [
        m
        for m in model.members(model.operations[op_name]["input"]["shape"])
        if m.name not in tokens
    ]
    params = ", ".join(
        [
            f"request: {req} | None = None",
            "*",
            "page_size: int | None = None",
            "max_items: int | None = None",
            "starting_token: str | None = None",
            *(f"{m.name}: {model.py_type(m.shape)} | None = None" for m in members),
        ]
    )
    out = [f"\n    def {method}(self, {params}) -> {paginator}[{res}, {item}]:\n"]
    out.append(
        docstring(
            wrap(
                f"Pages of `{op_name}`; the items are the `{item}`s of "
                f"`{paging.result_keys[0]}`.\n\n"
                "Takes the request (or its members as keyword arguments) without the "
                "token: `page_size` sets its limit, `max_items` caps the items "
                "handed out, and `starting_token` resumes from a `resume_token`."
            ),
            "        ",
        )
    )
    members_dict = ", ".join(f'"{m.name}": {m.name}' for m in members)
    out.append(
        f"        paginator: {paginator}[{res}, {item}] = self._paginate(\n"
        f'            "{method}",\n'
        "            request,\n"
        f"            {{{members_dict}}},\n"
        "            page_size=page_size,\n"
        "            max_items=max_items,\n"
        "            starting_token=starting_token,\n"
        "        )\n"
        "        return paginator\n"
    )
    return "".join(out)
