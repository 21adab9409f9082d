"""dataset_maintenance: compact small files, vacuum old ones, check the published tables' health (daily).

Wiring only: every task is one call into ``pipeline.stages.maintenance``. It is safe while news_ingest runs
(Delta's optimistic concurrency: a compaction that conflicts with a publish is retried), so it does not
take the ``publish`` pool. The health report lands in ``<data_root>/reports/maintenance/<run>/health.json``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from airflow.sdk import dag, task

from pipeline.airflow_tasks import NOT_RETRIED

# What the UI shows on the DAG's page: written for whoever runs it (the module docstring is for developers).
OPERATOR_GUIDE = """
### dataset_maintenance: keep the published tables fast and check they are sound, daily

**What it does.** `compact` merges small files, `vacuum` deletes files no table version within
`NEWSFLOW_VACUUM_RETENTION_HOURS` (168 by default) needs (so time travel reaches back that far and no
further), and `check_health` checks each published table: no duplicate `article_id`, every row in its
`published_date` partition.

**Schedule.** Daily at midnight UTC, no catch-up. Safe while news_ingest runs.

**Params.** None.

**The report.** `<data_root>/reports/maintenance/<run_id>/health.json`: rows, duplicate keys, rows in the
wrong partition, files and versions per table.

**When it fails.** `compact` or `vacuum` usually hit a storage problem (space, permissions: the log says
which); a compaction that collides with a publish is retried by itself. `check_health` fails when a
guarantee is broken: `health.json` names the table and the partitions; do not rerun blindly, report it.
"""


def _step(name: str, run_id: str | None) -> Any:
    """Run one maintenance step; imported here, not at module level, to keep DAG parsing fast."""
    from pipeline.stages.maintenance import run_step

    return run_step(name, run_id)


@dag(
    dag_id="dataset_maintenance",
    schedule="@daily",
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,
    default_args={
        "retries": 2,
        "retry_delay": timedelta(minutes=5),
        "retry_exponential_backoff": True,
        "retry_policy": NOT_RETRIED,
    },
    tags=["newsflow", "maintenance"],
    doc_md=OPERATOR_GUIDE,
)
def dataset_maintenance() -> None:
    @task
    def compact(run_id: str | None = None) -> dict[str, Any]:
        return _step("compact", run_id)

    @task
    def vacuum(run_id: str | None = None) -> dict[str, int]:
        return _step("vacuum", run_id)

    @task
    def check_health(run_id: str | None = None) -> str:
        return _step("check_health", run_id)

    compact() >> vacuum() >> check_health()


dag_object = dataset_maintenance()

if __name__ == "__main__":
    dag_object.test()
