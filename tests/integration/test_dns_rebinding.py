"""DNS rebinding against the fetcher: a name that answers a public address to the SSRF guard and loopback
a moment later. The connection must go to the address that was checked, for the first hop and every
redirect; the loopback server (standing for the machine's own services) never sees a request."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pytest_httpserver import HTTPServer

from pipeline.net.fetcher import Fetcher, FetchError
from pipeline.settings import Settings
from tests.support.fakes import PUBLIC_IP, PublicNetwork
from tests.support.runs import FAST

pytestmark = pytest.mark.integration

PUBLIC_PAGE = b"<!doctype html><html><body><p>The public story</p></body></html>"
SECRET = b"<!doctype html><html><body><p>internal admin page</p></body></html>"


def started() -> HTTPServer:
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    return server


@pytest.fixture
def internal() -> Iterator[HTTPServer]:
    """A service on the machine itself: what the attacker wants to reach."""
    server = started()
    server.expect_request("/story").respond_with_data(SECRET, content_type="text/html")
    server.expect_request("/secret").respond_with_data(SECRET, content_type="text/html")
    yield server
    server.stop()


@pytest.fixture
def public() -> Iterator[HTTPServer]:
    """The public site at PUBLIC_IP (reached over loopback through :class:`PublicNetwork`)."""
    server = started()
    server.expect_request("/robots.txt").respond_with_data("", status=404)
    yield server
    server.stop()


@pytest.fixture
def network(monkeypatch: pytest.MonkeyPatch, internal: HTTPServer, public: HTTPServer) -> PublicNetwork:
    """URLs use the internal server's port, so only the address decides which server a connection hits."""
    net = PublicNetwork(monkeypatch)
    net.serve(internal.port, at=public.port)
    net.answer("news.test", PUBLIC_IP)
    net.answer("rebind.test", PUBLIC_IP, "127.0.0.1")
    return net


def guarded() -> Fetcher:
    return Fetcher(Settings(**{**FAST, "allow_private_networks": False}))


def test_a_rebinding_name_is_connected_at_the_checked_address(
    network: PublicNetwork, internal: HTTPServer, public: HTTPServer
) -> None:
    public.expect_request("/story").respond_with_data(PUBLIC_PAGE, content_type="text/html")

    with guarded() as fetcher:
        response = fetcher.get(f"http://rebind.test:{internal.port}/story", kind="page")

    assert response.body == PUBLIC_PAGE
    assert internal.log == []
    # The second answer (loopback) refused the robots.txt lookup; no socket was opened to it or by name.
    assert network.connections == [(PUBLIC_IP, internal.port)]


def test_a_redirect_to_a_rebinding_name_is_connected_at_its_checked_address(
    network: PublicNetwork, internal: HTTPServer, public: HTTPServer
) -> None:
    hop = f"http://rebind.test:{internal.port}/secret"
    public.expect_request("/story").respond_with_data("", status=302, headers={"Location": hop})
    public.expect_request("/secret").respond_with_data(PUBLIC_PAGE, content_type="text/html")

    with guarded() as fetcher:
        response = fetcher.get(f"http://news.test:{internal.port}/story", kind="page")

    assert response.body == PUBLIC_PAGE and response.final_url == hop
    assert internal.log == []
    assert set(network.connections) == {(PUBLIC_IP, internal.port)}


def self_signed(tmp_path: Path, host: str) -> ssl.SSLContext:
    """A server TLS context with a certificate for ``host`` that no public CA signed."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(host)]), critical=False)
        .sign(key, hashes.SHA256())
    )
    (tmp_path / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "key.pem").write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(tmp_path / "cert.pem", tmp_path / "key.pem")
    return context


def test_tls_over_a_pinned_connection_names_the_host_and_verifies_its_certificate(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    context = self_signed(tmp_path, "news.test")
    names: list[str | None] = []
    context.sni_callback = lambda sock, name, ctx: names.append(name)  # type: ignore[assignment]
    server = HTTPServer(host="127.0.0.1", port=0, ssl_context=context)
    server.start()
    try:
        network = PublicNetwork(monkeypatch)
        network.serve(server.port, at=server.port)
        network.answer("news.test", PUBLIC_IP)
        with guarded() as fetcher, pytest.raises(FetchError) as caught:
            fetcher.get(f"https://news.test:{server.port}/story", kind="page")
    finally:
        server.stop()

    assert caught.value.reason_code == "connection_error"
    assert "CERTIFICATE_VERIFY_FAILED" in caught.value.detail  # self-signed: refused, not trusted blindly
    assert names and set(names) == {"news.test"}  # SNI is the host name, not the pinned address
    assert set(network.connections) == {(PUBLIC_IP, server.port)}
