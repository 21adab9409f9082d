"""Which URLs the fetcher may touch at all: the scheme/credentials rule and the SSRF guard.

A feed is untrusted input, so a URL in it (or a redirect) must not make the pipeline talk to the machine
it runs on, the cloud metadata service or the private network behind it. The guard resolves the host
and refuses when ANY of its addresses is not a public unicast address.

The name is resolved once: :func:`check_host` returns the addresses it checked and the fetcher connects to
those (:mod:`pipeline.net.pinned_transport`), so a hostile DNS server answering a public address to the check
and a private one a moment later (DNS rebinding) never gets a connection to the private one.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from dataclasses import dataclass

import httpx

ALLOWED_SCHEMES = frozenset({"http", "https"})
DEFAULT_PORTS = {"http": 80, "https": 443}

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]


class UrlRejected(Exception):
    """The URL may not be fetched; ``reason_code`` is one of the fetch reason codes."""

    def __init__(self, reason_code: str, detail: str) -> None:
        super().__init__(f"{reason_code}: {detail}")
        self.reason_code = reason_code
        self.detail = detail


@dataclass(frozen=True)
class Target:
    """A URL that passed the scheme check, with what the limits and the robots cache key on."""

    url: httpx.URL
    scheme: str
    host: str
    port: int

    @property
    def origin(self) -> str:
        """Scheme, host and port: the unit robots.txt applies to."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.scheme}://{host}:{self.port}"


def parse_target(url: str) -> Target:
    """Parse ``url``; only absolute http(s) URLs without credentials pass (else ``bad_url``)."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        raise UrlRejected("bad_url", f"unparseable URL ({exc})") from exc
    if parsed.scheme not in ALLOWED_SCHEMES:
        raise UrlRejected("bad_url", f"scheme {parsed.scheme!r} is not http or https")
    if parsed.userinfo:
        raise UrlRejected("bad_url", "credentials in the URL")
    host = parsed.raw_host.decode("ascii").lower()
    if not host:
        raise UrlRejected("bad_url", "no host")
    return Target(url=parsed, scheme=parsed.scheme, host=host, port=parsed.port or DEFAULT_PORTS[parsed.scheme])


def blocked_reason(address: IPAddress) -> str | None:
    """Why ``address`` must not be fetched from (``"loopback"``, ``"private"`` ...), or None if public."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour or (address.teredo or (None, None))[1]
        if embedded is not None:
            return blocked_reason(embedded)
    checks = (
        ("unspecified", address.is_unspecified),
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("reserved", address.is_reserved),
        ("private", address.is_private),
        ("non-global", not address.is_global),
    )
    return next((name for name, hit in checks if hit), None)


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to, as the OS resolver (and so the HTTP client) sees them."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def check_host(target: Target, resolver: Resolver = resolve, *, allow_private: bool = False) -> list[str]:
    """The addresses ``target`` resolves to, to connect to; refused unless it resolves (``dns_error``) to
    public addresses only (``ssrf_blocked``)."""
    try:
        addresses = resolver(target.host, target.port)
    except (OSError, UnicodeError) as exc:
        raise UrlRejected("dns_error", f"cannot resolve {target.host!r} ({exc})") from exc
    if not addresses:
        raise UrlRejected("dns_error", f"{target.host!r} resolves to no address")
    if allow_private:
        return addresses
    for text in addresses:
        address = ipaddress.ip_address(text.split("%", 1)[0])
        reason = blocked_reason(address)
        if reason is not None:
            raise UrlRejected("ssrf_blocked", f"{target.host!r} resolves to {reason} address {address}")
    return addresses
