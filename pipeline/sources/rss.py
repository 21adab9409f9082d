"""RSS 0.9x/1.0/2.0, Atom and JSON Feed (1.0, 1.1): entries to candidate article URLs.

:func:`parse_feed` is pure (feed bytes and their Content-Type in, items out); :class:`RssSource` is the
plugin around it, which asks for the feed with a conditional GET (ETag / Last-Modified remembered per feed
under the data root). Both formats come down to :class:`FeedEntry` values, so links, dates and skips are
handled once.
"""

from __future__ import annotations

import calendar
import json
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any
from xml.etree.ElementTree import ParseError

import defusedxml.ElementTree
import feedparser
from defusedxml import DefusedXmlException

from pipeline.errors import RefusedInput
from pipeline.net.fetcher import JSON_FEED_TYPES, FetchedResponse, FetchError, parse_content_type
from pipeline.net.urls import BadUrlError, check_url, resolve
from pipeline.records import CandidateItem
from pipeline.sources.base import Interval, RawPayload, SourceContext, SourceError, fetch_page
from pipeline.sources.config import RssSourceConfig
from pipeline.sources.state import FeedValidators, load_feed_state, save_feed_validators
from pipeline.storage.raw import RawRefError

LOG = logging.getLogger(__name__)
ENTITY_MARKER = re.compile(rb"<!\s*entity\b", re.IGNORECASE)
JSON_FEED_VERSIONS = ("https://jsonfeed.org/version/1", "https://jsonfeed.org/version/1.1")
UTF8_BOM = b"\xef\xbb\xbf"


class FeedParseError(RefusedInput, ValueError):
    """A feed the pipeline will not read; names the feed and the reason."""


@dataclass(frozen=True)
class FeedEntry:
    """One entry of a feed of either format, before its link is resolved and checked."""

    link: str | None
    title: str | None
    summary: str | None
    published_at: datetime | None


def _refuse_entities(body: bytes, feed_url: str) -> None:
    """Refuse entity declarations and external entities before feedparser sees the bytes.

    feedparser expands internal entities, so a billion-laughs (or one entity referenced 20,000 times)
    feed would eat the worker's memory. A DOCTYPE alone is harmless and common (Netscape RSS 0.91, HTML
    doctypes, internal subsets of ELEMENT/ATTLIST only): nothing can expand without an ENTITY declaration,
    and external DTDs are never fetched (expat, and feedparser's SAX parser, leave external entities off).
    A document defusedxml cannot parse (malformed, undefined HTML entities such as ``&nbsp;`` under an
    external DTD, an encoding it does not know) is left to feedparser, which is lenient, unless its bytes
    hold an ENTITY declaration anyway.
    """
    try:
        defusedxml.ElementTree.fromstring(body, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise FeedParseError(feed_url, "xml_entities", f"feed declares entities: {exc!r}") from exc
    except (ParseError, LookupError, ValueError) as exc:
        # NULs dropped: the ASCII of a UTF-16 document
        if any(ENTITY_MARKER.search(form) for form in (body, body.replace(b"\x00", b""))):
            raise FeedParseError(feed_url, "xml_entities", f"unparseable feed declaring entities: {exc!r}") from exc


def _entry_time(entry: feedparser.FeedParserDict) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if parsed:
            return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)
    return None


def _article_link(entry: feedparser.FeedParserDict) -> str | None:
    """The entry's article link: rel=alternate (or no rel); enclosures and media links never."""
    for link in entry.get("links") or []:
        if link.get("href") and link.get("rel", "alternate") == "alternate":
            return str(link["href"])
    link = entry.get("link")
    enclosures = {e.get("href") for e in entry.get("links") or [] if e.get("rel") != "alternate"}
    return str(link) if link and link not in enclosures else None


