"""``ecrclient`` as a user runs it: subprocesses against moto, checking output, exit status and
the files written."""

from __future__ import annotations

import base64
import hashlib
import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from ecrclient import ECRClient

from .harness import REGISTRY, Shell

MOTO_PASSWORD = "123456789012-auth-token"
"""What moto's token decodes to (after ``AWS:``)."""


def _manifest(layer: str) -> str:
    digest = "sha256:" + hashlib.sha256(layer.encode()).hexdigest()
    return json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
            "config": {
                "mediaType": "application/vnd.docker.container.image.v1+json",
                "size": 7,
                "digest": digest,
            },
            "layers": [
                {
                    "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
                    "size": 7,
                    "digest": digest,
                }
            ],
        }
    )


@pytest.fixture
def ecr(moto_endpoint: str) -> Iterator[ECRClient]:
    with ECRClient(
        region_name="us-east-1",
        endpoint_url=moto_endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    ) as client:
        yield client


@pytest.fixture
def repository(ecr: ECRClient) -> Iterator[str]:
    """A repository with v1, v2 and v3 tagged and two untagged images."""
    name = f"cli/{uuid.uuid4().hex[:8]}"
    ecr.create_repository(repository_name=name)
    for index, tag in enumerate(["v1", "v2", "v3", None, None]):
        ecr.put_image(
            repository_name=name, image_manifest=_manifest(f"{name}-{index}"), image_tag=tag
        )
    yield name
    ecr.delete_repository(repository_name=name, force=True)


def _tags(ecr: ECRClient, repository: str) -> list[list[str]]:
    found = ecr.paginators.describe_images(repository_name=repository)
    return sorted(sorted(detail.image_tags or []) for detail in found)


# -- the command line itself ---------------------------------------------------------------


def test_version_and_help_for_every_command(moto_shell: Shell) -> None:
    from ecrclient import __version__
    from ecrclient.cli.main import COMMANDS

    version = moto_shell.cli("--version")
    assert (version.returncode, version.stdout) == (0, f"ecrclient {__version__}\n")
    top = moto_shell.cli("--help")
    assert top.returncode == 0 and all(name in top.stdout for name in COMMANDS)
    for name in COMMANDS:
        result = moto_shell.cli(name, "--help")
        assert result.returncode == 0 and result.stdout.startswith(f"usage: ecrclient {name}")
        assert "--region" in result.stdout and "--json" in result.stdout
    bare = moto_shell.cli()
    assert bare.returncode == 2 and "usage:" in bare.stderr


def test_errors_are_one_line_without_a_traceback(moto_shell: Shell) -> None:
    missing = moto_shell.cli("scan", "cli/does-not-exist:v1")
    assert missing.returncode == 2
    assert missing.stderr.startswith("ecrclient: error: RepositoryNotFoundException: ")
    assert missing.stderr.count("\n") == 1 and "Traceback" not in missing.stderr
    no_region = moto_shell.cli("prune", "x/y", "--untagged", extra_env={"AWS_DEFAULT_REGION": ""})
    assert no_region.returncode == 2 and "no region" in no_region.stderr
    usage = moto_shell.cli("prune", "x/y")
    assert usage.returncode == 2 and "--keep-last, --untagged or --older-than" in usage.stderr
    bad_duration = moto_shell.cli("prune", "x/y", "--older-than", "soon")
    assert bad_duration.returncode == 2 and "not a duration" in bad_duration.stderr


def test_debug_logs_calls_but_not_secrets(moto_shell: Shell) -> None:
    result = moto_shell.cli("--debug", "login-password", "--no-cache")
    assert result.returncode == 0 and result.stdout == MOTO_PASSWORD + "\n"
    assert "GetAuthorizationToken" in result.stderr
    assert MOTO_PASSWORD not in result.stderr


# -- login ---------------------------------------------------------------------------------


def test_login_password_prints_the_password(moto_shell: Shell) -> None:
    result = moto_shell.cli("login-password")
    assert (result.returncode, result.stdout) == (0, MOTO_PASSWORD + "\n")
    named = moto_shell.cli("login-password", "--registry", REGISTRY, "--region", "us-east-1")
    assert named.stdout == MOTO_PASSWORD + "\n"
    document = json.loads(moto_shell.cli("login-password", "--json").stdout)
    assert document["username"] == "AWS" and document["registry"] == REGISTRY
    assert document["password"] == MOTO_PASSWORD and document["expires_at"].startswith("2015")


def test_login_password_refuses_a_contradicting_region(moto_shell: Shell) -> None:
    result = moto_shell.cli("login-password", "--registry", REGISTRY, "--region", "eu-west-1")
    assert result.returncode == 2
    assert result.stderr == (
        "ecrclient: error: the registry is in us-east-1, but --region says eu-west-1\n"
    )
    other = moto_shell.cli("login-password", "--registry", "docker.io")
    assert other.returncode == 2 and "not an Amazon ECR registry host" in other.stderr


