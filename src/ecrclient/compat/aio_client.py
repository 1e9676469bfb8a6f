"""``AsyncECRCompatClient``: aiobotocore's ECR client surface over the typed
:class:`AsyncECRClient`, in a module of its own so the sync drop-in never imports asyncio."""

from __future__ import annotations

from typing import Any

from ecrclient._core.errors import NetworkError, ServiceError
from ecrclient._core.signatures import method_parsed_by
from ecrclient._generated.async_compat_operations import AsyncCompatOperations
from ecrclient.async_client import AsyncECRClient
from ecrclient.compat.arguments import PresignArguments, presign_arguments
from ecrclient.compat.boto_client import CompatBase, answering_spec, boto_network_error
from ecrclient.compat.reading import read_as_botocore


class BotocoreReadingAsyncECRClient(AsyncECRClient):
    """The async typed client as the drop-in uses it: answers read as botocore reads them."""

    _read_response = staticmethod(read_as_botocore)


class AsyncECRCompatClient(CompatBase, AsyncCompatOperations):
    """aiobotocore's ECR client, backed by a typed :class:`AsyncECRClient`: awaitable
    methods, async paginators and waiters, usable with or without ``async with``."""

    _typed_class = BotocoreReadingAsyncECRClient

    def _page_iterator_type(self) -> type[Any]:
        from ecrclient.compat.paginator import AsyncCompatPageIterator

        return AsyncCompatPageIterator

    def _waiter_type(self) -> type[Any]:
        from ecrclient.compat.waiter import AsyncCompatWaiter

        return AsyncCompatWaiter

    async def _call(self, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        if self.meta.events.active:
            request, context, model, short = self._events_before(operation, params)
            if short is not None:
                return short
            try:
                result = await self._seam.invoke(answering_spec(operation), request)
            except Exception as exc:
                return self._events_outcome(model, context, None, exc)
            return self._events_outcome(model, context, result, None)
        spec = answering_spec(operation)
        request = self._request(spec, params)
        try:
            result = await self._seam.invoke(spec, request)
        except ServiceError as exc:
            raise self._boto_error(exc) from None
        except NetworkError as exc:
            raise boto_network_error(exc) from exc
        return self._response(result)

    @method_parsed_by(presign_arguments)
    async def generate_presigned_url(self, arguments: PresignArguments) -> str:
        """aiobotocore's presigned URL (a coroutine, as there); see the sync client's."""
        return self._presign(arguments, await self._seam.credentials())

    async def close(self) -> None:
        await self._typed.close()

    async def __aenter__(self) -> AsyncECRCompatClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()
