from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from pipeline.extract.dates import (
    choose_published_at,
    local_rendering,
    metadata_date,
    metadata_stated,
    page_date,
    parse_htmldate,
    searched_date,
    url_date,
    url_month,
)

pytestmark = pytest.mark.unit
FETCHED = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)
NEW_YORK = timezone(timedelta(hours=-5))


def test_metadata_time_is_converted_to_utc() -> None:
    html = '<html><head><meta property="article:published_time" content="2026-11-22T14:05:00+03:00"></head></html>'
    assert metadata_date(html) == datetime(2026, 11, 22, 11, 5, tzinfo=UTC)


def test_the_page_date_keeps_the_offset_the_page_stated() -> None:
    html = '<html><head><meta property="article:published_time" content="2026-11-22T23:30:00-05:00"></head></html>'
    assert page_date(html, extensive=False) == datetime(2026, 11, 22, 23, 30, tzinfo=NEW_YORK)


def test_json_ld_date_published_counts_as_metadata() -> None:
    html = (
        '<html><head><script type="application/ld+json">{"@type": "NewsArticle", '
        '"datePublished": "2026-11-20T08:30:00Z"}</script></head><body></body></html>'
    )
    assert metadata_date(html) == datetime(2026, 11, 20, 8, 30, tzinfo=UTC)


def test_a_date_in_the_canonical_url_is_not_reported_as_metadata() -> None:
    html = '<html><head><link rel="canonical" href="https://x.com/2026/11/21/story.html"></head><body></body></html>'
    assert metadata_date(html) is None


def test_only_the_extensive_search_reads_a_date_in_the_text() -> None:
    html = "<html><body><article><p>Posted on 21 November 2026 by the editor.</p></article></body></html>"
    assert page_date(html, extensive=False) is None
    assert page_date(html, extensive=True) == datetime(2026, 11, 21)


def test_htmldate_output_with_and_without_an_offset() -> None:
    assert parse_htmldate("2026-11-22T23:30:00-0500") == datetime(2026, 11, 22, 23, 30, tzinfo=NEW_YORK)
    assert parse_htmldate("2026-11-22T23:30:00") == datetime(2026, 11, 22, 23, 30)
    assert parse_htmldate("2026-11-22") == datetime(2026, 11, 22)
    assert parse_htmldate("yesterday") is None and parse_htmldate(None) is None


def test_url_dates_must_be_real_calendar_dates() -> None:
    assert url_date("https://x.com/herald/2026/11/21/story.html") == datetime(2026, 11, 21, tzinfo=UTC)
    assert url_date("https://x.com/news/2026-11-21-story") == datetime(2026, 11, 21, tzinfo=UTC)
    assert url_date("https://x.com/2026/02/30/story.html") is None
    assert url_date("https://x.com/a/7891234.html") is None


META = datetime(2026, 11, 22, 11, 5, tzinfo=UTC)
FEED = datetime(2026, 11, 22, 12, tzinfo=UTC)
SEARCHED = datetime(2026, 11, 20)
DATED_URL = "https://x.com/2026/11/21/a"


@pytest.mark.parametrize(
    ("urls", "metadata", "feed", "expected_source", "expected_day"),
    [
        ((DATED_URL,), datetime(2026, 11, 20, 11, 5, tzinfo=UTC), FEED, "url", date(2026, 11, 21)),
        (("https://x.com/2026/11/22/a",), META, FEED, "metadata", date(2026, 11, 22)),
        ((), META, FEED, "metadata", date(2026, 11, 22)),
        ((), None, FEED, "feed", date(2026, 11, 22)),
        ((), None, None, "page_search", date(2026, 11, 20)),
        ((), datetime(3000, 1, 1, tzinfo=UTC), None, "page_search", date(2026, 11, 20)),
        ((), datetime(1900, 1, 1, tzinfo=UTC), None, "page_search", date(2026, 11, 20)),
    ],
)
def test_precedence_is_url_then_metadata_then_feed_then_page_search(
    urls: tuple[str, ...], metadata: datetime | None, feed: datetime | None, expected_source: str, expected_day: date
) -> None:
    found = choose_published_at(urls=urls, metadata=metadata, feed=feed, fetched_at=FETCHED, search=lambda: SEARCHED)
    assert (found.source, found.local_date) == (expected_source, expected_day)
    assert found.utc.tzinfo is UTC


