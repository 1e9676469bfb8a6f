"""Shared fixtures: a moto ECR server on 127.0.0.1 and clients pointed at it."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# The suites' shared helpers (the client-kind matrix, the fault server, the boto3 oracle, the
# pinned model) are plain modules in tests/support/.
sys.path.insert(0, str(Path(__file__).resolve().parent / "support"))

from blocking import CLIENT_KINDS, make_client

from ecrclient import ECRClient

REGION = "us-east-1"
ACCESS_KEY = "AKIDEXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"


@pytest.fixture(autouse=True)
def _isolated_aws_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """No test reads the developer's AWS files, AWS or proxy variables, or CA bundle settings,
    or reaches instance metadata."""
    for name in list(os.environ):
        if name.startswith("AWS_") or name.lower().endswith("_proxy"):
            monkeypatch.delenv(name)
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    empty = tmp_path_factory.getbasetemp() / "no-aws-config"
    empty.touch()
    monkeypatch.setenv("AWS_CONFIG_FILE", str(empty))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(empty))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    """A real moto server bound to 127.0.0.1 on a free port, for the whole session."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    assert host == "127.0.0.1"
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.fixture(params=CLIENT_KINDS)
def moto_client(moto_endpoint: str, request: pytest.FixtureRequest) -> Iterator[ECRClient]:
    """The sync client, and the async client (both transports) behind a blocking face."""
    with make_client(
        request.param,
        region_name=REGION,
        endpoint_url=moto_endpoint,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
    ) as client:
        yield client


@pytest.fixture
def boto3_moto_client(moto_endpoint: str):  # type: ignore[no-untyped-def]
    import boto3

    client = boto3.client(
        "ecr",
        region_name=REGION,
        endpoint_url=moto_endpoint,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
    )
    yield client
    client.close()
