"""Web archives: WARC files (e.g. Common Crawl's CC-NEWS) from a local file or folder, or one URL.

A run takes the ``response`` records whose WARC-Date (capture time) falls in its interval; the page
payload is the record's HTTP body (de-chunked, decoded from its Content-Encoding), so nothing is fetched
from the sites. This is how a user backfills years: point ``path`` at the archive folder and run
``airflow backfill create`` over the range.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from pipeline.dates import to_utc
from pipeline.fetch import PAGE_TYPES, FetchError, parse_content_type
from pipeline.records import CandidateItem
from pipeline.sources.base import Interval, RawPayload, SourceContext, SourceError, stored_payload
from pipeline.sources.config import WarcSourceConfig
from pipeline.urls import BadUrlError, check_url

LOG = logging.getLogger(__name__)
WARC_SUFFIXES = (".warc", ".warc.gz")


@dataclass(frozen=True)
class WarcPage:
    """One archived HTML response."""

    url: str
    captured_at: datetime
    body: bytes


@dataclass(frozen=True)
class WarcSkip:
    """A response record of the interval that is not a usable page, with a reason code."""

    url: str
    reason_code: str
    detail: str


def _warc_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return to_utc(datetime.fromisoformat(value.replace("Z", "+00:00")))
    except (ValueError, OverflowError):
        return None


def read_warc(stream: IO[bytes], interval: Interval, max_body_bytes: int) -> Iterator[WarcPage | WarcSkip]:
    """The HTML responses of ``stream`` captured inside ``interval``; other records are passed over."""
    for record in ArchiveIterator(stream):
        if record.rec_type != "response":
            continue
        url = record.rec_headers.get_header("WARC-Target-URI") or ""
        captured = _warc_date(record.rec_headers.get_header("WARC-Date"))
        if captured is None or captured not in interval:
            continue
        if record.http_headers is None:
            yield WarcSkip(url, "parse_error", "response record without HTTP headers")
            continue
        status = int(record.http_headers.get_statuscode() or 0)
        if not 200 <= status < 300:
            yield WarcSkip(url, "http_status", f"archived HTTP {status}")
            continue
        media_type, _ = parse_content_type(record.http_headers.get_header("Content-Type"))
        if media_type not in PAGE_TYPES:
            yield WarcSkip(url, "not_html", f"archived content type {media_type or 'missing'}")
            continue
        body = record.content_stream().read(max_body_bytes + 1)
        if len(body) > max_body_bytes:
            yield WarcSkip(url, "too_large", f"archived body passes {max_body_bytes} bytes")
            continue
        yield WarcPage(url, captured, body)


def warc_files(path: Path) -> list[Path]:
    """``path`` itself, or every .warc / .warc.gz file under it, in name order."""
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise FileNotFoundError(f"{path} is neither a WARC file nor a folder")
    return sorted(p for p in path.rglob("*") if p.is_file() and p.name.lower().endswith(WARC_SUFFIXES))


class WarcSource:
    """WARC files; each interval takes the records captured inside it."""

    def __init__(self, config: WarcSourceConfig) -> None:
        self.config = config
        self.name = config.name
        self.yields_pages = True

    def discover(self, interval: Interval, ctx: SourceContext) -> Iterable[CandidateItem]:
        items: list[CandidateItem] = []
        for location, stream in self._archives(ctx):
            with stream:
                try:
                    for found in read_warc(stream, interval, ctx.settings.max_body_bytes):
                        item = self._candidate(found, location, ctx)
                        if item is not None:
                            items.append(item)
                except (ArchiveLoadFailed, OSError, ValueError) as exc:
                    ctx.reject(location, self.name, "parse_error", f"{location}: unreadable WARC: {exc}")
        return items

    def fetch(self, item: CandidateItem, ctx: SourceContext) -> RawPayload:
        return stored_payload(item, ctx)

    def _archives(self, ctx: SourceContext) -> Iterator[tuple[str, IO[bytes]]]:
        if self.config.url is not None:
            try:
                response = ctx.fetcher.get(self.config.url, kind="file", max_bytes=self.config.max_file_bytes)
            except FetchError as exc:
                raise SourceError(self.name, self.config.url, exc.reason_code, str(exc)) from exc
            yield self.config.url, io.BytesIO(response.body)
            return
        root = Path(self.config.path or "")
        try:
            files = warc_files(root)
        except OSError as exc:
            raise SourceError(self.name, str(root), "read_error", str(exc)) from exc
        for file in files:
            yield str(file), file.open("rb")

    def _candidate(self, found: WarcPage | WarcSkip, location: str, ctx: SourceContext) -> CandidateItem | None:
        if isinstance(found, WarcSkip):
            ctx.reject(found.url or location, self.name, found.reason_code, f"{location}: {found.detail}")
            return None
        try:
            check_url(found.url)
        except BadUrlError as exc:
            ctx.reject(found.url or location, self.name, "bad_url", str(exc))
            return None
        return CandidateItem(
            url=found.url,
            source_name=self.name,
            feed_url=location,
            raw_ref=ctx.store.put_raw(ctx.run_id, "page", found.body),
            fetched_at=found.captured_at,
        )
