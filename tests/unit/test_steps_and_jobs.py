"""The step drivers (``_runtime/steps.py``) and the jobs' publishers and effects
(``_runtime/jobs.py``), on their own: steps are plain generators, the effects fake clients."""

from __future__ import annotations

import asyncio
import inspect
from typing import Any

import pytest

from ecrclient._runtime.jobs import (
    Client,
    Collect,
    Invoke,
    Pause,
    awaiting,
    blocking,
    closing,
    perform,
)
from ecrclient._runtime.steps import RUN, Steps, adrive, drive, run_or_pause


def _recovering() -> Steps[str]:
    try:
        yield "first"
    except ValueError as error:
        answer = yield f"recovered from {error}"
        return str(answer)
    return "no failure"


def test_drive_sends_results_and_throws_failures_in() -> None:
    seen: list[str] = []

    def perform_(effect: str) -> str:
        seen.append(effect)
        if effect == "first":
            raise ValueError("boom")
        return "done"

    assert drive(_recovering(), perform_) == "done"
    assert seen == ["first", "recovered from boom"]


def test_adrive_awaits_and_throws_the_same_way() -> None:
    async def perform_(effect: str) -> str:
        if effect == "first":
            raise ValueError("boom")
        return f"awaited {effect}"

    assert asyncio.run(adrive(_recovering(), perform_)) == "awaited recovered from boom"


def test_what_the_steps_do_not_catch_propagates_keyboard_interrupt_included() -> None:
    def interrupted(effect: str) -> str:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        drive(_recovering(), interrupted)


def test_run_or_pause_runs_the_operation_or_sleeps() -> None:
    calls: list[object] = []
    perform_ = run_or_pause(lambda: calls.append("run"), lambda seconds: calls.append(seconds))
    perform_(RUN)
    perform_(0.25)
    assert calls == ["run", 0.25]


class FakeClient:
    def __init__(self, fail: bool = False) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.fail = fail

    def describe_registry(self, **arguments: Any) -> str:
        self.calls.append(("describe_registry", arguments))
        if self.fail:
            raise RuntimeError("no registry")
        return "registry"

    def close(self) -> None:
        self.calls.append(("close", {}))


def _one(effect: Any) -> Steps[Any]:
    result = yield effect
    return result


def test_closing_closes_after_success_and_after_failure() -> None:
    client = FakeClient()
    assert drive(closing(client, _one(Invoke(client, "describe_registry"))), perform) == "registry"
    assert [name for name, _ in client.calls] == ["describe_registry", "close"]

    failing = FakeClient(fail=True)
    with pytest.raises(RuntimeError, match="no registry"):
        drive(closing(failing, _one(Invoke(failing, "describe_registry"))), perform)
    assert [name for name, _ in failing.calls] == ["describe_registry", "close"]


def test_closing_yields_nothing_while_being_discarded() -> None:
    client = FakeClient()
    steps = closing(client, _one(Invoke(client, "describe_registry")))
    assert isinstance(next(steps), Invoke)
    steps.close()  # would raise RuntimeError had it yielded the close under GeneratorExit
    assert client.calls == []


def test_perform_carries_out_invoke_collect_and_pause(monkeypatch: pytest.MonkeyPatch) -> None:
    client = FakeClient()
    assert perform(Invoke(client, "describe_registry", {"x": 1})) == "registry"
    assert client.calls == [("describe_registry", {"x": 1})]

    class Paged:
        class paginators:
            @staticmethod
            def describe_images(**arguments: Any) -> list[int]:
                return [1, 2, arguments["n"]]

    assert perform(Collect(Paged(), "describe_images", {"n": 3})) == [1, 2, 3]
    slept: list[float] = []
    monkeypatch.setattr("ecrclient._runtime.jobs.time.sleep", slept.append)
    perform(Pause(0.5))
    assert slept == [0.5]
    with pytest.raises(TypeError, match="unknown effect"):
        perform("not an effect")


def _lookup_steps(ecr: Client, name: str, *, extra: int = 2) -> Steps[str]:
    """Look ``name`` up."""
    found = yield Invoke(ecr, "describe_registry", {"name": name, "extra": extra})
    return f"{found}:{name}"


lookup = blocking(_lookup_steps, "lookup", __name__)
lookup_async = awaiting(_lookup_steps, "lookup_async", __name__)


def test_publishers_name_sign_and_document_each_flavour() -> None:
    assert (lookup.__name__, lookup_async.__name__) == ("lookup", "lookup_async")
    assert lookup.__module__ == lookup_async.__module__ == __name__
    assert lookup.__doc__ == lookup_async.__doc__ == "Look ``name`` up."
    sync_signature, async_signature = inspect.signature(lookup), inspect.signature(lookup_async)
    assert sync_signature.parameters["ecr"].annotation == "ECRClient"
    assert async_signature.parameters["ecr"].annotation == "AsyncECRClient"
    assert sync_signature.return_annotation == async_signature.return_annotation == "str"
    assert list(sync_signature.parameters) == ["ecr", "name", "extra"]
    assert inspect.iscoroutinefunction(lookup_async)
    assert not inspect.iscoroutinefunction(lookup)


def test_published_functions_run_the_steps() -> None:
    client = FakeClient()
    assert lookup(client, "web", extra=5) == "registry:web"  # type: ignore[arg-type]
    assert client.calls == [("describe_registry", {"name": "web", "extra": 5})]

    class AsyncClient:
        async def describe_registry(self, **arguments: Any) -> str:
            return f"async {arguments['extra']}"

    answer = asyncio.run(lookup_async(AsyncClient(), "web"))  # type: ignore[arg-type]
    assert answer == "async 2:web"
