"""Delta access for every published table: open (created and widened on first use), read as a pyarrow
dataset, and upsert on the table's key in one commit per table and batch, so reruns, retries and
overlapping runs never duplicate.

A batch none of whose keys the table holds yet (every fresh batch) is written by pyarrow's dataset writer
and committed as one append; any other is MERGEd by deltalake. Both give the same rows, but deltalake's
writer holds most of what it writes in memory (2.0 GB for a 100k-article batch, against ~1.0 GB this way).

A Delta commit is atomic: a publish killed mid-write leaves the previous version readable (files written
but not committed are never read), and the retry publishes again. Every commit carries the table's Delta
app transaction, so two publishes that overlap in time conflict at commit, whichever path each took (two
appends of the same new key would otherwise both commit); the loser is retried on the new version, where
it finds the winner's keys. Every write that can lose such a race (merge, append, compaction) goes through
:func:`retry_commit`, the one commit-retry policy; retrying is always safe because each attempt starts
again from the table's latest version.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import pyarrow as pa
import pyarrow.compute as pc
from deltalake import DeltaTable, Schema
from deltalake.exceptions import CommitFailedError, DeltaError, TableNotFoundError
from deltalake.transaction import AddAction, CommitProperties, RemoveAction, Transaction
from tenacity import RetryCallState, Retrying, retry_if_exception_type, stop_after_attempt, wait_random_exponential

from pipeline.storage.raw import Store
from schemas import TableSpec

if TYPE_CHECKING:  # annotations only: importing pyarrow.dataset imports pandas too
    import pyarrow.dataset as ds
    import pyarrow.parquet as pq

LOG = logging.getLogger(__name__)
T = TypeVar("T")
COMMIT_ATTEMPTS = 30
# Concurrent shards' commits conflict in bursts; full-jitter backoff (uniform in [0, min(2 s, 0.05 s * 2^n)))
# spreads the retries out.
COMMIT_BACKOFF_BASE_S = 0.05
COMMIT_BACKOFF_MAX_S = 2.0
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


def retry_commit(what: str, attempt: Callable[[], T]) -> T:
    """Run ``attempt`` (one optimistic write that reads the table's latest version and commits on it) until
    it commits: a ``CommitFailedError`` (another writer committed first) is retried after a full-jitter
    backoff, up to COMMIT_ATTEMPTS attempts; any other error is raised at once."""

    def log_conflict(state: RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome else None
        LOG.warning("%s: commit conflict on attempt %d, retrying: %s", what, state.attempt_number, error)

    def give_up(state: RetryCallState) -> T:
        error = state.outcome.exception() if state.outcome else None
        raise CommitFailedError(f"{what}: gave up after {state.attempt_number} conflicting commits") from error

    policy = Retrying(
        retry=retry_if_exception_type(CommitFailedError),
        stop=stop_after_attempt(COMMIT_ATTEMPTS),
        wait=wait_random_exponential(multiplier=COMMIT_BACKOFF_BASE_S, max=COMMIT_BACKOFF_MAX_S),
        before_sleep=log_conflict,
        retry_error_callback=give_up,
    )
    return policy(attempt)


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
    """Rows to merge: a pyarrow Table, or a staging file read a chunk at a time (``raw.StagedRows``)."""

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
    A rerun of a published batch commits nothing. A lost commit race is retried by :func:`retry_commit`.
    """
    count = rows.num_rows
    keys = rows.column(spec.key).combine_chunks().cast(pa.string())
    if pc.count_distinct(keys, mode="all").as_py() != count:
        raise ValueError(f"{spec.name}: the batch holds duplicate {spec.key} values")
    compared = list(update_when_changed or ())
    values = dict(zip(keys.to_pylist(), _value_tuples(rows, compared, count), strict=True))

    def attempt() -> MergeStats:
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
        inserted = int(metrics["num_target_rows_inserted"])
        updated = int(metrics["num_target_rows_updated"])
        return MergeStats(table.version(), inserted, updated, count - inserted - updated, committed=True)

    return retry_commit(spec.name, attempt)


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
