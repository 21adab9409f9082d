"""URL canonicalization and date parsing under 2,000 generated and mutated inputs each: a canonical URL
(stable when canonicalized again) or a BadUrlError; a UTC publication time inside the plausible window
or the fetch time, never an exception."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.extract.dates import EARLIEST, choose_published_at, metadata_date, url_date
from pipeline.net.urls import BadUrlError, article_id, canonicalize_url, check_url, registrable_domain
from tests.fuzz.strategies import FUZZ, mutated, sample_pages, text_of

pytestmark = pytest.mark.unit
SEED_URLS = [
    b"https://www.voanews.com/a/iraq-syria-border-7891234.html?utm_source=rss&id=7#top",
    b"http://M.Example-Herald.com:80/2026/11/21/mali/amp/?b=2&a=1&fbclid=x",
    b"https://amp.example.org/world/story.amp.html",
    b"https://[2001:db8::1]:8443/path/../a/./b?q=%20x",
    b"https://xn--mnchen-3ya.de/%E2%82%AC/2026-02-30/",
    b"//example.org/relative",
    b"HTTPS://EXAMPLE.ORG",
]
URLS = mutated(SEED_URLS).map(text_of) | st.text(max_size=60) | st.from_regex(r"https?://[^\s]{0,40}", fullmatch=True)
HEX32 = re.compile(r"^[0-9a-f]{32}$")
AWARE = st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=st.timezones())


@FUZZ
@given(URLS)
def test_canonical_urls_are_http_stable_and_keyed_or_the_url_is_refused(url: str) -> None:
    try:
        canonical = canonicalize_url(url)
    except BadUrlError:
        return
    check_url(canonical)
    assert canonicalize_url(canonical) == canonical
    assert HEX32.match(article_id(canonical))
    assert isinstance(registrable_domain(canonical), str)


@FUZZ
@given(st.none() | AWARE, st.none() | AWARE, st.lists(URLS, max_size=3), AWARE)
def test_published_at_is_utc_and_plausible_or_the_fetch_time(
    metadata: datetime | None, feed: datetime | None, urls: list[str], fetched_at: datetime
) -> None:
    if fetched_at.astimezone(UTC).year >= 9999:
        fetched_at = fetched_at - timedelta(days=2)
    found = choose_published_at(urls=tuple(urls), metadata=metadata, feed=feed, fetched_at=fetched_at)
    published, source = found.utc, found.source
    assert published.tzinfo is UTC
    if source == "fetched_fallback":
        assert published == fetched_at.astimezone(UTC)
    else:
        assert source in ("metadata", "feed", "url")
        assert EARLIEST <= published <= fetched_at + timedelta(days=1)
        assert abs(found.local_date - published.date()) <= timedelta(days=1)
    for url in urls:
        day = url_date(url)
        assert day is None or (day.tzinfo is UTC and (day.hour, day.minute) == (0, 0))


@FUZZ
@given(mutated(sample_pages()))
def test_page_metadata_dates_are_utc_or_absent(html: bytes) -> None:
    found = metadata_date(html)
    assert found is None or found.tzinfo is UTC
