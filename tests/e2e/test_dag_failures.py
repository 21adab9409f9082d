"""news_ingest runs that must fail, on embedded Airflow (`airflow dags test`), as an operator meets them: a typo in
the sources file fails its task at its first try (no retries), and a run in which every source failed fails at
its report, after reporting why, without emitting an event of the articles asset."""

from __future__ import annotations

import sqlite3
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from pipeline.dev.demo import PUBLISH_POOL, airflow, airflow_env
from tests.support.cluster import free_port

pytestmark = pytest.mark.e2e
LOGICAL_DATE = "2026-11-20T01:00:00+00:00"


@dataclass(frozen=True)
class Airflow:
    home: Path
    env: dict[str, str]

    def test_run(self, sources: str) -> subprocess.CompletedProcess[str]:
        """`airflow dags test news_ingest` over ``sources``; returns the finished command."""
        file = self.home / "sources.yml"
        file.write_text(sources, encoding="utf-8")
        return airflow(["dags", "test", "news_ingest", LOGICAL_DATE], {**self.env, "NEWSFLOW_SOURCES_FILE": str(file)})

    def tries(self) -> dict[str, tuple[str, int]]:
        """Task id -> (state, try number) of the latest run."""
        with sqlite3.connect(self.home / "airflow.db") as db:
            rows = db.execute(
                "SELECT task_id, state, try_number FROM task_instance WHERE run_id = "
                "(SELECT run_id FROM dag_run WHERE dag_id = 'news_ingest' ORDER BY id DESC LIMIT 1)"
            ).fetchall()
        return {task: (state, tries) for task, state, tries in rows}

    def asset_events(self) -> int:
        with sqlite3.connect(self.home / "airflow.db") as db:
            [(count,)] = db.execute(
                "SELECT count(*) FROM asset_event e JOIN asset a ON a.id = e.asset_id "
                "WHERE a.uri = 'newsflow://published/articles'"
            ).fetchall()
        return int(count)


@pytest.fixture(scope="module")
def embedded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Airflow]:
    home = tmp_path_factory.mktemp("airflow")
    env = airflow_env(home, str(home / "data"))
    env.update({"NEWSFLOW_ALLOW_PRIVATE_NETWORKS": "true", "NEWSFLOW_RETRIES": "0"})
    for args in (["db", "migrate"], ["pools", "set", PUBLISH_POOL, "1", "serialized Delta merges"]):
        done = airflow(args, env)
        assert done.returncode == 0, done.stderr
    yield Airflow(home, env)


def test_a_typo_in_the_sources_file_fails_discover_at_its_first_try(embedded: Airflow) -> None:
    done = embedded.test_run("sources:\n  - name: wire\n    kind: rss\n    ulr: http://127.0.0.1:9/feed.xml\n")

    assert done.returncode != 0
    assert embedded.tries()["discover"] == ("failed", 1)
    assert "ulr" in done.stdout + done.stderr


def test_a_run_in_which_every_source_failed_fails_at_its_report_without_an_asset_event(embedded: Airflow) -> None:
    before = embedded.asset_events()
    down = [f'  - {{name: down-{n}, kind: rss, url: "http://127.0.0.1:{free_port()}/feed.rss"}}' for n in (1, 2)]

    done = embedded.test_run("sources:\n" + "\n".join(down) + "\n")

    assert done.returncode != 0
    tries = embedded.tries()
    assert tries["publish"] == ("success", 1)
    assert tries["report"] == ("failed", 1)
    assert "every source failed (down-1, down-2)" in done.stdout + done.stderr
    assert embedded.asset_events() == before
