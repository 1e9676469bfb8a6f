"""Docker credentials from ``GetAuthorizationToken``, and when to renew them.

``GetAuthorizationToken`` answers a base64 string that decodes to ``user:password`` (the user is
``AWS``), valid for 12 hours. :class:`DockerCredentials` holds the decoded pair with the registry
it is meant for and its expiry; the password stays out of ``repr``, ``str`` and every message
this package writes.

Renewal follows the ECR credential helper's rule: a token is renewed once half of its lifetime
has passed (after six of its twelve hours), which leaves hours in which a cached token still
works if the service cannot be reached — :func:`still_usable` is the test for that fallback.

Pure functions only; no I/O and nothing beyond the standard library (and no dataclasses: the
credential helper's start-up would pay for their import).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable
from datetime import datetime, timezone
from typing import Any, NamedTuple, Protocol

__all__ = [
    "DockerCredentials",
    "credentials_from_result",
    "decode_authorization_token",
    "refresh_due",
    "still_usable",
]

USABLE_MARGIN_SECONDS = 60.0
"""A token this close to its expiry is not handed out even as a fallback: the command that
receives it would fail half way."""


class DockerCredentials(NamedTuple):
    """What ``docker login`` needs for one registry (an immutable named tuple).

    ``registry`` is the host (``123456789012.dkr.ecr.us-east-1.amazonaws.com``);
    ``requested_at`` is when the token was obtained, which decides when it is renewed. The
    password is left out of ``repr`` and ``str``.
    """

    username: str
    password: str
    registry: str
    expires_at: datetime
    requested_at: datetime

    def __repr__(self) -> str:
        return (
            f"DockerCredentials(username={self.username!r}, registry={self.registry!r}, "
            f"expires_at={self.expires_at.isoformat()!r})"
        )

    def __str__(self) -> str:
        return repr(self)

    @property
    def server_url(self) -> str:
        """``https://<registry>``, the form ``docker login`` and the config file use."""
        return f"https://{self.registry}"

    @property
    def auth(self) -> str:
        """base64 ``user:password``: the ``auth`` value of a docker config ``auths`` entry."""
        return base64.b64encode(f"{self.username}:{self.password}".encode()).decode("ascii")


class _AuthorizationData(Protocol):
    @property
    def authorization_token(self) -> str | None: ...
    @property
    def expires_at(self) -> datetime | None: ...
    @property
    def proxy_endpoint(self) -> str | None: ...


class _AuthorizationResult(Protocol):
    @property
    def authorization_data(self) -> Any: ...


def decode_authorization_token(token: str) -> tuple[str, str]:
    """``(user, password)`` from a base64 ``user:password`` token.

    Raises ``ValueError`` for anything else; the message never quotes the token.
    """
    try:
        decoded = base64.b64decode(token, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise ValueError("the authorization token is not base64 text") from None
    user, sep, password = decoded.partition(":")
    if not sep or not user or not password:
        raise ValueError("the authorization token does not decode to user:password")
    return user, password


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)


def credentials_from_result(
    result: _AuthorizationResult,
    *,
    registries: Iterable[str] = (),
    requested_at: datetime | None = None,
) -> list[DockerCredentials]:
    """Docker credentials from a ``GetAuthorizationTokenResult``.

    Without ``registries``: one entry per authorization data, for its proxy endpoint's host.
    With them: the first authorization data serves each named registry host — the token is
    valid for every registry the caller may access in the region, whatever the proxy
    endpoint says.
    """
    now = requested_at or datetime.now(timezone.utc)
    decoded: list[tuple[str, str, str, datetime]] = []
    for data in result.authorization_data or ():
        item: _AuthorizationData = data
        if item.authorization_token is None:
            continue
        user, password = decode_authorization_token(item.authorization_token)
        endpoint = item.proxy_endpoint or ""
        host = endpoint.split("://", 1)[-1].split("/", 1)[0]
        expires = _aware(item.expires_at) if item.expires_at is not None else now
        decoded.append((user, password, host, expires))
    if not decoded:
        raise ValueError("GetAuthorizationToken answered no authorization data")
    wanted = list(registries)
    if not wanted:
        return [DockerCredentials(u, p, host, exp, now) for u, p, host, exp in decoded]
    user, password, _, expires = decoded[0]
    return [DockerCredentials(user, password, host, expires, now) for host in wanted]


def refresh_due(requested_at: float, expires_at: float, now: float) -> bool:
    """Whether a token (times in epoch seconds) should be renewed: half its lifetime is over."""
    lifetime = expires_at - requested_at
    if lifetime <= 0:
        return True
    return now >= requested_at + lifetime / 2


def still_usable(expires_at: float, now: float) -> bool:
    """Whether a token may still be handed out when renewing it failed."""
    return now < expires_at - USABLE_MARGIN_SECONDS
