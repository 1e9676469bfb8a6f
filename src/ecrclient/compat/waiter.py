"""boto3-style waiters: ``client.get_waiter(name).wait(**kwargs, WaiterConfig=...)`` on the
shared :class:`~ecrclient._core.waiting.Poller`, raising botocore's ``WaiterError``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from ecrclient._core.waiting import Outcome, Poller, WaiterSpec

if TYPE_CHECKING:
    from ecrclient.compat.boto_client import ECRCompatClient


class _WaiterConfig:
    def __init__(self, spec: WaiterSpec) -> None:
        self.delay = spec.delay
        self.max_attempts = spec.max_attempts
        self.operation = spec.operation


class CompatWaiter:
    def __init__(self, client: ECRCompatClient, spec: WaiterSpec) -> None:
        from botocore import xform_name

        self._client = client
        self._spec = spec
        self._method = xform_name(spec.operation)
        self.name = spec.name
        self.config = _WaiterConfig(spec)

    def wait(self, **kwargs: Any) -> None:
        config = kwargs.pop("WaiterConfig", None) or {}
        poller = Poller(
            self._spec, delay=config.get("Delay"), max_attempts=config.get("MaxAttempts")
        )
        while True:
            try:
                response = self._client._call(self._method, dict(kwargs))
                status = response["ResponseMetadata"]["HTTPStatusCode"]
                outcome = Outcome.of_result(response, status_code=status, value=response)
            except ClientError as exc:
                error = exc.response.get("Error", {})
                outcome = Outcome.of_error(
                    error.get("Code", ""),
                    message=error.get("Message"),
                    status_code=exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode"),
                    value=exc.response,
                )
            decision = poller.accept(outcome)
            if decision.state == "retry":
                self._client.typed._pause(decision.delay)
                continue
            if decision.error is not None:
                raise decision.error
            return
