"""urllib3: :class:`Urllib3Transport`, the sync client's default transport.

urllib3 is already there (botocore sends with it) and costs less than half of httpx per
exchange. The pieces:

* **Pools.** A ``PoolManager`` for direct connections and a ``ProxyManager`` per proxy
  (``ClientConfig.proxies``, by the endpoint's scheme; HTTPS through an ``http://`` proxy
  tunnels with CONNECT), made on first use and shared by the client's ``with_options``
  copies. At most ``max_pool_connections`` connections per host; a call waits
  ``pool_timeout`` for a free one. urllib3 neither retries nor follows redirects here: the
  retry driver decides.
* **Timeouts.** Connect and read timeouts from the calling client's ``ClientConfig``, cut to
  what is left of the call's deadline. urllib3 has no write timeout of its own: the request is
  sent under the connect timeout, as botocore sends it (ECR's requests are small).
* **Bodies.** Read ``CHUNK_SIZE`` at a time as bytes arrive (``read1``), through
  :class:`~ecrclient._transports.base.BodyReader`: the size cap and the deadline hold even
  against a server that trickles bytes or never ends.
* **Lifecycle.** The sockets the pools open are tracked, so :meth:`Urllib3Transport.close`
  shuts down those of calls in flight on other threads: they fail at once with the closed
  error, instead of waiting for their read timeout. A pool made before ``os.fork()`` is
  abandoned, not shared, by the child, which makes its own.
"""

from __future__ import annotations

import base64
import functools
import ssl
import threading
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

import urllib3
from urllib3 import exceptions as u3
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from ecrclient._core.config import ClientConfig
from ecrclient._core.errors import (
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    PoolTimeoutError,
    ReadTimeoutError,
    SdkClientError,
)
from ecrclient._core.messages import HttpRequest, HttpResponse
from ecrclient._transports.base import (
    CHUNK_SIZE,
    BodyReader,
    Failures,
    SocketRegistry,
    capped,
    classified_failure,
    closed_client_error,
    network_failure,
    tls_for,
    with_accept_encoding,
)
from ecrclient._transports.pooled import PooledTransport


class _Closed(Exception):
    """Raised inside urllib3 when a connection would open after the transport was closed."""


def _pool_classes(sockets: SocketRegistry) -> dict[str, type[HTTPConnectionPool]]:
    """urllib3's pool classes, whose connections register their sockets with ``sockets``."""

    class Tracking(HTTPConnection):
        def connect(self) -> None:
            if sockets.closed:
                raise _Closed
            super().connect()
            if not sockets.track(self.sock):
                raise _Closed

    # Named as urllib3's own, which name them in their error messages.
    class TrackedConnection(Tracking):
        pass

    class TrackedSecureConnection(Tracking, HTTPSConnection):
        pass

    TrackedConnection.__name__ = TrackedConnection.__qualname__ = "HTTPConnection"
    TrackedSecureConnection.__name__ = TrackedSecureConnection.__qualname__ = "HTTPSConnection"

    class Pool(HTTPConnectionPool):
        ConnectionCls = TrackedConnection  # pyright: ignore[reportAssignmentType]

    class SecurePool(HTTPSConnectionPool):
        ConnectionCls = TrackedSecureConnection  # pyright: ignore[reportAssignmentType]

    return {"http": Pool, "https": SecurePool}


class _Pools:
    """The pool managers of one client (one per proxy in use), made for one process."""

    def __init__(self, config: ClientConfig, endpoint_url: str) -> None:
        self.sockets = SocketRegistry()
        self._classes = _pool_classes(self.sockets)
        self._options = _pool_options(config, endpoint_url)
        self._proxies = dict(config.proxies or {})
        self._managers: dict[str | None, urllib3.PoolManager] = {}
        self._routes: dict[str, tuple[Any, str]] = {}
        self._timeouts: dict[tuple[float | None, float | None], urllib3.Timeout] = {}
        self._lock = threading.Lock()

    def route(self, url: str) -> tuple[Any, str]:
        """How to send to ``url``: an ``urlopen`` and the target to give it. A direct
        connection goes straight to the host's pool with the path (a manager would parse the
        URL and look the pool up again on every call); through a proxy, the manager adds what
        the proxy needs."""
        route = self._routes.get(url)
        if route is None:
            proxy = self._proxies.get(url.split(":", 1)[0].lower())
            manager = self._manager(proxy)
            if proxy is None:
                parts = urlsplit(url)
                path = urlunsplit(("", "", parts.path or "/", parts.query, ""))
                route = (manager.connection_from_url(url).urlopen, path)
            else:
                route = (manager.urlopen, url)
            self._routes[url] = route
        return route

    def forget(self, url: str) -> None:
        """Drop the route to ``url`` (its pool was closed: the manager made room for another)."""
        self._routes.pop(url, None)

    def _manager(self, proxy: str | None) -> urllib3.PoolManager:
        manager = self._managers.get(proxy)
        if manager is None:
            with self._lock:
                manager = self._managers.get(proxy)
                if manager is None:
                    manager = self._managers[proxy] = self._make(proxy)
        return manager

    def timeout(self, connect: float | None, read: float | None) -> urllib3.Timeout:
        """The ``urllib3.Timeout`` for these values, made once."""
        timeout = self._timeouts.get((connect, read))
        if timeout is None:
            if len(self._timeouts) > 64:  # capped deadlines vary call by call
                self._timeouts.clear()
            timeout = self._timeouts[connect, read] = urllib3.Timeout(connect=connect, read=read)
        return timeout

    def _make(self, proxy: str | None) -> urllib3.PoolManager:
        if proxy is None:
            manager = urllib3.PoolManager(**self._options)
        else:
            address, headers = _proxy_address(proxy)
            manager = urllib3.ProxyManager(
                address,
                proxy_headers=headers,
                proxy_ssl_context=self._options.get("ssl_context"),
                **self._options,
            )
        manager.pool_classes_by_scheme = self._classes
        return manager

    def close(self) -> None:
        self.sockets.shut_down()
        with self._lock:
            managers = list(self._managers.values())
            self._managers.clear()
            self._routes.clear()
        for manager in managers:
            manager.clear()


