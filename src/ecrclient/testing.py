"""Stub ECR answers in tests: no HTTP, no network, no moto.

Two stubbers queue answers first in, first out and check each call against the queue:

* :class:`TypedStubber` for :class:`~ecrclient.ECRClient` and :class:`~ecrclient.AsyncECRClient`:
  queue typed results and faults, and optionally the typed request each call must make.
* :class:`Stubber` for the boto3-compatible client (``ecrclient.client("ecr")``), with the API of
  botocore's ``botocore.stub.Stubber``: queue response dicts and client errors, and optionally the
  parameters each call must pass.

Testing code that uses the typed client::

    # app.py
    from ecrclient import ECRClient

    def image_tags(ecr: ECRClient, repository: str) -> list[str]:
        pages = ecr.paginators.list_images(repository_name=repository)
        return sorted(image.image_tag for image in pages if image.image_tag)

    # test_app.py
    import pytest
    from ecrclient import ECRClient
    from ecrclient.errors import RepositoryNotFoundException
    from ecrclient.model import ImageIdentifier, ListImagesRequest, ListImagesResult
    from ecrclient.testing import TypedStubber

    from app import image_tags

    @pytest.fixture
    def ecr():
        with ECRClient(region_name="us-east-1") as client:
            yield client

    def test_image_tags(ecr):
        with TypedStubber(ecr) as stubber:
            stubber.add_response(
                ecr.list_images,  # or "list_images"
                ListImagesResult(image_ids=[ImageIdentifier(image_tag="v2")], next_token="t1"),
                expected_request=ListImagesRequest(repository_name="web"),
            )
            stubber.add_response(
                ecr.list_images,
                ListImagesResult(image_ids=[ImageIdentifier(image_tag="v1")]),
                expected_request=ListImagesRequest(repository_name="web", next_token="t1"),
            )
            assert image_tags(ecr, "web") == ["v1", "v2"]
            stubber.assert_no_pending_responses()

    def test_image_tags_of_a_missing_repository(ecr):
        with TypedStubber(ecr) as stubber:
            stubber.add_error("list_images", RepositoryNotFoundException, message="no web")
            with pytest.raises(RepositoryNotFoundException):
                image_tags(ecr, "web")

Testing boto3-style code (the same test works on ``boto3.client("ecr")`` with botocore's
``Stubber``)::

    # app.py
    def repository_uri(ecr, name):
        try:
            response = ecr.describe_repositories(repositoryNames=[name])
        except ecr.exceptions.RepositoryNotFoundException:
            return None
        return response["repositories"][0]["repositoryUri"]

    # test_app.py
    import ecrclient
    from ecrclient.testing import ANY, Stubber

    from app import repository_uri

    def test_repository_uri():
        ecr = ecrclient.client("ecr", region_name="us-east-1")
        uri = "123456789012.dkr.ecr.us-east-1.amazonaws.com/web"
        with Stubber(ecr) as stubber:
            stubber.add_response(
                "describe_repositories",
                {"repositories": [{"repositoryName": "web", "repositoryUri": uri}]},
                expected_params={"repositoryNames": ["web"]},
            )
            stubber.add_client_error(
                "describe_repositories",
                service_error_code="RepositoryNotFoundException",
                service_message="gone",
                expected_params={"repositoryNames": ANY},
            )
            assert repository_uri(ecr, "web") == uri
            assert repository_uri(ecr, "old") is None
            stubber.assert_no_pending_responses()

What both do, as a real call would:

* Calls go through the client's own checks: the typed client's request validation, the
  compatible client's botocore parameter validation and conversion to the typed request. Invalid
  input raises what it raises in production, and the answer stays queued. (The ``Stubber``
  checks ``expected_params`` before validating, as botocore's does; the ``TypedStubber``
  validates first, as it compares typed requests.)
* Paginators and waiters work on stubbed clients; each page or poll takes the next answer. Waiters
  sleep with the client's ``_sleep`` (``time.sleep`` / ``asyncio.sleep``); replace it in tests.
* Each stubbed answer is final: no retries, whatever the fault.
* Stubbed answers are checked against the ECR model when queued (the ``Stubber``'s dicts by
  botocore's validator, as botocore's ``Stubber`` does; a ``TypedStubber``'s results by the same
  validator on their boto3 form, so its messages use the model's camelCase names).
* Answers carry response metadata: a request id (``00000000-0000-0000-0000-000000000001`` and
  counting, per stubber), the HTTP status, the headers ``x-amzn-requestid`` and
  ``content-type``, and 0 retry attempts; in the ``ResponseMetadata`` of the dicts, and in the
  ``response_metadata`` of typed results and faults, which the typed client also remembers for
  ``get_cached_response_metadata``.

Where a call does not match the queue, the stubbers raise botocore's errors:
``UnStubbedResponseError`` (a call with nothing queued), ``StubResponseError`` (the next answer is
for another operation) and ``StubAssertionError`` (the request or parameters differ from the
expected ones; the message lists the differences). ``assert_no_pending_responses()`` raises
``AssertionError`` naming the answers left over. :data:`ANY` (botocore's ``stub.ANY``) matches any
value, in ``expected_params`` and anywhere inside an ``expected_request``.

Differences from botocore's ``Stubber``:

* A stubbed response without ``ResponseMetadata`` gets the default one (botocore returns the dict
  as given), and a client error's ``ResponseMetadata`` has ``RequestId``, ``HTTPHeaders`` and
  ``RetryAttempts`` besides ``HTTPStatusCode`` (``response_meta`` still overrides them). So
  ``assert response == stubbed`` needs ``ResponseMetadata`` in ``stubbed``, or
  ``Stubber(client, fill_response_metadata=False)``, which gives botocore's answers exactly.
* Unknown method names are refused by ``add_client_error`` too, with ``ValueError``.

The ``Stubber`` works as botocore's does, through the client's events (``client.meta.events``:
``before-parameter-build`` and ``before-call``), so handlers the code under test registers run
around it as they would on boto3. The ``TypedStubber`` replaces the typed client's ``_run`` on
the instance while active: the client's interceptors, retries and transport do not run for
stubbed calls; copies made with ``with_options`` while it is active answer from its queue too
(and keep doing so after it is deactivated).
"""

