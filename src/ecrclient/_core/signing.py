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


def _load_signer() -> Any:
    """Import botocore.auth on first use: it is one of the slower imports."""
    global _signer_class
    if _signer_class is None:
        from botocore.auth import SIGV4_TIMESTAMP, SigV4Auth

        class _ClockedSigV4Auth(SigV4Auth):  # type: ignore[misc]
            def __init__(self, credentials: Any, service: str, region: str, now: datetime):
                super().__init__(credentials, service, region)
                self._now = now

            def add_auth(self, request: Any) -> None:
                request.context["timestamp"] = self._now.strftime(SIGV4_TIMESTAMP)
                self._modify_request_before_signing(request)
                canonical_request = self.canonical_request(request)
                string_to_sign = self.string_to_sign(request, canonical_request)
                signature = self.signature(string_to_sign, request)
                self._inject_signature_to_request(request, signature)

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
        from botocore.awsrequest import AWSRequest

        when = (now or datetime.now(timezone.utc)).astimezone(timezone.utc).replace(tzinfo=None)
        aws_request = AWSRequest(
            method=request.method, url=request.url, headers=request.headers, data=request.body
        )
        _load_signer()(credentials, self.service_name, self.region, when).add_auth(aws_request)
        request.headers = dict(aws_request.headers.items())
