"""``ECRCompatClient``: boto3's ECR client surface over the typed :class:`ECRClient`."""

from __future__ import annotations

import functools
import importlib
import re
from collections.abc import Mapping
from typing import Any

import attrs
from botocore.exceptions import (
    ClientError,
    OperationNotPageableError,
    ParamValidationError,
)

from ecrclient._core.config import ClientConfig
from ecrclient._core.errors import (
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NetworkError,
    ReadTimeoutError,
    ServiceError,
    bound_client_error,
)
from ecrclient._core.operation import OperationSpec
from ecrclient._core.redaction import redact_url
from ecrclient._core.retries import DEFAULT_MAX_ATTEMPTS, RetryRules
from ecrclient._core.signatures import method_parsed_by, parsed_by
from ecrclient._generated.compat_operations import CompatOperations
from ecrclient._generated.service import OPERATION_MODULES
from ecrclient._runtime.operations import load_operation
from ecrclient._runtime.seam import seam_of
from ecrclient._runtime.steps import Steps, drive
from ecrclient._settings.credentials import checked_region
from ecrclient._settings.endpoints import configured_endpoint_url
from ecrclient._settings.profile import Profile
from ecrclient.compat.arguments import (
    SERVICE_NAME,
    ClientArguments,
    PresignArguments,
    client_arguments,
    presign_arguments,
)
from ecrclient.compat.events import (
    CompatEvents,
    EventBridge,
    aws_response,
    endpoint_builtins,
    last_response,
)
from ecrclient.compat.reading import read_as_botocore
from ecrclient.errors import AmazonECRException
from ecrclient.sync_client import ECRClient

METHOD_TO_API = {method: name for name, method in OPERATION_MODULES.items()}


@functools.cache
def service_model() -> Any:
    """botocore's model object over the pinned ECR model (loaded on first use)."""
    from botocore.model import ServiceModel

    from ecrclient._generated.botocore_model import SERVICE_MODEL

    return ServiceModel(SERVICE_MODEL, service_name=SERVICE_NAME)


def operation_spec(method: str) -> OperationSpec:
    """The spec behind client method ``method``: the generated one, else one served through
    the installed botocore's model (see :mod:`ecrclient.compat.installed_model`); raises
    ``KeyError`` when neither has it."""
    if method in METHOD_TO_API:
        return load_operation(method)
    from ecrclient.compat.installed_model import installed_operation

    spec = installed_operation(method)
    if spec is None:
        raise KeyError(method)
    return spec


@functools.cache
def answering_spec(method: str) -> OperationSpec:
    """The spec the drop-in calls ``method`` with: :func:`operation_spec`'s, its answer read
    straight into boto3's dict by the generated ``<Operation>Answer`` (rather than into the
    typed result and then converted), imported on first use; unchanged for an operation only
    botocore models."""
    spec = operation_spec(method)
    if spec.name not in OPERATION_MODULES:
        return spec
    module = importlib.import_module(f"ecrclient._generated.boto_answers.{method}")
    return attrs.evolve(spec, result_type=module.ANSWER)


def operation_model(name: str) -> Any:
    """botocore's model of operation ``name``: the pinned model's for a generated operation,
    else the installed botocore's."""
    if name in OPERATION_MODULES:
        return service_model().operation_model(name)
    from ecrclient.compat.installed_model import installed_service_model

    return installed_service_model().operation_model(name)


def _boto_region(region_name: str | None, profile: Profile) -> str:
    """The region as botocore 1.x finds it: explicit, ``AWS_DEFAULT_REGION``, the profile
    (``AWS_REGION`` is not read)."""
    from botocore.exceptions import NoRegionError

    region = region_name or profile.botocore_value("region")
    if not region:
        raise NoRegionError()
    return checked_region(str(region))


APPLIED_CONFIG_OPTIONS = frozenset(
    {
        "region_name",
        "connect_timeout",
        "read_timeout",
        "max_pool_connections",
        "retries",
        "parameter_validation",
        "proxies",
        "user_agent_extra",
        "user_agent_appid",
        "use_fips_endpoint",
        "use_dualstack_endpoint",
        "ignore_configured_endpoint_urls",
    }
)
"""``botocore.config.Config`` options the drop-in applies."""

