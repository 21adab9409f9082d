"""Backfilling three hourly intervals from the GDELT fixture, twice: each interval takes only its own
articles, the second pass changes nothing, and re-processing rebuilds the rows from the raw zone."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from deltalake import DeltaTable
from pytest_httpserver import HTTPServer

from pipeline.dedup.minhash import signature
from pipeline.flows import reprocess
from pipeline.settings import Settings
from pipeline.sources.base import Interval
from pipeline.storage.raw import Store
from pipeline.storage.side_tables import history
from schemas import SIGNATURES
from tests.support.gdelt_site import serve_gdelt
from tests.support.runs import fast_settings, gdelt_rows, ingest, quarantined, rows

pytestmark = pytest.mark.integration
START = datetime(2026, 11, 20, tzinfo=UTC)
INTERVALS = [Interval(START + timedelta(hours=h), START + timedelta(hours=h + 1)) for h in range(3)]
PER_INTERVAL = [3, 2, 2]  # GKG web articles per hour in tests/fixtures/gdelt (one URL listed twice in hour 0)


def run_id(interval: Interval, attempt: int) -> str:
    return f"backfill__{interval.end.isoformat()}__{attempt}"


@dataclass(frozen=True)
class Backfill:
    settings: Settings
    server: HTTPServer
    after_first: list[dict[str, object]]
    after_second: list[dict[str, object]]
    per_run: dict[str, int]


@pytest.fixture(scope="module")
def backfill(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Backfill]:
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    index = serve_gdelt(server)
    source = f'sources:\n  - {{name: gdelt, kind: gdelt, index_url: "{index}", fetch_pages: true}}\n'
    settings = fast_settings(tmp_path_factory.mktemp("backfill") / "data", source)
    per_run = {}
    for attempt in (1, 2):
        for interval in INTERVALS:
            stats = ingest(settings, run_id(interval, attempt), interval)
            per_run[run_id(interval, attempt)] = stats["rows_inserted"]
        if attempt == 1:
            first = rows(settings)
    yield Backfill(settings, server, first, rows(settings), per_run)
    server.clear()
    server.stop()


def test_each_interval_publishes_exactly_its_own_articles(backfill: Backfill) -> None:
    assert [backfill.per_run[run_id(i, 1)] for i in INTERVALS] == PER_INTERVAL
    assert len(backfill.after_first) == sum(PER_INTERVAL) == 7
    hours = Counter(r["published_at"].hour for r in backfill.after_first)  # type: ignore[union-attr]
    assert hours == Counter({0: 3, 1: 2, 2: 2})


def test_running_the_backfill_again_adds_no_row_and_fetches_no_published_page(backfill: Backfill) -> None:
    assert [backfill.per_run[run_id(i, 2)] for i in INTERVALS] == [0, 0, 0]
    assert len(backfill.after_second) == 7
    assert len({r["article_id"] for r in backfill.after_second}) == 7
    page_gets = Counter(r.path for r, _ in backfill.server.log if r.path.endswith(".html"))
    assert set(page_gets.values()) == {1}, page_gets


def test_gdelt_metadata_is_kept_once_per_article(backfill: Backfill) -> None:
    meta = gdelt_rows(backfill.settings)
    assert len(meta) == 7
    assert {m["article_id"] for m in meta} == {r["article_id"] for r in backfill.after_second}


def test_overlapping_runs_leave_no_duplicate(backfill: Backfill) -> None:
    wide = Interval(START, START + timedelta(hours=3))
    ingest(backfill.settings, "scheduled__overlap", wide, refetch=True)
    after = rows(backfill.settings)
    assert len(after) == len({r["article_id"] for r in after}) == 7
    assert history(Store.from_settings(backfill.settings))[0]["rows_inserted"] == 0
    assert not [q for q in quarantined(backfill.settings, "scheduled__overlap") if q["stage"] != "discover"]


def test_reprocess_rebuilds_the_range_from_the_raw_zone_with_the_new_pipeline_version(
    backfill: Backfill, tmp_path: Path
) -> None:
    signatures = DeltaTable(Store.from_settings(backfill.settings).path(SIGNATURES.path))
    signatures.delete()  # as if recorded by an older extraction: reprocess records the rebuilt rows' own
    backfill.server.stop()  # no network from here on
    try:
        newer = backfill.settings.model_copy(update={"pipeline_version": "0.2.0"})
        hours = Interval(START, START + timedelta(hours=2))
        summary = reprocess(newer, "reprocess__hours-0-2", hours).summary
        after = {r["article_id"]: r for r in rows(backfill.settings)}
        again = reprocess(newer, "reprocess__again", hours).summary
    finally:
        backfill.server.start()
    versions = Counter(r["pipeline_version"] for r in after.values())
    assert versions == Counter({"0.2.0": 5, "0.1.0": 2})
    assert summary["published"]["rows_updated"] == 5 and summary["published"]["rows_inserted"] == 0
    assert again["published"]["rows_updated"] == 0 and again["published"]["rows_unchanged"] == 5
    signed = {r["article_id"]: r["signature"] for r in DeltaTable(signatures.table_uri).to_pyarrow_table().to_pylist()}
    rebuilt = [key for key, row in after.items() if row["pipeline_version"] == "0.2.0"]
    assert signed == {key: signature(after[key]["text"]) for key in rebuilt}
    before = {r["article_id"]: r for r in backfill.after_second}
    for key, row in after.items():
        assert (row["text"], row["published_at"], row["raw_ref"]) == (
            before[key]["text"],
            before[key]["published_at"],
            before[key]["raw_ref"],
        )
