"""One run in which three feeds fail below HTTP (a server that resets every connection, one that never
answers, one that breaks off mid-stream with garbage) beside a healthy feed: the healthy articles are
published, each failure is quarantined with its reason, and the run summary names the failed sources."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from pytest_httpserver import HTTPServer

from pipeline.sources.base import Interval
from tests.integration.test_run_failures import rss
from tests.support.faults import Behaviour, fault_server
from tests.support.gdelt_site import article_page
from tests.support.runs import fast_settings, ingest, quarantined, rows

pytestmark = pytest.mark.integration
RUN = "scheduled__2026-11-25T02:00:00+00:00"
INTERVAL = Interval(datetime(2026, 11, 25, 1, tzinfo=UTC), datetime(2026, 11, 25, 2, tzinfo=UTC))
GOOD = ("/news/calm-1.html", "/news/calm-2.html")
FAILED_FEEDS: dict[str, tuple[Behaviour, str]] = {
    "reset-feed": ("reset", "connection_error"),
    "silent-feed": ("silent", "timeout"),
    "garbage-feed": ("garbage", "connection_error"),
}


@dataclass(frozen=True)
class Outcome:
    summary: dict[str, Any]
    published: set[str]
    quarantined: dict[str, dict[str, Any]]
    urls: dict[str, str]


@pytest.fixture(scope="module")
def outcome(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Outcome]:
    with ExitStack() as stack:
        bad = {name: stack.enter_context(fault_server(kind)) for name, (kind, _) in FAILED_FEEDS.items()}
        server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
        server.start()
        stack.callback(server.stop)
        server.expect_request("/robots.txt").respond_with_data("", status=404)
        reset_page = bad["reset-feed"].url("/news/unreachable.html")
        links = [(p, p) for p in GOOD] + [("unreachable", reset_page)]
        server.expect_request("/feeds/wire.rss").respond_with_data(rss(links), content_type="application/rss+xml")
        for path in GOOD:
            server.expect_request(path).respond_with_data(article_page(f"Calm {path}", path), content_type="text/html")
        urls = {name: srv.url("/feed.rss") for name, srv in bad.items()}
        sources = "sources:\n" + f'  - {{name: wire, kind: rss, url: "{server.url_for("/feeds/wire.rss")}"}}\n'
        sources += "".join(f'  - {{name: {name}, kind: rss, url: "{url}"}}\n' for name, url in urls.items())
        settings = fast_settings(tmp_path_factory.mktemp("faults") / "data", sources, retries=1)

        ingest(settings, RUN, INTERVAL, fails=True)  # 3 of 4 sources failed

        [summary_file] = Path(settings.data_root, "reports").glob("*/summary.json")
        yield Outcome(
            json.loads(summary_file.read_text(encoding="utf-8")),
            {urlsplit(r["url"]).path for r in rows(settings)},
            {r["url"]: r for r in quarantined(settings, RUN)},
            {**urls, "unreachable": reset_page},
        )


def test_the_healthy_feed_is_published(outcome: Outcome) -> None:
    assert outcome.published == set(GOOD)
    assert outcome.summary["published"]["rows_inserted"] == len(GOOD)


@pytest.mark.parametrize(("source", "reason"), [(s, r) for s, (_, r) in FAILED_FEEDS.items()])
def test_each_failed_source_is_quarantined_and_marked_failed_in_the_summary(
    outcome: Outcome, source: str, reason: str
) -> None:
    record = outcome.quarantined[outcome.urls[source]]
    assert (record["source"], record["stage"], record["reason_code"]) == (source, "discover", reason)
    [status] = [s for s in outcome.summary["sources"] if s["source_name"] == source]
    assert status["status"] == "failed" and reason in status["detail"]
    assert outcome.summary["quarantine_reasons"][f"discover/{reason}"] >= 1


def test_a_page_on_a_resetting_server_is_quarantined_at_fetch_and_the_healthy_source_is_ok(outcome: Outcome) -> None:
    record = outcome.quarantined[outcome.urls["unreachable"]]
    assert (record["stage"], record["reason_code"]) == ("fetch", "connection_error")
    [wire] = [s for s in outcome.summary["sources"] if s["source_name"] == "wire"]
    assert wire["status"] == "ok" and wire["candidates"] == 3
    assert outcome.summary["quarantine_reasons"]["fetch/connection_error"] == 1
