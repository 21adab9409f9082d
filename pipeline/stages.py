"""The pipeline's stages as plain functions: paths and settings in, paths and counts out.

Each is the whole body of one Airflow task (and of one CLI step). They read the previous stage's
staging file, call the pure core, write the next staging file, and send every failure to quarantine.
Staging files are keyed by run, so a retried task overwrites its own output and nothing else.
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from pipeline.conform import conform
from pipeline.dates import choose_published_at, to_utc
from pipeline.extract import ExtractionError, clean_line, clean_text, count_words, extract_page
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
from pipeline.store import RawRefError, Store, run_key
from pipeline.urls import BadUrlError, article_id, canonicalize_url, registrable_domain
from pipeline.validate import (
    PublishedTableInvalid,
    check_batch,
    published_window,
    raise_for_failures,
    row_problem,
    source_profile,
)
from pipeline.workers import map_chunks, worker_count
from schemas import ARTICLES, GDELT

if TYPE_CHECKING:
    from pipeline.enrich import Enricher

LOG = logging.getLogger(__name__)
NER_LANGUAGES = frozenset({"en"})
NORMALIZE_CHUNK_ROWS = 50
ENRICH_CHUNK_ROWS = 64
VALIDATE_CHUNK_ROWS = 2000
# What row_problem reads, and what a quarantine record names.
ROW_CHECK_COLUMNS = ("url", "source_name", "raw_ref", "published_at", "fetched_at", "published_date", "text")

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
    candidates = _unpublished(settings, store, run_id, store.read_rows(candidates_path), refetch)
    return _fetch_candidates(settings, store, run_id, candidates, "fetched")


def _unpublished(
    settings: Settings, store: Store, run_id: str, candidates: list[dict[str, Any]], refetch: bool | None
) -> list[dict[str, Any]]:
    """The candidates to fetch: all with refetch on, else those the published table does not hold yet
    (how many were left out per source goes into the run's source status)."""
    if settings.refetch if refetch is None else refetch:
        return candidates
    known = already_published(store, [c["url"] for c in candidates], [c["canonical_url"] for c in candidates])
    seen = [c["url"] in known or c["canonical_url"] in known for c in candidates]
    skipped = Counter(c["source_name"] for c, old in zip(candidates, seen, strict=True) if old)
    LOG.info("%d candidates already published, not fetched again (refetch off)", sum(skipped.values()))
    count_already_published(store, run_id, dict(skipped))
    return [c for c, old in zip(candidates, seen, strict=True) if not old]


def _fetch_candidates(
    settings: Settings, store: Store, run_id: str, candidates: list[dict[str, Any]], name: str
) -> str:
    """Fetch ``candidates``, keep their pages in the raw zone, quarantine failures; staging file ``name``."""
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
    return store.write_rows(store.staging(run_id, name), fetched, FETCHED)


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
    title, text, summary = clean_line(content["title"]), clean_text(content["text"]), clean_line(content["summary"])
    if not title:
        raise ExtractionError(page["url"], "no_title", "the title is blank once control characters are removed")
    authors = [name for name in map(clean_line, content["authors"]) if name]
    return {
        "article_id": article_id(canonical),
        "url": page["url"],
        "canonical_url": canonical,
        "source_domain": registrable_domain(canonical),
        "source_name": page["source_name"],
        "feed_url": page["feed_url"],
        "title": title,
        "summary": summary or None,
        "text": text,
        "language": detect_language(text),
        "authors": authors,
        "published_at": published_at,
        "published_at_source": published_source,
        "published_date": published_at.date(),
        "fetched_at": page["fetched_at"],
        "word_count": count_words(text),
        "actors": [],
        "locations": [],
        "countries": [],
        "ner_applied": False,
        "duplicate_cluster": article_id(canonical),
        "duplicate_of": None,
        "content_hash": _content_hash(title, text),
        "run_id": run_id,
        "pipeline_version": settings.pipeline_version,
        "raw_ref": page["raw_ref"],
    }


def _conform_rows(rows: list[dict[str, Any]], stage: str, failed: list[Quarantined]) -> pa.Table:
    """Enforce the published schema on the rows; misfits are added to ``failed`` as schema_mismatch."""
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
    return table


def normalize(settings: Settings, run_id: str, fetched_path: str, *, name: str = "normalized") -> str:
    """Extract text and metadata of every fetched page into typed article rows, one per article_id.

    Pages are read, extracted (on every core) and written in chunks, so memory does not grow with the batch.
    """
    store = Store.from_settings(settings)
    failed: list[Quarantined] = []
    rejected: list[Quarantined] = []
    seen: set[str] = set()

    def tables() -> Iterator[pa.Table]:
        chunks = ((settings, run_id, pages) for pages in store.iter_rows(fetched_path, NORMALIZE_CHUNK_ROWS))
        workers = worker_count(settings.workers, store.count_rows(fetched_path))
        for outcomes in map_chunks(_normalize_chunk, chunks, workers):
            rows = []
            for outcome in outcomes:
                if isinstance(outcome, Quarantined):
                    failed.append(outcome)
                elif outcome["article_id"] not in seen:
                    seen.add(outcome["article_id"])
                    rows.append(outcome)
            yield _conform_rows(rows, "normalize", rejected)

    path = store.write_batches(store.staging(run_id, name), ARTICLES.schema, tables())
    LOG.info("normalized %d articles, %d failed", len(seen), len(failed))
    _quarantine(store, run_id, failed + rejected)
    return path


def _normalize_chunk(job: tuple[Settings, str, list[dict[str, Any]]]) -> list[dict[str, Any] | Quarantined]:
    """normalize_page over a chunk of fetched pages (in a worker process): a row or a quarantine record each."""
    settings, run_id, pages = job
    store = Store.from_settings(settings)
    return [_normalize_one(store, page, settings, run_id) for page in pages]


def _normalize_one(store: Store, page: dict[str, Any], settings: Settings, run_id: str) -> dict[str, Any] | Quarantined:
    try:
        return normalize_page(page, store.get_raw(page["raw_ref"]), settings, run_id)
    except ExtractionError as exc:
        return Quarantined(page["url"], page["source_name"], "normalize", exc.reason_code, str(exc), page["raw_ref"])
    except (BadUrlError, RawRefError) as exc:
        return Quarantined(page["url"], page["source_name"], "normalize", "bad_url", str(exc), page["raw_ref"])
    except OSError as exc:
        return Quarantined(page["url"], page["source_name"], "normalize", "raw_missing", str(exc), page["raw_ref"])


# Fan-out: the DAG splits a run's candidates into shards (per source, at most fetch_chunk_size each), fetches
# and normalizes every shard in its own mapped task, then collects the shards into the run's batch files.
SHARDS = "shards"


def plan_shards(candidates: list[dict[str, Any]], chunk_size: int) -> list[tuple[str, list[dict[str, Any]]]]:
    """Candidates split by source (sources in order of first appearance) into chunks of at most ``chunk_size``."""
    by_source: dict[str, list[dict[str, Any]]] = {}
    for candidate in candidates:
        by_source.setdefault(candidate["source_name"], []).append(candidate)
    return [
        (source, rows[start : start + chunk_size])
        for source, rows in by_source.items()
        for start in range(0, len(rows), chunk_size)
    ]


def shard(settings: Settings, run_id: str, candidates_path: str, refetch: bool | None = None) -> list[str]:
    """Split the candidates still to fetch (as fetch() chooses them) into shard files; returns their paths.

    There is always at least one shard, empty when nothing is left to fetch, so the run still validates,
    publishes and reports as a run without fan-out does.
    """
    store = Store.from_settings(settings)
    candidates = _unpublished(settings, store, run_id, store.read_rows(candidates_path), refetch)
    plan = plan_shards(candidates, settings.fetch_chunk_size) or [("none", [])]
    paths = [
        store.write_rows(store.staging(run_id, f"{SHARDS}/{i:04d}-{run_key(source)}/candidates"), rows, CANDIDATES)
        for i, (source, rows) in enumerate(plan)
    ]
    LOG.info(
        "%d candidates to fetch in %d shards (at most %d each)", len(candidates), len(paths), settings.fetch_chunk_size
    )
    return paths


def _in_shard(shard_file: str, name: str) -> str:
    """The staging name of output ``name`` in the folder of the shard that ``shard_file`` belongs to."""
    return f"{SHARDS}/{PurePosixPath(shard_file).parent.name}/{name}"


def fetch_shard(settings: Settings, run_id: str, shard_path: str) -> str:
    """fetch() of one shard; shard() has already left out what is published."""
    store = Store.from_settings(settings)
    return _fetch_candidates(settings, store, run_id, store.read_rows(shard_path), _in_shard(shard_path, "fetched"))


def normalize_shard(settings: Settings, run_id: str, fetched_path: str) -> str:
    """normalize() of one fetched shard."""
    return normalize(settings, run_id, fetched_path, name=_in_shard(fetched_path, "normalized"))


def collect(
    settings: Settings, run_id: str, fetched_paths: Sequence[str], normalized_paths: Sequence[str]
) -> dict[str, str]:
    """Join the shards into the run's ``fetched`` and ``normalized`` files, as fetch() and normalize() of the
    whole batch write them: shards in order, one row per article_id (the first, as normalize() keeps)."""
    store = Store.from_settings(settings)
    fetched = _concat(store, fetched_paths, FETCHED)
    normalized = _concat(store, normalized_paths, ARTICLES.schema)
    normalized = normalized.take(pa.array(first_per_key(normalized.column("article_id").to_pylist()), pa.int64()))
    LOG.info(
        "collected %d shards: %d fetched, %d articles", len(normalized_paths), fetched.num_rows, normalized.num_rows
    )
    return {
        "fetched": store.write_table(store.staging(run_id, "fetched"), fetched),
        "normalized": store.write_table(store.staging(run_id, "normalized"), normalized),
    }


def _concat(store: Store, paths: Sequence[str], schema: pa.Schema) -> pa.Table:
    tables = [store.read_table(path) for path in paths]
    return pa.concat_tables(tables) if tables else schema.empty_table()


def first_per_key(keys: list[str]) -> list[int]:
    """Positions of the first occurrence of each key, in order."""
    seen: set[str] = set()
    first: list[int] = []
    for position, key in enumerate(keys):
        if key not in seen:
            seen.add(key)
            first.append(position)
    return first


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
    Articles are enriched in chunks on every core and kept on disk until clustered, so memory does not grow
    with the batch (only each article's MinHash signature is held).
    """
    from pipeline.dedup import Member
    from pipeline.dedup_store import cluster_batch, window

    store = Store.from_settings(settings)
    homes = {s.name: s.country for s in load_sources(settings.sources_file)}
    members: list[Member] = []
    dates: set[date] = set()
    rejected: list[Quarantined] = []

    def enriched() -> Iterator[pa.Table]:
        chunks = ((settings, rows, homes) for rows in store.iter_rows(normalized_path, ENRICH_CHUNK_ROWS))
        workers = worker_count(settings.workers, store.count_rows(normalized_path))
        for rows, signatures in map_chunks(_enrich_chunk, chunks, workers):
            members.extend(
                Member(r["article_id"], r["published_at"], sig) for r, sig in zip(rows, signatures, strict=True)
            )
            dates.update(r["published_date"] for r in rows)
            yield _conform_rows(rows, "enrich", rejected)

    unclustered = store.write_batches(store.staging(run_id, "enriched-unclustered"), ARTICLES.schema, enriched())
    assignments, repointed = (
        cluster_batch(store, members, *window(dates, settings.dedup_window_days), settings) if members else ({}, [])
    )

    def clustered() -> Iterator[pa.Table]:
        for rows in store.iter_rows(unclustered, ENRICH_CHUNK_ROWS):
            for row in rows:
                assignment = assignments[row["article_id"]]
                row["duplicate_cluster"], row["duplicate_of"] = assignment.duplicate_cluster, assignment.duplicate_of
            yield pa.Table.from_pylist(rows, schema=ARTICLES.schema)
        yield _conform_rows(repointed, "enrich", rejected)

    path = store.write_batches(store.staging(run_id, "enriched"), ARTICLES.schema, clustered())
    store.fs().rm(unclustered)
    _quarantine(store, run_id, rejected)
    return path


def _enrich_chunk(
    job: tuple[Settings, list[dict[str, Any]], dict[str, str | None]],
) -> tuple[list[dict[str, Any]], list[bytes]]:
    """enrich_rows over a chunk of articles (in a worker process, which loads the Enricher once), and the
    MinHash signature of each article's text."""
    from pipeline.dedup import signature

    settings, rows, homes = job
    if any(row["language"] in NER_LANGUAGES for row in rows):
        enrich_rows(rows, _enricher(settings), [homes.get(row["source_name"]) for row in rows])
    return rows, [signature(row["text"]) for row in rows]


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
    for index, row in enumerate(_iter_rows(table, ROW_CHECK_COLUMNS)):
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


def _iter_rows(table: pa.Table, columns: Sequence[str]) -> Iterator[dict[str, Any]]:
    """The table's rows (only ``columns``), a few thousand at a time rather than all as Python objects."""
    for batch in table.select(list(columns)).to_batches(max_chunksize=VALIDATE_CHUNK_ROWS):
        yield from batch.to_pylist()


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
    (published_table suite); returns the table version and row counts.

    An empty batch merges nothing, so the table stays at a version an earlier publish already checked: the
    check (and GX with it) is not run again.
    """
    from pipeline.datadocs import build_data_docs, save_results
    from pipeline.dedup_store import record_signatures

    store = Store.from_settings(settings)
    batch = store.read_table(validated_path)
    stats: MergeStats = publish_articles(store, batch, run_id)
    record_signatures(store, batch)
    LOG.info("published: %s", stats)
    if batch.num_rows == 0:
        return vars(stats)
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
    "shard": shard,
    "fetch": fetch,
    "fetch_shard": fetch_shard,
    "normalize": normalize,
    "normalize_shard": normalize_shard,
    "collect": collect,
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
