"""Endpoint resolution, with botocore's resolver as the oracle."""

from __future__ import annotations

import itertools

import boto3
import pytest
from botocore.config import Config

from ecrclient import ClientConfig, ECRClient

REGIONS = [
    "us-east-1",
    "eu-west-1",
    "ap-southeast-2",
    "cn-north-1",
    "cn-northwest-1",
    "us-gov-west-1",
    "us-iso-east-1",
    "us-isob-east-1",
    "eu-isoe-west-1",
]
FLAGS = list(itertools.product([False, True], [False, True]))


class _Sent(Exception):
    def __init__(self, url: str) -> None:
        self.url = url


def _capture_url(request, **_: object) -> None:  # type: ignore[no-untyped-def]
    raise _Sent(request.url)


def _boto3_request_url(client) -> str | type[Exception]:  # type: ignore[no-untyped-def]
    """Where botocore actually sends a request: ``meta.endpoint_url`` is only its legacy guess."""
    client.meta.events.register("before-send.ecr.*", _capture_url)
    try:
        client.describe_registry()
    except _Sent as sent:
        return sent.url.rstrip("/")
    except Exception as exc:  # the oracle may refuse a combination; so must we
        return type(exc)
    raise AssertionError("the request was not sent")


def _boto3_endpoint(region: str, fips: bool, dualstack: bool) -> str | type[Exception]:
    try:
        client = boto3.client(
            "ecr",
            region_name=region,
            aws_access_key_id="a",
            aws_secret_access_key="b",
            config=Config(use_fips_endpoint=fips, use_dualstack_endpoint=dualstack),
        )
    except Exception as exc:
        return type(exc)
    return _boto3_request_url(client)


def _ecrclient_endpoint(region: str, fips: bool, dualstack: bool) -> str | type[Exception]:
    try:
        client = ECRClient(
            region_name=region,
            aws_access_key_id="a",
            aws_secret_access_key="b",
            config=ClientConfig(use_fips_endpoint=fips, use_dualstack_endpoint=dualstack),
        )
        return client.endpoint_url
    except Exception as exc:
        return type(exc)


def _rule_set_endpoint(region: str, fips: bool, dualstack: bool) -> str:
    """botocore's rule engine on botocore's own ECR rule set and partition data."""
    from botocore.endpoint_provider import EndpointProvider
    from botocore.loaders import create_loader

    loader = create_loader()
    provider = EndpointProvider(
        ruleset_data=loader.load_service_model("ecr", "endpoint-rule-set-1"),
        partition_data=loader.load_data("partitions"),
    )
    resolved = provider.resolve_endpoint(Region=region, UseFIPS=fips, UseDualStack=dualstack)
    return str(resolved.url)


@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize(("fips", "dualstack"), FLAGS, ids=lambda f: str(f))
def test_rule_set_matches_botocore(region: str, fips: bool, dualstack: bool) -> None:
    from botocore.exceptions import EndpointVariantError

    expected = _boto3_endpoint(region, fips, dualstack)
    ours = _ecrclient_endpoint(region, fips, dualstack)
    if expected is EndpointVariantError:
        # boto3 refuses this variant at client creation from its legacy endpoints.json table,
        # before the rule set is consulted; ecrclient follows the rule set, as botocore's own
        # rule engine does for the same inputs.
        assert ours == _rule_set_endpoint(region, fips, dualstack)
    else:
        assert ours == expected


