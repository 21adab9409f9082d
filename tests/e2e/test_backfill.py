"""`airflow backfill create` executed by a real scheduler: three hourly GDELT intervals, on the CeleryExecutor
topology of tests/cluster.py (PostgreSQL metadata DB, Redis broker, scheduler, DAG processor, a worker).

An operator first triggers one interval by hand, as a scheduled run would have covered it; a backfill over
the three intervals then runs only the two missing ones; a second backfill with
`--reprocess-behavior completed` re-runs all three. After each step every article of the covered intervals
is published exactly once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from pytest_httpserver import HTTPServer

from pipeline.demo import DAG_ID
from pipeline.storage.delta import arrow_dataset
from pipeline.storage.raw import Store
from schemas import ARTICLES, GDELT
from tests.cluster import Cluster, ClusterError, celery_cluster
from tests.gdelt_site import serve_gdelt

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
DAY = datetime(2026, 11, 20, tzinfo=UTC)
HOUR = timedelta(hours=1)
# The backfill window, inclusive at both ends, as logical dates: on the hourly interval timetable a run's
# logical date is the start of its interval, so these are [00:00, 01:00), [01:00, 02:00), [02:00, 03:00).
FROM, TO = DAY, DAY + 2 * HOUR
BY_HAND = DAY + HOUR  # the interval the operator triggered before the backfill
# Articles the GDELT fixture dates in each hour of the day (tests/fixtures/gdelt).
PER_HOUR = Counter({0: 3, 1: 2, 2: 2})
DAG_PARSE_TIMEOUT_S = 180
RUN_TIMEOUT_S = 900


@pytest.fixture
def cluster(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Cluster, Store]]:
    """A Celery cluster whose only source is a loopback GDELT (index, update files and article pages)."""
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    try:
        index = serve_gdelt(server)
        sources = tmp_path / "sources.yml"
        sources.write_text(
            f'sources:\n  - {{name: gdelt, kind: gdelt, index_url: "{index}", fetch_pages: true}}\n', encoding="utf-8"
        )
        monkeypatch.setenv("NEWSFLOW_SOURCES_FILE", str(sources))
        data = Store(str(tmp_path / "data"), {})
        home = tmp_path / "airflow"
        home.mkdir()
        with celery_cluster(home, data, server.url_for(""), workers=1) as running:
            yield running, data
    finally:
        server.clear()
        server.stop()


def test_backfill_runs_each_interval_once_and_twice_leaves_no_duplicates(cluster: tuple[Cluster, Store]) -> None:
    running, data = cluster
    with running.client() as api:
        running.wait_until(
            lambda: api.get(f"/dags/{DAG_ID}").status_code == 200, DAG_PARSE_TIMEOUT_S, "the DAG to be parsed"
        )
        api.patch(f"/dags/{DAG_ID}", json={"is_paused": False}).raise_for_status()

        by_hand = api.post(
            f"/dags/{DAG_ID}/dagRuns",
            json={
                "logical_date": BY_HAND.isoformat(),
                "data_interval_start": BY_HAND.isoformat(),
                "data_interval_end": (BY_HAND + HOUR).isoformat(),
            },
        )
        by_hand.raise_for_status()
        by_hand_id = by_hand.json()["dag_run_id"]
        _wait_for_runs(running, api, {by_hand_id})
        _assert_published_once(data, Counter({1: PER_HOUR[1]}))

        first = _backfill(running, api, [])
        assert sorted(first) == [FROM, TO], first  # the hand-triggered interval exists: not run again
        _assert_published_once(data, PER_HOUR)

        second = _backfill(running, api, ["--reprocess-behavior", "completed"])
        assert sorted(second) == [FROM, BY_HAND, TO], second
        assert second[BY_HAND] == by_hand_id  # the existing run was cleared and re-run, not duplicated
        for run_id in second.values():
            tries = {t["task_id"]: t["try_number"] for t in _task_instances(api, run_id)}
            assert tries["publish"] == 2, (run_id, tries)
        _assert_published_once(data, PER_HOUR)

        runs = api.get(f"/dags/{DAG_ID}/dagRuns", params={"limit": 100}).json()["dag_runs"]
    intervals = sorted(
        (datetime.fromisoformat(r["data_interval_start"]), datetime.fromisoformat(r["data_interval_end"])) for r in runs
    )
    assert intervals == [(DAY + h * HOUR, DAY + (h + 1) * HOUR) for h in range(3)], intervals  # one run each


def _backfill(running: Cluster, api: httpx.Client, options: list[str]) -> dict[datetime, str]:
    """Create a backfill over [FROM, TO] with the CLI, wait until the scheduler has run it (every run
    succeeded, the backfill marked complete); return the run_id it ran for each logical date."""
    before = {b["id"] for b in _backfills(api)}
    window = ["--from-date", FROM.isoformat(), "--to-date", TO.isoformat()]
    running.cli(["backfill", "create", "--dag-id", DAG_ID, *window, *options])
    (backfill_id,) = [b["id"] for b in _backfills(api) if b["id"] not in before]
    runs: dict[datetime, str] = dict(
        running.query(
            "SELECT b.logical_date, dr.run_id FROM backfill_dag_run b JOIN dag_run dr ON dr.id = b.dag_run_id"
            " WHERE b.backfill_id = %s",
            (backfill_id,),
        )
    )
    _wait_for_runs(running, api, set(runs.values()))
    running.wait_until(
        lambda: api.get(f"/backfills/{backfill_id}").json()["completed_at"],
        RUN_TIMEOUT_S,
        f"backfill {backfill_id} to be marked complete",
    )
    return runs


def _backfills(api: httpx.Client) -> list[dict[str, Any]]:
    answer = api.get("/backfills", params={"dag_id": DAG_ID})
    answer.raise_for_status()
    backfills: list[dict[str, Any]] = answer.json()["backfills"]
    return backfills


def _wait_for_runs(running: Cluster, api: httpx.Client, run_ids: set[str]) -> None:
    def finished() -> dict[str, str] | None:
        states = {rid: api.get(f"/dags/{DAG_ID}/dagRuns/{rid}").json()["state"] for rid in run_ids}
        return states if all(s in ("success", "failed") for s in states.values()) else None

    states = running.wait_until(finished, RUN_TIMEOUT_S, f"runs {sorted(run_ids)} to finish")
    if set(states.values()) != {"success"}:
        raise ClusterError(f"runs ended {states}\n{running.diagnostics()}")


def _task_instances(api: httpx.Client, run_id: str) -> list[dict[str, Any]]:
    answer = api.get(f"/dags/{DAG_ID}/dagRuns/{run_id}/taskInstances", params={"limit": 100})
    answer.raise_for_status()
    instances: list[dict[str, Any]] = answer.json()["task_instances"]
    return instances


def _assert_published_once(data: Store, per_hour: Counter[int]) -> None:
    """The articles table holds exactly the fixture's articles of the hours in ``per_hour``, each once, and
    the gdelt table one row for each."""
    articles = arrow_dataset(data, ARTICLES).to_table(columns=["article_id", "published_at"]).to_pylist()
    ids = [r["article_id"] for r in articles]
    assert len(ids) == len(set(ids)), Counter(ids).most_common(3)
    assert Counter(r["published_at"].hour for r in articles) == per_hour
    assert all(r["published_at"] - DAY < 3 * HOUR for r in articles)
    gdelt_ids = arrow_dataset(data, GDELT).to_table(columns=["article_id"]).column(0).to_pylist()
    assert sorted(gdelt_ids) == sorted(ids)
