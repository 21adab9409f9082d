"""The side tables: publish_log's history, quarantine records per run, source_yield per run."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pytest

from pipeline.storage.delta import MergeStats
from pipeline.storage.raw import Store
from pipeline.storage.side_tables import (
    history,
    log_publish,
    quarantined_in_run,
    record_quarantine,
    record_source_yield,
    source_yield_history,
)
from schemas import QUARANTINE
from tests.articles import BASE

pytestmark = pytest.mark.unit


def test_history_is_empty_before_anything_was_published_and_creates_nothing(store: Store) -> None:
    assert history(store) == []
    assert not store.fs().exists(store.path("published"))


def test_history_lists_attempts_newest_first_limited_and_per_run(store: Store) -> None:
    for version, run_id in enumerate(["run-1", "run-2", "run-1"]):
        log_publish(store, run_id, MergeStats(version, 1, 0, 0, committed=True), try_number=None)

    assert [(r["run_id"], r["table_version"]) for r in history(store)] == [("run-1", 2), ("run-2", 1), ("run-1", 0)]
    assert len(history(store, limit=2)) == 2
    assert [r["try_number"] for r in history(store, run_id="run-1")] == [2, 1]


def quarantined(run_id: str, url: str) -> dict[str, object]:
    return {
        "quarantine_id": f"{run_id}-{url}",
        "url": url,
        "source": "voa",
        "stage": "fetch",
        "reason_code": "http_status",
        "reason_detail": f"GET {url}: 404",
        "run_id": run_id,
        "time": BASE,
        "raw_ref": None,
    }


def test_quarantine_records_are_read_back_per_run_and_not_doubled_by_a_rerun(store: Store) -> None:
    rows = [quarantined("run-1", "http://a/1"), quarantined("run-1", "http://a/2"), quarantined("run-2", "http://a/3")]
    record_quarantine(store, pa.Table.from_pylist(rows, schema=QUARANTINE.schema))
    record_quarantine(store, pa.Table.from_pylist(rows[:1], schema=QUARANTINE.schema))

    found = quarantined_in_run(store, "run-1", ["url", "reason_code"]).sort_by("url").to_pylist()

    assert found == [
        {"url": "http://a/1", "reason_code": "http_status"},
        {"url": "http://a/2", "reason_code": "http_status"},
    ]


def profile(rows: int) -> pd.DataFrame:
    return pd.DataFrame(
        {"source_name": ["voa", "apnews"], "rows": [rows, 1], "attempted": [rows, 2], "without_body": [0, 1]}
    )


def test_source_yield_history_leaves_out_the_run_being_validated(store: Store) -> None:
    record_source_yield(store, "run-1", profile(5))
    record_source_yield(store, "run-2", profile(7))
    record_source_yield(store, "run-2", profile(8))  # a retried validate replaces its run's records

    earlier = source_yield_history(store, before_run="run-3")
    assert sorted((r["run_id"], r["source_name"], r["rows"]) for r in earlier) == [
        ("run-1", "apnews", 1),
        ("run-1", "voa", 5),
        ("run-2", "apnews", 1),
        ("run-2", "voa", 8),
    ]
    assert {r["run_id"] for r in source_yield_history(store, before_run="run-2")} == {"run-1"}
