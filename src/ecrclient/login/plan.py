"""The decisions behind :func:`~ecrclient.login.docker_credentials`, apart from its I/O.

A lookup names registries (or none: the caller's default registry). Each becomes a
:class:`Lookup` with its :class:`~ecrclient.login.cache.CacheKey`. Lookups the cache cannot
answer are grouped by region and endpoint flavour (FIPS, dual-stack): one group, one
``GetAuthorizationToken`` call, whose token serves every registry of the group.

Why one call per region and no ``registryIds``: the member is deprecated, and the service
documents that naming registries "doesn't change the permissions scope of the authorization
token" — a token opens every registry of its region that the principal may access. Sending one
call without ``registryIds`` per region is therefore both the cheapest and the documented way.

The sync and async drivers (:mod:`ecrclient.login.fetch`) run these steps and do only the I/O.
The credential helper uses :func:`plan_lookups` and :func:`is_fresh` on its cache-hit path, so
this module stays as light to import as the cache.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from ecrclient.login.cache import CacheKey
from ecrclient.login.hosts import NotAnECRRegistryError, RegistryHost, parse_registry
from ecrclient.login.tokens import (
    DockerCredentials,
    credentials_from_result,
    refresh_due,
    still_usable,
)

if TYPE_CHECKING:
    from ecrclient import ClientConfig

__all__ = [
    "FetchGroup",
    "Lookup",
    "answer_group",
    "client_arguments",
    "environment_region",
    "group_lookups",
    "is_fresh",
    "plan_lookups",
    "usable_fallback",
]


class Lookup(NamedTuple):
    """One registry asked for (``registry`` is ``None`` for the caller's default registry)."""

    registry: RegistryHost | None
    region: str
    key: CacheKey


class FetchGroup(NamedTuple):
    """Lookups answered by one ``GetAuthorizationToken`` call."""

    region: str
    fips: bool
    dual_stack: bool
    lookups: tuple[Lookup, ...]

    @property
    def keys(self) -> list[CacheKey]:
        return [lookup.key for lookup in self.lookups]


def environment_region(environ: Mapping[str, str] | None = None) -> str | None:
    """``AWS_REGION`` or ``AWS_DEFAULT_REGION``: the region a client would take before
    reading the profile (which needs botocore; the drivers ask a client for that case)."""
    env = os.environ if environ is None else environ
    return env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or None


def plan_lookups(
    registries: Iterable[str | RegistryHost],
    *,
    region_name: str | None,
    profile_name: str | None,
    endpoint_url: str | None,
    environ: Mapping[str, str] | None = None,
) -> list[Lookup]:
    """One lookup per registry, in the order given (repeats included); with no registries, one
    lookup of the default registry of ``region_name`` (which must then be known).

    A registry's own region is the one used; a ``region_name`` that contradicts it raises
    ``ValueError`` rather than fetching a token the registry would refuse.
    """
    lookups: list[Lookup] = []
    for item in registries:
        registry = parse_registry(item)
        if region_name and region_name != registry.region:
            raise NotAnECRRegistryError(
                f"{registry.host} is in {registry.region}, not in the region asked for "
                f"({region_name})"
            )
        key = CacheKey.for_settings(
            account_id=registry.account_id,
            region=registry.region,
            profile_name=profile_name,
            endpoint_url=endpoint_url,
            environ=environ,
        )
        lookups.append(Lookup(registry, registry.region, key))
    if not lookups:
        if not region_name:
            raise ValueError("no registry and no region: name one of them")
        key = CacheKey.for_settings(
            account_id="",
            region=region_name,
            profile_name=profile_name,
            endpoint_url=endpoint_url,
            environ=environ,
        )
        lookups.append(Lookup(None, region_name, key))
    return lookups


def is_fresh(credentials: DockerCredentials | None, now: float) -> bool:
    """Whether cached credentials may be handed out without renewing them."""
    return credentials is not None and not refresh_due(
        credentials.requested_at.timestamp(), credentials.expires_at.timestamp(), now
    )


def usable_fallback(credentials: DockerCredentials | None, now: float) -> bool:
    """Whether cached credentials due for renewal may still stand in when renewal failed."""
    return credentials is not None and still_usable(credentials.expires_at.timestamp(), now)


def group_lookups(lookups: Iterable[Lookup]) -> list[FetchGroup]:
    """The lookups grouped by region and flavour, in order of first appearance, each key once."""
    groups: dict[tuple[str, bool, bool], list[Lookup]] = {}
    seen: set[CacheKey] = set()
    for lookup in lookups:
        if lookup.key in seen:
            continue
        seen.add(lookup.key)
        registry = lookup.registry
        flavour = (
            lookup.region,
            registry.fips if registry else False,
            registry.dual_stack if registry else False,
        )
        groups.setdefault(flavour, []).append(lookup)
    return [
        FetchGroup(region, fips, dual_stack, tuple(members))
        for (region, fips, dual_stack), members in groups.items()
    ]


def client_arguments(
    group: FetchGroup,
    *,
    profile_name: str | None,
    endpoint_url: str | None,
    config: ClientConfig | None,
) -> dict[str, Any]:
    """Keyword arguments of the client that fetches ``group``'s token: its region, and the
    FIPS or dual-stack API endpoint when the registry host is of that flavour (an explicit
    or configured endpoint URL still wins, as it does for any client)."""
    arguments: dict[str, Any] = {
        "region_name": group.region,
        "profile_name": profile_name,
        "endpoint_url": endpoint_url,
        "config": config,
    }
    if group.fips or group.dual_stack:
        import attrs

        from ecrclient import ClientConfig

        base = config or ClientConfig()
        changes: dict[str, Any] = {}
        if group.fips:
            changes["use_fips_endpoint"] = True
        if group.dual_stack:
            changes["use_dualstack_endpoint"] = True
        arguments["config"] = attrs.evolve(base, **changes)
    return arguments


def answer_group(
    group: FetchGroup, result: Any, requested_at: datetime
) -> dict[CacheKey, DockerCredentials]:
    """The credentials for each lookup of ``group`` from its ``GetAuthorizationTokenResult``.

    A default-registry lookup gets the proxy endpoint's host; it is also returned under the
    key of that host's account, so that naming the registry later hits the cache.
    """
    answers: dict[CacheKey, DockerCredentials] = {}
    named = [lookup for lookup in group.lookups if lookup.registry is not None]
    if named:
        hosts = [lookup.registry.host for lookup in named if lookup.registry is not None]
        found = credentials_from_result(result, registries=hosts, requested_at=requested_at)
        answers.update(zip((lookup.key for lookup in named), found, strict=True))
    for lookup in group.lookups:
        if lookup.registry is not None:
            continue
        default = credentials_from_result(result, requested_at=requested_at)[0]
        answers[lookup.key] = default
        try:
            account = parse_registry(default.registry).account_id
        except NotAnECRRegistryError:
            continue  # a private endpoint's proxy host: nothing more to key it by
        answers.setdefault(lookup.key.with_account(account), default)
    return answers
