"""kill -9 of a task's process during fetch, during normalize and during publish, on a real executor:
news_ingest on the Celery topology of tests/cluster.py (PostgreSQL metadata DB, Redis broker, a scheduler
and a worker). Airflow sees each task die, retries it, and the run ends with exactly the table a clean run
publishes: the same article_ids, none twice, none missing.

The kills come from a test-only DAG file (tests/e2e/fault_dags/), which wraps dags/news_ingest.py.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg2
import pytest

from pipeline.demo import DAG_ID
from pipeline.sample_site import serve_site
from pipeline.storage.delta import arrow_dataset
from pipeline.storage.raw import Store
from schemas import ARTICLES
from tests import cluster as harness
from tests.cluster import PG_HOST, PG_PORT, PG_USER, Cluster, ClusterError, celery_cluster
from tests.e2e.conftest import LOGICAL_DATE, published_ids

pytestmark = pytest.mark.e2e
FAULT_DAGS = Path(__file__).parent / "fault_dags"
KILLS = ("fetch", "normalize", "publish")
DAG_PARSE_TIMEOUT_S = 180
RUN_TIMEOUT_S = 900


@pytest.fixture
def cluster(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Cluster, Store]]:
    dags = tmp_path / "dags"
    shutil.copytree(FAULT_DAGS, dags, ignore=shutil.ignore_patterns("__pycache__"))
    original = harness.cluster_env

    def with_fault_dags(*args: Any, **kwargs: Any) -> dict[str, str]:
        return {**original(*args, **kwargs), "AIRFLOW__CORE__DAGS_FOLDER": str(dags)}

    monkeypatch.setattr(harness, "cluster_env", with_fault_dags)
    data = Store(str(tmp_path / "data"), {})
    faults = Path(data.root, "faults")
    faults.mkdir(parents=True)
    for kind in KILLS:
        (faults / f"kill-{kind}").touch()
    home = tmp_path / "airflow"
    home.mkdir()
    with serve_site() as site, celery_cluster(home, data, site, workers=1) as running:
        yield running, data


def tries(running: Cluster, run_id: str) -> dict[str, int]:
    """Highest try_number per task of the run (mapped tasks: over their map indexes)."""
    conn = psycopg2.connect(host=PG_HOST, port=PG_PORT, user=PG_USER, dbname=running.database.rsplit("/", 1)[1])
    try:
        with conn.cursor() as cur:
            cur.execute(
                "SELECT task_id, max(try_number) FROM task_instance WHERE dag_id = %s AND run_id = %s GROUP BY 1",
                (DAG_ID, run_id),
            )
            return dict(cur.fetchall())
    finally:
        conn.close()


def test_tasks_killed_with_sigkill_are_retried_and_the_table_equals_a_clean_run(
    cluster: tuple[Cluster, Store], embedded_article_ids: list[str]
) -> None:
    running, data = cluster
    with running.client() as api:
        running.wait_until(
            lambda: api.get(f"/dags/{DAG_ID}").status_code == 200, DAG_PARSE_TIMEOUT_S, "the DAG to be parsed"
        )
        api.patch(f"/dags/{DAG_ID}", json={"is_paused": False}).raise_for_status()
        triggered = api.post(f"/dags/{DAG_ID}/dagRuns", json={"logical_date": LOGICAL_DATE.isoformat()})
        triggered.raise_for_status()
        run_id = triggered.json()["dag_run_id"]

        def finished() -> str | None:
            state: str = api.get(f"/dags/{DAG_ID}/dagRuns/{run_id}").json()["state"]
            return state if state in ("success", "failed") else None

        state = running.wait_until(finished, RUN_TIMEOUT_S, f"run {run_id} to finish")

    if state != "success":
        raise ClusterError(f"run {run_id} ended {state}\n{running.diagnostics()}")
    assert sorted(p.name for p in Path(data.root, "faults").iterdir()) == [], "a kill hook never fired"
    attempts = tries(running, run_id)
    assert all(attempts[task] >= 2 for task in KILLS), attempts
    ids = arrow_dataset(data, ARTICLES).to_table(columns=["article_id"]).column(0).to_pylist()
    assert len(ids) == len(set(ids)), "an article was published twice"
    assert published_ids(data) == embedded_article_ids
