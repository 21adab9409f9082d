"""Known attacks over the network, each against a real loopback server: decompression bombs, a 50 MB
single-line page, connections that reset, stall or break off mid-stream. Each ends in a FetchError with a
reason code, promptly and within a bounded amount of memory."""

from __future__ import annotations

import resource
import time
import zlib
from collections.abc import Iterator

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from pipeline.net.fetcher import Fetcher, FetchError
from pipeline.settings import Settings
from tests.support.faults import Behaviour, fault_server
from tests.support.runs import FAST

pytestmark = pytest.mark.integration
CAP = 5_000_000  # the default max_body_bytes
FIFTY_MB = 50_000_000


def settings(**overrides: object) -> Settings:
    return Settings(**{**FAST, "max_body_bytes": CAP, **overrides})


@pytest.fixture(scope="module")
def server() -> Iterator[HTTPServer]:
    srv = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    srv.start()
    srv.expect_request("/robots.txt").respond_with_data("", status=404)
    yield srv
    srv.clear()
    srv.stop()


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def gzip_bomb(size: int) -> bytes:
    """``size`` zero bytes, gzip-compressed (about 1,000:1)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = b"\0" * (1 << 20)
    parts = [compressor.compress(chunk) for _ in range(size // len(chunk))]
    return b"".join([*parts, compressor.flush()])


def fetch_error(url: str, kind: str = "page", **overrides: object) -> FetchError:
    with Fetcher(settings(**overrides)) as fetcher, pytest.raises(FetchError) as caught:
        fetcher.get(url, kind=kind)  # type: ignore[arg-type]
    return caught.value


def test_a_gzip_bomb_is_stopped_at_the_body_cap_counted_in_inflated_bytes(server: HTTPServer) -> None:
    bomb = gzip_bomb(2_000_000_000)  # 2 GB inflated from about 2 MB on the wire
    server.expect_request("/bomb.html").respond_with_data(
        bomb, headers={"Content-Encoding": "gzip"}, content_type="text/html"
    )
    before = peak_rss_mb()
    started = time.monotonic()

    error = fetch_error(server.url_for("/bomb.html"))

    assert error.reason_code == "too_large" and str(CAP) in error.detail
    assert time.monotonic() - started < 10
    assert peak_rss_mb() - before < 400, "inflating the bomb must stop near the cap, not at 2 GB"


def test_a_gzip_bomb_in_a_feed_is_stopped_the_same_way(server: HTTPServer) -> None:
    server.expect_request("/bomb.rss").respond_with_data(
        gzip_bomb(500_000_000), headers={"Content-Encoding": "gzip"}, content_type="application/rss+xml"
    )
    assert fetch_error(server.url_for("/bomb.rss"), kind="feed").reason_code == "too_large"


@pytest.mark.parametrize("announced", [True, False], ids=["content-length", "chunked"])
def test_a_50_mb_single_line_page_is_refused_without_reading_it_all(server: HTTPServer, announced: bool) -> None:
    line = b"<!doctype html><html><body><p>" + b"w" * FIFTY_MB + b"</p></body></html>"
    sent = {"bytes": 0}

    def trickle(request: Request) -> Response:
        def body() -> Iterator[bytes]:
            for start in range(0, len(line), 1 << 20):
                sent["bytes"] += 1 << 20
                yield line[start : start + (1 << 20)]

        headers = {"Content-Length": str(len(line))} if announced else {}
        return Response(body(), content_type="text/html", headers=headers, direct_passthrough=True)

    server.expect_request(f"/one-line-{announced}.html").respond_with_handler(trickle)
    error = fetch_error(server.url_for(f"/one-line-{announced}.html"))

    assert error.reason_code == "too_large"
    assert sent["bytes"] < FIFTY_MB / 2


@pytest.mark.parametrize(
    ("behaviour", "reason"),
    [("reset", "connection_error"), ("silent", "timeout"), ("garbage", "connection_error")],
)
def test_a_server_that_resets_stalls_or_breaks_off_mid_stream_is_a_reasoned_failure_after_retries(
    behaviour: Behaviour, reason: str
) -> None:
    with fault_server(behaviour) as bad:
        started = time.monotonic()
        error = fetch_error(bad.url("/feed.rss"), kind="feed", retries=1)
        elapsed = time.monotonic() - started
    assert error.reason_code == reason
    assert bad.connections >= 2  # robots.txt (failure allows) and the feed, retried
    assert elapsed < 10
