"""Web archives: WARC and ARC files (e.g. Common Crawl's CC-NEWS, older crawls) from a local file or
folder, or one URL.

A run takes the ``response`` records whose WARC-Date (capture time) falls in its interval; the page
payload is the record's HTTP body (de-chunked, decoded from its Content-Encoding), so nothing is fetched
from the sites. This is how a user backfills years: point ``path`` at the archive folder and run
``airflow backfill create`` over the range. ARC records are read through warcio's ARC-to-WARC conversion
(their archive date becomes the WARC-Date).

Nothing vanishes: a response record whose WARC-Date is missing or unreadable is quarantined (``bad_date``)
by the run whose interval holds the last date the file stated before it (a crawler writes records in
capture order), and a record that cannot be read (a status line without a code, a body that does not
decode) is quarantined alone while the rest of the file is read.
"""

from __future__ import annotations

import io
import logging
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO

from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import ChunkedDataException
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeadersParserException

from pipeline.extract.dates import to_utc
from pipeline.net.fetcher import PAGE_TYPES, FetchError, parse_content_type
from pipeline.net.urls import BadUrlError, check_url
from pipeline.records import CandidateItem
from pipeline.sources.base import Interval, RawPayload, SourceContext, SourceError, stored_payload
from pipeline.sources.config import WarcSourceConfig

LOG = logging.getLogger(__name__)
WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")
# What reading one record's HTTP body can raise (bad chunking, a Content-Encoding that does not decode)
RECORD_ERRORS = (ChunkedDataException, zlib.error, OSError, EOFError, ValueError)
# What the archive iterator itself raises on a record it cannot frame: the rest of that file is lost
FILE_ERRORS = (ArchiveLoadFailed, StatusAndHeadersParserException, *RECORD_ERRORS)


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
    """The HTML responses of ``stream`` captured inside ``interval``; other records are passed over.

    An undated response belongs to the interval of the last date stated before it in the file (or to every
    interval when none was), so exactly one run of a backfill quarantines it.
    """
    last_date: datetime | None = None
    for record in ArchiveIterator(stream, arc2warc=True):
        stated = record.rec_headers.get_header("WARC-Date")
        captured = _warc_date(stated)
        last_date = captured or last_date
        if record.rec_type != "response":
            continue
        url = record.rec_headers.get_header("WARC-Target-URI") or ""
        if captured is None:
            if last_date is None or last_date in interval:
                yield WarcSkip(url, "bad_date", f"response record without a readable WARC-Date ({stated!r})")
        elif captured in interval:
            yield _page(record, url, captured, max_body_bytes)


def _page(record: ArcWarcRecord, url: str, captured: datetime, max_body_bytes: int) -> WarcPage | WarcSkip:
    """One response record of the interval as a page, or why it is none; never raises for one bad record."""
    if record.http_headers is None:
        return WarcSkip(url, "parse_error", "response record without HTTP headers")
    code = record.http_headers.get_statuscode() or ""
    if not code.isdigit():
        return WarcSkip(url, "parse_error", f"HTTP status line without a code: {record.http_headers.statusline!r}")
    if not 200 <= int(code) < 300:
        return WarcSkip(url, "http_status", f"archived HTTP {code}")
    media_type, _ = parse_content_type(record.http_headers.get_header("Content-Type"))
    if media_type not in PAGE_TYPES:
        return WarcSkip(url, "not_html", f"archived content type {media_type or 'missing'}")
    try:
        body = record.content_stream().read(max_body_bytes + 1)
    except RECORD_ERRORS as exc:
        return WarcSkip(url, "parse_error", f"unreadable archived body: {exc!r}")
    if len(body) > max_body_bytes:
        return WarcSkip(url, "too_large", f"archived body passes {max_body_bytes} bytes")
    return WarcPage(url, captured, body)


def warc_files(path: Path) -> list[Path]:
    """``path`` itself, or every .warc, .warc.gz, .arc and .arc.gz file under it, in name order."""
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise FileNotFoundError(f"{path} is neither a WARC/ARC file nor a folder")
    return sorted(p for p in path.rglob("*") if p.is_file() and p.name.lower().endswith(WARC_SUFFIXES))


class WarcSource:
    """WARC and ARC files; each interval takes the records captured inside it."""

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
                except (
                    ArchiveLoadFailed,
                    StatusAndHeadersParserException,
                    *RECORD_ERRORS,
                ) as exc:  # records before it are kept
                    ctx.reject(location, self.name, "parse_error", f"{location}: unreadable WARC/ARC: {exc}")
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
