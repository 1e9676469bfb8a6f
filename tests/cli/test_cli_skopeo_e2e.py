"""End to end: a real registry (docker's ``distribution``, Debian package ``docker-registry``)
guarded by htpasswd with the credentials moto's token decodes to, and ``skopeo`` pushing,
inspecting and listing through ``credHelpers`` → ``docker-credential-ecrclient``.

Test-only host mapping: the registry listens on ``127.0.0.1:<port>``, which is not an ECR host,
so the helper runs with ``ECRCLIENT_TEST_REGISTRY_ALIASES=127.0.0.1:<port>=<ECR host>`` (see
:mod:`ecrclient.cli.credential_helper`); everything else is what a user has.

Skipped when the binaries are absent; on Debian or Ubuntu:
``apt-get update && apt-get install -y skopeo docker-registry apache2-utils``.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import shutil
import socket
import subprocess
import sys
import tarfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .harness import REGISTRY, Shell

BINARIES = ("skopeo", "docker-registry", "htpasswd")
pytestmark = pytest.mark.skipif(
    any(shutil.which(name) is None for name in BINARIES),
    reason="needs skopeo, docker-registry and htpasswd "
    "(apt-get install -y skopeo docker-registry apache2-utils)",
)
MOTO_PASSWORD = "123456789012-auth-token"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def registry(tmp_path: Path) -> Iterator[str]:
    """A registry on 127.0.0.1 that wants ``AWS`` / moto's password."""
    folder = tmp_path / "registry"
    folder.mkdir()
    secrets = subprocess.run(
        ["htpasswd", "-Bbn", "AWS", MOTO_PASSWORD], capture_output=True, text=True, check=True
    )
    (folder / "htpasswd").write_text(secrets.stdout)
    address = f"127.0.0.1:{_free_port()}"
    (folder / "config.yml").write_text(
        "version: 0.1\n"
        "log:\n  level: error\n"
        f"storage:\n  filesystem:\n    rootdirectory: {folder / 'data'}\n"
        f"http:\n  addr: {address}\n"
        f"auth:\n  htpasswd:\n    realm: ecrclient-test\n    path: {folder / 'htpasswd'}\n"
    )
    log = (folder / "registry.log").open("wb")
    process = subprocess.Popen(
        ["docker-registry", "serve", str(folder / "config.yml")],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                urllib.request.urlopen(f"http://{address}/v2/", timeout=1)
            except urllib.error.HTTPError as answer:
                if answer.code == 401:
                    break  # up, and asking for credentials
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                log.flush()
                output = (folder / "registry.log").read_text(errors="replace")
                raise RuntimeError(f"the registry did not start: {output}")
            time.sleep(0.05)
        yield address
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


def _blob(root: Path, data: bytes) -> dict[str, Any]:
    digest = hashlib.sha256(data).hexdigest()
    (root / "blobs" / "sha256" / digest).write_bytes(data)
    return {"digest": f"sha256:{digest}", "size": len(data)}


def _oci_layout(root: Path) -> str:
    """A one-layer image as an OCI layout with the tag v1; returns the manifest digest."""
    (root / "blobs" / "sha256").mkdir(parents=True)
    tar_stream = io.BytesIO()
    with tarfile.open(fileobj=tar_stream, mode="w") as tar:
        content = b"hello from ecrclient\n"
        entry = tarfile.TarInfo("hello.txt")
        entry.size = len(content)
        tar.addfile(entry, io.BytesIO(content))
    layer_tar = tar_stream.getvalue()
    layer = _blob(root, gzip.compress(layer_tar, mtime=0))
    config = _blob(
        root,
        json.dumps(
            {
                "architecture": "amd64",
                "os": "linux",
                "rootfs": {
                    "type": "layers",
                    "diff_ids": ["sha256:" + hashlib.sha256(layer_tar).hexdigest()],
                },
                "config": {},
            }
        ).encode(),
    )
    manifest_type = "application/vnd.oci.image.manifest.v1+json"
    manifest = _blob(
        root,
        json.dumps(
            {
                "schemaVersion": 2,
                "mediaType": manifest_type,
                "config": {"mediaType": "application/vnd.oci.image.config.v1+json", **config},
                "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", **layer}],
            }
        ).encode(),
    )
    index = {
        "schemaVersion": 2,
        "manifests": [
            {
                "mediaType": manifest_type,
                **manifest,
                "annotations": {"org.opencontainers.image.ref.name": "v1"},
            }
        ],
    }
    (root / "index.json").write_text(json.dumps(index))
    (root / "oci-layout").write_text(json.dumps({"imageLayoutVersion": "1.0.0"}))
    digest: str = manifest["digest"]
    return digest


def test_skopeo_pushes_inspects_and_lists_through_the_credential_helper(
    registry: str, moto_shell: Shell, tmp_path: Path
) -> None:
    # docker-credential-ecrclient on PATH, as the console script would be
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    helper = bin_dir / "docker-credential-ecrclient"
    helper.write_text(f'#!/bin/sh\nexec {sys.executable} -m ecrclient.cli.credential_helper "$@"\n')
    helper.chmod(0o755)
    env = {
        **moto_shell.env,
        "PATH": f"{bin_dir}:{moto_shell.env['PATH']}",
        "ECRCLIENT_TEST_REGISTRY_ALIASES": f"{registry}={REGISTRY}",
    }
    auth = tmp_path / "config.json"
    auth.write_text(json.dumps({"credHelpers": {registry: "ecrclient"}}))
    no_auth = tmp_path / "empty.json"
    no_auth.write_text("{}")
    digest = _oci_layout(tmp_path / "layout")
    image = f"docker://{registry}/team/app:v1"

    def skopeo(*args: str, authfile: Path = auth) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["skopeo", *args[:1], "--authfile", str(authfile), *args[1:]],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    pushed = skopeo("copy", "--dest-tls-verify=false", f"oci:{tmp_path / 'layout'}:v1", image)
    assert pushed.returncode == 0, pushed.stderr
    inspected = skopeo("inspect", "--tls-verify=false", image)
    assert inspected.returncode == 0, inspected.stderr
    assert json.loads(inspected.stdout)["Digest"] == digest
    tags = skopeo("list-tags", "--tls-verify=false", f"docker://{registry}/team/app")
    assert tags.returncode == 0 and json.loads(tags.stdout)["Tags"] == ["v1"]
    anonymous = skopeo("inspect", "--tls-verify=false", image, authfile=no_auth)
    assert anonymous.returncode != 0 and "unauthorized" in anonymous.stderr
    for result in (pushed, inspected, tags):
        assert MOTO_PASSWORD not in result.stdout + result.stderr
