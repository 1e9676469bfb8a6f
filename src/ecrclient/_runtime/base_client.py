"""What the sync and async typed clients share: configuration, credentials, region, endpoint,
the sans-IO pipeline and the retry policy. Subclasses add a transport and the I/O loop."""

from __future__ import annotations

import copy
import os
import platform
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar, TypedDict, TypeVar

import attrs
import botocore

from ecrclient._core import awsjson
from ecrclient._core.config import ClientConfig
from ecrclient._core.credentials import AwsCredentials
from ecrclient._core.endpoints import resolve_endpoint
from ecrclient._core.errors import ConfigurationError
from ecrclient._core.interceptors import default_interceptors
from ecrclient._core.metadata import ResponseMetadata
from ecrclient._core.operation import OperationSpec
from ecrclient._core.pipeline import Pipeline, ResponseReader
from ecrclient._core.retries import RetryPolicy
from ecrclient._core.setting_checks import check_endpoint_url
from ecrclient._core.signing import SigV4Signer
from ecrclient._generated import service as _service
from ecrclient._generated.faults import FAULTS, AmazonECRException
from ecrclient._runtime.seam import Seam, StandIn
from ecrclient._settings.credentials import CredentialSource, resolve_region
from ecrclient._settings.endpoints import configured_endpoint_url
from ecrclient._settings.network import configured_ca_bundle, environment_proxies
from ecrclient._settings.profile import Profile
from ecrclient._version import __version__

if TYPE_CHECKING:
    from typing_extensions import Self, Unpack

_Client = TypeVar("_Client", bound="BaseClient")
H = TypeVar("H")
"""A handle the client keeps (its waiters)."""


def _user_agent(extra: str | None, appid: str | None) -> str:
    agent = (
        f"ecrclient/{__version__} Python/{platform.python_version()} "
        f"botocore/{botocore.__version__}"
    )
    if appid:
        # As botocore: characters a user-agent token cannot carry become "-".
        agent += " app/" + "".join(c if c in _UA_SAFE else "-" for c in appid)
    return f"{agent} {extra}" if extra else agent


_CONFIGURED_ENDPOINT = (
    "the configured endpoint (AWS_ENDPOINT_URL_ECR, AWS_ENDPOINT_URL, or the profile's "
    "endpoint_url)"
)

