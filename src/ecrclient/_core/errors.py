"""Service-agnostic error classes.

Two families, mirroring the Java SDK's ``SdkClientException`` / ``AmazonServiceException``:

* :class:`SdkClientError` — the call failed on this side of the wire: bad input, an unreachable
  endpoint, a timeout, or a response that could not be read. They subclass botocore's
  ``BotoCoreError`` (and the matching botocore class where one exists), so handlers written for
  boto3 keep catching them.
* :class:`ServiceError` — the service answered with an error. It subclasses botocore's
  ``ClientError`` and carries the error as data: code, message, HTTP status, request id, the
  operation and the response metadata. Service packages derive their own base from it and one
  class per modeled error.
"""

from __future__ import annotations

import reprlib
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from botocore import exceptions as _boto
from botocore.parsers import ResponseParserError

from ecrclient._core.metadata import ResponseMetadata
from ecrclient._core.redaction import redact, redact_url

if TYPE_CHECKING:
    from typing_extensions import Self

SNIPPET_LIMIT = 200
"""How many characters of an unreadable body an error message quotes."""

MESSAGE_LIMIT = 4096
"""How many characters of a service's error message ``str()`` of a fault shows; the full
message stays in ``error_message`` and ``response``."""


class SdkClientError(_boto.BotoCoreError):
    """The call failed without a usable answer from the service.

    Its message is redacted here (:func:`~ecrclient._core.redaction.redact`), whoever raises
    it: no subclass, and no transport, can put a secret-shaped value into ``str`` or ``repr``.
    """

    fmt = "{message}"

    def __init__(self, message: str, **kwargs: Any) -> None:
        message = redact(message)
        super().__init__(message=message, **kwargs)  # pyright: ignore[reportUnknownMemberType]
        self.message = message


class ConfigurationError(SdkClientError, ValueError):
    """A setting given to the client, or found in the environment or profile, cannot be used:
    raised when the client is created, when a credential provider hands out credentials, or
    when the client opens its first connection — before anything is sent, so never retried.

    ``setting`` names the setting (``"endpoint_url"``, ``"aws_session_token"``,
    ``"ClientConfig.connect_timeout"``...) when one is to blame. The message names it too, and
    never quotes a value that may be secret.
    """

    def __init__(self, message: str, *, setting: str | None = None) -> None:
        super().__init__(message)
        self.setting = setting

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_configuration_error, (self.message, self.setting))


def _rebuild_configuration_error(message: str, setting: str | None) -> ConfigurationError:
    return ConfigurationError(message, setting=setting)


class RequestValidationError(SdkClientError, _boto.ParamValidationError, ValueError):
    """The request breaks the model; raised before any network I/O.

    ``problems`` lists every problem found, one line each.
    """

    fmt = "Parameter validation failed:\n{report}"

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        report = redact("\n".join(self.problems))
        _boto.BotoCoreError.__init__(self, report=report)  # pyright: ignore[reportUnknownMemberType]
        self.message = str(self)


class MalformedResponseError(SdkClientError, ResponseParserError):
    """The service's answer could not be read (not JSON, empty, truncated, wrong shape).

    It is botocore's ``ResponseParserError`` too, the class botocore raises for an answer it
    cannot parse."""

    def __init__(
        self,
        *,
        operation_name: str,
        status_code: int,
        body: bytes,
        reason: str,
        request_id: str | None = None,
    ) -> None:
        text = redact(body.decode("utf-8", "replace"))
        snippet = text[:SNIPPET_LIMIT] + ("..." if len(text) > SNIPPET_LIMIT else "")
        message = (
            f"Could not read the response to {operation_name} "
            f"(HTTP {status_code}, request id {request_id or 'unknown'}): {reason}; "
            f"body starts {snippet!r}"
        )
        super().__init__(message)
        self.operation_name = operation_name
        self.status_code = status_code
        self.body_snippet = snippet
        self.reason = reason
        self.request_id = request_id
        self.retry_attempts = 0
        self.max_attempts_reached = False


