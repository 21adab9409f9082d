"""A fetched page's article row: the core of normalize, and the only part of it that needs the extraction
libraries (trafilatura, htmldate, lingua), so the normalize stage imports this module only with pages to do."""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from datetime import datetime
from typing import Any, Protocol

from pipeline.extract.dates import PublishedAt, choose_published_at, page_published_at
from pipeline.extract.document import from_payload
from pipeline.extract.language import detect_language
from pipeline.extract.text import ExtractedPage, ExtractionError, clean_line, extract_document, extract_page
from pipeline.net.urls import BadUrlError, article_id, canonicalize_url, keyed_url, registrable_domain
from pipeline.records import Quarantined
from pipeline.settings import Settings
from pipeline.storage.raw import RawRefError, raw_kind


class RawReader(Protocol):
    """What normalize_or_quarantine needs of a store: a fetched page's payload by its reference."""

    def get_raw(self, ref: str) -> bytes: ...


# The fields of a row that extraction decides (the rest are keys, run bookkeeping and enrichment).
EXTRACT_FIELDS = (
    "url",
    "canonical_url",
    "canonical_claimed",
    "title",
    "summary",
    "authors",
    "published_at",
    "published_at_source",
    "published_at_local_date",
    "published_utc_offset_minutes",
    "published_date",
    "language",
    "word_count",
    "text",
)


def normalize_or_quarantine(
    store: RawReader, page: dict[str, Any], settings: Settings, run_id: str, canonical_domains: Collection[str] = ()
) -> dict[str, Any] | Quarantined:
    """normalize_page over a fetched page's stored payload; a failure comes back as its quarantine record."""
    try:
        return normalize_page(page, store.get_raw(page["raw_ref"]), settings, run_id, canonical_domains)
    except ExtractionError as exc:
        return Quarantined(page["url"], page["source_name"], "normalize", exc.reason_code, str(exc), page["raw_ref"])
    except (BadUrlError, RawRefError) as exc:
        return Quarantined(page["url"], page["source_name"], "normalize", "bad_url", str(exc), page["raw_ref"])
    except OSError as exc:
        return Quarantined(page["url"], page["source_name"], "normalize", "raw_missing", str(exc), page["raw_ref"])


def extract_one(
    payload: bytes, url: str, settings: Settings, *, feed_published_at: datetime | None, fetched_at: datetime
) -> dict[str, Any]:
    """What normalize makes of one page, as a JSON-ready object: the article's fields, or why it is rejected.

    The page goes through normalize_or_quarantine as a fetched page would (same extraction, dates, language),
    so an operator debugging a source, and the extraction evaluation, see exactly what the DAG would store.
    """
    page = {
        "url": url,
        "final_url": url,
        "source_name": "extract",
        "feed_url": None,
        "summary": None,
        "feed_published_at": feed_published_at,
        "fetched_at": fetched_at,
        "raw_ref": "extract",
    }
    outcome = normalize_or_quarantine(_PayloadStore(payload), page, settings, "extract")
    if isinstance(outcome, Quarantined):
        return {"url": url, "rejected": outcome.reason_code, "detail": outcome.reason_detail}
    return {key: outcome[key] for key in EXTRACT_FIELDS}


class _PayloadStore:
    """A RawReader over one payload already in memory (a page file given on the command line)."""

    def __init__(self, payload: bytes) -> None:
        self.payload = payload

    def get_raw(self, ref: str) -> bytes:
        return self.payload


def _content_hash(title: str, text: str) -> str:
    return hashlib.sha256(f"{title}\x1f{text}".encode()).hexdigest()


def normalize_page(
    page: dict[str, Any], payload: bytes, settings: Settings, run_id: str, canonical_domains: Collection[str] = ()
) -> dict[str, Any]:
    """An article row (not yet enriched) from a page's raw payload; raises ExtractionError or BadUrlError.

    One pass, in order: extract (the text and what the page states, cleaned and counted), the key (the URL
    canonicalized once), the date (chosen once), the row. The payload is a page's HTML, or a text article
    from a folder source (already split into fields), as :func:`_document` decides from the kind recorded
    in its raw_ref. A page's canonical URL on another domain is its key only for the source's
    ``canonical_domains``.
    """
    document = _document(page, payload)
    if document is not None:
        extracted = extract_document(document, page["url"], min_words=settings.min_words)
        canonical, refused = canonicalize_url(extracted.canonical_url or page["final_url"]), None
        published = choose_published_at(
            urls=(canonical,), metadata=extracted.published_at, feed=None, fetched_at=page["fetched_at"]
        )
    else:
        extracted = extract_page(payload, page["final_url"], min_words=settings.min_words)
        canonical, refused = keyed_url(extracted.canonical_url, page["final_url"], canonical_domains)
        published = page_published_at(
            payload,
            extracted.published_at,
            urls=(canonical, page["final_url"]),
            feed=page["feed_published_at"],
            fetched_at=page["fetched_at"],
        )
    return _article_row(page, extracted, canonical, refused, published, settings, run_id)


def _document(page: dict[str, Any], payload: bytes) -> dict[str, Any] | None:
    """A folder source's text article when the page's raw_ref was stored as a "document"; None for HTML.

    A document keys the article on the URL it states, unchecked, so only what a folder source recorded as
    one is read as one: a fetched page whose body looks like a document stays HTML. Raw zones written
    before the "document" kind stored documents under "page"; such a payload is still read as a document
    when it is a well-formed one naming the page's own URL (which is how the folder source wrote it), as it
    then keys the article on nothing but that URL. A page given on the command line (no raw_ref) is HTML.
    """
    kind = raw_kind(page["raw_ref"])
    if kind == "document":
        document = from_payload(payload)
        if document is None:
            raise ExtractionError(page["url"], "parse_error", "the stored document is not a well-formed article")
        return document
    if kind == "page":
        legacy = from_payload(payload)
        return legacy if legacy is not None and legacy.get("url") == page["final_url"] else None
    return None


def _article_row(
    page: dict[str, Any],
    extracted: ExtractedPage,
    canonical: str,
    refused: str | None,
    published: PublishedAt,
    settings: Settings,
    run_id: str,
) -> dict[str, Any]:
    """The row: the extracted fields as they are, the keys of the canonical URL, the chosen date."""
    key = article_id(canonical)
    return {
        "article_id": key,
        "url": page["url"],
        "canonical_url": canonical,
        "canonical_claimed": refused,
        "source_domain": registrable_domain(canonical),
        "source_name": page["source_name"],
        "feed_url": page["feed_url"],
        "title": extracted.title,
        "summary": extracted.summary or clean_line(page["summary"]) or None,
        "text": extracted.text,
        "language": detect_language(extracted.text, extracted.declared_language),
        "authors": extracted.authors,
        "published_at": published.utc,
        "published_at_source": published.source,
        "published_at_local_date": published.local_date,
        "published_utc_offset_minutes": published.offset_minutes,
        "published_date": published.utc.date(),
        "fetched_at": page["fetched_at"],
        "word_count": extracted.word_count,
        "actors": [],
        "locations": [],
        "countries": [],
        "ner_applied": False,
        "duplicate_cluster": key,
        "duplicate_of": None,
        "content_hash": _content_hash(extracted.title, extracted.text),
        "run_id": run_id,
        "pipeline_version": settings.pipeline_version,
        "raw_ref": page["raw_ref"],
    }
