"""boto3-style waiters: ``client.get_waiter(name).wait(**kwargs, WaiterConfig=...)`` on the
shared :class:`~ecrclient._core.waiting.Poller`, raising botocore's ``WaiterError``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from ecrclient._core.waiting import Outcome, Poller, WaiterConfigError, WaiterSpec
from ecrclient._runtime.polling import poll_steps
from ecrclient._runtime.seam import seam_of
from ecrclient._runtime.steps import Steps, adrive, drive, run_or_pause

if TYPE_CHECKING:

    def xform_name(name: str) -> str:
        """botocore's ``xform_name`` (``DescribeImages`` -> ``describe_images``), which
        botocore leaves unannotated; declared here with the types it is used with."""
        ...

else:
    from botocore import xform_name


class _WaiterConfig:
    def __init__(self, spec: WaiterSpec) -> None:
        self.delay = spec.delay
        self.max_attempts = spec.max_attempts
        self.operation = spec.operation


def _error_response(error: ClientError) -> dict[str, Any]:
    """``error.response``, boto3's error dict (botocore leaves it unannotated)."""
    response: dict[str, Any] = error.response
    return response


def _outcome(response: Any = None, error: ClientError | None = None) -> Outcome:
    if error is not None:
        error_response = _error_response(error)
        details: dict[str, Any] = error_response.get("Error", {})
        metadata: dict[str, Any] = error_response.get("ResponseMetadata", {})
        return Outcome.of_error(
            details.get("Code", ""),
            message=details.get("Message"),
            status_code=metadata.get("HTTPStatusCode"),
            value=error_response,
        )
    status = response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    return Outcome.of_result(response, status_code=status, value=response)


class CompatWaiter:
    def __init__(self, client: Any, spec: WaiterSpec) -> None:
        self._client = client
        self._spec = spec
        self._method = xform_name(spec.operation)
        self.name = spec.name
        self.config = _WaiterConfig(spec)

    def _plan(self, kwargs: dict[str, Any]) -> tuple[Steps[None], Any]:
        """The poll loop's steps and what carries out their effects (``WaiterConfig`` is checked
        before any polling)."""
        config: Mapping[str, Any] = kwargs.pop("WaiterConfig", None) or {}
        for key in ("Delay", "MaxAttempts"):
            if key in config and config[key] is None:
                raise WaiterConfigError(f"WaiterConfig {key} must be a number, not None")
        poller = Poller(
            self._spec, delay=config.get("Delay"), max_attempts=config.get("MaxAttempts")
        )
        steps: Steps[None] = poll_steps(poller, _outcome, ClientError)

        def poll() -> Any:  # a fresh copy each time: a call's handlers may change its params
            return self._client._call(self._method, dict(kwargs))

        return steps, run_or_pause(poll, seam_of(self._client.typed).sleep)

    def wait(self, **kwargs: Any) -> None:
        drive(*self._plan(kwargs))


class AsyncCompatWaiter(CompatWaiter):
    """aiobotocore's waiter: ``await waiter.wait(**kwargs, WaiterConfig=...)``."""

    async def wait(self, **kwargs: Any) -> None:  # type: ignore[override]
        await adrive(*self._plan(kwargs))
