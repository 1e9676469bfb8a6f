"""boto3-style paginators: ``client.get_paginator(name).paginate(**kwargs, PaginationConfig=...)``
on the shared :class:`~ecrclient._core.paging.Pager`, over boto3's response dicts."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ecrclient._core.paging import Pager, PaginationError, PaginatorSpec, build_full_result

if TYPE_CHECKING:
    from ecrclient.compat.boto_client import ECRCompatClient


class CompatPaginator:
    def __init__(self, client: ECRCompatClient, method: str, spec: PaginatorSpec) -> None:
        self._client = client
        self._method = method
        self._spec = spec

    @property
    def result_keys(self) -> list[Any]:
        import jmespath

        return [jmespath.compile(key) for key in self._spec.result_keys]

    def paginate(self, **kwargs: Any) -> CompatPageIterator:
        config = kwargs.pop("PaginationConfig", None) or {}
        max_items = config.get("MaxItems")
        page_size = config.get("PageSize")
        if page_size is not None:
            if self._spec.limit_key is None:
                raise PaginationError(
                    message="PageSize parameter is not supported for the pagination interface "
                    "for this operation."
                )
            page_size = int(page_size)
        return CompatPageIterator(
            self._client,
            self._method,
            self._spec,
            kwargs,
            max_items=int(max_items) if max_items is not None else None,
            page_size=page_size,
            starting_token=config.get("StartingToken"),
        )


class CompatPageIterator:
    """Iterates boto3's page dicts; ``build_full_result()`` and ``search()`` as in botocore."""

    def __init__(
        self,
        client: ECRCompatClient,
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

    def __iter__(self) -> Iterator[dict[str, Any]]:
        pager = self._pager = Pager(self._spec, self._params, **self._options)  # type: ignore[arg-type]
        while (request := pager.next_request()) is not None:
            yield pager.accept(self._client._call(self._method, request))

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

    def build_full_result(self) -> dict[str, Any]:
        pages = list(self)
        return build_full_result(self._spec, pages, resume_token=self.resume_token)

    def search(self, expression: str) -> Iterator[Any]:
        import jmespath

        compiled = jmespath.compile(expression)
        for page in self:
            found = compiled.search(page)
            if isinstance(found, list):
                yield from found
            else:
                yield found
