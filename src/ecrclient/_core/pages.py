"""Typed pages over the wire :class:`~ecrclient._core.paging.Pager`, still without I/O.

The pager reads only tokens and result lists, and treats list items as opaque, so it is handed a
*view* of each typed result — a dict keyed by wire paths whose leaves are the typed values — and
the page it returns is mapped back onto the result. No result is re-serialized, and a page the
pager did not cut is handed out as the very object the call returned.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

import attrs

from ecrclient._core.paging import Pager, PaginatorSpec, search_path, set_path


@attrs.frozen(kw_only=True)
class TypedPaging:
    """A paginator's spec plus where its wire paths live on the typed classes."""

    spec: PaginatorSpec
    input_attrs: tuple[str, ...]
    """Request attributes of ``spec.input_token``, pairwise."""
    limit_attr: str | None
    """Request attribute of ``spec.limit_key``."""
    result_attrs: Mapping[str, tuple[str, ...]]
    """Result attribute path of every output token, result key and non-aggregate key."""
    item_attr: tuple[str, ...]
    """Result attribute path of the items :meth:`TypedPager` iterates (the first result key)."""


def _get(obj: Any, path: tuple[str, ...]) -> Any:
    for name in path:
        if obj is None:
            return None
        obj = getattr(obj, name)
    return obj


def _replace(obj: Any, path: tuple[str, ...], value: Any) -> Any:
    head, *rest = path
    if rest:
        inner = getattr(obj, head)
        if inner is None:
            return obj
        value = _replace(inner, tuple(rest), value)
    return attrs.evolve(obj, **{head: value})


def _same(new: Any, old: Any) -> bool:
    if new is old:
        return True
    if isinstance(new, list) and isinstance(old, list):
        new_items, old_items = cast("list[object]", new), cast("list[object]", old)
        return len(new_items) == len(old_items) and all(
            a is b for a, b in zip(new_items, old_items, strict=True)
        )
    return bool(new == old)


class TypedPager:
    """Typed requests to send and typed pages to hand out; see :class:`Pager` for semantics."""

    def __init__(
        self,
        paging: TypedPaging,
        request: Any,
        *,
        page_size: int | None = None,
        max_items: int | None = None,
        starting_token: str | None = None,
    ) -> None:
        self._paging = paging
        self._request = request
        self._pager = Pager(
            paging.spec,
            request._to_wire(),
            page_size=page_size,
            max_items=max_items,
            starting_token=starting_token,
        )

    @property
    def resume_token(self) -> str | None:
        return self._pager.resume_token

    def next_request(self) -> Any | None:
        wire = self._pager.next_request()
        if wire is None:
            return None
        spec = self._paging.spec
        changes = {
            attr: wire.get(name)
            for attr, name in zip(self._paging.input_attrs, spec.input_token, strict=True)
        }
        if self._paging.limit_attr is not None and spec.limit_key is not None:
            changes[self._paging.limit_attr] = wire.get(spec.limit_key)
        return attrs.evolve(self._request, **changes)

    def accept(self, result: Any) -> Any:
        view: dict[str, Any] = {}
        for wire_path, attr_path in self._paging.result_attrs.items():
            value = _get(result, attr_path)
            if value is not None:
                set_path(view, wire_path, value)
        page = self._pager.accept(view)
        for wire_path, attr_path in self._paging.result_attrs.items():
            new = search_path(page, wire_path)
            if not _same(new, _get(result, attr_path)):
                result = _replace(result, attr_path, new)
        return result

    def items(self, page: Any) -> list[Any]:
        return list(_get(page, self._paging.item_attr) or ())
