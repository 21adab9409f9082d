from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

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


FEEDS = Path(__file__).resolve().parents[2] / "fixtures" / "feeds"


@pytest.mark.parametrize(
    ("name", "content_type", "urls"),
    [
        (
            "netscape-rss091.rss",
            "application/rss+xml; charset=ISO-8859-1",
            [
                "https://www.example-courier.net/news/2026/11/ferry-timetable.html",
                "https://www.example-courier.net/news/2026/11/sea-wall.html",
            ],
        ),
        ("html-doctype.rss", "text/html", ["https://valley-ledger.example.com/business/2026/11/23/mill-reopens"]),
        ("internal-dtd.rss", None, ["https://northern-wire.example.org/politics/2026/11/22/coalition-talks"]),
    ],
)
def test_feeds_with_a_doctype_but_no_entity_declarations_are_read(
    name: str, content_type: str | None, urls: list[str]
) -> None:
    feed_url = "https://feeds.example.org/" + name
    items, skipped = parse_feed((FEEDS / name).read_bytes(), feed_url, "desk", content_type)
    assert [i.url for i in items] == urls and skipped == []
    assert all(i.title for i in items)


def test_an_undefined_html_entity_under_the_netscape_dtd_still_gives_its_text() -> None:
    items, _ = parse_feed((FEEDS / "netscape-rss091.rss").read_bytes(), FEED_URL, "courier", "application/rss+xml")
    assert items[0].summary is not None and "café" in items[0].summary


@pytest.mark.parametrize(
    "declaration",
    [
        b'<!ELEMENT rss ANY><!ENTITY w "' + b"wide " * 200 + b'">',
        b"<!ATTLIST rss version CDATA #REQUIRED>\n  <!entity w SYSTEM 'file:///etc/hostname'>",
    ],
    ids=["quadratic-blowup", "external-after-attlist"],
)
def test_an_entity_declaration_inside_an_otherwise_harmless_dtd_is_still_refused(declaration: bytes) -> None:
    body = (
        b'<?xml version="1.0"?>\n<!DOCTYPE rss [\n  ' + declaration + b'\n]>\n<rss version="2.0"><channel>'
        b"<item><title>" + b"&w;" * 20_000 + b"</title><link>/x</link></item></channel></rss>"
    )
    with pytest.raises(FeedParseError) as caught:
        parse_feed(body, FEED_URL, "wire", "application/rss+xml")
    assert caught.value.reason_code == "xml_entities"


@pytest.mark.parametrize("content_type", ["application/rss+xml; charset=utf-8", "text/xml", "text/html", None])
def test_a_well_formed_feed_with_no_entries_gives_no_candidates_and_no_error(content_type: str | None) -> None:
    for name in ("quiet.rss", "quiet.atom"):
        assert parse_feed((FEEDS / name).read_bytes(), FEED_URL, "quiet", content_type) == ([], [])


def test_a_truncated_feed_with_no_entries_is_still_a_parse_error() -> None:
    body = (FEEDS / "quiet.rss").read_bytes()[:300]
    with pytest.raises(FeedParseError) as caught:
        parse_feed(body, FEED_URL, "quiet", "application/rss+xml")
    assert caught.value.reason_code == "parse_error"


def test_json_feed_1_0_items_become_candidates_with_dates_and_summaries() -> None:
    feed_url = "https://feeds.public-radio.example.org/1001/feed.json"
    body = (FEEDS / "radio-news.json").read_bytes()
    items, skipped = parse_feed(body, feed_url, "radio", "application/json")
    assert [(i.title, i.published_at) for i in items] == [
        ("Drought strands river barges for a second autumn", datetime(2026, 11, 24, 15, 15, tzinfo=UTC)),
        ("County extends vaccine clinic hours", datetime(2026, 11, 24, 16, tzinfo=UTC)),
    ]
    assert items[0].summary == "Low water on the river has halted grain shipments near the delta."
    assert items[1].summary == "The clinic on Main Street will stay open until 8 p.m. & on Saturdays."
    assert skipped == ["entry 2: no link"]


def test_json_feed_1_1_is_sniffed_without_a_content_type_and_links_resolve_against_the_feed() -> None:
    body = (FEEDS / "blog-feed-1.1.json").read_bytes()
    [item], _ = parse_feed(body, "https://fieldnotes.example.blog/feed.json", "notes")
    assert item.url == "https://fieldnotes.example.blog/2026/11/23/storm-surge-maps/"
    assert item.published_at == datetime(2026, 11, 23, 21, 4, 11, tzinfo=UTC)
    assert item.summary is not None and item.summary.startswith("The agency's new maps")


@pytest.mark.parametrize(
    "body",
    [
        b'{"version": "https://jsonfeed.org/version/1.1", "items": {"not": "a list"}}',
        b'{"title": "an API answer, not a feed", "items": []}',
        b'{"version": "https://jsonfeed.org/version/1", "items": [' + b"[" * 100_000 + b"]" * 100_000 + b"]}",
        b'{"version": "https://jsonfeed.org/version/1", "items": [{"url": "/a"}, ',
        b"[1, 2, 3]",
    ],
    ids=["items-not-a-list", "no-version", "nested-too-deep", "truncated", "not-an-object"],
)
def test_json_that_is_not_a_json_feed_is_a_parse_error(body: bytes) -> None:
    with pytest.raises(FeedParseError) as caught:
        parse_feed(body, FEED_URL, "radio", "application/feed+json")
    assert caught.value.reason_code == "parse_error"
