"""Fetching against a real loopback HTTP server: limits, retries, robots.txt, guards and concurrency."""

from __future__ import annotations

import itertools
import logging
import socket
import threading
import time
from collections.abc import Iterator

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from pipeline.net.fetcher import FetchedResponse, Fetcher, FetchError, fetch_concurrently
from pipeline.settings import Settings
from tests.support.fakes import PUBLIC_IP, FakeClock, PublicNetwork

pytestmark = pytest.mark.integration

PAGE = "<!doctype html><html><head><title>Story</title></head><body><p>Text</p></body></html>"
RSS = '<?xml version="1.0"?><rss version="2.0"><channel><title>Feed</title></channel></rss>'


def settings(**overrides: object) -> Settings:
    base: dict[str, object] = {
        "allow_private_networks": True,
        "connect_timeout_s": 1.0,
        "read_timeout_s": 1.0,
        "total_timeout_s": 5.0,
        "retries": 2,
        "backoff_base_s": 0.01,
        "backoff_max_s": 0.05,
        "per_host_min_interval_s": 0.0,
        "max_redirects": 3,
    }
    return Settings(**{**base, **overrides})  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def server() -> Iterator[HTTPServer]:
    # Threaded: slow handlers must not block the next test, and HTTP/1.1 gives chunked streaming bodies.
    srv = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    srv.start()
    yield srv
    srv.clear()
    srv.stop()


@pytest.fixture
def release() -> Iterator[threading.Event]:
    """Set at teardown so a handler that stalls on purpose ends with its test."""
    event = threading.Event()
    yield event
    event.set()


@pytest.fixture
def bare(server: HTTPServer) -> Iterator[HTTPServer]:
    """The server with no handlers; tests that are about robots.txt add their own."""
    server.clear()
    yield server
    server.clear()


@pytest.fixture
def site(bare: HTTPServer) -> HTTPServer:
    """The server with no robots.txt (404: everything allowed)."""
    bare.expect_request("/robots.txt").respond_with_data("", status=404)
    return bare


def requests_to(server: HTTPServer, path: str) -> list[Request]:
    return [request for request, _ in server.log if request.path == path]


Fetched = FetchedResponse | FetchError


def fetch_pages(fetcher: Fetcher, urls: list[str], config: Settings | None = None) -> list[Fetched]:
    """``urls`` fetched at once as the fetch stage fetches its candidates (on ``global_concurrency`` threads)."""

    def one(url: str) -> Fetched:
        try:
            return fetcher.get(url, kind="page")
        except FetchError as exc:
            return exc

    return fetch_concurrently(urls, urls, one, (config or settings()).global_concurrency)


def fetch_error(fetcher: Fetcher, url: str, kind: str = "page") -> FetchError:
    with pytest.raises(FetchError) as caught:
        fetcher.get(url, kind=kind)  # type: ignore[arg-type]
    return caught.value


def test_page_comes_back_as_bytes_with_declared_charset_and_caching_headers(site: HTTPServer) -> None:
    site.expect_request("/story").respond_with_data(
        PAGE.encode("latin-1"),
        content_type="text/html; charset=ISO-8859-1",
        headers={"ETag": '"v1"', "Last-Modified": "Sat, 01 Mar 2025 10:00:00 GMT"},
    )
    s = settings()

    with Fetcher(s) as fetcher:
        response = fetcher.get(site.url_for("/story"), kind="page")

    assert response.status == 200
    assert response.body == PAGE.encode("latin-1")
    assert (response.content_type, response.encoding) == ("text/html", "ISO-8859-1")
    assert response.headers["etag"] == '"v1"'
    assert response.headers["last-modified"] == "Sat, 01 Mar 2025 10:00:00 GMT"
    assert response.final_url == response.url == site.url_for("/story")
    assert response.fetched_at.utcoffset() is not None
    assert [r.headers["User-Agent"] for r, _ in site.log] == [s.http_user_agent] * 2
    assert [r.path for r, _ in site.log] == ["/robots.txt", "/story"]


def test_conditional_get_that_was_not_modified_returns_304(site: HTTPServer) -> None:
    site.expect_request("/feed.xml", headers={"If-None-Match": '"v1"'}).respond_with_data("", status=304)

    with Fetcher(settings()) as fetcher:
        response = fetcher.get(site.url_for("/feed.xml"), kind="feed", headers={"If-None-Match": '"v1"'})

    assert response.status == 304
    assert response.body == b""


def test_response_slower_than_the_read_timeout_is_a_timeout_after_retries(
    site: HTTPServer, release: threading.Event
) -> None:
    arrivals: list[str] = []

    def stall(request: Request) -> Response:
        arrivals.append(request.path)  # counted here: the server's log is written only once a handler returns
        release.wait(2)
        return Response(PAGE, content_type="text/html")

    site.expect_request("/slow").respond_with_handler(stall)
    sleeps: list[float] = []

    with Fetcher(settings(read_timeout_s=0.2, retries=1), sleep=sleeps.append) as fetcher:
        error = fetch_error(fetcher, site.url_for("/slow"))

    assert error.reason_code == "timeout"
    assert arrivals == ["/slow", "/slow"]
    assert len(sleeps) == 1


