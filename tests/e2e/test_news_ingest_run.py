"""news_ingest end to end: `airflow dags test` on embedded Airflow against the sample site on loopback."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import pyarrow as pa
import pytest
from deltalake import DeltaTable

from pipeline.demo import run_dag_once
from pipeline.sample_site import serve_site
from pipeline.settings import PROJECT_ROOT
from pipeline.storage.raw import Store
from pipeline.storage.side_tables import history
from schemas import ARTICLES, QUARANTINE
from tests.sample_site import expected_outcome

pytestmark = pytest.mark.e2e
LOGICAL_DATE = datetime(2026, 11, 25, 3, tzinfo=UTC)
SEED_EXPECTED = PROJECT_ROOT / "samples" / "seed" / "seed_article.expected.json"
SEED_PATH = "/voa/a/iraq-syria-border-7891234.html"


@dataclass(frozen=True)
class Runs:
    store: Store
    first: pa.Table
    second: pa.Table
    asset_events: tuple[list[str], list[str]]  # the articles asset's events' extras after each run


def articles(store: Store) -> pa.Table:
    return DeltaTable(store.path(ARTICLES.path)).to_pyarrow_table().sort_by("article_id")


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Runs:
    home = tmp_path_factory.mktemp("airflow")
    store = Store(str(tmp_path_factory.mktemp("data")), {})
    with serve_site() as site:
        run_dag_once(home, store.root, LOGICAL_DATE, site)
        first, first_events = articles(store), asset_events(home)
        run_dag_once(home, store.root, LOGICAL_DATE, site)
        second, second_events = articles(store), asset_events(home)
    return Runs(store, first, second, (first_events, second_events))


def asset_events(home: Path) -> list[str]:
    """The extras of every event of the articles asset in the embedded Airflow's metadata DB."""
    with sqlite3.connect(home / "airflow.db") as db:
        rows = db.execute(
            "SELECT e.extra FROM asset_event e JOIN asset a ON a.id = e.asset_id "
            "WHERE a.uri = 'newsflow://published/articles' ORDER BY e.id"
        ).fetchall()
    return [extra for (extra,) in rows]


def test_every_expected_article_is_published_once_with_typed_columns(runs: Runs) -> None:
    expected = expected_outcome()
    ids = runs.first.column("article_id").to_pylist()
    assert sorted(ids) == sorted(expected.published)
    assert runs.first.schema.equals(ARTICLES.schema, check_metadata=False)
    assert all(runs.first.column("word_count").to_pylist())


def test_failed_inputs_are_quarantined_with_reasons(runs: Runs) -> None:
    rows = DeltaTable(runs.store.path(QUARANTINE.path)).to_pyarrow_table().to_pylist()
    assert {urlsplit(r["url"]).path: r["reason_code"] for r in rows} == expected_outcome().quarantined


def test_the_seed_article_comes_out_as_a_careful_analyst_reads_it(runs: Runs) -> None:
    gold = json.loads(SEED_EXPECTED.read_text(encoding="utf-8"))
    [seed] = [r for r in runs.first.to_pylist() if urlsplit(r["url"]).path == SEED_PATH]
    actors = {(a["canonical"], a["type"], a["country_code"]) for a in seed["actors"]}
    places = {(p["geonameid"], p["country_code"], p["feature"]) for p in seed["locations"]}
    assert seed["source_domain"] == gold["source_domain"]
    assert seed["language"] == gold["language"]
    assert seed["published_at_source"] == "feed"
    assert actors == {(a["canonical"], a["type"], a["country_code"]) for a in gold["actors"]}
    assert places == {(p["geonameid"], p["country_code"], p["feature"]) for p in gold["locations"]}


def test_rerunning_the_interval_leaves_exactly_the_same_rows(runs: Runs) -> None:
    assert runs.second.equals(runs.first)
    latest = history(runs.store)[0]
    # The second run fetches nothing: every candidate is already published (refetch is off).
    assert (latest["rows_inserted"], latest["rows_updated"], latest["rows_unchanged"]) == (0, 0, 0)


def test_the_asset_event_is_emitted_by_the_publish_that_committed_and_not_by_the_rerun(runs: Runs) -> None:
    after_first, after_second = runs.asset_events
    [event] = after_first
    assert json.loads(event)["table_version"] == history(runs.store)[-1]["table_version"]
    assert after_second == after_first


def test_the_run_summary_is_written(runs: Runs) -> None:
    summaries = sorted(Path(runs.store.root, "reports").glob("*/summary.json"), key=lambda p: p.stat().st_mtime)
    assert len(summaries) == 2
    summary = json.loads(summaries[0].read_text(encoding="utf-8"))
    assert summary["validated"] == runs.first.num_rows
    assert summary["quarantine_reasons"] == {"fetch/http_status": 1, "normalize/empty_text": 1}
    assert summary["top_locations"]
