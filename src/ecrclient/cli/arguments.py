"""Parsing the command line's values: image and repository references, durations, counts and
seconds.

An image is named as docker names it, with or without the registry::

    team/web:v1                                            tag v1 of team/web
    team/web@sha256:9f86d0...                              a digest
    123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/web:v1

A registry part must be an ECR host; it fixes the registry id (the account) and the region.
Without a tag or digest the tag is ``latest``, as docker assumes.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from datetime import timedelta
from typing import NamedTuple, TypeVar

from ecrclient.cli.context import CommandError
from ecrclient.login.hosts import NotAnECRRegistryError, RegistryHost, parse_registry

__all__ = [
    "ImageArgument",
    "parse_count",
    "parse_duration",
    "parse_image",
    "parse_repository",
    "parse_seconds",
]

Number = TypeVar("Number", int, float)

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*$", re.IGNORECASE)
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400, "": 86400}


class ImageArgument(NamedTuple):
    registry: RegistryHost | None
    repository: str
    reference: str | None
    """A tag or a ``sha256:...`` digest; ``None`` for a bare repository."""

    @property
    def registry_id(self) -> str | None:
        return self.registry.account_id if self.registry else None

    @property
    def region(self) -> str | None:
        return self.registry.region if self.registry else None

    def __str__(self) -> str:
        if self.reference is None:
            return self.repository
        separator = "@" if ":" in self.reference else ":"
        return f"{self.repository}{separator}{self.reference}"


def _split_registry(text: str) -> tuple[RegistryHost | None, str]:
    first, slash, rest = text.partition("/")
    if slash and ("." in first or ":" in first):
        try:
            return parse_registry(first), rest
        except NotAnECRRegistryError as error:
            raise CommandError(str(error)) from None
    return None, text


def parse_repository(text: str) -> ImageArgument:
    """A repository, optionally behind an ECR registry host."""
    registry, name = _split_registry(text.strip())
    if not name or "@" in name or ":" in name:
        raise CommandError(f"{text!r} is not a repository name")
    return ImageArgument(registry, name, None)


def parse_image(text: str) -> ImageArgument:
    """An image: repository with a tag or digest, optionally behind an ECR registry host."""
    registry, rest = _split_registry(text.strip())
    if "@" in rest:
        name, _, digest = rest.partition("@")
        reference = digest
    else:
        head, slash, last = rest.rpartition("/")
        name_part, colon, tag = last.partition(":")
        name = f"{head}{slash}{name_part}"
        reference = tag if colon else "latest"
    if not name or not reference:
        raise CommandError(f"{text!r} is not an image reference (repository:tag or @digest)")
    return ImageArgument(registry, name, reference)


def parse_duration(text: str) -> timedelta:
    """``30d``, ``12h``, ``2w``, ``90m``, ``45s``; a bare number is days."""
    match = _DURATION.match(text)
    if match is None:
        raise argparse.ArgumentTypeError(f"{text!r} is not a duration such as 30d, 12h or 2w")
    return timedelta(seconds=float(match[1]) * _UNITS[match[2].lower()])


def parse_count(text: str) -> int:
    """A whole number, 0 or more."""
    return _not_negative(text, int, "a whole number")


def parse_seconds(text: str) -> float:
    """A number of seconds, 0 or more."""
    return _not_negative(text, float, "a number of seconds")


def _not_negative(text: str, convert: Callable[[str], Number], what: str) -> Number:
    try:
        value = convert(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not {what}") from None
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value