def test_a_metadata_time_on_the_urls_day_is_kept_with_its_offset() -> None:
    stated = datetime(2026, 11, 21, 23, 30, tzinfo=NEW_YORK)
    found = choose_published_at(urls=(DATED_URL,), metadata=stated, feed=None, fetched_at=FETCHED)
    assert found.source == "metadata"
    assert found.utc == datetime(2026, 11, 22, 4, 30, tzinfo=UTC)
    assert (found.local_date, found.offset_minutes) == (date(2026, 11, 21), -300)


def test_a_url_day_or_feed_time_has_no_stated_offset() -> None:
    by_url = choose_published_at(urls=(DATED_URL,), metadata=None, feed=None, fetched_at=FETCHED)
    assert (by_url.utc, by_url.offset_minutes) == (datetime(2026, 11, 21, tzinfo=UTC), None)
    by_feed = choose_published_at(urls=(), metadata=None, feed=FEED, fetched_at=FETCHED)
    assert (by_feed.utc, by_feed.local_date, by_feed.offset_minutes) == (FEED, date(2026, 11, 22), None)


def test_a_naive_stated_time_is_taken_as_utc_with_an_unknown_offset() -> None:
    found = choose_published_at(urls=(), metadata=datetime(2026, 11, 22, 8), feed=None, fetched_at=FETCHED)
    assert (found.utc, found.offset_minutes) == (datetime(2026, 11, 22, 8, tzinfo=UTC), None)


def test_the_page_is_searched_only_when_nothing_else_dates_it() -> None:
    def search() -> datetime:
        raise AssertionError("searched although the feed dated the page")

    assert choose_published_at(urls=(), metadata=None, feed=FEED, fetched_at=FETCHED, search=search).source == "feed"


def test_with_no_date_anywhere_the_fetch_time_is_used() -> None:
    found = choose_published_at(
        urls=("https://x.com/a",), metadata=None, feed=None, fetched_at=FETCHED, search=lambda: None
    )
    assert (found.source, found.utc, found.local_date, found.offset_minutes) == (
        "fetched_fallback",
        FETCHED,
        FETCHED.date(),
        None,
    )


def test_a_one_digit_day_before_a_slug_is_not_a_url_date() -> None:
    assert url_date("https://blog.x.de/2023/10/3-fragen-an-tina/") is None
    assert url_date("https://x.de/home/2017/7/12/story") == datetime(2017, 7, 12, tzinfo=UTC)


def test_a_utc_time_takes_the_offset_the_page_writes_the_same_instant_in() -> None:
    utc = datetime(2023, 11, 9, 2, 11, 3, tzinfo=UTC)
    aware = b'<time datetime="2023-11-08T21:11:03-05:00">Nov 8</time>'
    assert local_rendering(utc, aware).utcoffset() == timedelta(hours=-5)
    naive = b"<span>2023-11-09 03:11</span>"
    assert local_rendering(utc, naive).utcoffset() == timedelta(hours=1)
    assert local_rendering(utc, b"<span>2023-11-09 03:40</span>") == utc  # not the same clock reading
    assert local_rendering(utc, b"").utcoffset() == timedelta(0)
    stated = datetime(2023, 11, 8, 21, 11, 3, tzinfo=NEW_YORK)
    assert local_rendering(stated, naive) is stated  # an offset already stated is kept


def test_the_metadata_date_is_htmldates_in_the_publishers_offset() -> None:
    html = b'<time datetime="2023-11-08T21:11:03-05:00">Nov 8</time>'
    found = metadata_stated(html, datetime(2023, 11, 9, 2, 11, 3, tzinfo=UTC))
    assert found is not None and found.date() == date(2023, 11, 8)
    assert metadata_stated(b"", datetime(2023, 11, 8)) == datetime(2023, 11, 8)
    assert metadata_stated(b"", None) is None


def test_a_bare_midnight_on_the_urls_day_is_the_url_date_not_metadata() -> None:
    found = choose_published_at(urls=(DATED_URL,), metadata=datetime(2026, 11, 21), feed=None, fetched_at=FETCHED)
    assert (found.source, found.local_date) == ("url", date(2026, 11, 21))


