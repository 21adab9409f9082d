"""Serve the bundled sample news site on a free loopback port (demo and tests; never a public host)."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from pipeline.settings import PROJECT_ROOT

SAMPLE_SITE = PROJECT_ROOT / "samples" / "site"
CONTENT_TYPES = {".rss": "application/rss+xml", ".atom": "application/atom+xml", ".xml": "application/xml"}


class _QuietHandler(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, **CONTENT_TYPES}  # noqa: RUF012

    def log_message(self, format: str, *args: Any) -> None:
        """Requests are not news; keep the demo's output to the summary."""


@contextmanager
def serve_site(root: Path = SAMPLE_SITE, host: str = "127.0.0.1") -> Iterator[str]:
    """Serve ``root`` over HTTP on ``host`` and a free port; yields the base URL, stops on exit."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = ThreadingHTTPServer((host, 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="sample-site", daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
