"""The side tables beside the articles: publish_log (every publish attempt, and the history read from it),
quarantine (every input a stage refused) and source_yield (what each source gave each run)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.compute as pc
from deltalake import DeltaTable
from deltalake.exceptions import TableNotFoundError

from pipeline.storage.delta import MergeStats, arrow_dataset, every_column, merge, open_table, table_uri
from pipeline.storage.raw import Store
from schemas import PUBLISH_LOG, QUARANTINE, SOURCE_YIELD

if TYPE_CHECKING:
    import pandas as pd


def log_publish(store: Store, run_id: str, stats: MergeStats, try_number: int | None) -> None:
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


def record_quarantine(store: Store, rows: pa.Table) -> MergeStats:
    """Keep quarantined inputs; the key includes the run, so a rerun does not double them."""
    return merge(store, QUARANTINE, rows, update_when_changed=None)


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
