"""PostgreSQL, the metadata DB, restarted in the middle of a news_ingest run on the Celery topology of
tests/support/cluster.py: the run recovers or fails clearly, and the published table is never corrupted (no
duplicate article_id, nothing the clean run would not publish; after a recovery, exactly the clean run's).

The restarted server is a PostgreSQL cluster of this test's own (``pg_createcluster`` on a free port,
dropped afterwards), not the machine's ``main`` cluster: restarting that one would cut every other test
and developer using it. The restart is the same ``pg_ctlcluster ... restart`` an operator would run.
"""

from __future__ import annotations

import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from pipeline.dev.demo import DAG_ID
from pipeline.dev.sample_site import serve_site
from pipeline.storage.delta import arrow_dataset
from pipeline.storage.raw import Store
from schemas import ARTICLES
from tests.e2e.conftest import LOGICAL_DATE, published_ids
from tests.support import cluster as harness
from tests.support.cluster import Cluster, celery_cluster, free_port

pytestmark = pytest.mark.e2e
VERSION = subprocess.run("ls /etc/postgresql", shell=True, capture_output=True, text=True, check=False).stdout.strip()
RUN_TIMEOUT_S = 900
QUEUED_TIMEOUT_S = 90


@pytest.fixture
def private_postgres(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A PostgreSQL cluster of this test's own; tests/support/cluster.py is pointed at it. Yields its name."""
    name, port = f"newsflow_{uuid.uuid4().hex[:8]}", free_port()
    created = subprocess.run(
        ["pg_createcluster", VERSION, name, "-p", str(port), "--start", "--", "--auth=trust"],
        capture_output=True,
        text=True,
        check=False,
    )
    if created.returncode != 0:
        pytest.fail(
            f"cannot create a PostgreSQL cluster here (needs root and Debian's postgresql-common): {created.stderr}"
        )
    monkeypatch.setattr(harness, "PG_PORT", port)
    monkeypatch.setattr(harness, "START_POSTGRES", f"pg_ctlcluster --skip-systemctl-redirect {VERSION} {name} start")
    try:
        yield name
    finally:
        subprocess.run(["pg_dropcluster", "--stop", VERSION, name], capture_output=True, check=False)


@pytest.fixture
def cluster(tmp_path: Path, private_postgres: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Cluster, Store]]:
    original = harness.cluster_env

    def requeue_sooner(*args: Any, **kwargs: Any) -> dict[str, str]:
        # Celery tasks delivered while the DB restarts are lost; the scheduler requeues them once they have
        # been queued this long (600 s by default: the run then takes 10 minutes longer).
        return {**original(*args, **kwargs), "AIRFLOW__SCHEDULER__TASK_QUEUED_TIMEOUT": str(QUEUED_TIMEOUT_S)}

    monkeypatch.setattr(harness, "cluster_env", requeue_sooner)
    data = Store(str(tmp_path / "data"), {})
    home = tmp_path / "airflow"
    home.mkdir()
    with serve_site() as site, celery_cluster(home, data, site, workers=1) as running:
        yield running, data


def supervise(running: Cluster) -> list[str]:
    """Start again any component that stopped, as docker-compose.yml's ``restart: always`` does; its log so
    far is kept as ``<name>.log.<n>``. Returns the names restarted."""
    restarted = []
    for component in [c for c in running.components if c.process.poll() is not None]:
        running.components.remove(component)
        component.log.rename(component.log.with_suffix(f".log.{len(list(running.home.glob('*.log.*'))) + 1}"))
        running.start(component.name, [str(arg) for arg in component.process.args[1:]])  # type: ignore[index]
        restarted.append(component.name)
    return restarted


def get(api: httpx.Client, path: str) -> Any:
    """The API's answer, or None while it cannot reach its database."""
    try:
        response = api.get(path)
    except httpx.HTTPError:
        return None
    return response.json() if response.status_code == 200 else None


def test_a_metadata_db_restart_mid_run_recovers_or_fails_clearly_and_never_corrupts_the_table(
    cluster: tuple[Cluster, Store], private_postgres: str, embedded_article_ids: list[str]
) -> None:
    running, data = cluster
    with running.client() as api:
        run_id = running.trigger(api, LOGICAL_DATE)
        instances = f"/dags/{DAG_ID}/dagRuns/{run_id}/taskInstances"

        def fetching() -> bool:
            found = get(api, instances) or {"task_instances": []}
            return any(
                t["task_id"] == "fetch" and t["state"] in ("running", "success") for t in found["task_instances"]
            )

        running.wait_until(fetching, RUN_TIMEOUT_S, "the run to reach fetch")
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", VERSION, private_postgres, "restart", "-m", "fast"],
            check=True,
            timeout=120,
        )
        restarted = time.monotonic()

        state, restarted_components = None, []
        while time.monotonic() - restarted < RUN_TIMEOUT_S:
            run = get(api, f"/dags/{DAG_ID}/dagRuns/{run_id}")
            state = run["state"] if run else None
            if state in ("success", "failed"):
                break
            restarted_components += supervise(running)
            time.sleep(3)

    ids = arrow_dataset(data, ARTICLES).to_table(columns=["article_id"]).column(0).to_pylist()
    print(f"\nafter the restart: run {state}, restarted {restarted_components}, {len(ids)} rows published")
    assert len(ids) == len(set(ids)), "an article was published twice"
    assert set(ids) <= set(embedded_article_ids)
    assert state == "success", f"run ended {state}\n{running.diagnostics()}"
    assert published_ids(data) == embedded_article_ids