def test_body_trickling_past_the_total_cap_is_a_timeout(site: HTTPServer) -> None:
    def trickle() -> Iterator[bytes]:
        yield b"<html><body>"
        for _ in range(20):
            time.sleep(0.05)
            yield b"<p>more</p>"

    site.expect_request("/trickle").respond_with_handler(lambda r: Response(trickle(), content_type="text/html"))

    started = time.monotonic()
    with Fetcher(settings(read_timeout_s=0.5, total_timeout_s=0.3, retries=0)) as fetcher:
        error = fetch_error(fetcher, site.url_for("/trickle"))

    assert error.reason_code == "timeout"
    assert time.monotonic() - started < 0.9


def test_announced_content_length_over_the_cap_aborts_before_reading(
    site: HTTPServer, release: threading.Event
) -> None:
    def huge() -> Iterator[bytes]:
        yield b"<html>"
        release.wait(3)  # had the client waited for the body, it would report a timeout

    site.expect_request("/huge").respond_with_handler(
        lambda r: Response(huge(), content_type="text/html", headers={"Content-Length": "50000000"})
    )

    with Fetcher(settings(max_body_bytes=1000, read_timeout_s=0.5, retries=0)) as fetcher:
        error = fetch_error(fetcher, site.url_for("/huge"))

    assert error.reason_code == "too_large"
    assert "50000000" in error.detail


@pytest.mark.parametrize("stall_after_cap", [False, True])
def test_chunked_body_over_the_cap_is_too_large_as_soon_as_it_passes(
    site: HTTPServer, release: threading.Event, stall_after_cap: bool
) -> None:
    def endless() -> Iterator[bytes]:
        for _ in range(4):
            yield b"<p>" + b"x" * 400 + b"</p>"
        if stall_after_cap:
            release.wait(3)  # the cap has been passed: the client must not wait for more

    def handler(request: Request) -> Response:
        response = Response(endless(), content_type="text/html")
        assert "Content-Length" not in response.headers
        return response

    site.expect_request("/chunked").respond_with_handler(handler)

    with Fetcher(settings(max_body_bytes=1000, read_timeout_s=0.5, retries=0)) as fetcher:
        error = fetch_error(fetcher, site.url_for("/chunked"))

    assert error.reason_code == "too_large"


def test_body_exactly_at_the_cap_is_accepted(site: HTTPServer) -> None:
    body = b"<html>" + b"x" * 994
    site.expect_request("/fits").respond_with_data(body, content_type="text/html")

    with Fetcher(settings(max_body_bytes=1000)) as fetcher:
        assert fetcher.get(site.url_for("/fits"), kind="page").body == body


def test_redirects_are_followed_and_the_final_url_reported(site: HTTPServer) -> None:
    site.expect_request("/old").respond_with_data("", status=301, headers={"Location": "/new"})
    site.expect_request("/new").respond_with_data(PAGE, content_type="text/html")

    with Fetcher(settings()) as fetcher:
        response = fetcher.get(site.url_for("/old"), kind="page")

    assert response.final_url == site.url_for("/new")
    assert response.url == site.url_for("/old")


def test_redirect_loop_stops_at_max_redirects(site: HTTPServer) -> None:
    site.expect_request("/a").respond_with_data("", status=302, headers={"Location": "/b"})
    site.expect_request("/b").respond_with_data("", status=302, headers={"Location": "/a"})

    with Fetcher(settings(max_redirects=3)) as fetcher:
        error = fetch_error(fetcher, site.url_for("/a"))

    assert error.reason_code == "too_many_redirects"
    assert len(requests_to(site, "/a")) + len(requests_to(site, "/b")) == 4


def test_429_with_retry_after_waits_as_asked_then_succeeds(site: HTTPServer) -> None:
    site.expect_oneshot_request("/busy").respond_with_data("", status=429, headers={"Retry-After": "2"})
    site.expect_request("/busy").respond_with_data(PAGE, content_type="text/html")
    clock = FakeClock()

    with Fetcher(settings(backoff_max_s=30.0), sleep=clock.sleep, clock=clock) as fetcher:
        response = fetcher.get(site.url_for("/busy"), kind="page")

    assert response.status == 200
    assert clock.sleeps == [2.0]
    assert len(requests_to(site, "/busy")) == 2


