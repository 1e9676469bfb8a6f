"""Endpoint resolution: an explicit or configured URL, else the service's rule set
(``_settings/endpoints.py`` finds the configured one)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

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
    if endpoint_url is not None:
        # What every AWS rule set answers for a custom endpoint without FIPS or dual-stack, and
        # botocore passes neither with an endpoint given or configured (the rule set would
        # refuse the pair); skipping the engine spares importing it (~150 ms).
        return endpoint_url
    params: dict[str, Any] = {"Region": region, "UseFIPS": use_fips, "UseDualStack": use_dualstack}
    return str(_provider(ruleset, partitions).resolve_endpoint(**params).url)
