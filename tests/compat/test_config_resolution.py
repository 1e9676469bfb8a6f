"""Configuration resolution, differential against botocore: for each environment and pair of
shared files in the matrix, the typed client, the drop-in client and ``ecrclient.Session`` must
resolve what botocore/boto3 (the installed version is the oracle) resolves in the very same
environment: profile, region, endpoint and the rule set's inputs, retry mode and attempts, CA
bundle, proxies and credentials. No expected value is written by hand: every one is read from a
botocore client or session built in the case's environment. Where botocore refuses to create a
client, ecrclient must refuse too (the drop-in and the session with botocore's own exception
class, when botocore raises one of its own).

Deliberate differences are built into the oracle, and each case names the facts where they must
show (``typed_differs``, ``drop_in_differs``); the test checks that exactly those facts differ
from plain botocore, so a deliberate difference is asserted, never skipped:

- the typed client reads ``AWS_REGION`` (first) besides ``AWS_DEFAULT_REGION``: its oracle is
  given that region;
- the typed client's retry mode defaults to ``standard`` whatever botocore's default (the
  drop-in follows botocore's: ``legacy`` before 1.44, ``standard`` since): its oracle runs with
  that default, and one case runs as a botocore before 1.44;
- both clients show where requests go: the drop-in's ``meta.endpoint_url`` is the rule set's
  answer and ``NO_PROXY`` is matched against that host, where botocore uses its legacy
  resolver's guess for both (they differ for FIPS);
- a CA bundle that does not exist is refused when the client is created (boto3 fails each call).

Discrepancies whose fixes lie outside the settings code are listed in :data:`KNOWN` as strict
expected failures on the facts concerned.

Every case runs with the machine's environment cleared: no ``AWS_*`` or proxy variable, ``HOME``
a temporary directory whose ``~/.aws`` files are decoys (they must be ignored when
``AWS_CONFIG_FILE`` / ``AWS_SHARED_CREDENTIALS_FILE`` point elsewhere), static keys, no network.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import os
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import boto3
import botocore.loaders
import botocore.session
import pytest
from botocore import configprovider
from botocore.exceptions import BotoCoreError, NoCredentialsError

import ecrclient
from ecrclient import ECRClient

# --------------------------------------------------------------------------------------------
# The matrix.
# --------------------------------------------------------------------------------------------

KEYS = (
    "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = secret-default\n"
    "[foo]\naws_access_key_id = AKIDFOO\naws_secret_access_key = secret-foo\n"
    "[bar]\naws_access_key_id = AKIDBAR\naws_secret_access_key = secret-bar\n"
    "aws_session_token = token-bar\n"
)
"""The usual credentials file: static keys for ``default``, ``foo`` and ``bar``."""

PROFILES = (
    "[default]\nregion = eu-west-1\n"
    "[profile foo]\nregion = eu-central-1\n"
    "[profile bar]\nregion = ap-northeast-1\n"
)
"""The usual config file: a region for each profile."""

DECOY = (
    "[default]\nregion = sa-east-1\nendpoint_url = http://decoy.invalid\n"
    "aws_access_key_id = AKIDDECOY\naws_secret_access_key = decoy\n"
    "retry_mode = adaptive\nmax_attempts = 9\nca_bundle = {tmp}/decoy.pem\n"
    "use_fips_endpoint = true\n"
    "[profile foo]\nregion = sa-east-1\nendpoint_url = http://decoy.invalid\n"
    "[foo]\nregion = sa-east-1\naws_access_key_id = AKIDDECOY\naws_secret_access_key = decoy\n"
)
"""Written to ``~/.aws/config`` and ``~/.aws/credentials`` under the temporary ``HOME`` when the
case's files live elsewhere: any of it showing up means a file was read that should not be."""

ROLE = "arn:aws:iam::123456789012:role/deploy"
SERVICES = "[services local]\necr =\n  endpoint_url = http://127.0.0.1:4001\n"
SERVICES_S3_ONLY = "[services s3only]\ns3 =\n  endpoint_url = http://127.0.0.1:4002\n"

LEGACY_GUESS = frozenset({"meta.endpoint_url"})
"""FIPS: the drop-in's ``meta.endpoint_url`` is where requests go, botocore's its legacy guess."""


@dataclasses.dataclass(frozen=True)
class Case:
    """One environment: variables, the two shared files, and what the code passes."""

    id: str
    env: Mapping[str, str | None] = dataclasses.field(default_factory=dict)
    """Variables to set (``{tmp}`` is the case's directory); ``None`` removes one."""
    config: str = PROFILES
    credentials: str = KEYS
    at_home: bool = False
    """Write the files to ``~/.aws`` and leave ``AWS_CONFIG_FILE`` /
    ``AWS_SHARED_CREDENTIALS_FILE`` unset (else they point at the files, and ``~/.aws`` holds
    decoys)."""
    profile: str | None = None
    """``profile_name`` given to the session and the typed client."""
    region: str | None = None
    """``region_name`` given to every client."""
    endpoint: str | None = None
    """``endpoint_url`` given to every client."""
    botocore_retry_default: str | None = None
    """Run as a botocore whose ``retry_mode`` default is this (1.x before 1.44: ``legacy``)."""
    assume_role: bool = False
    """The credentials come from STS: compare the provider chosen, never fetch them."""
    typed_differs: frozenset[str] = frozenset()
    """Facts on which the typed client deliberately differs from plain botocore here."""
    drop_in_differs: frozenset[str] = frozenset()
    """Facts on which the drop-in deliberately differs from boto3 here."""


