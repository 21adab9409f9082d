"""What several stages share: where a shard's files live, and the way a stage turns failures into
quarantine records (the staging schemas of candidates and fetched pages are in schemas/)."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

import pyarrow as pa

from pipeline.quality.conform import conform
from pipeline.quality.quarantine import to_table
from pipeline.records import Quarantined
from pipeline.storage.raw import Store
from schemas import ARTICLES

# Fan-out: the DAG splits a run's candidates into shards (per source, at most fetch_chunk_size each), fetches
# and normalizes every shard in its own mapped task, then collects the shards into the run's batch files.
SHARDS = "shards"


def in_shard(shard_file: str, name: str) -> str:
    """The staging name of output ``name`` in the folder of the shard that ``shard_file`` belongs to."""
    return f"{SHARDS}/{PurePosixPath(shard_file).parent.name}/{name}"


def quarantine_failures(store: Store, run_id: str, items: list[Quarantined]) -> int:
    """Record ``items`` in the quarantine table; returns how many. With none, no table is touched."""
    if items:
        from pipeline.storage.side_tables import record_quarantine

        record_quarantine(store, to_table(items, run_id))
    return len(items)


def conform_rows(rows: list[dict[str, Any]], stage: str, failed: list[Quarantined]) -> pa.Table:
    """Enforce the published schema on the rows; misfits are added to ``failed`` as schema_mismatch."""
    table, rejected = conform(rows, ARTICLES.schema)
    for reject in rejected:
        failed.append(
            Quarantined(
                str(reject.row.get("url")),
                str(reject.row.get("source_name")),
                stage,
                "schema_mismatch",
                reject.reason,
                reject.row.get("raw_ref"),
            )
        )
    return table
