"""dataset_maintenance: compact small files, vacuum old ones, check the published tables' health (daily).

Wiring only: every task is one call into ``pipeline.maintenance``. It is safe while news_ingest runs
(Delta's optimistic concurrency: a compaction that conflicts with a publish is retried), so it does not
take the ``publish`` pool. The health report lands in ``<data_root>/reports/maintenance/<run>/health.json``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from airflow.sdk import dag, task

from pipeline.airflow_tasks import NOT_RETRIED


def _step(name: str, run_id: str | None) -> Any:
    """Run one maintenance step; imported here, not at module level, to keep DAG parsing fast."""
    from pipeline.maintenance import run_step

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
    doc_md=__doc__,
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