@pytest.mark.parametrize(
    ("env", "explicit"),
    [
        ({"AWS_ENDPOINT_URL_ECR": "http://127.0.0.1:1/ecr"}, None),
        ({"AWS_ENDPOINT_URL": "http://127.0.0.1:2"}, None),
        ({"AWS_ENDPOINT_URL_ECR": "http://127.0.0.1:3", "AWS_ENDPOINT_URL": "http://x:4"}, None),
        ({"AWS_ENDPOINT_URL_ECR": "http://127.0.0.1:5"}, "http://127.0.0.1:6"),
        (
            {
                "AWS_ENDPOINT_URL_ECR": "http://127.0.0.1:7",
                "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true",
            },
            None,
        ),
        ({"AWS_USE_FIPS_ENDPOINT": "true"}, None),
        ({"AWS_USE_DUALSTACK_ENDPOINT": "true"}, None),
    ],
)
def test_environment_overrides_match_botocore(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], explicit: str | None
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    keys = {"aws_access_key_id": "a", "aws_secret_access_key": "b"}
    oracle = boto3.client("ecr", region_name="us-west-2", endpoint_url=explicit, **keys)
    ours = ECRClient(region_name="us-west-2", endpoint_url=explicit, **keys)
    assert ours.endpoint_url.rstrip("/") == _boto3_request_url(oracle)


def test_region_from_environment_and_missing_region(monkeypatch: pytest.MonkeyPatch) -> None:
    from botocore.exceptions import NoRegionError

    with pytest.raises(NoRegionError):
        ECRClient(aws_access_key_id="a", aws_secret_access_key="b")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-central-1")
    assert ECRClient(aws_access_key_id="a", aws_secret_access_key="b").region_name == "eu-central-1"
    monkeypatch.setenv("AWS_REGION", "eu-north-1")
    assert ECRClient(aws_access_key_id="a", aws_secret_access_key="b").region_name == "eu-north-1"


