"""The DAG-level switches of ingestion: refetch on news_ingest, and the news_reprocess DAG."""

from __future__ import annotations

from itertools import pairwise

import pytest

pytestmark = pytest.mark.dags


def test_news_ingest_takes_a_refetch_param_that_defaults_to_off(dagbag) -> None:  # type: ignore[no-untyped-def]
    params = dagbag.dags["news_ingest"].params
    assert params["refetch"] is False


def test_news_reprocess_rebuilds_without_discover_or_fetch(dagbag) -> None:  # type: ignore[no-untyped-def]
    from airflow.sdk.definitions.timetables.simple import NullTimetable

    dag = dagbag.dags["news_reprocess"]
    chain = ["select", "normalize", "enrich", "validate", "republish"]
    assert sorted(dag.task_ids) == sorted([*chain, "report"])
    for upstream, downstream in pairwise(chain):
        assert downstream in dag.get_task(upstream).downstream_task_ids
    assert dag.schedule is None
    assert isinstance(dag.timetable, NullTimetable)  # triggered by hand only: the scheduler never starts it
    assert {"from", "to"} <= set(dag.params.keys())
    assert dag.get_task("republish").pool == "publish"
