"""The recipes' functions, loaded from docs/recipes/ as modules, against stubbed answers.

tests/test_docs.py runs each recipe as a script against the moto server. Some steps only run
against ECR itself (moto has no pull-through cache rules and no replication backfills), and
docker is not run there: this checks those functions request by request, with TypedStubber."""

from __future__ import annotations

import base64
import json
import stat
import sys
import types
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest
from test_docs import DOCS, fences

from ecrclient import ECRClient
from ecrclient.errors import PullThroughCacheRuleAlreadyExistsException
from ecrclient.model import (
    AuthorizationData,
    CreatePullThroughCacheRuleRequest,
    CreatePullThroughCacheRuleResult,
    DescribeImageScanFindingsResult,
    DescribeRegistryResult,
    DescribeReplicationBackfillResultsRequest,
    DescribeReplicationBackfillResultsResult,
    EnhancedImageScanFinding,
    GetAuthorizationTokenResult,
    ImageIdentifier,
    ImageScanFindings,
    ImageScanStatus,
    PutReplicationConfigurationRequest,
    PutReplicationConfigurationResult,
    Recommendation,
    Remediation,
    ReplicationBackfillProgress,
    ReplicationBackfillResult,
    ReplicationConfiguration,
    ReplicationDestination,
    ReplicationRule,
    RepositoryFilter,
    StartReplicationBackfillRequest,
    StartReplicationBackfillResult,
    ValidatePullThroughCacheRuleRequest,
    ValidatePullThroughCacheRuleResult,
)
from ecrclient.testing import TypedStubber

RECIPES = DOCS / "recipes"
BACKFILL_1 = "0f4c6a6e-2b1d-4c53-9a1e-5d2f7c1b8a01"
BACKFILL_2 = "0f4c6a6e-2b1d-4c53-9a1e-5d2f7c1b8a02"


def recipe(name: str) -> types.ModuleType:
    """The one Python block of docs/recipes/<name>.md, run as a module (its main part, under
    ``if __name__ == "__main__":``, does not run)."""
    blocks = [f for f in fences(RECIPES / f"{name}.md") if f.language in {"python", "py"}]
    assert len(blocks) == 1, f"{name}.md should hold one Python block"
    module = types.ModuleType(f"recipe_{name.replace('-', '_')}")
    exec(compile(blocks[0].code, str(RECIPES / f"{name}.md"), "exec"), module.__dict__)
    return module