_UA_SAFE = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-.^_`|~,"
)


class ClientOptions(TypedDict, total=False):
    """What every typed client is built from, by keyword, each optional:
    ``ECRClient(region_name="eu-west-1", config=ClientConfig(max_attempts=5))``."""

    region_name: str | None
    """The region; ``None`` reads ``AWS_REGION`` / ``AWS_DEFAULT_REGION`` or the profile. A FIPS
    pseudo-region (``fips-us-west-2``) is its region with FIPS on."""
    endpoint_url: str | None
    """An endpoint to send to instead of ECR's; ``None`` reads ``AWS_ENDPOINT_URL_ECR`` /
    ``AWS_ENDPOINT_URL`` or the profile, else ECR's endpoint rules decide."""
    aws_access_key_id: str | None
    """With ``aws_secret_access_key`` (and ``aws_session_token``): static credentials."""
    aws_secret_access_key: str | None
    aws_session_token: str | None
    credentials: AwsCredentials | Any | None
    """An :class:`~ecrclient.AwsCredentials`, or any provider with
    ``get_frozen_credentials()``; ``None`` (and no keys) uses botocore's provider chain."""
    profile_name: str | None
    """The shared-config profile to read; ``None`` reads ``AWS_PROFILE`` or the default one."""
    botocore_session: Any
    """A botocore session whose configuration and credentials to use."""
    config: ClientConfig | None
    """Timeouts, retries, pool size, proxies and the rest (:class:`~ecrclient.ClientConfig`)."""


class BaseClient:
    """Construction and per-client state shared by :class:`ECRClient` and
    :class:`AsyncECRClient`."""

    _read_response: ClassVar[ResponseReader] = staticmethod(awsjson.parse_response)
    """How the pipeline reads answers; the boto3-compatible layer's clients
    (``ecrclient.compat``) read them as botocore does."""

    # Set by the subclasses' __init__, after this one; deliberately without a class default, as
    # AsyncECRClient.__del__ tells a half-built client by its absence.
    _closed: bool

    def __init__(self, **options: Unpack[ClientOptions]) -> None:
        unknown = sorted(set(options) - ClientOptions.__optional_keys__)
        if unknown:  # what Python would say to an untyped caller's misspelt keyword
            raise TypeError(
                f"{type(self).__name__}() got an unexpected keyword argument {unknown[0]!r}"
            )
        config = options.get("config")
        profile_name = options.get("profile_name")
        botocore_session = options.get("botocore_session")
        aws_access_key_id = options.get("aws_access_key_id")
        aws_secret_access_key = options.get("aws_secret_access_key")
        aws_session_token = options.get("aws_session_token")
        credentials = options.get("credentials")
        region_name = options.get("region_name")
        endpoint_url = options.get("endpoint_url")
        self._config = config = config or ClientConfig()
        profile = Profile(profile_name=profile_name, botocore_session=botocore_session)
        credential_source = CredentialSource(
            access_key_id=aws_access_key_id,
            secret_access_key=aws_secret_access_key,
            session_token=aws_session_token,
            provider=credentials,
            profile=profile,
        )
        region = resolve_region(region_name, profile)
        # As botocore: a FIPS pseudo-region ("fips-us-west-2") is its region with FIPS on.
        self._region = region.replace("fips-", "").replace("-fips", "")
        from ecrclient._generated import endpoint_data as _endpoint_data

        custom_endpoint = endpoint_url or configured_endpoint_url(
            "ecr", profile, ignore=config.ignore_configured_endpoint_urls
        )
        if custom_endpoint is not None:
            check_endpoint_url(
                "endpoint_url" if endpoint_url else _CONFIGURED_ENDPOINT, custom_endpoint
            )
        # As botocore: an endpoint given or configured turns both variants off.
        use_fips = custom_endpoint is None and (
            self._region != region or _flag(config.use_fips_endpoint, profile, "use_fips_endpoint")
        )
        use_dualstack = custom_endpoint is None and _flag(
            config.use_dualstack_endpoint, profile, "use_dualstack_endpoint"
        )
        self._endpoint_parameters: dict[str, str | bool | None] = {
            "Region": self._region,
            "UseFIPS": use_fips,
            "UseDualStack": use_dualstack,
            "Endpoint": custom_endpoint,
        }
        self._endpoint_url = resolve_endpoint(
            _endpoint_data.RULESET,
            _endpoint_data.PARTITIONS,
            region=self._region,
            use_fips=use_fips,
            use_dualstack=use_dualstack,
            endpoint_url=custom_endpoint,
        )
        if config.protocol == "http" and custom_endpoint is None:
            self._endpoint_url = self._endpoint_url.replace("https://", "http://", 1)
        config = self._config = _with_network_settings(config, profile, self._endpoint_url)
        self._pipeline = Pipeline(
            service=_service.SERVICE,
            faults=FAULTS,
            base_error=AmazonECRException,
            endpoint_url=self._endpoint_url,
            signer=SigV4Signer(service_name=_service.SERVICE.signing_name, region=self._region),
            credentials=credential_source,
            user_agent=_user_agent(
                config.user_agent_extra,
                config.user_agent_appid or profile.setting("sdk_ua_app_id", "AWS_SDK_UA_APP_ID"),
            ),
            read_response=self._read_response,
        )
        self._profile = profile
        self._policy = _retry_policy(config, profile)
        self._seam_made: Seam | None = None
        self._stand_in = StandIn()
        self._interceptors: tuple[object, ...] = default_interceptors(self)

    @property
    def region_name(self) -> str:
        return self._region

    @property
    def endpoint_url(self) -> str:
        return self._endpoint_url

    @property
    def endpoint_parameters(self) -> Mapping[str, str | bool | None]:
        """What the endpoint was resolved from, named as the rule set names its inputs:
        ``Region``, ``UseFIPS``, ``UseDualStack`` and ``Endpoint`` (the URL given or
        configured, else ``None``)."""
        return MappingProxyType(self._endpoint_parameters)

    @property
    def config(self) -> ClientConfig:
        return self._config

    @property
    def retry_policy(self) -> RetryPolicy:
        """The retry mode, attempts and deadline in force, after environment and profile."""
        return self._policy

    # -- interceptors and metrics -----------------------------------------------------------

    def add_interceptor(self, interceptor: object) -> None:
        """Run ``interceptor``'s hooks on every later call of this client (see
        :mod:`ecrclient._core.interceptors` for the hooks and their order)."""
        self._interceptors = (*self._interceptors, interceptor)

    def remove_interceptor(self, interceptor: object) -> None:
        """Stop running ``interceptor``; a no-op when it is not registered."""
        self._interceptors = tuple(i for i in self._interceptors if i is not interceptor)

    add_request_handler = add_interceptor
    """The Java SDK's name for :meth:`add_interceptor`."""
    remove_request_handler = remove_interceptor
    """The Java SDK's name for :meth:`remove_interceptor`."""

    @property
    def interceptors(self) -> tuple[object, ...]:
        return self._interceptors

    def add_metric_collector(self, collector: Any) -> None:
        """Hand a :class:`~ecrclient.metrics.CallMetrics` per call to ``collector.collect``."""
        from ecrclient._core.metrics import MetricsInterceptor

        self.add_interceptor(MetricsInterceptor(collector))

    def with_options(self: _Client, **changes: Any) -> _Client:
        """A copy of this client with some :class:`ClientConfig` fields changed, and
        ``interceptors=[...]`` or ``metric_collector=...`` added for the copy's calls only.

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
            "user_agent_appid",
            "ignore_configured_endpoint_urls",
            "protocol",
        }
        interceptors = tuple(changes.pop("interceptors", ()))
        collector = changes.pop("metric_collector", None)
        refused = sorted(set(changes) & fixed)
        if refused:
            raise ValueError(
                f"{', '.join(refused)} cannot change on a copy that shares the connection pool; "
                "create a new client"
            )
        config = attrs.evolve(self._config, **changes)
        clone = self._copy_sharing_transport()
        clone._seam_made = None  # the copy's seam runs the copy's policy and interceptors
        clone._config = config
        clone._policy = _retry_policy(clone._config, self._profile)
        clone._interceptors = (*self._interceptors, *interceptors)
        if collector is not None:
            clone.add_metric_collector(collector)
        return clone

    def _seam(self) -> Seam:
        """This client's :class:`Seam` (see :func:`ecrclient._runtime.seam.seam_of`)."""
        seam = self._seam_made
        if seam is None:
            seam = self._seam_made = self._make_seam()
        return seam

    def _make_seam(self) -> Seam:
        from ecrclient._runtime.operations import load_operation

        return Seam(
            operation=load_operation,
            prepare=self._prepare,
            invoke=self._run,
            serialize=self._pipeline.serialize,
            credentials=self._credentials,
            sleep=self._pause,
            stand_in=self._stand_in,
            remember=self._pipeline.metadata_cache.put,
        )

    # The shells give these their sync or async form.
    def _run(self, spec: OperationSpec, request: Any) -> Any:
        raise NotImplementedError

    def _credentials(self) -> Any:
        raise NotImplementedError

    def _pause(self, seconds: float) -> Any:
        raise NotImplementedError

    def _prepare(self, spec: OperationSpec, request: Any, members: Mapping[str, Any]) -> Any:
        """The request object for a call, built and validated before any I/O."""
        return self._pipeline.coerce(spec, request, members, self._config.parameter_validation)

    _owns_transport: bool
    _transport: Any  # a SyncTransport or an AsyncTransport: each shell says which
    _waiters: Any

    @property
    def closed(self) -> bool:
        """Whether this client, or the one it was copied from with ``with_options``, is
        closed; a closed client refuses calls."""
        return self._closed or self._transport.closed

    def _kept_waiters(self, make: Callable[[Any], H]) -> H:
        """The client's waiters handle, made by ``make`` on first use; ``close`` drops it."""
        handle: H | None = self._waiters
        if handle is None:
            handle = self._waiters = make(self)
        return handle

    def _copy_sharing_transport(self) -> Self:
        """A shallow copy that uses this client's transport (its connection pool) without
        owning it: closing the copy leaves the pool open."""
        clone = copy.copy(self)
        clone._owns_transport = False
        return clone

    def get_cached_response_metadata(self, request: object) -> ResponseMetadata | None:
        """The metadata of the last call made with this very request object (not an equal
        one), among this client's 50 most recent; ``None`` if it is not remembered."""
        return self._pipeline.metadata_cache.get(request)


def _with_network_settings(config: ClientConfig, profile: Profile, endpoint: str) -> ClientConfig:
    """``config`` with the CA bundle and proxies it leaves open taken from the environment."""
    changes: dict[str, Any] = {}
    if config.verify is None:
        configured = configured_ca_bundle(profile)
        changes["verify"] = True if configured is None else configured
    bundle = changes.get("verify", config.verify)
    if isinstance(bundle, str) and not bundle.strip():
        from botocore.exceptions import InvalidConfigError

        # botocore's own refusal, at creation too: a blank path (AWS_CA_BUNDLE= for instance)
        # is a mistake, not a request for the default bundle.
        raise InvalidConfigError(
            error_msg="Invalid CA bundle: the configured value (ca_bundle, AWS_CA_BUNDLE, "
            "REQUESTS_CA_BUNDLE, or verify) resolved to an empty or whitespace-only string. "
            "Provide a valid path to a CA bundle file."
        )
    if isinstance(bundle, str) and not os.path.exists(bundle):
        where = (
            "ClientConfig.verify"
            if config.verify is not None
            else "AWS_CA_BUNDLE, the profile's ca_bundle or REQUESTS_CA_BUNDLE"
        )
        raise ConfigurationError(
            f"{where} names the CA bundle {bundle!r}, which does not exist: give an existing "
            "file or directory, or verify=True for the default bundle"
        )
    if config.proxies is None:
        changes["proxies"] = environment_proxies(endpoint)
    return attrs.evolve(config, **changes) if changes else config


def _retry_policy(config: ClientConfig, profile: Profile) -> RetryPolicy:
    """The policy from ``config``, else ``AWS_RETRY_MODE`` / ``AWS_MAX_ATTEMPTS``, else the
    profile's ``retry_mode`` / ``max_attempts``, else the defaults."""
    mode = config.retry_mode
    if mode is None:
        # An empty AWS_RETRY_MODE is not "unset": RetryPolicy refuses it, as botocore does.
        mode = profile.setting("retry_mode", "AWS_RETRY_MODE")
    mode = "standard" if mode is None else str(mode)
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
        rules=config.retry_rules,  # type: ignore[arg-type]  # RetryPolicy rejects unknown rules
    )


def _flag(value: bool | None, profile: Profile, name: str) -> bool:
    """``value``, else ``AWS_<NAME>`` or the profile's ``name``."""
    if value is not None:
        return value
    return profile.flag(name, f"AWS_{name.upper()}")
