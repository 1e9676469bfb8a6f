"""Typed waiters: ``client.waiters.image_scan_complete.wait(...)``.

A waiter polls its operation until an acceptor of the model says success or failure::

    result = client.waiters.image_scan_complete.wait(
        repository_name="web", image_id=ImageIdentifier(image_tag="v1"), max_wait=300
    )

Beyond the model's ``delay`` and ``max_attempts``: ``max_wait`` (a time budget in seconds),
``min_delay``/``max_delay`` (exponential backoff bounded by the remaining time) and
``retryable`` (a hook that may overrule the acceptors). Failure raises :class:`WaiterError`
with the reason, the attempts made and the last result or fault. The Java spelling works too:
``client.waiters().image_scan_complete().run(req)``. The classes live in the runtime; this
module names them.
"""

from __future__ import annotations

from ecrclient._core.waiting import Outcome, WaiterConfigError, WaiterError
from ecrclient._runtime.waiting import (
    AsyncECRWaiters,
    AsyncWaiter,
    ECRWaiters,
    WaitCall,
    Waiter,
    WaiterHandle,
)

__all__ = [
    "AsyncECRWaiters",
    "AsyncWaiter",
    "ECRWaiters",
    "Outcome",
    "WaitCall",
    "Waiter",
    "WaiterConfigError",
    "WaiterError",
    "WaiterHandle",
]
