"""The pipeline's stages as plain functions: paths and settings in, paths and counts out.

Each is the whole body of one Airflow task (and of one CLI step). They read the previous stage's
staging file, call the pure core, write the next staging file, and send every failure to quarantine.
Staging files are keyed by run, so a retried task overwrites its own output and nothing else.
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from pipeline.conform import conform
from pipeline.dates import choose_published_at, to_utc
from pipeline.extract import ExtractionError, count_words, extract_page
from pipeline.fetch import Fetcher, FetchError, interleave_by_host
from pipeline.language import detect_language
from pipeline.publish import (
    MergeStats,
    merge,
    publish_articles,
    quarantined_in_run,
    record_quarantine,
    record_source_yield,
    source_yield_history,
    verify_published_table,
)
from pipeline.published import already_published
from pipeline.quarantine import to_table
from pipeline.records import CandidateItem, Enrichment, Quarantined
from pipeline.settings import Settings
from pipeline.sources.base import Interval, RawPayload, Source, SourceContext, SourceError, build_source
from pipeline.sources.config import load_sources
from pipeline.sources.local import from_payload
from pipeline.sources.status import SourceStatus, Status, count_already_published, write_source_status
from pipeline.store import RawRefError, Store
from pipeline.urls import BadUrlError, article_id, canonicalize_url, registrable_domain
from pipeline.validate import (
    PublishedTableInvalid,
    check_batch,
    published_window,
    raise_for_failures,
    row_problem,
    source_profile,
)
from schemas import ARTICLES, GDELT

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
        ("stored_raw_ref", pa.string()),
        ("captured_at", pa.timestamp("us", tz="UTC")),
    ]
)
FETCHED = (
    CANDIDATES.append(pa.field("final_url", pa.string()))
    .append(pa.field("raw_ref", pa.string()))
    .append(pa.field("fetched_at", pa.timestamp("us", tz="UTC")))
)


def _quarantine(store: Store, run_id: str, items: list[Quarantined]) -> int:
    if items:
        record_quarantine(store, to_table(items, run_id))
    return len(items)


def discover(settings: Settings, run_id: str, interval: Interval) -> str:
    """List the interval's candidate articles from every configured source; one row per canonical URL.

    Each source decides what belongs to the interval (feeds: entries dated before its end; GDELT, WARC
    and folders: items of the interval only). A source that fails as a whole is quarantined, logged as
    an error and marked ``failed`` in the run's source status file; the other sources go on. GDELT's
    own metadata is merged into the ``gdelt`` table here, whether or not the pages are fetched.
    """
    store = Store.from_settings(settings)
    rows: dict[str, dict[str, Any]] = {}
    gdelt: dict[str, dict[str, Any]] = {}
    failed: list[Quarantined] = []
    statuses: list[SourceStatus] = []
    with Fetcher(settings) as fetcher:
        for config in load_sources(settings.sources_file):
            source = build_source(config)
            ctx = SourceContext(settings, store, fetcher, run_id)
            try:
                items = list(source.discover(interval, ctx))
            except SourceError as exc:
                LOG.error("source %s failed as a whole: %s", config.name, exc)
                ctx.reject(exc.location, config.name, exc.reason_code, str(exc))
                failed += ctx.failures
                statuses.append(SourceStatus(config.name, config.kind, "failed", 0, 0, len(ctx.failures), str(exc)))
                continue
            before, before_gdelt = len(rows), len(gdelt)
            for item in items:
                if item.gdelt is not None:
                    _add_gdelt(gdelt, item, run_id, ctx)
                if source.yields_pages:
                    _add_candidate(rows, item, config.country, ctx)
            failed += ctx.failures
            status: Status = "not_modified" if config.name in ctx.notes else "ok"
            metadata_only = 0 if source.yields_pages else len(gdelt) - before_gdelt
            statuses.append(
                SourceStatus(
                    config.name,
                    config.kind,
                    status,
                    len(rows) - before,
                    metadata_only,
                    len(ctx.failures),
                    ctx.notes.get(config.name),
                )
            )
    if gdelt:
        merge(
            store,
            GDELT,
            pa.Table.from_pylist(list(gdelt.values()), schema=GDELT.schema),
            update_when_changed="t.gdelt_record_id <> s.gdelt_record_id",
        )
    _quarantine(store, run_id, failed)
    write_source_status(store, run_id, statuses)
    for st in statuses:
        log = LOG.error if st.status == "failed" else LOG.info
        log("source %s (%s): %s, %d candidates, %d metadata-only, %d rejected", *_status_fields(st))
    LOG.info("discovered %d candidates, %d discovery failures", len(rows), len(failed))
    return store.write_rows(store.staging(run_id, "candidates"), list(rows.values()), CANDIDATES)


def _status_fields(st: SourceStatus) -> tuple[object, ...]:
    return (st.source_name, st.kind, st.status, st.candidates, st.metadata_only, st.rejected)


def _add_candidate(
    rows: dict[str, dict[str, Any]], item: CandidateItem, country: str | None, ctx: SourceContext
) -> None:
    try:
        canonical = canonicalize_url(item.url)
    except BadUrlError as exc:
        ctx.reject(item.url, item.source_name, "bad_url", str(exc))
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
            "stored_raw_ref": item.raw_ref,
            "captured_at": item.fetched_at,
        },
    )


def _add_gdelt(rows: dict[str, dict[str, Any]], item: CandidateItem, run_id: str, ctx: SourceContext) -> None:
    """One row of GDELT's metadata per article_id (first listing wins within a run)."""
    meta = item.gdelt
    if meta is None:
        return
    try:
        canonical = canonicalize_url(item.url)
    except BadUrlError as exc:
        ctx.reject(item.url, item.source_name, "bad_url", str(exc))
        return
    rows.setdefault(
        article_id(canonical),
        {
            "article_id": article_id(canonical),
            "url": item.url,
            "canonical_url": canonical,
            "source_name": item.source_name,
            "gdelt_record_id": meta.record_id,
            "gdelt_date": meta.date,
            "source_common_name": meta.source_common_name,
            "page_title": meta.page_title,
            "persons": meta.persons,
            "organizations": meta.organizations,
            "locations": [vars(loc) for loc in meta.locations],
            "themes": meta.themes,
            "tone": meta.tone,
            "gdelt_file": meta.file_url,
            "run_id": run_id,
        },
    )