@pytest.fixture
def stubbed() -> Iterator[tuple[ECRClient, TypedStubber]]:
    ecr = ECRClient(region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b")
    with TypedStubber(ecr) as stubber:
        yield ecr, stubber
        stubber.assert_no_pending_responses()
    ecr.close()


def test_every_recipe_page_is_in_the_index() -> None:
    index = (RECIPES / "index.md").read_text(encoding="utf-8")
    for page in RECIPES.glob("*.md"):
        if page.name != "index.md":
            assert f"]({page.name})" in index, page.name


def test_docker_login_pipes_the_password(
    stubbed: tuple[ECRClient, TypedStubber], tmp_path: Path
) -> None:
    ecr, stubber = stubbed
    login = recipe("docker-login")
    # A stand-in docker that records its arguments and what it reads on standard input.
    record = tmp_path / "record.json"
    docker = tmp_path / "docker"
    docker.write_text(
        f"#!{sys.executable}\n"
        "import json, sys\n"
        f"open({str(record)!r}, 'w').write(json.dumps([sys.argv[1:], sys.stdin.read()]))\n"
    )
    docker.chmod(docker.stat().st_mode | stat.S_IEXEC)
    token = base64.b64encode(b"AWS:s3cret-password").decode()
    server = "https://123456789012.dkr.ecr.us-east-1.amazonaws.com"
    for _ in range(2):
        stubber.add_response(
            "get_authorization_token",
            GetAuthorizationTokenResult(
                authorization_data=[
                    AuthorizationData(
                        authorization_token=token,
                        proxy_endpoint=server,
                        expires_at=datetime(2030, 1, 1, tzinfo=timezone.utc),
                    )
                ]
            ),
        )
    assert login.docker_login(ecr, docker=str(docker)) == server
    args, stdin = json.loads(record.read_text())
    assert args == ["login", "--username", "AWS", "--password-stdin", server]
    assert stdin == "s3cret-password"

    other = "https://210987654321.dkr.ecr.us-east-1.amazonaws.com"
    assert login.docker_login(ecr, other, docker=str(docker)) == other
    assert json.loads(record.read_text())[0][-1] == other


def test_replication_rules_are_added_once(stubbed: tuple[ECRClient, TypedStubber]) -> None:
    ecr, stubber = stubbed
    replication = recipe("replication")
    existing = ReplicationRule(
        destinations=[ReplicationDestination(region="us-west-2", registry_id="123456789012")]
    )
    destination = ReplicationDestination(region="eu-west-1", registry_id="123456789012")
    added = ReplicationRule(
        destinations=[destination],
        repository_filters=[RepositoryFilter(filter="prod", filter_type="PREFIX_MATCH")],
    )
    both = ReplicationConfiguration(rules=[existing, added])
    stubber.add_response(
        "describe_registry",
        DescribeRegistryResult(
            replication_configuration=ReplicationConfiguration(rules=[existing])
        ),
    )
    stubber.add_response(
        "put_replication_configuration",
        PutReplicationConfigurationResult(replication_configuration=both),
        expected_request=PutReplicationConfigurationRequest(replication_configuration=both),
    )
    assert replication.add_replication_rule(ecr, "prod", [destination]) == both
    # Again: the rule is there already, the configuration is put back unchanged.
    stubber.add_response(
        "describe_registry", DescribeRegistryResult(replication_configuration=both)
    )
    stubber.add_response(
        "put_replication_configuration",
        PutReplicationConfigurationResult(replication_configuration=both),
        expected_request=PutReplicationConfigurationRequest(replication_configuration=both),
    )
    assert replication.add_replication_rule(ecr, "prod", [destination]) == both


def test_a_backfill_is_followed_to_its_end(
    stubbed: tuple[ECRClient, TypedStubber], capsys: pytest.CaptureFixture[str]
) -> None:
    ecr, stubber = stubbed
    replication = recipe("replication")
    destination = ReplicationDestination(region="eu-west-1", registry_id="123456789012")
    stubber.add_response(
        "start_replication_backfill",
        StartReplicationBackfillResult(replication_backfill_id=BACKFILL_1, status="PREPARING"),
        expected_request=StartReplicationBackfillRequest(destination=destination),
    )
    for status, completed, failed in (
        ("PREPARING", 0, 0),
        ("IN_PROGRESS", 3, 0),
        ("COMPLETE", 9, 1),
    ):
        stubber.add_response(
            "describe_replication_backfill_results",
            DescribeReplicationBackfillResultsResult(
                replication_backfill_id=BACKFILL_1,
                status=status,
                progress=ReplicationBackfillProgress(
                    total_replication_count=10,
                    completed_replication_count=completed,
                    failed_replication_count=failed,
                    failure_codes=[],
                ),
            ),
            expected_request=DescribeReplicationBackfillResultsRequest(
                replication_backfill_id=BACKFILL_1, max_results=1
            ),
        )
    final = replication.backfill(ecr, destination, interval=0)
    assert final.status == "COMPLETE"
    assert "IN_PROGRESS: 3 of 10 replicated, 0 failed" in capsys.readouterr().out

    failure = ReplicationBackfillResult(
        repository_name="prod/web",
        image_id=ImageIdentifier(image_tag="v1"),
        status="FAILED",
        failure_code="KMS_ERROR",
    )
    stubber.add_response(
        "describe_replication_backfill_results",
        DescribeReplicationBackfillResultsResult(results=[failure]),
        expected_request=DescribeReplicationBackfillResultsRequest(
            replication_backfill_id=BACKFILL_1, result_status_filter="FAILED"
        ),
    )
    assert replication.failed_images(ecr, BACKFILL_1) == [failure]


def test_a_backfill_that_does_not_end_times_out(stubbed: tuple[ECRClient, TypedStubber]) -> None:
    ecr, stubber = stubbed
    replication = recipe("replication")
    destination = ReplicationDestination(region="eu-west-1", registry_id="123456789012")
    stubber.add_response(
        "start_replication_backfill",
        StartReplicationBackfillResult(replication_backfill_id=BACKFILL_2),
    )
    stubber.add_response(
        "describe_replication_backfill_results",
        DescribeReplicationBackfillResultsResult(status="IN_PROGRESS"),
    )
    with pytest.raises(TimeoutError, match=f"{BACKFILL_2} still IN_PROGRESS"):
        replication.backfill(ecr, destination, timeout=1, interval=5)


def test_pull_through_cache_rules(stubbed: tuple[ECRClient, TypedStubber]) -> None:
    ecr, stubber = stubbed
    cache = recipe("pull-through-cache")
    stubber.add_response(
        "create_pull_through_cache_rule",
        CreatePullThroughCacheRuleResult(ecr_repository_prefix="docker-hub"),
        expected_request=CreatePullThroughCacheRuleRequest(
            ecr_repository_prefix="docker-hub",
            upstream_registry_url="registry-1.docker.io",
            upstream_registry="docker-hub",
            credential_arn=cache.DOCKER_HUB_SECRET,
        ),
    )
    assert cache.ensure_cache_rule(
        ecr,
        "docker-hub",
        "registry-1.docker.io",
        "docker-hub",
        credential_arn=cache.DOCKER_HUB_SECRET,
    )
    stubber.add_error("create_pull_through_cache_rule", PullThroughCacheRuleAlreadyExistsException)
    assert not cache.ensure_cache_rule(ecr, "ecr-public", "public.ecr.aws", "ecr-public")

    stubber.add_response(
        "validate_pull_through_cache_rule",
        ValidatePullThroughCacheRuleResult(is_valid=False, failure="invalid credentials"),
        expected_request=ValidatePullThroughCacheRuleRequest(ecr_repository_prefix="docker-hub"),
    )
    check = cache.check_cache_rule(ecr, "docker-hub")
    assert check.is_valid is False and check.failure == "invalid credentials"

    assert (
        cache.cached_image("123456789012", "eu-west-1", "docker-hub", "library/nginx:1.27")
        == "123456789012.dkr.ecr.eu-west-1.amazonaws.com/docker-hub/library/nginx:1.27"
    )


def test_enhanced_findings_gate(
    stubbed: tuple[ECRClient, TypedStubber], capsys: pytest.CaptureFixture[str]
) -> None:
    ecr, stubber = stubbed
    gate = recipe("scan-findings")
    image = ImageIdentifier(image_tag="v1")
    findings = ImageScanFindings(
        finding_severity_counts={"CRITICAL": 1, "LOW": 2},
        enhanced_findings=[
            EnhancedImageScanFinding(
                severity="CRITICAL",
                title="CVE-2024-0001 - openssl",
                remediation=Remediation(recommendation=Recommendation(text="Upgrade openssl")),
            ),
            EnhancedImageScanFinding(severity="LOW", title="CVE-2024-0002 - zlib"),
        ],
    )
    stubber.add_response(
        "describe_image_scan_findings",
        DescribeImageScanFindingsResult(image_scan_status=ImageScanStatus(status="PENDING")),
    )
    stubber.add_response(
        "describe_image_scan_findings",
        DescribeImageScanFindingsResult(
            image_scan_status=ImageScanStatus(status="ACTIVE"), image_scan_findings=findings
        ),
    )
    result = gate.wait_for_findings(ecr, "web", image, timeout=10, interval=0)
    assert result.image_scan_findings == findings

    stubber.add_response(
        "describe_image_scan_findings",
        DescribeImageScanFindingsResult(
            image_scan_status=ImageScanStatus(status="ACTIVE"), image_scan_findings=findings
        ),
    )
    gate.print_enhanced_findings(ecr, "web", "v1")
    assert capsys.readouterr().out == "CRITICAL CVE-2024-0001 - openssl Upgrade openssl\n"

    stubber.add_response(
        "describe_image_scan_findings",
        DescribeImageScanFindingsResult(
            image_scan_status=ImageScanStatus(status="FINDINGS_UNAVAILABLE", description="gone")
        ),
    )
    with pytest.raises(RuntimeError, match="FINDINGS_UNAVAILABLE: gone"):
        gate.wait_for_findings(ecr, "web", image, timeout=10, interval=0)


def test_policy_statements_are_replaced_by_sid() -> None:
    cross = recipe("cross-account")
    first = {"Sid": "a", "Effect": "Allow", "Principal": "*", "Action": ["ecr:BatchGetImage"]}
    policy = cross.with_statement(None, first)
    second = {**first, "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]}
    other = {**first, "Sid": "b"}
    again = json.loads(cross.with_statement(cross.with_statement(policy, other), second))
    assert again == {"Version": "2012-10-17", "Statement": [other, second]}
