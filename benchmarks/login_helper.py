"""Start-up of ``docker-credential-ecrclient``: cache hit and cache miss, against the Python way
of ``aws ecr get-login-password`` (import boto3, create a client, call GetAuthorizationToken).

    python benchmarks/login_helper.py [--rounds 15] [--json PATH]

Runs in the development environment (it needs boto3 and moto, which the ``test`` extra pins).
Every row is a fresh process, timed from spawn to exit (wall time: what docker waits for), all
against one local moto server started here. Rows run in an order that rotates from round to
round, and each ratio is taken within a round (as in ``run.py``), so drift of a shared machine
cancels out.

Rows:

* ``python -c pass (floor of a hit)``: the interpreter starting and stopping, nothing else.
* ``helper hit``: ``docker-credential-ecrclient get`` with a fresh token in the cache (the cache
  is seeded through the library: moto's tokens are born expired, so it never caches them).
* ``helper miss``: the same with an empty cache: it loads the client and calls moto.
* ``ecrclient login-password``: the CLI with ``--no-cache``.
* ``ecrclient bare call (floor)``: the smallest program making the call with ``ECRClient``,
  what a miss cannot get below without a faster client.
* ``boto3 get-login-password``: ``import boto3``, ``boto3.client("ecr")``,
  ``get_authorization_token()``, base64-decode, print the password.

Targets: hit ≤ 60 ms; miss ≤ 0.8x the boto3 row. Every run's output is checked against the
expected password. Bytecode is cached (in a temporary ``PYTHONPYCACHEPREFIX``, even where
``PYTHONDONTWRITEBYTECODE`` is set) and compiled by one untimed run per row, as an installed
package would have it: otherwise the editable ecrclient would be compiled from source in every
run while boto3 loads its ``.pyc`` files.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
REGISTRY = "123456789012.dkr.ecr.us-east-1.amazonaws.com"
MOTO_PASSWORD = "123456789012-auth-token"
SEEDED_PASSWORD = "seeded-password-0123456789abcdef"
HIT_TARGET_MS = 60.0
MISS_RATIO_TARGET = 0.8

ECRCLIENT_SCRIPT = """\
from ecrclient import ECRClient

with ECRClient() as client:
    token = client.get_authorization_token().authorization_data[0].authorization_token
import base64

print(base64.b64decode(token).decode().split(":", 1)[1])
"""
"""The floor of a miss: the smallest ecrclient program making the same call."""

BOTO3_SCRIPT = """\
import base64
import boto3

client = boto3.client("ecr")
token = client.get_authorization_token()["authorizationData"][0]["authorizationToken"]
print(base64.b64decode(token).decode().split(":", 1)[1])
"""


def _environment(scratch: Path, endpoint: str) -> dict[str, str]:
    """The user's environment without AWS settings, pointed at moto."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("AWS_", "ECRCLIENT_")) and not name.lower().endswith("_proxy")
    }
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    missing = scratch / "no-such-aws-file"
    env.update(
        AWS_ACCESS_KEY_ID="AKIAIOSFODNN7EXAMPLE",
        AWS_SECRET_ACCESS_KEY="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        AWS_DEFAULT_REGION="us-east-1",
        AWS_CONFIG_FILE=str(missing),
        AWS_SHARED_CREDENTIALS_FILE=str(missing),
        AWS_EC2_METADATA_DISABLED="true",
        AWS_ENDPOINT_URL_ECR=endpoint,
        AWS_ENDPOINT_URL=endpoint,
        ECRCLIENT_CACHE_DIR=str(scratch / "warm-cache"),
        PYTHONPYCACHEPREFIX=str(scratch / "pycache"),
    )
    return env


def _program(name: str, module: str) -> list[str]:
    """The console script beside this interpreter, else ``python -m``."""
    script = Path(sys.executable).parent / name
    return [str(script)] if script.exists() else [sys.executable, "-m", module]


def _seed_cache(env: dict[str, str]) -> None:
    os.environ.update(env)  # the cache key follows the environment, as in the helper
    from ecrclient.login import CacheKey, DockerCredentials, TokenCache

    now = datetime.now(timezone.utc)
    key = CacheKey.for_settings(account_id="123456789012", region="us-east-1")
    credentials = DockerCredentials(
        "AWS", SEEDED_PASSWORD, REGISTRY, now + timedelta(hours=12), now
    )
    if not TokenCache().put(key, credentials):
        raise SystemExit("could not seed the token cache")


