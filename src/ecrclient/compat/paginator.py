"""boto3-style paginators: ``client.get_paginator(name).paginate(**kwargs, PaginationConfig=...)``
on the shared :class:`~ecrclient._core.paging.Pager`, over boto3's response dicts."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Mapping
from typing import TYPE_CHECKING, Any, TypeGuard

from ecrclient._core.paging import Pager, PaginationError, PaginatorSpec, build_full_result

if TYPE_CHECKING:
    from ecrclient.compat.boto_client import CompatBase


class CompatPaginator:
    def __init__(
        self, client: CompatBase, method: str, spec: PaginatorSpec, iterator_type: type[Any]
    ) -> None:
        self._client = client
        self._method = method
        self._spec = spec
        self._iterator_type = iterator_type

    @property
    def result_keys(self) -> list[Any]:
        import jmespath

        return [jmespath.compile(key) for key in self._spec.result_keys]

    def paginate(self, **kwargs: Any) -> Any:
        config: Mapping[str, Any] = kwargs.pop("PaginationConfig", None) or {}
        max_items = config.get("MaxItems")
        page_size = config.get("PageSize")
        if page_size is not None:
            if self._spec.limit_key is None:
                raise PaginationError(
                    message="PageSize parameter is not supported for the pagination interface "
                    "for this operation."
                )
            page_size = int(page_size)
        return self._iterator_type(
            self._client,
            self._method,
            self._spec,
            kwargs,
            max_items=int(max_items) if max_items is not None else None,
            page_size=page_size,
            starting_token=config.get("StartingToken"),
        )


class _PageIteratorBase:
    def __init__(
        self,
        client: Any,
        method: str,
        spec: PaginatorSpec,
        params: dict[str, Any],
        *,
        max_items: int | None,
        page_size: int | None,
        starting_token: str | None,
    ) -> None:
        self._client = client
        self._method = method
        self._spec = spec
        self._params = params
        self._options = {
            "max_items": max_items,
            "page_size": page_size,
            "starting_token": starting_token,
        }
        self._pager: Pager | None = None

    def _start(self) -> Pager:
        self._pager = Pager(self._spec, self._params, **self._options)  # type: ignore[arg-type]
        return self._pager

    @property
    def resume_token(self) -> str | None:
        return self._pager.resume_token if self._pager is not None else None

    @property
    def non_aggregate_part(self) -> dict[str, Any]:
        return self._pager.non_aggregate_part if self._pager is not None else {}

    @property
    def result_keys(self) -> list[Any]:
        import jmespath

        return [jmespath.compile(key) for key in self._spec.result_keys]


def _is_list(value: object) -> TypeGuard[list[Any]]:
    """``isinstance(value, list)`` for a JSON value: its items are any JSON values (a bare
    isinstance would leave their type unknown)."""
    return isinstance(value, list)


def _found(compiled: Any, page: Mapping[str, Any]) -> list[Any]:
    found = compiled.search(page)
    return found if _is_list(found) else [found]


class CompatPageIterator(_PageIteratorBase):
    """Iterates boto3's page dicts; ``build_full_result()`` and ``search()`` as in botocore."""

    def __iter__(self) -> Iterator[dict[str, Any]]:
        pager = self._start()
        while (request := pager.next_request()) is not None:
            yield pager.accept(self._client._call(self._method, request))

    def build_full_result(self) -> dict[str, Any]:
        pages = list(self)
        return build_full_result(self._spec, pages, resume_token=self.resume_token)

    def search(self, expression: str) -> Iterator[Any]:
        import jmespath

        compiled = jmespath.compile(expression)
        for page in self:
            yield from _found(compiled, page)


class AsyncCompatPageIterator(_PageIteratorBase):
    """aiobotocore's page iterator: ``async for page in ...``, ``await build_full_result()``."""

    async def __aiter__(self) -> AsyncIterator[dict[str, Any]]:
        pager = self._start()
        while (request := pager.next_request()) is not None:
            yield pager.accept(await self._client._call(self._method, request))

    async def build_full_result(self) -> dict[str, Any]:
        pages = [page async for page in self]
        return build_full_result(self._spec, pages, resume_token=self.resume_token)

    async def search(self, expression: str) -> AsyncIterator[Any]:
        import jmespath

        compiled = jmespath.compile(expression)
        async for page in self:
            for item in _found(compiled, page):
                yield item
