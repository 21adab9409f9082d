"""HTML extraction and normalization under 2,000 mutated copies of the sample site's pages: an article row
that fits the published schema exactly, or an ExtractionError / BadUrlError with a reason (quarantined by
the normalize stage), never anything else."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.extract.article import normalize_page
from pipeline.extract.document import ARTICLE_FORMAT
from pipeline.extract.text import BRIEF_SHARE, ExtractionError
from pipeline.net.urls import BadUrlError
from pipeline.settings import Settings
from tests.fuzz.strategies import FUZZ, assert_publishable, mutated, sample_pages

pytestmark = pytest.mark.unit
SETTINGS = Settings(min_words=30)
EXTRACTION_REASONS = {"parse_error", "empty_text", "no_title", "too_complex"}
FETCHED_AT = datetime(2026, 11, 25, 3, tzinfo=UTC)
URLS = st.sampled_from(
    [
        "https://www.voanews.com/a/iraq-syria-border-7891234.html",
        "https://example-herald.com/2026/11/21/story.html?utm_source=x#top",
        "https://example.org/2026/02/30/not-a-day.html",
        "https://example.org/1900/01/01/old.html",
    ]
)
FEED_DATES = st.none() | st.datetimes(
    min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=st.just(UTC)
)


def page(url: str, feed_date: datetime | None) -> dict[str, Any]:
    return {
        "url": url,
        "final_url": url,
        "source_name": "voa",
        "feed_url": "https://www.voanews.com/rss",
        "summary": None,
        "feed_published_at": feed_date,
        "fetched_at": FETCHED_AT,
        "raw_ref": "raw/run/page/" + "0" * 64 + ".gz",
    }


JSON_VALUES = (
    st.none() | st.booleans() | st.integers() | st.text(max_size=40) | st.lists(st.text(max_size=8), max_size=3)
)
DATES = st.sampled_from(["2026-11-24T10:00:00+00:00", "9999-12-31T23:59:59-05:00", "1900-01-01", "2026-02-30", "x"])
# A fetched page whose body pretends to be a local-source text document (pipeline.sources.local's format).
DOCUMENTS = st.fixed_dictionaries(
    {"format": st.just(ARTICLE_FORMAT), "text": st.just("word " * 40) | JSON_VALUES, "title": JSON_VALUES},
    optional={
        "url": st.sampled_from(["https://example.org/a", "file:///etc/passwd"]) | JSON_VALUES,
        "summary": JSON_VALUES,
        "authors": JSON_VALUES,
        "published_at": DATES | JSON_VALUES,
    },
).map(lambda doc: json.dumps(doc).encode())


@FUZZ
@given(mutated(sample_pages()) | DOCUMENTS, URLS, FEED_DATES)
def test_any_page_gives_a_schema_exact_row_or_a_reasoned_error(
    html: bytes, url: str, feed_date: datetime | None
) -> None:
    try:
        row = normalize_page(page(url, feed_date), html, SETTINGS, "fuzz-run")
    except ExtractionError as exc:
        assert exc.reason_code in EXTRACTION_REASONS
        return
    except BadUrlError:
        return  # quarantined as bad_url
    assert_publishable(row)
    assert row["published_date"] == row["published_at"].date()
    assert row["published_at"] <= FETCHED_AT.replace(day=26)
    assert row["word_count"] >= int(SETTINGS.min_words * BRIEF_SHARE)  # a dated brief needs a share of min_words
