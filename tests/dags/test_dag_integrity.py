from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path

import pendulum
import pytest

from pipeline.settings import PROJECT_ROOT

pytestmark = pytest.mark.dags

DAG_FILE = PROJECT_ROOT / "dags" / "news_ingest.py"
MAINTENANCE_DAG_FILE = PROJECT_ROOT / "dags" / "dataset_maintenance.py"
REPROCESS_DAG_FILE = PROJECT_ROOT / "dags" / "news_reprocess.py"
HEAVY = ("pipeline.stages", "spacy", "deltalake", "great_expectations", "trafilatura", "httpx", "pandas")


def test_dag_files_import_without_errors(dagbag) -> None:  # type: ignore[no-untyped-def]
    assert dagbag.import_errors == {}
    assert set(dagbag.dag_ids) == {"news_ingest", "news_reprocess", "dataset_maintenance"}


def test_news_ingest_wires_the_stages_in_order(dagbag) -> None:  # type: ignore[no-untyped-def]
    dag = dagbag.dags["news_ingest"]
    chain = ["discover", "shard", "fetch", "normalize", "collect", "enrich", "validate", "publish"]
    assert sorted(dag.task_ids) == sorted([*chain, "report"])
    for upstream, downstream in pairwise(chain):
        assert downstream in dag.get_task(upstream).downstream_task_ids
    assert dag.get_task("collect").upstream_task_ids == {"fetch", "normalize"}
    assert dag.get_task("report").upstream_task_ids == {"discover", "collect", "enrich", "validate", "publish"}


def test_fetch_and_normalize_fan_out_per_shard_and_publishing_is_serialized(dagbag) -> None:  # type: ignore[no-untyped-def]
    from airflow.sdk.definitions.mappedoperator import MappedOperator

    dag = dagbag.dags["news_ingest"]
    mapped = {task.task_id for task in dag.tasks if isinstance(task, MappedOperator)}
    assert mapped == {"fetch", "normalize"}
    assert dag.get_task("publish").pool == "publish"


def test_every_dag_has_tags_retries_and_no_catchup(dagbag) -> None:  # type: ignore[no-untyped-def]
    for dag in dagbag.dags.values():
        assert dag.tags, dag.dag_id
        assert dag.catchup is False, dag.dag_id
        for task in dag.tasks:
            assert task.retries >= 2, f"{dag.dag_id}.{task.task_id}"


def test_dataset_maintenance_compacts_then_vacuums_then_checks_health_daily(dagbag) -> None:  # type: ignore[no-untyped-def]
    dag = dagbag.dags["dataset_maintenance"]
    assert sorted(dag.task_ids) == ["check_health", "compact", "vacuum"]
    assert dag.get_task("compact").downstream_task_ids == {"vacuum"}
    assert dag.get_task("vacuum").downstream_task_ids == {"check_health"}
    assert "maintenance" in dag.tags
    assert dag.max_active_runs == 1
    assert all(task.pool != "publish" for task in dag.tasks)
    from airflow.serialization.encoders import coerce_to_core_timetable

    timetable = coerce_to_core_timetable(dag.timetable)
    first = timetable.next_dagrun_info(last_automated_data_interval=None, restriction=_unrestricted())
    assert first is not None
    second = timetable.next_dagrun_info(last_automated_data_interval=first.data_interval, restriction=_unrestricted())
    assert second is not None
    assert second.run_after - first.run_after == timedelta(days=1)


def _unrestricted():  # type: ignore[no-untyped-def]
    from airflow.timetables.base import TimeRestriction

    return TimeRestriction(earliest=pendulum.datetime(2026, 1, 1, tz="UTC"), latest=None, catchup=False)