from __future__ import annotations

import copy
import threading
import uuid
import weakref
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from pprint import pformat
from types import TracebackType
from typing import Any, Protocol, TypeGuard, TypeVar

import attrs
from botocore import validate as botocore_validate
from botocore.exceptions import (
    ParamValidationError,
    StubAssertionError,
    StubResponseError,
    UnStubbedResponseError,
)
from botocore.stub import ANY as _BOTOCORE_ANY

from ecrclient._core.errors import SdkClientError, ServiceError
from ecrclient._core.metadata import ResponseMetadata
from ecrclient._core.operation import OperationSpec
from ecrclient._core.validation import build_request
from ecrclient._generated.service import OPERATION_MODULES, SERVICE
from ecrclient._runtime.operations import load_operation
from ecrclient.async_client import AsyncECRClient
from ecrclient.compat.boto_client import METHOD_TO_API, CompatBase, service_model
from ecrclient.errors import AmazonECRException
from ecrclient.sync_client import ECRClient

__all__ = [
    "ANY",
    "StubAssertionError",
    "StubResponseError",
    "Stubber",
    "TypedStubber",
    "UnStubbedResponseError",
]

ANY: Any = _BOTOCORE_ANY
"""Equal to any value: ``expected_params={"nextToken": ANY}``, or inside an expected request,
``DescribeImagesRequest(repository_name=ANY)``. It is botocore's ``botocore.stub.ANY``."""

_CONTENT_TYPE = f"application/x-amz-json-{SERVICE.json_version}"

_UNEXPECTED_CALL = (
    "Unexpected API Call: A call was made but no additional calls expected. "
    "Either the API Call was not stubbed or it was called multiple times."
)

_activation_lock = threading.Lock()


# --------------------------------------------------------------------------------------------
# Shared pieces.
# --------------------------------------------------------------------------------------------


class _Stub(Protocol):
    """A queued answer of either stubber."""

    @property
    def operation_name(self) -> str: ...


_S = TypeVar("_S", bound=_Stub)


class _RequestIds:
    """Deterministic request ids: ``00000000-0000-0000-0000-000000000001``, ``...002``, ..."""

    def __init__(self) -> None:
        self._last = 0
        self._lock = threading.Lock()

    def next(self) -> str:
        with self._lock:
            self._last += 1
            return str(uuid.UUID(int=self._last))