def _pool_options(config: ClientConfig, endpoint_url: str) -> dict[str, Any]:
    verify = tls_for(config, endpoint_url)
    options: dict[str, Any] = {
        "num_pools": 10,
        "maxsize": config.max_pool_connections,
        "block": True,
        "retries": False,
    }
    if verify is False:
        options.update(ssl_context=_not_verifying(), cert_reqs="CERT_NONE", assert_hostname=False)
    else:
        assert isinstance(verify, ssl.SSLContext)
        options["ssl_context"] = verify
    return options


@functools.cache
def _not_verifying() -> ssl.SSLContext:
    """A TLS context that checks neither certificate nor host name (``verify=False``), made
    once."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def _proxy_address(proxy: str) -> tuple[str, dict[str, str] | None]:
    """The proxy's URL without credentials, and the ``Proxy-Authorization`` header they make:
    basic authentication when both a user name and a password are given, as botocore sends it."""
    parts = urlsplit(proxy)
    if parts.username is None:
        return proxy, None
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = host if parts.port is None else f"{host}:{parts.port}"
    address = urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    user, password = unquote(parts.username), unquote(parts.password or "")
    if not (user and password):
        return address, None
    token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
    return address, {"Proxy-Authorization": f"Basic {token}"}


def map_error(exc: BaseException, request: HttpRequest) -> SdkClientError:
    """The SDK error for a urllib3 failure while sending ``request``, its message redacted;
    ``exc`` is chained as its cause unless its text showed a secret."""
    if isinstance(exc, u3.ProxyError):
        inner = exc.original_error
        if isinstance(inner, u3.ConnectTimeoutError) and not isinstance(
            inner, u3.NewConnectionError
        ):
            return map_error(inner, request)
        return network_failure(
            EndpointConnectionError, "could not connect through the proxy", inner, request
        )
    return classified_failure(
        exc,
        request,
        _FAILURES,
        # Refused on this side before anything was sent (a header value http.client cannot
        # carry, a URL urllib3 cannot use).
        refused=(ValueError,),
        other_network=(u3.HTTPError,),
    )


_FAILURES: Failures = [
    (u3.EmptyPoolError, PoolTimeoutError, "pool timeout (no free connection)"),
    # NewConnectionError is a ConnectTimeoutError in urllib3's hierarchy: test it first.
    (u3.NewConnectionError, EndpointConnectionError, "could not connect"),
    (u3.ConnectTimeoutError, ConnectTimeoutError, "connect timeout"),
    (u3.ReadTimeoutError, ReadTimeoutError, "read timeout"),
    (u3.SSLError, EndpointConnectionError, "could not connect"),
    (u3.ProtocolError, ConnectionClosedError, "connection broke"),
    (OSError, ConnectionClosedError, "connection broke"),
]


class Urllib3Transport(PooledTransport[_Pools]):
    """The sync client's default transport: urllib3 pools made on first use (and shared by the
    client's ``with_options`` copies); closing it fails the calls still in flight."""

    def _open(self, url: str, config: ClientConfig) -> _Pools:
        return _Pools(config, url)

    def _exchange(self, pool: _Pools, request: HttpRequest, config: ClientConfig) -> HttpResponse:
        try:
            try:
                return _exchange(pool, request, config)
            except u3.ClosedPoolError:
                if pool.sockets.closed:
                    raise
                pool.forget(request.url)
                return _exchange(pool, request, config)
        except SdkClientError:
            raise
        except Exception as exc:
            closed = pool.sockets.closed or isinstance(exc, _Closed)
            failure = closed_client_error() if closed else map_error(exc, request)
        raise failure  # outside the handler: map_error decides what chains


def _wire_headers(request: HttpRequest) -> dict[str, str]:
    """The headers in the order httpx sends them, so the wire bytes are the same whichever
    transport carries them: ``Content-Length`` named last (urllib3 would put it first; ``Host``
    and ``Accept-Encoding`` it puts first, where httpx puts ``Host``)."""
    headers = dict(with_accept_encoding(request.headers))
    if request.body or request.method in ("POST", "PUT", "PATCH"):
        headers["Content-Length"] = str(len(request.body))
    return headers


def _exchange(pools: _Pools, request: HttpRequest, config: ClientConfig) -> HttpResponse:
    cap = request.timeout_cap
    urlopen, target = pools.route(request.url)
    response: Any = urlopen(
        request.method,
        target,
        body=request.body,
        headers=_wire_headers(request),
        retries=False,
        redirect=False,
        assert_same_host=False,
        preload_content=False,
        decode_content=False,
        timeout=pools.timeout(
            capped(config.connect_timeout, cap), capped(config.read_timeout, cap)
        ),
        pool_timeout=capped(config.pool_timeout, cap),
    )
    try:
        headers = {name.lower(): value for name, value in response.headers.itermerged()}
        reader = BodyReader(request, config, headers.get("content-encoding", ""))
        while chunk := response.read1(CHUNK_SIZE):
            reader.add(chunk)
        body = reader.body()
    except BaseException:
        response.close()  # the connection may hold the rest of the body: never reuse it
        raise
    finally:
        response.release_conn()
    return HttpResponse(status_code=response.status, headers=headers, body=body)
