"""Real-world feed formats through discovery over a loopback server: a quiet feed is a quiet run, a JSON
Feed is a feed, and both survive the conditional GET's 304."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from pipeline.sources.base import Interval
from pipeline.sources.status import read_source_status
from pipeline.stages.discover import discover
from pipeline.storage.raw import Store
from tests.runs import fast_settings, quarantined

pytestmark = pytest.mark.integration
FEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "feeds"
INTERVAL = Interval(datetime(2026, 11, 24, tzinfo=UTC), datetime(2026, 11, 25, tzinfo=UTC))


def test_a_quiet_feed_and_a_json_feed_are_ok_sources_on_the_first_run_and_after_a_304(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    for path, name, content_type in [
        ("/corrections/feed", "quiet.rss", "application/rss+xml; charset=UTF-8"),
        ("/sciences/atom.xml", "quiet.atom", "application/atom+xml"),
        ("/1001/feed.json", "radio-news.json", "application/feed+json"),
    ]:
        httpserver.expect_request(path, headers={"If-None-Match": '"v1"'}).respond_with_data("", status=304)
        httpserver.expect_request(path).respond_with_data(
            (FEEDS / name).read_bytes(), content_type=content_type, headers={"ETag": '"v1"'}
        )
    sources = "".join(
        f'  - {{name: {name}, kind: rss, url: "{httpserver.url_for(path)}"}}\n'
        for name, path in [
            ("corrections", "/corrections/feed"),
            ("sciences", "/sciences/atom.xml"),
            ("radio", "/1001/feed.json"),
        ]
    )
    settings = fast_settings(tmp_path / "data", "sources:\n" + sources)
    store = Store.from_settings(settings)

    first = store.read_rows(discover(settings, "q1", INTERVAL))
    second = store.read_rows(discover(settings, "q2", INTERVAL))

    expected = [
        "https://www.public-radio.example.org/2026/11/24/nx-s1-5190001/drought-river-barges",
        "https://www.public-radio.example.org/2026/11/24/nx-s1-5190002/vaccine-clinic-hours",
    ]
    assert [c["url"] for c in first] == [c["url"] for c in second] == expected
    statuses = {s["source_name"]: (s["status"], s["candidates"]) for s in read_source_status(store, "q1")}
    assert statuses == {"corrections": ("ok", 0), "sciences": ("ok", 0), "radio": ("ok", 2)}
    assert {s["status"] for s in read_source_status(store, "q2")} == {"not_modified"}
    assert [(r["url"], r["reason_code"]) for r in quarantined(settings)] == [
        (httpserver.url_for("/1001/feed.json"), "bad_entry"),  # the item without a url, once per run
        (httpserver.url_for("/1001/feed.json"), "bad_entry"),
    ]
