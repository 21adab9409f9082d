"""Keeping the published tables fast: compact small files, vacuum old ones, measure every table and keep the
health report (what the rows must satisfy is checked by ``pipeline.stages.maintenance``).

Every step is safe while news_ingest publishes: Delta commits are optimistic, so a compaction that
conflicts with a concurrent merge fails at commit time, changes nothing, and is retried on the new
version (compaction rewrites rows without changing them, so retrying is always safe). Vacuum only deletes
files older than ``settings.vacuum_retention_hours`` that the current version does not reference: files of
old versions (time travel reaches back that far) and files a killed publish wrote but never committed;
the retention must outlast any running publish, whose written-but-uncommitted files look the same.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

from pipeline.storage.delta import arrow_dataset, open_table, retry_commit
from pipeline.storage.raw import Store, run_key
from schemas import ARTICLES, PUBLISH_LOG, TABLES, TableSpec

LOG = logging.getLogger(__name__)
SMALL_FILE_BYTES = 16 * 1024 * 1024


def compact_table(store: Store, spec: TableSpec) -> dict[str, Any]:
    """Bin-pack the table's small files into larger ones (one new version, same rows); retried on conflict."""

    def attempt() -> dict[str, Any]:
        table = open_table(store, spec)
        metrics: dict[str, Any] = table.optimize.compact()
        LOG.info(
            "%s: compacted %s files into %s (version %d)",
            spec.name,
            metrics.get("numFilesRemoved"),
            metrics.get("numFilesAdded"),
            table.version(),
        )
        return {"table_version": table.version(), **metrics}

    return retry_commit(f"{spec.name} compaction", attempt)


def vacuum_table(store: Store, spec: TableSpec, retention_hours: int) -> list[str]:
    """Delete unreferenced files older than ``retention_hours``; returns the deleted files."""
    table = open_table(store, spec)
    deleted: list[str] = table.vacuum(
        retention_hours=retention_hours, enforce_retention_duration=False, dry_run=False, full=True
    )
    LOG.info("%s: vacuum deleted %d files older than %d h", spec.name, len(deleted), retention_hours)
    return deleted


def table_stats(store: Store) -> dict[str, Any]:
    """Row count, files, small files, bytes and versions of every published table, and when articles were
    last published: the storage half of the health report (the checks of the rows are quality's)."""
    stats: dict[str, Any] = {"checked_at": datetime.now(UTC).isoformat(), "tables": {}}
    for spec in TABLES:
        table = open_table(store, spec)
        sizes = table.get_add_actions(flatten=True).column("size_bytes").to_pylist()
        history = table.history()
        stats["tables"][spec.name] = {
            "path": store.path(spec.path),
            "version": table.version(),
            "versions_in_log": len(history),
            "last_operation": history[0].get("operation") if history else None,
            "files": len(sizes),
            "small_files": sum(1 for size in sizes if size < SMALL_FILE_BYTES),
            "bytes": sum(sizes),
            "rows": arrow_dataset(store, spec, table).count_rows(),
        }
    log = arrow_dataset(store, PUBLISH_LOG).to_table(columns=["published_at"]).column("published_at")
    stats["tables"][ARTICLES.name]["last_publish"] = max(log.to_pylist()).isoformat() if len(log) else None
    return stats


def write_health(store: Store, run_id: str, health: dict[str, Any]) -> str:
    """Keep the health report as JSON under reports/maintenance/<run>/health.json; returns its path."""
    path = store.path("reports", "maintenance", run_key(run_id), "health.json")
    fs = store.fs()
    fs.makedirs(path.rsplit("/", 1)[0], exist_ok=True)
    with fs.open(path, "w") as fh:
        json.dump(health, fh, indent=2, default=str)
    return path
