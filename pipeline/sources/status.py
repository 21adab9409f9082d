"""Per-source outcome of a run's discovery, kept in staging so the report (and an operator) can see a
source that failed as a whole, which per-item quarantine counts alone would hide."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

import pyarrow as pa

from pipeline.storage.raw import Store

Status = Literal["ok", "not_modified", "failed"]
SOURCE_STATUS = pa.schema(
    [
        ("source_name", pa.string()),
        ("kind", pa.string()),
        ("status", pa.string()),
        ("candidates", pa.int64()),
        ("metadata_only", pa.int64()),
        ("rejected", pa.int64()),
        ("already_published", pa.int64()),
        ("detail", pa.string()),
    ]
)


@dataclass(frozen=True)
class SourceStatus:
    """How one source did in discovery: status, items it gave, inputs it quarantined, and why."""

    source_name: str
    kind: str
    status: Status
    candidates: int
    metadata_only: int
    rejected: int
    detail: str | None = None
    already_published: int = 0


def write_source_status(store: Store, run_id: str, statuses: list[SourceStatus]) -> str:
    return store.write_rows(store.staging(run_id, "sources"), [asdict(s) for s in statuses], SOURCE_STATUS)


def count_already_published(store: Store, run_id: str, skipped: dict[str, int]) -> None:
    """Record, per source, the candidates fetch skipped because they are published already: a source
    whose entries were all seen before is quiet, not broken."""
    rows = read_source_status(store, run_id)
    if rows:
        for row in rows:
            row["already_published"] = skipped.get(row["source_name"], 0)
        store.write_rows(store.staging(run_id, "sources"), rows, SOURCE_STATUS)


def read_source_status(store: Store, run_id: str) -> list[dict[str, Any]]:
    """The run's per-source statuses; empty when discovery has not written them."""
    path = store.staging(run_id, "sources")
    return store.read_rows(path) if store.fs().exists(path) else []