def _case(name: str, **fields: Any) -> Case:
    return Case(id=name, **fields)


CASES: list[Case] = [
    # -- which profile ------------------------------------------------------------------------
    _case("default-profile"),
    _case("AWS_PROFILE", env={"AWS_PROFILE": "foo"}),
    _case("AWS_DEFAULT_PROFILE", env={"AWS_DEFAULT_PROFILE": "foo"}),
    _case(
        "AWS_DEFAULT_PROFILE-wins-over-AWS_PROFILE",
        env={"AWS_DEFAULT_PROFILE": "foo", "AWS_PROFILE": "bar"},
    ),
    _case("profile_name-wins-over-variables", env={"AWS_PROFILE": "foo"}, profile="bar"),
    _case("AWS_PROFILE-default-by-name", env={"AWS_PROFILE": "default"}),
    _case(
        "profile-default-prefixed",
        config="[profile default]\nregion = us-east-2\n",
        credentials="",
        env={"AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "secret-env"},
    ),
    _case(
        "profile-only-in-credentials-file",
        env={"AWS_PROFILE": "creds-only"},
        credentials=KEYS + "[creds-only]\naws_access_key_id = AKIDCO\n"
        "aws_secret_access_key = secret-co\nregion = us-east-2\n",
    ),
    _case("AWS_PROFILE-missing", env={"AWS_PROFILE": "nope"}),
    _case("profile_name-missing", profile="nope"),
    _case("AWS_PROFILE-empty", env={"AWS_PROFILE": ""}),
    _case("AWS_DEFAULT_PROFILE-empty", env={"AWS_DEFAULT_PROFILE": "", "AWS_PROFILE": "foo"}),
    # -- which region -------------------------------------------------------------------------
    _case("AWS_DEFAULT_REGION", config="", env={"AWS_DEFAULT_REGION": "us-west-2"}),
    _case("AWS_DEFAULT_REGION-wins-over-profile", env={"AWS_DEFAULT_REGION": "us-west-2"}),
    _case(
        "AWS_REGION",
        env={"AWS_REGION": "ca-central-1"},
        typed_differs=frozenset({"region", "endpoint", "parameters"}),
    ),
    _case(
        "AWS_REGION-and-AWS_DEFAULT_REGION",
        env={"AWS_REGION": "ca-central-1", "AWS_DEFAULT_REGION": "us-west-2"},
        typed_differs=frozenset({"region", "endpoint", "parameters"}),
    ),
    _case(
        "AWS_REGION-without-any-other-region",
        config="",
        env={"AWS_REGION": "ca-central-1"},
        typed_differs=frozenset({"refused"}),
    ),
    _case("AWS_REGION-empty", env={"AWS_REGION": ""}),
    _case("region_name-wins", env={"AWS_REGION": "ca-central-1"}, region="ap-south-1"),
    _case("region-from-named-profile", env={"AWS_PROFILE": "bar"}),
    _case(
        "region-in-credentials-file",
        config="",
        credentials=KEYS + "[creds-region]\naws_access_key_id = AKIDCR\n"
        "aws_secret_access_key = secret-cr\nregion = eu-north-1\n",
        env={"AWS_PROFILE": "creds-region"},
    ),
    _case(
        "credentials-file-region-wins-over-config-file",
        credentials=KEYS.replace("[foo]\n", "[foo]\nregion = eu-south-1\n"),
        env={"AWS_PROFILE": "foo"},
    ),
    _case("no-region", config=""),
    _case("AWS_DEFAULT_REGION-empty", env={"AWS_DEFAULT_REGION": ""}),
    _case(
        "region-from-profile-default-section-not-inherited",
        config="[default]\nregion = eu-west-1\n[profile bare]\n",
        credentials=KEYS,
        env={"AWS_PROFILE": "bare"},
    ),
    # -- where the files are ------------------------------------------------------------------
    _case("files-in-home", at_home=True),
    _case("files-in-home-named-profile", at_home=True, env={"AWS_PROFILE": "foo"}),
    _case(
        "AWS_CONFIG_FILE-with-tilde",
        env={"AWS_CONFIG_FILE": "~/elsewhere/config"},
        config="",  # the file is written by the fixture under ~/elsewhere (see _prepare)
    ),
    _case("AWS_CONFIG_FILE-missing", env={"AWS_CONFIG_FILE": "{tmp}/no-such-config"}),
    _case(
        "AWS_SHARED_CREDENTIALS_FILE-missing",
        env={"AWS_SHARED_CREDENTIALS_FILE": "{tmp}/no-such-credentials"},
    ),
    _case("AWS_CONFIG_FILE-a-directory", env={"AWS_CONFIG_FILE": "{tmp}"}),
    _case("AWS_CONFIG_FILE-empty", env={"AWS_CONFIG_FILE": ""}),
    _case("AWS_SHARED_CREDENTIALS_FILE-empty", env={"AWS_SHARED_CREDENTIALS_FILE": ""}),
    _case(
        "config-in-home-credentials-elsewhere",
        at_home=True,
        env={"AWS_SHARED_CREDENTIALS_FILE": "{tmp}/other-credentials"},
    ),
    # -- assume-role profiles (resolved as far as no network is needed) ------------------------
    _case(
        "role-profile-with-region",
        config=PROFILES + f"[profile deploy]\nrole_arn = {ROLE}\nsource_profile = foo\n"
        "region = us-east-2\n",
        env={"AWS_PROFILE": "deploy"},
        assume_role=True,
    ),
    _case(
        "role-profile-without-region",
        config=PROFILES + f"[profile deploy]\nrole_arn = {ROLE}\nsource_profile = foo\n",
        env={"AWS_PROFILE": "deploy"},
        assume_role=True,
    ),
    _case(
        "role-profile-by-name-source-in-credentials-file",
        config=f"[profile deploy]\nrole_arn = {ROLE}\nsource_profile = bar\nregion = us-west-1\n",
        profile="deploy",
        assume_role=True,
    ),
    _case(
        "role-profile-with-endpoint-and-retry",
        config=PROFILES + f"[profile deploy]\nrole_arn = {ROLE}\nsource_profile = foo\n"
        "region = us-east-2\nendpoint_url = http://127.0.0.1:4003\nretry_mode = legacy\n",
        env={"AWS_DEFAULT_PROFILE": "deploy"},
        assume_role=True,
    ),
    # -- endpoints ----------------------------------------------------------------------------
    _case(
        "profile-endpoint_url",
        config=PROFILES + "[profile e]\nendpoint_url = http://e:1\nregion = us-west-2\n",
        env={"AWS_PROFILE": "e"},
    ),
    _case(
        "services-section",
        config="[default]\nregion = us-west-2\nservices = local\n" + SERVICES,
    ),
    _case(
        "services-section-wins-over-profile-endpoint_url",
        config="[default]\nregion = us-west-2\nservices = local\n"
        "endpoint_url = http://127.0.0.1:4009\n" + SERVICES,
    ),
    _case(
        "services-section-for-another-service",
        config="[default]\nregion = us-west-2\nservices = s3only\n"
        "endpoint_url = http://127.0.0.1:4009\n" + SERVICES_S3_ONLY,
    ),
    _case("services-section-missing", config="[default]\nregion = us-west-2\nservices = nope\n"),
    _case("services-empty", config="[default]\nregion = us-west-2\nservices =\n" + SERVICES),
    _case("AWS_ENDPOINT_URL", env={"AWS_ENDPOINT_URL": "http://127.0.0.1:4004"}),
    _case(
        "AWS_ENDPOINT_URL_ECR-wins-over-AWS_ENDPOINT_URL",
        env={"AWS_ENDPOINT_URL_ECR": "http://127.0.0.1:4005", "AWS_ENDPOINT_URL": "http://x:1"},
    ),
    _case(
        "AWS_ENDPOINT_URL-wins-over-services",
        config="[default]\nregion = us-west-2\nservices = local\n" + SERVICES,
        env={"AWS_ENDPOINT_URL": "http://127.0.0.1:4006"},
    ),
    _case(
        "AWS_ENDPOINT_URL_ECR-empty",
        config="[default]\nregion = us-west-2\nendpoint_url = http://127.0.0.1:4007\n",
        env={"AWS_ENDPOINT_URL_ECR": ""},
    ),
    _case(
        "endpoint_url-argument-wins",
        env={"AWS_ENDPOINT_URL_ECR": "http://127.0.0.1:4005"},
        endpoint="http://127.0.0.1:4008",
    ),
    _case(
        "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
        config="[default]\nregion = us-west-2\nendpoint_url = http://127.0.0.1:4009\n",
        env={"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true", "AWS_ENDPOINT_URL": "http://x:1"},
    ),
    _case(
        "profile-ignore_configured_endpoint_urls",
        config="[default]\nregion = us-west-2\nendpoint_url = http://127.0.0.1:4009\n"
        "ignore_configured_endpoint_urls = true\n",
    ),
    _case(
        "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS-false-wins-over-profile",
        config="[default]\nregion = us-west-2\nendpoint_url = http://127.0.0.1:4009\n"
        "ignore_configured_endpoint_urls = true\n",
        env={"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "false"},
    ),
    _case(
        "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS-empty",
        config="[default]\nregion = us-west-2\nendpoint_url = http://127.0.0.1:4009\n"
        "ignore_configured_endpoint_urls = true\n",
        env={"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": ""},
    ),
    _case(
        "ignore-does-not-drop-the-argument",
        env={"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true"},
        endpoint="http://127.0.0.1:4008",
    ),
    # -- FIPS and dual-stack ------------------------------------------------------------------
    _case(
        "AWS_USE_FIPS_ENDPOINT",
        env={"AWS_USE_FIPS_ENDPOINT": "true"},
        drop_in_differs=LEGACY_GUESS,
    ),
    _case("AWS_USE_FIPS_ENDPOINT-not-true", env={"AWS_USE_FIPS_ENDPOINT": "1"}),
    _case(
        "profile-use_fips_endpoint",
        config="[default]\nregion = us-east-1\nuse_fips_endpoint = true\n",
        drop_in_differs=LEGACY_GUESS,
    ),
    _case(
        "AWS_USE_FIPS_ENDPOINT-false-wins-over-profile",
        config="[default]\nregion = us-east-1\nuse_fips_endpoint = true\n",
        env={"AWS_USE_FIPS_ENDPOINT": "false"},
    ),
    _case(
        "AWS_USE_FIPS_ENDPOINT-empty",
        config="[default]\nregion = us-east-1\nuse_fips_endpoint = true\n",
        env={"AWS_USE_FIPS_ENDPOINT": ""},
    ),
    _case("AWS_USE_DUALSTACK_ENDPOINT", env={"AWS_USE_DUALSTACK_ENDPOINT": "TRUE"}),
    _case(
        "profile-use_dualstack_endpoint",
        config="[default]\nregion = eu-west-1\nuse_dualstack_endpoint = True\n",
    ),
    _case(
        "fips-and-dualstack",
        env={"AWS_USE_FIPS_ENDPOINT": "true", "AWS_USE_DUALSTACK_ENDPOINT": "true"},
        region="us-west-2",
    ),
    _case(
        "fips-govcloud",
        env={"AWS_USE_FIPS_ENDPOINT": "true"},
        region="us-gov-west-1",
        drop_in_differs=LEGACY_GUESS,
    ),
    _case("dualstack-china", env={"AWS_USE_DUALSTACK_ENDPOINT": "true"}, region="cn-north-1"),
    _case(
        "fips-with-configured-endpoint",
        env={"AWS_USE_FIPS_ENDPOINT": "true", "AWS_ENDPOINT_URL": "http://127.0.0.1:4010"},
    ),
    _case(
        "dualstack-with-profile-endpoint",
        config="[default]\nregion = us-west-2\nendpoint_url = http://127.0.0.1:4011\n"
        "use_dualstack_endpoint = true\n",
    ),
    _case("fips-pseudo-region", region="fips-us-west-2", drop_in_differs=LEGACY_GUESS),
    _case(
        "fips-pseudo-region-in-profile",
        config="[default]\nregion = us-east-1-fips\n",
        drop_in_differs=LEGACY_GUESS,
    ),
    # -- retries ------------------------------------------------------------------------------
    _case("retry-defaults"),
    _case(
        "retry-defaults-of-a-botocore-before-1.44",
        botocore_retry_default="legacy",
        typed_differs=frozenset({"retry"}),
    ),
    _case(
        "retry-mode-from-env-with-old-botocore-defaults",
        botocore_retry_default="legacy",
        env={"AWS_RETRY_MODE": "adaptive"},
    ),
    _case("AWS_RETRY_MODE-legacy", env={"AWS_RETRY_MODE": "legacy"}),
    _case("AWS_RETRY_MODE-adaptive", env={"AWS_RETRY_MODE": "adaptive"}),
    _case("AWS_MAX_ATTEMPTS", env={"AWS_MAX_ATTEMPTS": "7"}),
    _case("AWS_MAX_ATTEMPTS-legacy", env={"AWS_MAX_ATTEMPTS": "2", "AWS_RETRY_MODE": "legacy"}),
    _case(
        "profile-retry_mode",
        config=PROFILES.replace("[default]\n", "[default]\nretry_mode = legacy\n"),
    ),
    _case(
        "profile-max_attempts",
        config=PROFILES.replace("[default]\n", "[default]\nmax_attempts = 6\n"),
    ),
    _case(
        "retry-variables-win-over-profile",
        config=PROFILES.replace(
            "[default]\n", "[default]\nretry_mode = legacy\nmax_attempts = 6\n"
        ),
        env={"AWS_RETRY_MODE": "standard", "AWS_MAX_ATTEMPTS": "4"},
    ),
    _case(
        "retry-from-named-profile",
        config=PROFILES.replace(
            "[profile foo]\n", "[profile foo]\nretry_mode = adaptive\nmax_attempts = 8\n"
        ),
        env={"AWS_PROFILE": "foo"},
    ),
    _case("AWS_RETRY_MODE-empty", env={"AWS_RETRY_MODE": ""}),
    _case("AWS_RETRY_MODE-unknown", env={"AWS_RETRY_MODE": "eager"}),
    _case("AWS_MAX_ATTEMPTS-empty", env={"AWS_MAX_ATTEMPTS": ""}),
    _case("AWS_MAX_ATTEMPTS-zero", env={"AWS_MAX_ATTEMPTS": "0"}),
    _case("AWS_MAX_ATTEMPTS-not-a-number", env={"AWS_MAX_ATTEMPTS": "many"}),
    # -- CA bundle ----------------------------------------------------------------------------
    _case("AWS_CA_BUNDLE", env={"AWS_CA_BUNDLE": "{tmp}/env.pem"}),
    _case(
        "profile-ca_bundle",
        config=PROFILES.replace("[default]\n", "[default]\nca_bundle = {tmp}/profile.pem\n"),
    ),
    _case(
        "ca_bundle-in-credentials-file",
        credentials=KEYS.replace("[default]\n", "[default]\nca_bundle = {tmp}/creds.pem\n"),
    ),
    _case(
        "AWS_CA_BUNDLE-wins-over-profile",
        config=PROFILES.replace("[default]\n", "[default]\nca_bundle = {tmp}/profile.pem\n"),
        env={"AWS_CA_BUNDLE": "{tmp}/env.pem"},
    ),
    _case("REQUESTS_CA_BUNDLE", env={"REQUESTS_CA_BUNDLE": "{tmp}/requests.pem"}),
    _case(
        "profile-ca_bundle-wins-over-REQUESTS_CA_BUNDLE",
        config=PROFILES.replace("[default]\n", "[default]\nca_bundle = {tmp}/profile.pem\n"),
        env={"REQUESTS_CA_BUNDLE": "{tmp}/requests.pem"},
    ),
    _case(
        "ca_bundle-of-the-named-profile",
        config=PROFILES.replace("[profile foo]\n", "[profile foo]\nca_bundle = {tmp}/foo.pem\n"),
        env={"AWS_PROFILE": "foo"},
    ),
    _case("ca_bundle-a-directory", env={"AWS_CA_BUNDLE": "{tmp}"}),
    _case(
        "AWS_CA_BUNDLE-empty",
        config=PROFILES.replace("[default]\n", "[default]\nca_bundle = {tmp}/profile.pem\n"),
        env={"AWS_CA_BUNDLE": ""},
    ),
    _case("REQUESTS_CA_BUNDLE-empty", env={"REQUESTS_CA_BUNDLE": ""}),
    # -- proxies ------------------------------------------------------------------------------
    _case("HTTPS_PROXY", env={"HTTPS_PROXY": "http://proxy.example:3128"}),
    _case("https_proxy-without-scheme", env={"https_proxy": "proxy.example:3128"}),
    _case(
        "HTTP_PROXY-and-HTTPS_PROXY",
        env={"HTTP_PROXY": "http://plain.example:3128", "HTTPS_PROXY": "http://tls.example:3129"},
    ),
    _case(
        "NO_PROXY-covering-the-endpoint",
        env={"HTTPS_PROXY": "http://proxy.example:3128", "NO_PROXY": "amazonaws.com"},
    ),
    _case(
        "NO_PROXY-covering-another-host",
        env={"HTTPS_PROXY": "http://proxy.example:3128", "NO_PROXY": "example.org"},
    ),
    _case(
        "NO_PROXY-covering-a-configured-endpoint",
        env={
            "HTTP_PROXY": "http://proxy.example:3128",
            "AWS_ENDPOINT_URL": "http://localhost:4012",
            "no_proxy": "localhost",
        },
    ),
    _case(
        "HTTP_PROXY-for-an-http-endpoint",
        env={"HTTP_PROXY": "http://proxy.example:3128"},
        endpoint="http://127.0.0.1:4013",
    ),
    _case(
        "NO_PROXY-for-the-fips-host",
        env={
            "HTTPS_PROXY": "http://proxy.example:3128",
            "NO_PROXY": "api.ecr-fips.eu-west-1.amazonaws.com",
            "AWS_USE_FIPS_ENDPOINT": "true",
        },
        typed_differs=frozenset({"proxies"}),
        drop_in_differs=LEGACY_GUESS | {"proxies"},
    ),
    # -- credentials --------------------------------------------------------------------------
    _case(
        "credentials-from-variables-win-over-files",
        env={
            "AWS_ACCESS_KEY_ID": "AKIDENV",
            "AWS_SECRET_ACCESS_KEY": "secret-env",
            "AWS_SESSION_TOKEN": "token-env",
        },
    ),
    _case("credentials-with-session-token", env={"AWS_PROFILE": "bar"}),
    _case(
        "credentials-in-config-file",
        config="[default]\nregion = eu-west-1\naws_access_key_id = AKIDCFG\n"
        "aws_secret_access_key = secret-cfg\n",
        credentials="",
    ),
    _case(
        "credentials-file-wins-over-config-file",
        config="[default]\nregion = eu-west-1\naws_access_key_id = AKIDCFG\n"
        "aws_secret_access_key = secret-cfg\n",
    ),
    _case("no-credentials", credentials=""),
]


# --------------------------------------------------------------------------------------------
# Known discrepancies whose fixes lie outside the settings code (BaseClient.__init__, the
# drop-in's construction). Each is a strict expected failure on the facts named: the case's
# other facts are still compared, and the entry must go once the discrepancy is fixed.
# --------------------------------------------------------------------------------------------

KNOWN: dict[tuple[str, str], tuple[frozenset[str], str]] = {}
"""Differences not yet fixed, by surface and case: the facts that still differ and why (each
an expected failure that must go on failing until its entry is removed)."""


# --------------------------------------------------------------------------------------------
# The environment of a case.
# --------------------------------------------------------------------------------------------

_CLEARED_EXTRA = ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE", "SSL_CERT_DIR")


def _prepare(case: Case, tmp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Clear the machine's AWS and proxy settings, write the case's files and set its
    variables. ``~/.aws`` holds decoys unless the case's files belong there."""
    for name in list(os.environ):
        if name.startswith("AWS_") or name.lower().endswith("_proxy") or name in _CLEARED_EXTRA:
            monkeypatch.delenv(name)
    home = tmp / "home"
    (home / ".aws").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    for bundle in ("env", "profile", "creds", "requests", "foo", "decoy"):
        (tmp / f"{bundle}.pem").write_text("")  # real files: only their paths are compared

    def text(template: str) -> str:
        return template.replace("{tmp}", str(tmp))

    if case.at_home:
        (home / ".aws" / "config").write_text(text(case.config))
        (home / ".aws" / "credentials").write_text(text(case.credentials))
    else:
        (home / ".aws" / "config").write_text(text(DECOY))
        (home / ".aws" / "credentials").write_text(text(DECOY))
        (tmp / "config").write_text(text(case.config))
        (tmp / "credentials").write_text(text(case.credentials))
        monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp / "config"))
        monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp / "credentials"))
    (tmp / "other-credentials").write_text(text(KEYS.replace("AKIDDEFAULT", "AKIDOTHER")))
    (home / "elsewhere").mkdir()
    (home / "elsewhere" / "config").write_text(PROFILES.replace("eu-west-1", "us-east-2"))
    for name, value in case.env.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, text(value))
    if case.botocore_retry_default is not None:
        key, env_name, _, conversion = configprovider.BOTOCORE_DEFAUT_SESSION_VARIABLES[
            "retry_mode"
        ]
        monkeypatch.setitem(
            configprovider.BOTOCORE_DEFAUT_SESSION_VARIABLES,
            "retry_mode",
            (key, env_name, case.botocore_retry_default, conversion),
        )


