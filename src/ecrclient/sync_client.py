"""``ECRClient``: the synchronous typed client, a thin I/O shell over the sans-IO pipeline."""

from __future__ import annotations

import copy
import platform
import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING, Any

import attrs
import botocore
import tenacity

from ecrclient import _service
from ecrclient._core.config import ClientConfig
from ecrclient._core.credentials import AwsCredentials, CredentialSource, resolve_region
from ecrclient._core.endpoints import configured_endpoint_url, env_flag, resolve_endpoint
from ecrclient._core.errors import SdkClientError
from ecrclient._core.messages import HttpRequest, HttpResponse
from ecrclient._core.metadata import ResponseMetadata
from ecrclient._core.pipeline import Call, Pipeline
from ecrclient._core.profile import Profile
from ecrclient._core.retries import RetryPolicy
from ecrclient._core.signing import SigV4Signer
from ecrclient._operations import ECROperations
from ecrclient._specs import load_operation
from ecrclient._version import __version__
from ecrclient.errors import AmazonECRException

if TYPE_CHECKING:
    import httpx

    from ecrclient._paginators import ECRPaginators
    from ecrclient._waiters import ECRWaiters


def _user_agent(extra: str | None) -> str:
    agent = (
        f"ecrclient/{__version__} Python/{platform.python_version()} "
        f"botocore/{botocore.__version__}"
    )
    return f"{agent} {extra}" if extra else agent


@attrs.frozen
class EndpointConfiguration:
    """The Java SDK's endpoint override: a service URL and the region to sign for."""

    service_endpoint: str
    signing_region: str


