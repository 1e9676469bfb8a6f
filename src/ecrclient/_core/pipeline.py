"""One call, minus the I/O: request in, HTTP request out; HTTP response in, result or fault out.

The sync and async clients both drive a :class:`Pipeline` the same way::

    request = pipeline.coerce(operation, request, kwargs)  # build and validate, before any I/O
    call = pipeline.start(operation, request, policy)      # per-call state: attempts, deadline
    # for each attempt (the retry driver, _runtime/retry_driver.py, loops):
    http_request = call.next_request()                     # serialize, add headers, sign
    http_response = <transport>(http_request)              # the only I/O step
    result = call.finish(http_response)                    # parse, or raise the fault
    # on a failure: decision = call.on_failure(exc); at the end call.final_error(exc, decision)
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta, timezone
from typing import Any, Protocol

import attrs

from ecrclient._core import awsjson, validation
from ecrclient._core.credentials import CredentialProvider, FrozenCredentials
from ecrclient._core.errors import (
    DeadlineExceededError,
    HttpTimeoutError,
    MalformedResponseError,
    NetworkError,
    RequestValidationError,
    ServiceError,
)
from ecrclient._core.interceptors import Hooks, InterceptorContext
from ecrclient._core.messages import HttpRequest, HttpResponse
from ecrclient._core.metadata import MetadataCache, ResponseMetadata
from ecrclient._core.operation import OperationSpec
from ecrclient._core.retries import (
    CallRetries,
    Decision,
    RateLimiter,
    RetryPolicy,
    RetryQuota,
)
from ecrclient._core.service import ServiceSpec
from ecrclient._core.signing import SigV4Signer

logger = logging.getLogger("ecrclient.http")
"""One DEBUG line per attempt: operation, endpoint, status, duration, request id. Never headers
or bodies, which carry signatures, tokens and docker passwords."""


class ResponseReader(Protocol):
    """Reads an answer: its typed result, or raises its fault (see ``awsjson.parse_response``)."""

    def __call__(
        self,
        operation: OperationSpec,
        response: HttpResponse,
        metadata: ResponseMetadata,
        *,
        faults: Mapping[str, type[ServiceError]],
        base_error: type[ServiceError],
    ) -> Any: ...


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


class Pipeline:
    """Everything a client knows about making a call, except how to send bytes.

    Its mutable state — the clock offset learned from skew errors, the retry quota, the adaptive
    rate, the metadata cache — is per client and shared by the client's option copies.
    """

    def __init__(
        self,
        *,
        service: ServiceSpec,
        faults: Mapping[str, type[ServiceError]],
        base_error: type[ServiceError],
        endpoint_url: str,
        signer: SigV4Signer,
        credentials: CredentialProvider,
        user_agent: str,
        clock: Callable[[], datetime] = _utc_now,
        read_response: ResponseReader = awsjson.parse_response,
    ) -> None:
        self.service = service
        self.faults = faults
        self.base_error = base_error
        self.endpoint_url = endpoint_url
        self.signer = signer
        self.credentials = credentials
        self.user_agent = user_agent
        self.clock = clock
        self.clock_offset = timedelta(0)
        """Server time minus local time, learned from clock-skew errors; added when signing."""
        self.metadata_cache = MetadataCache()
        self.retry_quota = RetryQuota()
        self._rate_limiter: RateLimiter | None = None
        self._lock = threading.Lock()
        self.read_response = read_response
        """How answers become results and faults: the protocol's strict reading, or another
        the client was built with (the boto3-compatible layer reads as botocore does)."""
        self.random: Callable[[], float] | None = None
        """The jitter source for backoff; ``None`` is ``random.random`` (tests fix it)."""

    @property
    def rate_limiter(self) -> RateLimiter:
        with self._lock:
            if self._rate_limiter is None:
                self._rate_limiter = RateLimiter()
            return self._rate_limiter

    def coerce(
        self,
        operation: OperationSpec,
        request: Any,
        kwargs: Mapping[str, Any],
        validate: bool = True,
    ) -> Any:
        """The request object for a call given either a request or keyword arguments."""
        if request is None:
            request = validation.build_request(operation.request_type, kwargs)
        elif kwargs:
            raise RequestValidationError(
                [
                    f"pass either a {operation.request_type.__name__} or keyword arguments, "
                    f"not both (got {', '.join(sorted(kwargs))})"
                ]
            )
        elif not isinstance(request, operation.request_type):
            raise RequestValidationError(
                [f"expected a {operation.request_type.__name__}, got {type(request).__name__}"]
            )
        if validate:
            validation.validate(request)
        return request

    def start(
        self,
        operation: OperationSpec,
        request: Any,
        policy: RetryPolicy,
        interceptors: Sequence[object] = (),
    ) -> Call:
        """Begin a call: run the pre-loop hooks and serialize the request once."""
        retries = CallRetries(
            policy,
            quota=self.retry_quota,
            rate_limiter=self.rate_limiter if policy.mode == "adaptive" else None,
            on_skew=self.correct_clock,
            operation=operation.name,
            modeled_errors=operation.errors,
            rng=self.random,
        )
        hooks = Hooks(interceptors)
        context = InterceptorContext(operation_name=operation.name, request=request)
        if not hooks:
            context.http_request = self.serialize(operation, request)
            return Call(self, operation, retries, hooks, context)
        hooks.read("read_before_execution", context)
        try:
            hooks.modify("modify_before_serialization", context, "request")
            hooks.read("read_before_serialization", context)
            context.http_request = self.serialize(operation, context.request)
            hooks.read("read_after_serialization", context)
            hooks.modify("modify_before_retry_loop", context, "http_request")
        except BaseException as exc:
            # Once read_before_execution has run, read_after_execution does too.
            end_abandoned(hooks, context, exc)
            raise
        return Call(self, operation, retries, hooks, context)

    def serialize(self, operation: OperationSpec, request: Any) -> HttpRequest:
        """The unsigned HTTP request, with the headers every attempt shares."""
        try:
            return awsjson.build_request(
                self.service,
                operation,
                request,
                endpoint_url=self.endpoint_url,
                headers={"User-Agent": self.user_agent},
            )
        except (TypeError, ValueError, AttributeError) as exc:
            # Only reachable with validation off: a member of the wrong type cannot be encoded.
            raise RequestValidationError(
                [f"{type(request).__name__} cannot be serialized: {exc}"]
            ) from exc

    def correct_clock(self, server_time: datetime) -> None:
        self.clock_offset = server_time - self.clock()

    def sign(self, http_request: HttpRequest, credentials: FrozenCredentials | None) -> None:
        """Sign ``http_request`` in place, at the skew-corrected time, with ``credentials``
        when given (the async client resolves them off the event loop), else the client's."""
        self.signer.sign(
            http_request,
            credentials if credentials is not None else self.credentials.frozen(),
            self.clock() + self.clock_offset,
        )

    def complete(
        self,
        operation: OperationSpec,
        request: Any,
        response: HttpResponse,
        *,
        retry_attempts: int = 0,
        max_attempts_reached: bool = False,
    ) -> Any:
        """The result for ``response``; raises its fault. Remembers the metadata either way."""
        metadata = awsjson.response_metadata(
            response, retry_attempts=retry_attempts, max_attempts_reached=max_attempts_reached
        )
        self.metadata_cache.put(request, metadata)
        return self.read_response(
            operation, response, metadata, faults=self.faults, base_error=self.base_error
        )