def _metadata(request_id: str, status_code: int) -> ResponseMetadata:
    return ResponseMetadata(
        request_id=request_id,
        http_status_code=status_code,
        http_headers={"x-amzn-requestid": request_id, "content-type": _CONTENT_TYPE},
        retry_attempts=0,
    )


def _method_name(method: object) -> str:
    """The snake_case operation name of ``method``: a name, a wire name or a bound method.

    It takes any object as callers without a type checker may pass anything."""
    name: object = getattr(method, "__name__", None) if callable(method) else method
    if not isinstance(name, str):
        raise TypeError(f"expected an operation name or a client method, got {method!r}")
    return OPERATION_MODULES.get(name, name)


def _check_operation(method: str) -> None:
    if method not in METHOD_TO_API:
        raise ValueError(f"Client ecr does not have method: {method}")


def _next(queue: Sequence[_S], operation_name: str) -> _S:
    """The next answer, if it is for ``operation_name``: botocore's checks and messages."""
    if not queue:
        raise UnStubbedResponseError(operation_name=operation_name, reason=_UNEXPECTED_CALL)
    stub = queue[0]
    if stub.operation_name != operation_name:
        raise StubResponseError(
            operation_name=operation_name,
            reason=f"Operation mismatch: found response for {stub.operation_name}.",
        )
    return stub


def _pending(queue: Sequence[Any]) -> None:
    if queue:
        names = ", ".join(entry.operation_name for entry in queue)
        raise AssertionError(f"{len(queue)} responses remaining in queue. Still queued: {names}.")


def _differences(expected: object, actual: object, path: str) -> list[str]:
    """Where ``actual`` differs from ``expected``, one line each; :data:`ANY` matches anything.

    attrs objects of one class compare member by member, lists and tuples item by item, and
    mappings key by key, so ``ANY`` works at any depth."""
    if expected is ANY:
        return []
    expected_type = type(expected)
    if attrs.has(expected_type) and expected_type is type(actual):
        found: list[str] = []
        for field in attrs.fields(expected_type):
            if field.eq:
                found += _differences(
                    getattr(expected, field.name),
                    getattr(actual, field.name),
                    f"{path}.{field.name}",
                )
        return found
    if _is_sequence(expected) and _is_sequence(actual):
        if len(expected) != len(actual):
            return [
                f"{path}: expected {len(expected)} items, got {len(actual)}: "
                f"expected {expected!r}, got {actual!r}"
            ]
        found = []
        for index, (want, got) in enumerate(zip(expected, actual, strict=True)):
            found += _differences(want, got, f"{path}[{index}]")
        return found
    if _is_mapping(expected) and _is_mapping(actual):
        found = [
            f"{path}[{key!r}]: expected {expected[key]!r}, missing"
            for key in expected
            if key not in actual
        ]
        found += [
            f"{path}[{key!r}]: not expected, got {actual[key]!r}"
            for key in actual
            if key not in expected
        ]
        for key in expected:
            if key in actual:
                found += _differences(expected[key], actual[key], f"{path}[{key!r}]")
        return found
    if expected == actual:
        return []
    return [f"{path}: expected {expected!r}, got {actual!r}"]


def _is_sequence(value: object) -> TypeGuard[Sequence[object]]:
    return isinstance(value, Sequence) and not isinstance(value, (str, bytes, bytearray))


def _is_mapping(value: object) -> TypeGuard[Mapping[Any, Any]]:
    return isinstance(value, Mapping)


def _validate_response(shape: Any, response: Mapping[str, Any]) -> None:
    """botocore's check of a stubbed answer: the shape's validator, or emptiness without one."""
    if shape is not None:
        _validate_parameters(response, shape)
    elif response:
        raise ParamValidationError(report="Service response should only contain ResponseMetadata.")


def _validate_parameters(params: Mapping[str, Any], shape: Any) -> None:
    """botocore's ``validate_parameters``: raises ``ParamValidationError`` with its report."""
    # botocore ships no type information, so pyright sees its parameters as Unknown; going
    # through the module as an explicit Any keeps that from spreading into this one.
    untyped_validate: Any = botocore_validate
    untyped_validate.validate_parameters(params, shape)


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