def test_503_recovers_on_retry(site: HTTPServer) -> None:
    site.expect_oneshot_request("/flaky").respond_with_data("", status=503)
    site.expect_oneshot_request("/flaky").respond_with_data("", status=502)
    site.expect_request("/flaky").respond_with_data(PAGE, content_type="text/html")
    sleeps: list[float] = []

    with Fetcher(settings(retries=3), sleep=sleeps.append) as fetcher:
        response = fetcher.get(site.url_for("/flaky"), kind="page")

    assert response.body == PAGE.encode()
    assert len(requests_to(site, "/flaky")) == 3
    assert len(sleeps) == 2 and all(0 <= s <= 0.05 for s in sleeps)


def test_persistent_5xx_is_an_http_status_failure_after_all_retries(site: HTTPServer) -> None:
    site.expect_request("/down").respond_with_data("", status=500)

    with Fetcher(settings(retries=2), sleep=lambda s: None) as fetcher:
        error = fetch_error(fetcher, site.url_for("/down"))

    assert error.reason_code == "http_status"
    assert "500" in error.detail
    assert len(requests_to(site, "/down")) == 3


def test_404_is_not_retried(site: HTTPServer, caplog: pytest.LogCaptureFixture) -> None:
    site.expect_request("/gone").respond_with_data("not here", status=404)
    sleeps: list[float] = []

    with (
        caplog.at_level(logging.WARNING, logger="pipeline.net.fetcher"),
        Fetcher(settings(), sleep=sleeps.append) as fetcher,
    ):
        error = fetch_error(fetcher, site.url_for("/gone"))

    assert error.reason_code == "http_status"
    assert "404" in error.detail
    assert len(requests_to(site, "/gone")) == 1
    assert sleeps == []
    (line,) = [r.getMessage() for r in caplog.records if r.getMessage().startswith("fetch failed")]
    assert f"url={site.url_for('/gone')} reason=http_status" in line


def test_robots_txt_disallow_is_respected_and_fetched_once_per_host(bare: HTTPServer) -> None:
    bare.expect_request("/robots.txt").respond_with_data(
        "User-agent: *\nDisallow: /private/\n", content_type="text/plain"
    )
    bare.expect_request("/private/story").respond_with_data(PAGE, content_type="text/html")
    bare.expect_request("/public/story").respond_with_data(PAGE, content_type="text/html")

    with Fetcher(settings()) as fetcher:
        error = fetch_error(fetcher, bare.url_for("/private/story"))
        fetcher.get(bare.url_for("/public/story"), kind="page")
        fetch_pages(fetcher, [bare.url_for("/public/story")] * 4)

    assert error.reason_code == "robots_disallowed"
    assert requests_to(bare, "/private/story") == []
    assert len(requests_to(bare, "/robots.txt")) == 1


def test_robots_txt_403_disallows_everything(bare: HTTPServer) -> None:
    bare.expect_request("/robots.txt").respond_with_data("", status=403)
    bare.expect_request("/story").respond_with_data(PAGE, content_type="text/html")

    with Fetcher(settings()) as fetcher:
        error = fetch_error(fetcher, bare.url_for("/story"))

    assert error.reason_code == "robots_disallowed"
    assert requests_to(bare, "/story") == []


@pytest.mark.parametrize(
    ("url", "kind", "body", "content_type", "reason"),
    [
        ("/report.pdf", "page", b"%PDF-1.7", "application/pdf", "not_html"),
        ("/feed.xml", "page", RSS.encode(), "application/rss+xml", "not_html"),
        ("/data.json", "feed", b"{}", "application/json", "not_feed"),
        ("/home", "feed", PAGE.encode(), "text/html", "not_feed"),
        ("/untyped", "page", b"just some text", None, "not_html"),
    ],
)
def test_wrong_content_type_is_refused(
    site: HTTPServer, url: str, kind: str, body: bytes, content_type: str | None, reason: str
) -> None:
    site.expect_request(url).respond_with_handler(lambda r: _typed(body, content_type))

    with Fetcher(settings()) as fetcher:
        assert fetch_error(fetcher, site.url_for(url), kind).reason_code == reason


@pytest.mark.parametrize(("kind", "body"), [("page", PAGE.encode()), ("feed", RSS.encode())])
def test_missing_content_type_is_sniffed(site: HTTPServer, kind: str, body: bytes) -> None:
    site.expect_request("/untyped").respond_with_handler(lambda r: _typed(body, None))

    with Fetcher(settings()) as fetcher:
        response = fetcher.get(site.url_for("/untyped"), kind=kind)  # type: ignore[arg-type]

    assert response.body == body
    assert response.content_type is None


