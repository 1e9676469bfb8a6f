"""The layer-URL HTTP client follows the ECR client's public settings, and never shows a
presigned URL's signature."""

from __future__ import annotations

import ssl

import certifi
import httpx

from ecrclient import ClientConfig
from ecrclient.transfer._http import broken_message, client_options, pool_key, redact_url

URL = "https://bucket.s3.amazonaws.com/layer?X-Amz-Signature=abc123&X-Amz-Security-Token=tok"


def test_tls_settings_follow_the_config() -> None:
    assert (
        client_options(ClientConfig(verify=False), asynchronous=False, key="https")["verify"]
        is False
    )
    bundle = client_options(ClientConfig(verify=certifi.where()), asynchronous=False, key="https")
    assert isinstance(bundle["verify"], ssl.SSLContext)
    assert bundle["verify"].get_ca_certs()  # loaded from the named bundle
    # A plain-HTTP pool loads no CA bundle, and would refuse any certificate.
    plain = client_options(ClientConfig(), asynchronous=False, key=pool_key("http://127.0.0.1/x"))
    assert plain["verify"].get_ca_certs() == [] and plain["verify"].verify_mode == ssl.CERT_REQUIRED


def test_proxies_timeouts_and_pool_follow_the_config() -> None:
    config = ClientConfig(
        proxies={"https": "http://proxy.internal:3128"},
        read_timeout=7,
        connect_timeout=3,
        max_pool_connections=4,
    )
    options = client_options(config, asynchronous=True, key="https")
    assert set(options["mounts"]) == {"https://"}
    assert isinstance(options["mounts"]["https://"], httpx.AsyncHTTPTransport)
    assert options["timeout"] == httpx.Timeout(connect=3, read=7, write=60, pool=60)
    assert options["limits"].max_connections == 4
    assert options["trust_env"] is False  # the config already says what the environment says


def test_no_signature_in_messages() -> None:
    assert redact_url(URL) == "https://bucket.s3.amazonaws.com/layer"
    message = broken_message(httpx.ReadError(f"boom while reading {URL}"), URL)
    assert "abc123" not in message and "tok" not in message
    assert "https://bucket.s3.amazonaws.com/layer" in message