@pytest.fixture(params=CASES, ids=[case.id for case in CASES])
def case(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Case:
    chosen: Case = request.param
    _prepare(chosen, tmp_path, monkeypatch)
    return chosen


# --------------------------------------------------------------------------------------------
# Facts, read the same way from botocore and from ecrclient.
# --------------------------------------------------------------------------------------------


class Refused:
    """The client or session could not be created (or the fact read) in this environment;
    equal to another refusal with the same exception class."""

    def __init__(self, error: BaseException) -> None:
        self.error = error

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Refused) and type(other.error) is type(self.error)

    def __hash__(self) -> int:
        return hash(type(self.error))

    def __repr__(self) -> str:
        return f"Refused({type(self.error).__name__}: {self.error})"


Facts = dict[str, Any]


def _facts_or_refusal(make: Callable[[], Any], read: Callable[[Any], Facts]) -> Facts:
    """The facts ``read`` from the client ``make`` creates, or its refusal to be created."""
    try:
        client = make()
    except Exception as exc:  # whatever the reason: compared with the oracle's outcome
        return {"refused": Refused(exc)}
    return read(client)


@functools.cache
def _shared_loader() -> Any:
    """One botocore data loader for every oracle: it only reads botocore's model files (no
    configuration), and loading ECR's model per session would make the suite slow."""
    return botocore.loaders.create_loader()