def _candidate_item(row: dict[str, Any]) -> CandidateItem:
    return CandidateItem(
        url=row["url"],
        source_name=row["source_name"],
        feed_url=row["feed_url"],
        title=row["title"],
        summary=row["summary"],
        published_at=row["feed_published_at"],
        raw_ref=row["stored_raw_ref"],
        fetched_at=row["captured_at"],
    )


def fetch(settings: Settings, run_id: str, candidates_path: str, refetch: bool | None = None) -> str:
    """Get every candidate's page once (web sources through the Fetcher, archives from the raw zone).

    Articles already in the published table are skipped unless ``refetch`` (default: the setting) asks
    for them; failures go to quarantine with the fetcher's reason code.
    """
    store = Store.from_settings(settings)
    candidates = store.read_rows(candidates_path)
    if not (settings.refetch if refetch is None else refetch):
        known = already_published(store, [c["url"] for c in candidates], [c["canonical_url"] for c in candidates])
        seen = [c["url"] in known or c["canonical_url"] in known for c in candidates]
        skipped = Counter(c["source_name"] for c, old in zip(candidates, seen, strict=True) if old)
        LOG.info("%d candidates already published, not fetched again (refetch off)", sum(skipped.values()))
        count_already_published(store, run_id, dict(skipped))
        candidates = [c for c, old in zip(candidates, seen, strict=True) if not old]
    sources = {c.name: build_source(c) for c in load_sources(settings.sources_file)}
    with Fetcher(settings) as fetcher:
        ctx = SourceContext(settings, store, fetcher, run_id, stage="fetch")
        results = _fetch_all(candidates, sources, ctx)
    fetched: list[dict[str, Any]] = []
    for candidate, result in zip(candidates, results, strict=True):
        if isinstance(result, FetchError):
            ctx.reject(candidate["url"], candidate["source_name"], result.reason_code, str(result))
            continue
        raw_ref = store.put_raw(run_id, "page", result.body)
        fetched.append(
            {**candidate, "final_url": result.final_url, "raw_ref": raw_ref, "fetched_at": result.fetched_at}
        )
    _quarantine(store, run_id, ctx.failures)
    LOG.info("fetched %d pages, %d failed", len(fetched), len(ctx.failures))
    return store.write_rows(store.staging(run_id, "fetched"), fetched, FETCHED)


def _fetch_all(
    candidates: list[dict[str, Any]], sources: dict[str, Source], ctx: SourceContext
) -> list[RawPayload | FetchError]:
    """Each candidate through its source's ``fetch``, concurrently (the Fetcher enforces the caps)."""

    def one(candidate: dict[str, Any]) -> RawPayload | FetchError:
        source = sources.get(candidate["source_name"])
        if source is None:
            return FetchError(candidate["url"], "unknown_source", f"source {candidate['source_name']!r} is gone")
        try:
            return source.fetch(_candidate_item(candidate), ctx)
        except FetchError as exc:
            return exc
        except (RawRefError, OSError) as exc:
            return FetchError(candidate["url"], "raw_missing", f"stored payload unreadable: {exc}")

    if not candidates:
        return []
    order = interleave_by_host([c["url"] for c in candidates])
    with ThreadPoolExecutor(max_workers=ctx.settings.global_concurrency, thread_name_prefix="fetch") as pool:
        futures = {index: pool.submit(one, candidates[index]) for index, _ in order}
        return [futures[index].result() for index in range(len(candidates))]


