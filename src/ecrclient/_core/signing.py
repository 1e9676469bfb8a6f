"""SigV4 signing through botocore's signer, with the signing time supplied by the caller.

botocore's ``SigV4Auth.add_auth`` reads the wall clock itself; :class:`_ClockedSigV4Auth` runs
the same botocore steps with a given time, so a client can sign with a clock-skew-corrected time.
It also leaves out botocore's debug logging of the canonical request, which would print the
session token.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

import attrs

from ecrclient._core.messages import HttpRequest

if TYPE_CHECKING:
    from ecrclient._core.credentials import FrozenCredentials

_signer_class: Any = None


class _SigningView:
    """What botocore's SigV4 steps read of a request, without building an ``AWSRequest``
    (whose preparation costs more than the signature). Header names keep their case; the
    SDK never sets one header under two spellings."""

    __slots__ = ("body", "context", "headers", "method", "params", "url")

    def __init__(self, request: HttpRequest) -> None:
        self.method = request.method
        self.url = request.url
        self.headers = request.headers
        self.body = request.body
        self.params: dict[str, str] = {}
        self.context: dict[str, Any] = {}


def _load_signer() -> Any:
    """Import botocore.auth on first use: it is one of the slower imports."""
    global _signer_class
    if _signer_class is None:
        import functools
        import hashlib
        import hmac

        from botocore.auth import SIGV4_TIMESTAMP, SigV4Auth

        @functools.lru_cache(maxsize=16)
        def signing_key(secret: str, day: str, region: str, service: str) -> bytes:
            """The derived key for one day, region and service: four HMACs, done once."""
            key = ("AWS4" + secret).encode("utf-8")
            for part in (day, region, service, "aws4_request"):
                key = hmac.new(key, part.encode("utf-8"), hashlib.sha256).digest()
            return key

        class _ClockedSigV4Auth(SigV4Auth):  # type: ignore[misc]
            def __init__(self, credentials: Any, service: str, region: str, now: datetime):
                super().__init__(credentials, service, region)
                self._now = now

            def add_auth(self, request: Any) -> None:
                request.context["timestamp"] = self._now.strftime(SIGV4_TIMESTAMP)
                botocore_steps: Any = self  # SigV4Auth's own methods carry no types
                botocore_steps._modify_request_before_signing(request)
                canonical_request = botocore_steps.canonical_request(request)
                string_to_sign = botocore_steps.string_to_sign(request, canonical_request)
                signature = self.signature(string_to_sign, request)
                botocore_steps._inject_signature_to_request(request, signature)

            def signature(self, string_to_sign: str, request: Any) -> str:
                botocore_state: Any = self
                key = signing_key(
                    botocore_state.credentials.secret_key,
                    request.context["timestamp"][0:8],
                    botocore_state._region_name,
                    botocore_state._service_name,
                )
                signature: str = botocore_state._sign(key, string_to_sign, hex=True)
                return signature

        _signer_class = _ClockedSigV4Auth
    return _signer_class


@attrs.frozen(kw_only=True)
class SigV4Signer:
    service_name: str
    """The signing name (``ecr``), not the endpoint prefix."""
    region: str

    def sign(
        self,
        request: HttpRequest,
        credentials: FrozenCredentials,
        now: datetime | None = None,
    ) -> None:
        """Add ``X-Amz-Date``, ``Authorization`` and, with a session token,
        ``X-Amz-Security-Token`` to ``request``."""
        when = (now or datetime.now(timezone.utc)).astimezone(timezone.utc).replace(tzinfo=None)
        view = _SigningView(request)
        _load_signer()(credentials, self.service_name, self.region, when).add_auth(view)
        request.headers = view.headers
