"""What the sync and async clients share about httpx: client settings, error mapping and
response conversion. No protocol logic lives here."""

from __future__ import annotations

import functools
import os
import ssl
from typing import Any

import httpx

from ecrclient._core.config import ClientConfig
from ecrclient._core.errors import (
    ConfigurationError,
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NetworkError,
    PoolTimeoutError,
    ReadTimeoutError,
    SdkClientError,
    WriteTimeoutError,
)
from ecrclient._core.messages import HttpRequest, HttpResponse


@functools.lru_cache(maxsize=8)
def _shared_ssl_context(ca_bundle: str | None, modified: float) -> ssl.SSLContext:
    # Building a context costs ~20 ms and ~1 MiB: clients verifying alike share one.
    if ca_bundle is None:  # certifi's bundle, as botocore's default (SSL_CERT_FILE is not read)
        return httpx.create_ssl_context(trust_env=False)
    try:
        if os.path.isdir(ca_bundle):  # a directory of hashed certificates, as botocore takes
            return ssl.create_default_context(capath=ca_bundle)
        return ssl.create_default_context(cafile=ca_bundle)
    except (OSError, ValueError) as exc:  # ssl.SSLError is an OSError
        raise ConfigurationError(f"the CA bundle {ca_bundle!r} could not be loaded: {exc}") from exc


def tls_verification(verify: bool | str | None) -> ssl.SSLContext | bool:
    """``False``, or the verifying TLS context for ``verify`` (a CA bundle's path, or ``True``
    / ``None`` for the default bundle), shared while the bundle file is unchanged."""
    if verify is False:
        return False
    if verify is True or verify is None:
        return _shared_ssl_context(None, 0.0)
    try:
        modified = os.stat(verify).st_mtime
    except OSError:
        modified = 0.0  # ssl reports the missing file, with its name
    return _shared_ssl_context(verify, modified)


@functools.cache
def _trusting_nothing() -> ssl.SSLContext:
    # A verifying context with no trust anchors: it costs nothing to build and would refuse
    # any certificate, should a pool that was not meant to speak TLS ever try.
    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


def tls_for(config: ClientConfig, endpoint_url: str) -> ssl.SSLContext | bool:
    """:func:`tls_verification` for a pool that sends to ``endpoint_url``; a pool that never
    speaks TLS (an ``http://`` endpoint, reached directly or through ``http://`` proxies) does
    not load a CA bundle, as urllib3 loads one only for HTTPS connections."""
    plain = endpoint_url.startswith("http://") and all(
        proxy.startswith("http://") for proxy in (config.proxies or {}).values()
    )
    return _trusting_nothing() if plain else tls_verification(config.verify)


def client_options(
    config: ClientConfig, endpoint_url: str, *, asynchronous: bool = False
) -> dict[str, Any]:
    """Keyword arguments for ``httpx.Client``, or ``httpx.AsyncClient`` when ``asynchronous``,
    from ``config``, for a pool that sends to ``endpoint_url``."""
    verify = tls_for(config, endpoint_url)
    options: dict[str, Any] = {
        "timeout": httpx.Timeout(
            connect=config.connect_timeout,
            read=config.read_timeout,
            write=config.write_timeout,
            pool=config.pool_timeout,
        ),
        "limits": httpx.Limits(
            max_connections=config.max_pool_connections,
            max_keepalive_connections=config.max_pool_connections,
        ),
        "verify": verify,
        "follow_redirects": False,
        "trust_env": False,
    }
    if config.proxies:
        proxy_transport: Any = httpx.AsyncHTTPTransport if asynchronous else httpx.HTTPTransport
        options["mounts"] = {
            f"{scheme}://": proxy_transport(proxy=url, verify=verify)
            for scheme, url in config.proxies.items()
        }
    return options


def to_httpx(
    request: HttpRequest,
    config: ClientConfig,
    *,
    own_timeouts: bool = True,
) -> httpx.Request:
    """The httpx request. Its timeouts come from ``config`` (a ``with_options`` copy shares the
    pool but may have its own), unless the caller supplied the HTTP client
    (``own_timeouts=False``: its timeouts stand); either way no phase of the attempt may outlast
    what is left of the call's deadline."""
    cap = request.timeout_cap
    extensions = None
    if own_timeouts:
        extensions = {
            "timeout": {
                "connect": _capped(config.connect_timeout, cap),
                "read": _capped(config.read_timeout, cap),
                "write": _capped(config.write_timeout, cap),
                "pool": _capped(config.pool_timeout, cap),
            }
        }
    elif cap is not None:
        extensions = {"timeout": {"connect": cap, "read": cap, "write": cap, "pool": cap}}
    return httpx.Request(
        request.method,
        _parsed_url(request.url),
        headers=request.headers,
        content=request.body,
        extensions=extensions,
    )


