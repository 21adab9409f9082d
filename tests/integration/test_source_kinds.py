"""Every source kind through the stages, over loopback servers and files in tmp_path."""

from __future__ import annotations

import io
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from pipeline.sources.base import Interval
from pipeline.sources.status import read_source_status
from pipeline.stages.discover import discover
from pipeline.storage.raw import Store
from tests.support.gdelt_site import article_page, serve_gdelt
from tests.support.runs import fast_settings, gdelt_rows, ingest, quarantined, rows

pytestmark = pytest.mark.integration
CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "local" / "corpus"


def hour(h: int, day: int = 20) -> datetime:
    return datetime(2026, 11, day, h, tzinfo=UTC)


def test_gdelt_without_pages_keeps_gdelt_metadata_and_fetches_nothing(httpserver: HTTPServer, tmp_path: Path) -> None:
    index = serve_gdelt(httpserver)
    settings = fast_settings(tmp_path / "data", f'sources:\n  - {{name: gdelt, kind: gdelt, index_url: "{index}"}}\n')

    candidates = Store.from_settings(settings).read_rows(discover(settings, "g1", Interval(hour(0), hour(1))))

    assert candidates == []
    meta = {r["url"].rsplit("/", 1)[1]: r for r in gdelt_rows(settings)}
    assert sorted(meta) == ["goma-clashes.html", "kyiv-power.html", "sudan-darfur.html"]
    assert meta["kyiv-power.html"]["persons"] == ["Volodymyr Zelensky"]
    assert [loc["country_code"] for loc in meta["kyiv-power.html"]["locations"]] == ["UKR", "UKR"]
    assert meta["sudan-darfur.html"]["page_title"] == "Thousands flee El Fasher fighting"
    assert not [r for r, _ in httpserver.log if r.path.endswith(".html")]
    [status] = read_source_status(Store.from_settings(settings), "g1")
    assert (status["status"], status["candidates"], status["metadata_only"]) == ("ok", 0, 3)


def test_gdelt_with_pages_publishes_the_articles_of_its_files_with_gdelt_dates(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    index = serve_gdelt(httpserver, "lastupdate.txt")
    settings = fast_settings(
        tmp_path / "data",
        f'sources:\n  - {{name: gdelt, kind: gdelt, index_url: "{index}", fetch_pages: true, '
        "streams: [gkg, export]}\n",
    )

    ingest(settings, "g2", Interval(hour(2), hour(3)))

    published = {r["url"].rsplit("/", 1)[1]: r for r in rows(settings)}
    assert sorted(published) == ["beirut-strikes.html", "el-fasher-aid.html", "kyiv-grain.html"]
    assert published["beirut-strikes.html"]["published_at"] == datetime(2026, 11, 20, 2, 15, tzinfo=UTC)
    assert published["beirut-strikes.html"]["published_at_source"] == "feed"
    # lastupdate.txt lists 02:15 only: 02:00 is named from it (absent here, a gap); 02:30 and 02:45 are
    # after the newest file, so not published yet (the interval should be run again later).
    reasons = sorted((r["reason_code"], r["url"].rsplit("/", 1)[1]) for r in quarantined(settings))
    assert reasons == [
        ("http_status", "20261120020000.export.CSV.zip"),
        ("http_status", "20261120020000.gkg.csv.zip"),
        ("not_published_yet", "lastupdate.txt@20261120023000"),
        ("not_published_yet", "lastupdate.txt@20261120024500"),
    ]


def test_gdelt_refuses_a_file_whose_md5_differs_from_the_index(httpserver: HTTPServer, tmp_path: Path) -> None:
    index = serve_gdelt(httpserver, wrong_md5="20261120003000")
    settings = fast_settings(tmp_path / "data", f'sources:\n  - {{name: gdelt, kind: gdelt, index_url: "{index}"}}\n')

    discover(settings, "g3", Interval(hour(0), hour(1)))

    [bad] = quarantined(settings)
    assert (bad["reason_code"], bad["url"].rsplit("/", 1)[1]) == ("checksum_mismatch", "20261120003000.gkg.csv.zip")
    assert len(gdelt_rows(settings)) == 2


def _warc(path: Path, records: list[tuple[str, str, str, bytes]]) -> None:
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for url, date, content_type, body in records:
            headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), http_headers=headers, warc_headers_dict={"WARC-Date": date}
            )
            writer.write_record(record)


