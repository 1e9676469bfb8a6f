"""Client configuration: one frozen value per client, cheap to copy with changes.

Every field is checked when the value is made (and when ``attrs.evolve`` or ``with_options``
makes a changed copy), so a bad setting fails where it is written, before any I/O, with a
:class:`ConfigurationError` naming the field: a timeout that is not a finite positive number
of seconds (``None`` is the way to say "no limit": ``inf`` and ``nan`` are refused), a count
that is not a whole number, a ``user_agent_extra`` an HTTP header cannot carry.
"""

from __future__ import annotations

import math
from typing import Any

import attrs

from ecrclient._core.errors import ConfigurationError
from ecrclient._core.setting_checks import check_header_value


def _refuse(attribute: attrs.Attribute[Any], problem: str) -> ConfigurationError:
    setting = f"ClientConfig.{attribute.name}"
    return ConfigurationError(f"{setting} {problem}", setting=setting)


def _seconds(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """``None``, or a finite positive number of seconds."""
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _refuse(
            attribute, f"must be a number of seconds or None, got a {type(value).__name__}"
        )
    if math.isnan(value) or math.isinf(value):
        raise _refuse(
            attribute, f"must be a finite number of seconds (None for no limit), got {value!r}"
        )
    if value <= 0:
        raise _refuse(attribute, f"must be positive, got {value!r}")


def _whole(minimum: int, *, optional: bool = False) -> Any:
    """A validator: an ``int`` of at least ``minimum`` (or ``None`` when ``optional``)."""

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is None and optional:
            return
        if isinstance(value, bool) or not isinstance(value, int):
            raise _refuse(attribute, f"must be a whole number, got a {type(value).__name__}")
        if value < minimum:
            raise _refuse(attribute, f"must be at least {minimum}, got {value!r}")

    return check


def _one_of(*choices: str) -> Any:
    """A validator: one of ``choices``."""

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value not in choices:
            listed = " or ".join(repr(choice) for choice in choices)
            raise _refuse(attribute, f"must be {listed}, got {value!r}")

    return check


def _flag(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, bool):
        raise _refuse(attribute, f"must be True or False, got a {type(value).__name__}")


def _sendable(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """``None``, or a string an HTTP header can carry (it goes into ``User-Agent``)."""
    if value is not None:
        check_header_value(f"ClientConfig.{attribute.name}", value)


def _text(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and not isinstance(value, str):
        raise _refuse(attribute, f"must be a string or None, got a {type(value).__name__}")


def _verify(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and not isinstance(value, (bool, str)):
        raise _refuse(
            attribute,
            f"must be True, False, a CA bundle's path or None, got a {type(value).__name__}",
        )


@attrs.frozen(kw_only=True)
class ClientConfig:
    """Transport and behaviour settings. ``None`` timeouts wait forever; a timeout or deadline
    must otherwise be a finite positive number of seconds (``float("inf")`` is refused: say
    ``None``). A field of the wrong type or value raises
    :class:`~ecrclient.errors.ConfigurationError` naming it."""

    connect_timeout: float | None = attrs.field(default=60.0, validator=_seconds)
    """Seconds to establish a connection (botocore's default: 60)."""
    read_timeout: float | None = attrs.field(default=60.0, validator=_seconds)
    """Seconds to wait for the next chunk of the response (botocore's default: 60)."""
    write_timeout: float | None = attrs.field(default=60.0, validator=_seconds)
    """Seconds to wait while sending the request body."""
    pool_timeout: float | None = attrs.field(default=60.0, validator=_seconds)
    """Seconds to wait for a free pooled connection."""
    max_pool_connections: int = attrs.field(default=10, validator=_whole(1))
    """Connections kept per client (botocore's default: 10)."""
    parameter_validation: bool = attrs.field(default=True, validator=_flag)
    """Check requests against the model before sending them."""
    user_agent_extra: str | None = attrs.field(default=None, validator=_sendable)
    """Appended to the ``User-Agent`` header."""
    user_agent_appid: str | None = attrs.field(default=None, validator=_text)
    """An application id, sent in the ``User-Agent`` header as ``app/<id>`` (as botocore, a
    character a user-agent token cannot carry is sent as ``-``); ``None`` reads
    ``AWS_SDK_UA_APP_ID`` or the profile's ``sdk_ua_app_id``."""
    use_fips_endpoint: bool | None = None
    """Use the FIPS endpoint; ``None`` reads ``AWS_USE_FIPS_ENDPOINT``."""
    use_dualstack_endpoint: bool | None = None
    """Use the dual-stack endpoint; ``None`` reads ``AWS_USE_DUALSTACK_ENDPOINT``."""
    ignore_configured_endpoint_urls: bool | None = None
    """Skip the endpoint ``AWS_ENDPOINT_URL(_ECR)`` or the config file sets; ``None`` reads
    ``AWS_IGNORE_CONFIGURED_ENDPOINT_URLS`` or the profile's
    ``ignore_configured_endpoint_urls``."""
    protocol: str = attrs.field(default="https", validator=_one_of("https", "http"))
    """The scheme of the endpoint the client resolves from its region: ``"http"`` sends in
    plain text (boto3's ``use_ssl=False``). An endpoint given (``endpoint_url``) or configured
    (``AWS_ENDPOINT_URL``, the profile) keeps its own scheme."""
    verify: bool | str | None = attrs.field(default=None, validator=_verify)
    """Verify TLS certificates; a path names a CA bundle. ``None`` verifies with the bundle
    ``AWS_CA_BUNDLE``, the profile's ``ca_bundle`` or ``REQUESTS_CA_BUNDLE`` names, else with
    the default one; a client's ``config`` shows the value in force."""
    proxies: dict[str, str] | None = None
    """Proxy URLs by scheme (``{"https": "http://proxy:3128"}``). ``None`` takes
    ``HTTP_PROXY`` / ``HTTPS_PROXY`` from the environment unless ``NO_PROXY`` covers the
    endpoint; ``{}`` means no proxy. A client's ``config`` shows the value in force."""
    retry_mode: str | None = None
    """``"standard"``, ``"adaptive"`` or ``"legacy"``; ``None`` reads ``AWS_RETRY_MODE`` or the
    profile's ``retry_mode``, else ``"standard"``."""
    max_attempts: int | None = attrs.field(default=None, validator=_whole(1, optional=True))
    """Attempts per call, the first included; ``None`` reads ``AWS_MAX_ATTEMPTS`` or the
    profile's ``max_attempts``, else the mode's default (3; 5 for legacy)."""
    total_deadline: float | None = attrs.field(default=None, validator=_seconds)
    """Seconds a whole call may take, retries and backoff included; ``None`` for no limit."""
    retry_quota_errors: bool = attrs.field(default=False, validator=_flag)
    """Retry ``LimitExceededException`` as botocore does. ECR uses it for exhausted quotas,
    which no retry fixes, so the typed client does not by default."""
    honour_retry_after: bool = attrs.field(default=True, validator=_flag)
    """Let a server's ``x-amz-retry-after`` lengthen a standard-mode backoff (up to 5 s more)."""
    retry_rules: str = "classic"
    """Which revision of the standard-mode rules applies: ``"classic"``, or ``"2026"`` (the
    AWS SDKs' newer rules, botocore's since 1.44: a 50 ms backoff base for failures other than
    throttling, throttling-aware retry costs, a 429 with an unmodeled code retried as
    throttling)."""
    max_response_bytes: int = attrs.field(default=128 * 2**20, validator=_whole(1))
    """The most bytes of one response body a client reads, after any decompression (128 MiB:
    ECR's largest answers, a page of scan findings or a batch of manifests, are a few MiB). A
    longer body fails the call with :class:`~ecrclient.errors.ResponseTooLargeError`."""