def _credential_facts(credentials: Any, case: Case) -> Any:
    """The keys of static credentials; for assume-role, only the provider chosen (fetching would
    need STS); ``None`` when the chain found nothing."""
    if credentials is None:
        return None
    if case.assume_role:
        return credentials.method
    frozen = credentials.get_frozen_credentials()
    return (frozen.access_key, frozen.secret_key, frozen.token)


def _botocore_client(case: Case, *, region_name: str | None = None) -> Any:
    """A botocore ECR client created in this environment, as ``boto3.client`` creates it."""
    core = botocore.session.Session(profile=case.profile)
    core.register_component("data_loader", _shared_loader())
    return core.create_client(
        "ecr", region_name=region_name or case.region, endpoint_url=case.endpoint
    )


def _botocore_facts(client: Any, case: Case) -> Facts:
    """What a botocore ECR client resolved."""
    resolver = client._ruleset_resolver
    operation = client.meta.service_model.operation_model("DescribeRegistry")
    parameters = resolver._get_provider_params(operation, {}, {})
    retries = client.meta.config.retries
    proxy_config = client._endpoint.http_session._proxy_config
    return {
        "region": client.meta.region_name,
        "endpoint": resolver.construct_endpoint(operation, {}, {}).url,
        "parameters": {"Endpoint": None, **parameters},
        "retry": (retries["mode"], _botocore_max_attempts(client)),
        "verify": client._endpoint.http_session._verify,
        "proxies": {
            scheme: proxy_config._fix_proxy_url(url)
            for scheme, url in proxy_config._proxies.items()
            if scheme in ("http", "https")  # the keys botocore looks proxies up by
        },
        "credentials": _credential_facts(client._request_signer._credentials, case),
        "meta.endpoint_url": client.meta.endpoint_url,
    }


