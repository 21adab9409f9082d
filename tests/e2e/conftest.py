"""One embedded run (local data root, SQLite Airflow) that the scale-out runs are compared with."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pipeline.demo import run_dag_once
from pipeline.sample_site import serve_site
from pipeline.storage.delta import arrow_dataset
from pipeline.storage.raw import Store
from schemas import ARTICLES

LOGICAL_DATE = datetime(2026, 11, 25, 3, tzinfo=UTC)


def published_ids(store: Store) -> list[str]:
    """The article_ids of the published table, sorted (read through the native Arrow filesystem)."""
    ids: list[str] = arrow_dataset(store, ARTICLES).to_table(columns=["article_id"]).column(0).to_pylist()
    return sorted(ids)


@pytest.fixture(scope="session")
def embedded_article_ids(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """article_ids one `airflow dags test` run publishes for LOGICAL_DATE's interval on a local data root."""
    store = Store(str(tmp_path_factory.mktemp("embedded-data")), {})
    with serve_site() as site:
        run_dag_once(tmp_path_factory.mktemp("embedded-airflow"), store.root, LOGICAL_DATE, site)
    ids = published_ids(store)
    assert ids, "the embedded run published nothing"
    return ids
