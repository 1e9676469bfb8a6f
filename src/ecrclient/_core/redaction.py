"""Redaction: the one place that knows what a secret looks like in text, and takes it out.

Every message the SDK writes goes through :func:`redact` — the base :class:`SdkClientError`
applies it to its message, so an error raised anywhere (a transport's included) is clean
without help — and so do the DEBUG log lines, ``HttpRequest``'s ``repr`` and the clients'
``repr``. What it recognises, by shape:

* an ``Authorization`` header's value, and within any text SigV4's ``Credential=`` scope and
  ``Signature=`` (or ``X-Amz-Signature=`` / ``X-Amz-Credential=`` in a presigned query);
* ``X-Amz-Security-Token`` (header or query parameter) and ``Proxy-Authorization`` values;
* the values of members named like secrets (``authorizationToken``, ``password``,
  ``secretAccessKey``, ``sessionToken``, ``token``, ``auth``), as JSON, a Python ``repr``,
  ``name=value`` or XML writes them: a body snippet may hold a docker password from
  GetAuthorizationToken, an STS answer a session token;
* the userinfo of a URL (``https://user:password@host`` becomes ``https://<redacted>@host``).

Shape alone cannot spot a raw value quoted out of context (an HTTP library refusing a header
quotes the value, not its name), so :func:`transport_error_text` — what a transport turns a
library's exception into — also removes, by value, every sensitive header value of the request
being sent. The clients refuse such values when they are created (or when a credential
provider hands them out), so that path is a second line, not the first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from ecrclient._core.messages import HttpRequest

REDACTED = "<redacted>"

SENSITIVE_HEADERS = frozenset({"authorization", "proxy-authorization", "x-amz-security-token"})
"""Header names (lower-cased) whose values are never shown."""

_SECRET_NAMES = "authorizationToken|password|secret|secretAccessKey|sessionToken|token|auth"
_JSON_SECRETS = re.compile(rf'("(?:{_SECRET_NAMES})"\s*:\s*")[^"]*("?)', re.IGNORECASE)
# The same members written otherwise: 'name': 'value' (a repr), name=value, name: value.
_OTHER_SECRETS = re.compile(
    rf"""(['"]?\b(?:{_SECRET_NAMES})\b['"]?\s*[:=]\s*['"]?)(?!<redacted>)[^"'\s,&<>}}]+""",
    re.IGNORECASE,
)
# XML, as STS answers: <SessionToken>value</SessionToken>.
_XML_SECRETS = re.compile(
    r"(<(?:authorizationToken|password|secretAccessKey|sessionToken)>)[^<]*", re.IGNORECASE
)
# A header written out as "Name: value", "'Name': 'value'" or "Name=value" (a query parameter):
# the value runs to the end of the line, a closing quote, or an "&".
_HEADER_SECRETS = re.compile(
    r"((?:proxy-)?authorization|x-amz-security-token|x-amz-signature|x-amz-credential)"
    r"""(['"]?\s*[:=]\s*b?['"]?)[^'"&\r\n]*""",
    re.IGNORECASE,
)
_SIGV4_PARTS = re.compile(r"\b(Signature|Credential)=[^,\s'\"&]*")
_USERINFO = re.compile(r"(\b[a-zA-Z][a-zA-Z0-9+.-]*://)[^/\s@'\"]*@")


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with every secret-shaped part replaced by ``<redacted>``, and every one of
    ``secrets`` (values known to be sensitive) wherever it appears."""
    for secret in sorted((s for s in secrets if s), key=len, reverse=True):
        text = text.replace(secret, REDACTED)
        stripped = secret.strip()
        if stripped and stripped != secret:  # a library may quote it trimmed
            text = text.replace(stripped, REDACTED)
    if "@" in text:
        text = _USERINFO.sub(rf"\1{REDACTED}@", text)
    if "=" in text:
        text = _SIGV4_PARTS.sub(rf"\1={REDACTED}", text)
    text = _HEADER_SECRETS.sub(rf"\1\2{REDACTED}", text)
    if '"' in text:
        text = _JSON_SECRETS.sub(rf"\1{REDACTED}\2", text)
    text = _OTHER_SECRETS.sub(rf"\1{REDACTED}", text)
    if "<" in text:
        text = _XML_SECRETS.sub(rf"\1{REDACTED}", text)
    return text


def redact_url(url: str) -> str:
    """``url`` without its userinfo (``user:password@``); the rest as given."""
    if "@" not in url:
        return url
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    host = parts.netloc.rpartition("@")[2]
    return url.replace(parts.netloc, f"{REDACTED}@{host}", 1)


def redact_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """``headers`` with the values of :data:`SENSITIVE_HEADERS` replaced."""
    return {
        name: REDACTED if name.lower() in SENSITIVE_HEADERS else value
        for name, value in headers.items()
    }


def request_secrets(request: HttpRequest) -> list[str]:
    """The values in ``request`` that must never be shown: its sensitive headers' values and
    its URL's userinfo."""
    secrets = [
        value for name, value in request.headers.items() if name.lower() in SENSITIVE_HEADERS
    ]
    userinfo = urlsplit(request.url).netloc.rpartition("@")[0] if "@" in request.url else ""
    if userinfo:
        secrets.append(userinfo)
    return secrets


def transport_error_text(exc: BaseException, request: HttpRequest) -> tuple[str, bool]:
    """What an HTTP library's ``exc`` says, fit for an SDK error message, while sending
    ``request``: the text, and whether it was clean as it stood. When it was not, a transport
    must not chain ``exc`` (its text, and its own causes', would show what was taken out)."""
    secrets = request_secrets(request)
    raw = str(exc) or type(exc).__name__
    text = redact(raw, secrets)
    return text, text == raw and _chain_is_clean(exc, secrets)


def _chain_is_clean(exc: BaseException, secrets: list[str]) -> bool:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        text = f"{current}{current!r}"
        if redact(text, secrets) != text:
            return False
        current = current.__cause__ or current.__context__
    return True