def _botocore_max_attempts(client: Any) -> int:
    """The attempts botocore's retry handler allows, read from the handler itself."""
    (handler, *_) = client.meta.events._emitter._handlers.prefix_search("needs-retry.ecr")
    if client.meta.config.retries["mode"] == "legacy":
        return int(handler._checker._max_attempts)
    checker = handler.__self__._retry_policy._retry_checker
    return int(checker._max_attempts_checker._max_attempts)


def _typed_facts(client: Any, case: Case) -> Facts:
    policy = client.retry_policy
    if case.assume_role:
        credentials = _credential_facts(client._profile.session().get_credentials(), case)
    else:
        try:
            frozen = client._pipeline.credentials.frozen()
        except NoCredentialsError:  # botocore's chain found nothing: compared with None
            credentials = None
        else:
            credentials = (frozen.access_key, frozen.secret_key, frozen.token)
    return {
        "region": client.region_name,
        "endpoint": client.endpoint_url,
        "parameters": dict(client.endpoint_parameters),
        "retry": (policy.mode, policy.attempts),
        "verify": client.config.verify,
        "proxies": dict(client.config.proxies),
        "credentials": credentials,
    }


def _botocore(case: Case, *, region_name: str | None = None) -> Facts:
    return _facts_or_refusal(
        lambda: _botocore_client(case, region_name=region_name),
        lambda client: _botocore_facts(client, case),
    )


