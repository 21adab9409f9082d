"""A flat snapshot of the published table for tools that read only Parquet.

``export_range`` writes the rows of a date range ``[date_from, date_to)`` (the end exclusive, as in
``reprocess`` and the runs' data intervals) as plain Hive-partitioned Parquet
(``published_date=YYYY-MM-DD/part-0.parquet``) with ``_snapshot.json`` naming the table version it was
read from, so the snapshot is reproducible: exporting the same range at the same version gives the same
rows. Partitions of the range already in the folder are replaced; others are left alone.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
from deltalake import DeltaTable
from deltalake.exceptions import TableNotFoundError

from pipeline.errors import UserInputError
from pipeline.storage.delta import NO_TABLE_YET, arrow_dataset, table_uri
from pipeline.storage.raw import Store
from schemas import ARTICLES

SNAPSHOT_FILE = "_snapshot.json"


@dataclass(frozen=True)
class Snapshot:
    """What one export wrote."""

    out: str
    table_version: int
    date_from: date
    date_to: date
    rows: int
    partitions: int
    exported_at: datetime


def partitioning() -> ds.Partitioning:
    """The Hive partitioning of a snapshot, typed (readers must pass it to get dates, not strings)."""
    return ds.partitioning(pa.schema([ARTICLES.schema.field("published_date")]), flavor="hive")


class ExportError(UserInputError):
    """The range or the version asked for cannot be exported (empty range, no table, no such version)."""


def read_range(store: Store, date_from: date, date_to: date, version: int | None = None) -> tuple[pa.Table, int]:
    """Rows with ``date_from <= published_date < date_to`` (as of ``version``), and that version."""
    if date_to < date_from:
        raise ExportError(f"empty date range: --from {date_from} is after --to {date_to}; swap them")
    if date_to == date_from:
        raise ExportError(
            f"empty date range: --to is exclusive, so --from {date_from} --to {date_to} holds no day; "
            f"--to {date_to + timedelta(days=1)} exports {date_from}"
        )
    uri = table_uri(store, ARTICLES)
    try:
        table = DeltaTable(uri, storage_options=store.storage_options or None)
    except TableNotFoundError as exc:
        raise ExportError(f"{NO_TABLE_YET.format(uri=uri)}") from exc
    if version is not None:
        if not 0 <= version <= table.version():
            raise ExportError(f"--version {version}: {uri} has versions 0 to {table.version()}; pick one of them")
        table.load_as_version(version)
    day = pc.field("published_date")
    rows = arrow_dataset(store, ARTICLES, table).to_table(filter=(day >= date_from) & (day < date_to))
    return rows.sort_by(
        [("published_date", "ascending"), ("published_at", "ascending"), ("article_id", "ascending")]
    ), table.version()


def export_range(store: Store, date_from: date, date_to: date, out: str | Path, version: int | None = None) -> Snapshot:
    """Write the range as Hive-partitioned Parquet under ``out`` (a local folder)."""
    rows, table_version = read_range(store, date_from, date_to, version)
    target = Path(out)
    target.mkdir(parents=True, exist_ok=True)
    ds.write_dataset(
        rows,
        target,
        format="parquet",
        partitioning=partitioning(),
        basename_template="part-{i}.parquet",
        existing_data_behavior="delete_matching",
        max_rows_per_group=64 * 1024,
    )
    partitions = len(set(rows.column("published_date").to_pylist()))
    snapshot = Snapshot(str(target), table_version, date_from, date_to, rows.num_rows, partitions, datetime.now(UTC))
    (target / SNAPSHOT_FILE).write_text(json.dumps(asdict(snapshot), indent=2, default=str) + "\n", encoding="utf-8")
    return snapshot