def end_abandoned(hooks: Hooks, context: InterceptorContext, exc: BaseException) -> None:
    """Run ``read_after_execution`` for a call that ends with ``exc`` outside the retry loop's
    decisions (a failure before the loop, a cancellation, an interrupt), so that what a hook
    began ends. A hook's own error is dropped: ``exc`` is what propagates."""
    context.error = exc
    try:
        hooks.read("read_after_execution", context)
    except Exception:
        logger.debug("an interceptor failed after its call was abandoned", exc_info=True)


class Call:
    """One call's progress through its attempts. Not shared between threads or tasks."""

    def __init__(
        self,
        pipeline: Pipeline,
        operation: OperationSpec,
        retries: CallRetries,
        hooks: Hooks,
        context: InterceptorContext,
    ) -> None:
        self.pipeline = pipeline
        self.operation = operation
        self.retries = retries
        self.hooks = hooks
        self.context = context
        self.invocation_id = str(uuid.uuid4())
        self.provided_response: HttpResponse | None = None
        """A response a ``*_before_transmit`` hook supplied: the attempt sends nothing."""

    @property
    def request(self) -> Any:
        return self.context.request

    def send_delay(self) -> float:
        """Seconds to wait before this attempt is sent: adaptive mode's client-side rate limit
        (0 otherwise). Raises :class:`DeadlineExceededError` at once when the wait would outlast
        the call's deadline: sleeping first would only fail later."""
        delay = self.retries.delay_before_send()
        if delay is None:
            raise DeadlineExceededError(
                f"the call's deadline of {self.retries.policy.total_deadline} s ends before "
                f"adaptive mode's rate limit lets attempt {self.retries.attempt} be sent to "
                f"{self.pipeline.endpoint_url}",
                endpoint_url=self.pipeline.endpoint_url,
            )
        return delay

    def next_request(self, credentials: FrozenCredentials | None = None) -> HttpRequest:
        """The signed request for the current attempt; raises when the deadline has passed."""
        remaining = self.retries.remaining()
        if remaining is not None and remaining <= 0:
            raise DeadlineExceededError(
                f"the call's deadline of {self.retries.policy.total_deadline} s ran out "
                f"before attempt {self.retries.attempt} calling {self.pipeline.endpoint_url}",
                endpoint_url=self.pipeline.endpoint_url,
            )
        base = self.context.http_request
        assert base is not None
        headers = dict(base.headers)
        headers["amz-sdk-invocation-id"] = self.invocation_id
        headers["amz-sdk-request"] = (
            f"attempt={self.retries.attempt}; max={self.retries.max_attempts}"
        )
        http_request = HttpRequest(
            method=base.method,
            url=base.url,
            headers=headers,
            body=base.body,
            timeout_cap=remaining,
        )
        hooks = self.hooks
        if not hooks:
            self.pipeline.sign(http_request, credentials)
            return http_request
        context = self.context
        context.attempt = self.retries.attempt
        context.http_request, context.http_response = http_request, None
        context.result = context.error = None
        hooks.read("read_before_attempt", context)
        hooks.modify("modify_before_signing", context, "http_request")
        hooks.read("read_before_signing", context)
        self.pipeline.sign(context.http_request, credentials)
        hooks.read("read_after_signing", context)
        hooks.modify("modify_before_transmit", context, "http_request")
        hooks.read("read_before_transmit", context)
        self.provided_response = context.http_response
        context.http_request.timeout_cap = remaining
        return context.http_request

    def finish(self, response: HttpResponse, elapsed: float | None = None) -> Any:
        """The result of this attempt's ``response`` (taking ``elapsed`` seconds); raises its
        fault."""
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug(
                "%s attempt %d/%d: POST %s -> HTTP %d in %.1f ms (request id %s)",
                self.operation.name,
                self.retries.attempt,
                self.retries.max_attempts,
                self.pipeline.endpoint_url,
                response.status_code,
                (elapsed or 0.0) * 1000,
                response.headers.get("x-amzn-requestid"),
            )
        hooks = self.hooks
        if hooks:
            context = self.context
            context.http_response = response
            hooks.read("read_after_transmit", context)
            hooks.modify("modify_before_deserialization", context, "http_response")
            hooks.read("read_before_deserialization", context)
            response = context.http_response
        try:
            result = self.pipeline.complete(
                self.operation, self.request, response, retry_attempts=self.retries.attempt - 1
            )
        except Exception as exc:
            if not hooks:
                raise
            result = self._after_attempt(None, exc)
        else:
            if hooks:
                result = self._after_attempt(result, None)
        self.retries.succeeded()
        return result

    def failed(self, exc: BaseException) -> Any:
        """After the send of this attempt failed with ``exc``: raise it, or what the hooks
        replace it with, or return the result a hook made of it."""
        if not self.hooks:
            raise exc
        return self._after_attempt(None, exc)

    def _after_attempt(self, result: Any, error: BaseException | None) -> Any:
        """Run the attempt-completion hooks; return the result or raise the error."""
        context, hooks = self.context, self.hooks
        context.result, context.error = result, error
        hooks.read("read_after_deserialization", context)
        hooks.modify_outcome("modify_before_attempt_completion", context)
        hooks.read("read_after_attempt", context)
        if context.error is not None:
            raise context.error
        return context.result

    def on_failure(self, exc: BaseException) -> Decision:
        """Whether to retry after this attempt failed with ``exc``, and after how long."""
        return self.retries.decide(exc)

    def completed(self, result: Any = None, error: BaseException | None = None) -> Any:
        """Run the completion hooks; return the call's result or raise its error."""
        hooks = self.hooks
        if hooks:
            context = self.context
            context.result, context.error = result, error
            hooks.modify_outcome("modify_before_completion", context)
            hooks.read("read_after_execution", context)
            result, error = context.result, context.error
        if error is not None:
            raise error from error.__cause__
        return result

    def interrupted(self, exc: BaseException) -> None:
        """The call was abandoned mid-way by ``exc``, a cancellation or an interrupt (not an
        ``Exception``, which the call decides on): run ``read_after_execution`` with it, so that
        what a hook began ends. A hook's own error is dropped: ``exc`` is what propagates."""
        if self.hooks:
            end_abandoned(self.hooks, self.context, exc)

    def final_error(self, exc: BaseException, decision: Decision) -> BaseException:
        """The exception the call raises after its last attempt failed with ``exc`` and
        ``decision`` said not to retry."""
        reached = decision.max_attempts_reached
        retries = self.retries.attempt - 1
        remaining = self.retries.remaining()
        if isinstance(exc, HttpTimeoutError) and remaining is not None and remaining <= 0:
            deadline = DeadlineExceededError(
                f"the call's deadline of {self.retries.policy.total_deadline} s ran out during "
                f"attempt {self.retries.attempt} calling {self.pipeline.endpoint_url} ({exc})",
                endpoint_url=self.pipeline.endpoint_url,
            )
            deadline.retry_attempts = retries
            deadline.__cause__ = exc
            return deadline
        if isinstance(exc, (NetworkError, MalformedResponseError)):
            exc.retry_attempts = retries
            exc.max_attempts_reached = reached
            return exc
        if isinstance(exc, ServiceError) and reached and exc.response_metadata is not None:
            metadata = attrs.evolve(exc.response_metadata, max_attempts_reached=True)
            self.pipeline.metadata_cache.put(self.request, metadata)
            return exc.with_metadata(metadata)
        return exc
