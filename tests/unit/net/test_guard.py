"""Pure parts of fetching: URL admission, address classification, content types, retry waits, pacing."""

from __future__ import annotations

import ipaddress
import socket
from datetime import UTC, datetime

import httpcore
import pytest

from pipeline.net.fetcher import declared_type_verdict, looks_like_feed, looks_like_html, parse_content_type
from pipeline.net.guard import UrlRejected, blocked_reason, check_host, parse_target
from pipeline.net.pinned_transport import AddressPins, PinnedBackend
from pipeline.net.ratelimit import HostLimiter, backoff_delay, parse_retry_after, retry_wait
from tests.support.fakes import FakeClock

pytestmark = pytest.mark.unit

NOW = datetime(2025, 3, 1, 12, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://example.org/feed.xml",
        "gopher://example.org/",
        "javascript:alert(1)",
        "http://user:secret@example.org/",
        "https://token@example.org/",
        "/relative/path",
        "http:///no-host",
    ],
)
def test_parse_target_refuses_non_http_urls_and_credentials(url: str) -> None:
    with pytest.raises(UrlRejected) as caught:
        parse_target(url)

    assert caught.value.reason_code == "bad_url"


def test_parse_target_keys_robots_by_scheme_host_and_port() -> None:
    assert parse_target("https://News.Example.org/a?b=1").origin == "https://news.example.org:443"
    assert parse_target("http://news.example.org:8080/").origin == "http://news.example.org:8080"
    assert parse_target("http://[2001:db8::1]/").origin == "http://[2001:db8::1]:80"
    assert parse_target("http://bücher.de/").host == "xn--bcher-kva.de"


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "loopback"),
        ("127.8.9.10", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("169.254.169.254", "link-local"),
        ("0.0.0.0", "unspecified"),
        ("224.0.0.251", "multicast"),
        ("240.0.0.1", "reserved"),
        ("100.64.0.1", "non-global"),
        ("::1", "loopback"),
        ("::", "unspecified"),
        ("fe80::1", "link-local"),
        ("fc00::1", "private"),
        ("ff02::1", "multicast"),
        ("::ffff:127.0.0.1", "loopback"),
        ("::ffff:10.0.0.1", "private"),
        ("2002:a9fe:a9fe::1", "link-local"),
    ],
)
def test_blocked_reason_names_non_public_addresses(address: str, reason: str) -> None:
    assert blocked_reason(ipaddress.ip_address(address)) == reason


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8"])
def test_blocked_reason_lets_public_addresses_pass(address: str) -> None:
    assert blocked_reason(ipaddress.ip_address(address)) is None


def test_check_host_blocks_when_any_address_is_private() -> None:
    target = parse_target("http://rebind.example/")

    with pytest.raises(UrlRejected) as caught:
        check_host(target, lambda host, port: ["93.184.216.34", "10.0.0.7"])

    assert caught.value.reason_code == "ssrf_blocked"
    assert "10.0.0.7" in caught.value.detail


def test_check_host_reports_unresolvable_hosts_even_when_private_networks_are_allowed() -> None:
    def fail(host: str, port: int) -> list[str]:
        raise OSError("Name or service not known")

    with pytest.raises(UrlRejected) as caught:
        check_host(parse_target("http://nowhere.invalid/"), fail, allow_private=True)

    assert caught.value.reason_code == "dns_error"


def test_check_host_allows_private_addresses_when_told_to() -> None:
    addresses = check_host(parse_target("http://127.0.0.1:8080/"), lambda host, port: ["127.0.0.1"], allow_private=True)
    assert addresses == ["127.0.0.1"]


def test_check_host_returns_the_addresses_it_checked_for_the_connection_to_use() -> None:
    answer = ["93.184.216.34", "2606:2800:220:1::1"]
    assert check_host(parse_target("https://News.Example:8443/"), lambda host, port: answer) == answer


def test_a_host_the_guard_never_checked_gets_no_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_socket(*args: object, **kwargs: object) -> None:
        raise AssertionError("a socket was opened")

    monkeypatch.setattr(socket, "create_connection", no_socket)
    pins = AddressPins()
    pins.pin("News.Example", 443, ["93.184.216.34"])

    assert pins.addresses("news.example", 443) == ("93.184.216.34",)
    with pytest.raises(httpcore.ConnectError, match="not checked"):
        PinnedBackend(pins).connect_tcp("news.example", 80)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, (None, None)),
        ("text/html", ("text/html", None)),
        ("Text/HTML; Charset=ISO-8859-1", ("text/html", "ISO-8859-1")),
        ('application/rss+xml; charset="utf-8"', ("application/rss+xml", "utf-8")),
        ("text/html; boundary=x; charset=", ("text/html", None)),
    ],
)
def test_parse_content_type(header: str | None, expected: tuple[str | None, str | None]) -> None:
    assert parse_content_type(header) == expected


