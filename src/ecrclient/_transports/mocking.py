"""moto's ``mock_aws``, honoured at the transport seam, for every client kind.

moto intercepts boto3 through botocore's events: importing ``moto.core.models`` appends its
``BotocoreStubber`` to botocore's built-in ``before-send`` handlers, and ``mock_aws`` (decorator
or context manager) switches that stubber on (``botocore_stubber.enabled``) while it is active.
botocore emits ``before-send`` with the prepared request just before the HTTP exchange; a
handler's response replaces the exchange.

ecrclient's clients emit no botocore events, so each transport asks the same stubber, at the
same moment (the request signed, nothing sent): :func:`mocked_response` turns the
:class:`HttpRequest` into the ``AWSPreparedRequest`` botocore would hand over, and moto's
``AWSResponse`` into an :class:`HttpResponse`. moto answers what it serves; a request to an
endpoint it does not serve (a local moto server, say) goes to the network as usual. Whatever
moto raises (``ServiceNotWhitelisted``...) propagates, as it does through boto3.

The cost on the hot path is what the transports pay before asking: ``_MOTO_MODELS in
_modules``, one dictionary look-up, false unless moto's mocking module has been imported. Only
then are moto's stubber and its ``enabled`` flag read; only while a mock is active is a
request converted. Nothing here imports moto.
"""

from __future__ import annotations

import sys
from typing import Any

from ecrclient._core.messages import HttpRequest, HttpResponse

MOTO_MODELS = "moto.core.models"
"""The module whose import registers moto's stubber with botocore (``mock_aws`` lives there)."""

modules = sys.modules
"""``sys.modules``, bound here so that the transports' check is one global and one dict
look-up: ``MOTO_MODELS in modules``."""


_found: list[Any] = []
"""moto's stubber once found (it is created once, when its module is imported)."""


def moto_stubber() -> Any:
    """moto's ``BotocoreStubber`` while a ``mock_aws`` is active, else ``None``."""
    if not _found:
        stubber = getattr(modules.get(MOTO_MODELS), "botocore_stubber", None)
        if stubber is None:
            return None  # the module is still being imported
        _found.append(stubber)
    stubber = _found[0]
    return stubber if stubber.enabled else None


def mocked_response(request: HttpRequest) -> HttpResponse | None:
    """moto's answer to ``request`` while a ``mock_aws`` is active and moto serves its endpoint;
    ``None`` sends it for real."""
    stubber = moto_stubber()
    if stubber is None:
        return None
    from botocore.awsrequest import AWSPreparedRequest
    from botocore.compat import HTTPHeaders

    headers = HTTPHeaders()
    for name, value in request.headers.items():
        headers[name] = value
    prepared = AWSPreparedRequest(
        method=request.method,
        url=request.url,
        headers=headers,
        body=request.body,
        stream_output=False,
    )
    answer = stubber(event_name=f"before-send.ecr.{_operation(request)}", request=prepared)
    if answer is None:
        return None
    return HttpResponse(
        status_code=int(answer.status_code),
        headers={str(name).lower(): str(value) for name, value in answer.headers.items()},
        body=bytes(answer.content),
    )


def _operation(request: HttpRequest) -> str:
    """The operation's name, from the awsJson target header (``<prefix>.<Operation>``)."""
    target = request.headers.get("X-Amz-Target") or request.headers.get("x-amz-target") or ""
    return target.rsplit(".", 1)[-1]
