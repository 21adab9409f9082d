"""Fetch pages and feeds the way a news site's operator would accept, and survive a hostile network.

Every request names the project in its User-Agent, respects robots.txt, is paced per host and capped in
concurrency, retries only what is worth retrying (timeouts, connection errors, 429, 5xx) with jittered
backoff or the server's Retry-After, and is bounded in time, size and redirects. Each URL, including
every redirect hop, passes the scheme and SSRF guards of :mod:`pipeline.net.guard` first, and its connection
goes to the addresses the guard checked (:mod:`pipeline.net.pinned_transport`), not to a second DNS answer.
Bytes come back undecoded with the declared charset; decoding is the extractor's job. Failures are
:class:`FetchError` with a machine-readable reason code:

``bad_url``, ``dns_error``, ``ssrf_blocked``, ``robots_disallowed``, ``timeout``, ``connection_error``,
``http_status``, ``too_large``, ``too_many_redirects``, ``not_html``, ``not_feed``.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from http.cookiejar import CookieJar, DefaultCookiePolicy
from itertools import chain, zip_longest
from threading import Lock
from types import TracebackType
from typing import Literal, Self, TypeVar

import httpx
from protego import Protego

from pipeline.errors import RefusedInput
from pipeline.net.guard import Resolver, Target, UrlRejected, check_host, parse_target, resolve
from pipeline.net.pinned_transport import AddressPins, PinnedTransport
from pipeline.net.ratelimit import HostLimiter, retry_wait
from pipeline.settings import Settings

logger = logging.getLogger(__name__)

# page: HTML; feed: RSS/Atom/XML or JSON Feed; file: any bytes (archives, indexes), type unchecked, size capped
# by the caller
Kind = Literal["page", "feed", "file"]
T = TypeVar("T")
R = TypeVar("R")

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
# RFC 9309 asks crawlers to parse at least 500 KiB of robots.txt and lets them ignore the rest.
ROBOTS_MAX_BYTES = 512 * 1024
SNIFF_BYTES = 2048
PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml"})
JSON_FEED_TYPES = frozenset({"application/feed+json", "application/json"})
FEED_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/xml",
        "text/xml",
        "application/feed+json",
    }
)
# Types misconfigured servers send feeds as, and plain JSON (most of which is no feed): the body decides.
SNIFFED_FEED_TYPES = frozenset({"text/html", "text/plain", "application/octet-stream", "application/json"})
ACCEPT = {
    "page": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1",
    "feed": "application/rss+xml,application/atom+xml,application/feed+json,application/xml;q=0.9,"
    "text/xml;q=0.9,application/json;q=0.8,*/*;q=0.1",
    "file": "*/*",
}
ALLOW_ALL = Protego.parse("")
DISALLOW_ALL = Protego.parse("User-agent: *\nDisallow: /\n")


@dataclass(frozen=True)
class FetchedResponse:
    """A successful fetch: the undecoded body and what the server said about it."""

    url: str
    final_url: str
    status: int
    content_type: str | None
    encoding: str | None
    body: bytes
    headers: dict[str, str]
    fetched_at: datetime


class FetchError(RefusedInput):
    """A URL that could not be fetched, with one of the module's reason codes: bad_url, dns_error,
    ssrf_blocked, robots_disallowed, timeout, connection_error, http_status, too_large, too_many_redirects,
    not_html, not_feed (and, from the fetch stage, unknown_source and raw_missing)."""

    MESSAGE = "fetching {url} failed: {reason_code}: {detail}"


class _Overtime(Exception):
    """One exchange ran past ``total_timeout_s``."""


@dataclass(frozen=True)
class _Reply:
    url: str
    status: int
    headers: dict[str, str]
    body: bytes


def parse_content_type(header: str | None) -> tuple[str | None, str | None]:
    """Media type (lower-cased, no parameters) and charset of a Content-Type header value."""
    if not header:
        return None, None
    media_type, *params = header.split(";")
    charset = None
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip().strip("\"'"):
            charset = value.strip().strip("\"'")
    return media_type.strip().lower() or None, charset


def looks_like_html(body: bytes) -> bool:
    """Whether the start of ``body`` is an HTML document."""
    head = body[:SNIFF_BYTES].lower()
    return b"<html" in head or b"<!doctype html" in head


def looks_like_feed(body: bytes) -> bool:
    """Whether the start of ``body`` is an XML document (RSS, Atom, RDF) or a JSON Feed, not an HTML page."""
    head = body[:SNIFF_BYTES].lower()
    if head.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"{"):
        return b"jsonfeed.org/version/" in head.replace(b"\\/", b"/")
    # An HTML doctype above an <rss> root is a feed (template-made feeds have one); an <html> element is not.
    return b"<html" not in head and any(tag in head for tag in (b"<?xml", b"<rss", b"<feed", b"<rdf:rdf"))


def declared_type_verdict(kind: Kind, media_type: str | None) -> bool | None:
    """Accept (True) or refuse (False) on the declared type alone; None when the body must be sniffed."""
    if kind == "file":
        return True
    if kind == "page":
        return None if media_type is None else media_type in PAGE_TYPES
    if media_type in FEED_TYPES:
        return True
    if media_type is None or media_type in SNIFFED_FEED_TYPES:
        return None
    return media_type.startswith("application/") and media_type.endswith("+xml") and media_type not in PAGE_TYPES


def _robots_token(user_agent: str) -> str:
    """The product token robots.txt groups are matched against: ``newsflow`` in ``newsflow/0.1 (...)``."""
    return user_agent.split("/", 1)[0].split()[0]


def interleave_by_host(urls: Sequence[str]) -> list[tuple[int, str]]:
    """``urls`` with their indexes, round-robin over hosts so workers do not all queue behind one host."""
    by_host: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for index, url in enumerate(urls):
        try:
            host = httpx.URL(url).host
        except httpx.InvalidURL:
            host = ""
        by_host[host].append((index, url))
    return [item for item in chain.from_iterable(zip_longest(*by_host.values())) if item is not None]


def fetch_concurrently(items: Sequence[T], urls: Sequence[str], fetch_one: Callable[[T], R], threads: int) -> list[R]:
    """``fetch_one`` over ``items`` (whose URLs are ``urls``) on up to ``threads`` threads, started round-robin
    over their hosts; results in the order of ``items``. The Fetcher holds its caps (per host, global, the
    min interval) whatever the number of threads; ``fetch_one`` returns its errors rather than raising."""
    if not items:
        return []
    with ThreadPoolExecutor(max_workers=min(len(items), threads), thread_name_prefix="fetch") as pool:
        futures = {index: pool.submit(fetch_one, items[index]) for index, _ in interleave_by_host(urls)}
        return [futures[index].result() for index in range(len(items))]


class Fetcher:
    """One per task or process: an HTTP client, the robots.txt cache and the per-host limits, thread-safe.

    ``transport`` swaps the network (a snapshot or mock transport in tests), ``resolver`` the one DNS lookup
    per hop (the SSRF guard checks its answer, the connection goes to it), ``sleep`` and ``clock`` the
    waiting and the pacing clock.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        resolver: Resolver = resolve,
    ) -> None:
        self._settings = settings
        self._sleep = sleep
        self._resolver = resolver
        self._user_agent = settings.http_user_agent
        self._robots_agent = _robots_token(self._user_agent)
        self._limiter = HostLimiter(
            per_host_concurrency=settings.per_host_concurrency,
            global_concurrency=settings.global_concurrency,
            min_interval_s=settings.per_host_min_interval_s,
            sleep=sleep,
            clock=clock,
        )
        self._robots: dict[str, Protego] = {}
        self._robots_locks: defaultdict[str, Lock] = defaultdict(Lock)
        self._robots_locks_lock = Lock()
        self._pins = AddressPins()
        limits = httpx.Limits(max_connections=settings.global_concurrency)
        self._client = httpx.Client(
            transport=transport or PinnedTransport(self._pins, limits),
            timeout=httpx.Timeout(
                connect=settings.connect_timeout_s,
                read=settings.read_timeout_s,
                write=settings.read_timeout_s,
                pool=settings.connect_timeout_s,
            ),
            follow_redirects=False,  # every hop goes through the guards in _follow
            trust_env=False,  # an environment proxy would bypass the SSRF guard and make runs host-dependent
            cookies=CookieJar(DefaultCookiePolicy(allowed_domains=[])),  # stateless: same URL, same request
            headers={"User-Agent": self._user_agent},
        )

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the HTTP client and its connections."""
        self._client.close()

    def get(
        self, url: str, *, kind: Kind, headers: Mapping[str, str] | None = None, max_bytes: int | None = None
    ) -> FetchedResponse:
        """Fetch one page, feed or file; ``headers`` (e.g. If-None-Match) go to the requested origin only.

        ``max_bytes`` replaces the ``max_body_bytes`` cap for this request (archives are larger than pages).
        """
        try:
            return self._get(url, kind, headers or {}, max_bytes or self._settings.max_body_bytes)
        except FetchError as exc:
            logger.warning("fetch failed url=%s reason=%s detail=%s", url, exc.reason_code, exc.detail)
            raise

    def _get(self, url: str, kind: Kind, headers: Mapping[str, str], limit: int) -> FetchedResponse:
        request_headers = {"Accept": ACCEPT[kind], **headers, "User-Agent": self._user_agent}
        reply = self._follow(url, request_headers, kind, retries=self._settings.retries, robots=True, limit=limit)
        if reply.status in REDIRECT_STATUSES:
            raise FetchError(url, "http_status", f"HTTP {reply.status} redirect without Location")
        if reply.status != 304 and not 200 <= reply.status < 300:
            raise FetchError(url, "http_status", f"HTTP {reply.status} from {reply.url}")
        media_type, charset = parse_content_type(reply.headers.get("content-type"))
        if reply.status != 304 and declared_type_verdict(kind, media_type) is None:
            sniffed = looks_like_html(reply.body) if kind == "page" else looks_like_feed(reply.body)
            if not sniffed:
                raise _wrong_type(url, kind, media_type)
        return FetchedResponse(
            url=url,
            final_url=reply.url,
            status=reply.status,
            content_type=media_type,
            encoding=charset,
            body=reply.body,
            headers=reply.headers,
            fetched_at=datetime.now(UTC),
        )

    def _follow(
        self,
        requested: str,
        headers: Mapping[str, str],
        kind: Kind | None,
        *,
        retries: int,
        robots: bool,
        limit: int = ROBOTS_MAX_BYTES,
    ) -> _Reply:
        """Request ``requested`` and follow up to ``max_redirects`` redirects, guarding every hop."""
        current = requested
        first_origin: str | None = None
        for _ in range(self._settings.max_redirects + 1):
            target = self._admit(requested, current, robots=robots)
            first_origin = first_origin or target.origin
            hop_headers = headers if target.origin == first_origin else _generic_headers(headers)
            reply = self._request(requested, target, hop_headers, kind, retries, limit)
            location = reply.headers.get("location")
            if reply.status not in REDIRECT_STATUSES or location is None:
                return reply
            try:
                current = str(target.url.join(location))
            except httpx.InvalidURL as exc:
                raise FetchError(requested, "bad_url", f"bad redirect Location {location!r}") from exc
        raise FetchError(
            requested,
            "too_many_redirects",
            f"more than {self._settings.max_redirects} redirects, next {current}",
        )

    def _admit(self, requested: str, url: str, *, robots: bool) -> Target:
        """Parse and guard one hop: scheme, credentials, DNS, SSRF and (for content) robots.txt."""
        try:
            target = parse_target(url)
            addresses = check_host(target, self._resolver, allow_private=self._settings.allow_private_networks)
        except UrlRejected as exc:
            hop = "" if url == requested else f" (redirect to {url})"
            raise FetchError(requested, exc.reason_code, exc.detail + hop) from exc
        self._pins.pin(target.host, target.port, addresses)
        if robots and not self._robots_for(target).can_fetch(str(target.url), self._robots_agent):
            raise FetchError(requested, "robots_disallowed", f"{target.origin}/robots.txt disallows {url}")
        return target

    def _request(
        self, requested: str, target: Target, headers: Mapping[str, str], kind: Kind | None, retries: int, limit: int
    ) -> _Reply:
        """One hop with retries on timeouts, connection errors, 429 and 5xx; other statuses are returned."""
        for attempt in range(retries + 1):
            retry_after = None
            try:
                reply = self._exchange(requested, target, headers, kind, limit)
            except (httpx.TimeoutException, _Overtime) as exc:
                failure = FetchError(requested, "timeout", f"{type(exc).__name__} on {target.url}")
            except httpx.RequestError as exc:
                failure = FetchError(requested, "connection_error", f"{type(exc).__name__}: {exc} on {target.url}")
            else:
                if reply.status != 429 and reply.status < 500:
                    return reply
                failure = FetchError(requested, "http_status", f"HTTP {reply.status} from {target.url}")
                retry_after = reply.headers.get("retry-after")
            if attempt == retries:
                break
            s = self._settings
            wait = retry_wait(retry_after, attempt, s.backoff_base_s, s.backoff_max_s, datetime.now(UTC))
            logger.info("retrying url=%s in %.2fs after %s", target.url, wait, failure.detail)
            if retry_after is None:
                self._sleep(wait)
            else:  # the host asked for the pause: every request to it waits, in the limiter
                self._limiter.hold_off(target.host, wait)
        raise failure

    def _exchange(
        self, requested: str, target: Target, headers: Mapping[str, str], kind: Kind | None, limit: int
    ) -> _Reply:
        """One HTTP exchange in a host slot; the total-time cap starts once the slot is held."""
        with self._limiter.slot(target.host):
            deadline = time.monotonic() + self._settings.total_timeout_s
            with self._client.stream("GET", target.url, headers=headers) as response:
                return self._reply(requested, target, kind, response, deadline, limit)

    def _reply(
        self,
        requested: str,
        target: Target,
        kind: Kind | None,
        response: httpx.Response,
        deadline: float,
        limit: int,
    ) -> _Reply:
        """Status and headers; the body only for 2xx, and only once its declared type is acceptable."""
        body = b""
        if response.is_success:
            if kind is not None:
                media_type, _ = parse_content_type(response.headers.get("content-type"))
                if declared_type_verdict(kind, media_type) is False:
                    raise _wrong_type(requested, kind, media_type)
            body = self._read_capped(requested, response, deadline, limit, robots=kind is None)
        return _Reply(str(target.url), response.status_code, dict(response.headers.items()), body)

    def _read_capped(
        self, requested: str, response: httpx.Response, deadline: float, limit: int, *, robots: bool
    ) -> bytes:
        """Stream the body, stopping as soon as it passes ``limit`` (robots.txt: truncated, not refused)."""
        declared = response.headers.get("content-length", "")
        if not robots and declared.isdigit() and int(declared) > limit:
            raise FetchError(requested, "too_large", f"Content-Length {declared} exceeds {limit} bytes")
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            if time.monotonic() > deadline:
                raise _Overtime
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                if robots:
                    break
                raise FetchError(requested, "too_large", f"body passed {limit} bytes")
        return b"".join(chunks)[:limit]

    def _robots_for(self, target: Target) -> Protego:
        """The robots.txt rules of ``target``'s origin, fetched once per origin and fetcher."""
        with self._robots_locks_lock:
            lock = self._robots_locks[target.origin]
        with lock:
            if target.origin not in self._robots:
                self._robots[target.origin] = self._load_robots(target)
            return self._robots[target.origin]

    def _load_robots(self, target: Target) -> Protego:
        """404 and other 4xx: allow all; 401/403: disallow all; 5xx, 429, network trouble: allow, logged."""
        url = f"{target.origin}/robots.txt"
        headers = {"User-Agent": self._user_agent, "Accept": "text/plain,*/*;q=0.1"}
        try:
            reply = self._follow(url, headers, None, retries=0, robots=False)
        except FetchError as exc:
            logger.warning(
                "robots.txt unavailable url=%s reason=%s detail=%s; allowing",
                url,
                exc.reason_code,
                exc.detail,
            )
            return ALLOW_ALL
        if reply.status in (401, 403):
            logger.info("robots.txt url=%s answered %s; disallowing the whole origin", url, reply.status)
            return DISALLOW_ALL
        if reply.status == 429 or reply.status >= 500:
            logger.warning("robots.txt url=%s answered %s; allowing", url, reply.status)
            return ALLOW_ALL
        if not 200 <= reply.status < 300:
            return ALLOW_ALL
        rules = Protego.parse(reply.body.decode("utf-8", errors="replace"))
        delay = rules.crawl_delay(self._robots_agent)
        if delay:
            self._limiter.slow_down(target.host, min(delay, self._settings.max_crawl_delay_s))
        return rules


def _generic_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """What may follow a redirect to another origin: not the caller's credentials or validators."""
    return {name: value for name, value in headers.items() if name.lower() in ("accept", "user-agent")}


def _wrong_type(url: str, kind: Kind, media_type: str | None) -> FetchError:
    reason = "not_html" if kind == "page" else "not_feed"
    return FetchError(url, reason, f"content type {media_type or 'missing'} is not a {kind}")
