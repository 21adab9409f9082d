"""Known attacks and broken input, one test each, on the pure parsers: entity tricks in feeds, archive
bombs, bad encodings, NUL and control characters, absurd dates, dangerous URLs and path traversal.

Decisions these tests hold (README, "Hostile input"): control characters never reach a published string
(one-line fields get a space, text loses them but keeps newlines and tabs); a date before 1995 or after the
fetch is no date; only http(s) URLs without credentials are ever listed or fetched.
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from pipeline.extract.article import normalize_page
from pipeline.extract.text import ExtractionError
from pipeline.net.urls import article_id
from pipeline.settings import Settings
from pipeline.sources.base import Interval, SourceContext
from pipeline.sources.config import LocalSourceConfig
from pipeline.sources.gdelt import GdeltFileError, parse_gkg, unzip_capped
from pipeline.sources.local import LocalArticle, LocalFileError, LocalSource, read_jsonl, read_txt
from pipeline.sources.rss import FeedParseError, parse_feed
from pipeline.storage.raw import RawRefError, Store, run_key
from tests.fuzz.strategies import assert_publishable
from tests.support.gdelt_site import FIXTURES, article_page

pytestmark = pytest.mark.unit
FEED_URL = "https://wire.example.org/feeds/world.rss"
FETCHED_AT = datetime(2026, 11, 25, 3, tzinfo=UTC)
SETTINGS = Settings(min_words=30)
BODY = (
    "Officials and witnesses said on Friday that the situation continued to develop across the region, "
    "as aid groups called for calm and residents described long queues for water and fuel."
)


def page(url: str = "https://news.example.org/world/story.html") -> dict[str, Any]:
    return {
        "url": url,
        "final_url": url,
        "source_name": "wire",
        "feed_url": FEED_URL,
        "summary": None,
        "feed_published_at": None,
        "fetched_at": FETCHED_AT,
        "raw_ref": "raw/run/page/" + "0" * 64 + ".gz",
    }


def html(title: str, text: str = BODY, head: str = "") -> str:
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title>{head}</head>"
        f"<body><article><h1>{title}</h1><p>{text}</p><p>{text}</p></article></body></html>"
    )


# XML entity expansion and external entities


@pytest.mark.parametrize(
    "body",
    [
        b'<?xml version="1.0" encoding="tf-8"?><!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        b"<rss><channel><item><title>&b;</title><link>/x</link></item></channel></rss>",
        '<?xml version="1.0" encoding="utf-16"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        "<rss><channel><item><title>&x;</title><link>/x</link></item></channel></rss>".encode("utf-16"),
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % p SYSTEM "http://127.0.0.1:9/evil.dtd"> %p;]>'
        b"<rss><channel><item><title>t</title><link>/x</link></item></channel></rss>",
        b"\x00garbage first<!doctype rss [<!ENTITY lol 'lol'>]><rss><channel><item><title>&lol;</title>"
        b"<link>/x</link></item></channel></rss>",
    ],
    ids=["unknown-encoding", "utf-16-external", "parameter-entity", "malformed-before-dtd"],
)
def test_entity_declarations_are_refused_however_the_feed_is_disguised(body: bytes) -> None:
    with pytest.raises(FeedParseError) as caught:
        parse_feed(body, FEED_URL, "wire")
    assert caught.value.reason_code == "xml_entities"


# Archive bombs (the GDELT-style zip; the gzip bomb over HTTP is in tests/integration/test_hostile_network.py)


def test_a_zip_of_many_small_members_is_refused_before_inflating() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for n in range(1000):
            archive.writestr(f"{n}.csv", b"\0" * 1000)
    with pytest.raises(GdeltFileError) as caught:
        unzip_capped(buffer.getvalue(), "http://gdelt.example/x.gkg.csv.zip", 10_000_000)
    assert caught.value.reason_code == "too_large" and "members" in caught.value.detail


def test_a_nested_zip_bomb_is_inflated_one_level_only_and_capped() -> None:
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("inner.csv", b"\0" * 50_000_000)
    outer = io.BytesIO()
    with zipfile.ZipFile(outer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("inner.zip", inner.getvalue())
    data = unzip_capped(outer.getvalue(), "http://gdelt.example/x.gkg.csv.zip", 1_000_000)
    assert data.startswith(b"PK") and len(data) < 1_000_000  # a zip inside is text to the GKG parser
    rows = list(parse_gkg(data.decode("utf-8", "replace"), "x"))
    assert rows  # the zip's lines are read, each refused as an entry, none taken for an article
    assert {(type(row), row.reason_code) for row in rows if isinstance(row, GdeltFileError)} == {
        (GdeltFileError, "bad_entry")
    }
    assert all(isinstance(row, GdeltFileError) for row in rows)


# Invalid UTF-8, mixed encodings, NUL bytes, control characters


@pytest.mark.parametrize(
    "payload",
    [
        html("Caf\xe9 owners protest").encode("latin-1"),  # declared UTF-8, is Latin-1
        html("Mixed: caf\u00e9").encode() + "caf\xe9".encode("latin-1") + b"\xc3\x28\xff",
        html("UTF-16 page").encode("utf-16"),
        html("Nul\x00 in the title", BODY.replace("the region", "the\x00 region")).encode(),
    ],
    ids=["latin-1-as-utf-8", "mixed-and-invalid", "utf-16", "nul-bytes"],
)
def test_badly_encoded_pages_give_clean_rows_or_a_reasoned_refusal(payload: bytes) -> None:
    try:
        row = normalize_page(page(), payload, SETTINGS, "run")
    except ExtractionError as exc:
        assert exc.reason_code in ("parse_error", "empty_text", "no_title")
        return
    assert_publishable(row)
    assert "\x00" not in row["title"] + row["text"]


def test_control_characters_in_titles_become_spaces_and_are_stripped_from_text() -> None:
    title = "Breaking\x1b[31m news\x07 from\u0085 the\u009b front\r\nline"
    payload = html(title, BODY.replace("region", "re\x00gion\x08")).encode()

    row = normalize_page(page(), payload, SETTINGS, "run")

    assert row["title"].startswith("Breaking") and row["title"].endswith("[31m news from the front line")
    assert "region" in row["text"] and "\x00" not in row["text"] and "\x08" not in row["text"]
    assert_publishable(row)


def test_a_title_of_control_characters_only_is_no_title() -> None:
    with pytest.raises(ExtractionError) as caught:
        normalize_page(page(), html("\x1b\x07\x00").encode(), SETTINGS, "run")
    assert caught.value.reason_code == "no_title"


def test_invalid_utf8_in_local_files_is_an_error_for_text_and_replaced_in_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.touch()
    with pytest.raises(LocalFileError) as caught:
        read_txt(path, b"Summary \xff\xfe line.\nParagraph.\n")
    assert caught.value.reason_code == "parse_error"
    [article] = read_jsonl(path, b'{"url": "https://e.org/a", "title": "T\xff", "text": "x \xc3\x28"}')
    assert isinstance(article, LocalArticle) and article.title == "T\ufffd"


def test_feed_titles_with_nul_and_invalid_bytes_do_not_stop_the_feed() -> None:
    body = (
        b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>W</title>'
        b"<item><title>A\x00B \xff\xfe</title><link>https://e.org/a</link></item></channel></rss>"
    )
    try:
        items, _ = parse_feed(body, FEED_URL, "wire")
    except FeedParseError as exc:
        assert exc.reason_code == "parse_error"
    else:
        assert [i.url for i in items] == ["https://e.org/a"]


# Absurd dates


@pytest.mark.parametrize("stated", ["1900-01-01T00:00:00+00:00", "3000-01-01T00:00:00+00:00"])
def test_page_metadata_dates_outside_the_news_era_are_not_used(stated: str) -> None:
    head = f"<meta property='article:published_time' content='{stated}'>"
    row = normalize_page(page(), html("Dated story", head=head).encode(), SETTINGS, "run")
    assert row["published_at_source"] != "metadata" and row["published_at"].year == 2026


@pytest.mark.parametrize(
    ("feed_date", "url", "source"),
    [
        (datetime(3000, 1, 1, tzinfo=UTC), "https://e.org/2026/11/24/story.html", "url"),
        (datetime(1900, 1, 1, tzinfo=UTC), "https://e.org/2026/02/30/story.html", "fetched_fallback"),
    ],
)
def test_feed_and_url_dates_that_are_absurd_or_do_not_exist_fall_through(
    feed_date: datetime, url: str, source: str
) -> None:
    row = normalize_page({**page(url), "feed_published_at": feed_date}, html("Story").encode(), SETTINGS, "run")
    assert row["published_at_source"] == source


def test_a_jsonl_date_beyond_the_calendar_is_a_bad_date_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.touch()
    lines = [
        b'{"url": "https://e.org/a", "title": "T", "text": "x", "published_at": "9999-12-31T23:59:59-05:00"}',
        b'{"url": "https://e.org/b", "title": "T", "text": "x", "published_at": "2026-02-30T10:00:00Z"}',
    ]
    found = read_jsonl(path, b"\n".join(lines))
    assert [f.reason_code for f in found if isinstance(f, LocalFileError)] == ["bad_date", "bad_date"]


def test_a_local_article_dated_year_3000_is_taken_by_its_file_time(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    line = {"url": "https://e.org/future", "title": "From the future", "text": BODY, "published_at": "3000-01-01"}
    (folder / "a.jsonl").write_text(json.dumps(line), encoding="utf-8")
    os.utime(folder / "a.jsonl", (FETCHED_AT.timestamp(), FETCHED_AT.timestamp()))
    ctx = SourceContext(SETTINGS, Store(str(tmp_path / "data"), {}), None, "run")  # type: ignore[arg-type]
    interval = Interval(datetime(2026, 11, 25, tzinfo=UTC), datetime(2026, 11, 26, tzinfo=UTC))

    items = list(LocalSource(LocalSourceConfig(name="corpus", kind="local", path=str(folder))).discover(interval, ctx))

    assert [i.url for i in items] == ["https://e.org/future"]


def test_gdelt_rows_with_impossible_timestamps_are_row_errors() -> None:
    text = (FIXTURES / "20261120000000.gkg.csv").read_text(encoding="utf-8").splitlines()[0]
    cols = text.split("\t")
    broken = "\n".join("\t".join([*cols[:1], stamp, *cols[2:]]) for stamp in ("20260230120000", "99999999999999"))
    assert [r.reason_code for r in parse_gkg(broken, "x") if isinstance(r, GdeltFileError)] == ["bad_entry"] * 2


# URLs with credentials, file:// and other schemes


DANGEROUS_LINKS = [
    "file:///etc/passwd",
    "javascript:alert(1)",
    "data:text/html,<script>x</script>",
    "ftp://e.org/a",
    "gopher://127.0.0.1:6379/_FLUSHALL",
    "http://user:secret@e.org/a",
    "http://e.org:99999/a",
    "http://[::1/a",
]


def test_feed_entries_with_dangerous_links_are_skipped_with_a_note() -> None:
    items = "".join(f"<item><title>t</title><link>{link}</link></item>" for link in DANGEROUS_LINKS)
    body = f'<?xml version="1.0"?><rss version="2.0"><channel><title>W</title>{items}</channel></rss>'.encode()
    found, skipped = parse_feed(body.replace(b"&", b"&amp;"), FEED_URL, "wire")
    assert found == [] and len(skipped) == len(DANGEROUS_LINKS)


def test_local_articles_with_dangerous_urls_are_quarantined_as_bad_url(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    lines = [
        {"url": link, "title": "T", "text": BODY, "published_at": "2026-11-25T01:00:00Z"} for link in DANGEROUS_LINKS
    ]
    (folder / "a.jsonl").write_text("\n".join(json.dumps(x) for x in lines), encoding="utf-8")
    ctx = SourceContext(SETTINGS, Store(str(tmp_path / "data"), {}), None, "run")  # type: ignore[arg-type]
    interval = Interval(datetime(2026, 11, 25, tzinfo=UTC), datetime(2026, 11, 26, tzinfo=UTC))

    items = list(LocalSource(LocalSourceConfig(name="corpus", kind="local", path=str(folder))).discover(interval, ctx))

    assert items == []
    assert [f.reason_code for f in ctx.failures] == ["bad_url"] * len(DANGEROUS_LINKS)


# A canonical link naming another outlet's URL


def test_a_page_claiming_another_outlets_url_keeps_its_own_key_unless_the_source_trusts_that_domain() -> None:
    victim = "https://www.voanews.com/a/iraq-syria/7891234.html"
    forged = html(
        "Forged story", head=f"<link rel='canonical' href='{victim}'><meta property='og:url' content='{victim}'>"
    )

    refused = normalize_page(page(), forged.encode(), SETTINGS, "run")
    trusted = normalize_page(page(), forged.encode(), SETTINGS, "run", canonical_domains=("voanews.com",))

    own = "https://news.example.org/world/story.html"
    assert (refused["canonical_url"], refused["article_id"], refused["source_domain"]) == (
        own,
        article_id(own),
        "example.org",
    )
    assert refused["canonical_claimed"] == "https://voanews.com/a/iraq-syria/7891234.html"
    assert trusted["article_id"] == article_id("https://voanews.com/a/iraq-syria/7891234.html")
    assert trusted["canonical_claimed"] is None
    assert_publishable(refused)


# Path traversal in whatever names a file


@pytest.mark.parametrize(
    "ref",
    ["raw/../page/" + "0" * 64 + ".gz", "raw/./feed/" + "0" * 64 + ".gz", "raw/.../page/" + "0" * 64 + ".gz"],
)
def test_raw_refs_with_dot_segments_are_refused(tmp_path: Path, ref: str) -> None:
    with pytest.raises(RawRefError):
        Store(str(tmp_path), {}).get_raw(ref)


@pytest.mark.parametrize("run_id", ["../../etc", "..", "manual__2026-11-25T00:00:00+00:00/../../x", "a/b\\c\x00"])
def test_hostile_run_ids_keep_raw_staging_and_reports_inside_the_data_root(tmp_path: Path, run_id: str) -> None:
    store = Store(str(tmp_path / "data"), {})
    if run_id == "..":
        with pytest.raises(ValueError, match="no usable characters"):
            run_key(run_id)
        return
    ref = store.put_raw(run_id, "page", b"<html></html>")
    paths = [Path(store.path(ref)), Path(store.staging(run_id, "candidates"))]
    assert all(p.resolve().is_relative_to((tmp_path / "data").resolve()) for p in paths)
    assert "/" not in run_key(run_id) and run_key(run_id) not in (".", "..")
    assert store.get_raw(ref) == b"<html></html>"


def test_page_helper_is_a_valid_article() -> None:
    assert_publishable(normalize_page(page(), article_page("Plain", "/p").encode(), SETTINGS, "run"))
