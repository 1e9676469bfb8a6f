"""``docker_credentials``: docker login credentials for ECR registries, written once as steps
(:mod:`ecrclient._runtime.jobs`) and published blocking and awaiting.

Each function reads the cache (when given one) without locking; for what is missing or due for
renewal it takes the cache's lock on those keys, reads again (another process may have just
fetched), and only then calls ``GetAuthorizationToken`` — once per region — and stores the
answers. If renewal fails while a cached token is still valid, that token is returned (the
failure is logged at INFO), as the ECR credential helper does.

The client is created only when a call is needed, with the region of the registry and the
profile, endpoint and configuration given here, and closed afterwards; nothing here imports
botocore or httpx before that. The steps ask for it with :class:`Connect`, the one effect the
two runners here add to those of the jobs: an ``ECRClient`` when blocking, an
``AsyncECRClient`` when awaiting. Waiting for another process's lock is an
:class:`~ecrclient._runtime.jobs.Offload`, so the event loop is never blocked by it. The
planning steps are in :mod:`ecrclient.login.plan`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from ecrclient._runtime.jobs import (
    Invoke,
    Offload,
    aperform,
    awaiting_clientless,
    blocking_clientless,
    closing,
    perform,
)
from ecrclient._runtime.steps import Steps, adrive, drive
from ecrclient.login.cache import CacheKey, CacheLock, TokenCache
from ecrclient.login.hosts import RegistryHost
from ecrclient.login.plan import (
    FetchGroup,
    Lookup,
    answer_group,
    client_arguments,
    environment_region,
    group_lookups,
    is_fresh,
    plan_lookups,
    usable_fallback,
)
from ecrclient.login.tokens import DockerCredentials

if TYPE_CHECKING:
    from ecrclient import ClientConfig

__all__ = [
    "docker_credentials",
    "docker_credentials_async",
    "docker_credentials_for",
    "docker_credentials_for_async",
]

log = logging.getLogger("ecrclient.login")

T = TypeVar("T")


@attrs.frozen
class Connect:
    """A new client made with ``options``: an ``ECRClient`` when blocking, an
    ``AsyncECRClient`` when awaiting. The steps close it (``Invoke(client, "close")``)."""

    options: Mapping[str, Any]


def _perform(effect: Any) -> Any:
    """:func:`~ecrclient._runtime.jobs.perform`, and :class:`Connect` with an ``ECRClient``."""
    if isinstance(effect, Connect):
        from ecrclient import ECRClient  # here: a cache hit makes no client

        return ECRClient(**effect.options)
    return perform(effect)


async def _aperform(effect: Any) -> Any:
    """:func:`~ecrclient._runtime.jobs.aperform`, and :class:`Connect` with an
    ``AsyncECRClient``."""
    if isinstance(effect, Connect):
        from ecrclient import AsyncECRClient

        return AsyncECRClient(**effect.options)
    return await aperform(effect)


def _run_blocking(steps: Steps[T]) -> T:
    return drive(steps, _perform)


async def _run_awaiting(steps: Steps[T]) -> T:
    return await adrive(steps, _aperform)


def _registries(registry: str | RegistryHost | None) -> list[str | RegistryHost]:
    return [] if registry is None else [registry]


def _cached(
    cache: TokenCache | None, lookups: Iterable[Lookup], now: float
) -> dict[CacheKey, DockerCredentials]:
    """The fresh cached answers among ``lookups``."""
    found: dict[CacheKey, DockerCredentials] = {}
    if cache is None:
        return found
    for lookup in lookups:
        credentials = cache.get(lookup.key)
        if is_fresh(credentials, now):
            assert credentials is not None
            log.debug("token cache hit for %s", credentials.registry)
            found[lookup.key] = credentials
    return found


def _fallback(
    cache: TokenCache | None, group: FetchGroup, error: Exception
) -> dict[CacheKey, DockerCredentials]:
    """Cached tokens that may stand in for a failed renewal; re-raises ``error`` if any
    lookup of the group has none."""
    now = time.time()
    stand_ins: dict[CacheKey, DockerCredentials] = {}
    for key in group.keys:
        credentials = cache.get(key) if cache is not None else None
        if not usable_fallback(credentials, now):
            raise error
        assert credentials is not None
        stand_ins[key] = credentials
    log.info(
        "renewing the token for %s failed (%s); using the cached one",
        group.region,
        type(error).__name__,
    )
    return stand_ins


def _store(cache: TokenCache | None, answers: dict[CacheKey, DockerCredentials]) -> None:
    """Cache the answers worth keeping (a token already due for renewal is not)."""
    if cache is None:
        return
    now = time.time()
    for key, credentials in answers.items():
        if is_fresh(credentials, now):
            cache.put(key, credentials)


def _lock(cache: TokenCache | None, group: FetchGroup) -> Steps[CacheLock]:
    """The cache's locks on the group's keys (none without a cache)."""
    if cache is None:
        return CacheLock([])
    lock: CacheLock = yield Offload(cache.lock, (group.keys,))
    return lock


def _in_order(
    lookups: list[Lookup], answers: dict[CacheKey, DockerCredentials]
) -> list[DockerCredentials]:
    """The answer of each lookup, named for the registry host it asked about (one key serves
    every flavour of an account's registry host)."""
    found: list[DockerCredentials] = []
    for lookup in lookups:
        credentials = answers[lookup.key]
        if lookup.registry is not None and credentials.registry != lookup.registry.host:
            credentials = credentials._replace(registry=lookup.registry.host)
        found.append(credentials)
    return found


def _settings_region(
    region_name: str | None, profile_name: str | None, **client: Any
) -> Steps[str]:
    """The region a client would use; creates one only if the environment does not say."""
    region = region_name or environment_region()
    if region:
        return region
    ecr = yield Connect({"profile_name": profile_name, **client})
    named: str = ecr.region_name  # known once the client is made
    yield Invoke(ecr, "close")
    return named


def _credentials_for_steps(
    registries: Iterable[str | RegistryHost],
    *,
    region_name: str | None = None,
    profile_name: str | None = None,
    endpoint_url: str | None = None,
    config: ClientConfig | None = None,
    cache: TokenCache | None = None,
) -> Steps[list[DockerCredentials]]:
    """Docker credentials for each registry (host, URL or :class:`RegistryHost`), in order.

    One ``GetAuthorizationToken`` call per region among the registries the cache cannot
    answer. ``region_name`` is checked against the registries' regions; with no registries,
    the caller's default registry in ``region_name`` (or the configured region) is used.
    """
    wanted = list(registries)
    region = region_name
    if not wanted:
        region = yield from _settings_region(region_name, profile_name, endpoint_url=endpoint_url)
    lookups = plan_lookups(
        wanted, region_name=region, profile_name=profile_name, endpoint_url=endpoint_url
    )
    answers = _cached(cache, lookups, time.time())
    for group in group_lookups(lookup for lookup in lookups if lookup.key not in answers):
        lock = yield from _lock(cache, group)
        try:
            answers.update(_cached(cache, group.lookups, time.time()))
            missing = [lookup for lookup in group.lookups if lookup.key not in answers]
            if not missing:
                continue
            pending = group._replace(lookups=tuple(missing))
            try:
                fetched = yield from _fetch(pending, profile_name, endpoint_url, config)
            except Exception as error:
                answers.update(_fallback(cache, pending, error))
                continue
            _store(cache, fetched)
            answers.update(fetched)
        finally:
            lock.release()
    return _in_order(lookups, answers)


def _fetch(
    group: FetchGroup,
    profile_name: str | None,
    endpoint_url: str | None,
    config: ClientConfig | None,
) -> Steps[dict[CacheKey, DockerCredentials]]:
    arguments = client_arguments(
        group, profile_name=profile_name, endpoint_url=endpoint_url, config=config
    )
    log.debug("GetAuthorizationToken in %s for %d registries", group.region, len(group.lookups))
    ecr = yield Connect(arguments)
    requested_at = datetime.now(timezone.utc)  # not earlier: creating the client takes time
    result = yield from closing(ecr, _one(Invoke(ecr, "get_authorization_token")))
    return answer_group(group, result, requested_at)


def _one(effect: Any) -> Steps[Any]:
    """The steps of one effect: its result."""
    result = yield effect
    return result


def _credentials_steps(
    registry: str | RegistryHost | None = None,
    *,
    region_name: str | None = None,
    profile_name: str | None = None,
    endpoint_url: str | None = None,
    config: ClientConfig | None = None,
    cache: TokenCache | None = None,
) -> Steps[DockerCredentials]:
    """Docker credentials for one registry, or for the caller's default registry.

    ``registry`` is a host (``123456789012.dkr.ecr.us-east-1.amazonaws.com``), an
    ``https://`` URL or a :class:`RegistryHost`; its region is the one called. Without it,
    the default registry of ``region_name`` (else ``AWS_REGION``, ``AWS_DEFAULT_REGION`` or
    the profile's region). Credentials come from the profile (``profile_name``, else
    ``AWS_PROFILE``) and the rest of botocore's chain, as for any client. ``cache`` (a
    :class:`TokenCache`) answers from disk while the token is fresh and shares fetched tokens
    between processes; without it every call asks the service.
    """
    found = yield from _credentials_for_steps(
        _registries(registry),
        region_name=region_name,
        profile_name=profile_name,
        endpoint_url=endpoint_url,
        config=config,
        cache=cache,
    )
    return found[0]


docker_credentials_for = blocking_clientless(
    _credentials_for_steps, "docker_credentials_for", __name__, _run_blocking
)
docker_credentials_for_async = awaiting_clientless(
    _credentials_for_steps, "docker_credentials_for_async", __name__, _run_awaiting
)
docker_credentials = blocking_clientless(
    _credentials_steps, "docker_credentials", __name__, _run_blocking
)
docker_credentials_async = awaiting_clientless(
    _credentials_steps, "docker_credentials_async", __name__, _run_awaiting
)
