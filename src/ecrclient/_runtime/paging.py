"""The typed paginators (documented in :mod:`ecrclient.paginators`, which names them): a
paginator per call, over the sans-IO :class:`~ecrclient._core.pages.TypedPager`, which decides
every request and checks every page; the classes here only fetch (calling, or awaiting)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from typing import Any, Generic, TypeVar

from ecrclient._core.pages import TypedPager, TypedPaging
from ecrclient._generated.paginators import AsyncPaginatorMethods, PaginatorMethods
from ecrclient._runtime.seam import seam_of

R = TypeVar("R")
"""A page: the operation's result type."""
I = TypeVar("I")  # noqa: E741 - the item type, beside R
"""An item of the pages."""


class _Base(Generic[R, I]):
    def __init__(
        self,
        paging: TypedPaging,
        request: Any,
        *,
        page_size: int | None,
        max_items: int | None,
        starting_token: str | None,
    ) -> None:
        self._paging = paging
        self._request = request
        self._options = {
            "page_size": page_size,
            "max_items": max_items,
            "starting_token": starting_token,
        }
        self._pager: TypedPager | None = None

    def _start(self) -> TypedPager:
        self._pager = TypedPager(self._paging, self._request, **self._options)  # type: ignore[arg-type]
        return self._pager

    @property
    def resume_token(self) -> str | None:
        """Where the last iteration stopped, when ``max_items`` stopped it; else ``None``."""
        return self._pager.resume_token if self._pager is not None else None


class Paginator(_Base[R, I]):
    """Lazily fetched pages of one operation, and the items on them."""

    def __init__(self, call: Callable[[Any], R], paging: TypedPaging, request: Any, **options: Any):
        super().__init__(paging, request, **options)
        self._call = call

    def pages(self) -> Iterator[R]:
        """Each page as the operation's typed result; every call starts over."""
        pager = self._start()
        while (request := pager.next_request()) is not None:
            yield pager.accept(self._call(request))

    def __iter__(self) -> Iterator[I]:
        pager = None
        for page in self.pages():
            pager = pager or self._pager
            assert pager is not None
            yield from pager.items(page)

    items = __iter__
    """The items of every page, in order (the same as iterating the paginator)."""


class AsyncPaginator(_Base[R, I]):
    """The async twin of :class:`Paginator`: ``async for item in ...`` and ``.pages()``."""

    def __init__(
        self, call: Callable[[Any], Awaitable[R]], paging: TypedPaging, request: Any, **options: Any
    ):
        super().__init__(paging, request, **options)
        self._call = call

    async def pages(self) -> AsyncIterator[R]:
        pager = self._start()
        while (request := pager.next_request()) is not None:
            yield pager.accept(await self._call(request))

    async def __aiter__(self) -> AsyncIterator[I]:
        async for page in self.pages():
            assert self._pager is not None
            for item in self._pager.items(page):
                yield item

    items = __aiter__


class PaginatorHandle:
    """Base of the generated ``client.paginators`` classes."""

    _paginator_type: type[Paginator[Any, Any]] | type[AsyncPaginator[Any, Any]]

    def __init__(self, client: Any) -> None:
        self._client = client

    def _paginate(
        self,
        method: str,
        request: Any,
        members: Mapping[str, Any],
        *,
        page_size: int | None,
        max_items: int | None,
        starting_token: str | None,
    ) -> Any:
        seam = seam_of(self._client)
        operation = seam.operation(method)
        assert operation.paging is not None
        kwargs = {name: value for name, value in members.items() if value is not None}
        # Checked now, before anything is fetched; the pages reuse the checked request.
        request = seam.prepare(operation, request, kwargs)

        def call(page_request: Any) -> Any:
            return seam.invoke(operation, page_request)

        return self._paginator_type(
            call,
            operation.paging,
            request,
            page_size=page_size,
            max_items=max_items,
            starting_token=starting_token,
        )


class ECRPaginators(PaginatorHandle, PaginatorMethods):
    """``client.paginators``: one paginator per paginated operation."""

    _paginator_type = Paginator


class AsyncECRPaginators(PaginatorHandle, AsyncPaginatorMethods):
    """``client.paginators`` of the async client."""

    _paginator_type = AsyncPaginator
