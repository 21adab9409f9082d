"""Feed parsing under 2,000 mutated copies of the sample feeds: candidates or a FeedParseError with a
reason, never anything else; every candidate fits the discover stage's staging schema."""

from __future__ import annotations

import pytest
from hypothesis import given

from pipeline.net.urls import BadUrlError, canonicalize_url, check_url
from pipeline.sources.rss import FeedParseError, parse_feed
from schemas import CANDIDATES
from tests.fuzz.strategies import FUZZ, mutated, sample_feeds, schema_errors

pytestmark = pytest.mark.unit
FEED_URL = "https://www.example-wire.org/feeds/world.rss"
FEED_REASONS = {"parse_error", "xml_entities"}


@FUZZ
@given(mutated(sample_feeds()))
def test_any_feed_gives_typed_candidates_or_a_reasoned_error(body: bytes) -> None:
    try:
        items, skipped = parse_feed(body, FEED_URL, "wire")
    except FeedParseError as exc:
        assert exc.reason_code in FEED_REASONS and exc.url == FEED_URL
        return
    assert all(note.startswith("entry ") for note in skipped)
    for item in items:
        check_url(item.url)
        assert item.published_at is None or item.published_at.utcoffset() is not None
        try:
            canonical = canonicalize_url(item.url)
        except BadUrlError:
            continue  # quarantined as bad_url by the discover stage
        row = {
            "url": item.url,
            "canonical_url": canonical,
            "source_name": item.source_name,
            "source_country": None,
            "feed_url": item.feed_url,
            "title": item.title,
            "summary": item.summary,
            "feed_published_at": item.published_at,
            "stored_raw_ref": None,
            "captured_at": None,
        }
        assert schema_errors(row, CANDIDATES) == {}
