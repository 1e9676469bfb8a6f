"""ecrclient against boto3 and aiobotocore, in one interleaved run: ``nox -s bench``.

Every client talks to the same canned-response server (:mod:`canned_server`, in its own
process). Within a round every client runs its block once, in an order that rotates from round
to round (A B C, B C A, ...), and each client's number is divided by the anchor's number *from
the same round*; the table shows the median of those paired ratios and their range. A second
boto3 client (the control row) is measured as if it were another contender: its ratio to boto3
shows how much of a difference is noise.

Workloads (see benchmarks/README.md for how to read them):

* ``startup``: a fresh interpreter imports the library, creates one client and makes its first
  DescribeRepositories call (wall time of the subprocess, and its peak RSS); another creates 20
  clients, each making one call (peak RSS, and KiB per extra client).
* ``repos1``, ``repos100``, ``images100``: CPU time (``time.process_time`` of this process) per
  sequential call: DescribeRepositories answering 1 or 100 repositories, DescribeImages answering
  100 images.
* ``paging``: CPU time to read 10 pages of 100 images through each client's paginator.
* ``concurrency``: 1000 DescribeRepositories calls with 50 in flight (50 threads sharing one
  client for the sync clients, 50 tasks for the async ones): requests per second and CPU per
  request.

Writes ``benchmarks/results/latest.json`` (every sample) and ``latest.md`` (the tables).
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import gc
import hashlib
import importlib.util
import itertools
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any, TypeVar

import bodies
from canned_server import CannedServer
from clients import (
    KINDS,
    Kind,
    summarize_dict_images,
    summarize_dict_repositories,
)
from common import PAGE_COUNT

HERE = Path(__file__).resolve().parent
WORKLOADS = ("startup", "repos1", "repos100", "images100", "paging", "concurrency")
RSS_CLIENTS = 20
CONCURRENCY_CLIENTS = (
    "boto3",
    "boto3-control",
    "typed",
    "typed-httpx",
    "compat",
    "httpx-raw",
    "urllib3-raw",
    "aiobotocore",
    "async-httpx",
    "async-aiohttp",
    "aio-compat",
    "aiohttp-raw",
)
"""The concurrency workload's default rows. The raw httpx async floor rides on httpx's async
connection pool, which slows to ~100 req/s with 50 requests in flight (encode/httpx#3215):
1000 calls then take ~10 s per row and round, so it runs only when ``--concurrency-clients``
names it (``async-httpx``, the async client with ``transport="httpx"``, is kept as a row)."""

DEFAULTS: dict[str, Any] = {
    "rounds": 9,
    "block_seconds": 0.2,
    "startup_rounds": 5,
    "rss_rounds": 3,
    "concurrency_rounds": 5,
    "requests": 1000,
    "in_flight": 50,
}
QUICK: dict[str, Any] = {
    "rounds": 3,
    "block_seconds": 0.05,
    "startup_rounds": 2,
    "rss_rounds": 1,
    "concurrency_rounds": 2,
    "requests": 300,
    "in_flight": 50,
}


T = TypeVar("T")


class BenchmarkError(RuntimeError):
    """A client failed, answered wrongly, or the server saw other requests than expected."""


# ---------------------------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    unit: str
    lower_is_better: bool = True
    digits: int = 1
    in_table: bool = True


@dataclass
class Workload:
    key: str
    title: str
    metrics: list[Metric]
    clients: list[str]
    settings: dict[str, Any] = field(default_factory=dict)
    samples: dict[str, dict[str, list[float]]] = field(default_factory=dict)
    """metric -> client -> one value per round (index = round, so rounds pair up)."""

    def add(self, metric: str, client: str, value: float) -> None:
        self.samples.setdefault(metric, {}).setdefault(client, []).append(value)

    def values(self, metric: str, client: str) -> list[float]:
        return self.samples.get(metric, {}).get(client, [])

    def ratios(self, metric: str, client: str, anchor: str) -> list[float]:
        """``client / anchor`` for each round both were measured in."""
        values, anchors = self.values(metric, client), self.values(metric, anchor)
        return [value / base for value, base in zip(values, anchors, strict=False) if base]


@dataclass(frozen=True)
class Target:
    workload: str
    metric: str
    op: str  # "<=" or ">="
    threshold: float
    anchor: str | None
    """The ratio's denominator; ``None`` for an absolute threshold in the metric's unit."""
    clients: tuple[str, ...]

    def describe(self, unit: str) -> str:
        op = "≤" if self.op == "<=" else "≥"
        if self.anchor is None:
            return f"{op} {self.threshold:g} {unit}"
        return f"{op} {self.threshold:.2f}x {self.anchor}"

    def value(self, workload: Workload, client: str) -> float | None:
        if self.anchor is None:
            values = workload.values(self.metric, client)
        else:
            values = workload.ratios(self.metric, client, self.anchor)
        return statistics.median(values) if values else None

    def met(self, value: float) -> bool:
        return value <= self.threshold if self.op == "<=" else value >= self.threshold


SYNC_ECRCLIENT = ("typed", "compat")
TARGETS = [
    Target("repos1", "cpu", "<=", 0.65, "boto3", SYNC_ECRCLIENT),
    Target("repos100", "cpu", "<=", 0.33, "boto3", SYNC_ECRCLIENT),
    Target("images100", "cpu", "<=", 0.27, "boto3", SYNC_ECRCLIENT),
    Target("paging", "cpu", "<=", 0.30, "boto3", SYNC_ECRCLIENT),
    Target("startup", "wall", "<=", 0.75, "boto3", SYNC_ECRCLIENT),
    Target("rss", "rss20", "<=", 0.80, "boto3", SYNC_ECRCLIENT),
    Target("rss", "per_client", "<=", 50.0, None, SYNC_ECRCLIENT),
    Target("concurrency", "rps", ">=", 1.3, "boto3", SYNC_ECRCLIENT),
]
ASYNC_DEFAULT = ("async-aiohttp",)
"""``AsyncECRClient()`` as constructed by default (aiohttp, a dependency of the package, so a
plain ``pip install ecrclient`` gets it too)."""
ASYNC_CONCURRENCY = ("concurrency", "rps", ">=", 1.5, "aiobotocore", ASYNC_DEFAULT)
ASYNC_STARTUP = ("startup", "wall", "<=", 1.0, "boto3", ASYNC_DEFAULT)
TARGETS += [Target(*ASYNC_CONCURRENCY), Target(*ASYNC_STARTUP)]


@dataclass(frozen=True)
class Goal:
    """One line of the goals table: a :class:`Target` for one client, named for people."""

    name: str
    target: Target


ASYNC_GOALS = [
    Goal("async default, 50 in flight", Target(*ASYNC_CONCURRENCY)),
    Goal("async default, cold start", Target(*ASYNC_STARTUP)),
]
"""``AsyncECRClient()`` as a user constructs it (aiohttp; a plain install has it)."""

GOALS = [
    Goal("sync typed, n=1", Target("repos1", "cpu", "<=", 0.50, "boto3", ("typed",))),
    Goal(
        "sync typed, 100 repositories", Target("repos100", "cpu", "<=", 0.30, "boto3", ("typed",))
    ),
    Goal("sync typed, 100 images", Target("images100", "cpu", "<=", 0.22, "boto3", ("typed",))),
    Goal("sync typed, 10x100 paging", Target("paging", "cpu", "<=", 0.22, "boto3", ("typed",))),
    Goal("sync typed, cold start", Target("startup", "wall", "<=", 0.70, "boto3", ("typed",))),
    Goal("sync typed, 50 threads", Target("concurrency", "rps", ">=", 1.6, "boto3", ("typed",))),
    *ASYNC_GOALS,
]
"""The goals the end-of-run table checks; add a row here to check another."""


# ---------------------------------------------------------------------------------------------
# The environment every client sees
# ---------------------------------------------------------------------------------------------


def sanitize_environment(scratch: Path) -> None:
    """No AWS settings, profiles, proxies or instance metadata: every client gets only what
    the benchmark passes it. Applied to this process and inherited by the children.

    The config and credentials files point at paths that do not exist (``scratch`` is a fresh
    temporary folder); not at ``/dev/null``, which ecrclient's profile reader rejects.
    """
    for name in list(os.environ):
        upper = name.upper()
        if upper.startswith("AWS_") or upper in {"HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"}:
            del os.environ[name]
    os.environ["AWS_CONFIG_FILE"] = str(scratch / "no-aws-config")
    os.environ["AWS_SHARED_CREDENTIALS_FILE"] = str(scratch / "no-aws-credentials")
    os.environ["AWS_EC2_METADATA_DISABLED"] = "true"
    os.environ["NO_PROXY"] = "127.0.0.1,localhost"


def child_environment(pycache: Path) -> dict[str, str]:
    """The children's environment: bytecode is cached (in ``pycache``, not the source tree), as
    for any installed package, even where ``PYTHONDONTWRITEBYTECODE`` is set; otherwise every
    fresh interpreter would compile the editable ecrclient from source."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(pycache)
    return env


# ---------------------------------------------------------------------------------------------
# The harness: clients, event loop, and the server's request count as a witness
# ---------------------------------------------------------------------------------------------


class Harness:
    def __init__(self, server: CannedServer, kinds: list[str], args: argparse.Namespace) -> None:
        self.server = server
        self.kinds = kinds
        self.args = args
        self.loop = asyncio.new_event_loop()
        self.adapters: dict[str, Any] = {}
        self.incidents: list[str] = []
        self._seen = server.stats()

    def open_clients(self) -> None:
        for key in self.kinds:
            kind = KINDS[key]
            adapter = kind.factory(self.server.url)
            if kind.is_async:
                self.loop.run_until_complete(adapter.open())
            self.adapters[key] = adapter

    def close(self) -> None:
        for key, adapter in self.adapters.items():
            if KINDS[key].is_async:
                self.loop.run_until_complete(adapter.close())
            else:
                adapter.close()
        self.adapters.clear()
        self.loop.close()

    def call(self, key: str, method: str, args: tuple[Any, ...]) -> Any:
        """One call, for checking an answer."""
        result = getattr(self.adapters[key], method)(*args)
        return self.loop.run_until_complete(result) if KINDS[key].is_async else result

    def expect_requests(self, requests: int, what: str) -> None:
        """Fail unless the server answered exactly ``requests`` requests, none with an error,
        since the last check: no client can win by failing fast, caching or skipping pages."""
        stats = self.server.stats()
        answered = stats["requests"] - self._seen["requests"]
        errors = stats["errors"] - self._seen["errors"]
        self._seen = stats
        if answered != requests or errors:
            raise BenchmarkError(
                f"{what}: the server answered {answered} requests ({errors} errors), "
                f"expected {requests}"
            )

    def resync(self) -> None:
        self._seen = self.server.stats()

    def measure(self, what: str, block: Callable[[], T], requests: int) -> T:
        """Run one measured block and check the server's count. A block that fails is run once
        more, and the failure is kept as an incident for the report; a second failure ends the
        run. (Answers are checked outside, never retried.)"""
        try:
            result = block()
            self.expect_requests(requests, what)
            return result
        except Exception as exc:
            incident = f"{what}: {type(exc).__name__}: {exc}"
            self.incidents.append(incident)
            progress(f"INCIDENT (the block runs once more): {incident}")
            self.resync()
        result = block()
        self.expect_requests(requests, what)
        return result


def rotated(items: Sequence[str], shift: int) -> list[str]:
    shift %= len(items)
    return [*items[shift:], *items[:shift]]


_STARTED = time.perf_counter()


def progress(message: str) -> None:
    print(f"[{time.perf_counter() - _STARTED:6.1f} s] {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------
# Startup: cold start and peak RSS, one fresh interpreter per measurement
# ---------------------------------------------------------------------------------------------


def run_child(
    harness: Harness, env: dict[str, str], key: str, clients: int
) -> tuple[float, dict[str, Any]]:
    command = [sys.executable, str(HERE / "worker.py"), key, harness.server.url, str(clients)]

    def child() -> tuple[float, dict[str, Any]]:
        started = time.perf_counter()
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
        wall = time.perf_counter() - started
        if done.returncode != 0:
            raise BenchmarkError(f"the child failed ({done.returncode}):\n{done.stderr}")
        report: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
        return wall, report

    return harness.measure(f"{key} startup child, {clients} client(s)", child, clients)


def run_startup(harness: Harness, env: dict[str, str]) -> list[Workload]:
    args, kinds = harness.args, harness.kinds
    rounds = max(args.startup_rounds, args.rss_rounds)
    cold = Workload(
        "startup",
        "Cold start: fresh interpreter, import + create client + first DescribeRepositories",
        [
            Metric("wall", "subprocess wall time", "ms", digits=0),
            Metric("first_call", "script start to first answer", "ms", digits=0),
        ],
        kinds,
        {"rounds": rounds},
    )
    rss = Workload(
        "rss",
        f"Peak RSS: fresh interpreter with 1 and with {RSS_CLIENTS} clients (one call each)",
        [
            Metric("rss1", "peak RSS, 1 client", "MiB"),
            Metric("rss20", f"peak RSS, {RSS_CLIENTS} clients", "MiB"),
            Metric("per_client", "per extra client", "KiB", digits=0),
        ],
        kinds,
        {"rounds_1_client": rounds, f"rounds_{RSS_CLIENTS}_clients": args.rss_rounds},
    )
    progress(f"startup: warming up {len(kinds)} clients (bytecode cache, page cache)")
    for key in kinds:
        run_child(harness, env, key, 1)
    for round_index in range(rounds):
        progress(f"startup: round {round_index + 1}/{rounds}")
        for key in rotated(kinds, round_index):
            wall, one = run_child(harness, env, key, 1)
            cold.add("wall", key, wall * 1000)
            cold.add("first_call", key, one["first_call_s"] * 1000)
            rss.add("rss1", key, one["maxrss_kib"] / 1024)
            if round_index < args.rss_rounds:
                _, many = run_child(harness, env, key, RSS_CLIENTS)
                rss.add("rss20", key, many["maxrss_kib"] / 1024)
                extra = (many["maxrss_kib"] - one["maxrss_kib"]) / (RSS_CLIENTS - 1)
                rss.add("per_client", key, extra)
    return [cold, rss]


# ---------------------------------------------------------------------------------------------
# CPU per call: sequential calls in this process
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CallSpec:
    key: str
    title: str
    method: str
    args: tuple[Any, ...]
    requests_per_call: int
    unit: str
    scale: float
    """Seconds to ``unit``."""


CALL_SPECS = [
    CallSpec(
        "repos1",
        "CPU per call: DescribeRepositories answering 1 repository",
        "describe_repositories",
        (1,),
        1,
        "µs",
        1e6,
    ),
    CallSpec(
        "repos100",
        "CPU per call: DescribeRepositories answering 100 repositories",
        "describe_repositories",
        (100,),
        1,
        "µs",
        1e6,
    ),
    CallSpec(
        "images100",
        "CPU per call: DescribeImages answering 100 images",
        "describe_images",
        (100,),
        1,
        "µs",
        1e6,
    ),
    CallSpec(
        "paging",
        f"CPU per pagination: DescribeImages, {PAGE_COUNT} pages x 100 images (paginator)",
        "image_pages",
        (),
        PAGE_COUNT,
        "ms",
        1e3,
    ),
]


def expected_answer(spec: CallSpec) -> list[Any]:
    if spec.method == "describe_repositories":
        return summarize_dict_repositories(bodies.repositories_body(spec.args[0]), sdk=False)
    if spec.method == "describe_images":
        return summarize_dict_images([bodies.images_body(spec.args[0])], sdk=False)
    pages = [bodies.paged_images_body(page) for page in range(PAGE_COUNT)]
    return summarize_dict_images(pages, sdk=False)


def check_answer(harness: Harness, key: str, spec: CallSpec, expected: list[Any]) -> None:
    adapter = harness.adapters[key]
    answer = harness.call(key, spec.method, spec.args)
    if spec.method == "describe_repositories":
        got = adapter.summarize_repositories(answer)
    elif spec.method == "describe_images":
        got = adapter.summarize_images([answer])
    else:
        got = adapter.summarize_images(answer)
    if got != expected:
        wrong = next(
            (index for index, (a, b) in enumerate(zip(got, expected, strict=False)) if a != b),
            len(got),
        )
        raise BenchmarkError(
            f"{key}: wrong answer to {spec.key} ({len(got)} items, {len(expected)} expected; "
            f"first difference at item {wrong})"
        )


def _sync_calls(call: Callable[[], Any], calls: int) -> tuple[float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(calls):
        call()
    return time.process_time() - cpu, time.perf_counter() - wall


async def _async_calls(call: Callable[[], Any], calls: int) -> tuple[float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(calls):
        await call()
    return time.process_time() - cpu, time.perf_counter() - wall


def timed_calls(harness: Harness, key: str, spec: CallSpec, calls: int) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of ``calls`` sequential calls."""
    call = functools.partial(getattr(harness.adapters[key], spec.method), *spec.args)
    gc.collect()
    if KINDS[key].is_async:
        return harness.loop.run_until_complete(_async_calls(call, calls))
    return _sync_calls(call, calls)


def calibrate(harness: Harness, spec: CallSpec) -> int:
    """Calls per block: about ``--block-seconds`` of boto3's CPU time (measured over at least
    0.1 s, or the block length if shorter)."""
    block: float = harness.args.block_seconds
    calls = 1
    while (cpu := timed_calls(harness, "boto3", spec, calls)[0]) < min(0.1, block):
        calls *= 2
    return max(2, math.ceil(block / (cpu / calls)))


def run_calls(harness: Harness, spec: CallSpec) -> Workload:
    kinds, rounds = harness.kinds, harness.args.rounds
    expected = expected_answer(spec)
    for key in kinds:
        check_answer(harness, key, spec, expected)
        timed_calls(harness, key, spec, 3)  # warm up: lazy imports, pools, caches
    calls = calibrate(harness, spec)
    workload = Workload(
        spec.key,
        spec.title,
        [
            Metric("cpu", "CPU time per call", spec.unit),
            Metric("wall", "wall time per call", spec.unit, in_table=False),
        ],
        kinds,
        {"rounds": rounds, "calls_per_block": calls},
    )
    harness.resync()
    for round_index in range(rounds):
        progress(f"{spec.key}: round {round_index + 1}/{rounds} ({calls} calls per client)")
        for key in rotated(kinds, round_index):
            cpu, wall = harness.measure(
                f"{key} {spec.key} round {round_index + 1}",
                functools.partial(timed_calls, harness, key, spec, calls),
                calls * spec.requests_per_call,
            )
            workload.add("cpu", key, cpu / calls * spec.scale)
            workload.add("wall", key, wall / calls * spec.scale)
    return workload


# ---------------------------------------------------------------------------------------------
# Concurrency: N calls with M in flight
# ---------------------------------------------------------------------------------------------


def _threads(call: Callable[[], Any], total: int, in_flight: int) -> tuple[float, float]:
    counter = itertools.count()  # next() on it is atomic under the GIL
    failures: list[BaseException] = []

    def worker() -> None:
        try:
            while next(counter) < total:
                call()
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(in_flight)]
    cpu, wall = time.process_time(), time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    if failures:
        raise failures[0]
    return cpu, wall


async def _tasks(call: Callable[[], Any], total: int, in_flight: int) -> tuple[float, float]:
    counter = itertools.count()

    async def worker() -> None:
        while next(counter) < total:
            await call()

    cpu, wall = time.process_time(), time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(in_flight)))
    return time.process_time() - cpu, time.perf_counter() - wall


def concurrent_calls(harness: Harness, key: str, total: int) -> tuple[float, float]:
    adapter, in_flight = harness.adapters[key], harness.args.in_flight
    call = functools.partial(adapter.describe_repositories, 1)
    gc.collect()
    if KINDS[key].is_async:
        return harness.loop.run_until_complete(_tasks(call, total, in_flight))
    return _threads(call, total, in_flight)


def run_concurrency(harness: Harness) -> Workload:
    args = harness.args
    kinds = [key for key in harness.kinds if key in args.concurrency_clients]
    spec = CALL_SPECS[0]
    expected = expected_answer(spec)
    for key in kinds:
        check_answer(harness, key, spec, expected)
        concurrent_calls(harness, key, 2 * args.in_flight)  # open the connections
    workload = Workload(
        "concurrency",
        f"{args.requests} DescribeRepositories calls, {args.in_flight} in flight "
        "(threads sharing one client for sync clients, asyncio tasks for async ones)",
        [
            Metric("rps", "requests per second", "req/s", lower_is_better=False, digits=0),
            Metric("cpu", "CPU time per request", "µs"),
        ],
        kinds,
        {
            "rounds": args.concurrency_rounds,
            "requests": args.requests,
            "in_flight": args.in_flight,
        },
    )
    harness.resync()
    for round_index in range(args.concurrency_rounds):
        progress(f"concurrency: round {round_index + 1}/{args.concurrency_rounds}")
        for key in rotated(kinds, round_index):
            cpu, wall = harness.measure(
                f"{key} concurrency round {round_index + 1}",
                functools.partial(concurrent_calls, harness, key, args.requests),
                args.requests,
            )
            workload.add("rps", key, args.requests / wall)
            workload.add("cpu", key, cpu / args.requests * 1e6)
    return workload


# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------


def _ratio_cell(ratios: list[float], own: bool) -> str:
    if own:
        return "1.00x"
    if not ratios:
        return "—"
    median = statistics.median(ratios)
    return f"{median:.2f}x ({min(ratios):.2f}-{max(ratios):.2f})"


def _target_cell(workload: Workload, metric: Metric, key: str) -> str:
    cells = []
    for target in TARGETS:
        if target.workload != workload.key or target.metric != metric.key:
            continue
        if key not in target.clients:
            continue
        value = target.value(workload, key)
        if value is None:
            continue
        verdict = "met" if target.met(value) else "NOT MET"
        cells.append(f"{target.describe(metric.unit)}: {verdict}")
    return "; ".join(cells)


def table_rows(workload: Workload, metric: Metric) -> list[list[str]]:
    header = [
        "client",
        f"median {metric.unit}",
        "range",
        "vs boto3 (range)",
        "vs aiobotocore (range)",
        "target",
    ]
    rows = [header]
    for key in workload.clients:
        values = workload.values(metric.key, key)
        if not values:
            continue
        kind: Kind = KINDS[key]
        digits = metric.digits
        versus_boto3 = _ratio_cell(workload.ratios(metric.key, key, "boto3"), key == "boto3")
        versus_aio = (
            _ratio_cell(workload.ratios(metric.key, key, "aiobotocore"), key == "aiobotocore")
            if kind.is_async
            else ""
        )
        rows.append(
            [
                kind.label,
                f"{statistics.median(values):,.{digits}f}",
                f"{min(values):,.{digits}f}-{max(values):,.{digits}f}",
                versus_boto3,
                versus_aio,
                _target_cell(workload, metric, key),
            ]
        )
    return rows


def _heading(workload: Workload, metric: Metric) -> str:
    better = "lower" if metric.lower_is_better else "higher"
    settings = ", ".join(f"{name} {value}" for name, value in workload.settings.items())
    return f"{workload.title}\n{metric.label} ({metric.unit}, {better} is better; {settings})"


def text_table(rows: list[list[str]]) -> str:
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    lines = []
    for index, row in enumerate(rows):
        cells = [
            cell.ljust(width) if column == 0 or column == len(row) - 1 else cell.rjust(width)
            for column, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
        if index == 0:
            lines.append("  ".join("-" * width for width in widths))
    return "\n".join(lines)


def markdown_table(rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(rows[0]) + " |"]
    last = len(rows[0]) - 1
    lines.append("|" + "|".join("---" if i in (0, last) else "---:" for i in range(last + 1)) + "|")
    lines += ["| " + " | ".join(row) + " |" for row in rows[1:]]
    return "\n".join(lines)


def target_results(workloads: dict[str, Workload]) -> list[dict[str, Any]]:
    results = []
    for target in TARGETS:
        workload = workloads.get(target.workload)
        if workload is None:
            continue
        metric = next(m for m in workload.metrics if m.key == target.metric)
        for key in target.clients:
            value = target.value(workload, key)
            if value is None:
                continue
            results.append(
                {
                    "workload": target.workload,
                    "metric": target.metric,
                    "client": key,
                    "target": target.describe(metric.unit),
                    "anchor": target.anchor,
                    "value": value,
                    "met": target.met(value),
                }
            )
    return results


def summary_lines(workloads: dict[str, Workload], targets: list[dict[str, Any]]) -> list[str]:
    lines = ["Targets (median of paired ratios; absolute for KiB per extra client):"]
    for result in targets:
        workload = workloads[result["workload"]]
        metric = next(m for m in workload.metrics if m.key == result["metric"])
        value = result["value"]
        shown = f"{value:.2f}x" if result["anchor"] else f"{value:.0f} {metric.unit}"
        verdict = "met" if result["met"] else "NOT MET"
        lines.append(
            f"  [{verdict:>7}] {KINDS[result['client']].label:<26} {workload.key:<12} "
            f"{metric.label}: {shown} (target {result['target']})"
        )
    lines.append("Noise (boto3 control / boto3, median and range of paired ratios):")
    for workload in workloads.values():
        for metric in workload.metrics:
            ratios = workload.ratios(metric.key, "boto3-control", "boto3")
            if metric.in_table and ratios:
                lines.append(
                    f"  {workload.key:<12} {metric.label:<28} {_ratio_cell(ratios, False)}"
                )
    return lines


def goal_lines(workloads: dict[str, Workload]) -> list[str]:
    """The goals table: each goal's measured median paired ratio and verdict, beside the A/A
    control (boto3 control / boto3) of the same workload, which says how much is noise."""
    rows = [["goal", "client", "measured", "target", "verdict", "A/A control"]]
    for goal in GOALS:
        target = goal.target
        workload = workloads.get(target.workload)
        if workload is None:
            continue
        metric = next(m for m in workload.metrics if m.key == target.metric)
        control = workload.ratios(metric.key, "boto3-control", "boto3")
        for key in target.clients:
            value = target.value(workload, key)
            rows.append(
                [
                    goal.name,
                    KINDS[key].label,
                    "—" if value is None else f"{value:.3f}x",
                    target.describe(metric.unit),
                    "—" if value is None else ("met" if target.met(value) else "not met"),
                    _ratio_cell(control, False),
                ]
            )
    if len(rows) == 1:
        return []
    return ["Goals (median of paired ratios):", text_table(rows)]


def snapshot_source(scratch: Path) -> Path:
    """Copy the ecrclient package into ``scratch`` and put the copy first on the import path of
    this process and of the children, so the whole run measures the source as it was when the
    run started, even while someone goes on editing it. Returns the original folder."""
    if "ecrclient" in sys.modules:
        raise BenchmarkError("ecrclient was imported before its snapshot was taken")
    spec = importlib.util.find_spec("ecrclient")
    if spec is None or not spec.submodule_search_locations:
        raise BenchmarkError("ecrclient is not installed in this environment")
    original = Path(next(iter(spec.submodule_search_locations)))
    root = scratch / "snapshot"
    shutil.copytree(original, root / "ecrclient", ignore=shutil.ignore_patterns("__pycache__"))
    sys.path.insert(0, str(root))
    paths = [str(root), os.environ.get("PYTHONPATH", "")]
    os.environ["PYTHONPATH"] = os.pathsep.join(path for path in paths if path)
    return original


def source_fingerprint(package: Path) -> str:
    """A digest of the package's file names, sizes and modification times."""
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        stat = path.stat()
        digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:16]


def git_state() -> str | None:
    """The short commit, with ``+changes`` when the working tree differs from it."""

    def git(*command: str) -> str:
        return subprocess.run(
            ["git", *command], cwd=HERE, capture_output=True, text=True, check=True
        ).stdout.strip()

    try:
        commit = git("rev-parse", "--short", "HEAD")
        changed = git("status", "--porcelain", "--untracked-files=no", "--", "../src")
    except (OSError, subprocess.CalledProcessError):
        return None
    return f"{commit}+changes" if changed else commit


def environment_facts(args: argparse.Namespace) -> dict[str, Any]:
    versions: dict[str, str | None] = {}
    for package in ("ecrclient", "boto3", "botocore", "aiobotocore", "httpx", "aiohttp"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    return {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "load_average_start": os.getloadavg(),
        "git": git_state(),
        "versions": versions,
        "options": vars(args),
    }


def write_report(
    workloads: dict[str, Workload],
    facts: dict[str, Any],
    server_stats: dict[str, int],
    output: Path,
) -> str:
    targets = target_results(workloads)
    versions = ", ".join(f"{name} {version}" for name, version in facts["versions"].items())
    intro = (
        f"{facts['date']}  Python {facts['python']}, {facts['cpus']} CPUs, load average "
        f"{facts['load_average_start'][0]:.1f} → {facts['load_average_end'][0]:.1f}  "
        f"({facts['duration_s']:.0f} s)\n{versions}"
    )
    intro += f"\necrclient: git {facts['git']}, a snapshot of {facts['source']} taken at the start"
    if facts["source_changed"]:
        intro += " (the source changed during the run; the snapshot was measured)"
    text = [intro]
    markdown = ["# ecrclient benchmarks", "", intro.replace("\n", "  \n"), ""]
    for workload in workloads.values():
        for metric in workload.metrics:
            if not metric.in_table:
                continue
            rows = table_rows(workload, metric)
            text += ["", _heading(workload, metric), text_table(rows)]
            title, detail = _heading(workload, metric).split("\n")
            markdown += [f"## {title}", "", detail, "", markdown_table(rows), ""]
    summary = summary_lines(workloads, targets)
    served = (
        f"Server: {server_stats['requests']} requests answered, {server_stats['errors']} errors"
    )
    incidents = [
        f"Incidents (blocks that failed and were run again): {len(facts['incidents'])}",
        *(f"  {incident}" for incident in facts["incidents"]),
    ]
    goals = goal_lines(workloads)
    text += ["", *summary, served, *incidents, "", *goals]
    markdown += ["## Summary", "", "```", *summary, served, *incidents, "```", ""]
    markdown += ["## Goals", "", "```", *goals, "```", ""]

    output.mkdir(parents=True, exist_ok=True)
    raw = {
        "meta": facts,
        "server": server_stats,
        "targets": targets,
        "workloads": {
            key: {
                "title": workload.title,
                "settings": workload.settings,
                "metrics": {
                    metric.key: {
                        "label": metric.label,
                        "unit": metric.unit,
                        "lower_is_better": metric.lower_is_better,
                        "clients": {
                            client: _client_json(workload, metric.key, client)
                            for client in workload.clients
                            if workload.values(metric.key, client)
                        },
                    }
                    for metric in workload.metrics
                },
            }
            for key, workload in workloads.items()
        },
    }
    (output / "latest.json").write_text(
        json.dumps(raw, indent=2, default=str) + "\n", encoding="utf-8"
    )
    (output / "latest.md").write_text("\n".join(markdown), encoding="utf-8")
    return "\n".join(text)


def _client_json(workload: Workload, metric: str, client: str) -> dict[str, Any]:
    values = workload.values(metric, client)
    entry: dict[str, Any] = {
        "label": KINDS[client].label,
        "samples": values,
        "median": statistics.median(values),
    }
    for anchor in ("boto3", "aiobotocore"):
        ratios = workload.ratios(metric, client, anchor)
        if ratios:
            entry[f"ratio_to_{anchor}"] = {"samples": ratios, "median": statistics.median(ratios)}
    return entry


# ---------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Benchmark ecrclient against boto3 and aiobotocore (see README.md).",
    )
    parser.add_argument("--quick", action="store_true", help="a fast smoke run (fewer rounds)")

    def option(name: str, kind: type, text: str) -> None:
        key = name.replace("-", "_")
        defaults = f"default {DEFAULTS[key]}, quick {QUICK[key]}"
        parser.add_argument(f"--{name}", type=kind, help=f"{text} ({defaults})")

    option("rounds", int, "rounds of the CPU-per-call workloads")
    option("block-seconds", float, "boto3's CPU seconds per timed block (sets calls per block)")
    option("startup-rounds", int, "cold-start (1-client) children per client")
    option("rss-rounds", int, f"{RSS_CLIENTS}-client children per client")
    option("concurrency-rounds", int, "rounds of the concurrency workload")
    option("requests", int, "calls per concurrency block")
    option("in-flight", int, "calls in flight at once in the concurrency workload")
    parser.add_argument(
        "--workloads",
        default=",".join(WORKLOADS),
        help="comma-separated subset of: " + ", ".join(WORKLOADS),
    )
    parser.add_argument(
        "--clients",
        default=",".join(KINDS),
        help="comma-separated subset of: " + ", ".join(KINDS) + " (the anchors always run)",
    )
    parser.add_argument(
        "--concurrency-clients",
        default=",".join(CONCURRENCY_CLIENTS),
        help="the clients of the concurrency workload, or 'all' (see CONCURRENCY_CLIENTS)",
    )
    parser.add_argument(
        "--output", type=Path, default=HERE / "results", help="folder for latest.json/.md"
    )
    args = parser.parse_args(argv)
    for name, default in (QUICK if args.quick else DEFAULTS).items():
        if getattr(args, name) is None:
            setattr(args, name, default)
    args.workloads = [name.strip() for name in args.workloads.split(",") if name.strip()]
    unknown = sorted(set(args.workloads) - set(WORKLOADS))
    wanted = {name.strip() for name in args.clients.split(",") if name.strip()}
    concurrent = {name.strip() for name in args.concurrency_clients.split(",") if name.strip()}
    if concurrent == {"all"}:
        concurrent = set(KINDS)
    unknown += sorted((wanted | concurrent) - set(KINDS))
    if unknown:
        parser.error(f"unknown workloads or clients: {', '.join(unknown)}")
    anchors = {"boto3", "aiobotocore"}
    args.clients = [key for key in KINDS if key in wanted | anchors]
    args.concurrency_clients = [key for key in args.clients if key in concurrent | anchors]
    if args.rss_rounds > args.startup_rounds:
        parser.error("--rss-rounds cannot exceed --startup-rounds")
    if min(args.rounds, args.startup_rounds, args.concurrency_rounds, args.requests) < 1:
        parser.error("rounds and requests must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["transfer"]:  # the blob workload has its own script and options
        return subprocess.call([sys.executable, str(HERE / "transfer.py"), *argv[1:]])
    args = parse_args(argv)
    started = time.perf_counter()
    facts = environment_facts(args)
    workloads: dict[str, Workload] = {}
    facts["incidents"] = []
    with tempfile.TemporaryDirectory(prefix="ecrclient-bench-") as scratch:
        source = snapshot_source(Path(scratch))
        fingerprint = source_fingerprint(source)
        facts["source"] = str(source)
        sanitize_environment(Path(scratch))
        with CannedServer() as server:
            server_stats = run_workloads(
                args, server, Path(scratch) / "pycache", workloads, facts["incidents"]
            )
        module = sys.modules.get("ecrclient")
        if module is not None and not str(module.__file__).startswith(scratch):
            raise BenchmarkError(f"ecrclient was imported from {module.__file__}, not the snapshot")
    facts["source_changed"] = source_fingerprint(source) != fingerprint
    facts["duration_s"] = time.perf_counter() - started
    facts["load_average_end"] = os.getloadavg()
    print(write_report(workloads, facts, server_stats, args.output))
    print(f"\nWrote {args.output / 'latest.json'} and {args.output / 'latest.md'}")
    return 0


def run_workloads(
    args: argparse.Namespace,
    server: CannedServer,
    pycache: Path,
    workloads: dict[str, Workload],
    incidents: list[str],
) -> dict[str, int]:
    """Run the chosen workloads into ``workloads``; the server's final request counts."""
    harness = Harness(server, args.clients, args)
    try:
        if "startup" in args.workloads:
            for workload in run_startup(harness, child_environment(pycache)):
                workloads[workload.key] = workload
        harness.open_clients()
        gc.collect()
        gc.freeze()  # setup objects (every library's modules) stay out of the timed GCs
        for spec in CALL_SPECS:
            if spec.key in args.workloads:
                workloads[spec.key] = run_calls(harness, spec)
        if "concurrency" in args.workloads:
            workloads["concurrency"] = run_concurrency(harness)
    finally:
        harness.close()
        incidents.extend(harness.incidents)
    return server.stats()


if __name__ == "__main__":
    sys.exit(main())
