"""Docker login for Amazon ECR: registry hosts, credentials, a shared token cache, and docker's
configuration file.

* :func:`parse_registry` / :func:`registry_host`: a registry host ↔ its account, region,
  partition, FIPS and dual-stack flavour (:class:`RegistryHost`), for every host form ECR
  uses (:mod:`ecrclient.login.hosts`).
* :func:`docker_credentials` (one registry, or the default one) and
  :func:`docker_credentials_for` (several; one ``GetAuthorizationToken`` call per region),
  with ``_async`` twins, return :class:`DockerCredentials`: user, password (never in
  ``repr``), registry and expiry (:mod:`ecrclient.login.fetch`).
* :class:`TokenCache`: tokens on disk for every process of the user, renewed at half their
  lifetime, safe under concurrent processes (:mod:`ecrclient.login.cache`).
* :func:`with_auth_entry` / :func:`with_helper_entry` and :func:`write_docker_config`: an
  ``auths`` or ``credHelpers`` entry in docker's ``config.json``
  (:mod:`ecrclient.login.dockerconfig`).

Names load on first use: the docker credential helper imports only what a cache hit needs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ecrclient._runtime.lazy import lazy_names

if TYPE_CHECKING:
    from ecrclient.login.cache import CACHE_DIR_ENV, CacheKey, TokenCache, default_cache_directory
    from ecrclient.login.dockerconfig import (
        DockerConfigChange,
        DockerConfigError,
        docker_config_path,
        read_docker_config,
        with_auth_entry,
        with_helper_entry,
        write_docker_config,
    )
    from ecrclient.login.fetch import (
        docker_credentials,
        docker_credentials_async,
        docker_credentials_for,
        docker_credentials_for_async,
    )
    from ecrclient.login.hosts import (
        NotAnECRRegistryError,
        RegistryHost,
        parse_registry,
        registry_host,
    )
    from ecrclient.login.tokens import (
        DockerCredentials,
        credentials_from_result,
        decode_authorization_token,
    )

_LAZY = {
    "CACHE_DIR_ENV": ".cache",
    "CacheKey": ".cache",
    "TokenCache": ".cache",
    "default_cache_directory": ".cache",
    "DockerConfigChange": ".dockerconfig",
    "DockerConfigError": ".dockerconfig",
    "docker_config_path": ".dockerconfig",
    "read_docker_config": ".dockerconfig",
    "with_auth_entry": ".dockerconfig",
    "with_helper_entry": ".dockerconfig",
    "write_docker_config": ".dockerconfig",
    "docker_credentials": ".fetch",
    "docker_credentials_async": ".fetch",
    "docker_credentials_for": ".fetch",
    "docker_credentials_for_async": ".fetch",
    "NotAnECRRegistryError": ".hosts",
    "RegistryHost": ".hosts",
    "parse_registry": ".hosts",
    "registry_host": ".hosts",
    "DockerCredentials": ".tokens",
    "credentials_from_result": ".tokens",
    "decode_authorization_token": ".tokens",
}

__all__ = [
    "CACHE_DIR_ENV",
    "CacheKey",
    "DockerConfigChange",
    "DockerConfigError",
    "DockerCredentials",
    "NotAnECRRegistryError",
    "RegistryHost",
    "TokenCache",
    "credentials_from_result",
    "decode_authorization_token",
    "default_cache_directory",
    "docker_config_path",
    "docker_credentials",
    "docker_credentials_async",
    "docker_credentials_for",
    "docker_credentials_for_async",
    "parse_registry",
    "read_docker_config",
    "registry_host",
    "with_auth_entry",
    "with_helper_entry",
    "write_docker_config",
]


if not TYPE_CHECKING:  # run-time hooks only: type checkers must not see an Any-typed fallback
    __getattr__, __dir__ = lazy_names(__name__, _LAZY, __all__)