def _typed(case: Case) -> Facts:
    return _facts_or_refusal(
        lambda: ECRClient(
            region_name=case.region, endpoint_url=case.endpoint, profile_name=case.profile
        ),
        lambda client: _typed_facts(client, case),
    )


def _drop_in(case: Case) -> Facts:
    options = {"region_name": case.region, "endpoint_url": case.endpoint}

    def make() -> Any:
        if case.profile is not None:
            return ecrclient.Session(profile_name=case.profile).client("ecr", **options)
        return ecrclient.client("ecr", **options)

    def read(client: Any) -> Facts:
        return {
            **_typed_facts(client.typed, case),
            "region": client.meta.region_name,
            "meta.endpoint_url": client.meta.endpoint_url,
        }

    return _facts_or_refusal(make, read)


@contextlib.contextmanager
def _retry_default(mode: str) -> Iterator[None]:
    """botocore with ``mode`` as its ``retry_mode`` default, for the time of the block."""
    table = configprovider.BOTOCORE_DEFAUT_SESSION_VARIABLES
    saved = table["retry_mode"]
    table["retry_mode"] = (saved[0], saved[1], mode, saved[3])
    try:
        yield
    finally:
        table["retry_mode"] = saved


def _typed_oracle(case: Case, plain: Facts) -> Facts:
    """botocore configured as the typed client deliberately differs: ``AWS_REGION`` given as
    the region (when no region is passed), and ``standard`` as the default retry mode; then
    as both ecrclient clients see the endpoint (:func:`_where_requests_go`). ``plain`` is what
    botocore resolves unconfigured (reused where neither difference applies)."""
    region = case.region or os.environ.get("AWS_REGION") or None
    default = configprovider.BOTOCORE_DEFAUT_SESSION_VARIABLES["retry_mode"][2]
    if region == case.region and default == "standard":
        facts = plain
    else:
        with _retry_default("standard"):
            facts = _botocore(case, region_name=region)
    facts = dict(_where_requests_go(facts))
    facts.pop("meta.endpoint_url", None)  # the typed client has no meta
    return facts