class ECRClient(ECROperations):
    """Amazon ECR, typed: one method per operation, each returning its ``...Result``.

    Every method takes its ``...Request`` object or the same members as keyword arguments::

        with ECRClient(region_name="us-east-1") as ecr:
            result = ecr.describe_repositories(max_results=10)
            for repository in result.repositories or ():
                print(repository.repository_uri)

    Credentials come from the arguments or botocore's provider chain; the region from the
    argument, ``AWS_REGION``/``AWS_DEFAULT_REGION`` or the profile; the endpoint from
    ``endpoint_url``, ``AWS_ENDPOINT_URL_ECR``/``AWS_ENDPOINT_URL``, or ECR's endpoint rules.
    A client is safe to share between threads. ``http_client`` lets the caller supply (and own)
    the ``httpx.Client``; otherwise the client creates one on first use and ``close()`` closes it.
    """

    def __init__(
        self,
        *,
        region_name: str | None = None,
        endpoint_url: str | None = None,
        aws_access_key_id: str | None = None,
        aws_secret_access_key: str | None = None,
        aws_session_token: str | None = None,
        credentials: AwsCredentials | Any | None = None,
        profile_name: str | None = None,
        botocore_session: Any = None,
        config: ClientConfig | None = None,
        http_client: httpx.Client | None = None,
    ) -> None:
        self._config = config = config or ClientConfig()
        profile = Profile(profile_name=profile_name, botocore_session=botocore_session)
        credential_source = CredentialSource(
            access_key_id=aws_access_key_id,
            secret_access_key=aws_secret_access_key,
            session_token=aws_session_token,
            provider=credentials,
            profile=profile,
        )
        self._region = resolve_region(region_name, profile)
        from ecrclient import _endpoint_data
        from ecrclient.faults import FAULTS

        self._endpoint_url = resolve_endpoint(
            _endpoint_data.RULESET,
            _endpoint_data.PARTITIONS,
            region=self._region,
            use_fips=_flag(config.use_fips_endpoint, "AWS_USE_FIPS_ENDPOINT"),
            use_dualstack=_flag(config.use_dualstack_endpoint, "AWS_USE_DUALSTACK_ENDPOINT"),
            endpoint_url=endpoint_url or configured_endpoint_url("ECR"),
        )
        self._pipeline = Pipeline(
            service=_service.SERVICE,
            faults=FAULTS,
            base_error=AmazonECRException,
            endpoint_url=self._endpoint_url,
            signer=SigV4Signer(service_name=_service.SERVICE.signing_name, region=self._region),
            credentials=credential_source,
            user_agent=_user_agent(config.user_agent_extra),
            validate=config.parameter_validation,
        )
        self._profile = profile
        self._policy = _retry_policy(config, profile)
        self._http = http_client
        self._owns_http = http_client is None
        self._http_lock = threading.Lock()
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
    def region_name(self) -> str:
        return self._region

    @property
    def endpoint_url(self) -> str:
        return self._endpoint_url

    def _use_endpoint(self, endpoint_url: str) -> None:
        self._endpoint_url = self._pipeline.endpoint_url = endpoint_url

    @property
    def config(self) -> ClientConfig:
        return self._config

    @property
    def retry_policy(self) -> RetryPolicy:
        """The retry mode, attempts and deadline in force, after environment and profile."""
        return self._policy

    def with_options(self, **changes: Any) -> ECRClient:
        """A copy of this client with some :class:`ClientConfig` fields changed.

        Cheap: the copy shares the connection pool, credentials, retry quota, clock-skew
        correction and metadata cache. Only per-call settings may change (timeouts, retries,
        deadline, validation); the copy never closes the shared pool.
        ``client.with_options(max_attempts=5, total_deadline=10).describe_images(...)``.
        """
        fixed = {
            "use_fips_endpoint",
            "use_dualstack_endpoint",
            "verify",
            "proxies",
            "max_pool_connections",
            "user_agent_extra",
        }
        refused = sorted(set(changes) & fixed)
        if refused:
            raise ValueError(
                f"{', '.join(refused)} cannot change on a copy that shares the connection pool; "
                "create a new client"
            )
        clone = copy.copy(self)
        clone._config = attrs.evolve(self._config, **changes)
        clone._policy = _retry_policy(clone._config, self._profile)
        clone._owns_http = False
        if clone._config.parameter_validation != self._pipeline.validate:
            clone._pipeline = copy.copy(self._pipeline)
            clone._pipeline.validate = clone._config.parameter_validation
        if self._http is None and self._owns_http:
            # Share the pool even if this client has not made a call yet.
            clone._http = self._http_client()
        return clone

    @property
    def paginators(self) -> ECRPaginators:
        """Typed paginators, one per paginated operation (see :mod:`ecrclient.paginators`)."""
        from ecrclient._paginators import ECRPaginators

        return ECRPaginators(self)

    @property
    def waiters(self) -> ECRWaiters:
        """Typed waiters (see :mod:`ecrclient.waiters`); ``client.waiters()`` works as in Java.
        Created on first use and released by :meth:`close`."""
        handle = self._waiters
        if handle is None:
            from ecrclient._waiters import ECRWaiters

            handle = self._waiters = ECRWaiters(self)
        return handle

    def get_cached_response_metadata(self, request: object) -> ResponseMetadata | None:
        """The metadata of the last call made with this very request object (not an equal
        one), among this client's 50 most recent; ``None`` if it is not remembered."""
        return self._pipeline.metadata_cache.get(request)

    # -- lifecycle ---------------------------------------------------------------------------

    def close(self) -> None:
        """Release the connection pool (unless the caller supplied the HTTP client). Idempotent."""
        with self._http_lock:
            self._closed = True
            self._waiters = None
            if self._http is not None and self._owns_http:
                self._http.close()
            self._http = None

    shutdown = close
    """The Java SDK's name for :meth:`close`."""

    def __enter__(self) -> ECRClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"ECRClient(region_name={self._region!r}, endpoint_url={self._endpoint_url!r})"

    # -- the call ----------------------------------------------------------------------------

    def _invoke(self, operation: str, request: Any, kwargs: dict[str, Any]) -> Any:
        spec = load_operation(operation)
        request = self._pipeline.coerce(spec, request, kwargs)
        call = self._pipeline.start(spec, request, self._policy)
        try:
            # Nothing to retry yet: the first attempt runs without tenacity's overhead.
            return self._attempt(call)
        except Exception as exc:
            if not call.should_retry(exc):
                error = call.final_error(exc)
                raise error from error.__cause__
        self._pause(call.delay())
        retrying = tenacity.Retrying(
            sleep=self._pause,
            stop=tenacity.stop_never,  # the call's CallRetries decides when to stop
            wait=call.delay,
            retry=tenacity.retry_if_exception(call.should_retry),
            reraise=True,
        )
        try:
            return retrying(self._attempt, call)
        except Exception as exc:
            error = call.final_error(exc)
            raise error from error.__cause__

    def _attempt(self, call: Call) -> Any:
        self._pause(call.retries.delay_before_send())
        return call.finish(self._send(call.next_request()))

    def _pause(self, seconds: float) -> None:
        if seconds > 0:
            self._sleep(seconds)

    def _send(self, http_request: HttpRequest) -> HttpResponse:
        from ecrclient import _transport

        client = self._http_client()
        try:
            response = client.send(_transport.to_httpx(client, http_request, self._config))
            try:
                body = response.read()
            finally:
                response.close()
        except Exception as exc:
            raise _transport.map_error(exc, http_request.url) from exc
        return _transport.from_httpx(response, body)

    def _http_client(self) -> httpx.Client:
        client = self._http
        if client is None:
            with self._http_lock:
                if self._closed:
                    raise SdkClientError("this ECRClient is closed")
                if self._http is None:
                    import httpx

                    from ecrclient import _transport

                    self._http = httpx.Client(**_transport.client_options(self._config))
                client = self._http
        return client


def _retry_policy(config: ClientConfig, profile: Profile) -> RetryPolicy:
    """The policy from ``config``, else ``AWS_RETRY_MODE`` / ``AWS_MAX_ATTEMPTS``, else the
    profile's ``retry_mode`` / ``max_attempts``, else the defaults."""
    mode = str(config.retry_mode or profile.setting("retry_mode", "AWS_RETRY_MODE") or "standard")
    attempts = config.max_attempts
    if attempts is None:
        raw = profile.setting("max_attempts", "AWS_MAX_ATTEMPTS")
        if raw is not None:
            try:
                attempts = int(raw)
            except ValueError:
                raise ValueError(f"max_attempts must be an integer, got {raw!r}") from None
    return RetryPolicy(
        mode=mode,  # type: ignore[arg-type]  # RetryPolicy rejects unknown modes
        max_attempts=attempts,
        total_deadline=config.total_deadline,
        retry_quota_errors=config.retry_quota_errors,
        honour_retry_after=config.honour_retry_after,
    )


def _flag(value: bool | None, env_name: str) -> bool:
    if value is not None:
        return value
    return bool(env_flag(env_name))


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
