"""Test-only Airflow DAG file: news_ingest as dags/news_ingest.py defines it, with short retry delays and hooks
that SIGKILL the task's own process once, mid-stage, for the kill -9 test (no test hook lives in pipeline/).

A hook fires when its marker file ``<data_root>/faults/kill-<fetch|normalize|publish>`` exists and is
consumed by that first use (unlinked, then the process kills itself), so the retry runs normally:
- fetch: raw pages are in the raw zone, the shard's staging file is not written yet;
- normalize: the first chunk of the staging file is written, the rest of the batch is not;
- publish: the articles MERGE has committed; the publish log and the table check have not run.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa

import pipeline.stages
from pipeline.settings import PROJECT_ROOT
from pipeline.stages import publish as publish_stage
from pipeline.storage.raw import Store

SOURCE = (PROJECT_ROOT / "dags" / "news_ingest.py").read_text(encoding="utf-8")
FAST_RETRIES = SOURCE.replace("timedelta(seconds=30)", "timedelta(seconds=1)").replace(
    '"retry_exponential_backoff": True', '"retry_exponential_backoff": False'
)
assert FAST_RETRIES != SOURCE, "dags/news_ingest.py changed its retry settings; update this wrapper"
exec(compile(FAST_RETRIES, __file__, "exec"))  # the DAG object is created here, so its fileloc is this file

CURRENT: dict[str, str] = {}


def kill_once(kind: str) -> None:
    marker = Path(os.environ["NEWSFLOW_DATA_ROOT"], "faults", f"kill-{kind}")
    try:
        marker.unlink()
    except FileNotFoundError:
        return
    os.kill(os.getpid(), signal.SIGKILL)


def _run_stage(name: str, *args: Any) -> Any:
    CURRENT["stage"] = name
    return ORIGINAL_RUN_STAGE(name, *args)


def _write_table(self: Store, path: str, table: pa.Table) -> str:
    if CURRENT.get("stage", "").startswith("fetch"):
        kill_once("fetch")
    return ORIGINAL_WRITE_TABLE(self, path, table)


def _write_batches(self: Store, path: str, schema: pa.Schema, tables: Iterable[pa.Table]) -> str:
    def first_then_kill() -> Iterator[pa.Table]:
        for number, table in enumerate(tables):
            if number == 1 and CURRENT.get("stage", "").startswith("normalize"):
                kill_once("normalize")
            yield table
        if CURRENT.get("stage", "").startswith("normalize"):
            kill_once("normalize")  # a batch of one chunk: killed before the file is closed

    return ORIGINAL_WRITE_BATCHES(self, path, schema, first_then_kill())


def _publish_articles(*args: Any, **kwargs: Any) -> Any:
    stats = ORIGINAL_PUBLISH_ARTICLES(*args, **kwargs)
    kill_once("publish")
    return stats


ORIGINAL_WRITE_TABLE, ORIGINAL_WRITE_BATCHES = Store.write_table, Store.write_batches
ORIGINAL_PUBLISH_ARTICLES = publish_stage.publish_articles
ORIGINAL_RUN_STAGE = pipeline.stages.run_stage
Store.write_table = _write_table  # type: ignore[method-assign]
Store.write_batches = _write_batches  # type: ignore[method-assign]
publish_stage.publish_articles = _publish_articles
pipeline.stages.run_stage = _run_stage  # the DAG's _stage() imports run_stage when its task runs