def _where_requests_go(facts: Facts) -> Facts:
    """botocore's facts with the endpoint as ecrclient shows it: ``meta.endpoint_url`` is where
    requests go, and ``NO_PROXY`` is matched against that host. botocore takes both from its
    legacy resolver's guess (``ecr-fips.<region>`` for FIPS), while its rule set sends the
    requests to ``api.ecr-fips.<region>``."""
    if "refused" in facts:
        return facts
    return {
        **facts,
        "meta.endpoint_url": facts["endpoint"],
        "proxies": _botocore_proxies(facts["endpoint"]),
    }


def _botocore_proxies(url: str) -> dict[str, str]:
    """The proxies botocore takes from the environment for ``url``, as its HTTP session uses
    them: looked up by scheme, ``http://`` added to a proxy given without one."""
    from botocore.httpsession import ProxyConfiguration
    from botocore.utils import get_environ_proxies

    config: Any = ProxyConfiguration(proxies=get_environ_proxies(url))
    return {
        scheme: config._fix_proxy_url(proxy)
        for scheme, proxy in config._proxies.items()
        if scheme in ("http", "https")
    }


def _differing(plain: Facts, adjusted: Facts) -> set[str]:
    """The facts on which ``adjusted`` differs from ``plain`` (``refused`` when one of them was
    refused and the other not, or with another error)."""
    if "refused" in plain or "refused" in adjusted:
        same = _same_refusal(plain.get("refused"), adjusted.get("refused"), exact=True)
        return set() if same else {"refused"}
    return {fact for fact in adjusted if plain[fact] != adjusted[fact]}


