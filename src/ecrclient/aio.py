"""The asyncio twin of ``ecrclient.client``, in the shape aiobotocore users know::

    async with ecrclient.aio.client("ecr", region_name="us-east-1") as ecr:
        response = await ecr.describe_repositories()

Returns the same dicts and raises the same exceptions as the sync drop-in; ``async with`` is
optional (``await ecr.close()`` at shutdown).
"""

from __future__ import annotations

from typing import Any

from ecrclient.compat.aio_client import AsyncECRCompatClient
from ecrclient.compat.boto_client import check_service


def client(
    service_name: str,
    region_name: str | None = None,
    api_version: str | None = None,
    use_ssl: bool = True,
    verify: bool | str | None = None,
    endpoint_url: str | None = None,
    aws_access_key_id: str | None = None,
    aws_secret_access_key: str | None = None,
    aws_session_token: str | None = None,
    config: Any = None,
    aws_account_id: str | None = None,
) -> AsyncECRCompatClient:
    """``boto3.client``'s signature, async; only ``"ecr"`` is served."""
    check_service(service_name)
    del api_version, aws_account_id  # as in the sync client()
    return AsyncECRCompatClient(
        region_name=region_name,
        use_ssl=use_ssl,
        verify=verify,
        endpoint_url=endpoint_url,
        aws_access_key_id=aws_access_key_id,
        aws_secret_access_key=aws_secret_access_key,
        aws_session_token=aws_session_token,
        config=config,
    )


__all__ = ["AsyncECRCompatClient", "client"]
