"""Publication dates: from page metadata, the feed, the URL, or, failing all, the fetch time.

The order matters to analysts (``published_at_source`` records it): metadata is the publisher's own
statement, the feed date is close to it, a URL path carries only a day, and the fetch time is a bound.
Dates are never read from the article text: a story about last week's events is not from last week.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlsplit

import htmldate

from pipeline.records import PublishedAtSource

URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?=[/_.-]|$)")
EARLIEST = datetime(1995, 1, 1, tzinfo=UTC)
CLOCK_SKEW = timedelta(days=1)
HTMLDATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"


def to_utc(value: datetime) -> datetime:
    """Aware UTC datetime; a naive value is taken to be UTC already."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def metadata_date(html: str | bytes) -> datetime | None:
    """Publication time the page's own metadata states (meta tags, JSON-LD, <time>), in UTC.

    htmldate does the reading; the URL heuristics are switched off here (an unreachable ``url`` and the
    deferred URL extractor) because a date found in a URL must be reported as ``url``, not ``metadata``.
    """
    found = htmldate.find_date(
        html,
        extensive_search=False,
        original_date=True,
        outputformat=HTMLDATE_FORMAT,
        url="about:blank",
        deferred_url_extractor=True,
    )
    if not found:
        return None
    try:
        return to_utc(datetime.strptime(found, HTMLDATE_FORMAT))
    except ValueError:
        return to_utc(datetime.strptime(found, "%Y-%m-%dT%H:%M:%S"))


def url_date(url: str) -> datetime | None:
    """Midnight UTC of a /YYYY/MM/DD/ (or YYYY-MM-DD) date in the URL path, if it is a real date."""
    try:
        match = URL_DATE.search(urlsplit(url).path)
    except ValueError:  # not a parseable URL: no date in it
        return None
    if not match:
        return None
    try:
        day = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None
    return datetime.combine(day, time(0), tzinfo=UTC)


def plausible(value: datetime | None, fetched_at: datetime) -> datetime | None:
    """Drop dates before the web's news era or after the fetch (clock skew of a day is tolerated)."""
    if value is None:
        return None
    value = to_utc(value)
    return value if EARLIEST <= value <= to_utc(fetched_at) + CLOCK_SKEW else None


def choose_published_at(
    *,
    metadata: datetime | None,
    feed: datetime | None,
    urls: tuple[str, ...],
    fetched_at: datetime,
) -> tuple[datetime, PublishedAtSource]:
    """The best available publication time and where it came from."""
    if (found := plausible(metadata, fetched_at)) is not None:
        return found, "metadata"
    if (found := plausible(feed, fetched_at)) is not None:
        return found, "feed"
    for url in urls:
        if (found := plausible(url_date(url), fetched_at)) is not None:
            return found, "url"
    return to_utc(fetched_at), "fetched_fallback"