@pytest.mark.parametrize(
    ("kind", "media_type", "verdict"),
    [
        ("page", "text/html", True),
        ("page", "application/xhtml+xml", True),
        ("page", "application/pdf", False),
        ("page", "application/rss+xml", False),
        ("page", None, None),
        ("feed", "application/rss+xml", True),
        ("feed", "application/atom+xml", True),
        ("feed", "text/xml", True),
        ("feed", "application/x-rss+xml", True),
        ("feed", "application/xhtml+xml", False),
        ("feed", "image/svg+xml", False),
        ("feed", "application/json", None),
        ("feed", "application/feed+json", True),
        ("feed", "text/html", None),
        ("feed", None, None),
    ],
)
def test_declared_type_verdict(kind: str, media_type: str | None, verdict: bool | None) -> None:
    assert declared_type_verdict(kind, media_type) is verdict  # type: ignore[arg-type]


def test_sniffing_tells_html_pages_from_feeds() -> None:
    page = b"\n  <!DOCTYPE html>\n<html lang='en'><head><title>x</title></head></html>"
    rss = b'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel></channel></rss>'
    atom = b'<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title></feed>'

    assert looks_like_html(page) and not looks_like_feed(page)
    assert looks_like_feed(rss) and not looks_like_html(rss)
    assert looks_like_feed(atom)
    assert not looks_like_html(b"%PDF-1.7 ...") and not looks_like_feed(b"%PDF-1.7 ...")


def test_sniffing_knows_json_feeds_and_feeds_under_an_html_doctype() -> None:
    json_feed = b'\xef\xbb\xbf {"version":"https:\\/\\/jsonfeed.org\\/version\\/1.1","items":[]}'
    doctype_rss = b'<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "x.dtd">\n<rss version="2.0">'

    assert looks_like_feed(json_feed) and looks_like_feed(doctype_rss)
    assert not looks_like_feed(b'{"status": "ok", "items": []}')


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("120", 120.0),
        (" 0 ", 0.0),
        ("Sat, 01 Mar 2025 12:00:30 GMT", 30.0),
        ("Sat, 01 Mar 2025 11:00:00 GMT", 0.0),
        ("soon", None),
        ("-5", None),
        (None, None),
    ],
)
def test_parse_retry_after(value: str | None, seconds: float | None) -> None:
    assert parse_retry_after(value, NOW) == seconds


def test_backoff_is_full_jitter_doubling_up_to_the_cap() -> None:
    assert [backoff_delay(n, 0.5, 3.0, rand=lambda: 1.0) for n in range(5)] == [0.5, 1.0, 2.0, 3.0, 3.0]
    assert backoff_delay(4, 0.5, 3.0, rand=lambda: 0.25) == 0.75
    assert backoff_delay(0, 0.5, 3.0, rand=lambda: 0.0) == 0.0


def test_retry_wait_prefers_retry_after_but_caps_it() -> None:
    assert retry_wait("7", 0, 0.5, 30.0, NOW, rand=lambda: 1.0) == 7.0
    assert retry_wait("3600", 0, 0.5, 30.0, NOW, rand=lambda: 1.0) == 30.0
    assert retry_wait(None, 2, 0.5, 30.0, NOW, rand=lambda: 1.0) == 2.0


def test_limiter_spaces_requests_to_one_host_but_not_across_hosts() -> None:
    clock = FakeClock()
    limiter = HostLimiter(
        per_host_concurrency=2, global_concurrency=8, min_interval_s=1.5, sleep=clock.sleep, clock=clock
    )

    starts = []
    for host in ["a.example", "a.example", "b.example", "a.example"]:
        with limiter.slot(host):
            starts.append((host, clock.now))

    assert starts == [("a.example", 100.0), ("a.example", 101.5), ("b.example", 101.5), ("a.example", 103.0)]


def test_limiter_crawl_delay_only_ever_slows_down() -> None:
    clock = FakeClock()
    limiter = HostLimiter(
        per_host_concurrency=1, global_concurrency=1, min_interval_s=1.0, sleep=clock.sleep, clock=clock
    )
    limiter.slow_down("a.example", 4.0)
    limiter.slow_down("a.example", 0.5)

    for _ in range(2):
        with limiter.slot("a.example"):
            pass

    assert clock.sleeps == [4.0]


def test_limiter_hold_off_pauses_every_request_to_the_host() -> None:
    clock = FakeClock()
    limiter = HostLimiter(
        per_host_concurrency=2, global_concurrency=8, min_interval_s=0.0, sleep=clock.sleep, clock=clock
    )
    limiter.hold_off("a.example", 5.0)

    with limiter.slot("b.example"):
        pass
    with limiter.slot("a.example"):
        pass

    assert clock.sleeps == [5.0]
