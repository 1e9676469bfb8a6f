"""``Stubber``: botocore's ``Stubber`` API for the boto3-compatible client."""

from __future__ import annotations

import copy
import threading
import weakref
from collections import deque
from collections.abc import Callable, Mapping
from pprint import pformat
from typing import Any

import attrs
from botocore.exceptions import (
    StubAssertionError,
)

from ecrclient.async_client import AsyncECRClient
from ecrclient.compat.boto_client import METHOD_TO_API, CompatBase, service_model
from ecrclient.sync_client import ECRClient
from ecrclient.testing._common import (
    ActivationScope,
    RequestIds,
    activation_lock,
    assert_none_pending,
    check_operation,
    method_name,
    next_stub,
    stub_metadata,
    validate_response,
)

# --------------------------------------------------------------------------------------------
# The boto3-compatible client: botocore's Stubber API.
# --------------------------------------------------------------------------------------------


@attrs.frozen
class _BotoStub:
    operation_name: str
    expected_params: Mapping[str, Any] | None
    response: dict[str, Any]
    status_code: int = 200


_active_stubbers: weakref.WeakKeyDictionary[Any, Stubber] = weakref.WeakKeyDictionary()
"""The stubber active on each boto3-compatible client."""


class Stubber(ActivationScope):
    """botocore's ``Stubber`` for ``ecrclient.client("ecr")`` (sync or async).

    ``add_response`` / ``add_client_error`` queue answers; ``activate()`` / ``deactivate()`` or
    ``with Stubber(client) as stubber:`` switch stubbing on and off. Like botocore's, it works
    through the client's events (``client.meta.events``), so a call runs as on a boto3 client
    with botocore's ``Stubber``: ``provide-client-params`` handlers, then the stubber's check that
    an answer is queued for the operation and that the parameters equal ``expected_params`` (when
    given), then botocore's parameter validation and the conversion to the typed request, then
    the answer (``before-call``), ``after-call`` handlers, and the return of the response dict or
    the raise of the client error (the modeled fault class for a modeled code, else
    ``ClientError``).

    With ``fill_response_metadata=False`` the answers are exactly botocore's ``Stubber``'s; by
    default responses without ``ResponseMetadata`` get one (see the module documentation).
    """

    def __init__(self, client: Any, *, fill_response_metadata: bool = True) -> None:
        if not isinstance(client, CompatBase):
            hint = (
                "use ecrclient.testing.TypedStubber for the typed clients"
                if isinstance(client, (ECRClient, AsyncECRClient))
                else "use botocore.stub.Stubber for boto3's clients"
            )
            raise TypeError(
                f"Stubber stubs ecrclient.client('ecr') clients, not {type(client).__name__}; "
                f"{hint}"
            )
        self.client: Any = client
        """The stubbed client."""
        self._fill = fill_response_metadata
        self._queue: deque[_BotoStub] = deque()
        self._lock = threading.Lock()
        self._request_ids = RequestIds()
        self._unique_id = f"ecrclient_stubber_{id(self)}"

    # -- activation --------------------------------------------------------------------------

    @property
    def active(self) -> bool:
        return _active_stubbers.get(self.client) is self

    def activate(self) -> None:
        """Answer the client's calls from the queue until :meth:`deactivate`."""
        with activation_lock:
            current = _active_stubbers.get(self.client)
            if current is self:
                return
            if current is not None:
                raise RuntimeError("another stubber is already active on this client")
            events = self.client.meta.events
            events.register_first(
                "before-parameter-build.*.*",
                self._assert_expected_params,
                unique_id=f"{self._unique_id}_expected_params",
            )
            events.register("before-call.*.*", self._answer, unique_id=self._unique_id)
            _active_stubbers[self.client] = self

    def deactivate(self) -> None:
        """Let the client make real calls again; queued answers stay queued."""
        with activation_lock:
            if _active_stubbers.get(self.client) is not self:
                return
            events = self.client.meta.events
            events.unregister(
                "before-parameter-build.*.*",
                self._assert_expected_params,
                unique_id=f"{self._unique_id}_expected_params",
            )
            events.unregister("before-call.*.*", self._answer, unique_id=self._unique_id)
            del _active_stubbers[self.client]

    # -- queueing ----------------------------------------------------------------------------

    def add_response(
        self,
        method: str | Callable[..., Any],
        service_response: dict[str, Any],
        expected_params: Mapping[str, Any] | None = None,
    ) -> None:
        """Queue ``service_response`` (a boto3 response dict, checked against the operation's
        output shape) for the next call of ``method``, which must pass exactly
        ``expected_params`` when they are given (:data:`ANY` matches any value)."""
        name = method_name(method)
        check_operation(name)
        operation_name = METHOD_TO_API[name]
        output_shape = service_model().operation_model(operation_name).output_shape
        checked = service_response
        if "ResponseMetadata" in checked:
            checked = copy.copy(service_response)
            del checked["ResponseMetadata"]
        validate_response(output_shape, checked)
        response = service_response
        if self._fill and "ResponseMetadata" not in response:
            metadata = stub_metadata(self._request_ids.next(), 200)
            response = {**service_response, "ResponseMetadata": metadata.to_boto()}
        self._put(_BotoStub(operation_name, expected_params, response))

    def add_client_error(
        self,
        method: str | Callable[..., Any],
        service_error_code: str = "",
        service_message: str = "",
        http_status_code: int = 400,
        service_error_meta: Mapping[str, Any] | None = None,
        expected_params: Mapping[str, Any] | None = None,
        response_meta: Mapping[str, Any] | None = None,
        modeled_fields: Mapping[str, Any] | None = None,
    ) -> None:
        """Queue an error answer for the next call of ``method``.

        ``service_error_meta`` adds keys to ``Error``, ``response_meta`` to ``ResponseMetadata``
        and ``modeled_fields`` (checked against the error's shape) to the top level, as in
        botocore. A modeled code raises its class from :mod:`ecrclient.faults` (the classes of
        ``client.exceptions``), any other code ``ClientError``.
        """
        name = method_name(method)
        check_operation(name)
        if self._fill:
            given = (response_meta or {}).get("RequestId")
            request_id = given if isinstance(given, str) else self._request_ids.next()
            metadata = stub_metadata(request_id, http_status_code).to_boto()
        else:
            metadata = {"HTTPStatusCode": http_status_code}
        response: dict[str, Any] = {
            "ResponseMetadata": metadata,
            "Error": {"Message": service_message, "Code": service_error_code},
        }
        if service_error_meta is not None:
            response["Error"].update(service_error_meta)
        if response_meta is not None:
            response["ResponseMetadata"].update(response_meta)
        if modeled_fields is not None:
            shape = service_model().shape_for_error_code(service_error_code)
            validate_response(shape, modeled_fields)
            response.update(modeled_fields)
        self._put(_BotoStub(METHOD_TO_API[name], expected_params, response, http_status_code))

    def _put(self, stub: _BotoStub) -> None:
        with self._lock:
            self._queue.append(stub)

    def assert_no_pending_responses(self) -> None:
        """Raise ``AssertionError`` if queued answers were not used."""
        with self._lock:
            assert_none_pending(list(self._queue))

    # -- answering (event handlers) ----------------------------------------------------------

    def _assert_expected_params(self, model: Any, params: Any, **kwargs: Any) -> None:
        """``before-parameter-build``: the call must be the next one queued, with the expected
        parameters; botocore's validation runs after this."""
        with self._lock:
            stub = next_stub(self._queue, model.name)
        if stub.expected_params is not None:
            _check_params(model.name, stub.expected_params, params)

    def _answer(self, model: Any, **kwargs: Any) -> tuple[Any, dict[str, Any]]:
        """``before-call``: the queued answer, as botocore's ``(http_response, parsed)``."""
        from botocore.awsrequest import AWSResponse

        with self._lock:
            stub = next_stub(self._queue, model.name)
            self._queue.popleft()
        headers: dict[str, str] = {}
        return AWSResponse(None, stub.status_code, headers, None), stub.response


def _check_params(
    operation_name: str, expected: Mapping[str, Any], params: Mapping[str, Any]
) -> None:
    """botocore's comparison: the same keys, and each value equal to the expected one."""
    mismatched = [key for key in expected if key not in params or expected[key] != params[key]]
    if not mismatched and sorted(expected) == sorted(params):
        return
    lines: list[str] = []
    for key in mismatched:
        if key in params:
            lines.append(f"  {key}: expected {expected[key]!r}, got {params[key]!r}")
        else:
            lines.append(f"  {key}: expected {expected[key]!r}, but it was not passed")
    lines += [
        f"  {key}: passed {params[key]!r}, but not expected"
        for key in params
        if key not in expected
    ]
    raise StubAssertionError(
        operation_name=operation_name,
        reason=(
            f"Expected parameters:\n{pformat(expected)},\n"
            f"but received:\n{pformat(params)}\n"
            "Differences:\n" + "\n".join(lines)
        ),
    )
