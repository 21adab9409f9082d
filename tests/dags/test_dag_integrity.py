from __future__ import annotations

import json
from itertools import pairwise
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pendulum
import pytest

from pipeline.settings import PROJECT_ROOT

pytestmark = pytest.mark.dags

DAG_FILE = PROJECT_ROOT / "dags" / "news_ingest.py"
HEAVY = ("pipeline.stages", "spacy", "deltalake", "great_expectations", "trafilatura", "httpx", "pandas")


@pytest.fixture(scope="module")
def dagbag():  # type: ignore[no-untyped-def]
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(DAG_FILE.parent))


def test_dag_files_import_without_errors(dagbag) -> None:  # type: ignore[no-untyped-def]
    assert dagbag.import_errors == {}
    assert "news_ingest" in dagbag.dag_ids


def test_news_ingest_wires_the_stages_in_order(dagbag) -> None:  # type: ignore[no-untyped-def]
    dag = dagbag.dags["news_ingest"]
    chain = ["discover", "fetch", "normalize", "enrich", "validate", "publish"]
    assert sorted(dag.task_ids) == sorted([*chain, "report"])
    for upstream, downstream in pairwise(chain):
        assert downstream in dag.get_task(upstream).downstream_task_ids
    assert dag.get_task("report").upstream_task_ids == {
        "discover",
        "fetch",
        "normalize",
        "validate",
        "publish",
    }


def test_every_dag_has_tags_retries_and_no_catchup(dagbag) -> None:  # type: ignore[no-untyped-def]
    for dag in dagbag.dags.values():
        assert dag.tags, dag.dag_id
        assert dag.catchup is False, dag.dag_id
        for task in dag.tasks:
            assert task.retries >= 2, f"{dag.dag_id}.{task.task_id}"


def test_publish_declares_the_published_table_as_an_asset(dagbag) -> None:  # type: ignore[no-untyped-def]
    outlets = dagbag.dags["news_ingest"].get_task("publish").outlets
    assert [o.uri for o in outlets] == ["newsflow://published/articles"]


def test_each_run_owns_a_one_hour_interval(dagbag) -> None:  # type: ignore[no-untyped-def]
    from airflow.serialization.encoders import coerce_to_core_timetable

    timetable = coerce_to_core_timetable(dagbag.dags["news_ingest"].timetable)
    interval = timetable.infer_manual_data_interval(run_after=pendulum.datetime(2026, 11, 25, 10, 30, tz="UTC"))
    assert interval.start == datetime(2026, 11, 25, 9, tzinfo=UTC)
    assert interval.end - interval.start == timedelta(hours=1)


def test_importing_the_dag_file_loads_nothing_heavy() -> None:
    probe = f"""
import json, sys, time, runpy
import airflow.sdk
before = set(sys.modules)
start = time.perf_counter()
runpy.run_path({str(DAG_FILE)!r})
elapsed = time.perf_counter() - start
added = set(sys.modules) - before
print(json.dumps({{"seconds": elapsed, "heavy": sorted(m for m in added if m.split(".")[0] in {HEAVY!r} or m in {HEAVY!r})}}))
"""
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["heavy"] == []
    assert result["seconds"] < 2.0
