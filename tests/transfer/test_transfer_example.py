"""examples/push_manifest.py against the registry server, which (unlike moto) refuses a manifest
whose blobs are not in the repository, as ECR does."""

from __future__ import annotations

import sys
from pathlib import Path

from support.ecr_registry_server import EcrRegistryServer
from support.transfer_fixtures import registry_fixture  # noqa: F401 - pytest finds fixtures by their names
from support.transfer_kits import KEYS, REPOSITORY

from ecrclient import ECRClient

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "examples"))

import push_manifest


def test_push_manifest_uploads_its_blobs_first(registry: EcrRegistryServer) -> None:
    with ECRClient(region_name="us-east-1", endpoint_url=registry.endpoint, **KEYS) as ecr:
        digest = push_manifest.push(ecr, REPOSITORY, "v1")
        assert push_manifest.push(ecr, REPOSITORY, "v1") == digest
        assert push_manifest.read_back(ecr, REPOSITORY, digest) == push_manifest.manifest("v1")
    operations = registry.operations()
    assert operations.count("CompleteLayerUpload") == 2  # config and layer, once each
    assert operations.index("CompleteLayerUpload") < operations.index("PutImage")
