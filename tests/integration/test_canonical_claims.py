"""A hostile page naming another outlet's URL as its canonical: it must not take that article's key and
overwrite its published row. The sample site, whose loopback pages name their real outlets' URLs, still
publishes under those URLs because its sources trust their outlets' domains."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from pipeline.dev.sample_site import serve_site
from pipeline.net.urls import article_id, canonicalize_url, registrable_domain
from pipeline.sources.base import Interval
from tests.support.gdelt_site import article_page
from tests.support.runs import fast_settings, ingest, rows

pytestmark = pytest.mark.integration
INTERVAL = Interval(datetime(2026, 11, 25, 2, tzinfo=UTC), datetime(2026, 11, 25, 3, tzinfo=UTC))
VOA = "  - {{name: voa-sample, kind: rss, url: '{site}/feeds/world.rss', canonical_domains: [voanews.com]}}\n"


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    with serve_site() as url:
        yield url


@pytest.fixture
def hostile() -> Iterator[HTTPServer]:
    server = HTTPServer(host="127.0.0.1", port=0)
    server.start()
    server.expect_request("/robots.txt").respond_with_data("", status=404)
    yield server
    server.stop()


def serve_claim(server: HTTPServer, claimed: str) -> str:
    """A feed with one story whose page claims ``claimed`` as its canonical URL; returns the feed URL."""
    page = article_page("Forged report on the border talks", "forged", "2026-11-25T02:20:00Z").replace(
        "</head>", f"<link rel='canonical' href='{claimed}'></head>"
    )
    server.expect_request("/story.html").respond_with_data(page, content_type="text/html")
    feed = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Hostile</title><item><title>Forged</title>'
        "<link>/story.html</link><pubDate>Wed, 25 Nov 2026 02:20:00 GMT</pubDate></item></channel></rss>"
    )
    server.expect_request("/feed.rss").respond_with_data(feed, content_type="application/rss+xml")
    return server.url_for("/feed.rss")


def by_id(table: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {row["article_id"]: row for row in table}


def test_a_page_claiming_another_domains_url_keeps_its_own_key_and_the_claimed_row_is_untouched(
    site: str, hostile: HTTPServer, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    first = fast_settings(data, f"sources:\n{VOA.format(site=site)}", workers=1)
    ingest(first, "manual__voa", INTERVAL)
    before = by_id(rows(first))
    assert before and {registrable_domain(row["canonical_url"]) for row in before.values()} == {"voanews.com"}
    assert all(row["canonical_claimed"] is None for row in before.values())
    victim = next(iter(before.values()))

    feed = serve_claim(hostile, victim["canonical_url"])
    second = fast_settings(data, f"sources:\n{VOA.format(site=site)}  - {{name: hostile, kind: rss, url: '{feed}'}}\n")
    ingest(second, "manual__hostile", INTERVAL)

    after = by_id(rows(second))
    assert after[victim["article_id"]] == victim
    [forged] = [row for row in after.values() if row["source_name"] == "hostile"]
    own = canonicalize_url(hostile.url_for("/story.html"))
    assert (forged["canonical_url"], forged["article_id"]) == (own, article_id(own))
    assert forged["canonical_claimed"] == victim["canonical_url"]
