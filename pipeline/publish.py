"""Publishing: one MERGE per table on its key, so reruns, retries and overlapping runs never duplicate.

A Delta commit is atomic: a publish killed mid-write leaves the previous version readable, and the
retry merges again. Concurrent writers conflict at commit time; the merge is then retried on the new
version (it is idempotent, so retrying is always safe).
"""

from __future__ import annotations

import logging
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime

import pyarrow as pa
from deltalake import DeltaTable
from deltalake.exceptions import CommitFailedError, TableNotFoundError

from pipeline.store import Store
from schemas import ARTICLES, PUBLISH_LOG, QUARANTINE, TableSpec

LOG = logging.getLogger(__name__)
COMMIT_ATTEMPTS = 8


@dataclass(frozen=True)
class MergeStats:
    """What one merge did to its table."""

    table_version: int
    rows_inserted: int
    rows_updated: int
    rows_unchanged: int


def table_uri(store: Store, spec: TableSpec) -> str:
    return store.path(spec.path)


def open_table(store: Store, spec: TableSpec) -> DeltaTable:
    """The Delta table of ``spec``, created empty with its schema on first use."""
    uri = table_uri(store, spec)
    try:
        return DeltaTable(uri, storage_options=store.storage_options or None)
    except TableNotFoundError:
        return DeltaTable.create(
            uri,
            spec.schema,
            mode="ignore",
            partition_by=list(spec.partition_by) or None,
            name=spec.name,
            description=spec.doc,
            storage_options=store.storage_options or None,
        )


def merge(store: Store, spec: TableSpec, rows: pa.Table, *, update_when_changed: str | None) -> MergeStats:
    """Upsert ``rows`` on the spec's key; matched rows are rewritten only when ``update_when_changed``
    (a SQL predicate over t. and s.) holds, so an unchanged rerun leaves the rows byte-for-byte alone."""
    rows = rows.cast(spec.schema)
    if len({*rows.column(spec.key).to_pylist()}) != rows.num_rows:
        raise ValueError(f"{spec.name}: the batch holds duplicate {spec.key} values")
    for attempt in range(1, COMMIT_ATTEMPTS + 1):
        table = open_table(store, spec)
        if rows.num_rows == 0:
            return MergeStats(table.version(), 0, 0, 0)
        builder = table.merge(
            source=rows,
            predicate=f"t.{spec.key} = s.{spec.key}",
            source_alias="s",
            target_alias="t",
        )
        if update_when_changed is not None:
            builder = builder.when_matched_update_all(predicate=update_when_changed)
        try:
            metrics = builder.when_not_matched_insert_all().execute()
        except CommitFailedError as exc:
            LOG.warning("%s: commit conflict on attempt %d, retrying: %s", spec.name, attempt, exc)
            time.sleep(0.05 * attempt)
            continue
        inserted = int(metrics["num_target_rows_inserted"])
        updated = int(metrics["num_target_rows_updated"])
        return MergeStats(table.version(), inserted, updated, rows.num_rows - inserted - updated)
    raise CommitFailedError(f"{spec.name}: gave up after {COMMIT_ATTEMPTS} conflicting commits")


def publish_articles(store: Store, rows: pa.Table, run_id: str) -> MergeStats:
    """Merge validated articles and log the publish (table version and row counts) in publish_log."""
    stats = merge(store, ARTICLES, rows, update_when_changed="t.content_hash <> s.content_hash")
    log_row = {"run_id": run_id, **asdict(stats), "published_at": datetime.now(UTC)}
    merge(
        store,
        PUBLISH_LOG,
        pa.Table.from_pylist([log_row], schema=PUBLISH_LOG.schema),
        update_when_changed="true",
    )
    return stats


def record_quarantine(store: Store, rows: pa.Table) -> MergeStats:
    """Keep quarantined inputs; the key includes the run, so a rerun does not double them."""
    return merge(store, QUARANTINE, rows, update_when_changed=None)


def history(store: Store) -> list[dict[str, object]]:
    """Every publish, newest first: run id, table version and row counts (from publish_log)."""
    rows = open_table(store, PUBLISH_LOG).to_pyarrow_table().to_pylist()
    return sorted(rows, key=lambda r: r["table_version"], reverse=True)
