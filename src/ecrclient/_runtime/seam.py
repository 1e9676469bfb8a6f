"""The one way in to a typed client for the code built on it.

Paginators, waiters, the boto3 skin (``ecrclient.compat``) and the testing kit need a little
more of a typed client than its operation methods, and take it from :func:`seam_of`, never from
the client's own attributes:

``operation(method)``
    the :class:`OperationSpec` of a client method (``"describe_images"``);
``prepare(spec, request, members)``
    the request object, built from members or checked as given, and validated: before any I/O;
``invoke(spec, request)``
    a prepared request through interceptors, signing, the transport and retries: the result,
    or the fault (awaitable on the async client);
``serialize(spec, request)``
    the unsigned :class:`HttpRequest` (for presigned URLs and boto3's events);
``credentials()``
    one frozen snapshot of the client's credentials (awaitable on the async client);
``sleep(seconds)``
    the client's pause, which tests replace (awaitable on the async client);
``stand_in``
    the client's :class:`StandIn`: a testing stubber set there answers the client's prepared
    requests in place of the pipeline (the client and its ``with_options`` copies share it);
``remember(request, metadata)``
    record ``metadata`` as the answer's to ``request`` (``get_cached_response_metadata``).

A prepared request is invoked as often as needed (every page, every poll) without being
validated again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    from ecrclient._core.messages import HttpRequest
    from ecrclient._core.metadata import ResponseMetadata
    from ecrclient._core.operation import OperationSpec
    from ecrclient._runtime.base_client import BaseClient


class StandIn:
    """Where something answers a client's calls in place of the wire: while :attr:`answer` is
    set, every prepared request (after validation, before interceptors, signing and retries)
    goes to it, and what it returns or raises is the call's outcome."""

    __slots__ = ("answer",)

    def __init__(self) -> None:
        self.answer: Callable[[OperationSpec, Any], Any] | None = None


@attrs.frozen
class Seam:
    operation: Callable[[str], OperationSpec]
    prepare: Callable[[OperationSpec, Any, Mapping[str, Any]], Any]
    invoke: Callable[[OperationSpec, Any], Any]
    serialize: Callable[[OperationSpec, Any], HttpRequest]
    credentials: Callable[[], Any]
    sleep: Callable[[float], Any]
    stand_in: StandIn
    remember: Callable[[Any, ResponseMetadata], None]


def seam_of(client: BaseClient) -> Seam:
    """The seam of ``client`` (made once per client and per ``with_options`` copy)."""
    return client._seam()  # pyright: ignore[reportPrivateUsage]  # the one crossing point
