"""Publication dates: from the URL, the page's metadata, the feed, a search of the page, or the fetch time.

The precedence, which ``published_at_source`` records and htmldate's evaluation set justifies (README,
"Extraction quality"):

1. ``url``: a /YYYY/MM/DD/ day in the URL path. Publishers write the URL once, when the story first goes
   out, so it names the original day; page metadata is often the last update, or a template's date.
   When the metadata states a time on that same day, that time is kept (and the source is ``metadata``);
   so is a time on a later day within a week, wherever the publisher is (:func:`_published_after`): the
   URL was written when the story was drafted, the metadata says when it went out.
2. ``metadata``: what the page states about itself (JSON-LD ``datePublished``, ``article:published_time``
   and the other meta tags, ``<time>``), read by htmldate with ``original_date`` (the first publication,
   not the update). Corrections (:func:`metadata_stated`): a day alone gives way to a timed schema.org
   ``datePublished`` (JSON-LD, else the first microdata element) or JSON-LD ``dateCreated``, else to the
   day the text labels as the publication ("Veröffentlicht am 16.08.2019", :func:`labelled_publication`);
   without any publication field the day the body's ``<time>`` elements show beats a generic ``date`` or
   ``og:updated_time`` tag; a schema.org ``datePublished`` htmldate cannot read (e-mail style, "Tue, Sep
   15 2020 10:01:41 EDT") dates a page it finds nothing in.
3. ``feed``: the feed entry's date, close to publication but often the time the entry was (re)written.
4. ``page_search``: htmldate's extensive search of the markup and the text (date patterns, a copyright
   line, ...); weaker, so it comes after the feed, and runs only when nothing above gave a date; kept
   between the start of a month a URL names without a day and the end of the next (:func:`searched_date`).
5. ``fetched_fallback``: the fetch time, a bound rather than a date.

Every date is kept as stated: its UTC instant is ``published_at`` (the partition), and the page's own day
and UTC offset are kept beside it, because a story published at 23:30 in New York is dated the next day
in UTC while the publisher (and every reader there) calls it that day. A date stated without an offset is
taken as UTC for ``published_at`` and its offset is unknown (None). A time stated in UTC takes the
offset the page writes the same instant in elsewhere (ISO 8601 or e-mail style), see :func:`local_rendering`.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import MAXYEAR, UTC, date, datetime, time, timedelta, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import htmldate
from htmldate.extractors import try_date_expr

from pipeline.extract.date_labels import LABEL_PREPOSITIONS, PUBLICATION_LABELS
from pipeline.records import PublishedAtSource

# A one-digit day only before a slash or the end: "/2023/10/3-fragen-an" is a slug, not October 3rd.
URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-](0?[1-9]|1[0-2])[/-](0[1-9]|[12]\d|3[01]|[1-9](?=/|$))(?=[/_.-]|$)")
# A year and month alone in the URL path ("/news/2011/12/slug"): the story's month, not its day.
URL_MONTH = re.compile(r"/((?:19|20)\d{2})/(0?[1-9]|1[0-2])(?=/|$)")
# A timestamp anywhere in the markup: date, time, optional seconds and fraction, optional offset.
STAMP = re.compile(rb"(\d{4}-\d\d-\d\d[T ]\d\d:\d\d(?::\d\d)?)(?:\.\d+)?\s?(Z|[+-]\d\d:?\d\d)?")
# An e-mail style (RFC 2822) timestamp with its zone, as feeds and some meta tags and JSON-LD write one:
# "Sat, 19 Oct 2019 00:04:00 +0200", "Tue, Sep 15 2020 10:01:41 EDT" (day and month in either order).
MAIL_STAMP = re.compile(
    rb"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (?:\d\d? [A-Z][a-z]{2}|[A-Z][a-z]{2} \d\d?),? \d{4} \d\d:\d\d(?::\d\d)?"
    rb" (?:[+-]\d{4}|GMT|UTC?|[ECMP][SD]T)\b"
)
MAX_OFFSET = timedelta(hours=14)
SAME_INSTANT = timedelta(minutes=1)
# Fields that state a first publication, in meta tags or JSON-LD (matched lower-cased: an alternation under
# IGNORECASE reads a page six times slower): a page naming one is dated by its metadata.
PUBLICATION_FIELD = re.compile(
    rb"(?:article:|og:)published_time|date(?:published|created)|pub_?date|publish(?:ed)?_?date"
    rb"|date\.issued|date\.created|dcterms\.created|sailthru\.date|parsely-pub-date"
)
JSON_LD = re.compile(rb"<script[^>]*application/ld\+json[^>]*>(.*?)</script>", re.IGNORECASE | re.DOTALL)
BODY = re.compile(rb"<body\b", re.IGNORECASE)
# A JSON-LD first publication (datePublished preferred to dateCreated); only a value with a clock time counts.
JSON_LD_PUBLISHED = re.compile(rb'"(datePublished|dateCreated)"\s*:\s*"([^"]{10,40})"')
# datePublished in microdata: an element naming it in its itemprop, its value in content or datetime.
MICRODATA_PUBLISHED = re.compile(rb"<[a-z]+\b[^>]*?\bitemprop\s*=\s*[\"']datePublished[\"'][^>]*>")
MICRODATA_VALUE = re.compile(rb"\b(?:content|datetime)\s*=\s*[\"']([^\"']{10,40})[\"']")
# A date in the page's text right after a publication label ("Veröffentlicht am 16.08.2019"): up to 40
# characters for htmldate's expression parser to read the first date in.
LABELLED = re.compile(
    rf"\b(?:{'|'.join(PUBLICATION_LABELS)})\b(?:\s+(?:{'|'.join(LABEL_PREPOSITIONS)})\b)?\s*:?\s*(\S.{{5,39}})",
    re.IGNORECASE,
)
SCRIPT_OR_STYLE = re.compile(rb"<(script|style)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
TAG = re.compile(rb"<[^>]*>")
SPACES = re.compile(r"\s+")
TIME_ELEMENT = re.compile(rb"<time\b[^>]*?\bdatetime\s*=\s*[\"']?\s*([0-9][0-9T:+. -]{9,31}Z?)", re.IGNORECASE)
EARLIEST = datetime(1995, 1, 1, tzinfo=UTC)
# The bounds htmldate's expression parser checks a day against (naive, as it reads days); the fetch time
# bounds it later (:func:`plausible`).
EARLIEST_DAY, LATEST_DAY = EARLIEST.replace(tzinfo=None), datetime(MAXYEAR - 1, 12, 31)
CLOCK_SKEW = timedelta(days=1)
PUBLISHED_AFTER_URL = timedelta(days=7)
# Hawaii's UTC-10:00: no offset further west has a newsroom (the -11:00 and -12:00 zones are islets).
WESTERNMOST = timedelta(hours=-10)
HTMLDATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"
NAIVE_FORMAT = "%Y-%m-%dT%H:%M:%S"
# What htmldate is asked for the metadata date (trafilatura passes it on, so the page is parsed once): the
# original date with the page's own offset, and a date in the URL only once the page states none.
METADATA_DATE_PARAMS = {
    "extensive_search": False,
    "original_date": True,
    "outputformat": HTMLDATE_FORMAT,
    "deferred_url_extractor": True,
}


@dataclass(frozen=True)
class PublishedAt:
    """A publication time as stored: the UTC instant, the page's own day and offset, and where it came from."""

    utc: datetime
    local_date: date
    offset_minutes: int | None
    source: PublishedAtSource