class Stubber:
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
        self._request_ids = _RequestIds()
        self._unique_id = f"ecrclient_stubber_{id(self)}"

    def __enter__(self) -> Stubber:
        self.activate()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.deactivate()

    # -- activation --------------------------------------------------------------------------

    @property
    def active(self) -> bool:
        return _active_stubbers.get(self.client) is self

    def activate(self) -> None:
        """Answer the client's calls from the queue until :meth:`deactivate`."""
        with _activation_lock:
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
        with _activation_lock:
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
        name = _method_name(method)
        _check_operation(name)
        operation_name = METHOD_TO_API[name]
        output_shape = service_model().operation_model(operation_name).output_shape
        checked = service_response
        if "ResponseMetadata" in checked:
            checked = copy.copy(service_response)
            del checked["ResponseMetadata"]
        _validate_response(output_shape, checked)
        response = service_response
        if self._fill and "ResponseMetadata" not in response:
            metadata = _metadata(self._request_ids.next(), 200)
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
        name = _method_name(method)
        _check_operation(name)
        if self._fill:
            given = (response_meta or {}).get("RequestId")
            request_id = given if isinstance(given, str) else self._request_ids.next()
            metadata = _metadata(request_id, http_status_code).to_boto()
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
            _validate_response(shape, modeled_fields)
            response.update(modeled_fields)
        self._put(_BotoStub(METHOD_TO_API[name], expected_params, response, http_status_code))

    def _put(self, stub: _BotoStub) -> None:
        with self._lock:
            self._queue.append(stub)

    def assert_no_pending_responses(self) -> None:
        """Raise ``AssertionError`` if queued answers were not used."""
        with self._lock:
            _pending(list(self._queue))

    # -- answering (event handlers) ----------------------------------------------------------

    def _assert_expected_params(self, model: Any, params: Any, **kwargs: Any) -> None:
        """``before-parameter-build``: the call must be the next one queued, with the expected
        parameters; botocore's validation runs after this."""
        with self._lock:
            stub = _next(self._queue, model.name)
        if stub.expected_params is not None:
            _check_params(model.name, stub.expected_params, params)

    def _answer(self, model: Any, **kwargs: Any) -> tuple[Any, dict[str, Any]]:
        """``before-call``: the queued answer, as botocore's ``(http_response, parsed)``."""
        from botocore.awsrequest import AWSResponse

        with self._lock:
            stub = _next(self._queue, model.name)
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


# --------------------------------------------------------------------------------------------
# The typed clients.
# --------------------------------------------------------------------------------------------


@attrs.frozen
class _TypedStub:
    method: str
    operation_name: str
    expected_request: Any
    metadata: ResponseMetadata
    result: Any = None
    error: BaseException | None = None


