from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pipeline.dates import choose_published_at, metadata_date, url_date

pytestmark = pytest.mark.unit
FETCHED = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)


def test_metadata_time_is_converted_to_utc() -> None:
    html = '<html><head><meta property="article:published_time" content="2026-11-22T14:05:00+03:00"></head></html>'
    assert metadata_date(html) == datetime(2026, 11, 22, 11, 5, tzinfo=UTC)


def test_json_ld_date_published_counts_as_metadata() -> None:
    html = (
        '<html><head><script type="application/ld+json">{"@type": "NewsArticle", '
        '"datePublished": "2026-11-20T08:30:00Z"}</script></head><body></body></html>'
    )
    assert metadata_date(html) == datetime(2026, 11, 20, 8, 30, tzinfo=UTC)


def test_a_date_in_the_canonical_url_is_not_reported_as_metadata() -> None:
    html = '<html><head><link rel="canonical" href="https://x.com/2026/11/21/story.html"></head><body></body></html>'
    assert metadata_date(html) is None


def test_url_dates_must_be_real_calendar_dates() -> None:
    assert url_date("https://x.com/herald/2026/11/21/story.html") == datetime(2026, 11, 21, tzinfo=UTC)
    assert url_date("https://x.com/news/2026-11-21-story") == datetime(2026, 11, 21, tzinfo=UTC)
    assert url_date("https://x.com/2026/02/30/story.html") is None
    assert url_date("https://x.com/a/7891234.html") is None


@pytest.mark.parametrize(
    ("metadata", "feed", "urls", "expected_source"),
    [
        (datetime(2026, 11, 22, 11, 5, tzinfo=UTC), datetime(2026, 11, 22, 12, tzinfo=UTC), (), "metadata"),
        (None, datetime(2026, 11, 22, 12, tzinfo=UTC), ("https://x.com/2026/11/21/a",), "feed"),
        (None, None, ("https://x.com/2026/11/21/a",), "url"),
        (None, None, ("https://x.com/a",), "fetched_fallback"),
        (datetime(3000, 1, 1, tzinfo=UTC), None, (), "fetched_fallback"),
        (datetime(1900, 1, 1, tzinfo=UTC), None, (), "fetched_fallback"),
    ],
)
def test_published_at_prefers_metadata_then_feed_then_url_then_fetch_time(
    metadata: datetime | None, feed: datetime | None, urls: tuple[str, ...], expected_source: str
) -> None:
    value, source = choose_published_at(metadata=metadata, feed=feed, urls=urls, fetched_at=FETCHED)
    assert source == expected_source
    assert value.tzinfo is not None
    if expected_source == "fetched_fallback":
        assert value == FETCHED
