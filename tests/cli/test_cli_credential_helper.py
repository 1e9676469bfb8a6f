"""``docker-credential-ecrclient`` as docker runs it: a subprocess, the action as argument, the
input on stdin, JSON on stdout, against a local ECR endpoint that counts the calls."""

from __future__ import annotations

import json
import subprocess
import sys
import time

from .ecr_stub import EcrStub, error
from .harness import HELPER, REGISTRY, Shell


def _get(shell: Shell, server_url: str = REGISTRY) -> dict[str, str]:
    result = shell.helper("get", server_url + "\n")
    assert result.returncode == 0, result.stdout + result.stderr
    answer: dict[str, str] = json.loads(result.stdout)
    return answer


def _age_cache_record(shell: Shell, seconds: float) -> None:
    """Make the cached token look ``seconds`` older than it is."""
    record = next(shell.cache_dir.glob("*.json"))
    document = json.loads(record.read_text())
    document["requested_at"] -= seconds
    record.write_text(json.dumps(document))


def test_get_answers_docker_and_a_second_get_is_served_from_the_cache(
    stub: EcrStub, stub_shell: Shell
) -> None:
    first = _get(stub_shell)
    assert first == {"ServerURL": REGISTRY, "Username": "AWS", "Secret": stub.password(1)}
    again = _get(stub_shell, f"https://{REGISTRY}")
    assert again["Secret"] == stub.password(1) and again["ServerURL"] == f"https://{REGISTRY}"
    assert stub.count("GetAuthorizationToken") == 1
    # one call, no registryIds: the token serves every registry of the region
    assert stub.bodies("GetAuthorizationToken") == [{}]


def test_cache_files_are_private(stub_shell: Shell) -> None:
    _get(stub_shell)
    folder = stub_shell.cache_dir
    assert folder.stat().st_mode & 0o777 == 0o700
    files = list(folder.glob("*.json"))
    assert len(files) == 1 and files[0].stat().st_mode & 0o777 == 0o600
    assert not list(folder.glob("*.tmp"))


def test_a_token_past_half_its_lifetime_is_renewed(stub: EcrStub, stub_shell: Shell) -> None:
    stub.token_lifetime = 3.0  # renewed after 1.5 s
    assert _get(stub_shell)["Secret"] == stub.password(1)
    assert _get(stub_shell)["Secret"] == stub.password(1)
    time.sleep(1.6)
    assert _get(stub_shell)["Secret"] == stub.password(2)
    assert stub.count("GetAuthorizationToken") == 2


def test_a_failed_renewal_falls_back_to_the_cached_token_while_it_is_valid(
    stub: EcrStub, stub_shell: Shell
) -> None:
    stub.token_lifetime = 122.0  # renewal due after 61 s; usable until 60 s before expiry
    _get(stub_shell)
    _age_cache_record(stub_shell, 200)  # renewal due (after 161 s), still usable
    stub.script("GetAuthorizationToken", [error("ServerException", "down", 500)])
    assert _get(stub_shell)["Secret"] == stub.password(1)
    assert stub.count("GetAuthorizationToken") == 2


def test_an_expired_token_is_not_used_when_renewal_fails(stub: EcrStub, stub_shell: Shell) -> None:
    stub.token_lifetime = 0.5
    _get(stub_shell)
    time.sleep(0.6)
    stub.script("GetAuthorizationToken", [error("ServerException", "down", 500)])
    result = stub_shell.helper("get", REGISTRY)
    assert result.returncode == 1
    assert result.stdout.startswith("docker-credential-ecrclient: ServerException")
    assert stub.password(1) not in result.stdout + result.stderr


def test_a_corrupt_cache_file_is_ignored_and_replaced(stub: EcrStub, stub_shell: Shell) -> None:
    _get(stub_shell)
    record = next(stub_shell.cache_dir.glob("*.json"))
    record.write_bytes(b"{not json")
    assert _get(stub_shell)["Secret"] == stub.password(2)
    assert json.loads(record.read_text())["password"] == stub.password(2)


