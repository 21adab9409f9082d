"""The pipeline's stages as plain functions: paths and settings in, paths and counts out.

Each is the whole body of one Airflow task (and of one CLI step). They read the previous stage's
staging file, call the pure core, write the next staging file, and send every failure to quarantine.
Staging files are keyed by run, so a retried task overwrites its own output and nothing else.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from pipeline.conform import conform
from pipeline.dates import choose_published_at
from pipeline.extract import ExtractionError, extract_page
from pipeline.fetch import Fetcher, FetchError
from pipeline.language import detect_language
from pipeline.publish import MergeStats, publish_articles, record_quarantine
from pipeline.quarantine import to_table
from pipeline.records import CandidateItem, Enrichment, Quarantined
from pipeline.settings import Settings
from pipeline.sources.config import load_sources
from pipeline.sources.rss import FeedParseError, parse_feed
from pipeline.store import RawRefError, Store
from pipeline.urls import BadUrlError, article_id, canonicalize_url, registrable_domain
from pipeline.validate import row_problem, validate_batch
from schemas import ARTICLES

if TYPE_CHECKING:
    from pipeline.enrich import Enricher

LOG = logging.getLogger(__name__)
NER_LANGUAGES = frozenset({"en"})

CANDIDATES = pa.schema(
    [
        ("url", pa.string()),
        ("canonical_url", pa.string()),
        ("source_name", pa.string()),
        ("source_country", pa.string()),
        ("feed_url", pa.string()),
        ("title", pa.string()),
        ("summary", pa.string()),
        ("feed_published_at", pa.timestamp("us", tz="UTC")),
    ]
)
FETCHED = (
    CANDIDATES.append(pa.field("final_url", pa.string()))
    .append(pa.field("raw_ref", pa.string()))
    .append(pa.field("fetched_at", pa.timestamp("us", tz="UTC")))
)


@dataclass(frozen=True)
class Interval:
    """The data interval a run owns: [start, end)."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None or self.end < self.start:
            raise ValueError(f"bad data interval [{self.start}, {self.end})")


def _quarantine(store: Store, run_id: str, items: list[Quarantined]) -> int:
    if items:
        record_quarantine(store, to_table(items, run_id))
    return len(items)


def discover(settings: Settings, run_id: str, interval: Interval) -> str:
    """List candidate article URLs from every configured source; one row per canonical URL.

    Feeds are snapshots, not archives: an entry whose feed date is at or after the interval's end
    belongs to a later run and is left for it; undated entries and older ones are candidates (the
    MERGE on article_id makes seeing them again harmless).
    """
    store = Store.from_settings(settings)
    rows: dict[str, dict[str, Any]] = {}
    failed: list[Quarantined] = []
    with Fetcher(settings) as fetcher:
        for source in load_sources(settings.sources_file):
            try:
                response = fetcher.get(source.url, kind="feed")
                store.put_raw(run_id, "feed", response.body)
                items, skipped = parse_feed(response.body, source.url, source.name)
            except (FetchError, FeedParseError) as exc:
                failed.append(Quarantined(source.url, source.name, "discover", exc.reason_code, str(exc)))
                LOG.error("source %s failed as a whole: %s", source.name, exc)
                continue
            for note in skipped:
                failed.append(Quarantined(source.url, source.name, "discover", "bad_entry", note))
            for item in items:
                if item.published_at is not None and item.published_at >= interval.end:
                    continue
                _add_candidate(rows, item, source.country, failed)
    _quarantine(store, run_id, failed)
    LOG.info("discovered %d candidates, %d discovery failures", len(rows), len(failed))
    return store.write_rows(store.staging(run_id, "candidates"), list(rows.values()), CANDIDATES)


def _add_candidate(
    rows: dict[str, dict[str, Any]], item: CandidateItem, country: str | None, failed: list[Quarantined]
) -> None:
    try:
        canonical = canonicalize_url(item.url)
    except BadUrlError as exc:
        failed.append(Quarantined(item.url, item.source_name, "discover", "bad_url", str(exc)))
        return
    rows.setdefault(
        canonical,
        {
            "url": item.url,
            "canonical_url": canonical,
            "source_name": item.source_name,
            "source_country": country,
            "feed_url": item.feed_url,
            "title": item.title,
            "summary": item.summary,
            "feed_published_at": item.published_at,
        },
    )


