"""``docker-credential-ecrclient``: docker's credential-helper protocol for Amazon ECR.

Docker (and podman, skopeo, buildkit, containerd's CRI plugin...) runs
``docker-credential-<name> <action>`` with the input on stdin, for the registries that
``credHelpers`` maps to ``<name>`` in its ``config.json`` (or for all of them with
``credsStore``):

``get``
    stdin: the server URL (``123456789012.dkr.ecr.eu-west-1.amazonaws.com``, sometimes with
    ``https://``). stdout: ``{"ServerURL": ..., "Username": "AWS", "Secret": <password>}``.
    A host that is not an ECR registry answers docker's "credentials not found" message (exit
    1), so docker goes on without credentials; an AWS failure answers one line saying what
    went wrong (exit 1).
``list``
    stdout: a JSON object of server URL → user name, for the fresh tokens in the cache of the
    current profile and endpoint. It never calls AWS.
``store`` / ``erase``
    read their input (the credentials ``docker login`` would store, or a server URL) and succeed
    without doing anything for ECR hosts: tokens come from AWS, not from ``docker login``. The
    ECR credential helper does the same when ``AWS_ECR_IGNORE_CREDS_STORAGE=true``; without it
    that helper fails them as "not implemented".
``version``
    the version.

Settings are the environment's, as for every AWS tool: ``AWS_PROFILE``, ``AWS_ENDPOINT_URL_ECR``,
credentials; the region is the registry's. Tokens come from the shared cache
(:class:`~ecrclient.login.TokenCache`, ``ECRCLIENT_CACHE_DIR`` moves it) while fresh; only a miss
loads the ECR client. **Start-up matters** — docker runs the helper for every pull and push — so
a cache hit imports the cache, the host parser and the standard library, never botocore or
httpx (a test checks it).

``ECRCLIENT_DEBUG=1`` logs at DEBUG to stderr, secrets redacted. ``ECRCLIENT_TEST_REGISTRY_ALIASES``
is for tests only: ``alias=ecr-host[,alias=ecr-host...]`` makes the helper treat a local
registry (``127.0.0.1:5000``) as the ECR host named, so an end-to-end test can run a real
registry; never set it elsewhere.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Mapping
from typing import Any, TextIO, cast

from ecrclient.login.hosts import NotAnECRRegistryError, RegistryHost, parse_registry

__all__ = ["main"]

NOT_FOUND = "credentials not found in native keychain"
"""The exact message docker's helper client treats as "no credentials for this host"."""
TEST_ALIASES_ENV = "ECRCLIENT_TEST_REGISTRY_ALIASES"
DEBUG_ENV = "ECRCLIENT_DEBUG"
PROGRAM = "docker-credential-ecrclient"
USAGE = f"""usage: {PROGRAM} get|store|erase|list|version

Docker credential helper for Amazon ECR: docker runs it for the registries that
"credHelpers" in ~/.docker/config.json maps to "ecrclient". The action's input is read
from stdin; see `ecrclient login --helper` to set docker up.
"""


def _aliases(environ: Mapping[str, str]) -> dict[str, str]:
    """Test-only host aliases: ``alias=ecr-host,...``."""
    aliases: dict[str, str] = {}
    for pair in environ.get(TEST_ALIASES_ENV, "").split(","):
        alias, sep, target = pair.strip().partition("=")
        if sep and alias and target:
            aliases[alias.strip().lower()] = target.strip()
    return aliases


def _registry(server_url: str, environ: Mapping[str, str]) -> RegistryHost:
    text = server_url.strip()
    aliases = _aliases(environ)
    if aliases:
        bare = text.split("://", 1)[-1].split("/", 1)[0].lower()
        text = aliases.get(bare, text)
    return parse_registry(text)


def _fail(stdout: TextIO, message: str) -> int:
    stdout.write(message + "\n")
    return 1


def _get(server_url: str, stdout: TextIO, environ: Mapping[str, str]) -> int:
    from ecrclient.login.cache import TokenCache
    from ecrclient.login.plan import is_fresh, plan_lookups

    try:
        registry = _registry(server_url, environ)
    except NotAnECRRegistryError:
        return _fail(stdout, NOT_FOUND)
    cache = TokenCache()
    lookup = plan_lookups(
        [registry], region_name=None, profile_name=None, endpoint_url=None, environ=environ
    )[0]
    credentials = cache.get(lookup.key)
    if not is_fresh(credentials, time.time()):
        try:
            from ecrclient.login.fetch import docker_credentials

            credentials = docker_credentials(registry, cache=cache)
        except Exception as error:
            from ecrclient.cli.diagnostics import describe_error

            return _fail(stdout, f"{PROGRAM}: {describe_error(error)}")
    assert credentials is not None
    answer = {"ServerURL": server_url, "Username": credentials.username}
    answer["Secret"] = credentials.password
    stdout.write(json.dumps(answer) + "\n")
    return 0


def _list(stdout: TextIO, environ: Mapping[str, str]) -> int:
    from ecrclient.login.cache import CacheKey, TokenCache, iter_fresh

    current = CacheKey.for_settings(account_id="", region="", environ=environ)
    listed: dict[str, str] = {}
    for key, credentials in iter_fresh(TokenCache().entries(), time.time()):
        if (key.profile, key.endpoint, key.principal) == (
            current.profile,
            current.endpoint,
            current.principal,
        ):
            listed[credentials.server_url] = credentials.username
    stdout.write(json.dumps(listed, sort_keys=True) + "\n")
    return 0


def _ignore_storage(action: str, payload: str, stdout: TextIO, environ: Mapping[str, str]) -> int:
    """``store`` and ``erase``: accepted and ignored for ECR hosts."""
    server_url = payload.strip()
    if action == "store":
        try:
            document: Any = json.loads(payload)
        except ValueError:
            return _fail(stdout, f"{PROGRAM}: store expects a JSON object on stdin")
        given: Any = None
        if isinstance(document, dict):
            given = cast("Mapping[str, Any]", document).get("ServerURL")
        server_url = given if isinstance(given, str) else ""
    try:
        _registry(server_url, environ)
    except NotAnECRRegistryError:
        return _fail(stdout, f"{PROGRAM}: only Amazon ECR registries are served; not {action}d")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run one action; the exit status is the protocol's (0 success, 1 failure)."""
    args = sys.argv[1:] if argv is None else argv
    environ = os.environ
    if environ.get(DEBUG_ENV, "").strip().lower() in ("1", "true", "yes"):
        from ecrclient.cli.diagnostics import enable_debug_logging

        enable_debug_logging()
    action = args[0] if args else ""
    if action in ("-h", "--help", "help"):
        sys.stdout.write(USAGE)
        return 0
    if action in ("version", "-v", "--version"):
        from ecrclient import __version__

        sys.stdout.write(f"{PROGRAM} {__version__}\n")
        return 0
    if action not in ("get", "store", "erase", "list"):
        sys.stderr.write(USAGE)
        return 1
    payload = sys.stdin.read() if action != "list" else ""
    if action == "get":
        return _get(payload.strip(), sys.stdout, environ)
    if action == "list":
        return _list(sys.stdout, environ)
    return _ignore_storage(action, payload, sys.stdout, environ)


def run() -> None:
    """The console script's entry point."""
    sys.exit(main())


if __name__ == "__main__":
    run()
