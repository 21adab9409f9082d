"""news_ingest with the data root on an S3 API (moto server on loopback), read back through the S3 API."""

from __future__ import annotations

from collections.abc import Iterator

import duckdb
import pytest
from deltalake import DeltaTable, QueryBuilder

from pipeline.demo import run_dag_once
from pipeline.sample_site import serve_site
from pipeline.storage.delta import arrow_dataset
from pipeline.storage.raw import Store
from schemas import ARTICLES
from tests.e2e.conftest import LOGICAL_DATE
from tests.object_store import s3_store

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def s3_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """One `airflow dags test` run whose every stage reads and writes s3://newsflow/data."""
    with s3_store() as store, serve_site() as site:
        run_dag_once(tmp_path_factory.mktemp("airflow"), store.root, LOGICAL_DATE, site, store.storage_options)
        yield store


def test_the_run_publishes_the_same_articles_as_a_local_run(s3_run: Store, embedded_article_ids: list[str]) -> None:
    table = DeltaTable(s3_run.path(ARTICLES.path), storage_options=s3_run.storage_options)
    found = QueryBuilder().register("articles", table).execute("SELECT article_id FROM articles").read_all()
    assert sorted(found.column("article_id").to_pylist()) == embedded_article_ids


def test_duckdb_reads_the_published_table_through_the_s3_api(s3_run: Store, embedded_article_ids: list[str]) -> None:
    articles = arrow_dataset(s3_run, ARTICLES)
    with duckdb.connect() as con:
        con.register("articles", articles)
        ids = [r[0] for r in con.execute("SELECT article_id FROM articles ORDER BY article_id").fetchall()]
    assert ids == embedded_article_ids


def test_raw_zone_staging_and_reports_live_in_the_bucket(s3_run: Store) -> None:
    fs = s3_run.fs()
    assert {p.rsplit("/", 1)[-1] for p in fs.ls(s3_run.root)} >= {"published", "raw", "staging", "reports"}
    [run_dir] = fs.ls(s3_run.path("raw"))
    assert fs.glob(f"{run_dir}/page/*.gz")
    assert fs.glob(s3_run.path("reports", "*", "summary.json"))