class TypedStubber:
    """Stubbed answers for an :class:`~ecrclient.ECRClient` or :class:`~ecrclient.AsyncECRClient`.

    ``add_response`` queues a typed result, ``add_error`` a fault; while active (``activate()``,
    or ``with TypedStubber(client) as stubber:``) each call builds and validates its request as
    the client does, checks it against the next queued answer (operation, then
    ``expected_request`` when given) and returns the result or raises the fault. Typed
    paginators and waiters take one queued answer per page or poll.
    """

    def __init__(self, client: ECRClient | AsyncECRClient) -> None:
        _check_typed_client(client)
        self._queue: deque[_TypedStub] = deque()
        self._lock = threading.Lock()
        self._request_ids = _RequestIds()
        replacement: Callable[..., Any]
        if isinstance(client, AsyncECRClient):
            async_client = client

            async def invoke_async(spec: OperationSpec, request: Any) -> Any:
                # As AsyncECRClient: a closed client refuses before anything else.
                if async_client.closed:
                    raise SdkClientError("this AsyncECRClient is closed")
                return self._answer(spec, request)

            replacement = invoke_async
        else:

            def invoke(spec: OperationSpec, request: Any) -> Any:
                return self._answer(spec, request)

            replacement = invoke
        self.client: ECRClient | AsyncECRClient = client
        """The stubbed client."""
        self._replacement = replacement

    def __enter__(self) -> TypedStubber:
        self.activate()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.deactivate()

    # -- activation --------------------------------------------------------------------------

    @property
    def active(self) -> bool:
        return vars(self.client).get("_run") is self._replacement

    def activate(self) -> None:
        """Answer the client's calls from the queue until :meth:`deactivate`."""
        with _activation_lock:
            current = vars(self.client).get("_run")
            if current is self._replacement:
                return
            if current is not None:
                raise RuntimeError("another stubber is already active on this client")
            vars(self.client)["_run"] = self._replacement

    def deactivate(self) -> None:
        """Let the client make real calls again; queued answers stay queued."""
        with _activation_lock:
            if vars(self.client).get("_run") is self._replacement:
                del vars(self.client)["_run"]

    # -- queueing ----------------------------------------------------------------------------

    def add_response(
        self,
        operation: str | Callable[..., Any],
        result: Any = None,
        expected_request: Any = None,
    ) -> None:
        """Queue ``result`` for the next call of ``operation`` (``"describe_images"`` or
        ``client.describe_images``); ``None`` queues an empty result.

        ``result`` must be the operation's ``...Result`` and fit the model; it is returned with
        ``response_metadata`` filled in unless it has its own. ``expected_request`` (the
        ``...Request``, or its members as a dict) is what the call must send; :data:`ANY`
        matches any member.
        """
        spec, method = self._spec(operation)
        if result is None:
            result = spec.result_type()  # every ECR result has only optional members
        if not isinstance(result, spec.result_type):
            raise TypeError(
                f"{spec.name} returns a {spec.result_type.__name__}, not a {type(result).__name__}"
            )
        _check_result(spec, result)
        metadata = result.response_metadata
        if metadata.is_empty:
            metadata = _metadata(self._request_ids.next(), 200)
            result = attrs.evolve(result, response_metadata=metadata)
        expected = self._expected(spec, expected_request)
        self._put(_TypedStub(method, spec.name, expected, metadata, result=result))

    def add_error(
        self,
        operation: str | Callable[..., Any],
        error: str | type[ServiceError] | BaseException,
        message: str = "",
        *,
        status_code: int | None = None,
        members: Mapping[str, Any] | None = None,
        expected_request: Any = None,
    ) -> None:
        """Queue a fault for the next call of ``operation``.

        ``error`` is a fault class (``RepositoryNotFoundException``), an error code (a modeled
        one gives its class, any other :class:`~ecrclient.errors.AmazonECRException`), or an
        exception instance, raised as it is (a fault without response metadata gets some). The
        fault is built as the client builds it from an ECR error answer: ``error_code``,
        ``error_message`` (``message``), ``status_code`` (default 400, or 500 for server faults),
        ``request_id``, ``response_metadata``, ``response`` and the modeled ``members`` (by
        attribute or wire name, e.g. ``{"kms_error": "..."}`` for a ``KmsException``).
        """
        spec, method = self._spec(operation)
        expected = self._expected(spec, expected_request)
        request_id = self._request_ids.next()
        if isinstance(error, BaseException):
            if members is not None or message or status_code is not None:
                raise TypeError("message, status_code and members apply to a fault class or code")
            self._put(self._as_raised(method, spec, expected, error, request_id))
            return
        cls, code = _fault_class_and_code(error)
        status = status_code if status_code is not None else (500 if cls.fault == "server" else 400)
        metadata = _metadata(request_id, status)
        wire_members: dict[str, Any] = {"message": message}
        for name, value in (members or {}).items():
            wire_name = cls.wire_members.get(name, name)
            if wire_name == "message" or wire_name not in cls.modeled_wire_names:
                known = ", ".join(sorted(cls.wire_members)) or "none"
                raise ValueError(
                    f"{cls.__name__} has no member {name!r} (pass the message as message=); "
                    f"its members are: {known}"
                )
            wire_members[wire_name] = value
        fault = cls.from_parts(
            code=code,
            message=message,
            operation_name=spec.name,
            status_code=status,
            metadata=metadata,
            members=wire_members,
        )
        self._put(_TypedStub(method, spec.name, expected, metadata, error=fault))

    @staticmethod
    def _as_raised(
        method: str, spec: OperationSpec, expected: Any, error: BaseException, request_id: str
    ) -> _TypedStub:
        """An exception instance to raise as it is; a fault without metadata gets some."""
        if isinstance(error, ServiceError):
            metadata = error.response_metadata
            if metadata is None:
                metadata = _metadata(request_id, error.status_code or 400)
                error = error.with_metadata(metadata)
            return _TypedStub(method, spec.name, expected, metadata, error=error)
        return _TypedStub(method, spec.name, expected, _metadata(request_id, 400), error=error)

    def _spec(self, operation: str | Callable[..., Any]) -> tuple[OperationSpec, str]:
        method = _method_name(operation)
        _check_operation(method)
        return load_operation(method), method

    @staticmethod
    def _expected(spec: OperationSpec, expected: Any) -> Any:
        if expected is None or isinstance(expected, spec.request_type):
            return expected
        if _is_mapping(expected):
            return build_request(spec.request_type, expected)
        raise TypeError(
            f"expected_request for {spec.name} must be a {spec.request_type.__name__} or a dict "
            f"of its members, not a {type(expected).__name__}"
        )

    def _put(self, stub: _TypedStub) -> None:
        with self._lock:
            self._queue.append(stub)

    def assert_no_pending_responses(self) -> None:
        """Raise ``AssertionError`` if queued answers were not used."""
        with self._lock:
            _pending(list(self._queue))

    # -- answering ---------------------------------------------------------------------------

    def _answer(self, spec: OperationSpec, request: Any) -> Any:
        """The queued answer to ``request`` (built and validated by the client, as for a real
        call, before it reaches here)."""
        client = self.client
        pipeline = client._pipeline  # pyright: ignore[reportPrivateUsage]
        if isinstance(client, ECRClient) and client.closed:
            # As ECRClient, which refuses when it would open a connection.
            raise SdkClientError("this ECRClient is closed")
        with self._lock:
            stub = _next(self._queue, spec.name)
            if stub.expected_request is not None:
                found = _differences(stub.expected_request, request, "request")
                if found:
                    raise StubAssertionError(
                        operation_name=spec.name,
                        reason=(
                            f"Expected request:\n{stub.expected_request!r},\n"
                            f"but received:\n{request!r}\nDifferences:\n  " + "\n  ".join(found)
                        ),
                    )
            self._queue.popleft()
        pipeline.metadata_cache.put(request, stub.metadata)
        if stub.error is not None:
            raise stub.error
        return stub.result


