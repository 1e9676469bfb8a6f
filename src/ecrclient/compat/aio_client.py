"""``AsyncECRCompatClient``: aiobotocore's ECR client surface over the typed
:class:`AsyncECRClient`, in a module of its own so the sync drop-in never imports asyncio."""

from __future__ import annotations

from typing import Any

from ecrclient._core.signatures import method_parsed_by
from ecrclient._generated.async_compat_operations import AsyncCompatOperations
from ecrclient._runtime.steps import adrive
from ecrclient.async_client import AsyncECRClient
from ecrclient.compat.arguments import PresignArguments, presign_arguments
from ecrclient.compat.boto_client import CompatBase
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
        response: dict[str, Any] = await adrive(
            self._call_steps(operation, params), self._invoke_typed
        )
        return response

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