def to_utc(value: datetime) -> datetime:
    """Aware UTC datetime; a naive value is taken to be UTC already."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def parse_htmldate(found: str | None) -> datetime | None:
    """htmldate's output as a datetime in the offset the page stated (naive when it stated none)."""
    if not found:
        return None
    for layout in (HTMLDATE_FORMAT, NAIVE_FORMAT, "%Y-%m-%d"):
        try:
            return datetime.strptime(found, layout)
        except ValueError:
            continue
    return None


def page_date(html: str | bytes, *, extensive: bool, within: tuple[date, date] | None = None) -> datetime | None:
    """The original publication time the page states, as stated; ``extensive`` also searches markup and text.

    The URL heuristics are off (an unreachable ``url``, the deferred URL extractor): a date found in a URL
    is reported as ``url``, never as the page's own. A page lxml refuses to clean (control characters in
    its text) states no date that can be read. ``within`` bounds the search to those days (inclusive).
    """
    first, last = within if within is not None else (None, None)
    try:
        found = htmldate.find_date(
            html,
            extensive_search=extensive,
            original_date=True,
            outputformat=HTMLDATE_FORMAT,
            url="about:blank",
            deferred_url_extractor=True,
            min_date=first.isoformat() if first else None,
            max_date=last.isoformat() if last else None,
        )
    except ValueError:
        return None
    return parse_htmldate(found)


