"""``ECRClient``: the synchronous typed client, a thin I/O shell over the sans-IO pipeline."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal

import attrs

from ecrclient._core.config import ClientConfig
from ecrclient._core.credentials import AwsCredentials, FrozenCredentials
from ecrclient._core.errors import SdkClientError
from ecrclient._core.messages import HttpRequest, HttpResponse
from ecrclient._core.operation import OperationSpec
from ecrclient._core.pipeline import Call
from ecrclient._core.redaction import redact_url
from ecrclient._generated.operations import ECROperations
from ecrclient._runtime import retry_driver
from ecrclient._runtime.base_client import BaseClient, ClientOptions
from ecrclient._runtime.operations import load_operation
from ecrclient._transports.base import SyncTransport, closed_client_error

if TYPE_CHECKING:
    import httpx
    from typing_extensions import Unpack

    from ecrclient._runtime.paging import ECRPaginators
    from ecrclient._runtime.waiting import ECRWaiters


@attrs.frozen
class EndpointConfiguration:
    """The Java SDK's endpoint override: a service URL and the region to sign for."""

    service_endpoint: str
    signing_region: str


class ECRClient(BaseClient, ECROperations):
    """Amazon ECR, typed: one method per operation, each returning its ``...Result``.

    Every method takes its ``...Request`` object or the same members as keyword arguments::

        with ECRClient(region_name="us-east-1") as ecr:
            result = ecr.describe_repositories(max_results=10)
            for repository in result.repositories or ():
                print(repository.repository_uri)

    Credentials come from the arguments or botocore's provider chain; the region from the
    argument, ``AWS_REGION``/``AWS_DEFAULT_REGION`` or the profile; the endpoint from
    ``endpoint_url``, ``AWS_ENDPOINT_URL_ECR``/``AWS_ENDPOINT_URL``, or ECR's endpoint rules.
    A client is safe to share between threads.

    Requests go out through urllib3 (``transport="urllib3"``, the default) or httpx
    (``transport="httpx"``). ``http_client`` supplies (and keeps owned by the caller) an
    ``httpx.Client``, which implies httpx. Otherwise the client makes its connection pool on
    first use, and ``close()`` closes it, failing any call still in flight on another thread.
    """

    def __init__(
        self,
        *,
        http_client: httpx.Client | None = None,
        transport: Literal["urllib3", "httpx"] | None = None,
        **options: Unpack[ClientOptions],
    ) -> None:
        super().__init__(**options)
        self._transport: SyncTransport = _sync_transport(transport, http_client)
        self._owns_transport = True
        self._closed = False
        self._sleep: Callable[[float], None] = time.sleep
        self._waiters: ECRWaiters | None = None

    # -- Java-style construction -------------------------------------------------------------

    @classmethod
    def builder(cls) -> ECRClientBuilder:
        """A fluent builder, as ``AmazonECRClientBuilder.standard()`` in the Java SDK."""
        return ECRClientBuilder()

    # -- facts -------------------------------------------------------------------------------

    @property
    def paginators(self) -> ECRPaginators:
        """Typed paginators, one per paginated operation (see :mod:`ecrclient.paginators`)."""
        from ecrclient._runtime.paging import ECRPaginators

        return ECRPaginators(self)

    @property
    def waiters(self) -> ECRWaiters:
        """Typed waiters (see :mod:`ecrclient.waiters`); ``client.waiters()`` works as in Java.
        Created on first use and released by :meth:`close`."""
        from ecrclient._runtime.waiting import ECRWaiters

        return self._kept_waiters(ECRWaiters)

    # -- lifecycle ---------------------------------------------------------------------------

    def close(self) -> None:
        """Release the connection pool (unless the caller supplied the HTTP client). Idempotent."""
        self._closed = True
        self._waiters = None
        if self._owns_transport:
            self._transport.close()

    shutdown = close
    """The Java SDK's name for :meth:`close`."""

    def __enter__(self) -> ECRClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return (
            f"ECRClient(region_name={self._region!r}, "
            f"endpoint_url={redact_url(self._endpoint_url)!r})"
        )

    # -- the call ----------------------------------------------------------------------------

    def _invoke(self, operation: str, request: Any, kwargs: dict[str, Any]) -> Any:
        spec = load_operation(operation)
        return self._run(spec, self._prepare(spec, request, kwargs))

    def _run(self, spec: OperationSpec, request: Any) -> Any:
        if (stand_in := self._stand_in.answer) is not None:
            return stand_in(spec, request)
        call = self._pipeline.start(spec, request, self._policy, self._interceptors)
        return retry_driver.run(call, self._attempt, self._pause)

    def _credentials(self) -> FrozenCredentials:
        return self._pipeline.credentials.frozen()

    def _attempt(self, call: Call) -> Any:
        self._pause(call.send_delay())
        request = call.next_request()
        started = time.perf_counter()
        try:
            response = call.provided_response or self._send(request)
        except SdkClientError as exc:
            return call.failed(exc)
        return call.finish(response, time.perf_counter() - started)

    def _pause(self, seconds: float) -> None:
        if seconds > 0:
            self._sleep(seconds)

    def _send(self, http_request: HttpRequest) -> HttpResponse:
        if self._closed or self._transport.closed:
            raise closed_client_error()
        return self._transport.send(http_request, self._config)


def _sync_transport(
    transport: Literal["urllib3", "httpx"] | None, http_client: httpx.Client | None
) -> SyncTransport:
    """The transport named, or urllib3 unless the caller supplied an ``httpx.Client``."""
    if transport is None:
        transport = "urllib3" if http_client is None else "httpx"
    if transport == "urllib3":
        if http_client is not None:
            raise ValueError("http_client is an httpx.Client; it needs transport='httpx'")
        from ecrclient._transports.urllib3 import Urllib3Transport

        return Urllib3Transport()
    if transport == "httpx":
        from ecrclient._transports.httpx import HttpxTransport

        return HttpxTransport(http_client)
    raise ValueError(f"transport must be 'urllib3' or 'httpx', got {transport!r}")


class ECRClientBuilder:
    """Fluent construction of an :class:`ECRClient` with the Java SDK's method names."""

    def __init__(self) -> None:
        self._options: dict[str, Any] = {}

    def with_region(self, region: str) -> ECRClientBuilder:
        self._options["region_name"] = region
        return self

    def with_credentials(self, credentials: AwsCredentials | Any) -> ECRClientBuilder:
        """An :class:`AwsCredentials`, or any provider with ``get_frozen_credentials()``."""
        self._options["credentials"] = credentials
        return self

    def with_endpoint_configuration(self, endpoint: EndpointConfiguration) -> ECRClientBuilder:
        self._options["endpoint_url"] = endpoint.service_endpoint
        self._options["region_name"] = endpoint.signing_region
        return self

    def with_client_configuration(self, config: ClientConfig) -> ECRClientBuilder:
        self._options["config"] = config
        return self

    def build(self) -> ECRClient:
        return ECRClient(**self._options)
