"""Layouts checked by real OCI tools: what a pull writes is readable by ``skopeo`` and ``umoci``,
and what they write is pushable. Skipped only where the tool is not installed (Debian:
``apt-get install -y skopeo umoci``)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from support.ecr_registry_server import EcrRegistryServer
from support.oci_images import OCI_MANIFEST, layout_files, multi_platform_image, single_image
from support.transfer_fixtures import kit_fixture, registry_fixture  # noqa: F401 - pytest finds fixtures by their names
from support.transfer_kits import REPOSITORY, Kit

needs_skopeo = pytest.mark.skipif(shutil.which("skopeo") is None, reason="skopeo is not installed")
needs_umoci = pytest.mark.skipif(shutil.which("umoci") is None, reason="umoci is not installed")


def run(*command: str | Path) -> str:
    result = subprocess.run(
        [str(part) for part in command], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, f"{command}: {result.stdout}{result.stderr}"
    return result.stdout


@needs_skopeo
def test_skopeo_reads_and_verifies_a_pulled_multi_platform_layout(
    kit: Kit, registry: EcrRegistryServer, tmp_path: Path
) -> None:
    image = multi_platform_image(tmp_path / "built")
    kit.push_image(REPOSITORY, image.layout, tags=["v1"])
    kit.pull_image(REPOSITORY, "v1", tmp_path / "pulled")

    raw = run("skopeo", "inspect", "--raw", f"oci:{tmp_path / 'pulled'}:v1")
    assert raw.encode() == image.blob(image.digest)
    inspected = json.loads(run("skopeo", "inspect", f"oci:{tmp_path / 'pulled'}:v1"))
    assert inspected["Architecture"] == "amd64" and len(inspected["Layers"]) == 2
    # A copy of every platform reads every blob and checks its digest.
    run("skopeo", "copy", "--all", f"oci:{tmp_path / 'pulled'}:v1", f"oci:{tmp_path / 'copy'}:v1")
    assert layout_files(tmp_path / "copy") == layout_files(image.layout)


@needs_skopeo
def test_a_layout_written_by_skopeo_is_pushable(
    kit: Kit, registry: EcrRegistryServer, tmp_path: Path
) -> None:
    image = multi_platform_image(tmp_path / "built")
    written = tmp_path / "by-skopeo"
    run("skopeo", "copy", "--all", f"oci:{image.layout}:v1", f"oci:{written}:release")

    pushed = kit.push_image(REPOSITORY, written, reference="release", tags=["release"])

    assert (
        pushed.digest == json.loads((written / "index.json").read_text())["manifests"][0]["digest"]
    )
    kit.pull_image(REPOSITORY, "release", tmp_path / "pulled")
    assert layout_files(tmp_path / "pulled") == layout_files(written)


@needs_umoci
def test_umoci_reads_a_pulled_layout(kit: Kit, registry: EcrRegistryServer, tmp_path: Path) -> None:
    image = single_image(tmp_path / "built")
    kit.push_image(REPOSITORY, image.layout, tags=["v1"])
    kit.pull_image(REPOSITORY, "v1", tmp_path / "pulled")
    assert run("umoci", "ls", "--layout", tmp_path / "pulled").split() == ["v1"]
    stat = run("umoci", "stat", "--image", f"{tmp_path / 'pulled'}:v1")
    assert image.blobs[1] in stat and image.blobs[2] in stat


@needs_umoci
def test_a_layout_written_by_umoci_is_pushable(
    kit: Kit, registry: EcrRegistryServer, tmp_path: Path
) -> None:
    layout = tmp_path / "by-umoci"
    (tmp_path / "hello.txt").write_text("hello from umoci\n")
    run("umoci", "init", "--layout", layout)
    run("umoci", "new", "--image", f"{layout}:v1")
    run("umoci", "insert", "--image", f"{layout}:v1", tmp_path / "hello.txt", "/hello.txt")
    entry = json.loads((layout / "index.json").read_text())["manifests"][0]

    # umoci writes manifests without a mediaType field: the descriptor's type is sent.
    pushed = kit.push_image(REPOSITORY, layout, tags=["v1"])

    assert pushed.digest == entry["digest"] and pushed.media_type == OCI_MANIFEST
    kit.pull_image(REPOSITORY, "v1", tmp_path / "pulled")
    pulled, written = layout_files(tmp_path / "pulled"), layout_files(layout)
    assert pulled.items() <= written.items()  # umoci also keeps the blobs `new` left behind
    assert len(pulled) == 3  # the manifest, its config and its layer
    assert run("umoci", "ls", "--layout", tmp_path / "pulled").split() == ["v1"]
    run("umoci", "stat", "--image", f"{tmp_path / 'pulled'}:v1")