def fetch(settings: Settings, run_id: str, candidates_path: str) -> str:
    """Download every candidate page once and keep the raw payload; failures go to quarantine."""
    store = Store.from_settings(settings)
    candidates = store.read_rows(candidates_path)
    fetched: list[dict[str, Any]] = []
    failed: list[Quarantined] = []
    with Fetcher(settings) as fetcher:
        results = fetcher.get_many([c["url"] for c in candidates], kind="page")
    for candidate, result in zip(candidates, results, strict=True):
        if isinstance(result, FetchError):
            failed.append(
                Quarantined(candidate["url"], candidate["source_name"], "fetch", result.reason_code, str(result))
            )
            continue
        raw_ref = store.put_raw(run_id, "page", result.body)
        fetched.append(
            {**candidate, "final_url": result.final_url, "raw_ref": raw_ref, "fetched_at": result.fetched_at}
        )
    _quarantine(store, run_id, failed)
    LOG.info("fetched %d pages, %d failed", len(fetched), len(failed))
    return store.write_rows(store.staging(run_id, "fetched"), fetched, FETCHED)


def _content_hash(title: str, text: str) -> str:
    return hashlib.sha256(f"{title}\x1f{text}".encode()).hexdigest()


def normalize_page(page: dict[str, Any], html: bytes, settings: Settings, run_id: str) -> dict[str, Any]:
    """An article row (not yet enriched) from a fetched page; raises ExtractionError or BadUrlError."""
    extracted = extract_page(html, page["final_url"], min_words=settings.min_words)
    canonical = canonicalize_url(extracted.canonical_url or page["final_url"])
    published_at, published_source = choose_published_at(
        metadata=extracted.published_at,
        feed=page["feed_published_at"],
        urls=(canonical, page["final_url"]),
        fetched_at=page["fetched_at"],
    )
    return {
        "article_id": article_id(canonical),
        "url": page["url"],
        "canonical_url": canonical,
        "source_domain": registrable_domain(canonical),
        "source_name": page["source_name"],
        "feed_url": page["feed_url"],
        "title": extracted.title,
        "summary": extracted.summary or page["summary"],
        "text": extracted.text,
        "language": detect_language(extracted.text),
        "authors": extracted.authors,
        "published_at": published_at,
        "published_at_source": published_source,
        "published_date": published_at.date(),
        "fetched_at": page["fetched_at"],
        "word_count": extracted.word_count,
        "actors": [],
        "locations": [],
        "countries": [],
        "content_hash": _content_hash(extracted.title, extracted.text),
        "run_id": run_id,
        "pipeline_version": settings.pipeline_version,
        "raw_ref": page["raw_ref"],
    }


def _write_articles(
    store: Store, run_id: str, name: str, rows: list[dict[str, Any]], stage: str, failed: list[Quarantined]
) -> str:
    """Enforce the published schema on the rows; misfits go to quarantine as schema_mismatch."""
    table, rejected = conform(rows, ARTICLES.schema)
    for reject in rejected:
        failed.append(
            Quarantined(
                str(reject.row.get("url")),
                str(reject.row.get("source_name")),
                stage,
                "schema_mismatch",
                reject.reason,
                reject.row.get("raw_ref"),
            )
        )
    _quarantine(store, run_id, failed)
    return store.write_table(store.staging(run_id, name), table)


def normalize(settings: Settings, run_id: str, fetched_path: str) -> str:
    """Extract text and metadata of every fetched page into typed article rows, one per article_id."""
    store = Store.from_settings(settings)
    rows: dict[str, dict[str, Any]] = {}
    failed: list[Quarantined] = []
    for page in store.read_rows(fetched_path):
        try:
            row = normalize_page(page, store.get_raw(page["raw_ref"]), settings, run_id)
        except ExtractionError as exc:
            failed.append(
                Quarantined(page["url"], page["source_name"], "normalize", exc.reason_code, str(exc), page["raw_ref"])
            )
            continue
        except (BadUrlError, RawRefError) as exc:
            failed.append(
                Quarantined(page["url"], page["source_name"], "normalize", "bad_url", str(exc), page["raw_ref"])
            )
            continue
        rows.setdefault(row["article_id"], row)
    LOG.info("normalized %d articles, %d failed", len(rows), len(failed))
    return _write_articles(store, run_id, "normalized", list(rows.values()), "normalize", failed)