@pytest.mark.parametrize("where", ["path", "url"])
def test_warc_records_of_the_interval_are_published_from_the_archive_alone(
    where: str, tmp_path: Path, httpserver: HTTPServer
) -> None:
    archive = tmp_path / "cc-news"
    archive.mkdir()

    def page(title: str, slug: str) -> bytes:
        return article_page(title, slug, "2026-11-19T22:00:00Z").encode()

    _warc(
        archive / "CC-NEWS-20261120000000-00001.warc.gz",
        [
            ("https://www.example-daily.com/a/in-1", "2026-11-20T00:10:00Z", "text/html", page("Inside one", "a")),
            ("https://www.example-daily.com/a/in-2", "2026-11-20T00:59:59Z", "text/html", page("Inside two", "b")),
            ("https://www.example-daily.com/a/after", "2026-11-20T01:00:00Z", "text/html", page("After", "c")),
            ("https://www.example-daily.com/a/before", "2026-11-19T23:59:00Z", "text/html", page("Before", "d")),
            ("https://www.example-daily.com/logo.png", "2026-11-20T00:20:00Z", "image/png", b"\x89PNG"),
        ],
    )
    warc = archive / "CC-NEWS-20261120000000-00001.warc.gz"
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/cc-news/1.warc.gz").respond_with_data(
        warc.read_bytes(), content_type="application/warc"
    )
    location = f'path: "{archive}"' if where == "path" else f'url: "{httpserver.url_for("/cc-news/1.warc.gz")}"'
    settings = fast_settings(tmp_path / "data", f"sources:\n  - {{name: cc-news, kind: warc, {location}}}\n")

    ingest(settings, "w1", Interval(hour(0), hour(1)))

    published = {r["canonical_url"]: r for r in rows(settings)}
    assert sorted(published) == ["https://example-daily.com/a/in-1", "https://example-daily.com/a/in-2"]
    assert published["https://example-daily.com/a/in-1"]["fetched_at"] == datetime(2026, 11, 20, 0, 10, tzinfo=UTC)
    assert [(r["url"], r["reason_code"]) for r in quarantined(settings)] == [
        ("https://www.example-daily.com/logo.png", "not_html")
    ]
    assert not [r for r, _ in httpserver.log if r.path.startswith("/a/")]  # pages come from the archive


def test_local_folder_articles_of_the_interval_are_published_and_bad_files_quarantined(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    stamp = hour(9).timestamp()
    os.utime(corpus / "2026" / "kharkiv-energy.txt", (stamp, stamp))
    settings = fast_settings(tmp_path / "data", f'sources:\n  - {{name: corpus, kind: local, path: "{corpus}"}}\n')

    ingest(settings, "l1", Interval(hour(0), hour(0, day=21)))

    published = {r["canonical_url"]: r for r in rows(settings)}
    assert sorted(published) == [
        "https://example-herald.com/africa/mali-fuel-talks",
        "https://example-wire.org/world/2026/11/20/caracas-detainees",
        "https://voanews.com/newsflow-local/2026/kharkiv-energy.txt",
    ]
    txt = published["https://voanews.com/newsflow-local/2026/kharkiv-energy.txt"]
    assert (txt["source_domain"], txt["published_at_source"], txt["published_at"]) == (
        "voanews.com",
        "fetched_fallback",
        hour(9),
    )
    jsonl = published["https://example-wire.org/world/2026/11/20/caracas-detainees"]
    assert (jsonl["published_at_source"], jsonl["authors"]) == ("metadata", ["Ana Rivas"])
    html = published["https://example-herald.com/africa/mali-fuel-talks"]
    assert html["published_at"] == datetime(2026, 11, 20, 10, tzinfo=UTC)
    assert "/document/" in txt["raw_ref"] and "/document/" in jsonl["raw_ref"] and "/page/" in html["raw_ref"]
    assert sorted(r["reason_code"] for r in quarantined(settings)) == ["missing_field", "parse_error"]


def test_rss_asks_with_its_validators_and_a_304_rereads_the_kept_feed(httpserver: HTTPServer, tmp_path: Path) -> None:
    feed = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>W</title>'
        "<item><title>A</title><link>/a.html</link></item></channel></rss>"
    )
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/feed.rss", headers={"If-None-Match": '"v1"'}).respond_with_data("", status=304)
    httpserver.expect_request("/feed.rss").respond_with_data(
        feed,
        content_type="application/rss+xml",
        headers={"ETag": '"v1"', "Last-Modified": "Fri, 20 Nov 2026 00:00:00 GMT"},
    )
    settings = fast_settings(
        tmp_path / "data", f'sources:\n  - {{name: w, kind: rss, url: "{httpserver.url_for("/feed.rss")}"}}\n'
    )
    store = Store.from_settings(settings)
    interval = Interval(hour(0), hour(1))

    first = store.read_rows(discover(settings, "r1", interval))
    second = store.read_rows(discover(settings, "r2", interval))

    feed_requests = [r for r, _ in httpserver.log if r.path == "/feed.rss"]
    assert [r.headers.get("If-None-Match") for r in feed_requests] == [None, '"v1"']
    assert feed_requests[1].headers.get("If-Modified-Since") == "Fri, 20 Nov 2026 00:00:00 GMT"
    assert [c["url"] for c in first] == [c["url"] for c in second] == [httpserver.url_for("/a.html")]
    assert read_source_status(store, "r2")[0]["status"] == "not_modified"
    assert (tmp_path / "data" / "state" / "feeds.json").exists()
