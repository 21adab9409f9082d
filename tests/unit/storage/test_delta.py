"""Delta access: the one commit-retry policy, the upsert on a table's key, and the statistics of a data file
written by the append path."""

from __future__ import annotations

import io
import json
import time
from datetime import UTC, datetime

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from deltalake.exceptions import CommitFailedError

from pipeline.storage.delta import (
    COMMIT_ATTEMPTS,
    COMMIT_BACKOFF_BASE_S,
    COMMIT_BACKOFF_MAX_S,
    arrow_dataset,
    every_column,
    file_stats,
    merge,
    retry_commit,
)
from pipeline.storage.raw import Store
from schemas import SOURCE_YIELD
from tests.articles import BASE

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


@pytest.fixture
def waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The backoff waits the policy asks for, recorded instead of slept."""
    asked: list[float] = []
    monkeypatch.setattr(time, "sleep", asked.append)
    return asked


def test_a_write_that_loses_commit_races_is_retried_until_it_commits(waits: list[float]) -> None:
    calls: list[int] = []

    def attempt() -> str:
        calls.append(len(calls))
        if len(calls) <= 3:
            raise CommitFailedError("a concurrent writer committed first")
        return "committed"

    assert retry_commit("articles", attempt) == "committed"
    assert len(calls) == 4
    assert len(waits) == 3
    assert all(0 <= wait <= min(COMMIT_BACKOFF_MAX_S, COMMIT_BACKOFF_BASE_S * 2**n) for n, wait in enumerate(waits))


def test_a_write_that_always_loses_gives_up_naming_the_table(waits: list[float]) -> None:
    def attempt() -> None:
        raise CommitFailedError("a concurrent writer committed first")

    with pytest.raises(CommitFailedError, match=f"articles: gave up after {COMMIT_ATTEMPTS} conflicting commits"):
        retry_commit("articles", attempt)
    assert len(waits) == COMMIT_ATTEMPTS - 1
    assert max(waits) <= COMMIT_BACKOFF_MAX_S


def test_an_error_other_than_a_lost_race_is_not_retried(waits: list[float]) -> None:
    calls: list[int] = []

    def attempt() -> None:
        calls.append(1)
        raise OSError("No space left on device (os error 28)")

    with pytest.raises(OSError, match="os error 28"):
        retry_commit("articles", attempt)
    assert calls == [1] and waits == []


def yields(run_id: str, rows: int) -> pa.Table:
    record = {
        "yield_id": f"{run_id}/voa",
        "run_id": run_id,
        "source_name": "voa",
        "rows": rows,
        "attempted": rows,
        "without_body": 0,
        "recorded_at": BASE,
    }
    return pa.Table.from_pylist([record], schema=SOURCE_YIELD.schema)


def test_merge_inserts_new_keys_rewrites_changed_rows_and_commits_nothing_on_a_rerun(store: Store) -> None:
    changed = every_column(SOURCE_YIELD)

    first = merge(store, SOURCE_YIELD, yields("run-1", 3), update_when_changed=changed)
    rerun = merge(store, SOURCE_YIELD, yields("run-1", 3), update_when_changed=changed)
    update = merge(store, SOURCE_YIELD, yields("run-1", 5), update_when_changed=changed)

    assert (first.rows_inserted, first.committed) == (1, True)
    assert (rerun.rows_unchanged, rerun.committed, rerun.table_version) == (1, False, first.table_version)
    assert (update.rows_updated, update.committed) == (1, True)
    assert arrow_dataset(store, SOURCE_YIELD).to_table().column("rows").to_pylist() == [5]


def test_merge_refuses_a_batch_with_duplicate_keys(store: Store) -> None:
    twice = pa.concat_tables([yields("run-1", 3), yields("run-1", 4)])

    with pytest.raises(ValueError, match="duplicate yield_id"):
        merge(store, SOURCE_YIELD, twice, update_when_changed=None)
