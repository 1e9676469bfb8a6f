"""The asyncio twin of ``ecrclient.client``, in the shape aiobotocore users know::

    async with ecrclient.aio.client("ecr", region_name="us-east-1") as ecr:
        response = await ecr.describe_repositories()

Returns the same dicts and raises the same exceptions as the sync drop-in; ``async with`` is
optional (``await ecr.close()`` at shutdown).
"""

from __future__ import annotations

from ecrclient._core.signatures import parsed_by
from ecrclient.compat.aio_client import AsyncECRCompatClient
from ecrclient.compat.arguments import ClientArguments, client_arguments


@parsed_by(client_arguments)
def client(arguments: ClientArguments) -> AsyncECRCompatClient:
    """``boto3.client``'s signature, async; only ``"ecr"`` is served."""
    return AsyncECRCompatClient(arguments)


__all__ = ["AsyncECRCompatClient", "client"]