@pytest.mark.parametrize(("dag_id", "task_id"), [("news_ingest", "publish"), ("news_reprocess", "republish")])
def test_publish_announces_the_published_table_only_when_it_committed(  # type: ignore[no-untyped-def]
    dagbag, monkeypatch: pytest.MonkeyPatch, dag_id: str, task_id: str
) -> None:
    from airflow.sdk import AssetAlias
    from airflow.sdk.execution_time.context import OutletEventAccessors

    task = dagbag.dags[dag_id].get_task(task_id)
    assert task.outlets == [AssetAlias(name="newsflow_articles_changed")]
    callable_ = task.python_callable
    events = {}
    for committed in (True, False):
        stats = {"table_version": 3, "rows_inserted": 2, "rows_updated": 0, "rows_unchanged": 1, "committed": committed}
        for name in ("_stage", "_step"):
            if name in callable_.__globals__:
                monkeypatch.setitem(callable_.__globals__, name, lambda *args, stats=stats: stats)
        accessors = OutletEventAccessors()
        assert callable_("validated.parquet", run_id="r", ti=None, outlet_events=accessors) == stats
        events[committed] = [e for accessor in accessors._dict.values() for e in accessor.asset_alias_events]
    [event] = events[True]
    assert (event.dest_asset_key.name, event.dest_asset_key.uri) == (
        "newsflow_articles",
        "newsflow://published/articles",
    )
    assert event.extra == {"table_version": 3, "rows_inserted": 2, "rows_updated": 0}
    assert events[False] == []


def test_a_configuration_error_or_a_failed_run_is_not_retried_anything_else_is(dagbag) -> None:  # type: ignore[no-untyped-def]
    from airflow.sdk import RetryAction

    from pipeline.errors import RunFailed
    from pipeline.settings import SettingsError
    from pipeline.sources.config import SourcesFileError

    final = (SourcesFileError("sources.yml", 4, "unknown field 'ulr'"), SettingsError("x"), RunFailed("x", {}))
    for dag in dagbag.dags.values():
        for task in dag.tasks:
            where = f"{dag.dag_id}.{task.task_id}"
            for error in final:
                assert task.retry_policy.evaluate(error, 1, 3).action is RetryAction.FAIL, where
            assert task.retry_policy.evaluate(ConnectionError("reset"), 1, 3).action is RetryAction.DEFAULT, where


def test_each_run_owns_a_one_hour_interval(dagbag) -> None:  # type: ignore[no-untyped-def]
    from airflow.serialization.encoders import coerce_to_core_timetable

    timetable = coerce_to_core_timetable(dagbag.dags["news_ingest"].timetable)
    interval = timetable.infer_manual_data_interval(run_after=pendulum.datetime(2026, 11, 25, 10, 30, tz="UTC"))
    assert interval.start == datetime(2026, 11, 25, 9, tzinfo=UTC)
    assert interval.end - interval.start == timedelta(hours=1)


@pytest.mark.parametrize("dag_file", [DAG_FILE, MAINTENANCE_DAG_FILE, REPROCESS_DAG_FILE], ids=lambda p: p.stem)
def test_importing_the_dag_file_loads_nothing_heavy(dag_file: Path) -> None:
    probe = f"""
import json, sys, time, runpy
import airflow.sdk
before = set(sys.modules)
start = time.perf_counter()
runpy.run_path({str(dag_file)!r})
elapsed = time.perf_counter() - start
added = set(sys.modules) - before
heavy = sorted(m for m in added if m.split(".")[0] in {HEAVY!r} or m in {HEAVY!r})
print(json.dumps({{"seconds": elapsed, "heavy": heavy}}))
"""
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["heavy"] == []
    assert result["seconds"] < 2.0


def test_every_dag_page_tells_an_operator_what_it_does_and_what_to_do(dagbag) -> None:  # type: ignore[no-untyped-def]
    """doc_md is the DAG page's text in the UI: for whoever runs the DAG, not for its developers."""
    reports = {
        "news_ingest": "<data_root>/reports/<run_id>/index.html",
        "news_reprocess": "<data_root>/reports/<run_id>/index.html",
        "dataset_maintenance": "<data_root>/reports/maintenance/<run_id>/health.json",
    }
    for dag_id, report in reports.items():
        doc = dagbag.dags[dag_id].doc_md
        for heading in ("**What it does.**", "**Schedule.**", "**Params.**", "**The report.**", "**When it fails.**"):
            assert heading in doc, (dag_id, heading)
        assert report in doc, dag_id
        assert "XCom" not in doc and "Wiring only" not in doc, dag_id  # developer talk stays in the docstring
    assert "`refetch`" in dagbag.dags["news_ingest"].doc_md
    assert "`from`" in dagbag.dags["news_reprocess"].doc_md and "`to`" in dagbag.dags["news_reprocess"].doc_md
