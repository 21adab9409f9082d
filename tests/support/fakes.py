"""Test doubles shared by the fetcher's tests."""

from __future__ import annotations

import socket
from typing import Any

import pytest


class FakeClock:
    """Pacing time that passes only when the fetcher sleeps, so waits can be asserted exactly."""

    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


PUBLIC_IP = "93.184.216.34"


class PublicNetwork:
    """Stands in for the internet and its DNS, over loopback servers, by patching the socket module.

    ``serve(port, at)`` makes a connection to ``PUBLIC_IP:port`` reach the loopback server on port ``at``;
    ``answer(host, *addresses)`` makes the OS resolver give ``host`` these addresses, one per lookup, the
    last one for every later lookup (a rebinding DNS server: public first, loopback next). Every address a
    socket was connected to is kept in ``connections``, as the caller named it.
    """

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.connections: list[tuple[str, int]] = []
        self._routes: dict[int, int] = {}
        self._answers: dict[str, list[str]] = {}
        self._connect = socket.create_connection
        self._resolve = socket.getaddrinfo
        monkeypatch.setattr(socket, "create_connection", self._create_connection)
        monkeypatch.setattr(socket, "getaddrinfo", self._getaddrinfo)

    def serve(self, port: int, at: int) -> None:
        self._routes[port] = at

    def answer(self, host: str, *addresses: str) -> None:
        self._answers[host] = list(addresses)

    def _create_connection(self, address: tuple[str, int], *args: Any, **kwargs: Any) -> socket.socket:
        """Resolve as the OS would (a name through the patched DNS), then connect, PUBLIC_IP via its route."""
        self.connections.append(address)
        host, port = address
        resolved = self._getaddrinfo(host, port)[0][4][0]
        if resolved == PUBLIC_IP:
            return self._connect(("127.0.0.1", self._routes[port]), *args, **kwargs)
        return self._connect((resolved, port), *args, **kwargs)

    def _getaddrinfo(self, host: str, port: int, *args: Any, **kwargs: Any) -> list[Any]:
        answers = self._answers.get(host)
        if not answers:
            return self._resolve(host, port, *args, **kwargs)
        address = answers.pop(0) if len(answers) > 1 else answers[0]
        return [(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, port))]
