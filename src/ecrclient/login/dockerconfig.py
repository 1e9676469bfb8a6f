"""Entries in docker's client configuration (``config.json``) for ECR registries.

Two kinds of entry, one per registry host:

* ``auths``: ``{"<host>": {"auth": base64("AWS:<password>")}}`` — what ``docker login`` stores
  when no credential store is configured. It expires with the token (12 hours).
* ``credHelpers``: ``{"<host>": "ecrclient"}`` — docker then runs
  ``docker-credential-ecrclient get`` whenever it needs credentials for that host, so they never
  go stale.

The file is ``$DOCKER_CONFIG/config.json``, else ``~/.docker/config.json``. Only the one entry is
set: every other member — other registries, ``credsStore``, proxies, plugins' settings — is kept
as it was. A file that is not a JSON object is an error, never overwritten. The new file is
written beside the old one and moved over it (``os.replace``), keeping its permissions (a new
file is ``0600``, as docker makes it), so a reader never sees half a file.

Planning a change (:func:`with_auth_entry`, :func:`with_helper_entry`) is pure; only
:func:`read_docker_config` and :func:`write_docker_config` touch the disk.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from ecrclient.login.tokens import DockerCredentials

__all__ = [
    "HELPER_NAME",
    "DockerConfigChange",
    "DockerConfigError",
    "docker_config_path",
    "read_docker_config",
    "with_auth_entry",
    "with_helper_entry",
    "write_docker_config",
]

HELPER_NAME = "ecrclient"
"""The helper name for ``credHelpers``: docker runs ``docker-credential-ecrclient``."""


class DockerConfigError(ValueError):
    """The docker configuration file cannot be read as a JSON object."""


@dataclass(frozen=True)
class DockerConfigChange:
    """What setting one entry changes; ``description`` never contains a secret."""

    section: str
    registry: str
    changed: bool
    replaced: bool
    """An entry for the registry existed in the section and is replaced."""
    description: str
    warnings: tuple[str, ...] = ()


def docker_config_path(environ: Mapping[str, str] | None = None) -> Path:
    """``$DOCKER_CONFIG/config.json``, else ``~/.docker/config.json``."""
    env = os.environ if environ is None else environ
    folder = env.get("DOCKER_CONFIG")
    return Path(folder) / "config.json" if folder else Path.home() / ".docker" / "config.json"


def read_docker_config(path: Path) -> dict[str, Any]:
    """The configuration as a dict; ``{}`` when the file does not exist or is empty."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as error:
        raise DockerConfigError(f"cannot read {path}: {error}") from None
    if not text.strip():
        return {}
    try:
        config = json.loads(text)
    except ValueError:
        raise DockerConfigError(f"{path} is not valid JSON; not changing it") from None
    if not isinstance(config, dict):
        raise DockerConfigError(f"{path} does not hold a JSON object; not changing it")
    return config  # pyright: ignore[reportUnknownVariableType]


def _section(config: Mapping[str, Any], name: str) -> dict[str, Any]:
    section = config.get(name, {})
    if not isinstance(section, dict):
        raise DockerConfigError(f"the {name!r} member of the docker configuration is not an object")
    return dict(section)  # pyright: ignore[reportUnknownArgumentType]


def with_auth_entry(
    config: Mapping[str, Any], credentials: DockerCredentials
) -> tuple[dict[str, Any], DockerConfigChange]:
    """``config`` with an ``auths`` entry for ``credentials.registry``, and what changed."""
    host = credentials.registry
    auths = _section(config, "auths")
    previous: Any = auths.get(host)
    entry: dict[str, Any] = {}
    if isinstance(previous, dict):
        entry.update(cast("dict[str, Any]", previous))
    entry["auth"] = credentials.auth
    warnings: list[str] = []
    helpers = _section(config, "credHelpers")
    if host in helpers:
        warnings.append(
            f"credHelpers sends {host} to docker-credential-{helpers[host]}; docker will use "
            "that helper, not this auths entry"
        )
    elif config.get("credsStore"):
        warnings.append(
            f"credsStore is {config['credsStore']!r}: docker looks credentials up there, not "
            "in auths; `docker login` (or --helper) fits that setup better"
        )
    description = f"auths[{host!r}] = {{'auth': <token for {credentials.username}>}}"
    return _with_entry(config, "auths", auths, host, entry, description, warnings)


def with_helper_entry(
    config: Mapping[str, Any], registry: str, helper: str = HELPER_NAME
) -> tuple[dict[str, Any], DockerConfigChange]:
    """``config`` with ``credHelpers[registry] = helper``, and what changed."""
    helpers = _section(config, "credHelpers")
    warnings: list[str] = []
    if registry in _section(config, "auths"):
        warnings.append(f"auths also has an entry for {registry}; docker prefers credHelpers")
    description = f"credHelpers[{registry!r}] = {helper!r}"
    return _with_entry(config, "credHelpers", helpers, registry, helper, description, warnings)


def _with_entry(
    config: Mapping[str, Any],
    section: str,
    entries: dict[str, Any],
    registry: str,
    entry: Any,
    description: str,
    warnings: list[str],
) -> tuple[dict[str, Any], DockerConfigChange]:
    """``config`` whose ``section`` is ``entries`` (a copy of it) with ``entry`` for
    ``registry``, and the change."""
    previous = entries.get(registry)
    entries[registry] = entry
    change = DockerConfigChange(
        section=section,
        registry=registry,
        changed=previous != entry,
        replaced=previous is not None,
        description=description,
        warnings=tuple(warnings),
    )
    return {**config, section: entries}, change


def write_docker_config(path: Path, config: Mapping[str, Any]) -> None:
    """Write ``config`` to ``path`` atomically, keeping the old file's permissions."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        mode = 0o600
    payload = json.dumps(config, indent="\t") + "\n"
    fd, temporary = tempfile.mkstemp(prefix=".config-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as stream:
            stream.write(payload)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
