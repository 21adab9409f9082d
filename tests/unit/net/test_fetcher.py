"""Fetcher behaviour against an in-memory transport: guards on redirects, robots policies, retry waits."""

from __future__ import annotations

import ipaddress
import logging
import pickle
import socket
from collections.abc import Callable

import httpx
import pytest

from pipeline.net.fetcher import Fetcher, FetchError
from pipeline.settings import Settings
from tests.support.fakes import FakeClock

pytestmark = pytest.mark.unit

PUBLIC = {"news.example": "93.184.216.34", "cdn.example": "93.184.216.35"}
PAGE = b"<!doctype html><html><body><p>Story</p></body></html>"


def public_dns(host: str, port: int) -> list[str]:
    """Resolve the test hosts to public addresses and everything else as the real resolver would not."""
    if host in PUBLIC:
        return [PUBLIC[host]]
    if host == "localhost":
        return ["127.0.0.1", "::1"]
    try:
        return [str(ipaddress.ip_address(host))]
    except ValueError:
        pass
    try:  # the legacy forms the OS resolver accepts too: 2130706433, 127.1
        return [socket.inet_ntoa(socket.inet_aton(host))]
    except OSError as exc:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known") from exc


def settings(**overrides: object) -> Settings:
    base: dict[str, object] = {
        "allow_private_networks": False,
        "retries": 2,
        "backoff_base_s": 0.5,
        "backoff_max_s": 10.0,
        "per_host_min_interval_s": 0.0,
    }
    return Settings(**{**base, **overrides})  # type: ignore[arg-type]


class Site:
    """Routes (host, path) to responses and remembers every request it saw."""

    def __init__(self, routes: dict[tuple[str, str], Callable[[httpx.Request], httpx.Response]]) -> None:
        self.routes = routes
        self.seen: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        route = self.routes.get((request.url.host, request.url.path))
        if route is None:
            return httpx.Response(404)
        return route(request)

    def paths(self) -> list[str]:
        return [f"{r.url.host}{r.url.path}" for r in self.seen]


def html(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, content=PAGE, headers={"Content-Type": "text/html; charset=utf-8"})


def redirect(location: str) -> Callable[[httpx.Request], httpx.Response]:
    return lambda request: httpx.Response(302, headers={"Location": location})


def fetcher(site: Site, clock: FakeClock | None = None, **overrides: object) -> Fetcher:
    clock = clock or FakeClock()
    return Fetcher(
        settings(**overrides),
        transport=httpx.MockTransport(site),
        sleep=clock.sleep,
        clock=clock,
        resolver=public_dns,
    )


@pytest.mark.parametrize(
    "location",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://localhost:8080/admin",
        "http://[::ffff:10.0.0.1]/",
        "http://2130706433/",
    ],
)
def test_redirect_from_a_public_host_to_a_private_address_is_blocked(location: str) -> None:
    site = Site({("news.example", "/story"): redirect(location)})

    with fetcher(site) as f, pytest.raises(FetchError) as caught:
        f.get("http://news.example/story", kind="page")

    assert caught.value.reason_code == "ssrf_blocked"
    assert site.paths() == ["news.example/robots.txt", "news.example/story"]


def test_redirect_to_another_scheme_is_a_bad_url() -> None:
    site = Site({("news.example", "/story"): redirect("file:///etc/passwd")})

    with fetcher(site) as f, pytest.raises(FetchError) as caught:
        f.get("http://news.example/story", kind="page")

    assert caught.value.reason_code == "bad_url"


def test_redirect_to_another_public_host_is_followed_without_the_callers_headers() -> None:
    site = Site(
        {
            ("news.example", "/story"): redirect("https://cdn.example/story"),
            ("cdn.example", "/story"): html,
        }
    )

    with fetcher(site) as f:
        response = f.get("http://news.example/story", kind="page", headers={"Authorization": "Bearer x"})

    assert response.url == "http://news.example/story"
    assert response.final_url == "https://cdn.example/story"
    first, second = (r for r in site.seen if r.url.path == "/story")
    assert first.headers["Authorization"] == "Bearer x"
    assert "Authorization" not in second.headers
    assert second.headers["User-Agent"] == settings().http_user_agent


