"""Delta statistics of a data file written by the append path, from its Parquet footer."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.storage.delta import file_stats

pytestmark = pytest.mark.unit

SCHEMA = pa.schema(
    [
        ("key", pa.string()),
        ("count", pa.int32()),
        ("note", pa.string()),
        ("at", pa.timestamp("us", tz="UTC")),
        ("tags", pa.list_(pa.string())),
    ]
)


def footer(rows: list[dict[str, object]], rows_per_group: int) -> pq.FileMetaData:
    sink = io.BytesIO()
    pq.write_table(pa.Table.from_pylist(rows, schema=SCHEMA), sink, row_group_size=rows_per_group)
    return pq.ParquetFile(io.BytesIO(sink.getvalue())).metadata


def test_stats_count_rows_and_nulls_over_every_row_group_and_bound_no_column() -> None:
    at = datetime(2026, 11, 25, tzinfo=UTC)
    rows = [
        {"key": "b", "count": 7, "note": None, "at": at, "tags": ["x"]},
        {"key": "a", "count": 3, "note": "short", "at": at, "tags": None},
        {"key": "c", "count": None, "note": "x" * 40, "at": at, "tags": []},
    ]

    stats = json.loads(file_stats(footer(rows, rows_per_group=1), SCHEMA))

    assert stats == {"numRecords": 3, "nullCount": {"key": 0, "count": 1, "note": 1, "at": 0}}
