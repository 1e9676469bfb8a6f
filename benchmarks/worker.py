"""The child process of the cold-start and peak-RSS measurements (one fresh interpreter each).

``python benchmarks/worker.py CLIENT ENDPOINT_URL COUNT`` imports the client's library, creates
COUNT clients, makes one DescribeRepositories (``maxResults=1``) call with each, keeping all of
them alive, checks the answers, and prints one JSON line: ``first_call_s`` (from the start of
this script to the first answer: import + creation + first call) and ``maxrss_kib`` (the
process's peak resident set size). Only the standard library and the client's own library are
imported, so the numbers are the client's.
"""

from __future__ import annotations

import time

_START = time.perf_counter()

import json  # noqa: E402  (the clock starts before any import)
import resource  # noqa: E402
import sys  # noqa: E402
from typing import Any  # noqa: E402

import clients  # noqa: E402


def _check(adapter: Any, response: Any) -> None:
    names = [summary[0] for summary in adapter.summarize_repositories(response)]
    if names != ["team-00/service-0000"]:
        raise AssertionError(f"unexpected DescribeRepositories answer: {names!r}")


def _sync(kind: clients.Kind, endpoint_url: str, count: int) -> float:
    adapters, first_call = [], 0.0
    for index in range(count):
        adapter = kind.factory(endpoint_url)
        response = adapter.describe_repositories(1)
        if index == 0:
            first_call = time.perf_counter() - _START
        adapters.append((adapter, response))
    for adapter, response in adapters:
        _check(adapter, response)
        adapter.close()
    return first_call


async def _async(kind: clients.Kind, endpoint_url: str, count: int) -> float:
    adapters, first_call = [], 0.0
    for index in range(count):
        adapter = kind.factory(endpoint_url)
        await adapter.open()
        response = await adapter.describe_repositories(1)
        if index == 0:
            first_call = time.perf_counter() - _START
        adapters.append((adapter, response))
    for adapter, response in adapters:
        _check(adapter, response)
        await adapter.close()
    return first_call


def main() -> None:
    key, endpoint_url, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    kind = clients.KINDS[key]
    if kind.is_async:
        import asyncio

        first_call = asyncio.run(_async(kind, endpoint_url, count))
    else:
        first_call = _sync(kind, endpoint_url, count)
    maxrss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(json.dumps({"first_call_s": first_call, "maxrss_kib": maxrss_kib}), flush=True)


if __name__ == "__main__":
    main()