_ENRICHERS: dict[str, Enricher] = {}


def _enricher(settings: Settings) -> Enricher:
    """One enricher per worker process and model: the spaCy model and gazetteer load once, then are
    reused by every later task the process runs."""
    from pipeline.enrich import Enricher

    if settings.spacy_model not in _ENRICHERS:
        LOG.info("loading enrichment resources for %s", settings.spacy_model)
        _ENRICHERS[settings.spacy_model] = Enricher.load(settings)
    return _ENRICHERS[settings.spacy_model]


def enrich_rows(rows: list[dict[str, Any]], enricher: Enricher, home_countries: list[str | None]) -> None:
    """Fill actors, locations and countries in place; languages without NER keep them empty."""
    targets = [i for i, row in enumerate(rows) if row["language"] in NER_LANGUAGES]
    results: list[Enrichment] = enricher.enrich_many(
        [rows[i]["text"] for i in targets], home_countries=[home_countries[i] for i in targets]
    )
    for index, enrichment in zip(targets, results, strict=True):
        rows[index]["actors"] = [vars(a) for a in enrichment.actors]
        rows[index]["locations"] = [vars(p) for p in enrichment.locations]
        rows[index]["countries"] = list(enrichment.countries)


def enrich(settings: Settings, run_id: str, normalized_path: str) -> str:
    """Add actors and locations to every article of the batch."""
    store = Store.from_settings(settings)
    rows = store.read_rows(normalized_path)
    if rows:
        homes = _home_countries(settings, rows)
        enrich_rows(rows, _enricher(settings), homes)
    return _write_articles(store, run_id, "enriched", rows, "enrich", [])


def _home_countries(settings: Settings, rows: list[dict[str, Any]]) -> list[str | None]:
    countries = {s.name: s.country for s in load_sources(settings.sources_file)}
    return [countries.get(row["source_name"]) for row in rows]


def validate(settings: Settings, run_id: str, enriched_path: str) -> str:
    """Quarantine rows with row-level problems, then gate the batch on the GX suites."""
    store = Store.from_settings(settings)
    table = store.read_table(enriched_path)
    keep: list[int] = []
    failed: list[Quarantined] = []
    for index, row in enumerate(table.to_pylist()):
        problem = row_problem(row)
        if problem is None:
            keep.append(index)
        else:
            failed.append(
                Quarantined(
                    row["url"],
                    row["source_name"],
                    "validate",
                    problem.reason_code,
                    f"{row['url']}: {problem.detail}",
                    row["raw_ref"],
                )
            )
    _quarantine(store, run_id, failed)
    table = table.take(keep)
    validate_batch(table)
    return store.write_table(store.staging(run_id, "validated"), table)


def publish(settings: Settings, run_id: str, validated_path: str) -> dict[str, int]:
    """Merge the validated batch into the published table; returns the table version and row counts."""
    store = Store.from_settings(settings)
    stats: MergeStats = publish_articles(store, store.read_table(validated_path), run_id)
    LOG.info("published: %s", stats)
    return vars(stats)


def report(settings: Settings, run_id: str, paths: dict[str, str], published: dict[str, int]) -> str:
    """Write the run summary (JSON) and log it in plain text; returns the summary's path."""
    from pipeline.report import format_summary, summarize, write_summary

    store = Store.from_settings(settings)
    summary = summarize(store, run_id, paths, published)
    LOG.info("run summary\n%s", format_summary(summary))
    return write_summary(store, summary)


def discover_interval(settings: Settings, run_id: str, start: datetime | None, end: datetime | None) -> str:
    """discover() for a task that receives the interval bounds as Airflow passes them."""
    if start is None or end is None:
        raise ValueError("news_ingest runs need a data interval; use an interval timetable")
    return discover(settings, run_id, Interval(start, end))


STAGES: dict[str, Callable[..., Any]] = {
    "discover": discover_interval,
    "fetch": fetch,
    "normalize": normalize,
    "enrich": enrich,
    "validate": validate,
    "publish": publish,
    "report": report,
}


def run_stage(name: str, run_id: str | None, *args: Any) -> Any:
    """Entry point of every Airflow task: load settings at the edge, then run one stage."""
    from pipeline.settings import load_settings

    if not run_id:
        raise ValueError(f"stage {name} needs the run id Airflow passes to the task")
    return STAGES[name](load_settings(), run_id, *args)