def _check_typed_client(client: object) -> None:
    """Refuse what ``TypedStubber`` cannot stub; it takes any object as callers without a type
    checker may pass anything."""
    if not isinstance(client, (ECRClient, AsyncECRClient)):
        hint = (
            "use ecrclient.testing.Stubber for ecrclient.client('ecr') clients"
            if isinstance(client, CompatBase)
            else "it takes an ECRClient or an AsyncECRClient"
        )
        raise TypeError(f"TypedStubber cannot stub a {type(client).__name__}; {hint}")


def _fault_class_and_code(error: object) -> tuple[type[ServiceError], str]:
    """The fault class and error code ``add_error`` builds its fault from, given a code or a
    fault class; it takes any object as callers without a type checker may pass anything."""
    if isinstance(error, str):
        from ecrclient.faults import FAULTS

        return FAULTS.get(error, AmazonECRException), error
    if isinstance(error, type):
        if not issubclass(error, ServiceError):
            raise TypeError(
                f"{error.__name__} is not a fault class; pass an instance to raise it as is"
            )
        if error.code is None:
            raise ValueError(
                f"{error.__name__} stands for no error code; pass the code as a string, "
                'e.g. add_error(operation, "ThrottlingException")'
            )
        return error, error.code
    raise TypeError(f"error must be a fault class, an error code or an exception, not {error!r}")


def _check_result(spec: OperationSpec, result: Any) -> None:
    """botocore's validator over the result's boto3 form and the operation's output shape."""
    try:
        boto = result._to_boto()
    except (TypeError, ValueError, AttributeError) as exc:
        raise ParamValidationError(
            report=f"the stubbed {type(result).__name__} does not fit the model: {exc}"
        ) from None
    output_shape = service_model().operation_model(spec.name).output_shape
    _validate_response(output_shape, boto)
