"""DNS rebinding against the fetcher: a name that answers a public address to the SSRF guard and loopback
a moment later. The connection must go to the address that was checked, for the first hop and every
redirect; the loopback server (standing for the machine's own services) never sees a request."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytest_httpserver import HTTPServer

from pipeline.fetch import Fetcher
from pipeline.settings import Settings
from tests.fakes import PUBLIC_IP, PublicNetwork
from tests.runs import FAST

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