Row = tuple[str, Callable[[], list[str]], Callable[[], dict[str, str]], str, str]
"""name, command, environment, stdin, expected stdout."""


def _rows(env: dict[str, str], scratch: Path) -> list[Row]:
    helper = _program("docker-credential-ecrclient", "ecrclient.cli.credential_helper")
    cli = _program("ecrclient", "ecrclient.cli.main")
    counter = iter(range(1_000_000))

    def cold_cache() -> dict[str, str]:
        return {**env, "ECRCLIENT_CACHE_DIR": str(scratch / f"cold-{next(counter)}")}

    expected_get = json.dumps({"ServerURL": REGISTRY, "Username": "AWS", "Secret": "{}"})
    return [
        ("python -c pass (floor of a hit)", lambda: [sys.executable, "-c", "pass"],
         lambda: env, "", ""),
        ("helper hit", lambda: [*helper, "get"], lambda: env, REGISTRY,
         expected_get.replace("{}", SEEDED_PASSWORD)),
        ("helper miss", lambda: [*helper, "get"], cold_cache, REGISTRY,
         expected_get.replace("{}", MOTO_PASSWORD)),
        ("ecrclient login-password", lambda: [*cli, "login-password", "--no-cache"], lambda: env,
         "", MOTO_PASSWORD),
        ("ecrclient bare call (floor)", lambda: [sys.executable, "-c", ECRCLIENT_SCRIPT],
         lambda: env, "", MOTO_PASSWORD),
        ("boto3 get-login-password", lambda: [sys.executable, "-c", BOTO3_SCRIPT], lambda: env,
         "", MOTO_PASSWORD),
    ]  # fmt: skip


def _run(row: Row) -> float:
    name, command, environment, stdin, expected = row
    started = time.perf_counter()
    result = subprocess.run(
        command(), input=stdin, env=environment(), capture_output=True, text=True, check=False
    )
    elapsed = (time.perf_counter() - started) * 1000
    if result.returncode != 0 or result.stdout.strip() != expected:
        raise SystemExit(f"{name}: unexpected answer ({result.returncode}): {result.stderr}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--json", type=Path, default=HERE / "results" / "login_helper.json")
    options = parser.parse_args()

    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    scratch = Path(tempfile.mkdtemp(prefix="ecrclient-login-bench-"))
    try:
        env = _environment(scratch, f"http://{host}:{port}")
        _seed_cache(env)
        rows = _rows(env, scratch)
        for row in rows:
            _run(row)  # untimed: compiles bytecode, warms the file cache
        samples: dict[str, list[float]] = {row[0]: [] for row in rows}
        for round_number in range(options.rounds):
            shift = round_number % len(rows)
            for row in rows[shift:] + rows[:shift]:
                samples[row[0]].append(_run(row))
    finally:
        server.stop()
        shutil.rmtree(scratch, ignore_errors=True)
    _report(samples, options)


def _report(samples: dict[str, list[float]], options: argparse.Namespace) -> None:
    boto3_row = samples["boto3 get-login-password"]
    header = f"{'row':32} {'median ms':>10} {'min ms':>8} {'max ms':>8}"
    print(f"{header} {'vs boto3 (median of paired)':>30}")
    ratios: dict[str, float] = {}
    for name, values in samples.items():
        paired = statistics.median(v / b for v, b in zip(values, boto3_row, strict=True))
        ratios[name] = paired
        print(
            f"{name:32} {statistics.median(values):10.1f} {min(values):8.1f} {max(values):8.1f} "
            f"{paired:29.2f}x"
        )
    hit = statistics.median(samples["helper hit"])
    miss_ratio = ratios["helper miss"]
    verdicts = {
        f"cache hit ≤ {HIT_TARGET_MS:g} ms": hit <= HIT_TARGET_MS,
        f"cache miss ≤ {MISS_RATIO_TARGET}x boto3": miss_ratio <= MISS_RATIO_TARGET,
    }
    for label, met in verdicts.items():
        print(f"target {label}: {'met' if met else 'NOT MET'}")
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    print(f"rounds: {options.rounds}; load average at the end: {load}")
    options.json.parent.mkdir(parents=True, exist_ok=True)
    options.json.write_text(
        json.dumps(
            {
                "samples_ms": samples,
                "paired_ratio_vs_boto3": ratios,
                "targets": verdicts,
                "rounds": options.rounds,
                "load_average": load,
                "python": sys.version,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