def test_region_from_profile(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    config = tmp_path / "config"
    config.write_text("[profile team]\nregion = ap-northeast-1\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    client = ECRClient(profile_name="team", aws_access_key_id="a", aws_secret_access_key="b")
    assert client.region_name == "ap-northeast-1"
    assert client.endpoint_url == "https://api.ecr.ap-northeast-1.amazonaws.com"


@pytest.mark.parametrize(
    "region",
    [
        "us-east-1",
        "UPPER-1",
        "x",
        "us-east-1 ",
        " us-east-1",
        "bad/region",
        "a.b",
        "123",
        "-x",
        "x-",
        "a" * 63,
        "a" * 64,
        "us_east_1",
    ],
)
def test_regions_botocore_refuses_are_refused_at_creation(region: str) -> None:
    import ecrclient

    keys = {"aws_access_key_id": "AKIDEXAMPLE", "aws_secret_access_key": "secret"}
    try:
        boto3.client("ecr", region_name=region, **keys)
    except Exception as exc:  # the oracle's outcome, whatever it is
        expected: type[Exception] | None = type(exc)
    else:
        expected = None
    makers = {
        "typed": lambda: ECRClient(region_name=region, **keys),
        "drop-in": lambda: ecrclient.client("ecr", region_name=region, **keys),
    }
    for make in makers.values():
        if expected is None:
            make()
        else:
            with pytest.raises(expected):
                make()


_SERVICES = "[services local]\necr =\n  endpoint_url = http://127.0.0.1:8\n"


@pytest.mark.parametrize(
    ("config_text", "env"),
    [
        ("[default]\nendpoint_url = http://127.0.0.1:1\n", {}),
        ("[default]\nservices = local\n" + _SERVICES, {}),
        ("[default]\nservices = local\nendpoint_url = http://127.0.0.1:2\n" + _SERVICES, {}),
        ("[default]\nendpoint_url = http://127.0.0.1:3\n", {"AWS_ENDPOINT_URL": "http://x:4"}),
        ("[default]\nservices = local\n" + _SERVICES, {"AWS_ENDPOINT_URL": "http://x:5"}),
        ("[default]\nservices = local\n" + _SERVICES, {"AWS_ENDPOINT_URL_ECR": "http://x:6"}),
        (
            "[default]\nendpoint_url = http://127.0.0.1:7\n"
            "ignore_configured_endpoint_urls = true\n",
            {},
        ),
        (
            "[default]\nendpoint_url = http://127.0.0.1:9\n",
            {"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "TRUE"},
        ),
        (
            "[default]\nendpoint_url = http://127.0.0.1:9\n",
            {"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "1"},
        ),
        ("[default]\nuse_fips_endpoint = true\n", {}),
        ("[default]\nuse_dualstack_endpoint = True\n", {}),
        ("[default]\nuse_fips_endpoint = true\n", {"AWS_USE_FIPS_ENDPOINT": "false"}),
        ("", {"AWS_USE_FIPS_ENDPOINT": "1"}),
        ("[default]\nservices = missing\n", {}),
        ("[profile team]\nendpoint_url = http://127.0.0.1:10\n", {"AWS_PROFILE": "team"}),
    ],
)
def test_config_file_endpoints_and_flags_match_botocore(
    config_text: str,
    env: dict[str, str],
    tmp_path,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    import ecrclient

    config = tmp_path / "config"
    config.write_text(config_text)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    keys = {"aws_access_key_id": "a", "aws_secret_access_key": "b", "region_name": "us-west-2"}
    try:
        expected: str | type[Exception] = _boto3_request_url(
            boto3.session.Session().client("ecr", **keys)
        )
    except Exception as exc:  # refused at creation
        expected = type(exc)
    for make in (ECRClient, lambda **kw: ecrclient.client("ecr", **kw).typed):
        try:
            found: str | type[Exception] = make(**keys).endpoint_url.rstrip("/")
        except Exception as exc:
            found = type(exc)
        assert found == expected


@pytest.mark.parametrize(
    ("env", "options"),
    [
        ({}, {}),
        ({}, {"endpoint_url": "http://127.0.0.1:1"}),
        ({"AWS_ENDPOINT_URL_ECR": "http://127.0.0.1:2"}, {}),
        ({"AWS_USE_FIPS_ENDPOINT": "true"}, {}),
        ({}, {"config": Config(use_dualstack_endpoint=True)}),
    ],
)
def test_endpoint_resolution_builtins_match_botocores(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], options: dict[str, object]
) -> None:
    import ecrclient

    for name, value in env.items():
        monkeypatch.setenv(name, value)
    keys = {"aws_access_key_id": "a", "aws_secret_access_key": "b", "region_name": "eu-west-1"}
    seen = []
    for make in (boto3.session.Session().client, ecrclient.client):
        client = make("ecr", **keys, **options)  # type: ignore[operator]
        found: dict[str, object] = {}

        def capture(
            builtins: dict[str, object], found: dict[str, object] = found, **_: object
        ) -> None:
            found.update({str(getattr(k, "value", k)): v for k, v in builtins.items()})
            raise _Sent("")

        client.meta.events.register("before-endpoint-resolution.ecr", capture)
        with pytest.raises(_Sent):
            client.describe_registry()
        seen.append(
            {
                k: found[k]
                for k in ("AWS::Region", "AWS::UseFIPS", "AWS::UseDualStack", "SDK::Endpoint")
            }
        )
    assert seen[1] == seen[0]


def test_ignore_configured_endpoint_urls_in_config_matches_botocore(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import ecrclient

    monkeypatch.setenv("AWS_ENDPOINT_URL_ECR", "http://127.0.0.1:11")
    keys = {"aws_access_key_id": "a", "aws_secret_access_key": "b", "region_name": "us-west-2"}
    config = Config(ignore_configured_endpoint_urls=True)
    expected = _boto3_request_url(boto3.session.Session().client("ecr", config=config, **keys))
    assert expected == "https://api.ecr.us-west-2.amazonaws.com"
    assert ecrclient.client("ecr", config=config, **keys).typed.endpoint_url == expected
    typed = ECRClient(config=ClientConfig(ignore_configured_endpoint_urls=True), **keys)
    assert typed.endpoint_url == expected
    assert ECRClient(**keys).endpoint_url == "http://127.0.0.1:11"
