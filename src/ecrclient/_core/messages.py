"""Plain HTTP request and response values passed between the sans-IO core and a transport.

Their ``repr`` is what an interceptor logging ``context`` shows, so it never shows a secret:
header names are all there, the values of ``Authorization`` and ``X-Amz-Security-Token`` are
redacted, a URL loses its userinfo, and a body is given by its size (a response body may hold
a docker password, a request body anything the caller sent).
"""

from __future__ import annotations

import attrs

from ecrclient._core.redaction import redact_headers, redact_url


@attrs.define(kw_only=True, repr=False)
class HttpRequest:
    method: str
    url: str
    headers: dict[str, str]
    body: bytes
    timeout_cap: float | None = None
    """Seconds no phase of this attempt may exceed (what is left of the call's deadline)."""

    def __repr__(self) -> str:
        return (
            f"HttpRequest(method={self.method!r}, url={redact_url(self.url)!r}, "
            f"headers={redact_headers(self.headers)!r}, body=<{len(self.body)} bytes>, "
            f"timeout_cap={self.timeout_cap!r})"
        )


@attrs.frozen(kw_only=True, repr=False)
class HttpResponse:
    status_code: int
    headers: dict[str, str]
    """Header names are lower-cased."""
    body: bytes

    def __repr__(self) -> str:
        return (
            f"HttpResponse(status_code={self.status_code!r}, "
            f"headers={redact_headers(self.headers)!r}, body=<{len(self.body)} bytes>)"
        )