def xml_feed_entries(body: bytes, feed_url: str, content_type: str | None = None) -> list[FeedEntry]:
    """The entries of an RSS/Atom document; FeedParseError when it is not one.

    ``content_type`` is the response's Content-Type header (charset included): without it feedparser
    marks every feed as suspect. Only a real parse failure (or no feed at all) is an error; a well-formed
    feed with no entries is a quiet feed and gives no entries.
    """
    _refuse_entities(body, feed_url)
    headers = {"content-location": feed_url}
    if content_type:
        headers["content-type"] = content_type
    try:
        parsed = feedparser.parse(body, response_headers=headers)
    except (ValueError, LookupError) as exc:  # UnicodeError too: bad declared encodings, NULs, lone surrogates
        raise FeedParseError(feed_url, "parse_error", f"feedparser could not decode the feed: {exc!r}") from exc
    remark = isinstance(parsed.get("bozo_exception"), feedparser.ThingsNobodyCaresAboutButMe)
    if parsed.bozo and not remark and not parsed.entries:
        raise FeedParseError(feed_url, "parse_error", f"not a readable feed: {parsed.get('bozo_exception')!r}")
    if not parsed.get("version") and not parsed.entries:
        raise FeedParseError(feed_url, "parse_error", "no RSS or Atom document found")
    return [
        FeedEntry(
            link=_article_link(entry),
            title=entry.get("title"),
            summary=entry.get("summary"),
            published_at=_entry_time(entry),
        )
        for entry in parsed.entries
    ]


def _string(item: dict[str, Any], key: str) -> str | None:
    value = item.get(key)
    return value if isinstance(value, str) and value.strip() else None


def _json_time(value: str | None) -> datetime | None:
    """An RFC 3339 date of a JSON Feed item in UTC (one without an offset taken as UTC); an unreadable one
    is no date (the page's own may decide). pipeline.extract.dates is not imported here: it loads htmldate."""
    if value is None:
        return None
    try:
        stated = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        return stated.astimezone(UTC) if stated.tzinfo else stated.replace(tzinfo=UTC)
    except (ValueError, OverflowError):
        return None


class _TextOf(HTMLParser):
    """The character data of an HTML fragment (the standard library's parser: no DTD, no entity
    declarations, only HTML's named character references)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _html_text(html: str | None) -> str | None:
    """The text of a JSON Feed item's ``content_html``, to stand in for a summary it lacks."""
    if html is None:
        return None
    reader = _TextOf()
    reader.feed(html)
    reader.close()
    return " ".join(" ".join(reader.parts).split()) or None


def json_feed_entries(body: bytes, feed_url: str) -> list[FeedEntry]:
    """The items of a JSON Feed (jsonfeed.org 1.0 or 1.1); FeedParseError when it is not one.

    JSON has no entities or references, so nothing expands; the body's size is capped by the fetcher as
    for XML feeds, and nesting too deep for the parser is a parse_error.
    """
    try:
        document = json.loads(body.removeprefix(UTF8_BOM))
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError, JSONDecodeError, int digit limit
        raise FeedParseError(feed_url, "parse_error", f"not JSON: {exc!r}") from exc
    if not isinstance(document, dict) or str(document.get("version", "")).rstrip("/") not in JSON_FEED_VERSIONS:
        raise FeedParseError(feed_url, "parse_error", "no JSON Feed version (https://jsonfeed.org/version/1.x)")
    items = document.get("items")
    if not isinstance(items, list):
        raise FeedParseError(feed_url, "parse_error", "a JSON Feed must have an 'items' list")
    return [
        FeedEntry(
            link=_string(item, "url") or _string(item, "external_url"),
            title=_string(item, "title"),
            summary=_string(item, "summary")
            or _string(item, "content_text")
            or _html_text(_string(item, "content_html")),
            published_at=_json_time(_string(item, "date_published") or _string(item, "date_modified")),
        )
        if isinstance(item, dict)
        else FeedEntry(None, None, None, None)
        for item in items
    ]


