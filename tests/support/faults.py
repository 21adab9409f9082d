"""Loopback servers that misbehave below HTTP, for the fault-injection tests.

``FaultServer`` listens on 127.0.0.1 and treats every connection the same way: ``reset`` accepts and
closes with an RST (SO_LINGER 0), ``silent`` accepts and never answers, ``garbage`` sends a valid status
line and headers promising a body, a few bytes of noise, then hangs up mid-stream.
"""

from __future__ import annotations

import socket
import struct
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Literal

Behaviour = Literal["reset", "silent", "garbage"]
GARBAGE = (
    b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: 100000\r\n\r\n"
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><item><title>\x00\xff\xfe\x1b['
)


class FaultServer:
    """One misbehaving TCP server; ``connections`` counts what it accepted."""

    def __init__(self, behaviour: Behaviour) -> None:
        self.behaviour = behaviour
        self.connections = 0
        self._stop = threading.Event()
        self._held: list[socket.socket] = []
        self._sock = socket.create_server(("127.0.0.1", 0))
        self._sock.settimeout(0.1)
        self.port: int = self._sock.getsockname()[1]
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            self.connections += 1
            if self.behaviour == "silent":
                self._held.append(conn)  # never read, never answered, closed at stop
                continue
            with suppress(OSError):
                if self.behaviour == "garbage":
                    conn.settimeout(1)
                    conn.recv(65536)
                    conn.sendall(GARBAGE)
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            conn.close()

    def start(self) -> FaultServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)
        for conn in self._held:
            conn.close()
        self._sock.close()


@contextmanager
def fault_server(behaviour: Behaviour) -> Iterator[FaultServer]:
    server = FaultServer(behaviour).start()
    try:
        yield server
    finally:
        server.stop()