class ResponseTooLargeError(SdkClientError):
    """The response body is longer than ``ClientConfig.max_response_bytes`` (counted after
    any decompression); reading stopped there. Not retried: the same call would answer the same."""

    def __init__(self, *, endpoint_url: str, limit: int) -> None:
        endpoint_url = redact_url(endpoint_url)
        super().__init__(
            f"the response from {endpoint_url} is longer than max_response_bytes ({limit} bytes); "
            "raise ClientConfig.max_response_bytes if the answer is expected to be this large"
        )
        self.endpoint_url = endpoint_url
        self.limit = limit


class NetworkError(SdkClientError):
    """The request did not complete at the transport level.

    On the error a call finally raises, ``retry_attempts`` says how many retries were made and
    ``max_attempts_reached`` whether they stopped because attempts ran out.
    """

    def __init__(self, message: str, *, endpoint_url: str) -> None:
        super().__init__(message)
        self.endpoint_url = redact_url(endpoint_url)
        self.retry_attempts = 0
        self.max_attempts_reached = False


class EndpointConnectionError(NetworkError, _boto.EndpointConnectionError):
    """No connection could be made to the endpoint (refused, DNS, TLS)."""


class ConnectionClosedError(NetworkError, _boto.ConnectionClosedError):
    """The connection broke after the request was sent, before a full response arrived."""


class HttpTimeoutError(NetworkError):
    """One of the HTTP timeouts fired; the subclass says which."""

    timeout_name: ClassVar[str] = "request"


class ConnectTimeoutError(HttpTimeoutError, _boto.ConnectTimeoutError):
    """The connect timeout fired."""

    timeout_name = "connect"


class ReadTimeoutError(HttpTimeoutError, _boto.ReadTimeoutError):
    """The read timeout fired while waiting for the response."""

    timeout_name = "read"


class WriteTimeoutError(HttpTimeoutError):
    """The write timeout fired while sending the request."""

    timeout_name = "write"


class PoolTimeoutError(HttpTimeoutError):
    """No pooled connection became free within the pool timeout."""

    timeout_name = "pool"


class DeadlineExceededError(HttpTimeoutError):
    """The call's total deadline (retries and backoff included) ran out."""

    timeout_name = "total deadline"


_NO_MEMBERS: Mapping[str, Any] = {}