def test_unresolvable_host_is_a_dns_error() -> None:
    site = Site({})

    with fetcher(site) as f, pytest.raises(FetchError) as caught:
        f.get("http://no-such-host.invalid/", kind="page")

    assert caught.value.reason_code == "dns_error"
    assert site.seen == []


def test_robots_401_disallows_the_whole_origin() -> None:
    site = Site({("news.example", "/robots.txt"): lambda r: httpx.Response(401), ("news.example", "/a"): html})

    with fetcher(site) as f, pytest.raises(FetchError) as caught:
        f.get("http://news.example/a", kind="page")

    assert caught.value.reason_code == "robots_disallowed"
    assert site.paths() == ["news.example/robots.txt"]


def test_robots_server_error_allows_and_logs(caplog: pytest.LogCaptureFixture) -> None:
    site = Site({("news.example", "/robots.txt"): lambda r: httpx.Response(503), ("news.example", "/a"): html})

    with caplog.at_level(logging.WARNING, logger="pipeline.net.fetcher"), fetcher(site) as f:
        response = f.get("http://news.example/a", kind="page")

    assert response.body == PAGE
    assert "http://news.example:80/robots.txt" in caplog.text
    assert "503" in caplog.text


def test_robots_groups_match_the_user_agent_product_token() -> None:
    robots = b"User-agent: newsflow\nDisallow: /\n\nUser-agent: *\nAllow: /\n"
    site = Site({("news.example", "/robots.txt"): lambda r: httpx.Response(200, content=robots)})

    with fetcher(site) as f, pytest.raises(FetchError) as caught:
        f.get("http://news.example/a", kind="page")

    assert caught.value.reason_code == "robots_disallowed"


def test_robots_crawl_delay_spaces_requests_to_the_host() -> None:
    robots = b"User-agent: *\nCrawl-delay: 3\n"
    site = Site({("news.example", "/robots.txt"): lambda r: httpx.Response(200, content=robots)})
    site.routes[("news.example", "/a")] = html
    clock = FakeClock()

    with fetcher(site, clock) as f:
        f.get("http://news.example/a", kind="page")
        f.get("http://news.example/a", kind="page")

    assert clock.sleeps == [3.0]


def test_retry_after_as_http_date_is_capped_at_backoff_max() -> None:
    answers = iter(
        [httpx.Response(503, headers={"Retry-After": "Wed, 01 Jan 2098 00:00:00 GMT"}), html(None)]  # type: ignore[arg-type]
    )
    site = Site({("news.example", "/a"): lambda r: next(answers)})
    clock = FakeClock()

    with fetcher(site, clock, backoff_max_s=7.5) as f:
        response = f.get("http://news.example/a", kind="page")

    assert response.status == 200
    assert clock.sleeps == [7.5]


def test_connection_errors_are_retried_then_reported() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    site = Site({("news.example", "/a"): refuse})
    clock = FakeClock()

    with fetcher(site, clock, retries=2) as f, pytest.raises(FetchError) as caught:
        f.get("http://news.example/a", kind="page")

    assert caught.value.reason_code == "connection_error"
    assert len(clock.sleeps) == 2
    assert all(0.0 <= s <= 10.0 for s in clock.sleeps)


def test_feed_served_as_text_html_is_accepted_when_it_is_xml() -> None:
    rss = b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>'
    site = Site(
        {("news.example", "/feed"): lambda r: httpx.Response(200, content=rss, headers={"Content-Type": "text/html"})}
    )

    with fetcher(site) as f:
        response = f.get("http://news.example/feed", kind="feed")

    assert response.body == rss
    assert response.content_type == "text/html"


def test_fetch_error_names_url_and_reason_and_survives_pickling() -> None:
    error = FetchError("http://news.example/a", "http_status", "HTTP 404 from http://news.example/a")

    copy = pickle.loads(pickle.dumps(error))

    assert "http://news.example/a" in str(error) and "http_status" in str(error)
    assert (copy.url, copy.reason_code, copy.detail) == (error.url, error.reason_code, error.detail)
