"""Jobs — the work ECR users otherwise script by hand (scan gates, cleanup, docker login,
moving images) — are written once, as steps (:mod:`ecrclient._runtime.steps`), and published
twice: :func:`blocking` makes the function that takes an ``ECRClient`` and returns the result,
:func:`awaiting` the coroutine function that takes an ``AsyncECRClient``::

    def _gate_steps(ecr: Client, repository: str, *, fail_on: str = "HIGH") -> Steps[Gate]:
        \"\"\"The docstring both functions show.\"\"\"
        page = yield Invoke(ecr, "describe_image_scan_findings", {"repository_name": ...})
        ...

    scan_gate = blocking(_gate_steps, "scan_gate", __name__)
    scan_gate_async = awaiting(_gate_steps, "scan_gate_async", __name__)

The parameters are written once, in the steps; type checkers see each public function with the
steps' parameters and its own client type (``Client`` is ``ECRClient`` in one and
``AsyncECRClient`` in the other), and ``inspect.signature`` shows the same.

Steps that take no client (they make their own, as docker login does per region) are published
with :func:`blocking_clientless` and :func:`awaiting_clientless`.

The effects every job may yield are here: :class:`Invoke` (one ECR operation), :class:`Collect`
(every item of a paginator), :class:`Pause` and :class:`Offload` (a call that may block, such as
waiting for a file lock). A job with effects of its own (a transfer's files and streams, the
clients docker login makes) passes its own runner.
"""

from __future__ import annotations

import inspect
import time
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

import attrs

from ecrclient._runtime.steps import Steps, adrive, drive

if TYPE_CHECKING:
    from ecrclient.async_client import AsyncECRClient
    from ecrclient.sync_client import ECRClient

P = ParamSpec("P")
T = TypeVar("T")

Client = TypeVar("Client", "ECRClient", "AsyncECRClient")
"""The client a job's steps are given: ``ECRClient`` in the blocking function,
``AsyncECRClient`` in the async one."""


@attrs.frozen
class Invoke:
    """Call ``operation`` (a method name of the typed clients) with ``arguments``: the result
    comes back, a fault is thrown in."""

    client: Any = attrs.field(repr=False)
    operation: str
    arguments: Mapping[str, Any] = attrs.field(factory=dict[str, Any])


@attrs.frozen
class Collect:
    """Every item the paginator ``paginator`` (a name of ``client.paginators``) yields for
    ``arguments``, as a list."""

    client: Any = attrs.field(repr=False)
    paginator: str
    arguments: Mapping[str, Any] = attrs.field(factory=dict[str, Any])


@attrs.frozen
class Pause:
    seconds: float


@attrs.frozen
class Offload:
    """``function(*arguments)``, a call that may block for a while: made in place when
    blocking, in a worker thread when awaiting (so the event loop goes on)."""

    function: Callable[..., Any]
    arguments: tuple[Any, ...] = ()


def closing(client: Any, steps: Steps[T]) -> Steps[T]:
    """``steps``, then ``client.close()`` however they end, as ``with client:`` would. (Steps
    being discarded — ``GeneratorExit`` — may not yield: then the client is left to its
    collector.)"""
    try:
        result = yield from steps
    except GeneratorExit:
        raise
    except BaseException:
        yield Invoke(client, "close")
        raise
    yield Invoke(client, "close")
    return result


def perform(effect: Any) -> Any:
    """Carry out one of the effects above, blocking."""
    match effect:
        case Invoke(client=client, operation=operation, arguments=arguments):
            return getattr(client, operation)(**arguments)
        case Collect(client=client, paginator=paginator, arguments=arguments):
            return list(getattr(client.paginators, paginator)(**arguments))
        case Pause(seconds=seconds):
            return time.sleep(seconds)
        case Offload(function=function, arguments=arguments):
            return function(*arguments)
        case _:
            raise TypeError(f"unknown effect {effect!r}")


async def aperform(effect: Any) -> Any:
    """Carry out one of the effects above, awaiting."""
    import asyncio  # here: blocking jobs should not pay for importing it

    match effect:
        case Invoke(client=client, operation=operation, arguments=arguments):
            return await getattr(client, operation)(**arguments)
        case Collect(client=client, paginator=paginator, arguments=arguments):
            pages = getattr(client.paginators, paginator)(**arguments)
            return [item async for item in pages]
        case Pause(seconds=seconds):
            return await asyncio.sleep(seconds)
        case Offload(function=function, arguments=arguments):
            return await asyncio.to_thread(function, *arguments)
        case _:
            raise TypeError(f"unknown effect {effect!r}")


def run_blocking(steps: Steps[T]) -> T:
    return drive(steps, perform)


async def run_awaiting(steps: Steps[T]) -> T:
    return await adrive(steps, aperform)


def blocking(
    steps: Callable[Concatenate[ECRClient, P], Steps[T]],
    name: str,
    module: str,
    run: Callable[[Steps[T]], T] = run_blocking,
) -> Callable[Concatenate[ECRClient, P], T]:
    """The blocking function ``module.name`` that runs ``steps`` with ``run``."""
    return blocking_clientless(steps, name, module, run)


def awaiting(
    steps: Callable[Concatenate[AsyncECRClient, P], Steps[T]],
    name: str,
    module: str,
    run: Callable[[Steps[T]], Awaitable[T]] = run_awaiting,
) -> Callable[Concatenate[AsyncECRClient, P], Coroutine[Any, Any, T]]:
    """The coroutine function ``module.name`` that runs ``steps`` with ``run``."""
    return awaiting_clientless(steps, name, module, run)


def blocking_clientless(
    steps: Callable[P, Steps[T]],
    name: str,
    module: str,
    run: Callable[[Steps[T]], T] = run_blocking,
) -> Callable[P, T]:
    """:func:`blocking` for steps with any parameters (a ``Client`` among them becomes
    ``ECRClient``)."""

    def job(*args: Any, **kwargs: Any) -> T:
        return run(steps(*args, **kwargs))

    published: Callable[P, T] = _published(job, steps, name, module, "ECRClient")
    return published


def awaiting_clientless(
    steps: Callable[P, Steps[T]],
    name: str,
    module: str,
    run: Callable[[Steps[T]], Awaitable[T]] = run_awaiting,
) -> Callable[P, Coroutine[Any, Any, T]]:
    """:func:`awaiting` for steps with any parameters (a ``Client`` among them becomes
    ``AsyncECRClient``)."""

    async def job(*args: Any, **kwargs: Any) -> T:
        return await run(steps(*args, **kwargs))

    published: Callable[P, Coroutine[Any, Any, T]] = _published(
        job, steps, name, module, "AsyncECRClient"
    )
    return published


def _published(job: Any, steps: Callable[..., Any], name: str, module: str, client: str) -> Any:
    """``job`` named, documented and signed as the public function it is."""
    signature = inspect.signature(steps)
    parameters = [
        parameter.replace(annotation=client) if parameter.annotation == "Client" else parameter
        for parameter in signature.parameters.values()
    ]
    returns = signature.return_annotation
    if isinstance(returns, str) and returns.startswith("Steps[") and returns.endswith("]"):
        returns = returns[len("Steps[") : -1]
    job.__signature__ = signature.replace(parameters=parameters, return_annotation=returns)
    job.__name__ = job.__qualname__ = name
    job.__module__ = module
    job.__doc__ = steps.__doc__
    return job