def is_json_feed(body: bytes, content_type: str | None) -> bool:
    """Whether the response is JSON (declared so, or a body that opens an object) rather than XML."""
    media_type, _ = parse_content_type(content_type)
    return media_type in JSON_FEED_TYPES or body.removeprefix(UTF8_BOM).lstrip().startswith(b"{")


def parse_feed(
    body: bytes, feed_url: str, source_name: str, content_type: str | None = None
) -> tuple[list[CandidateItem], list[str]]:
    """Candidate items of a feed, links resolved against the feed URL, plus the entries it skipped.

    An entry without a usable http(s) link is skipped with a note (the second list), not fatal.
    """
    if is_json_feed(body, content_type):
        entries = json_feed_entries(body, feed_url)
    else:
        entries = xml_feed_entries(body, feed_url, content_type)
    items: list[CandidateItem] = []
    skipped: list[str] = []
    for index, entry in enumerate(entries):
        if not entry.link:
            skipped.append(f"entry {index}: no link")
            continue
        try:
            url = resolve(feed_url, entry.link)
            check_url(url)
        except BadUrlError as exc:
            skipped.append(f"entry {index}: {exc}")
            continue
        items.append(
            CandidateItem(
                url=url,
                source_name=source_name,
                feed_url=feed_url,
                title=(entry.title or "").strip() or None,
                summary=(entry.summary or "").strip() or None,
                published_at=entry.published_at,
            )
        )
    return items, skipped


class RssSource:
    """An RSS/Atom feed. A 304 means the feed has not changed: its entries are the ones last seen,
    re-read from the raw zone (pages already published are not fetched again)."""

    def __init__(self, config: RssSourceConfig) -> None:
        self.config = config
        self.name = config.name
        self.yields_pages = True

    def discover(self, interval: Interval, ctx: SourceContext) -> Iterable[CandidateItem]:
        """Entries dated before the interval's end, and undated ones (feeds are snapshots, not archives)."""
        url = self.config.url
        try:
            body, content_type = self._feed_body(ctx)
            items, skipped = parse_feed(body, url, self.name, content_type)
        except (FetchError, FeedParseError) as exc:
            raise SourceError(self.name, url, exc.reason_code, str(exc)) from exc
        for note in skipped:
            ctx.reject(url, self.name, "bad_entry", note)
        return [i for i in items if i.published_at is None or i.published_at < interval.end]

    def fetch(self, item: CandidateItem, ctx: SourceContext) -> RawPayload:
        return fetch_page(item, ctx)

    def _feed_body(self, ctx: SourceContext) -> tuple[bytes, str | None]:
        """The feed's bytes and Content-Type: fetched, or re-read from the raw zone on a 304."""
        url = self.config.url
        known = load_feed_state(ctx.store).get(url)
        if known is not None and not ctx.store.fs().exists(ctx.store.path(known.raw_ref)):
            known = None
        response = ctx.fetcher.get(url, kind="feed", headers=known.conditional_headers() if known else None)
        if response.status == 304 and known is not None:
            try:
                body = ctx.store.get_raw(known.raw_ref)
            except (RawRefError, OSError):
                response = ctx.fetcher.get(url, kind="feed")
            else:
                LOG.info("feed %s not modified (304); re-reading %s", url, known.raw_ref)
                ctx.notes[self.name] = "not modified (304)"
                return body, known.content_type
        raw_ref = ctx.store.put_raw(ctx.run_id, "feed", response.body)
        etag, modified = response.headers.get("etag"), response.headers.get("last-modified")
        if etag or modified:
            save_feed_validators(ctx.store, url, FeedValidators(etag, modified, raw_ref, _content_type(response)))
        return response.body, _content_type(response)


def _content_type(response: FetchedResponse) -> str | None:
    """The Content-Type header feedparser wants: media type and the declared charset."""
    if response.content_type is None:
        return None
    return response.content_type + (f"; charset={response.encoding}" if response.encoding else "")
