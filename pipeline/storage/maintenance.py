"""Keeping the published tables healthy: compact small files, vacuum old ones, check the articles table.

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

from deltalake.exceptions import CommitFailedError

from pipeline.settings import Settings
from pipeline.storage.publish import COMMIT_ATTEMPTS, arrow_dataset, commit_backoff, open_table
from pipeline.storage.raw import Store, run_key
from schemas import ARTICLES, PUBLISH_LOG, TABLES, TableSpec

LOG = logging.getLogger(__name__)
SMALL_FILE_BYTES = 16 * 1024 * 1024


class TableUnhealthy(RuntimeError):
    """The articles table breaks a guarantee (duplicate keys, rows in the wrong partition)."""


def compact_table(store: Store, spec: TableSpec) -> dict[str, Any]:
    """Bin-pack the table's small files into larger ones (one new version, same rows); retried on conflict."""
    for attempt in range(1, COMMIT_ATTEMPTS + 1):
        table = open_table(store, spec)
        try:
            metrics: dict[str, Any] = table.optimize.compact()
        except CommitFailedError as exc:
            LOG.warning("%s: compaction conflicted with a concurrent commit (attempt %d): %s", spec.name, attempt, exc)
            commit_backoff(attempt)
            continue
        LOG.info(
            "%s: compacted %s files into %s (version %d)",
            spec.name,
            metrics.get("numFilesRemoved"),
            metrics.get("numFilesAdded"),
            table.version(),
        )
        return {"table_version": table.version(), **metrics}
    raise CommitFailedError(f"{spec.name}: compaction gave up after {COMMIT_ATTEMPTS} conflicting commits")


def vacuum_table(store: Store, spec: TableSpec, retention_hours: int) -> list[str]:
    """Delete unreferenced files older than ``retention_hours``; returns the deleted files."""
    table = open_table(store, spec)
    deleted: list[str] = table.vacuum(
        retention_hours=retention_hours, enforce_retention_duration=False, dry_run=False, full=True
    )
    LOG.info("%s: vacuum deleted %d files older than %d h", spec.name, len(deleted), retention_hours)
    return deleted


def table_health(store: Store) -> dict[str, Any]:
    """Row count, duplicate keys, rows in the wrong partition, files and versions of every published table."""
    from pipeline.validate import table_profile

    health: dict[str, Any] = {"checked_at": datetime.now(UTC).isoformat(), "tables": {}}
    for spec in TABLES:
        table = open_table(store, spec)
        sizes = table.get_add_actions(flatten=True).column("size_bytes").to_pylist()
        history = table.history()
        health["tables"][spec.name] = {
            "path": store.path(spec.path),
            "version": table.version(),
            "versions_in_log": len(history),
            "last_operation": history[0].get("operation") if history else None,
            "files": len(sizes),
            "small_files": sum(1 for size in sizes if size < SMALL_FILE_BYTES),
            "bytes": sum(sizes),
            "rows": arrow_dataset(store, spec, table).count_rows(),
        }
    articles = health["tables"][ARTICLES.name]
    profile = table_profile(arrow_dataset(store, ARTICLES))
    articles["partitions"] = len(profile)
    articles["duplicate_key_rows"] = int(profile["duplicate_rows"].sum())
    articles["rows_outside_partition"] = int(profile["rows_outside_partition"].sum())
    log = arrow_dataset(store, PUBLISH_LOG).to_table(columns=["published_at"]).column("published_at")
    articles["last_publish"] = max(log.to_pylist()).isoformat() if len(log) else None
    return health


def write_health(store: Store, run_id: str, health: dict[str, Any]) -> str:
    """Keep the health report as JSON under reports/maintenance/<run>/health.json; returns its path."""
    path = store.path("reports", "maintenance", run_key(run_id), "health.json")
    fs = store.fs()
    fs.makedirs(path.rsplit("/", 1)[0], exist_ok=True)
    with fs.open(path, "w") as fh:
        json.dump(health, fh, indent=2, default=str)
    return path


def compact(settings: Settings, run_id: str) -> dict[str, Any]:
    """Compact every published table."""
    store = Store.from_settings(settings)
    return {spec.name: compact_table(store, spec) for spec in TABLES}


def vacuum(settings: Settings, run_id: str) -> dict[str, int]:
    """Vacuum every published table past the retention setting; returns deleted file counts."""
    store = Store.from_settings(settings)
    return {spec.name: len(vacuum_table(store, spec, settings.vacuum_retention_hours)) for spec in TABLES}


def check_health(settings: Settings, run_id: str) -> str:
    """Write the health report; fail (after writing it) when the articles table breaks a guarantee."""
    store = Store.from_settings(settings)
    health = table_health(store)
    path = write_health(store, run_id, health)
    articles = health["tables"][ARTICLES.name]
    if articles["duplicate_key_rows"] or articles["rows_outside_partition"]:
        raise TableUnhealthy(
            f"articles at version {articles['version']}: {articles['duplicate_key_rows']} rows with a duplicated "
            f"article_id, {articles['rows_outside_partition']} rows in the wrong partition (report: {path})"
        )
    LOG.info(
        "articles at version %d: %d rows in %d files, healthy (%s)",
        articles["version"],
        articles["rows"],
        articles["files"],
        path,
    )
    return path


STEPS = {"compact": compact, "vacuum": vacuum, "check_health": check_health}


def run_step(name: str, run_id: str | None) -> Any:
    """Entry point of every dataset_maintenance task: load settings at the edge, then run one step."""
    from pipeline.settings import load_settings

    if not run_id:
        raise ValueError(f"maintenance step {name} needs the run id Airflow passes to the task")
    return STEPS[name](load_settings(), run_id)
