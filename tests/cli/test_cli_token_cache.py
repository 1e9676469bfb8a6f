"""The token cache's trust rules and the ``docker_credentials`` drivers, in process."""

from __future__ import annotations

import asyncio
import json
import os
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from ecrclient.login import (
    CacheKey,
    DockerCredentials,
    TokenCache,
    credentials_from_result,
    decode_authorization_token,
    default_cache_directory,
    docker_credentials,
    docker_credentials_async,
    docker_credentials_for,
)
from ecrclient.login.tokens import refresh_due, still_usable

from .ecr_stub import EcrStub, error

HOST = "123456789012.dkr.ecr.us-east-1.amazonaws.com"
NOW = datetime.now(timezone.utc)


def _credentials(password: str = "p4ssword-0123456789", hours: float = 12) -> DockerCredentials:
    return DockerCredentials("AWS", password, HOST, NOW + timedelta(hours=hours), NOW)


def _key(**changes: str) -> CacheKey:
    key = CacheKey.for_settings(account_id="123456789012", region="us-east-1", environ={})
    return key._replace(**changes)


@pytest.fixture
def cache(tmp_path: Path) -> TokenCache:
    return TokenCache(tmp_path / "cache")


@pytest.fixture(autouse=True)
def _stub_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")


# -- the cache -----------------------------------------------------------------------------


def test_round_trip_and_permissions(cache: TokenCache) -> None:
    assert cache.get(_key()) is None
    assert cache.put(_key(), _credentials())
    assert cache.get(_key()) == _credentials()
    assert cache.directory.stat().st_mode & 0o777 == 0o700
    (record,) = cache.directory.glob("*.json")
    assert record.stat().st_mode & 0o777 == 0o600
    assert record.name.startswith("123456789012.us-east-1.")
    assert cache.get(_key(profile="other")) is None


def test_a_loose_folder_is_tightened_on_write(cache: TokenCache) -> None:
    cache.directory.mkdir(parents=True, mode=0o755)
    cache.directory.chmod(0o755)
    cache.put(_key(), _credentials())
    assert cache.directory.stat().st_mode & 0o777 == 0o700


@pytest.mark.parametrize(
    "content",
    [
        b"{not json",
        b"\xff\xfe\x00",
        b"[]",
        b'{"version": 1}',
        b'{"version": 2, "key": {}}',
        json.dumps({"version": 1, "key": {"account_id": 1}}).encode(),
    ],
    ids=["bad-json", "not-utf8", "array", "no-key", "other-version", "wrong-types"],
)
def test_records_of_another_shape_are_ignored_and_replaced(
    cache: TokenCache, content: bytes
) -> None:
    cache.put(_key(), _credentials())
    (record,) = cache.directory.glob("*.json")
    record.write_bytes(content)
    assert cache.get(_key()) is None
    assert cache.put(_key(), _credentials("n3w-password-0123456789"))
    assert cache.get(_key()) == _credentials("n3w-password-0123456789")


def test_records_readable_by_others_or_symlinked_are_ignored(
    cache: TokenCache, tmp_path: Path
) -> None:
    cache.put(_key(), _credentials())
    (record,) = cache.directory.glob("*.json")
    record.chmod(0o640)
    assert cache.get(_key()) is None
    record.chmod(0o600)
    elsewhere = tmp_path / "planted.json"
    elsewhere.write_bytes(record.read_bytes())
    elsewhere.chmod(0o600)
    record.unlink()
    record.symlink_to(elsewhere)
    assert cache.get(_key()) is None
    assert cache.entries() == []


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file away needs root")
def test_records_and_folders_of_another_user_are_ignored(cache: TokenCache) -> None:
    cache.put(_key(), _credentials())
    (record,) = cache.directory.glob("*.json")
    os.chown(record, 4321, 4321)
    assert cache.get(_key()) is None
    os.chown(record, 0, 0)
    os.chown(cache.directory, 4321, 4321)
    assert cache.get(_key()) is None
    assert not cache.put(_key(), _credentials())  # a foreign folder turns the cache off


def test_a_symlinked_folder_turns_the_cache_off(tmp_path: Path) -> None:
    (tmp_path / "elsewhere").mkdir(mode=0o700)
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / "docker-tokens").symlink_to(tmp_path / "elsewhere")
    cache = TokenCache(tmp_path / "cache")
    assert not cache.put(_key(), _credentials())
    assert cache.get(_key()) is None and cache.lock([_key()]).held == 0
    assert list((tmp_path / "elsewhere").iterdir()) == []


def test_a_record_under_another_key_is_ignored(cache: TokenCache) -> None:
    cache.put(_key(), _credentials())
    (record,) = cache.directory.glob("*.json")
    other = cache.directory / (_key(profile="ci").file_stem + ".json")
    os.replace(record, other)
    assert cache.get(_key(profile="ci")) is None