def test_without_a_publication_field_the_day_the_page_shows_beats_a_generic_date_tag() -> None:
    head = b'<html><head><meta name="date" content="2022-01-21T15:38:44+01:00"></head>'
    shown = b'<body><p>Posted <time datetime="2022-01-27">27.01.2022</time></p></body></html>'
    found = datetime(2022, 1, 21, 15, 38, 44, tzinfo=timezone(timedelta(hours=1)))
    assert metadata_stated(head + shown, found) == datetime(2022, 1, 27)
    published = head.replace(b'name="date"', b'property="article:published_time"')
    assert metadata_stated(published + shown, found) == found  # a stated publication field is kept
    two_days = shown.replace(b"</p>", b'<time datetime="2022-01-25">25.01.</time></p>')
    assert metadata_stated(head + two_days, found) == found  # times of several days (comments, teasers)


def test_a_page_lxml_cannot_clean_states_no_date() -> None:
    html = b"\x00<html><head><title>T</title>\n<script>window.x = 1;</script>\x01\x02\x1b\x7f\n<s"
    assert page_date(html, extensive=False) is None  # htmldate's cleaning raised ValueError here
    assert page_date(html, extensive=True) is None


def test_a_day_alone_gives_way_to_a_timed_json_ld_publication_on_another_day() -> None:
    json_ld = b'<script type="application/ld+json">{"dateCreated": "2019-10-18T18:11:44+02:00"}</script>'
    found = metadata_stated(b"<html><head>" + json_ld + b"</head></html>", datetime(2019, 10, 19))
    assert found == datetime(2019, 10, 18, 18, 11, 44, tzinfo=timezone(timedelta(hours=2)))
    timed = datetime(2019, 10, 19, 9, 0, tzinfo=UTC)
    assert metadata_stated(b"<html><head>" + json_ld + b"</head></html>", timed) == timed  # a time is kept


def test_a_url_names_a_month_without_a_day() -> None:
    assert url_month(("https://x.de/news/2011/12/slug/",)) == (date(2011, 12, 1), date(2011, 12, 31))
    assert url_month(("https://x.de/news/2011/12-slug",)) is None


def test_a_search_that_leaves_the_urls_month_is_searched_again_within_it() -> None:
    html = (
        b"<html><body><article><p>Posted on 3 December 2011 by the editor.</p>"
        b"<p>First published 1 June 2010.</p></article><footer>Updated 1 June 2010</footer></body></html>"
    )
    bounded = searched_date(html, ("http://x.de/news/2011/12/story/",))
    assert bounded is not None and bounded.date() == date(2011, 12, 3)
    assert searched_date(html, ("http://x.de/story",)) == page_date(html, extensive=True)


def test_stamps_outside_the_news_era_are_not_read() -> None:
    head = b'<html><head><meta name="date" content="2022-01-21"></head>'
    year_one = b'<body><time datetime="0001-01-01T00:00:00+05:00">a</time></body></html>'
    assert metadata_stated(head + year_one, datetime(2022, 1, 21)) == datetime(2022, 1, 21)
    assert local_rendering(datetime(2022, 1, 21, tzinfo=UTC), year_one) == datetime(2022, 1, 21, tzinfo=UTC)


def test_an_email_style_stamp_gives_a_utc_time_its_local_offset() -> None:
    utc = datetime(2019, 10, 18, 22, 4, tzinfo=UTC)
    html = b'<meta name="date" content="Sat, 19 Oct 2019 00:04:00 +0200">'
    assert local_rendering(utc, html).date() == date(2019, 10, 19)
    assert local_rendering(utc, b"<p>Sat, 19 Oct 2019 00:09:00 +0200</p>") == utc  # another instant


def test_an_email_style_json_ld_publication_dates_a_page_htmldate_cannot_read() -> None:
    json_ld = b'<script type="application/ld+json">{"datePublished": "Tue, Sep 15 2020 10:01:41 EDT"}</script>'
    found = metadata_stated(b"<html><head>" + json_ld + b"</head><body></body></html>", None)
    assert found == datetime(2020, 9, 15, 10, 1, 41, tzinfo=timezone(timedelta(hours=-4)))