class ServiceError(_boto.ClientError):
    """The service answered with an error.

    The constructor takes what botocore's ``ClientError`` takes (a boto3-shaped response dict and
    the operation name); the attributes expose the same facts as typed data.
    """

    code: ClassVar[str | None] = None
    """The error code this class stands for; ``None`` on base classes."""
    fault: ClassVar[str] = "client"
    """``"client"`` when the request was at fault, ``"server"`` when the service was."""
    modeled_wire_names: ClassVar[tuple[str, ...]] = ()
    """Wire names of every modeled member, ``message`` included (boto3 copies them into
    ``response``)."""
    wire_members: ClassVar[Mapping[str, str]] = {}
    """Modeled members beyond ``message``: Python attribute name to wire name."""
    wire_member_classes: ClassVar[Mapping[str, type]] = {}
    """The class each of ``wire_members`` must have to be read; a value of another class is
    unreadable and left out (``None``), while ``response`` keeps it as botocore does."""

    response: dict[str, Any]
    """The boto3-shaped error response, as botocore's ``ClientError`` holds it."""
    operation_name: str

    def __init__(
        self,
        error_response: Mapping[str, Any],
        operation_name: str,
        *,
        status_code: int | None = None,
        response_metadata: ResponseMetadata | None = None,
    ) -> None:
        error = error_response.get("Error", {})
        message = error.get("Message", "")
        # botocore's ClientError formats the whole message into str(); a service's message is
        # shown bounded, and the response keeps it as botocore would.
        super().__init__(_shown_response(error_response), operation_name)
        self.response = dict(error_response)
        boto_metadata = error_response.get("ResponseMetadata", {})
        self.error_code: str = error.get("Code", "")
        # A message that is not text is unreadable: left out of the typed attribute.
        self.error_message: str = message if isinstance(message, str) else ""
        self.status_code: int | None = (
            status_code if status_code is not None else boto_metadata.get("HTTPStatusCode")
        )
        self.request_id: str | None = boto_metadata.get("RequestId")
        self.response_metadata = response_metadata
        for name, wire_name in self.wire_members.items():
            value = error_response.get(wire_name)
            if value.__class__ is not self.wire_member_classes.get(name, value.__class__):
                value = None
            setattr(self, name, value)

    @classmethod
    def from_parts(
        cls,
        *,
        code: str,
        message: Any,
        operation_name: str,
        status_code: int,
        metadata: ResponseMetadata,
        members: Mapping[str, Any] = _NO_MEMBERS,
        with_request_id: bool = True,
    ) -> Self:
        """The fault for an error answer given by its parts: the code and message, the members
        by wire name (those this class does not model are left out, as botocore leaves them),
        the status and the metadata (``with_request_id=False`` drops the request id from
        ``response``, as botocore's generic reading of a 5xx answer does)."""
        response: dict[str, Any] = {
            "Error": {"Message": message, "Code": code},
            "ResponseMetadata": metadata.to_boto(),
        }
        if not with_request_id:
            response["ResponseMetadata"].pop("RequestId", None)
        for wire_name in cls.modeled_wire_names:
            if wire_name in members:
                response[wire_name] = members[wire_name]
        return cls(response, operation_name, status_code=status_code, response_metadata=metadata)

    @classmethod
    def from_boto_response(
        cls, response: Mapping[str, Any], operation_name: str, *, status_code: int
    ) -> Self:
        """The fault for a boto3-shaped error ``response`` (kept whole, as botocore keeps it in
        ``ClientError.response``), with typed metadata read from its ``ResponseMetadata``;
        ``status_code`` stands where that omits the status."""
        metadata = ResponseMetadata.from_boto(response.get("ResponseMetadata", {}), status_code)
        return cls(response, operation_name, status_code=status_code, response_metadata=metadata)

    def with_metadata(self, metadata: ResponseMetadata) -> ServiceError:
        """A copy of this fault whose response metadata (and ``response``) is ``metadata``."""
        response = dict(self.response)
        boto_metadata = metadata.to_boto()
        if "RequestId" not in self.response.get("ResponseMetadata", {}):
            boto_metadata.pop("RequestId", None)  # botocore's generic 5xx reading keeps none
        response["ResponseMetadata"] = boto_metadata
        return type(self)(
            response, self.operation_name, status_code=self.status_code, response_metadata=metadata
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (
            _rebuild_service_error,
            (
                type(self),
                self.response,
                self.operation_name,
                self.status_code,
                self.response_metadata,
            ),
        )


def bounded_message(message: object) -> str:
    """``message`` as an error's ``str()`` shows it: text up to :data:`MESSAGE_LIMIT`
    characters then an ellipsis saying how much more there is; anything else as a short
    ``repr`` (an answer's JSON can nest deeper than ``str()`` can follow)."""
    if not isinstance(message, str):
        return _SHORT_REPR.repr(message)
    if len(message) <= MESSAGE_LIMIT:
        return message
    return f"{message[:MESSAGE_LIMIT]}... ({len(message) - MESSAGE_LIMIT} more characters)"


_SHORT_REPR = reprlib.Repr()
_SHORT_REPR.maxstring = _SHORT_REPR.maxother = MESSAGE_LIMIT
_SHORT_REPR.maxlevel = 4


def bound_client_error(exc: Any) -> Exception:
    """``exc``, a botocore ``ClientError``, with its ``str()`` bounded as a fault's is."""
    response: Mapping[str, Any] = exc.response
    operation_name: str = exc.operation_name
    shown: Exception = _boto.ClientError(_shown_response(response), operation_name)
    exc.args = shown.args
    bounded: Exception = exc
    return bounded


def _shown_response(response: Mapping[str, Any]) -> Mapping[str, Any]:
    """``response`` with its error message bounded, for ``ClientError`` to format."""
    error = response.get("Error", {})
    if "Message" not in error:
        return response  # ClientError shows "Unknown"
    return {**response, "Error": {**error, "Message": bounded_message(error["Message"])}}


def _rebuild_service_error(
    cls: type[ServiceError],
    response: Mapping[str, Any],
    operation_name: str,
    status_code: int | None,
    metadata: ResponseMetadata | None,
) -> ServiceError:
    return cls(response, operation_name, status_code=status_code, response_metadata=metadata)
