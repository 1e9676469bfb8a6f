"""Profile N calls through one client against the canned server, for optimizing ecrclient.

    python benchmarks/profile_call.py                    # 300 DescribeImages (100 images), typed
    python benchmarks/profile_call.py -n 1000 --call repos1 --top 40
    python benchmarks/profile_call.py --client compat --save /tmp/images.prof
    python benchmarks/profile_call.py --profiler pyinstrument    # call tree (if installed)
    nox -s bench -- profile -n 500                       # the same, in the bench virtualenv

Prints the unprofiled CPU time per call first, then cProfile's top functions by cumulative
time and by total (own) time; ``--profiler pyinstrument`` prints pyinstrument's call tree
instead, and ``both`` prints both (from separate runs, so neither profiles the other).
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import pstats
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from canned_server import CannedServer
from clients import KINDS
from run import CALL_SPECS, CallSpec, expected_answer, sanitize_environment

SYNC_CLIENTS = [key for key, kind in KINDS.items() if not kind.is_async]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--calls", type=int, default=300, help="calls to profile (300)")
    parser.add_argument(
        "--call",
        choices=[spec.key for spec in CALL_SPECS],
        default="images100",
        help="what each call does (images100: DescribeImages answering 100 images)",
    )
    parser.add_argument(
        "--client", choices=SYNC_CLIENTS, default="typed", help="the sync client (typed)"
    )
    parser.add_argument("--top", type=int, default=30, help="functions listed per table (30)")
    parser.add_argument(
        "--profiler",
        choices=["cprofile", "pyinstrument", "both"],
        default="cprofile",
        help="cProfile tables, pyinstrument's call tree, or both (cprofile)",
    )
    parser.add_argument("--save", type=Path, help="also write cProfile's stats to this file")
    return parser.parse_args()


def check(adapter: Any, spec: CallSpec, answer: Any) -> None:
    if spec.method == "describe_repositories":
        got = adapter.summarize_repositories(answer)
    elif spec.method == "describe_images":
        got = adapter.summarize_images([answer])
    else:
        got = adapter.summarize_images(answer)
    if got != expected_answer(spec):
        raise SystemExit(f"the {spec.key} answer does not match the canned body")


def repeat(call: Callable[[], Any], calls: int) -> None:
    for _ in range(calls):
        call()


def with_cprofile(call: Callable[[], Any], args: argparse.Namespace) -> None:
    profiler = cProfile.Profile()
    gc.collect()
    profiler.enable()
    repeat(call, args.calls)
    profiler.disable()
    stats = pstats.Stats(profiler, stream=sys.stdout).strip_dirs()
    for order, title in (("cumulative", "cumulative time"), ("tottime", "total (own) time")):
        print(f"\n=== cProfile: top {args.top} functions by {title}, {args.calls} calls ===")
        stats.sort_stats(order).print_stats(args.top)
    if args.save:
        profiler.dump_stats(args.save)
        print(f"cProfile stats written to {args.save} (snakeviz, pstats, gprof2dot read it)")


def with_pyinstrument(call: Callable[[], Any], args: argparse.Namespace) -> None:
    try:
        from pyinstrument import Profiler
    except ImportError:
        print("\npyinstrument is not installed here (pip install pyinstrument)", file=sys.stderr)
        return
    profiler = Profiler(interval=0.0002)
    gc.collect()
    profiler.start()
    repeat(call, args.calls)
    profiler.stop()
    print(f"\n=== pyinstrument: {args.calls} calls ===")
    print(profiler.output_text(unicode=True, color=False, show_all=False))


def main() -> None:
    args = parse_args()
    spec = next(spec for spec in CALL_SPECS if spec.key == args.call)
    with tempfile.TemporaryDirectory(prefix="ecrclient-profile-") as scratch:
        sanitize_environment(Path(scratch))
        with CannedServer() as server:
            adapter = KINDS[args.client].factory(server.url)
            try:
                call = getattr(adapter, spec.method)
                check(adapter, spec, call(*spec.args))

                def one_call() -> Any:
                    return call(*spec.args)

                repeat(one_call, 10)  # warm up: lazy imports, the connection pool
                gc.collect()
                cpu = time.process_time()
                repeat(one_call, args.calls)
                cpu = time.process_time() - cpu
                print(
                    f"{KINDS[args.client].label}, {spec.title.split(': ', 1)[-1]}: "
                    f"{cpu / args.calls * spec.scale:,.1f} {spec.unit} CPU per call, unprofiled "
                    f"({args.calls} calls)"
                )
                if args.profiler in ("cprofile", "both"):
                    with_cprofile(one_call, args)
                if args.profiler in ("pyinstrument", "both"):
                    with_pyinstrument(one_call, args)
            finally:
                adapter.close()


if __name__ == "__main__":
    main()
