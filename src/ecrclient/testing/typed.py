"""``TypedStubber``: typed results and faults for the typed clients."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Mapping
from typing import Any

import attrs
from botocore.exceptions import (
    ParamValidationError,
    StubAssertionError,
)

from ecrclient._core.errors import SdkClientError, ServiceError
from ecrclient._core.metadata import ResponseMetadata
from ecrclient._core.operation import OperationSpec
from ecrclient._core.validation import build_request
from ecrclient._runtime.operations import load_operation
from ecrclient._runtime.seam import seam_of
from ecrclient.async_client import AsyncECRClient
from ecrclient.compat.boto_client import CompatBase, service_model
from ecrclient.errors import AmazonECRException
from ecrclient.sync_client import ECRClient
from ecrclient.testing._common import (
    ActivationScope,
    RequestIds,
    activation_lock,
    assert_none_pending,
    check_operation,
    differences,
    is_mapping,
    method_name,
    next_stub,
    stub_metadata,
    validate_response,
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


class TypedStubber(ActivationScope):
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
        self._request_ids = RequestIds()
        self.client: ECRClient | AsyncECRClient = client
        """The stubbed client."""
        self._seam = seam_of(client)

    # -- activation --------------------------------------------------------------------------

    @property
    def active(self) -> bool:
        return self._seam.stand_in.answer == self._answer

    def activate(self) -> None:
        """Answer the client's calls from the queue until :meth:`deactivate`."""
        with activation_lock:
            current = self._seam.stand_in.answer
            if current == self._answer:
                return
            if current is not None:
                raise RuntimeError("another stubber is already active on this client")
            self._seam.stand_in.answer = self._answer

    def deactivate(self) -> None:
        """Let the client make real calls again; queued answers stay queued."""
        with activation_lock:
            if self._seam.stand_in.answer == self._answer:
                self._seam.stand_in.answer = None

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
            metadata = stub_metadata(self._request_ids.next(), 200)
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
        metadata = stub_metadata(request_id, status)
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
                metadata = stub_metadata(request_id, error.status_code or 400)
                error = error.with_metadata(metadata)
            return _TypedStub(method, spec.name, expected, metadata, error=error)
        return _TypedStub(method, spec.name, expected, stub_metadata(request_id, 400), error=error)

    def _spec(self, operation: str | Callable[..., Any]) -> tuple[OperationSpec, str]:
        method = method_name(operation)
        check_operation(method)
        return load_operation(method), method

    @staticmethod
    def _expected(spec: OperationSpec, expected: Any) -> Any:
        if expected is None or isinstance(expected, spec.request_type):
            return expected
        if is_mapping(expected):
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
            assert_none_pending(list(self._queue))

    # -- answering ---------------------------------------------------------------------------

    def _answer(self, spec: OperationSpec, request: Any) -> Any:
        """The queued answer to ``request`` (built and validated by the client, as for a real
        call, before it reaches here)."""
        client = self.client
        if isinstance(client, ECRClient) and client.closed:
            # As ECRClient, which refuses when it would open a connection.
            raise SdkClientError("this ECRClient is closed")
        with self._lock:
            stub = next_stub(self._queue, spec.name)
            if stub.expected_request is not None:
                found = differences(stub.expected_request, request, "request")
                if found:
                    raise StubAssertionError(
                        operation_name=spec.name,
                        reason=(
                            f"Expected request:\n{stub.expected_request!r},\n"
                            f"but received:\n{request!r}\nDifferences:\n  " + "\n  ".join(found)
                        ),
                    )
            self._queue.popleft()
        self._seam.remember(request, stub.metadata)
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
    validate_response(output_shape, boto)
