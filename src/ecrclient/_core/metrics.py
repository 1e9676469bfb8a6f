"""Request metrics, as an interceptor: per call, the operation, each attempt, and how long
serialization, signing, each transmit, parsing and the whole call took.

Attach a collector with ``client.add_metric_collector(collector)`` (or ``with_options``); with
none attached nothing is measured. :class:`AggregatingCollector` keeps simple per-operation
aggregates; feeding OpenTelemetry or Prometheus is a ``collect`` method away (see the docs).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from typing import Any, Protocol

import attrs

from ecrclient._core.errors import ServiceError
from ecrclient._core.interceptors import Interceptor, InterceptorContext


@attrs.frozen(kw_only=True)
class AttemptMetrics:
    attempt: int
    signing: float
    """Seconds spent signing."""
    transmit: float
    """Seconds from handing the request to the transport until the response (or failure)."""
    parsing: float | None
    """Seconds spent parsing the response; ``None`` when the send failed."""
    status_code: int | None
    error_code: str | None


@attrs.frozen(kw_only=True)
class CallMetrics:
    operation: str
    attempts: tuple[AttemptMetrics, ...]
    serialization: float
    total: float
    """Seconds for the whole call, backoff included."""
    status_code: int | None
    """The last attempt's HTTP status (``None`` when no response came)."""
    error_code: str | None
    """The final error code, or the exception's class name, on failure."""


class MetricCollector(Protocol):
    def collect(self, metrics: CallMetrics) -> None: ...


def _error_code(error: BaseException | None) -> str | None:
    if error is None:
        return None
    if isinstance(error, ServiceError):
        return error.error_code
    return type(error).__name__


class MetricsInterceptor(Interceptor):
    """Times each phase of a call and hands a :class:`CallMetrics` to ``collector``."""

    def __init__(self, collector: MetricCollector, clock: Any = time.perf_counter) -> None:
        self.collector = collector
        self._clock = clock

    def _state(self, context: InterceptorContext) -> dict[str, Any]:
        key = f"metrics:{id(self)}"
        state: dict[str, Any] = context.attributes.setdefault(key, {"attempts": []})
        return state

    def _mark(self, context: InterceptorContext, name: str) -> None:
        self._state(context)[name] = self._clock()

    def read_before_execution(self, context: InterceptorContext) -> None:
        self._mark(context, "start")

    def read_before_serialization(self, context: InterceptorContext) -> None:
        self._mark(context, "serialize")

    def read_after_serialization(self, context: InterceptorContext) -> None:
        self._mark(context, "serialized")

    def read_before_signing(self, context: InterceptorContext) -> None:
        state = self._state(context)
        state.update(sign=self._clock(), transmit=None, received=None, parse=None, parsed=None)

    def read_after_signing(self, context: InterceptorContext) -> None:
        self._mark(context, "signed")

    def read_before_transmit(self, context: InterceptorContext) -> None:
        self._mark(context, "transmit")

    def read_after_transmit(self, context: InterceptorContext) -> None:
        self._mark(context, "received")

    def read_before_deserialization(self, context: InterceptorContext) -> None:
        self._mark(context, "parse")

    def read_after_deserialization(self, context: InterceptorContext) -> None:
        self._mark(context, "parsed")

    def read_after_attempt(self, context: InterceptorContext) -> None:
        state = self._state(context)
        now = self._clock()
        received = state.get("received") or now
        parse, parsed = state.get("parse"), state.get("parsed")
        response = context.http_response
        state["attempts"].append(
            AttemptMetrics(
                attempt=context.attempt,
                signing=state["signed"] - state["sign"],
                transmit=received - state["transmit"],
                parsing=(parsed - parse) if parse is not None and parsed is not None else None,
                status_code=response.status_code if response is not None else None,
                error_code=_error_code(context.error),
            )
        )

    def read_after_execution(self, context: InterceptorContext) -> None:
        state = self._state(context)
        attempts: list[AttemptMetrics] = state["attempts"]
        self.collector.collect(
            CallMetrics(
                operation=context.operation_name,
                attempts=tuple(attempts),
                serialization=state["serialized"] - state["serialize"],
                total=self._clock() - state["start"],
                status_code=attempts[-1].status_code if attempts else None,
                error_code=_error_code(context.error),
            )
        )


@attrs.define
class OperationStats:
    calls: int = 0
    errors: int = 0
    attempts: int = 0
    total_seconds: float = 0.0
    max_seconds: float = 0.0
    error_codes: dict[str, int] = attrs.field(factory=lambda: {})

    @property
    def mean_seconds(self) -> float:
        return self.total_seconds / self.calls if self.calls else 0.0


class AggregatingCollector:
    """Thread-safe per-operation counts and latencies; ``snapshot()`` copies them out."""

    def __init__(self) -> None:
        self._stats: dict[str, OperationStats] = {}
        self._lock = threading.Lock()

    def collect(self, metrics: CallMetrics) -> None:
        with self._lock:
            stats = self._stats.setdefault(metrics.operation, OperationStats())
            stats.calls += 1
            stats.attempts += len(metrics.attempts)
            stats.total_seconds += metrics.total
            stats.max_seconds = max(stats.max_seconds, metrics.total)
            if metrics.error_code is not None:
                stats.errors += 1
                stats.error_codes[metrics.error_code] = (
                    stats.error_codes.get(metrics.error_code, 0) + 1
                )

    def snapshot(self) -> Mapping[str, OperationStats]:
        with self._lock:
            return {
                name: attrs.evolve(stats, error_codes=dict(stats.error_codes))
                for name, stats in self._stats.items()
            }
