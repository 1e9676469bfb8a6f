"""Request metrics: per-call timings handed to a collector (see ``add_metric_collector``)."""

from ecrclient._core.metrics import (
    AggregatingCollector,
    AttemptMetrics,
    CallMetrics,
    MetricCollector,
    MetricsInterceptor,
    OperationStats,
)

__all__ = [
    "AggregatingCollector",
    "AttemptMetrics",
    "CallMetrics",
    "MetricCollector",
    "MetricsInterceptor",
    "OperationStats",
]