NO_EFFECT_ON_ECR = frozenset(
    {
        "s3",
        "s3_disable_express_session_auth",
        "inject_host_prefix",
        "endpoint_discovery_enabled",
        "request_min_compression_size_bytes",
        "disable_request_compression",
        "client_context_params",
        "sigv4a_signing_region_set",
        "request_checksum_calculation",
        "response_checksum_validation",
        "account_id_endpoint_mode",
        "auth_scheme_preference",
    }
)
"""Options that change nothing for ECR in boto3 either: its model has no S3 settings, host
prefixes, endpoint discovery, compressed or checksummed members, account-based endpoints or
SigV4a."""


class UnappliedConfigWarning(UserWarning):
    """A ``botocore.config.Config`` option the drop-in does not apply was set."""


def _warn_unapplied(config: Any) -> None:
    """Say which options given to a Config the drop-in leaves unapplied, rather than drop them
    silently (``signature_version``, ``user_agent``, ``client_cert``, ``tcp_keepalive``,
    ``proxies_config``, ``defaults_mode``)."""
    given: dict[str, Any] = getattr(config, "_user_provided_options", {})
    unapplied = sorted(set(given) - APPLIED_CONFIG_OPTIONS - NO_EFFECT_ON_ECR)
    if unapplied:
        import warnings

        warnings.warn(
            f"ecrclient does not apply these Config options: {', '.join(unapplied)}",
            UnappliedConfigWarning,
            stacklevel=_caller_level(),
        )


def _caller_level() -> int:
    """The ``stacklevel`` that points a warning at the first frame outside ecrclient."""
    import inspect
    from pathlib import Path

    package = str(Path(__file__).resolve().parent.parent)
    here = inspect.currentframe()
    frame, level = (here.f_back if here is not None else None), 1
    while frame is not None and frame.f_back is not None:
        if not frame.f_code.co_filename.startswith(package):
            break
        frame, level = frame.f_back, level + 1
    return level


@functools.cache
def param_validator() -> Any:
    """botocore's parameter validator; it keeps no state between calls, so one serves all."""
    from botocore.validate import ParamValidator

    return ParamValidator()


def _retry_settings(config: Any, profile: Profile) -> tuple[str, int]:
    """boto3's retry mode and total attempts: ``Config(retries=...)``, else the environment
    and profile, else the installed botocore's defaults (its default mode is ``legacy``
    before 1.44 and ``standard`` since)."""
    from botocore.config import Config

    retries = dict(getattr(config, "retries", None) or {})
    if "mode" in retries:
        mode = str(retries["mode"])
    else:
        configured_mode = profile.botocore_value("retry_mode")
        mode = "standard" if configured_mode is None else str(configured_mode)
    Config(retries={"mode": mode})  # botocore's own refusal of an unknown mode
    if "total_max_attempts" in retries:
        attempts = int(retries["total_max_attempts"])
    elif "max_attempts" in retries:
        attempts = int(retries["max_attempts"]) + 1  # botocore's max_attempts counts retries
    else:
        configured = profile.botocore_value("max_attempts")
        attempts = int(configured) if configured is not None else DEFAULT_MAX_ATTEMPTS[mode]
    Config(retries={"total_max_attempts": attempts})  # and of a count below one
    return mode, attempts


def _retry_rules() -> RetryRules:
    """The revision of the standard-mode rules the installed botocore applies: the 2026 rules
    where it says its new retries are on (always, since 1.44)."""
    from botocore import configprovider

    return "2026" if getattr(configprovider, "NEW_RETRIES_ENABLED", False) else "classic"


def _refuse_as_botocore(endpoint_url: str | None, boto_config: Any, profile: Profile) -> None:
    """Raise what boto3 raises when it creates a client with these settings: botocore's
    ``ValueError`` for an endpoint it cannot use (given or configured), then urllib3's for a
    timeout. The typed client underneath checks more (see ``_core/setting_checks.py``)."""
    from botocore import utils

    botocore_utils: Any = utils  # its checks carry no types
    url = endpoint_url or configured_endpoint_url(
        "ecr", profile, ignore=boto_config.ignore_configured_endpoint_urls
    )
    valid = botocore_utils.is_valid_endpoint_url
    valid_ipv6 = botocore_utils.is_valid_ipv6_endpoint_url
    if url is not None and not valid(url) and not valid_ipv6(url):
        # botocore's wording, without the userinfo a password may hide in.
        raise ValueError(f"Invalid endpoint: {redact_url(url)}")
    for name, value in (
        ("connect", boto_config.connect_timeout),
        ("read", boto_config.read_timeout),
    ):
        _refuse_timeout_as_urllib3(name, value)


