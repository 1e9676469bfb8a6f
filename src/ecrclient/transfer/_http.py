"""The HTTP side of downloads: an httpx client set up from an ECR client's public ``config``.

A layer URL is fetched with the TLS verification, proxies, timeouts and pool size of the ECR
client that produced it (``client.config`` shows the values in force, environment included), and
nothing else: no credentials, no signing (the URL is presigned), no environment lookups of its
own. Redirects are followed, as S3 may send one.

Presigned URLs carry a signature in their query string, so nothing that reaches a log or an
exception shows more of a URL than its scheme, host and path (:func:`redact_url`).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import httpx

from ecrclient import ClientConfig
from ecrclient._transports.base import tls_for

CHUNK = 1024 * 1024
"""The size the drivers gather network reads into before handing them to the steps."""


def pool_key(url: str) -> str:
    """Which pool of an ECR client's a URL goes to: plain-HTTP URLs (a local registry) get one
    that never loads a CA bundle."""
    return "http" if url.startswith("http://") else "https"


def client_options(config: ClientConfig, *, asynchronous: bool, key: str) -> dict[str, Any]:
    """Keyword arguments for ``httpx.Client`` (or ``httpx.AsyncClient``) fetching layer URLs of
    the :func:`pool_key` ``key``."""
    # The same TLS contexts as the SDK's own pools (shared per CA bundle; none loaded for a
    # pool that never speaks TLS).
    verify = tls_for(config, f"{key}://")
    limits = httpx.Limits(
        max_connections=config.max_pool_connections,
        max_keepalive_connections=config.max_pool_connections,
    )
    options: dict[str, Any] = {
        "timeout": httpx.Timeout(
            connect=config.connect_timeout,
            read=config.read_timeout,
            write=config.write_timeout,
            pool=config.pool_timeout,
        ),
        "limits": limits,
        "verify": verify,
        "follow_redirects": True,
        "trust_env": False,  # the ECR client's config already holds what the environment says
    }
    if config.proxies:
        transport: Any = httpx.AsyncHTTPTransport if asynchronous else httpx.HTTPTransport
        options["mounts"] = {
            f"{scheme}://": transport(proxy=url, verify=verify, limits=limits)
            for scheme, url in config.proxies.items()
        }
    return options


def range_headers(start: int) -> dict[str, str]:
    return {"Range": f"bytes={start}-"} if start else {}


def redact_url(url: str) -> str:
    """``url`` without its query (where a presigned URL keeps its signature)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


def broken_message(exc: Exception, url: str) -> str:
    """A description of a network failure on ``url`` that cannot leak its signature."""
    detail = (str(exc) or type(exc).__name__).replace(url, redact_url(url))
    query = urlsplit(url).query
    if query:
        detail = detail.replace(query, "<query>")
    return f"{type(exc).__name__} on {redact_url(url)}: {detail}"


def lower_headers(headers: httpx.Headers) -> dict[str, str]:
    return {name.lower(): value for name, value in headers.items()}