def test_login_writes_an_auths_entry_only_when_asked(moto_shell: Shell) -> None:
    config = moto_shell.docker_config
    config.parent.mkdir(parents=True)
    original: dict[str, Any] = {
        "auths": {"ghcr.io": {"auth": "dXNlcjpwYXNz"}},
        "credsStore": "",
        "proxies": {"default": {"httpProxy": "http://proxy:3128"}},
    }
    config.write_text(json.dumps(original))
    config.chmod(0o600)
    dry = moto_shell.cli("login", "--registry", REGISTRY)
    assert dry.returncode == 0 and "--write-config" in dry.stdout
    assert json.loads(config.read_text()) == original
    written = moto_shell.cli("login", "--registry", REGISTRY, "--write-config")
    assert written.returncode == 0, written.stderr
    assert MOTO_PASSWORD not in written.stdout + written.stderr
    document = json.loads(config.read_text())
    assert document["auths"]["ghcr.io"] == original["auths"]["ghcr.io"]
    assert document["proxies"] == original["proxies"]
    auth = base64.b64decode(document["auths"][REGISTRY]["auth"]).decode()
    assert auth == f"AWS:{MOTO_PASSWORD}"
    assert config.stat().st_mode & 0o777 == 0o600
    assert [path.name for path in config.parent.iterdir()] == ["config.json"]


def test_login_with_the_helper_writes_a_cred_helpers_entry(moto_shell: Shell) -> None:
    result = moto_shell.cli("login", "--registry", REGISTRY, "--helper", "--write-config", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["section"], report["written"], report["changed"]) == ("credHelpers", True, True)
    assert json.loads(moto_shell.docker_config.read_text()) == {
        "credHelpers": {REGISTRY: "ecrclient"}
    }
    again = moto_shell.cli("login", "--registry", REGISTRY, "--helper", "--write-config")
    assert again.returncode == 0 and "already has" in again.stdout


def test_login_leaves_a_broken_docker_config_alone(moto_shell: Shell) -> None:
    config = moto_shell.docker_config
    config.parent.mkdir(parents=True)
    config.write_text("{broken")
    result = moto_shell.cli("login", "--registry", REGISTRY, "--helper", "--write-config")
    assert result.returncode == 2 and "not valid JSON" in result.stderr
    assert config.read_text() == "{broken"


# -- prune ---------------------------------------------------------------------------------


def test_prune_dry_run_lists_and_deletes_nothing(
    moto_shell: Shell, ecr: ECRClient, repository: str
) -> None:
    before = _tags(ecr, repository)
    result = moto_shell.cli("prune", repository, "--untagged")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines[:-1]] == ["delete", "delete"]
    assert all("<untagged>" in line and "untagged" in line for line in lines[:-1])
    assert lines[-1] == "2 of 5 images would be deleted (0.0 MiB); run with --delete to delete them"
    assert _tags(ecr, repository) == before
    document = json.loads(moto_shell.cli("--json", "prune", repository, "--keep-last", "2").stdout)
    assert document["dry_run"] is True and document["to_delete"] == 3
    assert all(image["delete"] for image in document["images"])
    assert document["deletion"] is None
    assert _tags(ecr, repository) == before


def test_prune_delete_removes_what_the_plan_lists(
    moto_shell: Shell, ecr: ECRClient, repository: str
) -> None:
    result = moto_shell.cli("prune", repository, "--untagged", "--delete", "--show-kept")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "deleted 2 of 5 images (0.0 MiB)"
    assert sum(line.startswith("keep") for line in result.stdout.splitlines()) == 3
    assert _tags(ecr, repository) == [["v1"], ["v2"], ["v3"]]


# -- scan ----------------------------------------------------------------------------------


def test_scan_gate_exit_statuses_under_basic_scanning(
    moto_shell: Shell, ecr: ECRClient, repository: str
) -> None:
    from ecrclient.model import ImageIdentifier

    not_scanned = moto_shell.cli("scan", f"{repository}:v1")
    assert not_scanned.returncode == 2 and "no scan of the image yet" in not_scanned.stderr
    ecr.start_image_scan(repository_name=repository, image_id=ImageIdentifier(image_tag="v1"))
    failing = moto_shell.cli("scan", f"{repository}:v1", "--wait", "--interval", "0.1")
    assert failing.returncode == 1, failing.stderr
    assert "BASIC scan COMPLETE; HIGH 1; FAIL: findings at or above HIGH" in failing.stdout
    passing = moto_shell.cli(
        "--json", "scan", f"{REGISTRY}/{repository}:v1", "--fail-on", "critical"
    )
    assert passing.returncode == 0, passing.stderr
    verdict = json.loads(passing.stdout)
    assert (verdict["passed"], verdict["fail_on"], verdict["severity_counts"]) == (
        True,
        "CRITICAL",
        {"HIGH": 1},
    )
    bad_threshold = moto_shell.cli("scan", f"{repository}:v1", "--fail-on", "SEVERE")
    assert bad_threshold.returncode == 2 and "not a severity" in bad_threshold.stderr


def test_scan_start_starts_a_basic_scan(moto_shell: Shell, repository: str) -> None:
    result = moto_shell.cli(
        "scan", f"{repository}:v2", "--wait", "--start", "--interval", "0.1", "--max-wait", "20"
    )
    assert result.returncode == 1 and "HIGH 1" in result.stdout, result.stderr