def metadata_date(html: str | bytes) -> datetime | None:
    """Publication time the page's own metadata states (meta tags, JSON-LD, <time>), in UTC."""
    found = page_date(html, extensive=False)
    return to_utc(found) if found is not None else None


def _in_era(value: datetime) -> bool:
    """Whether a stamp is of the web's news era: one of year 1 or 9999 cannot even be moved to UTC."""
    return EARLIEST.year <= value.year < MAXYEAR


def _mail_stamp(text: bytes) -> datetime | None:
    try:
        return parsedate_to_datetime(text.replace(b",", b" ").decode("ascii"))
    except ValueError:
        return None


def _stamps(html: bytes) -> list[datetime]:
    """Every timestamp the markup writes: ISO 8601 ones, then e-mail style ones (always with a zone)."""
    found = []
    for match in STAMP.finditer(html):
        text = match.group(1).decode("ascii").replace(" ", "T") + (match.group(2) or b"").decode("ascii")
        try:
            found.append(datetime.fromisoformat(text))
        except ValueError:
            continue
    found += [stamp for match in MAIL_STAMP.finditer(html) if (stamp := _mail_stamp(match.group(0))) is not None]
    return [stamp for stamp in found if _in_era(stamp)]


def local_rendering(value: datetime, html: bytes) -> datetime:
    """A UTC-stated time in the publisher's own offset, when the page also writes that instant locally.

    Many sites state ``...Z`` in their metadata and show local time elsewhere (``<time datetime>``, a
    second JSON-LD field, a meta tag in e-mail style "Sat, 19 Oct 2019 00:04:00 +0200", a naive
    "2020-12-06 00:15" beside "2020-12-05T23:15Z"); the local day is the one
    the publisher and its readers call the story's. A naive stamp counts when it is the same clock reading
    shifted by a whole quarter-hour offset within ±14 h (the minutes match).
    """
    if value.utcoffset() != timedelta(0):
        return value
    utc = value.replace(tzinfo=None)
    for stamp in _stamps(html):
        offset = stamp.utcoffset()
        if offset is not None:
            if offset and abs(stamp.astimezone(UTC).replace(tzinfo=None) - utc) < SAME_INSTANT:
                return value.astimezone(stamp.tzinfo)
            continue
        shift = stamp - utc.replace(second=stamp.second, microsecond=0)
        quarters, rest = divmod(shift, timedelta(minutes=15))
        if not rest and quarters and abs(shift) <= MAX_OFFSET:
            return value.astimezone(timezone(shift))
    return value


def _time_elements(body: bytes) -> list[datetime]:
    found = []
    for match in TIME_ELEMENT.finditer(body):
        text = match.group(1).decode("ascii").strip()
        try:
            found.append(datetime.fromisoformat(text))
        except ValueError:
            try:
                found.append(datetime.fromisoformat(text[:10]))
            except ValueError:
                continue
    return [value for value in found if _in_era(value)]


def shown_date(html: bytes, found: datetime) -> datetime:
    """The date the page shows its readers, when its metadata names no publication field.

    Without ``datePublished``, ``article:published_time`` or a kin (:data:`PUBLICATION_FIELD`) in the head or
    JSON-LD, what htmldate reads from the head is a generic ``date``, ``DCTERMS.date`` or ``og:updated_time``,
    which content systems set to the last edit; a body whose ``<time datetime>`` elements all name one day
    shows the story's own date, and that day is kept (htmldate's set: 5 pages right, none lost).
    """
    start = BODY.search(html)
    head, body = (html[: start.start()], html[start.start() :]) if start else (html, html)
    shown = _time_elements(body)
    if not shown or len({value.date() for value in shown}) != 1 or shown[0].date() == found.date():
        return found
    if any(PUBLICATION_FIELD.search(part.lower()) for part in (head, *JSON_LD.findall(body))):
        return found
    return shown[0]


