"""The HTTP side of downloads, written once for both drivers: the httpx client set up from an
ECR client's public ``config``, the pools, and the steps that open a layer URL and gather its
body into chunks. A driver only sends the request and reads the next network piece (calling
or awaiting).

A layer URL is fetched with the TLS verification, proxies, timeouts and pool size of the ECR
client that produced it (``client.config`` shows the values in force, environment included), and
nothing else: no credentials, no signing (the URL is presigned), no environment lookups of its
own. Redirects are followed, as S3 may send one.

Presigned URLs carry a signature in their query string, so nothing that reaches a log or an
exception shows more of a URL than its scheme, host and path (:func:`redact_url`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar
from urllib.parse import urlsplit, urlunsplit

import attrs
import httpx

from ecrclient import ClientConfig
from ecrclient._core.redaction import redact_url as without_userinfo
from ecrclient._runtime.steps import Steps
from ecrclient._transports.httpx import client_options as sdk_client_options
from ecrclient.transfer._effects import HttpGet, HttpStream, StreamBroken

CHUNK = 1024 * 1024
"""The size the drivers gather network reads into before handing them to the steps."""

Pool = TypeVar("Pool", httpx.Client, httpx.AsyncClient)


def pool_key(url: str) -> str:
    """Which pool of an ECR client's a URL goes to: plain-HTTP URLs (a local registry) get one
    that never loads a CA bundle."""
    return "http" if url.startswith("http://") else "https"


def client_options(config: ClientConfig, *, asynchronous: bool, key: str) -> dict[str, Any]:
    """Keyword arguments for ``httpx.Client`` (or ``httpx.AsyncClient``) fetching layer URLs of
    the :func:`pool_key` ``key``: the SDK's own pool settings (the same TLS contexts, none
    loaded for a pool that never speaks TLS), following redirects."""
    options = sdk_client_options(config, f"{key}://", asynchronous=asynchronous)
    options["follow_redirects"] = True
    return options


class Pools(Generic[Pool]):
    """The httpx clients of one transfer: one per ECR client and :func:`pool_key`, made on
    first use (from any thread) and closed by the driver at the end."""

    def __init__(self, kind: type[Pool]) -> None:
        self._kind: type[Pool] = kind
        self._pools: dict[tuple[int, str], Pool] = {}
        self._lock = threading.Lock()

    def get(self, via: Any, url: str) -> Pool:
        """The pool for ``url`` with the settings of the ECR client ``via``."""
        key = (id(via), pool_key(url))
        with self._lock:
            pool = self._pools.get(key)
            if pool is None:
                config: ClientConfig = via.config
                asynchronous = issubclass(self._kind, httpx.AsyncClient)
                pool = self._kind(**client_options(config, asynchronous=asynchronous, key=key[1]))
                self._pools[key] = pool
            return pool

    def drain(self) -> list[Pool]:
        """Every pool made, for the driver to close; none are left."""
        with self._lock:
            pools, self._pools = list(self._pools.values()), {}
        return pools


@attrs.define
class Body:
    """What an :class:`HttpStream` holds: the driver's response and its raw pieces (an
    iterator, or an async iterator)."""

    response: httpx.Response
    pieces: Any
    url: str = attrs.field(repr=False)
    failure: str | None = None
    """A break met after some bytes: reported by the next read, once they are delivered."""


def body_of(stream: HttpStream) -> Body:
    body = stream.native
    assert isinstance(body, Body)
    return body


def open_stream(
    pool: httpx.Client | httpx.AsyncClient,
    get: HttpGet,
    pieces: Callable[[httpx.Response], Any],
) -> Steps[HttpStream]:
    """Open ``get``: yields the ``httpx.Request``, to be sent streaming; a network failure becomes
    :class:`StreamBroken` (the steps resume), any other failure a ``RuntimeError`` (no retry),
    neither quoting the URL's signature. ``pieces`` gives the response's raw iterator."""
    request = pool.build_request("GET", get.url, headers=range_headers(get.start))
    try:
        response: httpx.Response = yield request
    except httpx.TransportError as exc:
        raise StreamBroken(broken_message(exc, get.url)) from None
    except (httpx.HTTPError, httpx.InvalidURL) as exc:  # may quote the URL
        raise RuntimeError(broken_message(exc, get.url)) from None
    body = Body(response, pieces(response), get.url)
    return HttpStream(response.status_code, lower_headers(response.headers), body)


def next_chunk(body: Body) -> Steps[bytes]:
    """The next bytes of the body, ``b""`` at its end: yields ``body.pieces`` for each network
    read (~64 KiB), gathered up to :data:`CHUNK`, so that the steps, the hash and the disk see
    few, large pieces. A break after some bytes delivers them first."""
    if body.failure is not None:
        raise StreamBroken(body.failure)
    pieces: list[bytes] = []
    size = 0
    try:
        while size < CHUNK:
            piece: bytes = yield body.pieces
            if not piece:
                break
            pieces.append(piece)
            size += len(piece)
    except httpx.TransportError as exc:
        body.failure = broken_message(exc, body.url)
        if not pieces:
            raise StreamBroken(body.failure) from None
    return pieces[0] if len(pieces) == 1 else b"".join(pieces)


def range_headers(start: int) -> dict[str, str]:
    return {"Range": f"bytes={start}-"} if start else {}


def redact_url(url: str) -> str:
    """``url`` without its query (where a presigned URL keeps its signature) and without any
    userinfo."""
    parts = urlsplit(url)
    return without_userinfo(urlunsplit((parts.scheme, parts.netloc, parts.path, "", "")))


def broken_message(exc: Exception, url: str) -> str:
    """A description of a network failure on ``url`` that cannot leak its signature."""
    detail = (str(exc) or type(exc).__name__).replace(url, redact_url(url))
    query = urlsplit(url).query
    if query:
        detail = detail.replace(query, "<query>")
    return f"{type(exc).__name__} on {redact_url(url)}: {detail}"


def lower_headers(headers: httpx.Headers) -> dict[str, str]:
    return {name.lower(): value for name, value in headers.items()}
