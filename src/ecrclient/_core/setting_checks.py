"""Checks of the settings that end up in every request: once, before anything is sent.

A value that an HTTP header cannot carry — a session token read from a file with its trailing
newline, an access key id pasted with a space, a ``user_agent_extra`` with a line break or a
non-ASCII letter — would otherwise fail every attempt inside the HTTP library, whose message
quotes the header (the signature with it), and look like a network failure worth retrying.
An endpoint URL without a scheme would fail the first call with whatever the URL parser
tripped on. Here they are refused with :class:`ConfigurationError`, which names the setting
and never quotes its value.

When each check runs: the endpoint and the user-agent parts when the client (or its
``ClientConfig``) is created; explicit keys when the client is created; keys from a provider
whenever it hands out new ones (``_settings/credentials.py``).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ecrclient._core.errors import ConfigurationError

if TYPE_CHECKING:
    from ecrclient._core.credentials import FrozenCredentials

_SENDABLE = re.compile(r"[\x21-\x7e]+(?:[ \t]+[\x21-\x7e]+)*")
"""What a header value may be: visible ASCII, with spaces or tabs only between characters."""


def _plainly_sendable(value: str) -> bool:
    """The common case, in C: printable ASCII (space included, tab not), no space at either
    end; the pattern decides the rest."""
    return not value or (
        value.isascii() and value.isprintable() and value[0] != " " and value[-1] != " "
    )


def header_value_problem(value: str) -> str | None:
    """Why ``value`` cannot be sent as an HTTP header value, or ``None`` when it can. Never
    quotes ``value``. An empty value is left out of the request, so it passes."""
    if _plainly_sendable(value) or _SENDABLE.fullmatch(value):
        return None
    if "\r" in value or "\n" in value:
        body = value.rstrip("\r\n")
        if "\r" in body or "\n" in body:
            return "it contains a line break"
        return "it ends with a line break (a value read from a file keeps its newline)"
    if value != value.strip():
        return "it begins or ends with whitespace"
    if any(ord(c) > 0x7E for c in value):
        return "it contains a non-ASCII character, which an HTTP header cannot carry"
    return "it contains a control character, which an HTTP header cannot carry"


def check_header_value(setting: str, value: object) -> None:
    """Raise :class:`ConfigurationError` naming ``setting`` when ``value`` cannot be sent."""
    if not isinstance(value, str):
        raise ConfigurationError(
            f"{setting} must be a string, got a {type(value).__name__}", setting=setting
        )
    problem = header_value_problem(value)
    if problem is not None:
        raise ConfigurationError(f"{setting} cannot be used: {problem}", setting=setting)


def unsendable_header(headers: Mapping[str, object]) -> tuple[str, str] | None:
    """The first header of ``headers`` whose value cannot be sent, and why; ``None`` when all
    can. For requests an interceptor changed after the client's own checks."""
    for name, value in headers.items():
        problem = header_value_problem(value) if isinstance(value, str) else "it is not a string"
        if problem is not None:
            return name, problem
    return None


def check_credentials(credentials: FrozenCredentials, *, names: tuple[str, str, str]) -> None:
    """Raise :class:`ConfigurationError` when a part of ``credentials`` cannot be sent or
    signed with; ``names`` says what to call the access key id, secret key and session token
    in the message."""
    key_name, secret_name, token_name = names
    check_header_value(key_name, credentials.access_key)
    check_header_value(secret_name, credentials.secret_key)
    if credentials.token is not None:
        check_header_value(token_name, credentials.token)


_HOST_LABELS = re.compile(r"((?!-)[A-Z\d-]{1,63}(?<!-)\.)*((?!-)[A-Z\d-]{1,63}(?<!-))", re.I)
"""A host name as botocore accepts one in an endpoint URL: dot-separated labels."""


def endpoint_url_problem(url: object) -> str | None:
    """Why ``url`` cannot be a client's endpoint, or ``None`` when it can. Never quotes it:
    its userinfo may hold a password."""
    if not isinstance(url, str):
        return f"it must be a string, got a {type(url).__name__}"
    if any(c.isspace() for c in url) or header_value_problem(url) is not None:
        return "it contains whitespace, a control character or a non-ASCII character"
    try:
        parts = urlsplit(url)
    except ValueError:  # an unclosed or invalid bracketed IPv6 address
        return "its host is not a valid host name or IP address"
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return "it must start with http:// or https:// (as in https://ecr.example.com)"
    if not _valid_host(parts.hostname):
        return "its host is not a valid host name or IP address"
    try:
        parts.port  # noqa: B018 - urlsplit checks the port only when asked for it
    except ValueError:
        return "its port is not a number from 0 to 65535"
    return None


def check_endpoint_url(setting: str, url: object) -> None:
    """Raise :class:`ConfigurationError` naming ``setting`` when ``url`` cannot be an
    endpoint."""
    problem = endpoint_url_problem(url)
    if problem is not None:
        raise ConfigurationError(
            f"{setting} is not a usable endpoint URL: {problem}", setting=setting
        )


def _valid_host(hostname: str | None) -> bool:
    if not hostname or len(hostname) > 255:
        return False
    if ":" in hostname:  # an IPv6 literal, brackets already removed, maybe with a zone
        try:
            ipaddress.IPv6Address(hostname.split("%", 1)[0])
        except ValueError:
            return False
        return True
    return _HOST_LABELS.fullmatch(hostname.removesuffix(".")) is not None
