"""docker-compose.yml's topology as processes: news_ingest on the CeleryExecutor with two workers.

PostgreSQL metadata DB and result backend, Redis broker, API server, scheduler, DAG processor and two
Celery workers on loopback, the data root on an S3 API (as MinIO in the compose file); one run is
triggered through the REST API for the interval the embedded run takes, and must publish the same rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.demo import DAG_ID
from pipeline.sample_site import serve_site
from pipeline.storage.raw import Store
from tests.cluster import Cluster, ClusterError, celery_cluster
from tests.e2e.conftest import LOGICAL_DATE, published_ids
from tests.object_store import s3_store

pytestmark = pytest.mark.e2e
DAG_PARSE_TIMEOUT_S = 180
RUN_TIMEOUT_S = 600


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[tuple[Cluster, Store]]:
    with s3_store() as data, serve_site() as site, celery_cluster(tmp_path, data, site) as running:
        yield running, data


def test_news_ingest_runs_on_two_celery_workers_and_publishes_what_the_embedded_run_does(
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
    tasks = running.task_hosts(run_id)
    assert {host for _, _, host, _ in tasks} == {"worker1", "worker2"}, tasks
    assert {state for *_, state in tasks} == {"success"}, tasks
    assert published_ids(data) == embedded_article_ids
    for worker in ("worker1", "worker2"):  # each preloaded the stages once, before forking its tasks
        assert "newsflow: preloaded the stages" in (running.home / f"{worker}.log").read_text(encoding="utf-8")
