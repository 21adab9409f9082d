"""discover: the interval's candidate articles from every configured source, one row per canonical URL."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

import pyarrow as pa

from pipeline.net.fetcher import Fetcher
from pipeline.net.urls import BadUrlError, article_id, canonicalize_url
from pipeline.records import CandidateItem, Page, Quarantined
from pipeline.settings import Settings
from pipeline.sources.base import Interval, SourceContext, SourceError, build_source
from pipeline.sources.config import load_sources
from pipeline.sources.status import SourceStatus, Status, write_source_status
from pipeline.stages.common import quarantine_failures
from pipeline.storage.raw import Store
from schemas import CANDIDATES, GDELT

LOG = logging.getLogger(__name__)


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
        _merge_gdelt(store, list(gdelt.values()))
    quarantine_failures(store, run_id, failed)
    write_source_status(store, run_id, statuses)
    for st in statuses:
        log = LOG.error if st.status == "failed" else LOG.info
        log("source %s (%s): %s, %d candidates, %d metadata-only, %d rejected", *_status_fields(st))
    LOG.info("discovered %d candidates, %d discovery failures", len(rows), len(failed))
    return store.write_rows(store.staging(run_id, "candidates"), list(rows.values()), CANDIDATES)


def _merge_gdelt(store: Store, rows: list[dict[str, Any]]) -> None:
    """Upsert GDELT's metadata rows into the ``gdelt`` table (Delta is imported only when there are some)."""
    from pipeline.storage.delta import merge

    merge(
        store,
        GDELT,
        pa.Table.from_pylist(rows, schema=GDELT.schema),
        update_when_changed=("gdelt_record_id",),
    )


def _status_fields(st: SourceStatus) -> tuple[object, ...]:
    return (st.source_name, st.kind, st.status, st.candidates, st.metadata_only, st.rejected)


def _canonical_or_reject(item: CandidateItem, ctx: SourceContext) -> str | None:
    """The item's canonical URL; None when it has none, the item then quarantined as bad_url."""
    try:
        return canonicalize_url(item.url)
    except BadUrlError as exc:
        ctx.reject(item.url, item.source_name, "bad_url", str(exc))
        return None


def _add_candidate(
    rows: dict[str, dict[str, Any]], item: CandidateItem, country: str | None, ctx: SourceContext
) -> None:
    canonical = _canonical_or_reject(item, ctx)
    if canonical is None:
        return
    rows.setdefault(canonical, Page.listed(item, canonical, country).to_row())


def _add_gdelt(rows: dict[str, dict[str, Any]], item: CandidateItem, run_id: str, ctx: SourceContext) -> None:
    """One row of GDELT's metadata per article_id (first listing wins within a run)."""
    meta = item.gdelt
    if meta is None:
        return
    canonical = _canonical_or_reject(item, ctx)
    if canonical is None:
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


def discover_interval(settings: Settings, run_id: str, start: datetime | None, end: datetime | None) -> str:
    """discover() for a task that receives the interval bounds as Airflow passes them."""
    if start is None or end is None:
        raise ValueError("news_ingest runs need a data interval; use an interval timetable")
    return discover(settings, run_id, Interval(start, end))
