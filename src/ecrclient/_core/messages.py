"""Plain HTTP request and response values passed between the sans-IO core and a transport."""

from __future__ import annotations

import attrs


@attrs.define(kw_only=True)
class HttpRequest:
    method: str
    url: str
    headers: dict[str, str]
    body: bytes
    timeout_cap: float | None = None
    """Seconds no phase of this attempt may exceed (what is left of the call's deadline)."""


@attrs.frozen(kw_only=True)
class HttpResponse:
    status_code: int
    headers: dict[str, str]
    """Header names are lower-cased."""
    body: bytes
