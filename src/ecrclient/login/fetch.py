"""``docker_credentials``: docker login credentials for ECR registries, sync and async.

Each function reads the cache (when given one) without locking; for what is missing or due for
renewal it takes the cache's lock on those keys, reads again (another process may have just
fetched), and only then calls ``GetAuthorizationToken`` — once per region — and stores the
answers. If renewal fails while a cached token is still valid, that token is returned (the
failure is logged at INFO), as the ECR credential helper does.

The client is created only when a call is needed, with the region of the registry and the
profile, endpoint and configuration given here, and closed afterwards; nothing here imports
botocore or httpx before that. The planning steps are in :mod:`ecrclient.login.plan`.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Generator, Iterable
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

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


@contextlib.contextmanager
def _locked(cache: TokenCache | None, group: FetchGroup) -> Generator[None, None, None]:
    lock = cache.lock(group.keys) if cache is not None else CacheLock([])
    try:
        yield
    finally:
        lock.release()


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


def _settings_region(region_name: str | None, profile_name: str | None, **client: Any) -> str:
    """The region a client would use; creates one only if the environment does not say."""
    region = region_name or environment_region()
    if region:
        return region
    from ecrclient import ECRClient

    with ECRClient(profile_name=profile_name, **client) as ecr:
        return ecr.region_name


def docker_credentials_for(
    registries: Iterable[str | RegistryHost],
    *,
    region_name: str | None = None,
    profile_name: str | None = None,
    endpoint_url: str | None = None,
    config: ClientConfig | None = None,
    cache: TokenCache | None = None,
) -> list[DockerCredentials]:
    """Docker credentials for each registry (host, URL or :class:`RegistryHost`), in order.

    One ``GetAuthorizationToken`` call per region among the registries the cache cannot
    answer. ``region_name`` is checked against the registries' regions; with no registries,
    the caller's default registry in ``region_name`` (or the configured region) is used.
    """
    wanted = list(registries)
    region = region_name
    if not wanted:
        region = _settings_region(region_name, profile_name, endpoint_url=endpoint_url)
    lookups = plan_lookups(
        wanted, region_name=region, profile_name=profile_name, endpoint_url=endpoint_url
    )
    answers = _cached(cache, lookups, time.time())
    for group in group_lookups(lookup for lookup in lookups if lookup.key not in answers):
        with _locked(cache, group):
            answers.update(_cached(cache, group.lookups, time.time()))
            missing = [lookup for lookup in group.lookups if lookup.key not in answers]
            if not missing:
                continue
            pending = group._replace(lookups=tuple(missing))
            try:
                fetched = _fetch(pending, profile_name, endpoint_url, config)
            except Exception as error:
                answers.update(_fallback(cache, pending, error))
                continue
            _store(cache, fetched)
            answers.update(fetched)
    return _in_order(lookups, answers)


def _fetch(
    group: FetchGroup,
    profile_name: str | None,
    endpoint_url: str | None,
    config: ClientConfig | None,
) -> dict[CacheKey, DockerCredentials]:
    from ecrclient import ECRClient

    arguments = client_arguments(
        group, profile_name=profile_name, endpoint_url=endpoint_url, config=config
    )
    log.debug("GetAuthorizationToken in %s for %d registries", group.region, len(group.lookups))
    with ECRClient(**arguments) as ecr:
        requested_at = datetime.now(timezone.utc)  # not earlier: creating the client takes time
        result = ecr.get_authorization_token()
    return answer_group(group, result, requested_at)


def docker_credentials(
    registry: str | RegistryHost | None = None,
    *,
    region_name: str | None = None,
    profile_name: str | None = None,
    endpoint_url: str | None = None,
    config: ClientConfig | None = None,
    cache: TokenCache | None = None,
) -> DockerCredentials:
    """Docker credentials for one registry, or for the caller's default registry.

    ``registry`` is a host (``123456789012.dkr.ecr.us-east-1.amazonaws.com``), an
    ``https://`` URL or a :class:`RegistryHost`; its region is the one called. Without it,
    the default registry of ``region_name`` (else ``AWS_REGION``, ``AWS_DEFAULT_REGION`` or
    the profile's region). Credentials come from the profile (``profile_name``, else
    ``AWS_PROFILE``) and the rest of botocore's chain, as for any client. ``cache`` (a
    :class:`TokenCache`) answers from disk while the token is fresh and shares fetched tokens
    between processes; without it every call asks the service.
    """
    return docker_credentials_for(
        _registries(registry),
        region_name=region_name,
        profile_name=profile_name,
        endpoint_url=endpoint_url,
        config=config,
        cache=cache,
    )[0]


# -- async ---------------------------------------------------------------------------------


async def _settings_region_async(
    region_name: str | None, profile_name: str | None, endpoint_url: str | None
) -> str:
    region = region_name or environment_region()
    if region:
        return region
    from ecrclient import AsyncECRClient

    ecr = AsyncECRClient(profile_name=profile_name, endpoint_url=endpoint_url)
    try:
        return ecr.region_name
    finally:
        await ecr.close()


async def _fetch_async(
    group: FetchGroup,
    profile_name: str | None,
    endpoint_url: str | None,
    config: ClientConfig | None,
) -> dict[CacheKey, DockerCredentials]:
    from ecrclient import AsyncECRClient

    arguments = client_arguments(
        group, profile_name=profile_name, endpoint_url=endpoint_url, config=config
    )
    log.debug("GetAuthorizationToken in %s for %d registries", group.region, len(group.lookups))
    async with AsyncECRClient(**arguments) as ecr:
        requested_at = datetime.now(timezone.utc)
        result = await ecr.get_authorization_token()
    return answer_group(group, result, requested_at)


async def docker_credentials_for_async(
    registries: Iterable[str | RegistryHost],
    *,
    region_name: str | None = None,
    profile_name: str | None = None,
    endpoint_url: str | None = None,
    config: ClientConfig | None = None,
    cache: TokenCache | None = None,
) -> list[DockerCredentials]:
    """The async twin of :func:`docker_credentials_for`. Waiting for another process's lock
    runs in a worker thread, so the event loop is never blocked by it."""
    import asyncio  # here: the sync path should not pay for importing it

    wanted = list(registries)
    region = region_name
    if not wanted:
        region = await _settings_region_async(region_name, profile_name, endpoint_url)
    lookups = plan_lookups(
        wanted, region_name=region, profile_name=profile_name, endpoint_url=endpoint_url
    )
    answers = _cached(cache, lookups, time.time())
    for group in group_lookups(lookup for lookup in lookups if lookup.key not in answers):
        lock = await asyncio.to_thread(cache.lock, group.keys) if cache else CacheLock([])
        try:
            answers.update(_cached(cache, group.lookups, time.time()))
            missing = [lookup for lookup in group.lookups if lookup.key not in answers]
            if not missing:
                continue
            pending = group._replace(lookups=tuple(missing))
            try:
                fetched = await _fetch_async(pending, profile_name, endpoint_url, config)
            except Exception as error:
                answers.update(_fallback(cache, pending, error))
                continue
            _store(cache, fetched)
            answers.update(fetched)
        finally:
            lock.release()
    return _in_order(lookups, answers)


async def docker_credentials_async(
    registry: str | RegistryHost | None = None,
    *,
    region_name: str | None = None,
    profile_name: str | None = None,
    endpoint_url: str | None = None,
    config: ClientConfig | None = None,
    cache: TokenCache | None = None,
) -> DockerCredentials:
    """The async twin of :func:`docker_credentials`."""
    found = await docker_credentials_for_async(
        _registries(registry),
        region_name=region_name,
        profile_name=profile_name,
        endpoint_url=endpoint_url,
        config=config,
        cache=cache,
    )
    return found[0]
