"""Running the ingest stages in-process (the functions the DAG tasks call) and reading what they left."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from deltalake import DeltaTable

from pipeline.errors import RunFailed
from pipeline.flows import INGEST, Run, run_flow
from pipeline.settings import Settings, load_settings
from pipeline.sources.base import Interval
from pipeline.storage.raw import Store
from schemas import ARTICLES, GDELT, QUARANTINE
from schemas.tables import TableSpec

FAST: dict[str, Any] = {
    "allow_private_networks": True,
    "per_host_min_interval_s": 0.0,
    "connect_timeout_s": 0.5,
    "read_timeout_s": 0.3,
    "total_timeout_s": 2.0,
    "retries": 2,
    "backoff_base_s": 0.01,
    "backoff_max_s": 0.05,
    "max_redirects": 3,
    "max_body_bytes": 200_000,
}


def fast_settings(data_root: Path, sources: str, **overrides: Any) -> Settings:
    """Settings with small timeouts and caps, so failure paths take milliseconds."""
    file = data_root.parent / f"sources-{data_root.name}.yml"
    file.write_text(sources, encoding="utf-8")
    return load_settings(**{**FAST, "data_root": str(data_root), "sources_file": str(file), **overrides})


def ingest(
    settings: Settings, run_id: str, interval: Interval, refetch: bool | None = None, *, fails: bool = False
) -> dict[str, int]:
    """The ingest flow, as one DAG run does; returns what publish counted.

    ``fails``: the run's sources failed beyond the failure policy, so the report stage must end it with
    RunFailed (after publishing and reporting); otherwise RunFailed is a test failure."""
    run = Run(settings, run_id, interval, refetch=refetch)
    if fails:
        with pytest.raises(RunFailed):
            run_flow(INGEST, run)
    else:
        run_flow(INGEST, run)
    return run.published


def rows(settings: Settings, spec: TableSpec = ARTICLES) -> list[dict[str, Any]]:
    path = Store.from_settings(settings).path(spec.path)
    if not Path(path).exists():
        return []
    found: list[dict[str, Any]] = DeltaTable(path).to_pyarrow_table().to_pylist()
    return found


def quarantined(settings: Settings, run_id: str | None = None) -> list[dict[str, Any]]:
    return [r for r in rows(settings, QUARANTINE) if run_id is None or r["run_id"] == run_id]


def gdelt_rows(settings: Settings) -> list[dict[str, Any]]:
    return rows(settings, GDELT)
