"""Endpoint resolution: an explicit URL, the environment's, or the service's rule set."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ecrclient._core.profile import Profile


def configured_endpoint_url(
    service_key: str, profile: Profile, *, ignore: bool | None = None
) -> str | None:
    """The endpoint the environment or config file sets, in botocore's order:
    ``AWS_ENDPOINT_URL_<SERVICE>``, ``AWS_ENDPOINT_URL``, the service's ``endpoint_url`` in the
    profile's ``services`` section, the profile's ``endpoint_url``; none when ``ignore`` (else
    ``ignore_configured_endpoint_urls`` from the environment or profile) is true.
    ``service_key`` is ``ecr``."""
    if ignore is None:
        ignore = profile.flag(
            "ignore_configured_endpoint_urls", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"
        )
    if ignore:
        return None
    found = os.environ.get(f"AWS_ENDPOINT_URL_{service_key.upper()}") or os.environ.get(
        "AWS_ENDPOINT_URL"
    )
    if found:
        return found
    section = profile.services_section()
    if section is None:
        from botocore.exceptions import InvalidConfigError

        raise InvalidConfigError(
            error_msg=f"the profile names services section {profile.setting('services')!r}, "
            "which the config file does not have"
        )
    service: dict[str, Any] = section.get(service_key) or {}
    url = service.get("endpoint_url") or profile.setting("endpoint_url")
    return str(url) if url else None


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
