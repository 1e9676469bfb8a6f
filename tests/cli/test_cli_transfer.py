"""``ecrclient push``, ``pull`` and ``retag`` as a user runs them, against the local ECR registry
server: a multi-platform image goes from a layout to ECR and back byte for byte, a second push
sends no blob, and retag keeps the digest."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.ecr_registry_server import EcrRegistryServer
from support.oci_images import layout_files, multi_platform_image

from .harness import Shell

REPOSITORY = "team/app"


@pytest.fixture
def registry() -> Iterator[EcrRegistryServer]:
    with EcrRegistryServer() as server:
        server.create_repository(REPOSITORY)
        yield server


@pytest.fixture
def shell(registry: EcrRegistryServer, tmp_path: Path) -> Shell:
    return Shell(tmp_path / "home", registry.endpoint)


def test_push_pull_and_retag_round_trip(shell: Shell, tmp_path: Path) -> None:
    image = multi_platform_image(tmp_path / "source", "v1")

    pushed = shell.cli("push", str(image.layout), f"{REPOSITORY}:v1", "--json")
    assert pushed.returncode == 0, pushed.stderr
    first = json.loads(pushed.stdout)
    assert first["digest"] == image.digest and first["tags"] == ["v1"]
    assert first["blobs_transferred"] == len(image.blobs) and first["blobs_skipped"] == 0

    again = json.loads(shell.cli("push", str(image.layout), f"{REPOSITORY}:v1", "--json").stdout)
    assert again["digest"] == image.digest and again["blobs_transferred"] == 0

    pulled = shell.cli("pull", f"{REPOSITORY}:v1", str(tmp_path / "copy"), "--json")
    assert pulled.returncode == 0, pulled.stderr
    assert json.loads(pulled.stdout)["digest"] == image.digest
    assert layout_files(tmp_path / "copy") == layout_files(image.layout)

    tagged = shell.cli("retag", f"{REPOSITORY}@{image.digest}", "stable", "prod", "--json")
    assert tagged.returncode == 0, tagged.stderr
    assert json.loads(tagged.stdout)["digest"] == image.digest

    plain = shell.cli("pull", f"{REPOSITORY}:prod", str(tmp_path / "prod"))
    assert plain.returncode == 0 and plain.stdout.startswith(f"pulled {REPOSITORY}@{image.digest}")
    assert "\r" not in plain.stderr  # no progress bar when stderr is not a terminal


def test_errors_are_one_line(shell: Shell, tmp_path: Path) -> None:
    missing = shell.cli("pull", f"{REPOSITORY}:nope", str(tmp_path / "out"))
    assert missing.returncode == 2
    assert missing.stderr.count("\n") == 1 and "Traceback" not in missing.stderr
    digest_only = shell.cli("push", str(tmp_path), f"{REPOSITORY}@sha256:{'a' * 64}")
    assert digest_only.returncode == 2 and "needs a tag" in digest_only.stderr