def test_a_day_alone_gives_way_to_the_first_timed_microdata_publication() -> None:
    own = b'<time itemprop="datePublished" content="2023-10-18" datetime="2023-10-18T11:45:00+02:00">18.</time>'
    teaser = b'<p itemprop="datePublished" content="2023-10-10 12:20:56">10.</p>'
    found = metadata_stated(b"<html><body>" + own + teaser + b"</body></html>", datetime(2023, 10, 21))
    assert found == datetime(2023, 10, 18, 11, 45, tzinfo=timezone(timedelta(hours=2)))
    created = b'<time itemprop="dateCreated" datetime="2023-10-10T12:20:56+02:00">10.</time>'
    assert metadata_stated(created, datetime(2023, 10, 21)) == datetime(2023, 10, 21)  # a teaser's field


@pytest.mark.parametrize(
    ("metadata", "expected_source", "expected_day"),
    [
        (datetime(2026, 11, 22, 18, 37, tzinfo=timezone(timedelta(hours=1))), "metadata", date(2026, 11, 22)),
        (datetime(2026, 11, 22, 10, 4, tzinfo=UTC), "metadata", date(2026, 11, 22)),
        (datetime(2026, 11, 22, 2, 25, tzinfo=UTC), "url", date(2026, 11, 21)),  # the evening before out west
        (datetime(2026, 11, 22), "url", date(2026, 11, 21)),  # a day alone
        (datetime(2026, 11, 29, 12, tzinfo=timezone(timedelta(hours=1))), "url", date(2026, 11, 21)),  # an update
        (datetime(2026, 11, 20, 12, tzinfo=timezone(timedelta(hours=1))), "url", date(2026, 11, 21)),
    ],
)
def test_a_timed_publication_within_a_week_after_the_urls_day_is_the_publication(
    metadata: datetime, expected_source: str, expected_day: date
) -> None:
    found = choose_published_at(urls=(DATED_URL,), metadata=metadata, feed=None, fetched_at=FETCHED)
    assert (found.source, found.local_date) == (expected_source, expected_day)


def test_a_search_result_in_the_month_after_the_urls_is_kept() -> None:
    html = b"<html><body><article><p>Posted on 10 November 2021 by the editor.</p></article></body></html>"
    found = searched_date(html, ("http://x.de/meldungen/2021/10/story",))
    assert found is not None and found.date() == date(2021, 11, 10)


def test_a_day_alone_gives_way_to_the_day_the_text_labels_as_the_publication() -> None:
    head = b'<html><head><meta name="date" content="2021-10-15"></head><body>'
    label = b"<p class='meta'><span>Erschienen am:</span> <b>13.10.2021</b></p>"
    script = b"<script>var x = 'Published on 1 May 2020';</script>"
    page = head + script + label + b"<p>Published in print on 14 October 2021.</p></body></html>"
    assert metadata_stated(page, datetime(2021, 10, 15)) == datetime(2021, 10, 13)
    english = head + b"<div>By Ann Lee. Published 7 April 2020</div></body></html>"
    assert metadata_stated(english, datetime(2020, 3, 3)) == datetime(2020, 4, 7)


def test_a_labelled_day_does_not_replace_a_timed_date_or_an_update_label() -> None:
    page = b"<html><body><p>Posted on March 3, 2021</p></body></html>"
    timed = datetime(2021, 3, 5, 10, 15, tzinfo=timezone(timedelta(hours=1)))
    assert metadata_stated(page, timed) == timed
    updated = b"<html><body><p>Updated on March 3, 2021</p><p>Published by the desk</p></body></html>"
    assert metadata_stated(updated, datetime(2021, 3, 5)) == datetime(2021, 3, 5)
    longer_word = "<html><body><p>Erschienene Bücher 12.03.2021</p></body></html>".encode()
    assert metadata_stated(longer_word, datetime(2021, 3, 5)) == datetime(2021, 3, 5)  # a label is a whole word


def test_the_labelled_day_is_read_before_the_days_of_time_elements() -> None:
    comments = b'<div class="comments"><time datetime="2019-08-24T03:36:11+02:00">24. August 2019</time></div>'
    page = b"<html><body><p>Ver\xc3\xb6ffentlicht am 16.08.2019</p>" + comments + b"</body></html>"
    assert metadata_stated(page, datetime(2019, 8, 24)) == datetime(2019, 8, 16)
