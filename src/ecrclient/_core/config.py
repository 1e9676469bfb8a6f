"""Client configuration: one frozen value per client, cheap to copy with changes."""

from __future__ import annotations

from typing import Any

import attrs


def _positive(instance: object, attribute: attrs.Attribute[Any], value: float | None) -> None:
    if value is not None and value <= 0:
        raise ValueError(f"{attribute.name} must be positive, got {value!r}")


def _at_least_one(instance: object, attribute: attrs.Attribute[Any], value: int | None) -> None:
    if value is not None and value < 1:
        raise ValueError(f"{attribute.name} must be at least 1, got {value!r}")


@attrs.frozen(kw_only=True)
class ClientConfig:
    """Transport and behaviour settings. ``None`` timeouts wait forever."""

    connect_timeout: float | None = attrs.field(default=60.0, validator=_positive)
    """Seconds to establish a connection (botocore's default: 60)."""
    read_timeout: float | None = attrs.field(default=60.0, validator=_positive)
    """Seconds to wait for the next chunk of the response (botocore's default: 60)."""
    write_timeout: float | None = attrs.field(default=60.0, validator=_positive)
    """Seconds to wait while sending the request body."""
    pool_timeout: float | None = attrs.field(default=60.0, validator=_positive)
    """Seconds to wait for a free pooled connection."""
    max_pool_connections: int = attrs.field(default=10, validator=attrs.validators.ge(1))
    """Connections kept per client (botocore's default: 10)."""
    parameter_validation: bool = True
    """Check requests against the model before sending them."""
    user_agent_extra: str | None = None
    """Appended to the ``User-Agent`` header."""
    user_agent_appid: str | None = None
    """An application id, sent in the ``User-Agent`` header as ``app/<id>``; ``None`` reads
    ``AWS_SDK_UA_APP_ID`` or the profile's ``sdk_ua_app_id``."""
    use_fips_endpoint: bool | None = None
    """Use the FIPS endpoint; ``None`` reads ``AWS_USE_FIPS_ENDPOINT``."""
    use_dualstack_endpoint: bool | None = None
    """Use the dual-stack endpoint; ``None`` reads ``AWS_USE_DUALSTACK_ENDPOINT``."""
    ignore_configured_endpoint_urls: bool | None = None
    """Skip the endpoint ``AWS_ENDPOINT_URL(_ECR)`` or the config file sets; ``None`` reads
    ``AWS_IGNORE_CONFIGURED_ENDPOINT_URLS`` or the profile's
    ``ignore_configured_endpoint_urls``."""
    protocol: str = attrs.field(default="https", validator=attrs.validators.in_(("https", "http")))
    """The scheme of the endpoint the client resolves from its region: ``"http"`` sends in
    plain text (boto3's ``use_ssl=False``). An endpoint given (``endpoint_url``) or configured
    (``AWS_ENDPOINT_URL``, the profile) keeps its own scheme."""
    verify: bool | str | None = None
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
    max_attempts: int | None = attrs.field(default=None, validator=_at_least_one)
    """Attempts per call, the first included; ``None`` reads ``AWS_MAX_ATTEMPTS`` or the
    profile's ``max_attempts``, else the mode's default (3; 5 for legacy)."""
    total_deadline: float | None = attrs.field(default=None, validator=_positive)
    """Seconds a whole call may take, retries and backoff included; ``None`` for no limit."""
    retry_quota_errors: bool = False
    """Retry ``LimitExceededException`` as botocore does. ECR uses it for exhausted quotas,
    which no retry fixes, so the typed client does not by default."""
    honour_retry_after: bool = True
    """Let a server's ``x-amz-retry-after`` lengthen a standard-mode backoff (up to 5 s more)."""
    retry_rules: str = "classic"
    """Which revision of the standard-mode rules applies: ``"classic"``, or ``"2026"`` (the
    AWS SDKs' newer rules, botocore's since 1.44: a 50 ms backoff base for failures other than
    throttling, throttling-aware retry costs, a 429 with an unmodeled code retried as
    throttling)."""
    max_response_bytes: int = attrs.field(default=128 * 2**20, validator=attrs.validators.ge(1))
    """The most bytes of one response body a client reads, after any decompression (128 MiB:
    ECR's largest answers, a page of scan findings or a batch of manifests, are a few MiB). A
    longer body fails the call with :class:`~ecrclient.errors.ResponseTooLargeError`."""
