"""Publishing: one commit per table and batch, upserting on the table's key, so reruns, retries and
overlapping runs never duplicate.

A batch none of whose keys the table holds yet (every fresh batch) is written by pyarrow's dataset writer
and committed as one append; any other is MERGEd by deltalake. Both give the same rows, but deltalake's
writer holds most of what it writes in memory (2.0 GB for a 100k-article batch, against ~1.0 GB this way).

A Delta commit is atomic: a publish killed mid-write leaves the previous version readable (files written
but not committed are never read), and the retry publishes again. Every commit carries the table's Delta
app transaction, so two publishes that overlap in time conflict at commit, whichever path each took (two
appends of the same new key would otherwise both commit); the loser is retried on the new version, where
it finds the winner's keys. Retrying is always safe: the upsert is idempotent.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

import pyarrow as pa
import pyarrow.compute as pc
from deltalake import DeltaTable, Schema
from deltalake.exceptions import CommitFailedError, DeltaError, TableNotFoundError
from deltalake.transaction import AddAction, CommitProperties, RemoveAction, Transaction

from pipeline.ratelimit import backoff_delay
from pipeline.storage.raw import Store
from schemas import ARTICLES, PUBLISH_LOG, QUARANTINE, SOURCE_YIELD, TableSpec

if TYPE_CHECKING:  # annotations only: importing pyarrow.dataset imports pandas too
    import pandas as pd
    import pyarrow.dataset as ds
    import pyarrow.parquet as pq

LOG = logging.getLogger(__name__)
COMMIT_ATTEMPTS = 30
MERGE_CHUNK_ROWS = 2000
# The append path's Parquet layout: row groups of up to 10k rows (a reader's unit of work), files of up to
# 200k rows per partition.
APPEND_ROWS_PER_GROUP = 10_000
APPEND_ROWS_PER_FILE = 200_000
NO_TABLE_YET = (
    "no published table at {uri} yet: run `make run` or `python -m pipeline run` first, or point NEWSFLOW_DATA_ROOT "
    "at the data root that holds it"
)
COMMIT_TAG = "newsflow.commit"  # a commit's unique tag in its commit info, to find the version it landed at
HISTORY_SEARCH = 1000
HIVE_NULL = "__HIVE_DEFAULT_PARTITION__"  # how pyarrow's hive partitioning names a null partition value
# Concurrent shards' commits conflict in bursts; full-jitter backoff spreads the retries out.
COMMIT_BACKOFF_BASE_S = 0.05
COMMIT_BACKOFF_MAX_S = 2.0


def commit_backoff(attempt: int) -> None:
    """Wait before retrying a commit that lost a race (attempt counts from 1)."""
    time.sleep(backoff_delay(attempt - 1, COMMIT_BACKOFF_BASE_S, COMMIT_BACKOFF_MAX_S))


# How deltalake and pyarrow word a failure of the file or object store beneath the table (ENOSPC, EROFS,
# EACCES, ...)
STORE_FAILURE = re.compile(r"os error \d+|errno \d+|FileSystem error|ObjectStore|Permission denied", re.IGNORECASE)
ANSI = re.compile(r"\x1b\[[0-9;]*m")  # deltalake colours the causes in its error messages


@dataclass(frozen=True)
class MergeStats:
    """What one merge did to its table."""

    table_version: int
    rows_inserted: int
    rows_updated: int
    rows_unchanged: int
    committed: bool  # a new table version: False when every row was already there as it is


def table_uri(store: Store, spec: TableSpec) -> str:
    return store.path(spec.path)


def open_table(store: Store, spec: TableSpec) -> DeltaTable:
    """The Delta table of ``spec``, created empty with its schema on first use, and given the columns the
    spec added since it was created."""
    uri = table_uri(store, spec)
    try:
        return _with_new_columns(store, spec, DeltaTable(uri, storage_options=store.storage_options or None))
    except TableNotFoundError:
        pass
    try:
        return DeltaTable.create(
            uri,
            spec.schema,
            mode="ignore",
            partition_by=list(spec.partition_by) or None,
            name=spec.name,
            description=spec.doc,
            storage_options=store.storage_options or None,
        )
    except DeltaError as exc:  # another process committed version 0 first: use its table
        LOG.info("%s: created concurrently (%s), opening it", spec.name, exc)
        return DeltaTable(uri, storage_options=store.storage_options or None)


def _with_new_columns(store: Store, spec: TableSpec, table: DeltaTable) -> DeltaTable:
    """``table`` with the spec's columns it lacks added (null in its existing rows): a table published by
    an older release takes a newer release's rows without a rewrite. Without this, deltalake's MERGE drops
    the columns its target lacks, without an error. Columns are only ever added (schemas add, never rename).
    """
    present = set(table.schema().to_arrow().names)
    missing = [field for field in spec.schema if field.name not in present]
    if not missing:
        return table
    try:
        table.alter.add_columns(Schema.from_arrow(pa.schema(missing)).fields)
    except DeltaError as exc:  # another process added them first
        LOG.info("%s: columns added concurrently (%s)", spec.name, exc)
    LOG.info("%s: added the columns %s", spec.name, ", ".join(field.name for field in missing))
    return DeltaTable(table_uri(store, spec), storage_options=store.storage_options or None)


def arrow_dataset(store: Store, spec: TableSpec, table: DeltaTable | None = None) -> ds.Dataset:
    """The table (latest, or ``table``'s version) as a pyarrow dataset read through a native filesystem.

    deltalake's default Python filesystem handler makes the interpreter abort at exit now and then
    ("terminate called without an active exception", delta-rs#2184), which Airflow's task supervisor
    reports as a failed task; the native filesystem does not (25 of 25 clean exits against 2 aborts).
    """
    delta = table if table is not None else open_table(store, spec)
    return delta.to_pyarrow_dataset(filesystem=store.arrow_filesystem(spec.path))


class Rows(Protocol):
    """Rows to merge: a pyarrow Table, or a staging file read a chunk at a time (``store.StagedRows``)."""

    @property
    def num_rows(self) -> int: ...

    def column(self, name: str) -> pa.ChunkedArray: ...

    def to_reader(self, max_chunksize: int) -> pa.RecordBatchReader: ...


def _typed_stream(rows: Rows, spec: TableSpec, keys: pa.Array | None = None) -> pa.RecordBatchReader:
    """The rows (only those of ``keys``, if given) cast to the table's schema, a chunk at a time: the writer
    then holds a chunk of the source, not all of it. A fresh stream per commit attempt: a stream is read once."""
    batches = (batch.cast(spec.schema) for batch in rows.to_reader(max_chunksize=MERGE_CHUNK_ROWS))
    if keys is not None:
        batches = (batch.filter(pc.is_in(batch.column(spec.key), value_set=keys)) for batch in batches)
    return pa.RecordBatchReader.from_batches(spec.schema, batches)


def every_column(spec: TableSpec) -> tuple[str, ...]:
    """``update_when_changed`` for a table whose matched rows are always rewritten by a newer record."""
    return tuple(name for name in spec.schema.names if name != spec.key)


def merge(store: Store, spec: TableSpec, rows: Rows, *, update_when_changed: Sequence[str] | None) -> MergeStats:
    """Upsert ``rows`` on the spec's key; a matched row is rewritten only when one of the
    ``update_when_changed`` columns differs (never, when None), so an unchanged rerun leaves the rows
    byte-for-byte alone.

    Only the rows that change something reach the commit: the table's rows of the batch's keys are read
    first (the key and the compared columns). New rows alone are appended (pyarrow's writer); with changed
    rows among them, they go through deltalake's MERGE, whose writer holds most of its source in memory.
    A rerun of a published batch commits nothing.
    """
    count = rows.num_rows
    keys = rows.column(spec.key).combine_chunks().cast(pa.string())
    if pc.count_distinct(keys, mode="all").as_py() != count:
        raise ValueError(f"{spec.name}: the batch holds duplicate {spec.key} values")
    compared = list(update_when_changed or ())
    values = dict(zip(keys.to_pylist(), _value_tuples(rows, compared, count), strict=True))
    for attempt in range(1, COMMIT_ATTEMPTS + 1):
        table = open_table(store, spec)
        existing = _existing(store, spec, table, keys, compared) if count else {}
        new = [key for key in values if key not in existing]
        changed = [key for key, now in existing.items() if update_when_changed is not None and now != values[key]]
        if not new and not changed:
            return MergeStats(table.version(), 0, 0, count, committed=False)
        # The version names the commit for readers of the transaction log; the app id is what conflicts.
        commit = CommitProperties(
            custom_metadata={COMMIT_TAG: uuid.uuid4().hex},
            app_transactions=[Transaction(f"newsflow.{spec.name}", table.version() + 1)],
        )
        try:
            if not changed:
                _append(store, spec, table, _typed_stream(rows, spec, pa.array(new, pa.string())), commit)
                return MergeStats(_committed_version(table, commit), len(new), 0, count - len(new), committed=True)
            builder = table.merge(
                source=_typed_stream(rows, spec, pa.array(new + changed, pa.string())),
                predicate=f"t.{spec.key} = s.{spec.key}",
                source_alias="s",
                target_alias="t",
                commit_properties=commit,
            )
            predicate = " OR ".join(f"(t.{name} IS DISTINCT FROM s.{name})" for name in compared)
            metrics = builder.when_matched_update_all(predicate=predicate).when_not_matched_insert_all().execute()
        except CommitFailedError as exc:
            LOG.warning("%s: commit conflict on attempt %d, retrying: %s", spec.name, attempt, exc)
            commit_backoff(attempt)
            continue
        inserted = int(metrics["num_target_rows_inserted"])
        updated = int(metrics["num_target_rows_updated"])
        return MergeStats(table.version(), inserted, updated, count - inserted - updated, committed=True)
    raise CommitFailedError(f"{spec.name}: gave up after {COMMIT_ATTEMPTS} conflicting commits")


def _value_tuples(rows: Rows, columns: Sequence[str], count: int) -> list[tuple[Any, ...]]:
    """Each row's values of ``columns``, in row order."""
    if not columns:
        return [()] * count
    return list(zip(*(rows.column(name).to_pylist() for name in columns), strict=True))


def _existing(
    store: Store, spec: TableSpec, table: DeltaTable, keys: pa.Array, columns: Sequence[str]
) -> dict[str, tuple[Any, ...]]:
    """The table's rows (as of ``table``'s version) of ``keys``: key -> values of ``columns``. The key and
    those columns are streamed a chunk at a time and matched in memory, not by a dataset filter: files
    deltalake wrote hold strings as string_view, which pyarrow's filter cannot compare with string."""
    found: dict[str, tuple[Any, ...]] = {}
    if not table.file_uris():
        return found
    for batch in arrow_dataset(store, spec, table).to_batches(columns=[spec.key, *columns]):
        hits = pc.is_in(batch.column(0).cast(pa.string()), value_set=keys)
        if pc.any(hits).as_py():
            for row in batch.filter(hits).to_pylist():
                found[row[spec.key]] = tuple(row[name] for name in columns)
    return found


def _append(
    store: Store, spec: TableSpec, table: DeltaTable, rows: pa.RecordBatchReader, commit: CommitProperties
) -> None:
    """Write ``rows`` as new files of the table with pyarrow's dataset writer (which streams them) and
    commit them as one append. Files are named for this attempt, so a retry or a concurrent writer never
    overwrites them; those of an attempt that lost its commit stay unreferenced until a vacuum."""
    import pyarrow.dataset as ds

    written: list[AddAction | RemoveAction] = []

    def add_file(file: ds.WrittenFile) -> None:
        relative = file.path.lstrip("/")
        partition = {
            name: None if value == HIVE_NULL else value
            for name, value in (part.split("=", 1) for part in relative.split("/")[:-1])
        }
        stats = file_stats(file.metadata, spec.schema)
        written.append(AddAction(relative, file.size, partition, int(time.time() * 1000), True, stats))

    ds.write_dataset(
        rows,
        "",
        filesystem=store.arrow_filesystem(spec.path),
        format="parquet",
        partitioning=list(spec.partition_by) or None,
        partitioning_flavor="hive" if spec.partition_by else None,
        basename_template=f"part-{uuid.uuid4().hex}-{{i}}.parquet",
        existing_data_behavior="overwrite_or_ignore",
        min_rows_per_group=min(APPEND_ROWS_PER_GROUP, MERGE_CHUNK_ROWS),
        max_rows_per_group=APPEND_ROWS_PER_GROUP,
        max_rows_per_file=APPEND_ROWS_PER_FILE,
        file_visitor=add_file,
        use_threads=False,
    )
    table.create_write_transaction(
        written, "append", spec.schema, list(spec.partition_by) or None, commit_properties=commit
    )


def _committed_version(table: DeltaTable, commit: CommitProperties) -> int:
    """The version ``commit`` landed at (deltalake does not say, and another writer may have committed
    between the version read and this commit): found by its unique tag in the log's commit infos."""
    tag = commit.custom_metadata[COMMIT_TAG] if commit.custom_metadata else None
    table.update_incremental()
    for entry in table.history(HISTORY_SEARCH):
        if entry.get(COMMIT_TAG) == tag:
            return int(entry["version"])
    raise CommitFailedError(f"commit {tag} not found in the last {HISTORY_SEARCH} commits of {table.table_uri}")


def file_stats(metadata: pq.FileMetaData, schema: pa.Schema) -> str:
    """Delta's statistics of one data file, from its Parquet footer: numRecords, and the nullCount of every
    flat column. No minValues or maxValues: deltalake's pyarrow dataset turns a column missing from them
    into a guarantee no filter on that column can pass, so they would have to hold every column, in the
    text forms and truncations Delta readers expect; readers still prune row groups by the footer's own
    statistics, and by partition."""
    flat = {field.name for field in schema if not pa.types.is_nested(field.type)}
    nulls: dict[str, int] = {}
    for group in range(metadata.num_row_groups):
        row_group = metadata.row_group(group)
        for index in range(row_group.num_columns):
            chunk = row_group.column(index)
            if chunk.path_in_schema in flat and chunk.statistics is not None:
                nulls[chunk.path_in_schema] = nulls.get(chunk.path_in_schema, 0) + chunk.statistics.null_count
    return json.dumps({"numRecords": metadata.num_rows, "nullCount": nulls})


# A matched row is rewritten only when its content or its near-duplicate cluster changed, so an unchanged
# rerun leaves every row (run_id and fetched_at included) exactly as it was.
ARTICLE_CHANGED = ("content_hash", "duplicate_cluster", "duplicate_of")


class StorageError(OSError):
    """The data root refused a write while publishing (full, read-only, no permission). Delta commits are
    atomic, so the table is as the last commit left it; a retry after the fix completes the publish."""


def _storage_error(store: Store, spec: TableSpec, run_id: str, exc: Exception) -> StorageError:
    cause = " ".join(ANSI.sub("", str(exc)).replace("↳", " ").split())
    return StorageError(
        f"publishing run {run_id} could not write {spec.name} under {store.root}: {cause}. The table keeps its "
        "last committed version; free space or restore write access to the data root, then retry the task."
    )


def _log_publish(store: Store, run_id: str, stats: MergeStats, try_number: int | None) -> None:
    """Add this publish attempt's record to publish_log: every attempt has its own, those that committed
    nothing included, so a rerun, a retry or a repeated reprocess never overwrites what an earlier one did.

    Appended, not merged on a key: records are never updated. A log written before a column existed takes
    it when opened (its old records read it as null).
    """
    from deltalake import write_deltalake

    open_table(store, PUBLISH_LOG)
    if try_number is None:  # outside Airflow: the run's earlier attempts, plus this one
        try_number = len(history(store, run_id=run_id)) + 1
    row = {
        "publish_id": uuid.uuid4().hex,
        "run_id": run_id,
        "try_number": try_number,
        **asdict(stats),
        "published_at": datetime.now(UTC),
    }
    write_deltalake(
        table_uri(store, PUBLISH_LOG),
        pa.Table.from_pylist([row], schema=PUBLISH_LOG.schema),
        mode="append",
        storage_options=store.storage_options or None,
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
        _log_publish(store, run_id, stats, try_number)
    except (OSError, DeltaError) as exc:
        if isinstance(exc, CommitFailedError) or not STORE_FAILURE.search(str(exc)):
            raise
        raise _storage_error(store, spec, run_id, exc) from exc
    return stats


def record_quarantine(store: Store, rows: pa.Table) -> MergeStats:
    """Keep quarantined inputs; the key includes the run, so a rerun does not double them."""
    return merge(store, QUARANTINE, rows, update_when_changed=None)


def verify_published_table(store: Store, version: int) -> Any:
    """Run the published_table suite over the articles table as of ``version``; returns its SuiteOutcome."""
    from pipeline.validate import check_published_table

    table = DeltaTable(table_uri(store, ARTICLES), version=version, storage_options=store.storage_options or None)
    return check_published_table(arrow_dataset(store, ARTICLES, table))


def quarantined_in_run(store: Store, run_id: str, columns: Sequence[str]) -> pa.Table:
    """The quarantine records one run wrote (``columns`` of them)."""
    return arrow_dataset(store, QUARANTINE).to_table(filter=pc.field("run_id") == run_id, columns=list(columns))


def record_source_yield(store: Store, run_id: str, profile: pd.DataFrame) -> MergeStats:
    """Keep what each source yielded in this run's batch (rows, attempted, without body); keyed by run."""
    now = datetime.now(UTC)
    rows = [
        {
            "yield_id": f"{run_id}/{source}",
            "run_id": run_id,
            "source_name": source,
            "rows": int(n),
            "attempted": int(attempted),
            "without_body": int(without_body),
            "recorded_at": now,
        }
        for source, n, attempted, without_body in zip(
            profile["source_name"], profile["rows"], profile["attempted"], profile["without_body"], strict=True
        )
    ]
    table = pa.Table.from_pylist(rows, schema=SOURCE_YIELD.schema)
    return merge(store, SOURCE_YIELD, table, update_when_changed=every_column(SOURCE_YIELD))


def source_yield_history(store: Store, before_run: str) -> list[dict[str, Any]]:
    """Every source_yield record of runs other than ``before_run`` (the one being validated)."""
    table = arrow_dataset(store, SOURCE_YIELD)
    columns = ["run_id", "source_name", "rows", "recorded_at"]
    rows: list[dict[str, Any]] = table.to_table(filter=pc.field("run_id") != before_run, columns=columns).to_pylist()
    return rows


def history(store: Store, limit: int | None = None, run_id: str | None = None) -> list[dict[str, Any]]:
    """Publish attempts, newest first (at most ``limit``; only ``run_id``'s, if given), from publish_log;
    empty when nothing was published yet. Records written before a column existed hold None in it."""
    try:
        log = DeltaTable(table_uri(store, PUBLISH_LOG), storage_options=store.storage_options or None)
    except TableNotFoundError:
        return []
    table = arrow_dataset(store, PUBLISH_LOG, log).to_table()
    rows = [{name: row.get(name) for name in PUBLISH_LOG.schema.names} for row in table.to_pylist()]
    if run_id is not None:
        rows = [row for row in rows if row["run_id"] == run_id]
    rows.sort(key=lambda r: (r["published_at"], r["table_version"]), reverse=True)
    return rows if limit is None else rows[:limit]
