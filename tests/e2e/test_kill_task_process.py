"""kill -9 of a task's process during fetch, during normalize and during publish, on a real executor:
news_ingest on the Celery topology of tests/support/cluster.py (PostgreSQL metadata DB, Redis broker, a scheduler
and a worker). Airflow sees each task die, retries it, and the run ends with exactly the table a clean run
publishes: the same article_ids, none twice, none missing.

The kills come from a test-only DAG file (tests/e2e/fault_dags/), which wraps dags/news_ingest.py.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pipeline.dev.demo import DAG_ID
from pipeline.dev.sample_site import serve_site
from pipeline.storage.delta import arrow_dataset
from pipeline.storage.raw import Store
from schemas import ARTICLES
from tests.e2e.conftest import LOGICAL_DATE, published_ids
from tests.support import cluster as harness
from tests.support.cluster import Cluster, celery_cluster

pytestmark = pytest.mark.e2e
FAULT_DAGS = Path(__file__).parent / "fault_dags"
KILLS = ("fetch", "normalize", "publish")
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
    rows = running.query(
        "SELECT task_id, max(try_number) FROM task_instance WHERE dag_id = %s AND run_id = %s GROUP BY 1",
        (DAG_ID, run_id),
    )
    return {task: int(attempt) for task, attempt in rows}


def test_tasks_killed_with_sigkill_are_retried_and_the_table_equals_a_clean_run(
    cluster: tuple[Cluster, Store], embedded_article_ids: list[str]
) -> None:
    running, data = cluster
    with running.client() as api:
        run_id = running.run_to_end(api, LOGICAL_DATE, RUN_TIMEOUT_S)
    assert sorted(p.name for p in Path(data.root, "faults").iterdir()) == [], "a kill hook never fired"
    attempts = tries(running, run_id)
    assert all(attempts[task] >= 2 for task in KILLS), attempts
    ids = arrow_dataset(data, ARTICLES).to_table(columns=["article_id"]).column(0).to_pylist()
    assert len(ids) == len(set(ids)), "an article was published twice"
    assert published_ids(data) == embedded_article_ids