# --------------------------------------------------------------------------------------------
# Comparison.
# --------------------------------------------------------------------------------------------


def _compare(surface: str, case: Case, ours: Facts, theirs: Facts, *, exact_errors: bool) -> None:
    """Assert ``ours`` equals ``theirs`` fact by fact, except the facts :data:`KNOWN` lists for
    this surface and case, which must still differ (strict expected failure)."""
    known, reason = KNOWN.get((surface, case.id), (frozenset[str](), ""))
    mismatched: dict[str, tuple[Any, Any]] = {}
    if "refused" in theirs or "refused" in ours:
        same = _same_refusal(ours.get("refused"), theirs.get("refused"), exact=exact_errors)
        if not same:
            mismatched["refused"] = (ours.get("refused", ours), theirs.get("refused", theirs))
    else:
        assert ours.keys() == theirs.keys()
        for fact, expected in theirs.items():
            if ours[fact] != expected:
                mismatched[fact] = (ours[fact], expected)
    unexpected = {fact: pair for fact, pair in mismatched.items() if fact not in known}
    assert not unexpected, "\n".join(
        f"{fact}: ecrclient {got!r} != botocore {want!r}"
        for fact, (got, want) in unexpected.items()
    )
    if known:
        assert known & set(mismatched), f"fixed? remove ({surface!r}, {case.id!r}) from KNOWN"
        pytest.xfail(reason)


def _same_refusal(ours: Refused | None, theirs: Refused | None, *, exact: bool) -> bool:
    """Both refused; where botocore raises one of its own exceptions and ``exact``, with that
    class (a plain Python error from botocore is an accident nobody catches)."""
    if ours is None or theirs is None:
        return False
    if exact and isinstance(theirs.error, BotoCoreError):
        return isinstance(ours.error, type(theirs.error))
    return True


# --------------------------------------------------------------------------------------------
# The tests.
# --------------------------------------------------------------------------------------------


def test_typed_client_resolves_as_botocore(case: Case) -> None:
    plain = _botocore(case)
    theirs = _typed_oracle(case, plain)
    # The deliberate differences are real: exactly the facts the case names differ between
    # plain botocore and the typed client's oracle.
    assert _differing(plain, theirs) == case.typed_differs
    ours = _typed(case)
    _compare("typed", case, ours, theirs, exact_errors=False)


def test_drop_in_client_resolves_as_boto3(case: Case) -> None:
    plain = _botocore(case)
    theirs = _where_requests_go(plain)
    assert _differing(plain, theirs) == case.drop_in_differs
    ours = _drop_in(case)
    _compare("drop-in", case, ours, theirs, exact_errors=True)


def _session_facts(make: Callable[[], Any], case: Case) -> Facts:
    """What a boto3-style session says, each fact read on its own (a missing profile may fail
    one and not another)."""
    try:
        session = make()
    except Exception as exc:
        return {"refused": Refused(exc)}
    facts: Facts = {}
    readers: dict[str, Callable[[], Any]] = {
        "profile_name": lambda: session.profile_name,
        "region_name": lambda: session.region_name,
        "available_profiles": lambda: sorted(session.available_profiles),
        "credentials": lambda: _credential_facts(session.get_credentials(), case),
    }
    for fact, read in readers.items():
        try:
            facts[fact] = read()
        except Exception as exc:
            facts[fact] = Refused(exc)
    return facts


def test_session_resolves_as_boto3(case: Case) -> None:
    options = {"profile_name": case.profile, "region_name": case.region}
    theirs = _session_facts(lambda: boto3.session.Session(**options), case)
    ours = _session_facts(lambda: ecrclient.Session(**options), case)
    _compare("session", case, ours, theirs, exact_errors=True)


# --------------------------------------------------------------------------------------------
# A deliberate difference outside the matrix: a CA bundle that does not exist.
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "where",
    [
        {"env": {"AWS_CA_BUNDLE": "{tmp}/missing.pem"}},
        {"config": PROFILES.replace("[default]\n", "[default]\nca_bundle = {tmp}/missing.pem\n")},
        {"env": {"REQUESTS_CA_BUNDLE": "{tmp}/missing.pem"}},
    ],
    ids=["AWS_CA_BUNDLE", "profile", "REQUESTS_CA_BUNDLE"],
)
def test_a_missing_ca_bundle_is_refused_at_creation_unlike_boto3(
    where: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ecrclient.errors import ConfigurationError

    case = Case(id="missing-bundle", **where)
    _prepare(case, tmp_path, monkeypatch)
    theirs = _botocore_facts(_botocore_client(case), case)
    assert theirs["verify"] == str(tmp_path / "missing.pem")  # boto3 fails each call instead
    with pytest.raises(ConfigurationError, match=r"missing\.pem"):
        ECRClient()
    with pytest.raises(ConfigurationError, match=r"missing\.pem"):
        ecrclient.client("ecr")
