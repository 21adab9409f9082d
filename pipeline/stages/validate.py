"""validate: row checks that quarantine single articles, then the GX suites that gate the batch."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pyarrow as pa

from pipeline.datadocs import build_data_docs, save_results
from pipeline.records import Quarantined
from pipeline.settings import Settings
from pipeline.sources.base import Interval
from pipeline.sources.status import read_source_status
from pipeline.stages.common import quarantine_failures
from pipeline.storage.raw import Store
from pipeline.storage.side_tables import quarantined_in_run, record_source_yield, source_yield_history
from pipeline.validate import (
    BatchDigest,
    ValidationFailed,
    check_batch,
    published_window,
    raise_for_failures,
    row_problem,
    source_profile,
)

LOG = logging.getLogger(__name__)
VALIDATE_CHUNK_ROWS = 2000
# What row_problem reads, and what a quarantine record names.
ROW_CHECK_COLUMNS = (
    "url",
    "source_name",
    "raw_ref",
    "published_at",
    "published_at_source",
    "fetched_at",
    "published_date",
    "text",
)


def validate(settings: Settings, run_id: str, enriched_path: str, interval: Interval | None = None) -> str:
    """Quarantine rows with row-level problems, then gate the batch on the GX suites.

    With the run's ``interval``, rows dated outside the window around it (articles_batch's meta) are
    quarantined and the suite checks the window too. The run's Data Docs are built pass or fail. The batch
    streams through a chunk at a time: kept rows go straight to the validated file, and the suites read what
    a BatchDigest gathered of them (no texts).
    """
    store = Store.from_settings(settings)
    window = published_window(interval.start, interval.end) if interval is not None else None
    schema = store.read_schema(enriched_path)
    digest = BatchDigest(schema)
    failed: list[Quarantined] = []

    def passes(row: dict[str, Any]) -> bool:
        problem = row_problem(row, window)
        if problem is not None:
            detail = f"{row['url']}: {problem.detail}"
            failed.append(
                Quarantined(row["url"], row["source_name"], "validate", problem.reason_code, detail, row["raw_ref"])
            )
        return problem is None

    def kept_chunks() -> Iterator[pa.Table]:
        for batch in store.iter_batches(enriched_path, VALIDATE_CHUNK_ROWS):
            chunk = pa.Table.from_batches([batch], schema)
            keep = [i for i, row in enumerate(chunk.select(ROW_CHECK_COLUMNS).to_pylist()) if passes(row)]
            kept = chunk.take(pa.array(keep, pa.int64())) if len(keep) < chunk.num_rows else chunk
            digest.add(kept)
            yield kept

    pending = store.write_batches(store.staging(run_id, "validating"), schema, kept_chunks())
    quarantine_failures(store, run_id, failed)
    outcomes = check_batch(digest, window=window, profile=_source_profile(store, run_id, digest.articles))
    save_results(store, run_id, outcomes)
    try:
        raise_for_failures(outcomes, data_docs=build_data_docs(store, run_id))
    except ValidationFailed:
        store.fs().rm(pending)  # a batch that failed its gate leaves no validated file behind
        raise
    return store.move(pending, store.staging(run_id, "validated"))


def _source_profile(store: Store, run_id: str, batch: pa.Table) -> Any:
    """This batch per source against the source's history, recorded before the check so retries and later
    runs see it (a source that went silent stops failing once silence is its usual, not before).

    The sources judged are those this run's discovery read (its source status file): a source removed from
    the sources file is not "silent". A run without discovery (reprocess) judges only the sources in its batch.
    """
    rejected = quarantined_in_run(store, run_id, ["source", "stage", "reason_code"]).to_pylist()
    rejects = [(r["source"], r["reason_code"]) for r in rejected if r["stage"] in ("normalize", "enrich", "validate")]
    configured = {status["source_name"] for status in read_source_status(store, run_id)}
    history = source_yield_history(store, run_id)
    profile = source_profile(batch.column("source_name").to_pylist(), rejects, history, configured)
    record_source_yield(store, run_id, profile)
    return profile


def validate_interval(
    settings: Settings, run_id: str, enriched_path: str, start: datetime | None = None, end: datetime | None = None
) -> str:
    """validate() for a task that receives the interval bounds as Airflow passes them (or none)."""
    interval = Interval(start, end) if start is not None and end is not None else None
    return validate(settings, run_id, enriched_path, interval)
