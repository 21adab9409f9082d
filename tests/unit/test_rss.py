from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pipeline.sources.rss import FeedParseError, parse_feed

pytestmark = pytest.mark.unit
FEED_URL = "http://127.0.0.1:8000/feeds/world.rss"

RSS = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>World</title><link>http://127.0.0.1:8000/</link>
<item><title>Iraq wary</title><link>/voa/a/iraq.html</link><description>Concerns rise.</description>
<pubDate>Sun, 22 Nov 2026 09:05:00 -0500</pubDate>
<enclosure url="/audio/x.mp3" type="audio/mpeg" length="1"/></item>
<item><title>No date</title><link>https://www.example.com/a/b.html</link></item>
<item><title>No link</title></item>
<item><title>Bad scheme</title><link>javascript:alert(1)</link></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Mideast</title><id>urn:x</id><updated>2026-11-24T13:45:00Z</updated>
<entry><title>Gaza talks</title><id>urn:1</id><link href="/aje/news/gaza.html"/>
<updated>2026-11-24T13:45:00Z</updated><summary>Talks resume.</summary></entry></feed>"""


def test_rss_entries_become_candidates_with_resolved_links_and_utc_dates() -> None:
    items, skipped = parse_feed(RSS, FEED_URL, "voa-sample")
    assert [i.url for i in items] == [
        "http://127.0.0.1:8000/voa/a/iraq.html",
        "https://www.example.com/a/b.html",
    ]
    assert items[0].published_at == datetime(2026, 11, 22, 14, 5, tzinfo=UTC)
    assert items[0].summary == "Concerns rise." and items[1].published_at is None
    assert len(skipped) == 2 and "no link" in skipped[0] and "scheme" in skipped[1]


def test_atom_entries_are_read_the_same_way() -> None:
    items, _ = parse_feed(ATOM, "http://127.0.0.1:8000/feeds/mideast.atom", "aje-sample")
    assert [(i.url, i.title) for i in items] == [("http://127.0.0.1:8000/aje/news/gaza.html", "Gaza talks")]
    assert items[0].published_at == datetime(2026, 11, 24, 13, 45, tzinfo=UTC)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"<html><body>Not a feed</body></html>", "parse_error"),
        (b"\x00\x01garbage", "parse_error"),
        (
            b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
            b"<rss><channel><item><title>&b;</title><link>/x</link></item></channel></rss>",
            "xml_entities",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b"<rss><channel><item><title>&x;</title><link>/x</link></item></channel></rss>",
            "xml_entities",
        ),
    ],
)
def test_unreadable_or_hostile_feeds_are_refused_with_a_reason(body: bytes, reason: str) -> None:
    with pytest.raises(FeedParseError) as caught:
        parse_feed(body, FEED_URL, "voa-sample")
    assert caught.value.reason_code == reason
    assert FEED_URL in str(caught.value)