def _refuse_timeout_as_urllib3(name: str, value: Any) -> None:
    """urllib3's refusal of a timeout, which boto3 meets when it creates the client."""
    if value is None:
        return
    if isinstance(value, bool):
        raise ValueError("Timeout cannot be a boolean value. It must be an int, float or None.")
    try:
        float(value)
        too_small = value <= 0
    except (TypeError, ValueError):
        raise ValueError(
            f"Timeout value {name} was {value}, but it must be an int, float or None."
        ) from None
    if too_small:
        raise ValueError(
            f"Attempted to set {name} timeout to {value}, but the timeout cannot be set to a "
            "value less than or equal to 0."
        )


def _typed_config(
    arguments: ClientArguments, boto_config: Any, mode: str, attempts: int
) -> ClientConfig:
    """The typed client's settings for boto3's ``Config`` and ``client()`` arguments, with the
    retry ``mode`` and ``attempts`` boto3 resolves (:func:`_retry_settings`), and botocore's
    own parameter validation (with its report text) instead of the typed client's."""
    rules = _retry_rules()
    return ClientConfig(
        connect_timeout=boto_config.connect_timeout,
        read_timeout=boto_config.read_timeout,
        max_pool_connections=boto_config.max_pool_connections,
        user_agent_extra=boto_config.user_agent_extra,
        user_agent_appid=boto_config.user_agent_appid,
        proxies=boto_config.proxies,
        use_fips_endpoint=boto_config.use_fips_endpoint,
        use_dualstack_endpoint=boto_config.use_dualstack_endpoint,
        ignore_configured_endpoint_urls=boto_config.ignore_configured_endpoint_urls,
        verify=arguments.verify,  # None: the CA bundle from the environment or profile
        parameter_validation=False,
        retry_mode=mode,
        max_attempts=attempts,
        retry_rules=rules,
        retry_quota_errors=True,
        honour_retry_after=rules == "2026",
        protocol="https" if arguments.use_ssl else "http",
    )


def boto_network_error(exc: Exception) -> Exception:
    """botocore's own exception, with its wording, for one of our transport errors."""
    from botocore import exceptions as boto

    if isinstance(exc, NetworkError):
        url = exc.endpoint_url
        if isinstance(exc, ConnectTimeoutError):
            return boto.ConnectTimeoutError(endpoint_url=url, error=exc)  # type: ignore[no-any-return]
        if isinstance(exc, ReadTimeoutError):
            return boto.ReadTimeoutError(endpoint_url=url, error=exc)  # type: ignore[no-any-return]
        if isinstance(exc, EndpointConnectionError):
            return boto.EndpointConnectionError(endpoint_url=url, error=exc)  # type: ignore[no-any-return]
        if isinstance(exc, ConnectionClosedError):
            return boto.ConnectionClosedError(endpoint_url=url, error=exc)  # type: ignore[no-any-return]
    return exc


def _partition(region: str) -> str:
    from ecrclient._generated.endpoint_data import PARTITIONS

    for partition in PARTITIONS["partitions"]:
        if region in partition["regions"] or re.match(partition["regionRegex"], region):
            return str(partition["id"])
    return "aws"


class ClientMeta:
    """``client.meta``: the facts boto3 code reads from it."""

    service_model: Any
    events: CompatEvents

    def __init__(self, *, region_name: str, endpoint_url: str, config: Any) -> None:
        self.region_name = region_name
        self.endpoint_url = endpoint_url
        self.config = config
        self.partition = _partition(region_name)

    def __getattr__(self, name: str) -> Any:
        # Both as boto3 has them: from the botocore installed beside it (loaded on first use).
        from ecrclient.compat import installed_model

        if name == "service_model":
            return installed_model.installed_service_model()
        if name == "method_to_api_mapping":
            return {**installed_model.installed_methods(), **METHOD_TO_API}
        raise AttributeError(name)


@attrs.frozen
class _Prepared:
    """A call as the events before it left it: its typed request, botocore's request context
    and operation model, and the response a before-call handler gave in its place, if any."""

    request: Any
    context: dict[str, Any]
    model: Any
    short: dict[str, Any] | None