def day_alone(value: datetime) -> bool:
    """Whether a stated date is a day without a time of day: no offset and midnight, as htmldate reports a
    date-only field."""
    return value.utcoffset() is None and value.time() == time(0)


def labelled_publication(html: bytes) -> datetime | None:
    """The first day the page's text labels as a publication ("Veröffentlicht am 16.08.2019", "Published 7
    April 2020": :data:`LABELLED`), read by htmldate's expression parser; None when the text labels none.

    :func:`metadata_stated` asks for it only when the metadata gives a day alone: a date-only field (a bare
    ``<meta name="date">``, a ``DC.date``) is what content systems set on every edit, while the label the
    newsroom prints over the story names its publication. A timed metadata date is stated with care and is
    kept, as the first labelled date in a page's text can be a teaser's.
    """
    start = BODY.search(html)
    body = html[start.start() :] if start else html
    text = SPACES.sub(" ", TAG.sub(b" ", SCRIPT_OR_STYLE.sub(b" ", body)).decode("utf-8", "replace"))
    for match in LABELLED.finditer(text):
        if (day := try_date_expr(match.group(1), "%Y-%m-%d", False, EARLIEST_DAY, LATEST_DAY)) is not None:
            return datetime.fromisoformat(day)
    return None


def timed_publication(html: bytes, found: datetime) -> datetime:
    """A schema.org publication with its clock time (:func:`schema_publication`), when htmldate's pick is a
    day alone on another day: a bare ``date`` tag or a date-only field is the less precise statement, often
    the print edition's or the last edit's day (README: measured on htmldate's set)."""
    if not day_alone(found):
        return found
    first = schema_publication(html)
    return first if first is not None and first.date() != found.date() else found


def schema_publication(html: bytes) -> datetime | None:
    """The first timed schema.org ``datePublished`` (else ``dateCreated``), ISO 8601 or e-mail style, from
    the JSON-LD; else the timed value of the first microdata element whose ``itemprop`` is
    ``datePublished`` (its ``content`` or ``datetime``: later ones, and ``dateCreated``, are often teasers)."""
    stamps: dict[bytes, list[datetime]] = {b"datePublished": [], b"dateCreated": []}
    for block in JSON_LD.findall(html):
        for match in JSON_LD_PUBLISHED.finditer(block):
            stamps[match.group(1)].extend(_stamps(match.group(2))[:1])
    if not stamps[b"datePublished"] and (element := MICRODATA_PUBLISHED.search(html)) is not None:
        stamps[b"datePublished"] = _stamps(b" ".join(MICRODATA_VALUE.findall(element.group(0))))[:1]
    return next(iter(stamps[b"datePublished"] or stamps[b"dateCreated"]), None)


def metadata_stated(html: bytes, found: datetime | None) -> datetime | None:
    """What htmldate found in the page's metadata, in the publisher's offset (:func:`local_rendering`): a
    schema.org publication time rather than a day alone (:func:`timed_publication`), else the day the text
    labels as the publication (:func:`labelled_publication`), the date the page shows when the metadata
    names no publication field (:func:`shown_date`), a schema.org publication htmldate cannot read when it
    found nothing.

    A day alone gives way to the labelled day before the ``<time>`` elements are read: those show
    comments' and teasers' days as well.

    htmldate already ranks JSON-LD, meta tags and ``<time>``; preferring JSON-LD ``datePublished`` over its
    pick was tried and is worse on htmldate's set (413 against 421 right of the 448 pages that have one).
    """
    if found is None:
        found = schema_publication(html)
    if found is None:
        return None
    found = timed_publication(html, found)
    labelled = labelled_publication(html) if day_alone(found) else None
    return local_rendering(labelled or shown_date(html, found), html)


def url_date(url: str) -> datetime | None:
    """Midnight UTC of a /YYYY/MM/DD/ (or YYYY-MM-DD) date in the URL path, if it is a real date."""
    try:
        match = URL_DATE.search(urlsplit(url).path)
    except ValueError:  # not a parseable URL: no date in it
        return None
    if not match:
        return None
    try:
        day = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None
    return datetime.combine(day, time(0), tzinfo=UTC)


