"""Progress accounting shared by every step of one call.

One meter per public call adds up the bytes of all its blobs, so parallel blobs report one
running total. A lock keeps the total consistent when the sync driver moves blobs on worker
threads; the callback runs while it is held, so calls arrive in the order the totals grew.
"""

from __future__ import annotations

import threading

from ecrclient.transfer._results import ProgressCallback


class ProgressMeter:
    def __init__(self, callback: ProgressCallback | None, total: int | None = None) -> None:
        self._callback = callback
        self._total = total
        self._done = 0
        self._lock = threading.Lock()

    @property
    def done(self) -> int:
        return self._done

    def add_to_total(self, size: int | None) -> None:
        """Count ``size`` more bytes to move; ``None`` makes the total unknown."""
        with self._lock:
            if size is None:
                self._total = None
            elif self._total is not None:
                self._total += size

    def set_total(self, total: int | None) -> None:
        with self._lock:
            self._total = total

    def advance(self, count: int) -> None:
        """``count`` bytes moved (negative when ECR asked for bytes again)."""
        if count == 0:
            return
        with self._lock:
            self._done += count
            if self._callback is not None:
                self._callback(self._done, self._total)
