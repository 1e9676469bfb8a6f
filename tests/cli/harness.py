"""The environment a user's shell would have, pointed at a local ECR endpoint (moto, or the stub
in ``ecr_stub.py``), and runners for the two programs as subprocesses."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

HELPER = [sys.executable, "-m", "ecrclient.cli.credential_helper"]
CLI = [sys.executable, "-m", "ecrclient.cli.main"]
REGISTRY = "123456789012.dkr.ecr.us-east-1.amazonaws.com"


class Shell:
    """Runs the programs with one environment (a fresh token cache and docker config)."""

    def __init__(self, home: Path, endpoint: str) -> None:
        home.mkdir(parents=True, exist_ok=True)
        empty = home / "empty-aws-file"
        empty.touch()
        env = {name: value for name, value in os.environ.items() if not name.startswith("AWS_")}
        env.update(
            AWS_ACCESS_KEY_ID="testing",
            AWS_SECRET_ACCESS_KEY="testing",
            AWS_DEFAULT_REGION="us-east-1",
            AWS_CONFIG_FILE=str(empty),
            AWS_SHARED_CREDENTIALS_FILE=str(empty),
            AWS_EC2_METADATA_DISABLED="true",
            AWS_ENDPOINT_URL_ECR=endpoint,
            AWS_MAX_ATTEMPTS="1",
            ECRCLIENT_CACHE_DIR=str(home / "cache"),
            DOCKER_CONFIG=str(home / "docker"),
            HOME=str(home),
        )
        env.pop("ECRCLIENT_DEBUG", None)
        env.pop("ECRCLIENT_TEST_REGISTRY_ALIASES", None)
        self.env = env
        self.home = home

    @property
    def cache_dir(self) -> Path:
        return Path(self.env["ECRCLIENT_CACHE_DIR"]) / "docker-tokens"

    @property
    def docker_config(self) -> Path:
        return Path(self.env["DOCKER_CONFIG"]) / "config.json"

    def run(
        self,
        program: list[str],
        *args: str,
        stdin: str = "",
        extra_env: Mapping[str, str] | None = None,
        timeout: float = 60,
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*program, *args],
            input=stdin,
            env={**self.env, **(extra_env or {})},
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def helper(
        self, action: str, stdin: str = "", extra_env: Mapping[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        return self.run(HELPER, action, stdin=stdin, extra_env=extra_env)

    def cli(
        self, *args: str, stdin: str = "", extra_env: Mapping[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        return self.run(CLI, *args, stdin=stdin, extra_env=extra_env)
