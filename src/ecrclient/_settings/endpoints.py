"""Endpoint URLs configured outside the code: the environment and the profile's
``services`` section or ``endpoint_url``, as botocore reads them."""

from __future__ import annotations

import os
from typing import Any

from ecrclient._settings.profile import Profile


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
