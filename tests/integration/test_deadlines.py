"""The call's ``total_deadline`` is a wall-clock bound on the whole call, whatever the time goes
to: backoff, adaptive mode's client-side rate limit, or attempts.

Real sleeps against the loopback :class:`faultserver.FaultServer`, on every client kind.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from blocking import CLIENT_KINDS, make_client
from faultserver import FaultServer, Throttle

from ecrclient import ClientConfig
from ecrclient.errors import AmazonECRException, DeadlineExceededError

TOLERANCE = 0.5
"""Seconds a call may run past its deadline: one scheduling slice and a loopback answer."""


@pytest.fixture
def throttling_server() -> Iterator[FaultServer]:
    with FaultServer(default=Throttle()) as server:
        yield server


@pytest.mark.parametrize("kind", CLIENT_KINDS)
def test_adaptive_rate_limit_never_waits_past_the_deadline(
    throttling_server: FaultServer, kind: str
) -> None:
    deadline = 3.0
    with make_client(
        kind,
        region_name="us-east-1",
        endpoint_url=throttling_server.url,
        aws_access_key_id="AKID",
        aws_secret_access_key="secret",
        config=ClientConfig(retry_mode="adaptive", max_attempts=50, total_deadline=deadline),
    ) as client:
        for _ in range(4):  # the limiter's rate stays low across calls: each must still stop
            started = time.monotonic()
            with pytest.raises((DeadlineExceededError, AmazonECRException)):
                client.describe_registry()
            assert time.monotonic() - started < deadline + TOLERANCE