@functools.lru_cache(maxsize=64)
def _parsed_url(url: str) -> httpx.URL:
    """The parsed URL, shared by the requests to one endpoint: parsing is most of what building
    an ``httpx.Request`` costs, and ``httpx.URL`` is immutable."""
    return httpx.URL(url)


def send(
    client: httpx.Client, request: HttpRequest, *, own_timeouts: bool, config: ClientConfig
) -> HttpResponse:
    """One exchange on ``client``'s pool. A pool of ours is driven through its transport:
    the client's cookie, redirect, auth and hook machinery would only cost time (its cookie
    jar alone is a tenth of a small call). A caller's client is used through ``send``."""
    outgoing = to_httpx(request, config, own_timeouts=own_timeouts)
    transport = _transport_of(client, outgoing) if own_timeouts else None
    try:
        if transport is not None:
            response = transport.handle_request(outgoing)
        else:
            response = client.send(outgoing)
        try:
            body = response.read()
        finally:
            response.close()
    except Exception as exc:
        raise map_error(exc, request.url) from exc
    return from_httpx(response, body)


async def send_async(
    client: httpx.AsyncClient, request: HttpRequest, *, own_timeouts: bool, config: ClientConfig
) -> HttpResponse:
    """The async twin of :func:`send`."""
    outgoing = to_httpx(request, config, own_timeouts=own_timeouts)
    transport = _transport_of(client, outgoing) if own_timeouts else None
    try:
        if transport is not None:
            response = await transport.handle_async_request(outgoing)
        else:
            response = await client.send(outgoing)
        try:
            body = await response.aread()
        finally:
            await response.aclose()
    except Exception as exc:
        raise map_error(exc, request.url) from exc
    return from_httpx(response, body)


def _transport_of(client: httpx.Client | httpx.AsyncClient, request: httpx.Request) -> Any:
    """The transport (proxy mounts respected) ``client`` would use for ``request``, when this
    httpx exposes it; ``None`` falls back to ``client.send``."""
    pick = getattr(client, "_transport_for_url", None)
    return pick(request.url) if pick is not None else None


def _capped(timeout: float | None, cap: float | None) -> float | None:
    if cap is None:
        return timeout
    return cap if timeout is None else min(timeout, cap)


def from_httpx(response: httpx.Response, body: bytes) -> HttpResponse:
    return HttpResponse(
        status_code=response.status_code,
        headers={name.lower(): value for name, value in response.headers.items()},
        body=body,
    )


def map_error(exc: Exception, url: str) -> SdkClientError:
    """The SDK error for an httpx failure while calling ``url``."""
    detail = str(exc) or type(exc).__name__
    mapping: list[tuple[type[Exception], type[NetworkError], str]] = [
        (httpx.ConnectTimeout, ConnectTimeoutError, "connect timeout"),
        (httpx.ReadTimeout, ReadTimeoutError, "read timeout"),
        (httpx.WriteTimeout, WriteTimeoutError, "write timeout"),
        (httpx.PoolTimeout, PoolTimeoutError, "pool timeout (no free connection)"),
        (httpx.ConnectError, EndpointConnectionError, "could not connect"),
        (httpx.RemoteProtocolError, ConnectionClosedError, "connection closed mid-response"),
        (httpx.ReadError, ConnectionClosedError, "connection broke while reading"),
        (httpx.WriteError, ConnectionClosedError, "connection broke while sending"),
    ]
    for httpx_type, error_type, what in mapping:
        if isinstance(exc, httpx_type):
            return error_type(f"{what} calling {url}: {detail}", endpoint_url=url)
    if isinstance(exc, httpx.TransportError):
        return NetworkError(f"network error calling {url}: {detail}", endpoint_url=url)
    return SdkClientError(f"HTTP client error calling {url}: {detail}")