def test_eight_concurrent_helpers_with_an_empty_cache_make_one_call(
    stub: EcrStub, stub_shell: Shell
) -> None:
    stub.token_delay = 0.3  # the first fetch is still running when the others start
    processes = [
        subprocess.Popen(
            [*HELPER, "get"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=stub_shell.env,
            text=True,
        )
        for _ in range(8)
    ]
    outputs = [process.communicate(REGISTRY + "\n", timeout=60) for process in processes]
    assert [process.returncode for process in processes] == [0] * 8, outputs
    secrets = {json.loads(stdout)["Secret"] for stdout, _ in outputs}
    assert secrets == {stub.password(1)}
    assert stub.count("GetAuthorizationToken") == 1


def test_debug_logs_never_show_the_token(stub: EcrStub, stub_shell: Shell) -> None:
    result = stub_shell.helper("get", REGISTRY, extra_env={"ECRCLIENT_DEBUG": "1"})
    assert result.returncode == 0
    assert "GetAuthorizationToken" in result.stderr  # the log is there ...
    _age_cache_record(stub_shell, 13 * 3600)  # renewal due, token still valid
    renewed = stub_shell.helper("get", REGISTRY, extra_env={"ECRCLIENT_DEBUG": "1"})
    assert json.loads(renewed.stdout)["Secret"] == stub.password(2)
    logs = result.stderr + renewed.stderr
    for number in (1, 2):
        assert stub.password(number) not in logs  # ... without the passwords
    assert "QVdTOn" not in logs  # nor a base64 "AWS:..." token


def test_hosts_that_are_not_ecr_are_not_found(stub: EcrStub, stub_shell: Shell) -> None:
    for server_url in ("index.docker.io", "https://ghcr.io", "123.dkr.ecr.us-east-1.amazonaws.com"):
        result = stub_shell.helper("get", server_url)
        assert (result.returncode, result.stdout) == (
            1,
            "credentials not found in native keychain\n",
        )
    assert stub.count("GetAuthorizationToken") == 0


def test_store_and_erase_succeed_without_doing_anything(stub: EcrStub, stub_shell: Shell) -> None:
    stored = json.dumps({"ServerURL": REGISTRY, "Username": "AWS", "Secret": "from-docker-login"})
    assert stub_shell.helper("store", stored).returncode == 0
    assert stub_shell.helper("erase", REGISTRY + "\n").returncode == 0
    assert not stub_shell.cache_dir.exists() or not list(stub_shell.cache_dir.glob("*.json"))
    refused = stub_shell.helper("store", json.dumps({"ServerURL": "docker.io", "Secret": "x"}))
    assert refused.returncode == 1 and "only Amazon ECR" in refused.stdout
    assert stub.count("GetAuthorizationToken") == 0


def test_list_shows_the_cached_registries(stub: EcrStub, stub_shell: Shell) -> None:
    empty = stub_shell.helper("list")
    assert (empty.returncode, json.loads(empty.stdout)) == (0, {})
    _get(stub_shell)
    _get(stub_shell, "123456789012.dkr.ecr.eu-west-1.amazonaws.com")
    listed = stub_shell.helper("list")
    assert json.loads(listed.stdout) == {
        f"https://{REGISTRY}": "AWS",
        "https://123456789012.dkr.ecr.eu-west-1.amazonaws.com": "AWS",
    }
    other_profile = stub_shell.helper("list", extra_env={"AWS_PROFILE": "other"})
    assert json.loads(other_profile.stdout) == {}
    assert stub.count("GetAuthorizationToken") == 2


def test_version_and_usage(stub_shell: Shell) -> None:
    version = stub_shell.helper("version")
    assert version.returncode == 0 and version.stdout.startswith("docker-credential-ecrclient ")
    assert stub_shell.helper("--help").returncode == 0
    wrong = stub_shell.helper("fetch")
    assert wrong.returncode == 1 and "usage:" in wrong.stderr


def test_a_cache_hit_loads_neither_botocore_nor_httpx(stub: EcrStub, stub_shell: Shell) -> None:
    """The start-up promise, checked with ``python -X importtime``."""
    _get(stub_shell)  # warm the cache
    result = subprocess.run(
        [sys.executable, "-X", "importtime", *HELPER[1:], "get"],
        input=REGISTRY,
        env=stub_shell.env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0 and json.loads(result.stdout)["Secret"] == stub.password(1)
    imported = {
        line.split("|")[-1].strip()
        for line in result.stderr.splitlines()
        if line.startswith("import time:")
    }
    assert "ecrclient.login.cache" in imported  # the parse found the modules ...
    heavy = {name for name in imported if name.split(".")[0] in {"botocore", "httpx", "httpcore"}}
    assert heavy == set()  # ... and none of the HTTP stack
    assert not {"ecrclient.sync_client", "ecrclient.login.fetch", "asyncio"} & imported
    assert stub.count("GetAuthorizationToken") == 1