def _content_hash(title: str, text: str) -> str:
    return hashlib.sha256(f"{title}\x1f{text}".encode()).hexdigest()


def normalize_page(page: dict[str, Any], payload: bytes, settings: Settings, run_id: str) -> dict[str, Any]:
    """An article row (not yet enriched) from a page's raw payload; raises ExtractionError or BadUrlError.

    The payload is a page's HTML, or a text article from a folder source (already split into fields).
    """
    document = from_payload(payload)
    if document is not None:
        return _document_row(page, document, settings, run_id)
    extracted = extract_page(payload, page["final_url"], min_words=settings.min_words)
    canonical = canonicalize_url(extracted.canonical_url or page["final_url"])
    published = choose_published_at(
        metadata=extracted.published_at,
        feed=page["feed_published_at"],
        urls=(canonical, page["final_url"]),
        fetched_at=page["fetched_at"],
    )
    content = {
        "title": extracted.title,
        "summary": extracted.summary or page["summary"],
        "text": extracted.text,
        "authors": extracted.authors,
        "word_count": extracted.word_count,
    }
    return _article_row(page, canonical, content, published, settings, run_id)


def _document_row(page: dict[str, Any], doc: dict[str, Any], settings: Settings, run_id: str) -> dict[str, Any]:
    """A text article's row: its fields are taken as they are; a stated date counts as metadata."""
    text, title = (doc.get("text") or "").strip(), (doc.get("title") or "").strip()
    words = count_words(text)
    if words < settings.min_words:
        raise ExtractionError(page["url"], "empty_text", f"text has {words} words, fewer than {settings.min_words}")
    if not title:
        raise ExtractionError(page["url"], "no_title", "the article has no title")
    canonical = canonicalize_url(doc.get("url") or page["final_url"])
    stated = to_utc(datetime.fromisoformat(doc["published_at"])) if doc.get("published_at") else None
    published = choose_published_at(metadata=stated, feed=None, urls=(canonical,), fetched_at=page["fetched_at"])
    content = {
        "title": title,
        "summary": doc.get("summary") or page["summary"],
        "text": text,
        "authors": list(doc.get("authors") or []),
        "word_count": words,
    }
    return _article_row(page, canonical, content, published, settings, run_id)


