"""Blob throughput and memory: ``ecrclient.transfer`` against the loop a boto3 user writes.

``python benchmarks/transfer.py`` (or ``python benchmarks/run.py transfer``, or
``nox -s bench -- transfer``) uploads and downloads one blob (256 MiB by default) through the
local ECR registry server of the test suite (``tests/support/ecr_registry_server.py``, started
in a process of its own on 127.0.0.1, so its work is not counted), with:

* **ecrclient**: ``transfer.upload_blob(ecr, repository, path)`` and
  ``transfer.download_blob(ecr, repository, digest, path)`` — digest pass, availability check,
  parts of the size ECR answers, digest verified, partial file renamed into place;
* **boto3 loop**: what a user writes without it — ``initiate_layer_upload``, then
  ``upload_layer_part`` over ``f.read(partSize)`` while hashing, ``complete_layer_upload``; and
  ``get_download_url_for_layer`` then a ``urllib3`` streamed GET into a file while hashing.

Every transfer runs in a fresh child interpreter, which reports its wall time and its peak RSS
(``resource.getrusage``) before and after: *baseline* is the peak once the library is imported,
the client created and one call made; *extra* is what the transfer added on top. Rounds rotate
the order of the clients; the table shows medians and the paired ratio ecrclient / boto3 (for
throughput, higher is better). The goals: ecrclient at least as fast as the loop, and its extra
peak RSS under two parts.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SERVER = ROOT / "tests" / "support" / "ecr_registry_server.py"
MiB = 1024 * 1024
REGION = "us-east-1"
KEYS = {"aws_access_key_id": "AKIDEXAMPLE", "aws_secret_access_key": "benchmark-secret"}
CLIENTS = ("ecrclient", "boto3")
DOWNLOAD_REPOSITORY = "bench/download"

# -- the children ------------------------------------------------------------------------------


def _peak_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux


def child(
    client: str, operation: str, endpoint: str, repository: str, path: str, digest: str
) -> None:
    """One transfer in this fresh interpreter; prints a JSON line."""
    if operation == "prepare":
        print(json.dumps({"digest": prepare_download(endpoint, Path(path))}), flush=True)
        return
    if client == "ecrclient":
        from ecrclient import ClientConfig, ECRClient, transfer

        ecr = ECRClient(
            region_name=REGION,
            endpoint_url=endpoint,
            config=ClientConfig(max_attempts=1, read_timeout=300, write_timeout=300),
            **KEYS,
        )
        ecr.batch_check_layer_availability(repository_name=repository, layer_digests=[digest])
        baseline = _peak_kib()
        started = time.perf_counter()
        if operation == "upload":
            got = transfer.upload_blob(ecr, repository, path).digest
        else:
            got = transfer.download_blob(ecr, repository, digest, path).digest
        seconds = time.perf_counter() - started
    else:
        import boto3
        import botocore.config

        boto = boto3.client(
            "ecr",
            region_name=REGION,
            endpoint_url=endpoint,
            config=botocore.config.Config(
                retries={"total_max_attempts": 1}, read_timeout=300, connect_timeout=60
            ),
            **KEYS,
        )
        boto.batch_check_layer_availability(repositoryName=repository, layerDigests=[digest])
        baseline = _peak_kib()
        started = time.perf_counter()
        if operation == "upload":
            got = _boto3_upload(boto, repository, path)
        else:
            got = _boto3_download(boto, repository, digest, path)
        seconds = time.perf_counter() - started
    print(
        json.dumps(
            {"seconds": seconds, "baseline_kib": baseline, "peak_kib": _peak_kib(), "digest": got}
        ),
        flush=True,
    )


def _boto3_upload(boto: Any, repository: str, path: str) -> str:
    started = boto.initiate_layer_upload(repositoryName=repository)
    upload_id, part_size = started["uploadId"], started["partSize"]
    hasher = hashlib.sha256()
    offset = 0
    with open(path, "rb") as file:
        while chunk := file.read(part_size):
            hasher.update(chunk)
            boto.upload_layer_part(
                repositoryName=repository,
                uploadId=upload_id,
                partFirstByte=offset,
                partLastByte=offset + len(chunk) - 1,
                layerPartBlob=chunk,
            )
            offset += len(chunk)
    digest = "sha256:" + hasher.hexdigest()
    boto.complete_layer_upload(repositoryName=repository, uploadId=upload_id, layerDigests=[digest])
    return digest


def _boto3_download(boto: Any, repository: str, digest: str, path: str) -> str:
    import urllib3

    url = boto.get_download_url_for_layer(repositoryName=repository, layerDigest=digest)[
        "downloadUrl"
    ]
    pool = urllib3.PoolManager()
    response = pool.request("GET", url, preload_content=False)
    hasher = hashlib.sha256()
    with open(path, "wb") as file:
        for chunk in response.stream(MiB):
            hasher.update(chunk)
            file.write(chunk)
    response.release_conn()
    return "sha256:" + hasher.hexdigest()


# -- the parent --------------------------------------------------------------------------------


class Server:
    """The registry server in its own process (it stops when its stdin closes)."""

    def __init__(self, part_size: int) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(SERVER), "--part-size", str(part_size)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        self.endpoint: str = json.loads(self.process.stdout.readline())["endpoint"]

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=30)


def make_blob(path: Path, size: int) -> str:
    hasher = hashlib.sha256()
    with open(path, "wb") as file:
        for start in range(0, size, 4 * MiB):
            chunk = os.urandom(min(4 * MiB, size - start))
            hasher.update(chunk)
            file.write(chunk)
    return "sha256:" + hasher.hexdigest()


def file_digest(path: Path) -> str:
    hasher = hashlib.sha256()
    with open(path, "rb") as file:
        while chunk := file.read(4 * MiB):
            hasher.update(chunk)
    return "sha256:" + hasher.hexdigest()


def run_child(*args: str) -> dict[str, Any]:
    env = {name: value for name, value in os.environ.items() if not name.startswith("AWS_")}
    env["AWS_EC2_METADATA_DISABLED"] = "true"
    result = subprocess.run(
        [sys.executable, __file__, "--child", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"child {args[:2]} failed:\n{result.stdout}{result.stderr}")
    measured: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return measured


def prepare_download(endpoint: str, blob: Path) -> str:
    """Upload the blob once and reference it from an image (ECR serves only such layers)."""
    from ecrclient import ClientConfig, ECRClient, transfer

    with ECRClient(
        region_name=REGION, endpoint_url=endpoint, config=ClientConfig(read_timeout=300), **KEYS
    ) as ecr:
        ecr.create_repository(repository_name=DOWNLOAD_REPOSITORY)
        layer = transfer.upload_blob(ecr, DOWNLOAD_REPOSITORY, blob)
        config = transfer.upload_blob(
            ecr, DOWNLOAD_REPOSITORY, b'{"architecture":"amd64","os":"linux"}'
        )
        manifest = {
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": {
                "mediaType": "application/vnd.oci.image.config.v1+json",
                "digest": config.digest,
                "size": config.size,
            },
            "layers": [
                {
                    "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                    "digest": layer.digest,
                    "size": layer.size,
                }
            ],
        }
        transfer.put_manifest(ecr, DOWNLOAD_REPOSITORY, json.dumps(manifest), tags=["bench"])
        return layer.digest


def fresh_repository(endpoint: str, name: str) -> None:
    from ecrclient import ECRClient

    with ECRClient(region_name=REGION, endpoint_url=endpoint, **KEYS) as ecr:
        ecr.create_repository(repository_name=name)


def drop_repository(endpoint: str, name: str) -> None:
    from ecrclient import ECRClient

    with ECRClient(region_name=REGION, endpoint_url=endpoint, **KEYS) as ecr:
        ecr.delete_repository(repository_name=name, force=True)


def median(values: list[float]) -> float:
    return statistics.median(values)


def report(samples: dict[tuple[str, str], list[dict[str, Any]]], args: argparse.Namespace) -> str:
    size_mib = args.size_mib
    part_mib = args.part_size / MiB
    lines = [
        f"Blob transfer: {size_mib} MiB blob, {part_mib:g} MiB parts, {args.rounds} rounds, "
        f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs",
        "",
        f"{'operation':<9} {'client':<10} {'MiB/s':>7} {'vs boto3':>9} {'baseline MiB':>13} "
        f"{'peak MiB':>9} {'extra MiB':>10} {'extra/part':>11}",
    ]
    verdicts = []
    for operation in ("upload", "download"):
        throughput = {
            client: [size_mib / s["seconds"] for s in samples[(operation, client)]]
            for client in CLIENTS
        }
        for client in CLIENTS:
            runs = samples[(operation, client)]
            ratios = [a / b for a, b in zip(throughput[client], throughput["boto3"], strict=True)]
            baseline = median([s["baseline_kib"] / 1024 for s in runs])
            peak = median([s["peak_kib"] / 1024 for s in runs])
            extra = median([(s["peak_kib"] - s["baseline_kib"]) / 1024 for s in runs])
            lines.append(
                f"{operation:<9} {client:<10} {median(throughput[client]):7.1f} "
                f"{median(ratios):8.2f}x {baseline:13.1f} {peak:9.1f} {extra:10.1f} "
                f"{extra / part_mib:10.2f}x"
            )
            if client == "ecrclient":
                fast = median(ratios) >= 1.0
                lean = extra <= 2 * part_mib
                verdicts.append(
                    f"  [{'met' if fast else 'NOT MET':>7}] {operation} throughput "
                    f"{median(ratios):.2f}x boto3 loop (goal >= 1.00x)"
                )
                verdicts.append(
                    f"  [{'met' if lean else 'NOT MET':>7}] {operation} extra peak RSS "
                    f"{extra:.1f} MiB = {extra / part_mib:.2f} parts (goal <= 2 parts)"
                )
    return "\n".join([*lines, "", "Goals (medians):", *verdicts])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Blob upload/download: ecrclient vs boto3 loop")
    parser.add_argument("--size-mib", type=int, default=256)
    parser.add_argument("--part-size", type=int, default=10 * MiB, help="the server's partSize")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--output", type=Path, default=HERE / "results")
    parser.add_argument("--child", nargs=6, metavar="ARG", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(*args.child)
        return 0

    samples: dict[tuple[str, str], list[dict[str, Any]]] = {
        (operation, client): [] for operation in ("upload", "download") for client in CLIENTS
    }
    server = Server(args.part_size)
    try:
        with tempfile.TemporaryDirectory(prefix="ecrclient-transfer-bench-") as scratch:
            blob = Path(scratch) / "blob"
            digest = make_blob(blob, args.size_mib * MiB)
            print(f"blob {digest}, server {server.endpoint}", flush=True)
            prepared = run_child("ecrclient", "prepare", server.endpoint, "-", str(blob), digest)
            assert prepared["digest"] == digest
            # A child's ru_maxrss starts at its parent's RSS when it was forked: the parent
            # stays small (no blob in memory), under every child's own baseline.
            print(f"parent peak RSS {_peak_kib() / 1024:.1f} MiB", flush=True)
            for round_number in range(args.rounds):
                order = CLIENTS if round_number % 2 == 0 else CLIENTS[::-1]
                for client in order:
                    repository = f"bench/up-{client}-{round_number}"
                    fresh_repository(server.endpoint, repository)
                    measured = run_child(
                        client, "upload", server.endpoint, repository, str(blob), digest
                    )
                    drop_repository(server.endpoint, repository)  # frees the server's copy
                    assert measured["digest"] == digest, measured
                    samples[("upload", client)].append(measured)
                    print(
                        f"round {round_number + 1} upload   {client:<10} "
                        f"{args.size_mib / measured['seconds']:7.1f} MiB/s",
                        flush=True,
                    )
                for client in order:
                    target = Path(scratch) / f"down-{client}"
                    measured = run_child(
                        client,
                        "download",
                        server.endpoint,
                        DOWNLOAD_REPOSITORY,
                        str(target),
                        digest,
                    )
                    assert measured["digest"] == digest and file_digest(target) == digest
                    target.unlink()
                    samples[("download", client)].append(measured)
                    print(
                        f"round {round_number + 1} download {client:<10} "
                        f"{args.size_mib / measured['seconds']:7.1f} MiB/s",
                        flush=True,
                    )
    finally:
        server.close()
    text = report(samples, args)
    print("\n" + text)
    args.output.mkdir(parents=True, exist_ok=True)
    (args.output / "transfer.json").write_text(
        json.dumps({f"{op}/{client}": runs for (op, client), runs in samples.items()}, indent=2)
    )
    (args.output / "transfer.md").write_text(f"# Blob transfer\n\n```text\n{text}\n```\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
