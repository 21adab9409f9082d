"""The articles table: a validated batch merged on article_id, each attempt logged in publish_log, and
the table read back as one version of it (what the publish stage checks)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from deltalake import DeltaTable
from deltalake.exceptions import CommitFailedError, DeltaError

from pipeline.storage.delta import MergeStats, Rows, arrow_dataset, merge, table_uri
from pipeline.storage.raw import Store
from pipeline.storage.side_tables import log_publish
from schemas import ARTICLES, PUBLISH_LOG, TableSpec

if TYPE_CHECKING:  # annotations only: importing pyarrow.dataset imports pandas too
    import pyarrow.dataset as ds

# A matched row is rewritten only when its content or its near-duplicate cluster changed, so an unchanged
# rerun leaves every row (run_id and fetched_at included) exactly as it was.
ARTICLE_CHANGED = ("content_hash", "duplicate_cluster", "duplicate_of")

# How deltalake and pyarrow word a failure of the file or object store beneath the table (ENOSPC, EROFS,
# EACCES, ...)
STORE_FAILURE = re.compile(r"os error \d+|errno \d+|FileSystem error|ObjectStore|Permission denied", re.IGNORECASE)
ANSI = re.compile(r"\x1b\[[0-9;]*m")  # deltalake colours the causes in its error messages


class StorageError(OSError):
    """The data root refused a write while publishing (full, read-only, no permission). Delta commits are
    atomic, so the table is as the last commit left it; a retry after the fix completes the publish."""


def _storage_error(store: Store, spec: TableSpec, run_id: str, exc: Exception) -> StorageError:
    cause = " ".join(ANSI.sub("", str(exc)).replace("↳", " ").split())
    return StorageError(
        f"publishing run {run_id} could not write {spec.name} under {store.root}: {cause}. The table keeps its "
        "last committed version; free space or restore write access to the data root, then retry the task."
    )


def publish_articles(
    store: Store,
    rows: Rows,
    run_id: str,
    update_when_changed: Sequence[str] = ARTICLE_CHANGED,
    try_number: int | None = None,
) -> MergeStats:
    """Merge validated articles and log the attempt (table version, row counts, whether it committed, the
    Airflow try) in publish_log. A matched row is rewritten when one of ``update_when_changed`` differs
    (reprocess adds pipeline_version)."""
    spec = ARTICLES
    try:
        stats = merge(store, ARTICLES, rows, update_when_changed=update_when_changed)
        spec = PUBLISH_LOG
        log_publish(store, run_id, stats, try_number)
    except (OSError, DeltaError) as exc:
        if isinstance(exc, CommitFailedError) or not STORE_FAILURE.search(str(exc)):
            raise
        raise _storage_error(store, spec, run_id, exc) from exc
    return stats


def articles_at(store: Store, version: int) -> ds.Dataset:
    """The articles table as of ``version``, as a pyarrow dataset."""
    table = DeltaTable(table_uri(store, ARTICLES), version=version, storage_options=store.storage_options or None)
    return arrow_dataset(store, ARTICLES, table)
