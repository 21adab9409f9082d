"""Three hourly GDELT intervals through `airflow dags test` on embedded Airflow, twice: the same runs a
scheduler makes for `airflow backfill create --from-date 2026-11-20T00:00 --to-date 2026-11-20T02:00`."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from deltalake import DeltaTable
from pytest_httpserver import HTTPServer

from pipeline.demo import run_dag_once
from pipeline.store import Store
from schemas import ARTICLES, GDELT
from tests.gdelt_site import serve_gdelt

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
# `airflow dags test <date>` on an interval timetable runs the interval that ends at <date>: these three
# runs own [00:00, 01:00), [01:00, 02:00) and [02:00, 03:00) of 2026-11-20.
LOGICAL_DATES = [datetime(2026, 11, 20, h, tzinfo=UTC) for h in (1, 2, 3)]
DAY_START = datetime(2026, 11, 20, tzinfo=UTC)


def test_a_three_interval_backfill_run_twice_publishes_each_article_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    try:
        index = serve_gdelt(server)
        sources = tmp_path / "sources.yml"
        sources.write_text(
            f'sources:\n  - {{name: gdelt, kind: gdelt, index_url: "{index}", fetch_pages: true}}\n', encoding="utf-8"
        )
        monkeypatch.setenv("NEWSFLOW_SOURCES_FILE", str(sources))
        store = Store(str(tmp_path / "data"), {})
        counts = []
        for _ in range(2):
            for logical_date in LOGICAL_DATES:
                run_dag_once(tmp_path / "airflow", store.root, logical_date, sample_site=server.url_for(""))
            counts.append(DeltaTable(store.path(ARTICLES.path)).to_pyarrow_table().num_rows)
    finally:
        server.clear()
        server.stop()
    articles = DeltaTable(store.path(ARTICLES.path)).to_pyarrow_table().to_pylist()
    assert counts == [7, 7]
    assert Counter(r["published_at"].hour for r in articles) == Counter({0: 3, 1: 2, 2: 2})
    assert all(timedelta(0) <= r["published_at"] - DAY_START < timedelta(hours=3) for r in articles)
    assert DeltaTable(store.path(GDELT.path)).to_pyarrow_table().num_rows == 7
