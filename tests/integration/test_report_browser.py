"""The run report and Data Docs of real runs, opened offline in headless chromium: what an operator sees.

One run reads the bundled sample site and a feed whose server is down; another has only failing sources."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import lxml.html
import pytest
from PIL import Image

from pipeline.dev.sample_site import serve_site
from pipeline.settings import Settings
from pipeline.sources.base import Interval
from tests.support.browser import dump_dom, screenshot
from tests.support.cluster import free_port
from tests.support.runs import fast_settings, ingest
from tests.support.sample_site import CANONICAL_DOMAINS

pytestmark = pytest.mark.integration
RUN = "scheduled__2026-11-25T02:00:00+00:00"
INTERVAL = Interval(datetime(2026, 11, 25, 2, tzinfo=UTC), datetime(2026, 11, 25, 3, tzinfo=UTC))
SAMPLE_FEEDS = {
    "voa-sample": "feeds/world.rss",
    "aljazeera-sample": "feeds/mideast.atom",
    "herald-sample": "feeds/wire.rss",
}


@dataclass(frozen=True)
class Run:
    settings: Settings
    down_feed: str

    @property
    def reports(self) -> Path:
        return Path(self.settings.data_root, "reports", RUN.replace(":", "_").replace("+", "_"))


def sources_file(feeds: dict[str, str]) -> str:
    trusted = {name: f", canonical_domains: [{domain}]" for name, domain in CANONICAL_DOMAINS.items()}
    entries = (f'  - {{name: {name}, kind: rss, url: "{url}"{trusted.get(name, "")}}}\n' for name, url in feeds.items())
    return "sources:\n" + "".join(entries)


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    down = f"http://127.0.0.1:{free_port()}/feed.rss"  # nothing listens there
    with serve_site() as site:
        feeds = {name: f"{site}/{path}" for name, path in SAMPLE_FEEDS.items()} | {"down-feed": down}
        settings = fast_settings(tmp_path_factory.mktemp("report") / "data", sources_file(feeds))
        ingest(settings, RUN, INTERVAL)
        yield Run(settings, down)


def page_of(path: Path) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(dump_dom(path))


def text(page: lxml.html.HtmlElement, path: str) -> str:
    [element] = page.xpath(path)
    return " ".join(element.text_content().split())


def test_the_report_shows_a_degraded_run_its_failed_source_and_why(sample_run: Run) -> None:
    page = page_of(sample_run.reports / "1" / "index.html")

    assert text(page, "//*[@id='run-status']").startswith("DEGRADED 1 of 4 sources failed (down-feed)")
    assert text(page, "//*[@id='interval']") == f"[{INTERVAL.start.isoformat()}, {INTERVAL.end.isoformat()})"
    assert text(page, "//*[@id='pipeline-version']") == sample_run.settings.pipeline_version
    down = text(page, "//tr[@data-source='down-feed']")
    assert "failed" in down and "connection_error" in down
    assert "ok" in text(page, "//tr[@data-source='voa-sample']")
    stages = {
        row.get("data-stage"): row.xpath("td")[1].text_content()
        for row in page.xpath("//*[@id='stages-table']//tr[@data-stage]")
    }
    assert list(stages) == ["discovered", "fetched", "normalized", "enriched", "validated", "published", "quarantined"]
    assert int(stages["validated"]) == int(stages["published"]) > 0
    assert sample_run.down_feed in text(page, "//*[@id='quarantine-table']")


def test_every_quarantined_input_with_a_payload_links_to_it_in_the_raw_zone(sample_run: Run) -> None:
    page = page_of(sample_run.reports / "1" / "index.html")

    links = [a.get("href") for a in page.xpath("//*[@id='quarantine-table']//a[@class='raw']")]
    assert links
    for href in links:
        assert (sample_run.reports / "1" / href).resolve().is_file(), href


def test_the_map_draws_the_places_offline_and_the_chart_is_readable(sample_run: Run, tmp_path: Path) -> None:
    index = sample_run.reports / "1" / "index.html"
    page = page_of(index)

    places = [c.get("data-place") for c in page.xpath("//*[@id='places-map']//circle[@class='place']")]
    assert places and len(page.xpath("//*[@id='places-map']//path[@class='country']")) > 150
    assert {row.xpath("td")[0].text_content() for row in page.xpath("//*[@id='locations-table']/tbody/tr")} <= set(
        places
    )
    shot = Image.open(screenshot(index, tmp_path / "report.png")).convert("RGB")
    assert len(shot.getcolors(maxcolors=1 << 20) or []) > 50  # not blank: text, tables, chart and map drawn
    chart = Image.open(sample_run.reports / "1" / "timeline.png").convert("RGB")
    blue = sum(1 for pixel in chart.getdata() if pixel == (0x2F, 0x6F, 0xEB))
    assert blue > 2000  # bars a bin wide, not 1-pixel lines


def test_data_docs_show_every_suite_status_offline_under_the_airflow_run_id(sample_run: Run) -> None:
    page = page_of(sample_run.reports / "datadocs" / "index.html")

    assert text(page, "//*[@id='run-id']") == RUN
    statuses = {
        row.xpath("td")[0].text_content(): row.xpath("td[@class='status']")[0].text_content().strip()
        for row in page.xpath("//*[@id='suites']/tbody/tr")
    }
    assert statuses == {
        s: "passed" for s in ("articles_batch", "entities_batch", "articles_schema", "run_profile", "published_table")
    }


def test_a_run_in_which_every_source_failed_looks_failed(tmp_path: Path) -> None:
    feeds = {name: f"http://127.0.0.1:{free_port()}/feed.rss" for name in ("first-down", "second-down")}
    settings = fast_settings(tmp_path / "data", sources_file(feeds))
    ingest(settings, RUN, INTERVAL, fails=True)

    page = page_of(Run(settings, "").reports / "1" / "index.html")

    assert text(page, "//*[@id='run-status']") == "FAILED every source failed (first-down, second-down)"
    assert page.xpath("//title")[0].text_content().startswith("FAILED")
    assert len(page.xpath("//*[@id='sources-table']//tr[@class='row-failed']")) == 2
