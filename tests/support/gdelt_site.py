"""A loopback GDELT: the fixture update files (tests/fixtures/gdelt/, GKG 2.1 and events exports as
GDELT writes them) zipped on the fly, an index, and the article pages they point at.

Fixture rows name their articles under ``http://news.test``; the server rewrites that to its own
address, so the same files serve any port.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from pathlib import Path

from pytest_httpserver import HTTPServer

FIXTURES = Path(__file__).parent.parent / "fixtures" / "gdelt"
NEWS_HOST = "http://news.test"
PAGE_TITLE = re.compile(r"<PAGE_TITLE>(.*?)</PAGE_TITLE>")


def update_files() -> list[Path]:
    return sorted(p for p in FIXTURES.iterdir() if p.suffix.lower() == ".csv")


def zipped(path: Path, base: str) -> bytes:
    """The fixture as GDELT ships it: one CSV member in a zip, article URLs pointing at ``base``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(path.name, path.read_text(encoding="utf-8").replace(NEWS_HOST, base))
    return buffer.getvalue()


def article_page(title: str, slug: str, published: str | None = None) -> str:
    """A plain news page long enough to pass extraction; dated in its metadata only when ``published``
    (an ISO 8601 time) is given (GDELT's pages are not, so GDELT's date is used)."""
    body = "".join(
        f"<p>{sentence}</p>"
        for sentence in (
            f"{title}, officials and witnesses said on Friday, as the situation described in this report "
            "continued to develop across the region and aid groups called for calm.",
            "Residents described long queues for water and fuel, while local leaders met late into the night "
            "to agree on what they would ask of the national government and its partners.",
            f"The report, filed under {slug}, will be updated as more information becomes available from "
            "the authorities, the United Nations and humanitarian organisations working on the ground.",
        )
    )
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{title}</title>"
        + (f"<meta property='article:published_time' content='{published}'>" if published else "")
        + "</head>"
        f"<body><article><h1>{title}</h1>{body}</article></body></html>"
    )


def serve_gdelt(server: HTTPServer, index: str = "masterfilelist.txt", wrong_md5: str | None = None) -> str:
    """Register the update files, the index (``masterfilelist.txt`` or ``lastupdate.txt``) and the pages;
    returns the index URL. ``wrong_md5``: the index gives a wrong MD5 for the files of this timestamp."""
    base = server.url_for("").rstrip("/")
    server.no_handler_status_code = 404  # an update file GDELT never wrote
    server.expect_request("/robots.txt").respond_with_data("", status=404)
    lines = []
    for path in update_files():
        data = zipped(path, base)
        name = f"/gdeltv2/{path.name}.zip"
        server.expect_request(name).respond_with_data(data, content_type="application/zip")
        md5 = "0" * 32 if wrong_md5 and wrong_md5 in path.name else hashlib.md5(data).hexdigest()
        lines.append(f"{len(data)} {md5} {base}{name}")
        for line in path.read_text(encoding="utf-8").splitlines():
            cols = line.split("\t")
            if (len(cols) == 27 and cols[2] == "1") or len(cols) == 61:
                url = cols[4] if len(cols) == 27 else cols[60]
                url_path = url.removeprefix(NEWS_HOST).split("?")[0]
                title = PAGE_TITLE.search(cols[-1])
                page = article_page(title.group(1) if title else f"News from {url_path}", url_path)
                server.expect_request(url_path).respond_with_data(page, content_type="text/html; charset=utf-8")
    listing = lines if index == "masterfilelist.txt" else [line for line in lines if "20261120021500" in line]
    server.expect_request(f"/gdeltv2/{index}").respond_with_data("\n".join(listing) + "\n", content_type="text/plain")
    return f"{base}/gdeltv2/{index}"