def _typed(body: bytes, content_type: str | None) -> Response:
    response = Response(body, content_type=content_type)
    if content_type is None:
        del response.headers["Content-Type"]
    return response


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "2130706433", "[::ffff:127.0.0.1]"])
def test_loopback_is_blocked_by_default_and_nothing_reaches_the_server(site: HTTPServer, host: str) -> None:
    site.expect_request("/story").respond_with_data(PAGE, content_type="text/html")
    url = f"http://{host}:{site.port}/story"

    with Fetcher(settings(allow_private_networks=False)) as fetcher:
        error = fetch_error(fetcher, url)

    assert error.reason_code == "ssrf_blocked"
    assert site.log == []


def test_redirect_from_an_allowed_host_to_a_private_address_is_blocked(
    site: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    network = PublicNetwork(monkeypatch)
    network.answer("news.test", PUBLIC_IP)
    network.serve(site.port, at=site.port)
    secret = f"http://localhost:{site.port}/secret"
    site.expect_request("/story").respond_with_data("", status=302, headers={"Location": secret})
    site.expect_request("/secret").respond_with_data(PAGE, content_type="text/html")

    with Fetcher(settings(allow_private_networks=False)) as fetcher:
        error = fetch_error(fetcher, f"http://news.test:{site.port}/story")

    assert error.reason_code == "ssrf_blocked"
    assert secret in error.detail
    assert requests_to(site, "/secret") == []
    assert len(requests_to(site, "/story")) == 1


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://127.0.0.1/feed.xml", "http://user:secret@127.0.0.1:{port}/story"]
)
def test_non_http_schemes_and_credentials_are_bad_urls(site: HTTPServer, url: str) -> None:
    with Fetcher(settings()) as fetcher:
        error = fetch_error(fetcher, url.format(port=site.port))

    assert error.reason_code == "bad_url"
    assert site.log == []


def test_refused_connection_is_a_connection_error() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]

    with Fetcher(settings(retries=1), sleep=lambda s: None) as fetcher:
        error = fetch_error(fetcher, f"http://127.0.0.1:{port}/story")

    assert error.reason_code == "connection_error"


class InFlight:
    """A handler that holds each request a little and records the most it saw at once."""

    def __init__(self, hold_s: float = 0.15) -> None:
        self.hold_s = hold_s
        self.now = 0
        self.peak = 0
        self.lock = threading.Lock()

    def __call__(self, request: Request) -> Response:
        with self.lock:
            self.now += 1
            self.peak = max(self.peak, self.now)
        time.sleep(self.hold_s)
        with self.lock:
            self.now -= 1
        return Response(PAGE, content_type="text/html")


@pytest.mark.parametrize(
    ("per_host", "global_cap", "expected_peak"), [(2, 8, 2), (8, 3, 3)], ids=["per-host", "global"]
)
def test_concurrency_caps_hold_on_the_server_side(
    site: HTTPServer, per_host: int, global_cap: int, expected_peak: int
) -> None:
    handler = InFlight()
    site.expect_request("/held").respond_with_handler(handler)
    urls = [site.url_for(f"/held?n={n}") for n in range(6)]

    capped = settings(per_host_concurrency=per_host, global_concurrency=global_cap)
    with Fetcher(capped) as fetcher:
        results = fetch_pages(fetcher, urls, capped)

    assert all(isinstance(r, FetchedResponse) for r in results)
    assert handler.peak == expected_peak


def test_requests_to_one_host_are_spaced_by_the_min_interval(site: HTTPServer) -> None:
    starts: list[float] = []

    def stamp(request: Request) -> Response:
        starts.append(time.monotonic())
        return Response(PAGE, content_type="text/html")

    site.expect_request("/paced").respond_with_handler(stamp)

    with Fetcher(settings(per_host_min_interval_s=0.15)) as fetcher:
        fetch_pages(fetcher, [site.url_for(f"/paced?n={n}") for n in range(3)])

    gaps = [b - a for a, b in itertools.pairwise(starts)]
    assert len(starts) == 3
    assert all(gap >= 0.13 for gap in gaps)


def test_concurrent_fetches_keep_the_order_of_urls_and_mix_results_with_errors(bare: HTTPServer) -> None:
    bare.expect_request("/robots.txt").respond_with_data("User-agent: *\nDisallow: /private/\n")
    bare.expect_request("/one").respond_with_data("<html>one</html>", content_type="text/html")
    bare.expect_request("/two").respond_with_data("<html>two</html>", content_type="text/html")
    bare.expect_request("/gone").respond_with_data("", status=404)
    urls = [
        bare.url_for("/one"),
        bare.url_for("/gone"),
        "ftp://127.0.0.1/x",
        bare.url_for("/two"),
        bare.url_for("/private/x"),
    ]

    with Fetcher(settings()) as fetcher:
        results = fetch_pages(fetcher, urls)

    outcomes = [r.body if isinstance(r, FetchedResponse) else r.reason_code for r in results]
    assert outcomes == [
        b"<html>one</html>",
        "http_status",
        "bad_url",
        b"<html>two</html>",
        "robots_disallowed",
    ]
    assert [r.url for r in results] == urls
