"""``ecrclient login-password`` and ``ecrclient login``.

``login-password`` prints the password ``docker login --username AWS --password-stdin`` wants,
as ``aws ecr get-login-password`` does (``--json`` adds the user, registry and expiry). Tokens
come from the shared token cache (``--no-cache`` asks AWS every time).

``login`` adds one registry to docker's ``config.json``: an ``auths`` entry holding the token
(valid 12 hours), or with ``--helper`` a ``credHelpers`` entry that makes docker run
``docker-credential-ecrclient`` (never stale). Without ``--write-config`` it only says what it
would write.
"""

from __future__ import annotations

import argparse
import shutil
from typing import TYPE_CHECKING

from ecrclient.cli.context import EXIT_OK, CommandContext, CommandError

if TYPE_CHECKING:
    from ecrclient.login import DockerCredentials

__all__ = ["configure"]


def configure(name: str, parser: argparse.ArgumentParser) -> None:
    if name == "login-password":
        parser.add_argument(
            "--registry",
            metavar="HOST",
            help="registry host (default: your account's registry in the region)",
        )
        parser.set_defaults(run=login_password)
    else:
        parser.add_argument("--registry", metavar="HOST", required=True, help="registry host")
        parser.add_argument(
            "--helper",
            action="store_true",
            help="add a credHelpers entry for docker-credential-ecrclient instead of a token",
        )
        parser.add_argument(
            "--write-config",
            action="store_true",
            help="write the entry (without it, only show what would be written)",
        )
        parser.set_defaults(run=login)
    parser.add_argument(
        "--no-cache", action="store_true", help="ask AWS even if a cached token is fresh"
    )


def _credentials(
    args: argparse.Namespace, context: CommandContext, registry: str | None
) -> DockerCredentials:
    from ecrclient.cli.diagnostics import register_secret
    from ecrclient.login import TokenCache, docker_credentials, parse_registry

    region = context.region
    if registry is not None:
        region = context.region_for(parse_registry(registry).region)
    credentials = docker_credentials(
        registry,
        region_name=region,
        profile_name=context.profile,
        endpoint_url=context.endpoint_url,
        cache=None if args.no_cache else TokenCache(),
    )
    register_secret(credentials.password)
    register_secret(credentials.auth)
    return credentials


def login_password(args: argparse.Namespace, context: CommandContext) -> int:
    credentials = _credentials(args, context, args.registry)
    if context.json_output:
        context.emit_json(
            {
                "registry": credentials.registry,
                "server_url": credentials.server_url,
                "username": credentials.username,
                "password": credentials.password,
                "expires_at": credentials.expires_at,
            }
        )
    else:
        context.say(credentials.password)
    return EXIT_OK


def login(args: argparse.Namespace, context: CommandContext) -> int:
    from ecrclient.login import (
        DockerConfigError,
        docker_config_path,
        parse_registry,
        read_docker_config,
        with_auth_entry,
        with_helper_entry,
        write_docker_config,
    )

    registry = parse_registry(args.registry)
    context.region_for(registry.region)
    path = docker_config_path()
    try:
        config = read_docker_config(path)
        if args.helper:
            updated, change = with_helper_entry(config, registry.host)
            if shutil.which("docker-credential-ecrclient") is None:
                context.warn("docker-credential-ecrclient is not on PATH; docker will not find it")
        else:
            credentials = _credentials(args, context, registry.host)
            updated, change = with_auth_entry(config, credentials)
    except DockerConfigError as error:
        raise CommandError(str(error)) from None
    if args.write_config and change.changed:
        write_docker_config(path, updated)
    for warning in change.warnings:
        context.warn(warning)
    if context.json_output:
        context.emit_json(
            {
                "config": str(path),
                "section": change.section,
                "registry": change.registry,
                "changed": change.changed,
                "written": bool(args.write_config and change.changed),
                "warnings": list(change.warnings),
            }
        )
    elif not args.write_config:
        context.say(f"would set {change.description} in {path}")
        context.say("run again with --write-config to write it")
    elif change.changed:
        context.say(f"set {change.description} in {path}")
    else:
        context.say(f"{path} already has {change.description}")
    return EXIT_OK