def plausible(value: datetime | None, fetched_at: datetime) -> datetime | None:
    """The value as given, or None for a date before the web's news era or after the fetch (a day of clock
    skew is tolerated)."""
    if value is None:
        return None
    return value if EARLIEST <= to_utc(value) <= to_utc(fetched_at) + CLOCK_SKEW else None


def stated(value: datetime, source: PublishedAtSource) -> PublishedAt:
    """A date as its source stated it: UTC instant, the day where it was written, its offset if stated."""
    offset = value.utcoffset()
    minutes = None if offset is None else int(offset.total_seconds() // 60)
    return PublishedAt(to_utc(value), value.date(), minutes, source)


def _published_after(metadata: datetime, url_day: date) -> bool:
    """Whether the metadata states a time within a week after the URL's day, on a later day wherever the
    publisher is: the URL was written when the story was drafted, and it went out that later day.

    A time in the publisher's own offset (or naive, a local clock reading) is on its own day; one stated in
    UTC is read in the westernmost offset news is published in (:data:`WESTERNMOST`), as a story out at
    02:25 UTC is still the evening before in the Americas.
    """
    if day_alone(metadata):
        return False  # a day alone says nothing about the time of day it went out
    day = (metadata + WESTERNMOST).date() if metadata.utcoffset() == timedelta(0) else metadata.date()
    return timedelta(0) < day - url_day <= PUBLISHED_AFTER_URL


def choose_published_at(
    *,
    urls: tuple[str, ...],
    metadata: datetime | None,
    feed: datetime | None,
    fetched_at: datetime,
    search: Callable[[], datetime | None] | None = None,
) -> PublishedAt:
    """The best available publication time by the module's precedence; ``search`` runs only when needed."""
    metadata = plausible(metadata, fetched_at)
    for url in urls:
        if (day := plausible(url_date(url), fetched_at)) is not None:
            # a bare midnight is a day alone, the URL's own (htmldate reads URLs once the page states nothing)
            timed = metadata is not None and not day_alone(metadata)
            if metadata is not None and timed and metadata.date() == day.date():
                return stated(metadata, "metadata")
            if metadata is not None and _published_after(metadata, day.date()):
                return stated(metadata, "metadata")
            return stated(day.replace(tzinfo=None), "url")
    if metadata is not None:
        return stated(metadata, "metadata")
    if (found := plausible(feed, fetched_at)) is not None:
        return stated(to_utc(found).replace(tzinfo=None), "feed")  # held in UTC: the feed's own offset is lost
    if search is not None and (found := plausible(search(), fetched_at)) is not None:
        return stated(found, "page_search")
    fetched = to_utc(fetched_at)
    return PublishedAt(fetched, fetched.date(), None, "fetched_fallback")


def url_month(urls: tuple[str, ...]) -> tuple[date, date] | None:
    """The first and last day of a year and month the URL path names without a day, if one does."""
    for url in urls:
        try:
            match = URL_MONTH.search(urlsplit(url).path)
        except ValueError:
            continue
        if match:
            year, month = int(match.group(1)), int(match.group(2))
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    return None


def searched_date(html: bytes, urls: tuple[str, ...]) -> datetime | None:
    """htmldate's extensive search of the page, checked against the month the URL names without a day.

    The story was filed that month and goes out in it or soon after: a result from that month to the end of
    the next is kept; one before it (written before the story existed) or later (a copyright year, another
    story's date, an update) is searched for again within the URL's month.
    """
    found = page_date(html, extensive=True)
    month = url_month(urls)
    if found is None or month is None or month[0] <= found.date() <= _end_of_next_month(month[1]):
        return found
    return page_date(html, extensive=True, within=month) or found


def _end_of_next_month(last: date) -> date:
    """The last day of the month after the one ``last`` ends."""
    following = last + timedelta(days=1)
    return following.replace(day=calendar.monthrange(following.year, following.month)[1])


def page_published_at(
    html: bytes, stated: datetime | None, *, urls: tuple[str, ...], feed: datetime | None, fetched_at: datetime
) -> PublishedAt:
    """A page's publication time, chosen once: what its metadata states (:func:`metadata_stated`) in the
    precedence of :func:`choose_published_at`, with the page search run only when nothing else dates it."""
    return choose_published_at(
        urls=urls,
        metadata=metadata_stated(html, stated),
        feed=feed,
        fetched_at=fetched_at,
        search=lambda: searched_date(html, urls),
    )
