"""A simulated day of GDELT for the soak test: per-interval GKG files generated deterministically, served
with their pages by a loopback server that fails a seeded 10% of requests (503 or a reset connection).

Which requests fail depends only on (seed, path, how many times that path was asked for), never on the
order threads send them in, so a run of the soak is reproducible.
"""

from __future__ import annotations

import hashlib
import io
import socket
import struct
import threading
import zipfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.support.gdelt_site import FIXTURES, article_page

STEP = timedelta(minutes=15)
PER_FILE = 3
TEMPLATE = (FIXTURES / "20261120000000.gkg.csv").read_text(encoding="utf-8").splitlines()[0].split("\t")


@dataclass(frozen=True)
class UpdateFile:
    name: str
    stamp: datetime
    articles: tuple[str, ...]  # paths of the article pages it lists


def day_stream(start: datetime, intervals: int) -> list[UpdateFile]:
    """One GKG file per 15 minutes with ``PER_FILE`` new articles; every fifth file lists one article of
    the file before it again (GDELT repeats stories), which must still be published once."""
    files: list[UpdateFile] = []
    for i in range(intervals):
        stamp = start + i * STEP
        paths = [f"/news/{stamp:%Y%m%d%H%M}-{k}.html" for k in range(PER_FILE)]
        if i % 5 == 4:
            paths.append(files[-1].articles[0])
        files.append(UpdateFile(f"{stamp:%Y%m%d%H%M%S}.gkg.csv.zip", stamp, tuple(paths)))
    return files


def gkg_zip(file: UpdateFile, base: str) -> bytes:
    lines = []
    for n, path in enumerate(file.articles):
        cols = list(TEMPLATE)
        cols[0], cols[1], cols[4] = f"{file.stamp:%Y%m%d%H%M%S}-{n}", f"{file.stamp:%Y%m%d%H%M%S}", base + path
        cols[26] = f"<PAGE_TITLE>Report {path}</PAGE_TITLE>"
        lines.append("\t".join(cols))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(file.name.removesuffix(".zip"), "\n".join(lines) + "\n")
    return buffer.getvalue()


@dataclass
class FlakyRoutes:
    """What the server answers, how often each path was asked for, and which answers were real (200)."""

    seed: int
    failure_rate: float
    routes: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    asked: Counter[str] = field(default_factory=Counter)
    served: Counter[str] = field(default_factory=Counter)
    failed: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def verdict(self, path: str) -> str:
        """'ok', '503' or 'reset' for this request of ``path``."""
        with self.lock:
            self.asked[path] += 1
            attempt = self.asked[path]
        digest = hashlib.sha256(f"{self.seed}:{path}:{attempt}".encode()).digest()
        if int.from_bytes(digest[:4], "big") / 2**32 >= self.failure_rate:
            return "ok"
        return "503" if digest[4] % 2 else "reset"


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        routes = self.server.routes
        path = self.path.split("?", 1)[0]
        verdict = routes.verdict(path)
        if verdict == "reset":
            with routes.lock:
                routes.failed[path] += 1
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            self.connection.close()
            return
        if verdict == "503" or path not in routes.routes:
            status, content_type, body = (503, "text/plain", b"busy") if verdict == "503" else (404, "text/plain", b"")
            with routes.lock:
                routes.failed[path] += verdict == "503"
        else:
            status, (content_type, body) = 200, routes.routes[path]
            with routes.lock:
                routes.served[path] += 1
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        return


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    routes: FlakyRoutes


@contextmanager
def flaky_gdelt(files: list[UpdateFile], seed: int, failure_rate: float) -> Iterator[tuple[str, FlakyRoutes]]:
    """Serve ``files`` (a master file list, the zips and their pages); yields the index URL and the routes."""
    server = _Server(("127.0.0.1", 0), _Handler)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    routes = FlakyRoutes(seed, failure_rate)
    server.routes = routes
    index = []
    for file in files:
        data = gkg_zip(file, base)
        routes.routes[f"/gdeltv2/{file.name}"] = ("application/zip", data)
        index.append(f"{len(data)} {hashlib.md5(data, usedforsecurity=False).hexdigest()} {base}/gdeltv2/{file.name}")
        for path in file.articles:
            routes.routes[path] = ("text/html; charset=utf-8", article_page(f"Report {path}", path).encode())
    routes.routes["/gdeltv2/masterfilelist.txt"] = ("text/plain", ("\n".join(index) + "\n").encode())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"{base}/gdeltv2/masterfilelist.txt", routes
    finally:
        server.shutdown()
        server.server_close()