def test_the_key_follows_the_environment() -> None:
    env = {
        "AWS_PROFILE": "ci",
        "AWS_ENDPOINT_URL_ECR": "http://127.0.0.1:5000/",
        "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE",
    }
    key = CacheKey.for_settings(account_id="1", region="eu-west-1", environ=env)
    assert (key.profile, key.endpoint) == ("ci", "http://127.0.0.1:5000")
    assert key.principal and "AKID" not in key.principal
    ignored = {**env, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true"}
    assert CacheKey.for_settings(account_id="1", region="eu-west-1", environ=ignored).endpoint == ""
    explicit = CacheKey.for_settings(
        account_id="1", region="eu-west-1", profile_name="p", endpoint_url="http://x", environ=env
    )
    assert (explicit.profile, explicit.endpoint) == ("p", "http://x")
    assert CacheKey.for_settings(account_id="1", region="r", environ={}).profile == "default"


def test_default_directory() -> None:
    assert default_cache_directory({"ECRCLIENT_CACHE_DIR": "/x"}) == "/x"
    assert default_cache_directory({"XDG_CACHE_HOME": "/xdg"}) == "/xdg/ecrclient"
    relative = default_cache_directory({"XDG_CACHE_HOME": "rel"})
    assert relative.endswith(os.path.join(".cache", "ecrclient"))


def test_locks_exclude_each_other(cache: TokenCache) -> None:
    held = cache.lock([_key()])
    waiting = TokenCache(cache.directory.parent, lock_timeout=0.2).lock([_key()])
    assert waiting.held == 0  # gave up after the timeout
    held.release()
    with TokenCache(cache.directory.parent).lock([_key()]) as again:
        assert again.held == 1


# -- tokens --------------------------------------------------------------------------------


def test_credentials_keep_the_password_out_of_repr() -> None:
    credentials = _credentials()
    assert credentials.password not in repr(credentials) + str(credentials)
    assert credentials.auth not in repr(credentials)
    assert decode_authorization_token(credentials.auth) == ("AWS", credentials.password)


@pytest.mark.parametrize(
    "token", ["%%%", "QVdT", "OnBhc3N3b3Jk"], ids=["base64", "no-colon", "no-user"]
)
def test_bad_tokens_are_refused_without_quoting_them(token: str) -> None:
    with pytest.raises(ValueError) as caught:
        decode_authorization_token(token)
    assert token not in str(caught.value)


def test_renewal_at_half_the_lifetime() -> None:
    assert not refresh_due(0, 100, 49.9) and refresh_due(0, 100, 50)
    assert refresh_due(10, 10, 10)  # no lifetime at all
    assert still_usable(100, 39) and not still_usable(100, 41)


# -- the drivers ---------------------------------------------------------------------------


def test_several_registries_of_one_region_cost_one_call(stub: EcrStub, cache: TokenCache) -> None:
    hosts = [HOST, "210987654321.dkr.ecr.us-east-1.amazonaws.com", HOST]
    found = docker_credentials_for(hosts, endpoint_url=stub.url, cache=cache)
    assert [item.registry for item in found] == [HOST, hosts[1], HOST]
    assert {item.password for item in found} == {stub.password(1)}
    other_region = docker_credentials(
        "210987654321.dkr.ecr.eu-west-1.amazonaws.com", endpoint_url=stub.url, cache=cache
    )
    assert other_region.password == stub.password(2)
    assert stub.count("GetAuthorizationToken") == 2
    assert stub.bodies("GetAuthorizationToken") == [{}, {}]  # registryIds is never sent
    again = docker_credentials_for(hosts[:2], endpoint_url=stub.url, cache=cache)
    assert [item.password for item in again] == [stub.password(1)] * 2
    assert stub.count("GetAuthorizationToken") == 2


def test_the_default_registry_is_cached_under_its_account_too(
    stub: EcrStub, cache: TokenCache
) -> None:
    default = docker_credentials(region_name="us-east-1", endpoint_url=stub.url, cache=cache)
    assert default.registry == HOST
    named = docker_credentials(HOST, endpoint_url=stub.url, cache=cache)
    assert named.password == default.password
    assert stub.count("GetAuthorizationToken") == 1


def test_a_region_contradicting_the_registry_is_refused(stub: EcrStub) -> None:
    with pytest.raises(ValueError, match="us-east-1"):
        docker_credentials(HOST, region_name="eu-west-1", endpoint_url=stub.url)
    assert stub.count("GetAuthorizationToken") == 0


def test_without_a_cache_every_call_asks(stub: EcrStub) -> None:
    docker_credentials(HOST, endpoint_url=stub.url)
    docker_credentials(HOST, endpoint_url=stub.url)
    assert stub.count("GetAuthorizationToken") == 2


def test_service_faults_are_raised_without_a_usable_cached_token(
    stub: EcrStub, cache: TokenCache
) -> None:
    from ecrclient.errors import AmazonECRException

    stub.script("GetAuthorizationToken", [error("AccessDeniedException", "no", 400)])
    with pytest.raises(AmazonECRException) as caught:
        docker_credentials(HOST, endpoint_url=stub.url, cache=cache)
    assert caught.value.error_code == "AccessDeniedException"


def test_threads_of_one_process_share_one_call(stub: EcrStub, cache: TokenCache) -> None:
    stub.token_delay = 0.2
    answers: list[str] = []

    def fetch() -> None:
        answers.append(docker_credentials(HOST, endpoint_url=stub.url, cache=cache).password)

    threads = [threading.Thread(target=fetch) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [stub.password(1)] * 4
    assert stub.count("GetAuthorizationToken") == 1


def test_the_async_driver_matches_the_sync_one(stub: EcrStub, cache: TokenCache) -> None:
    async def main() -> list[DockerCredentials]:
        first = await docker_credentials_async(HOST, endpoint_url=stub.url, cache=cache)
        second = await docker_credentials_async(HOST, endpoint_url=stub.url, cache=cache)
        return [first, second]

    first, second = asyncio.run(main())
    assert first == second and first.password == stub.password(1)
    assert stub.count("GetAuthorizationToken") == 1


def test_credentials_from_a_result_you_fetched_yourself(stub: EcrStub) -> None:
    from ecrclient import ECRClient

    with ECRClient(region_name="eu-west-1", endpoint_url=stub.url) as ecr:
        (found,) = credentials_from_result(ecr.get_authorization_token())
    assert found.registry == "123456789012.dkr.ecr.eu-west-1.amazonaws.com"
    assert (found.username, found.password) == ("AWS", stub.password(1))
    assert found.expires_at > found.requested_at
