"""news_ingest: feeds -> pages -> typed, enriched, validated articles -> the published Delta table.

Wiring only: every task is one call into ``pipeline.stages`` with plain values, and only references
(staging paths) travel through XCom. Heavy imports happen inside the tasks, so parsing this file is
cheap. Each run owns its data interval [data_interval_start, data_interval_end): the timetable is an
interval timetable, not Airflow 3's default trigger timetable, whose intervals are zero-length.

Fetching and normalizing fan out: ``shard`` splits the candidates per source into chunks of
``NEWSFLOW_FETCH_CHUNK_SIZE``, one mapped ``fetch`` and ``normalize`` task runs per shard (on any worker),
and ``collect`` joins the shards into the run's batch. ``publish`` runs in the one-slot ``publish`` pool,
so Delta merges into the published table happen one at a time across runs; it emits an event of the
``newsflow_articles`` asset only when it committed a new table version. ``report`` fails the run when
its sources failed beyond the failure policy; that verdict and configuration errors are not retried.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from typing import Any

from airflow.sdk import CronDataIntervalTimetable, Param, dag, task
from airflow.sdk.types import OutletEventAccessorsProtocol, RuntimeTaskInstanceProtocol

from pipeline.orchestration.airflow_tasks import ARTICLES_CHANGED, NOT_RETRIED, announce

SCHEDULE = os.environ.get("NEWSFLOW_SCHEDULE", "0 * * * *")

# What the UI shows on the DAG's page: written for whoever runs it (the module docstring is for developers).
OPERATOR_GUIDE = """
### news_ingest: news articles into the published dataset, every hour

**What it does.** Each run reads the sources of the sources file (`config/sources.yml`, or the file named by
`NEWSFLOW_SOURCES_FILE`), fetches the articles of its data interval, extracts, enriches and validates them,
and merges them into the Delta table `<data_root>/published/articles` (default `./data/published/articles`).
Inputs that fail go to `<data_root>/published/quarantine` with a reason; the run goes on without them.

**Schedule.** Hourly at minute 0 (`NEWSFLOW_SCHEDULE` changes it); a run covers the hour before it,
`[data_interval_start, data_interval_end)`. No catch-up: a missed hour is filled by a backfill
(`.venv/bin/python -m pipeline airflow backfill create --dag-id news_ingest --from-date ... --to-date ...`).
Up to 4 runs at once; `publish` waits for the one slot of the `publish` pool, so merges happen one at a time.

**Params.** `refetch` (default off): fetch and re-merge articles already in the table.

**The report.** `<data_root>/reports/<run_id>/index.html` (open it first): counts per source and stage,
quarantine reasons, top actors and places; `summary.json` beside it, and the validation results in `datadocs/`.

**When it fails.** Open the failed task's log; the error is one line naming what is wrong.
- `discover`: the sources file or a setting is wrong (the line names the file, line and field): fix it,
  then clear the task. A configuration error is not retried: it fails at its first try.
- `report`: every source failed, or more than `NEWSFLOW_MAX_FAILED_SOURCE_SHARE` (0.5) of them did. What
  the others gave is already published; the run report (`reports/<run_id>/`) lists each source's status
  and reason. Fix or remove the failing sources, then clear the run.
- `validate` / `publish`: a batch check failed; the message names each failed expectation and what it
  saw, and the Data Docs page under `reports/<run_id>/datadocs/`. Nothing was published. Fix the source
  (or the threshold in `pipeline/quality/expectations/`), then clear the run.
- `publish` with a storage error: free space or restore write access to the data root, then clear the task;
  the table kept its last version.

Clearing or rerunning a run is always safe: articles are merged on `article_id`, never added twice.
"""


def _stage(name: str, *args: Any) -> Any:
    """Run one pipeline stage; imported here, not at module level, to keep DAG parsing fast."""
    from pipeline.stages import run_stage

    return run_stage(name, *args)


@dag(
    dag_id="news_ingest",
    schedule=CronDataIntervalTimetable(SCHEDULE, timezone="UTC"),
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=4,
    default_args={
        "retries": 2,
        "retry_delay": timedelta(seconds=30),
        "retry_exponential_backoff": True,
        "retry_policy": NOT_RETRIED,
    },
    tags=["newsflow", "ingest"],
    params={
        "refetch": Param(
            False,
            type="boolean",
            description="Fetch and re-publish articles already in the published table (default: skip them).",
        )
    },
    doc_md=OPERATOR_GUIDE,
)
def news_ingest() -> None:
    @task
    def discover(
        run_id: str | None = None,
        data_interval_start: datetime | None = None,
        data_interval_end: datetime | None = None,
    ) -> str:
        return _stage("discover", run_id, data_interval_start, data_interval_end)

    @task
    def shard(candidates: str, run_id: str | None = None, params: dict[str, Any] | None = None) -> list[str]:
        return _stage("shard", run_id, candidates, bool((params or {}).get("refetch", False)))

    @task
    def fetch(candidates: str, run_id: str | None = None) -> str:
        return _stage("fetch_shard", run_id, candidates)

    @task
    def normalize(fetched: str, run_id: str | None = None) -> str:
        return _stage("normalize_shard", run_id, fetched)

    @task
    def collect(fetched: list[str], normalized: list[str], run_id: str | None = None) -> dict[str, str]:
        return _stage("collect", run_id, fetched, normalized)

    @task
    def enrich(normalized: str, run_id: str | None = None) -> str:
        return _stage("enrich", run_id, normalized)

    @task
    def validate(
        enriched: str,
        run_id: str | None = None,
        data_interval_start: datetime | None = None,
        data_interval_end: datetime | None = None,
    ) -> str:
        return _stage("validate", run_id, enriched, data_interval_start, data_interval_end)

    @task(outlets=[ARTICLES_CHANGED], pool="publish")
    def publish(
        validated: str,
        run_id: str | None = None,
        ti: RuntimeTaskInstanceProtocol | None = None,
        outlet_events: OutletEventAccessorsProtocol | None = None,
    ) -> dict[str, Any]:
        published = _stage("publish", run_id, validated, ti.try_number if ti else None)
        return announce(published, outlet_events)

    @task
    def report(
        paths: dict[str, str],
        published: dict[str, int],
        run_id: str | None = None,
        data_interval_start: datetime | None = None,
        data_interval_end: datetime | None = None,
    ) -> str:
        return _stage("report", run_id, paths, published, data_interval_start, data_interval_end)

    candidates = discover()
    fetched = fetch.expand(candidates=shard(candidates))
    batch = collect(fetched, normalize.expand(fetched=fetched))
    enriched = enrich(batch["normalized"])
    validated = validate(enriched)
    published = publish(validated)
    report(
        {
            "candidates": candidates,
            "fetched": batch["fetched"],
            "normalized": batch["normalized"],
            "enriched": enriched,
            "validated": validated,
        },
        published,
    )


dag_object = news_ingest()

if __name__ == "__main__":
    dag_object.test()