class CompatBase:
    """Construction and conversions shared by the sync and async boto3-style clients."""

    _typed_class: type[Any] = ECRClient
    """The typed client underneath (a subclass that reads answers as botocore does)."""

    def __init__(self, arguments: ClientArguments) -> None:
        from botocore.config import Config

        # botocore's Config sets its options with setattr, so none of them has a static type.
        boto_config: Any = arguments.config if arguments.config is not None else Config()
        profile = Profile(
            profile_name=arguments.profile_name, botocore_session=arguments.botocore_session
        )
        _refuse_as_botocore(arguments.endpoint_url, boto_config, profile)
        _warn_unapplied(boto_config)
        self._mode, self._attempts = _retry_settings(boto_config, profile)
        self._validate = bool(boto_config.parameter_validation)
        typed_config = _typed_config(arguments, boto_config, self._mode, self._attempts)
        self._typed = self._typed_class(
            region_name=_boto_region(arguments.region_name or boto_config.region_name, profile),
            endpoint_url=arguments.endpoint_url,
            aws_access_key_id=arguments.aws_access_key_id,
            aws_secret_access_key=arguments.aws_secret_access_key,
            aws_session_token=arguments.aws_session_token,
            profile_name=arguments.profile_name,
            botocore_session=arguments.botocore_session,
            config=typed_config,
        )
        self._seam = seam_of(self._typed)
        from ecrclient.faults import ECRExceptions

        self.exceptions = ECRExceptions()
        self._bridged = False
        self.meta = ClientMeta(
            region_name=self._typed.region_name,
            endpoint_url=self._typed.endpoint_url,
            config=boto_config.merge(Config(region_name=self._typed.region_name))
            if boto_config.region_name is None
            else boto_config,
        )
        self.meta.events = CompatEvents()

    @property
    def typed(self) -> Any:
        """The typed client underneath, sharing its connections, credentials and retries."""
        return self._typed

    # -- calls: dict parameters in, typed request out; typed result in, dict out -------------

    def _request(self, spec: OperationSpec, params: dict[str, Any]) -> Any:
        if self._validate:
            self._check(spec.name, params)
        else:
            # Even unvalidated, a parameter the operation does not have is never dropped quietly.
            members = operation_model(spec.name).input_shape.members
            unknown = [name for name in params if name not in members]
            if unknown:
                raise ParamValidationError(
                    report=f'Unknown parameter in input: "{unknown[0]}", must be one of: '
                    + ", ".join(members)
                )
        try:
            return spec.request_type._from_boto(params)
        except KeyError as exc:
            raise ParamValidationError(
                report=f'Missing required parameter in input: "{exc.args[0]}"'
            ) from None
        except (TypeError, ValueError, AttributeError) as exc:
            raise ParamValidationError(report=str(exc)) from None

    # -- one call, written once for the sync and the async drop-in ---------------------------

    def _call_steps(self, operation: str, params: dict[str, Any]) -> Steps[dict[str, Any]]:
        """A boto3-style call as steps: it yields the ``(spec, typed request)`` to invoke
        (:meth:`_invoke_typed`), a fault thrown in; returns boto3's dict or raises boto3's
        error. The shells run it with ``drive`` (sync) or ``adrive`` (async)."""
        spec = answering_spec(operation)
        if self.meta.events.active:
            call = self._events_before(operation, params)
            if call.short is not None:
                return call.short
            try:
                result = yield spec, call.request
            except Exception as exc:
                return self._events_outcome(call, None, exc)
            return self._events_outcome(call, result, None)
        request = self._request(spec, params)
        try:
            result = yield spec, request
        except ServiceError as exc:
            raise self._boto_error(exc) from None
        except NetworkError as exc:
            raise boto_network_error(exc) from exc
        return self._response(result)

    def _invoke_typed(self, effect: tuple[OperationSpec, Any]) -> Any:
        """Carry out a step of :meth:`_call_steps` on the typed client (a coroutine on the
        async one)."""
        return self._seam.invoke(*effect)

    # -- the event path (only when a handler is registered on meta.events) -------------------

    def _events_before(self, operation: str, params: dict[str, Any]) -> _Prepared:
        """Emit the events before sending; returns the call as they left it."""
        events = self.meta.events
        if not self._bridged:
            self._typed.add_interceptor(EventBridge(events, self.meta.region_name))
            self._bridged = True
        spec = operation_spec(operation)
        model = operation_model(spec.name)
        context: dict[str, Any] = {
            "client_region": self.meta.region_name,
            "client_config": self.meta.config,
            "has_streaming_input": False,
            "auth_type": None,
        }
        responses = events.emit(
            f"provide-client-params.ecr.{spec.name}", params=params, model=model, context=context
        )
        params = next((r for _, r in responses if r is not None), params)
        events.emit(
            f"before-parameter-build.ecr.{spec.name}", params=params, model=model, context=context
        )
        events.emit(
            "before-endpoint-resolution.ecr",
            builtins=endpoint_builtins(self._typed.endpoint_parameters),
            model=model,
            params=params,
            context=context,
        )
        request = self._request(spec, params)
        http = self._seam.serialize(spec, request)
        request_dict = {
            "url_path": "/",
            "query_string": "",
            "method": http.method,
            "headers": dict(http.headers),
            "body": http.body,
            "url": http.url,
            "context": context,
        }
        _, short = events.emit_until_response(
            f"before-call.ecr.{spec.name}",
            model=model,
            params=request_dict,
            request_signer=None,
            context=context,
        )
        if short is not None:
            http_response, parsed = short
            self._events_after(model, context, http_response, parsed)
            if http_response.status_code >= 300:
                raise self._short_circuit_error(spec.name, http_response.status_code, parsed)
            return _Prepared(request, context, model, parsed)
        last_response.set(None)
        return _Prepared(request, context, model, None)

    def _short_circuit_error(
        self, operation_name: str, status: int, parsed: dict[str, Any]
    ) -> Exception:
        """The fault for an error answer a before-call handler supplied, as the wire gives it."""
        cls = self.exceptions.from_code(parsed.get("Error", {}).get("Code", ""))
        if not issubclass(cls, ServiceError):
            return cls(parsed, operation_name)
        return cls.from_boto_response(parsed, operation_name, status_code=status)

    def _events_after(
        self, model: Any, context: dict[str, Any], http_response: Any, parsed: dict[str, Any]
    ) -> None:
        self.meta.events.emit(
            f"after-call.ecr.{model.name}",
            http_response=http_response,
            parsed=parsed,
            model=model,
            context=context,
        )

    def _events_outcome(
        self, call: _Prepared, result: Any, error: BaseException | None
    ) -> dict[str, Any]:
        """Emit after-call (or after-call-error) and return the dict, or raise the error."""
        model, context = call.model, call.context
        response = last_response.get()
        if isinstance(error, ServiceError):
            boto_error = self._boto_error(error)
            if response is not None:
                self._events_after(
                    model, context, aws_response(response, self.meta.endpoint_url), error.response
                )
            raise boto_error from None
        if error is not None:
            error = boto_network_error(error) if isinstance(error, Exception) else error
            self.meta.events.emit(
                f"after-call-error.ecr.{model.name}", exception=error, context=context
            )
            raise error
        parsed = self._response(result)
        if response is not None:
            self._events_after(
                model, context, aws_response(response, self.meta.endpoint_url), parsed
            )
        return parsed

    def _response(self, result: Any) -> dict[str, Any]:
        response: dict[str, Any] = result._to_boto()
        response["ResponseMetadata"] = self._boto_metadata(result.response_metadata)
        return response

    def _check(self, operation_name: str, params: Mapping[str, Any]) -> None:
        shape = operation_model(operation_name).input_shape
        report = param_validator().validate(params, shape)
        if report.has_errors():
            raise ParamValidationError(report=report.generate_report())

    def _reached_max(self, metadata: Any) -> bool:
        # botocore's standard and adaptive modes mark every answer of the last allowed attempt,
        # success or not; legacy mode marks only retryable failures that ran out.
        if self._mode == "legacy":
            return bool(metadata.max_attempts_reached)
        return bool(metadata.retry_attempts + 1 >= self._attempts)

    def _boto_metadata(self, metadata: Any) -> dict[str, Any]:
        boto: dict[str, Any] = metadata.to_boto()
        boto.pop("MaxAttemptsReached", None)
        if self._reached_max(metadata):
            boto["MaxAttemptsReached"] = True
        return boto

    def _boto_error(self, exc: ServiceError) -> Exception:
        metadata = exc.response_metadata
        if metadata is not None and self._reached_max(metadata) != metadata.max_attempts_reached:
            exc = exc.with_metadata(
                attrs.evolve(metadata, max_attempts_reached=self._reached_max(metadata))
            )
        if type(exc) is AmazonECRException:
            # boto3 raises plain ClientError for codes its model does not know (shown bounded).
            return bound_client_error(ClientError(exc.response, exc.operation_name))
        return exc

    # -- boto3's client methods --------------------------------------------------------------

    def can_paginate(self, operation_name: str) -> bool:
        # As botocore: only method names are known (KeyError otherwise).
        return operation_spec(operation_name).paging is not None

    # get_paginator and get_waiter are generated (typed by name, with Literal overloads) in
    # CompatOperations / AsyncCompatOperations, which call these two.
    def _paginator(self, operation_name: str) -> Any:
        from ecrclient.compat.paginator import CompatPaginator

        spec = operation_spec(operation_name)
        if spec.paging is None:
            raise OperationNotPageableError(operation_name=operation_name)
        return CompatPaginator(self, operation_name, spec.paging.spec, self._page_iterator_type())

    def _presign(self, arguments: PresignArguments, credentials: Any) -> str:
        from botocore.exceptions import UnknownClientMethodError

        from ecrclient.compat.presign import presigned_url

        try:
            spec = operation_spec(arguments.client_method)
        except KeyError:
            raise UnknownClientMethodError(method_name=arguments.client_method) from None
        request = self._request(spec, arguments.params)
        return presigned_url(
            self._seam.serialize(spec, request),
            operation_name=spec.name,
            endpoint_url=self.meta.endpoint_url,
            region_name=self.meta.region_name,
            expires_in=arguments.expires_in,
            http_method=arguments.http_method,
            credentials=credentials,
            events=self.meta.events,
        )

    @property
    def waiter_names(self) -> list[str]:
        from ecrclient._generated.waiters import WAITERS
        from ecrclient.compat.waiter import xform_name

        return sorted(xform_name(name) for name in WAITERS)

    def _waiter(self, waiter_name: str) -> Any:
        from ecrclient._generated.waiters import WAITERS
        from ecrclient.compat.waiter import xform_name

        by_method = {xform_name(name): spec for name, spec in WAITERS.items()}
        if waiter_name not in by_method:
            raise ValueError(f"Waiter does not exist: {waiter_name}")
        return self._waiter_type()(self, by_method[waiter_name])

    # The paginators' page iterators and the waiters: blocking here, awaiting in the async
    # drop-in. (Imported when first asked for: most programs use neither.)
    def _page_iterator_type(self) -> type[Any]:
        from ecrclient.compat.paginator import CompatPageIterator

        return CompatPageIterator

    def _waiter_type(self) -> type[Any]:
        from ecrclient.compat.waiter import CompatWaiter

        return CompatWaiter

    def __getattr__(self, name: str) -> Any:
        """A method for an operation the installed botocore knows and the generated model does
        not, as boto3 has it."""
        if name.startswith("_"):
            raise AttributeError(name)
        from ecrclient.compat.installed_model import installed_operation

        if name in METHOD_TO_API or installed_operation(name) is None:
            raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

        def method(*args: Any, **kwargs: Any) -> Any:
            if args:
                raise TypeError(f"{name}() only accepts keyword arguments.")
            return self._call(name, kwargs)

        method.__name__ = name
        return method

    def __dir__(self) -> list[str]:
        from ecrclient.compat.installed_model import installed_methods

        return sorted({*super().__dir__(), *installed_methods()})

    def _call(self, operation: str, params: dict[str, Any]) -> Any:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<ecrclient {type(self).__name__} region_name={self.meta.region_name!r}>"


class BotocoreReadingECRClient(ECRClient):
    """The typed client as the drop-in uses it: answers read as botocore reads them."""

    _read_response = staticmethod(read_as_botocore)


class ECRCompatClient(CompatBase, CompatOperations):
    """boto3's ECR client, backed by a typed :class:`ECRClient` (``client.typed``)."""

    _typed_class = BotocoreReadingECRClient

    def _call(self, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        response: dict[str, Any] = drive(self._call_steps(operation, params), self._invoke_typed)
        return response

    @method_parsed_by(presign_arguments)
    def generate_presigned_url(self, arguments: PresignArguments) -> str:
        """boto3's presigned URL for calling ``ClientMethod`` with ``Params`` (query-string
        SigV4, valid ``ExpiresIn`` seconds)."""
        return self._presign(arguments, self._seam.credentials())

    def close(self) -> None:
        """Release the connection pool."""
        self._typed.close()


@parsed_by(client_arguments)
def client(arguments: ClientArguments) -> ECRCompatClient:
    """``boto3.client``'s signature; only ``"ecr"`` is served."""
    return ECRCompatClient(arguments)
