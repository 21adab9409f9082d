"""docker-compose.yml's topology as processes: news_ingest on the CeleryExecutor with two workers.

PostgreSQL metadata DB and result backend, Redis broker, API server, scheduler, DAG processor and two
Celery workers on loopback, the data root on an S3 API (as MinIO in the compose file); one run is
triggered through the REST API for the interval the embedded run takes, and must publish the same rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.dev.sample_site import serve_site
from pipeline.storage.raw import Store
from tests.e2e.conftest import LOGICAL_DATE, published_ids
from tests.support.cluster import Cluster, celery_cluster
from tests.support.object_store import s3_store

pytestmark = pytest.mark.e2e
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
        run_id = running.run_to_end(api, LOGICAL_DATE, RUN_TIMEOUT_S)
    tasks = running.task_hosts(run_id)
    assert {host for _, _, host, _ in tasks} == {"worker1", "worker2"}, tasks
    assert {state for *_, state in tasks} == {"success"}, tasks
    assert published_ids(data) == embedded_article_ids
    for worker in ("worker1", "worker2"):  # each preloaded the stages once, before forking its tasks
        assert "newsflow: preloaded the stages" in (running.home / f"{worker}.log").read_text(encoding="utf-8")
