"""Endpoint resolution: an explicit URL, the environment's, or the service's rule set."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

_TRUE = ("true", "1", "yes")


def env_flag(name: str) -> bool | None:
    value = os.environ.get(name)
    if value is None:
        return None
    return value.strip().lower() in _TRUE


def configured_endpoint_url(service_env_suffix: str) -> str | None:
    """``AWS_ENDPOINT_URL_<SERVICE>`` or ``AWS_ENDPOINT_URL``, unless configured URLs are off."""
    if env_flag("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"):
        return None
    return os.environ.get(f"AWS_ENDPOINT_URL_{service_env_suffix}") or os.environ.get(
        "AWS_ENDPOINT_URL"
    )


_providers: dict[int, Any] = {}


def _provider(ruleset: Mapping[str, Any], partitions: Mapping[str, Any]) -> Any:
    """One botocore ``EndpointProvider`` per rule set; it caches its own resolutions."""
    provider = _providers.get(id(ruleset))
    if provider is None:
        from botocore.endpoint_provider import EndpointProvider

        provider = EndpointProvider(ruleset_data=ruleset, partition_data=partitions)
        _providers[id(ruleset)] = provider
    return provider


def resolve_endpoint(
    ruleset: Mapping[str, Any],
    partitions: Mapping[str, Any],
    *,
    region: str,
    use_fips: bool = False,
    use_dualstack: bool = False,
    endpoint_url: str | None = None,
) -> str:
    """Evaluate the rule set with botocore's engine; raises botocore's error when no rule fits.

    ``ruleset`` must live as long as the process (generated module data does): providers are
    cached by its identity.
    """
    if endpoint_url is not None and not use_fips and not use_dualstack:
        # What every AWS rule set answers for a custom endpoint without FIPS or dual-stack;
        # skipping the engine spares importing it (~150 ms).
        return endpoint_url
    params: dict[str, Any] = {"Region": region, "UseFIPS": use_fips, "UseDualStack": use_dualstack}
    if endpoint_url is not None:
        params["Endpoint"] = endpoint_url
    return str(_provider(ruleset, partitions).resolve_endpoint(**params).url)
