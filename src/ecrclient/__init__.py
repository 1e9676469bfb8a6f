"""ecrclient: a typed, fast Python SDK for Amazon ECR.

``ECRClient`` (sync) takes typed requests and returns typed results; the model classes live in
:mod:`ecrclient.model`, the faults in :mod:`ecrclient.errors`. Names are imported on first use,
so ``import ecrclient`` stays cheap.

The module-level ``__getattr__`` that imports them exists only at run time (it is defined under
``if not TYPE_CHECKING:``): type checkers see the names imported for them below and nothing else,
so a misspelt ``ecrclient.ECRClinet`` is an error for mypy and pyright rather than an ``Any``.
``dir(ecrclient)`` lists the public names, loaded or not.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ecrclient._runtime.lazy import lazy_names
from ecrclient._version import __version__

if TYPE_CHECKING:
    from ecrclient._core.config import ClientConfig
    from ecrclient._core.credentials import AwsCredentials
    from ecrclient._core.metadata import EMPTY_RESPONSE_METADATA, ResponseMetadata
    from ecrclient._core.retries import RetryPolicy
    from ecrclient._runtime.base_client import ClientOptions
    from ecrclient.async_client import AsyncECRClient
    from ecrclient.compat import ECRCompatClient, Session, client
    from ecrclient.errors import AmazonECRException
    from ecrclient.sync_client import ECRClient, ECRClientBuilder, EndpointConfiguration

_LAZY = {
    "AsyncECRClient": "ecrclient.async_client",
    "ECRClient": "ecrclient.sync_client",
    "ECRClientBuilder": "ecrclient.sync_client",
    "EndpointConfiguration": "ecrclient.sync_client",
    "ClientConfig": "ecrclient._core.config",
    "AwsCredentials": "ecrclient._core.credentials",
    "ResponseMetadata": "ecrclient._core.metadata",
    "ClientOptions": "ecrclient._runtime.base_client",
    "EMPTY_RESPONSE_METADATA": "ecrclient._core.metadata",
    "RetryPolicy": "ecrclient._core.retries",
    "AmazonECRException": "ecrclient.errors",
    "client": "ecrclient.compat",
    "Session": "ecrclient.compat",
    "ECRCompatClient": "ecrclient.compat",
}

__all__ = [
    "EMPTY_RESPONSE_METADATA",
    "AmazonECRException",
    "AsyncECRClient",
    "AwsCredentials",
    "ClientConfig",
    "ClientOptions",
    "ECRClient",
    "ECRClientBuilder",
    "ECRCompatClient",
    "EndpointConfiguration",
    "ResponseMetadata",
    "RetryPolicy",
    "Session",
    "__version__",
    "client",
]


if not TYPE_CHECKING:  # run-time hooks only: type checkers must not see an Any-typed fallback
    __getattr__, __dir__ = lazy_names(__name__, _LAZY, __all__)
