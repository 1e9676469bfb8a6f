"""The network settings a client takes from its environment when its config leaves them open:
the proxies (``HTTP_PROXY``, ``HTTPS_PROXY``, ``NO_PROXY``) and the CA bundle
(``AWS_CA_BUNDLE``, the profile's ``ca_bundle``, ``REQUESTS_CA_BUNDLE``), found as botocore finds
them, once per client."""

from __future__ import annotations

import os
import socket

from ecrclient._settings.profile import Profile


def environment_proxies(endpoint_url: str) -> dict[str, str]:
    """The ``http`` / ``https`` proxies the environment names, or none when ``NO_PROXY`` covers
    the endpoint's host. A proxy given without a scheme is an ``http://`` proxy."""
    if not any(name.lower() in ("http_proxy", "https_proxy") for name in os.environ):
        return {}  # the common case, without importing urllib.request
    from urllib.parse import urlsplit
    from urllib.request import getproxies, proxy_bypass

    try:
        if proxy_bypass(urlsplit(endpoint_url).netloc):
            return {}
    except (TypeError, socket.gaierror):  # the platform lookup can fail; then do not bypass
        pass
    return {
        scheme: url if "://" in url else f"http://{url}"
        for scheme, url in getproxies().items()
        if scheme in ("http", "https") and url
    }


def configured_ca_bundle(profile: Profile) -> str | None:
    """The CA bundle to verify TLS with, when the environment or profile names one. A variable
    set but empty counts, as in botocore (which then refuses the client): it is returned."""
    found = profile.botocore_value("ca_bundle")
    if found is None:
        found = os.environ.get("REQUESTS_CA_BUNDLE")
    return None if found is None else str(found)