def _article_row(
    page: dict[str, Any],
    canonical: str,
    content: dict[str, Any],
    published: tuple[datetime, str],
    settings: Settings,
    run_id: str,
) -> dict[str, Any]:
    published_at, published_source = published
    return {
        "article_id": article_id(canonical),
        "url": page["url"],
        "canonical_url": canonical,
        "source_domain": registrable_domain(canonical),
        "source_name": page["source_name"],
        "feed_url": page["feed_url"],
        "title": content["title"],
        "summary": content["summary"],
        "text": content["text"],
        "language": detect_language(content["text"]),
        "authors": content["authors"],
        "published_at": published_at,
        "published_at_source": published_source,
        "published_date": published_at.date(),
        "fetched_at": page["fetched_at"],
        "word_count": content["word_count"],
        "actors": [],
        "locations": [],
        "countries": [],
        "ner_applied": False,
        "duplicate_cluster": article_id(canonical),
        "duplicate_of": None,
        "content_hash": _content_hash(content["title"], content["text"]),
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
        except OSError as exc:
            failed.append(
                Quarantined(page["url"], page["source_name"], "normalize", "raw_missing", str(exc), page["raw_ref"])
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
        rows[index]["ner_applied"] = True
        rows[index]["actors"] = [vars(a) for a in enrichment.actors]
        rows[index]["locations"] = [vars(p) for p in enrichment.locations]
        rows[index]["countries"] = list(enrichment.countries)


def enrich(settings: Settings, run_id: str, normalized_path: str) -> str:
    """Add actors and locations to every article of the batch, and cluster near-duplicates.

    Published rows whose cluster an article of this batch changes (an earlier copy arrived, e.g. in a
    backfill) are carried along with their new cluster fields, so the publish merge re-points them.
    """
    from pipeline.dedup_store import assign_duplicates

    store = Store.from_settings(settings)
    rows = store.read_rows(normalized_path)
    if rows:
        homes = _home_countries(settings, rows)
        enrich_rows(rows, _enricher(settings), homes)
        rows += assign_duplicates(store, rows, settings)
    return _write_articles(store, run_id, "enriched", rows, "enrich", [])


def _home_countries(settings: Settings, rows: list[dict[str, Any]]) -> list[str | None]:
    countries = {s.name: s.country for s in load_sources(settings.sources_file)}
    return [countries.get(row["source_name"]) for row in rows]


def validate(settings: Settings, run_id: str, enriched_path: str, interval: Interval | None = None) -> str:
    """Quarantine rows with row-level problems, then gate the batch on the GX suites.

    With the run's ``interval``, rows dated outside the window around it (articles_batch's meta) are
    quarantined and the suite checks the window too. The run's Data Docs are built pass or fail.
    """
    from pipeline.datadocs import build_data_docs, save_results

    store = Store.from_settings(settings)
    table = store.read_table(enriched_path)
    window = published_window(interval.start, interval.end) if interval is not None else None
    keep: list[int] = []
    failed: list[Quarantined] = []
    for index, row in enumerate(table.to_pylist()):
        problem = row_problem(row, window)
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
    table = table.take(pa.array(keep, pa.int64()))  # typed: an empty batch (nothing new) is valid
    outcomes = check_batch(table, window=window, profile=_source_profile(store, run_id, table))
    save_results(store, run_id, outcomes)
    raise_for_failures(outcomes, data_docs=build_data_docs(store, run_id))
    return store.write_table(store.staging(run_id, "validated"), table)


def _source_profile(store: Store, run_id: str, batch: pa.Table) -> Any:
    """This batch per source against the source's history, recorded before the check so retries and later
    runs see it (a source that went silent stops failing once silence is its usual, not before)."""
    rejected = quarantined_in_run(store, run_id, ["source", "stage", "reason_code"]).to_pylist()
    rejects = [(r["source"], r["reason_code"]) for r in rejected if r["stage"] in ("normalize", "enrich", "validate")]
    profile = source_profile(batch.column("source_name").to_pylist(), rejects, source_yield_history(store, run_id))
    record_source_yield(store, run_id, profile)
    return profile


def publish(settings: Settings, run_id: str, validated_path: str) -> dict[str, int]:
    """Merge the validated batch into the published table, then check the whole table as the merge left it
    (published_table suite); returns the table version and row counts."""
    from pipeline.datadocs import build_data_docs, save_results
    from pipeline.dedup_store import record_signatures

    store = Store.from_settings(settings)
    batch = store.read_table(validated_path)
    stats: MergeStats = publish_articles(store, batch, run_id)
    record_signatures(store, batch)
    LOG.info("published: %s", stats)
    outcome = verify_published_table(store, stats.table_version)
    save_results(store, run_id, [outcome])
    docs = build_data_docs(store, run_id)
    if not outcome.success:
        raise PublishedTableInvalid(outcome.failures, stats.table_version, docs)
    return vars(stats)


def report(settings: Settings, run_id: str, paths: dict[str, str], published: dict[str, int]) -> str:
    """Write the run summary (JSON) and the run's HTML page, log it in plain text; returns the summary's path."""
    from pipeline.report import format_summary, summarize, write_report_page, write_summary

    store = Store.from_settings(settings)
    summary = summarize(store, run_id, paths, published)
    write_report_page(store, summary)
    LOG.info("run summary\n%s", format_summary(summary))
    return write_summary(store, summary)


def discover_interval(settings: Settings, run_id: str, start: datetime | None, end: datetime | None) -> str:
    """discover() for a task that receives the interval bounds as Airflow passes them."""
    if start is None or end is None:
        raise ValueError("news_ingest runs need a data interval; use an interval timetable")
    return discover(settings, run_id, Interval(start, end))


def validate_interval(
    settings: Settings, run_id: str, enriched_path: str, start: datetime | None = None, end: datetime | None = None
) -> str:
    """validate() for a task that receives the interval bounds as Airflow passes them (or none)."""
    interval = Interval(start, end) if start is not None and end is not None else None
    return validate(settings, run_id, enriched_path, interval)


STAGES: dict[str, Callable[..., Any]] = {
    "discover": discover_interval,
    "fetch": fetch,
    "normalize": normalize,
    "enrich": enrich,
    "validate": validate_interval,
    "publish": publish,
    "report": report,
}


def run_stage(name: str, run_id: str | None, *args: Any) -> Any:
    """Entry point of every Airflow task: load settings at the edge, then run one stage."""
    from pipeline.settings import load_settings

    if not run_id:
        raise ValueError(f"stage {name} needs the run id Airflow passes to the task")
    return STAGES[name](load_settings(), run_id, *args)
