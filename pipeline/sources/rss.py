"""RSS 2.0 and Atom feeds: entries to candidate article URLs (pure: feed bytes in, items out)."""

from __future__ import annotations

import calendar
from datetime import UTC, datetime
from xml.etree.ElementTree import ParseError

import defusedxml.ElementTree
import feedparser
from defusedxml import DefusedXmlException

from pipeline.records import CandidateItem
from pipeline.urls import BadUrlError, check_url, resolve


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
    defusedxml raises on any of them; plain malformation is left to feedparser, which is lenient.
    """
    try:
        defusedxml.ElementTree.fromstring(body, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise FeedParseError(feed_url, "xml_entities", f"feed declares a DTD or entities: {exc!r}") from exc
    except ParseError:
        return


def _entry_time(entry: feedparser.FeedParserDict) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if parsed:
            return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)
    return None


def parse_feed(body: bytes, feed_url: str, source_name: str) -> tuple[list[CandidateItem], list[str]]:
    """Candidate items of a feed, links resolved against the feed URL, plus the entries it skipped.

    An entry without a usable http(s) link is skipped with a note (the second list), not fatal.
    """
    _refuse_entities(body, feed_url)
    parsed = feedparser.parse(body, response_headers={"content-location": feed_url})
    if parsed.bozo and not parsed.entries:
        raise FeedParseError(feed_url, "parse_error", f"not a readable feed: {parsed.get('bozo_exception')!r}")
    if not parsed.get("version") and not parsed.entries:
        raise FeedParseError(feed_url, "parse_error", "no RSS or Atom document found")
    items: list[CandidateItem] = []
    skipped: list[str] = []
    for index, entry in enumerate(parsed.entries):
        link = entry.get("link")
        if not link:
            skipped.append(f"entry {index}: no link")
            continue
        url = resolve(feed_url, link)
        try:
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
