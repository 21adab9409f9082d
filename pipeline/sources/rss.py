"""RSS 2.0 and Atom feeds: entries to candidate article URLs.

:func:`parse_feed` is pure (feed bytes in, items out); :class:`RssSource` is the plugin around it, which
asks for the feed with a conditional GET (ETag / Last-Modified remembered per feed under the data root).
"""

from __future__ import annotations

import calendar
import logging
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from xml.etree.ElementTree import ParseError

import defusedxml.ElementTree
import feedparser
from defusedxml import DefusedXmlException

from pipeline.fetch import FetchError
from pipeline.records import CandidateItem
from pipeline.sources.base import Interval, RawPayload, SourceContext, SourceError, fetch_page
from pipeline.sources.config import RssSourceConfig
from pipeline.sources.state import FeedValidators, load_feed_state, save_feed_validators
from pipeline.store import RawRefError
from pipeline.urls import BadUrlError, check_url, resolve

LOG = logging.getLogger(__name__)
DTD_MARKER = re.compile(rb"<!\s*(?:doctype|entity)\b", re.IGNORECASE)


class FeedParseError(ValueError):
    """A feed the pipeline will not read; names the feed and the reason."""

    def __init__(self, url: str, reason_code: str, detail: str) -> None:
        super().__init__(f"{url}: {detail}")
        self.url = url
        self.reason_code = reason_code
        self.detail = detail


def _refuse_entities(body: bytes, feed_url: str) -> None:
    """Refuse DTDs, entity declarations and external references before feedparser sees the bytes.

    feedparser expands internal entities, so a billion-laughs feed would eat the worker's memory.
    defusedxml raises on any of them; a document it cannot parse (malformed, or an encoding it does not
    know) is left to feedparser, which is lenient, unless its bytes hold a DTD marker anyway.
    """
    try:
        defusedxml.ElementTree.fromstring(body, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise FeedParseError(feed_url, "xml_entities", f"feed declares a DTD or entities: {exc!r}") from exc
    except (ParseError, LookupError, ValueError) as exc:
        # NULs dropped: the ASCII of a UTF-16 document
        if any(DTD_MARKER.search(form) for form in (body, body.replace(b"\x00", b""))):
            raise FeedParseError(feed_url, "xml_entities", f"unparseable feed with a DTD marker: {exc!r}") from exc


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


def parse_feed(body: bytes, feed_url: str, source_name: str) -> tuple[list[CandidateItem], list[str]]:
    """Candidate items of a feed, links resolved against the feed URL, plus the entries it skipped.

    An entry without a usable http(s) link is skipped with a note (the second list), not fatal.
    """
    _refuse_entities(body, feed_url)
    try:
        parsed = feedparser.parse(body, response_headers={"content-location": feed_url})
    except (ValueError, LookupError) as exc:  # UnicodeError too: bad declared encodings, NULs, lone surrogates
        raise FeedParseError(feed_url, "parse_error", f"feedparser could not decode the feed: {exc!r}") from exc
    if parsed.bozo and not parsed.entries:
        raise FeedParseError(feed_url, "parse_error", f"not a readable feed: {parsed.get('bozo_exception')!r}")
    if not parsed.get("version") and not parsed.entries:
        raise FeedParseError(feed_url, "parse_error", "no RSS or Atom document found")
    items: list[CandidateItem] = []
    skipped: list[str] = []
    for index, entry in enumerate(parsed.entries):
        link = _article_link(entry)
        if not link:
            skipped.append(f"entry {index}: no link")
            continue
        try:
            url = resolve(feed_url, link)
            check_url(url)
        except BadUrlError as exc:
            skipped.append(f"entry {index}: {exc}")
            continue
        items.append(
            CandidateItem(
                url=url,
                source_name=source_name,
                feed_url=feed_url,
                title=(entry.get("title") or "").strip() or None,
                summary=(entry.get("summary") or "").strip() or None,
                published_at=_entry_time(entry),
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
            body = self._feed_body(ctx)
            items, skipped = parse_feed(body, url, self.name)
        except (FetchError, FeedParseError) as exc:
            raise SourceError(self.name, url, exc.reason_code, str(exc)) from exc
        for note in skipped:
            ctx.reject(url, self.name, "bad_entry", note)
        return [i for i in items if i.published_at is None or i.published_at < interval.end]

    def fetch(self, item: CandidateItem, ctx: SourceContext) -> RawPayload:
        return fetch_page(item, ctx)

    def _feed_body(self, ctx: SourceContext) -> bytes:
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
                return body
        raw_ref = ctx.store.put_raw(ctx.run_id, "feed", response.body)
        etag, modified = response.headers.get("etag"), response.headers.get("last-modified")
        if etag or modified:
            save_feed_validators(ctx.store, url, FeedValidators(etag, modified, raw_ref))
        return response.body
