"""Proxies and CA bundles from the environment and profile, with botocore as the oracle; calls
through a real proxy on 127.0.0.1 (forwarding ``http://``, tunnelling ``https://`` with
CONNECT); and TLS to a local server whose certificate only its own CA bundle trusts."""

from __future__ import annotations

import datetime
import http.client
import http.server
import ipaddress
import json
import select
import socket
import ssl
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import boto3
import pytest
from blocking import CLIENT_KINDS, make_client
from botocore.utils import get_environ_proxies
from conftest import ACCESS_KEY, REGION, SECRET_KEY

import ecrclient
from ecrclient import ClientConfig, ECRClient
from ecrclient._settings.network import environment_proxies
from ecrclient.errors import EndpointConnectionError

KEYS = {"aws_access_key_id": ACCESS_KEY, "aws_secret_access_key": SECRET_KEY}


class _ForwardingProxy(http.server.ThreadingHTTPServer):
    """An HTTP proxy for ``http://`` targets: it forwards absolute-form requests and counts
    them."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _ProxyHandler)
        self.forwarded: list[str] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _ProxyHandler(http.server.BaseHTTPRequestHandler):
    server: _ForwardingProxy
    protocol_version = "HTTP/1.1"

    def do_CONNECT(self) -> None:
        host, _, port = self.path.rpartition(":")
        upstream = socket.create_connection((host, int(port)), timeout=30)
        self.server.forwarded.append(f"CONNECT {self.path}")
        self.send_response(200, "Connection established")
        self.end_headers()
        self.wfile.flush()
        ends = [self.connection, upstream]
        try:
            while True:
                readable, _, _ = select.select(ends, [], [], 30)
                if not readable:
                    return
                for end in readable:
                    data = end.recv(65536)
                    if not data:
                        return
                    (upstream if end is self.connection else self.connection).sendall(data)
        finally:
            upstream.close()
            self.close_connection = True

    def do_POST(self) -> None:
        target = urlsplit(self.path)
        if not target.scheme:  # origin-form: somebody talked to the proxy as if to the server
            self.send_error(400, "not a proxy request")
            return
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.server.forwarded.append(self.path)
        upstream = http.client.HTTPConnection(target.netloc, timeout=30)
        headers = {k: v for k, v in self.headers.items() if k.lower() != "proxy-connection"}
        upstream.request("POST", target.path or "/", body=body, headers=headers)
        answer = upstream.getresponse()
        payload = answer.read()
        upstream.close()
        self.send_response(answer.status)
        for name, value in answer.getheaders():
            if name.lower() not in ("transfer-encoding", "connection", "content-length"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def proxy() -> Iterator[_ForwardingProxy]:
    server = _ForwardingProxy()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


# -- proxies from the environment ------------------------------------------------------------

PROXY_ENVIRONMENTS: list[dict[str, str]] = [
    {},
    {"HTTPS_PROXY": "http://proxy.example:3128"},
    {"HTTP_PROXY": "http://proxy.example:3128", "HTTPS_PROXY": "http://secure.example:3129"},
    {"https_proxy": "proxy.example:3128"},
    {"HTTPS_PROXY": "http://proxy.example:3128", "NO_PROXY": "amazonaws.com"},
    {"HTTPS_PROXY": "http://proxy.example:3128", "NO_PROXY": ".amazonaws.com"},
    {"HTTPS_PROXY": "http://proxy.example:3128", "NO_PROXY": "*"},
    {
        "HTTPS_PROXY": "http://proxy.example:3128",
        "no_proxy": "example.org,api.ecr.us-east-1.amazonaws.com",
    },
    {"HTTPS_PROXY": "http://proxy.example:3128", "NO_PROXY": "example.org"},
    {"HTTP_PROXY": "http://proxy.example:3128", "NO_PROXY": "127.0.0.1"},
    {"ALL_PROXY": "http://proxy.example:3128"},
]
ENDPOINTS = ["https://api.ecr.us-east-1.amazonaws.com", "http://127.0.0.1:5000"]


def _normalized(proxies: dict[str, str]) -> dict[str, str]:
    """botocore's proxies as they are used: http/https only, ``http://`` added when missing."""
    return {
        scheme: url if "://" in url else f"http://{url}"
        for scheme, url in proxies.items()
        if scheme in ("http", "https")
    }


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("environment", PROXY_ENVIRONMENTS)
def test_environment_proxies_match_botocore(
    environment: dict[str, str], endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert environment_proxies(endpoint) == _normalized(get_environ_proxies(endpoint))


def test_the_client_config_shows_the_proxies_in_force(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    client = ECRClient(region_name=REGION, **KEYS)
    assert client.config.proxies == {"https": "http://proxy.example:3128"}
    explicit = ECRClient(region_name=REGION, config=ClientConfig(proxies={}), **KEYS)
    assert explicit.config.proxies == {}
    dropin = ecrclient.client("ecr", region_name=REGION, **KEYS)
    assert dropin.typed.config.proxies == {"https": "http://proxy.example:3128"}


@pytest.mark.parametrize("source", ["environment", "config"])
@pytest.mark.parametrize("kind", CLIENT_KINDS)
def test_calls_go_through_the_proxy(
    kind: str,
    source: str,
    proxy: _ForwardingProxy,
    moto_endpoint: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    options: dict[str, Any] = {}
    if source == "environment":
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
    else:
        options["config"] = ClientConfig(proxies={"http": proxy.url})
    before = len(proxy.forwarded)
    with make_client(
        kind, region_name=REGION, endpoint_url=moto_endpoint, **KEYS, **options
    ) as client:
        client.describe_repositories()
    assert proxy.forwarded[before:] == [moto_endpoint + "/"]


@pytest.mark.parametrize("kind", CLIENT_KINDS)
def test_no_proxy_covering_the_endpoint_goes_direct(
    kind: str, proxy: _ForwardingProxy, moto_endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    before = len(proxy.forwarded)
    with make_client(kind, region_name=REGION, endpoint_url=moto_endpoint, **KEYS) as client:
        client.describe_repositories()
    assert proxy.forwarded[before:] == []


def test_the_drop_in_goes_through_the_proxy_as_boto3_does(
    proxy: _ForwardingProxy, moto_endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    seen = []
    for make in (boto3.client, ecrclient.client):
        before = len(proxy.forwarded)
        client: Any = make("ecr", region_name=REGION, endpoint_url=moto_endpoint, **KEYS)
        client.describe_repositories()
        seen.append(proxy.forwarded[before:])
    assert seen[0] == seen[1] == [moto_endpoint + "/"]


# -- CA bundles --------------------------------------------------------------------------------


def _boto3_verify(**options: Any) -> Any:
    client: Any = boto3.session.Session().client("ecr", region_name=REGION, **KEYS, **options)
    return client._endpoint.http_session._verify


@pytest.mark.parametrize(
    "setting",
    ["none", "AWS_CA_BUNDLE", "REQUESTS_CA_BUNDLE", "profile", "both env", "profile and env"],
)
def test_ca_bundle_comes_from_where_botocore_takes_it(
    setting: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    aws, requests, profiled = (str(tmp_path / name) for name in ("aws.pem", "req.pem", "p.pem"))
    for bundle in (aws, requests, profiled):
        Path(bundle).touch()
    config = tmp_path / "config"
    config.write_text(f"[default]\nca_bundle = {profiled}\n" if "profile" in setting else "")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    if setting in ("AWS_CA_BUNDLE", "both env", "profile and env"):
        monkeypatch.setenv("AWS_CA_BUNDLE", aws)
    if setting in ("REQUESTS_CA_BUNDLE", "both env"):
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", requests)
    expected = _boto3_verify()
    assert ECRClient(region_name=REGION, **KEYS).config.verify == expected
    assert ecrclient.client("ecr", region_name=REGION, **KEYS).typed.config.verify == expected


@pytest.mark.parametrize("verify", [False, True, "explicit.pem"])
def test_an_explicit_verify_wins_over_the_environment(
    verify: bool | str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if isinstance(verify, str):
        verify = str(tmp_path / verify)
        Path(verify).touch()
    monkeypatch.setenv("AWS_CA_BUNDLE", "/from/environment.pem")  # not there, and not read
    expected = _boto3_verify(verify=verify)
    assert expected == verify
    typed = ECRClient(region_name=REGION, config=ClientConfig(verify=verify), **KEYS)
    assert typed.config.verify == verify
    dropin = ecrclient.client("ecr", region_name=REGION, verify=verify, **KEYS)
    assert dropin.typed.config.verify == verify


@pytest.mark.parametrize("source", ["config", "AWS_CA_BUNDLE", "profile"])
def test_a_ca_bundle_that_does_not_exist_is_refused_at_creation(
    source: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ecrclient.errors import ConfigurationError

    missing = str(tmp_path / "missing.pem")
    options: dict[str, Any] = {}
    if source == "config":
        options["config"] = ClientConfig(verify=missing)
    elif source == "AWS_CA_BUNDLE":
        monkeypatch.setenv("AWS_CA_BUNDLE", missing)
    else:
        config = tmp_path / "config"
        config.write_text(f"[default]\nca_bundle = {missing}\n")
        monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    with pytest.raises(ConfigurationError, match=r"missing\.pem"):
        ECRClient(region_name=REGION, **KEYS, **options)
    if source != "config":
        with pytest.raises(ConfigurationError, match=r"missing\.pem"):
            ecrclient.client("ecr", region_name=REGION, **KEYS)


def test_a_ca_bundle_that_is_not_pem_fails_the_first_call_clearly(tmp_path: Path) -> None:
    from ecrclient.errors import ConfigurationError

    garbage = tmp_path / "garbage.pem"
    garbage.write_text("not a certificate\n")
    client = ECRClient(
        region_name=REGION,
        endpoint_url="https://127.0.0.1:9",
        config=ClientConfig(verify=str(garbage), max_attempts=1),
        **KEYS,
    )
    with pytest.raises(ConfigurationError, match="could not be loaded"):
        client.describe_registry()


def test_a_ca_directory_is_taken_as_botocore_takes_it(tmp_path: Path) -> None:
    import ssl

    from ecrclient._transports import base as _transport

    context = _transport.tls_verification(str(tmp_path))
    assert isinstance(context, ssl.SSLContext)
    assert context.verify_mode == ssl.CERT_REQUIRED
    client = ECRClient(region_name=REGION, config=ClientConfig(verify=str(tmp_path)), **KEYS)
    assert client.config.verify == str(tmp_path)


# -- TLS ---------------------------------------------------------------------------------------


class _TlsServer(http.server.ThreadingHTTPServer):
    """HTTPS on 127.0.0.1 with a self-signed certificate; every POST answers DescribeRegistry."""

    daemon_threads = True

    def __init__(self, context: ssl.SSLContext) -> None:
        super().__init__(("127.0.0.1", 0), _TlsHandler)
        self.socket = context.wrap_socket(self.socket, server_side=True)

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.server_address[1]}"


class _TlsHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        body = json.dumps({"registryId": "123456789012"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/x-amz-json-1.1")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


def _self_signed(directory: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "server.pem", directory / "server.key"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[_TlsServer, str]]:
    cert_path, key_path = _self_signed(tmp_path_factory.mktemp("tls"))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_path, key_path)
    server = _TlsServer(context)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server, str(cert_path)
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("kind", CLIENT_KINDS)
def test_tls_is_verified_against_the_ca_bundle_given(
    kind: str, tls_server: tuple[_TlsServer, str]
) -> None:
    server, bundle = tls_server
    config = ClientConfig(verify=bundle, max_attempts=1)
    with make_client(kind, region_name=REGION, endpoint_url=server.url, config=config, **KEYS) as c:
        assert c.describe_registry().registry_id == "123456789012"


@pytest.mark.parametrize("kind", CLIENT_KINDS)
def test_tls_refuses_a_certificate_the_default_bundle_does_not_trust(
    kind: str, tls_server: tuple[_TlsServer, str]
) -> None:
    server, _ = tls_server
    config = ClientConfig(max_attempts=1)
    with (
        make_client(kind, region_name=REGION, endpoint_url=server.url, config=config, **KEYS) as c,
        pytest.raises(EndpointConnectionError, match="certificate"),
    ):
        c.describe_registry()


@pytest.mark.filterwarnings("ignore::urllib3.exceptions.InsecureRequestWarning")
@pytest.mark.parametrize("kind", CLIENT_KINDS)
def test_tls_without_verification_accepts_any_certificate(
    kind: str, tls_server: tuple[_TlsServer, str]
) -> None:
    server, _ = tls_server
    config = ClientConfig(verify=False, max_attempts=1)
    with make_client(kind, region_name=REGION, endpoint_url=server.url, config=config, **KEYS) as c:
        assert c.describe_registry().registry_id == "123456789012"


@pytest.mark.parametrize("kind", CLIENT_KINDS)
def test_https_goes_through_an_http_proxy_with_connect(
    kind: str, tls_server: tuple[_TlsServer, str], proxy: _ForwardingProxy
) -> None:
    server, bundle = tls_server
    config = ClientConfig(verify=bundle, proxies={"https": proxy.url}, max_attempts=1)
    before = len(proxy.forwarded)
    with make_client(kind, region_name=REGION, endpoint_url=server.url, config=config, **KEYS) as c:
        assert c.describe_registry().registry_id == "123456789012"
    assert proxy.forwarded[before:] == [f"CONNECT 127.0.0.1:{server.server_address[1]}"]
