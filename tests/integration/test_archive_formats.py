"""A folder of real-world-shaped archives through discovery: ARC and WARC files are read, and every record
that cannot become a page leaves its own quarantine row."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from pipeline.sources.base import Interval
from pipeline.sources.status import read_source_status
from pipeline.stages.discover import discover
from pipeline.storage.raw import Store
from tests.runs import fast_settings, quarantined

pytestmark = pytest.mark.integration
ARCHIVES = Path(__file__).resolve().parent.parent / "fixtures" / "warc"


def test_an_archive_folder_gives_arc_and_warc_pages_and_quarantines_each_bad_record(tmp_path: Path) -> None:
    settings = fast_settings(tmp_path / "data", f'sources:\n  - {{name: crawl, kind: warc, path: "{ARCHIVES}"}}\n')
    store = Store.from_settings(settings)

    found = store.read_rows(
        discover(settings, "a1", Interval(datetime(2026, 11, 20, tzinfo=UTC), datetime(2026, 11, 20, 1, tzinfo=UTC)))
    )

    assert sorted(c["url"] for c in found) == [
        "http://valley-ledger.example.com/business/2026/11/20/mill-reopens",
        "http://www.example-courier.net/news/2026/11/ferry-timetable.html",
        "http://www.example-courier.net/news/2026/11/sea-wall.html",
        "https://www.example-daily.com/world/2026/11/20/summit-opens",
        "https://www.example-daily.com/world/2026/11/20/talks-resume",
    ]
    base = "https://www.example-daily.com/world/2026/11/20/"
    assert sorted((r["url"].removeprefix(base), r["reason_code"]) for r in quarantined(settings)) == [
        ("bad-status", "parse_error"),
        ("garbled-date", "bad_date"),
        ("undated", "bad_date"),
    ]
    [status] = read_source_status(store, "a1")
    assert (status["status"], status["candidates"], status["rejected"]) == ("ok", 5, 3)
