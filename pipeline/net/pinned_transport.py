"""Connect to the address the SSRF guard checked, not to whatever the name resolves to a moment later.

The guard (:mod:`pipeline.net.guard`) resolves a host and checks every address; if the HTTP client then
resolved the name again to connect, a hostile DNS server could answer a public address to the check and a
private one to the connection (DNS rebinding). Here the fetcher records the checked addresses per host and
port (:class:`AddressPins`), and the transport's network backend connects to those addresses only, never
resolving the name itself. Everything above the TCP socket is the stock httpx/httpcore stack: the request
still names the host (``Host`` header, SNI), TLS certificates are still verified against the host name, and
the connection pool is still keyed by host, so two names on one address never share a connection.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from threading import Lock

import httpcore
import httpx


class AddressPins:
    """The addresses last checked for each (host, port); thread-safe, only checked addresses go in."""

    def __init__(self) -> None:
        self._pins: dict[tuple[str, int], tuple[str, ...]] = {}
        self._lock = Lock()

    def pin(self, host: str, port: int, addresses: Sequence[str]) -> None:
        """Connections to ``host``:``port`` go to ``addresses`` (in order) from now on."""
        with self._lock:
            self._pins[(host.lower(), port)] = tuple(addresses)

    def addresses(self, host: str, port: int) -> tuple[str, ...]:
        """The checked addresses of ``host``:``port``; empty when it was never checked."""
        with self._lock:
            return self._pins.get((host.lower(), port), ())


class PinnedBackend(httpcore.SyncBackend):
    """httpcore's socket backend, connecting to the pinned addresses of a host instead of resolving it."""

    def __init__(self, pins: AddressPins) -> None:
        self._pins = pins

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        """Try each checked address in order, as the OS tries each resolved one; the last one's error stands."""
        addresses = self._pins.addresses(host, port)
        if not addresses:
            raise httpcore.ConnectError(f"{host!r} was not checked by the SSRF guard; not connecting")
        options = list(socket_options or ())
        *others, last = addresses
        for address in others:
            try:
                return super().connect_tcp(address, port, timeout, local_address, options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout):
                continue
        return super().connect_tcp(last, port, timeout, local_address, options)


class PinnedTransport(httpx.HTTPTransport):
    """httpx's default transport (TLS verified, no proxy from the environment) over :class:`PinnedBackend`."""

    def __init__(self, pins: AddressPins, limits: httpx.Limits) -> None:
        tls = httpx.create_ssl_context(trust_env=False)  # certifi's CAs, hostname checked: built once, shared
        super().__init__(verify=tls, trust_env=False, limits=limits)
        # HTTPTransport takes no network backend; its pool is rebuilt with the same settings and this one.
        self._pool = httpcore.ConnectionPool(
            ssl_context=tls,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=PinnedBackend(pins),
        )
