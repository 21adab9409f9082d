"""Reading web archives as a crawl leaves them: ARC files, undated records, one broken record among good ones."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from pipeline.sources.base import Interval
from pipeline.sources.warc import WarcPage, WarcSkip, read_warc, warc_files

pytestmark = pytest.mark.unit
ARCHIVES = Path(__file__).resolve().parents[2] / "fixtures" / "warc"
FIRST_HOUR = Interval(datetime(2026, 11, 20, tzinfo=UTC), datetime(2026, 11, 20, 1, tzinfo=UTC))
MAX_BODY = 1_000_000


def read(name: str, interval: Interval = FIRST_HOUR) -> list[WarcPage | WarcSkip]:
    with (ARCHIVES / name).open("rb") as stream:
        return list(read_warc(stream, interval, MAX_BODY))


def test_a_folder_lists_arc_and_warc_files_alike() -> None:
    assert [p.name for p in warc_files(ARCHIVES)] == [
        "CC-NEWS-20261120000000-00042.warc.gz",
        "harbour-crawl-20261120.arc",
        "valley-crawl-20261120.arc.gz",
    ]


@pytest.mark.parametrize(
    ("name", "captures"),
    [
        (
            "harbour-crawl-20261120.arc",
            [
                ("http://www.example-courier.net/news/2026/11/ferry-timetable.html", datetime(2026, 11, 20, 0, 15)),
                ("http://www.example-courier.net/news/2026/11/sea-wall.html", datetime(2026, 11, 20, 0, 45)),
            ],
        ),
        (
            "valley-crawl-20261120.arc.gz",
            [("http://valley-ledger.example.com/business/2026/11/20/mill-reopens", datetime(2026, 11, 20, 0, 30))],
        ),
    ],
)
def test_arc_records_are_pages_dated_by_their_archive_date(name: str, captures: list[tuple[str, datetime]]) -> None:
    found = read(name)
    assert all(isinstance(f, WarcPage) for f in found)
    assert [(f.url, f.captured_at) for f in found] == [(u, d.replace(tzinfo=UTC)) for u, d in captures]
    assert all(isinstance(f, WarcPage) and f.body.startswith(b"<!DOCTYPE html>") for f in found)


def test_a_broken_status_line_and_undated_records_are_skipped_alone_and_the_file_goes_on() -> None:
    found = read("CC-NEWS-20261120000000-00042.warc.gz")
    base = "https://www.example-daily.com/world/2026/11/20/"
    summary = [(f.url.removeprefix(base), f.reason_code if isinstance(f, WarcSkip) else "page") for f in found]
    assert summary == [
        ("summit-opens", "page"),
        ("bad-status", "parse_error"),
        ("undated", "bad_date"),
        ("garbled-date", "bad_date"),
        ("talks-resume", "page"),
    ]
    skips = [f for f in found if isinstance(f, WarcSkip)]
    assert "'OK'" in skips[0].detail and "'Fri, 20 Nov 2026'" in skips[2].detail


def test_an_undated_record_is_quarantined_by_one_interval_only() -> None:
    later = Interval(datetime(2026, 11, 20, 1, tzinfo=UTC), datetime(2026, 11, 20, 2, tzinfo=UTC))
    assert read("CC-NEWS-20261120000000-00042.warc.gz", later) == []
