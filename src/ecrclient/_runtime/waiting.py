"""Typed waiters: ``client.waiters.image_scan_complete.wait(...)``.

A waiter polls its operation until an acceptor of the model says success or failure::

    result = client.waiters.image_scan_complete.wait(
        repository_name="web", image_id=ImageIdentifier(image_tag="v1"), max_wait=300
    )

Beyond the model's ``delay`` and ``max_attempts``: ``max_wait`` (a time budget in seconds),
``min_delay``/``max_delay`` (exponential backoff bounded by the remaining time) and
``retryable`` (a hook that may overrule the acceptors). Failure raises
:class:`~ecrclient._core.waiting.WaiterError` with the reason, the attempts made and the last
result or fault. The Java spelling works too: ``client.waiters().image_scan_complete().run(req)``.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Coroutine
from typing import Any, Generic, Protocol, TypeVar, cast

from ecrclient._core.errors import ServiceError
from ecrclient._core.waiting import Outcome, Poller, WaiterError, WaiterSpec
from ecrclient._generated.waiters import AsyncWaiterMethods, WaiterMethods
from ecrclient._runtime.polling import poll_steps
from ecrclient._runtime.seam import seam_of
from ecrclient._runtime.steps import Steps, adrive, drive, run_or_pause

Req = TypeVar("Req")
Res = TypeVar("Res")
Req_contra = TypeVar("Req_contra", contravariant=True)
Out_co = TypeVar("Out_co", covariant=True)

__all__ = [
    "AsyncECRWaiters",
    "AsyncWaiter",
    "ECRWaiters",
    "Waiter",
    "WaiterError",
    "WaiterHandle",
]


def outcome_of(result: Any = None, error: ServiceError | None = None) -> Outcome:
    """What the acceptors look at for one poll: the result's wire form, or the fault."""
    if error is not None:
        return Outcome.of_error(
            error.error_code,
            message=error.error_message,
            status_code=error.status_code,
            value=error,
        )
    metadata = result.response_metadata
    status = 200 if metadata.is_empty else metadata.http_status_code
    return Outcome.of_result(result._to_wire(), status_code=status, value=result)


class WaitCall(Protocol[Req_contra, Out_co]):
    """The signature of ``wait`` (and its Java name ``run``), written once for both waiters:
    ``Out_co`` is the result in :class:`Waiter` and a coroutine of it in :class:`AsyncWaiter`."""

    def __call__(
        self,
        request: Req_contra | None = None,
        *,
        delay: float | None = None,
        max_attempts: int | None = None,
        max_wait: float | None = None,
        min_delay: float | None = None,
        max_delay: float | None = None,
        retryable: Callable[[Outcome], bool | None] | None = None,
        **kwargs: Any,
    ) -> Out_co:
        """The final result once the condition holds; raises :class:`WaiterError` otherwise.
        ``kwargs`` are the request's members, when ``request`` is not given."""
        ...


_OPTIONS = frozenset(inspect.signature(cast(Any, WaitCall).__call__).parameters) - {
    "self",
    "request",
    "kwargs",
}


class _Base(Generic[Req, Res]):
    def __init__(self, client: Any, spec: WaiterSpec, method: str) -> None:
        self._seam = seam_of(client)
        self.spec = spec
        self._operation = self._seam.operation(method)

    def __call__(self) -> _Base[Req, Res]:
        """The Java spelling ``waiters().image_scan_complete()`` returns the waiter itself."""
        return self

    def _plan(self, request: Any, arguments: dict[str, Any]) -> tuple[Steps[Res], Any]:
        """The poll loop's steps and what carries out their effects, from ``wait``'s
        arguments (the options are checked before any polling)."""
        options = {name: arguments.pop(name) for name in _OPTIONS if name in arguments}
        poller = Poller(self.spec, **options)
        request = self._seam.prepare(self._operation, request, arguments)
        steps: Steps[Res] = poll_steps(poller, outcome_of, ServiceError)
        return steps, run_or_pause(
            lambda: self._seam.invoke(self._operation, request), self._seam.sleep
        )


class Waiter(_Base[Req, Res]):
    """Polls until the waiter's condition holds; see the module docs for the options."""

    @property
    def wait(self) -> WaitCall[Req, Res]:
        """Poll until the condition holds: ``waiter.wait(request, max_wait=300)``."""

        def wait(request: Req | None = None, **arguments: Any) -> Res:
            return drive(*self._plan(request, arguments))

        return wait

    run = wait
    """The Java SDK's name for :attr:`wait`."""


class AsyncWaiter(_Base[Req, Res]):
    """The async twin of :class:`Waiter`: ``await waiter.wait(...)``."""

    @property
    def wait(self) -> WaitCall[Req, Coroutine[Any, Any, Res]]:
        """Poll until the condition holds: ``await waiter.wait(request, max_wait=300)``."""

        async def wait(request: Req | None = None, **arguments: Any) -> Res:
            return await adrive(*self._plan(request, arguments))

        return wait

    run = wait


class WaiterHandle:
    """Base of the generated ``client.waiters`` classes; callable for the Java spelling."""

    _waiter_type: type[Waiter[Any, Any]] | type[AsyncWaiter[Any, Any]]

    def __init__(self, client: Any) -> None:
        self._client = client

    def __call__(self) -> WaiterHandle:
        return self

    def _waiter(self, spec: WaiterSpec, method: str) -> Any:
        return self._waiter_type(self._client, spec, method)


class ECRWaiters(WaiterHandle, WaiterMethods):
    """``client.waiters``: the model's waiters, typed."""

    _waiter_type = Waiter


class AsyncECRWaiters(WaiterHandle, AsyncWaiterMethods):
    """``client.waiters`` of the async client."""

    _waiter_type = AsyncWaiter
