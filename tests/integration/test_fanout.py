"""Sharded fetch and normalize (the DAG's fan-out) give the batch the whole-batch stages give."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pipeline.dev.sample_site import serve_site
from pipeline.settings import Settings, load_settings
from pipeline.sources.base import Interval
from pipeline.stages.collect import collect
from pipeline.stages.discover import discover
from pipeline.stages.fetch import fetch, fetch_shard, shard
from pipeline.stages.normalize import normalize, normalize_shard
from pipeline.storage.raw import Store
from schemas import FETCHED
from tests.support.articles import article_row, article_table
from tests.support.runs import quarantined

pytestmark = pytest.mark.integration
RUN = "manual__2026-11-25T03:00:00+00:00"
INTERVAL = Interval(datetime(2026, 11, 25, 2, tzinfo=UTC), datetime(2026, 11, 25, 3, tzinfo=UTC))


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    with serve_site() as url:
        yield url


def settings_for(site: str, root: Path, monkeypatch: pytest.MonkeyPatch, **overrides: object) -> Settings:
    monkeypatch.setenv("NEWSFLOW_SAMPLE_SITE", site)
    return load_settings(data_root=str(root), allow_private_networks=True, per_host_min_interval_s=0.0, **overrides)


def sharded(settings: Settings, refetch: bool | None = None) -> tuple[list[str], dict[str, str]]:
    """discover, shard, fetch and normalize every shard, collect: what the DAG's tasks do."""
    shards = shard(settings, RUN, discover(settings, RUN, INTERVAL), refetch)
    fetched = [fetch_shard(settings, RUN, path) for path in shards]
    normalized = [normalize_shard(settings, RUN, path) for path in fetched]
    return shards, collect(settings, RUN, fetched, normalized)


def test_shards_give_the_same_fetched_and_normalized_rows_as_the_whole_batch(
    site: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = settings_for(site, tmp_path / "whole", monkeypatch)
    fanned = settings_for(site, tmp_path / "fanned", monkeypatch, fetch_chunk_size=2)

    fetched = fetch(whole, RUN, discover(whole, RUN, INTERVAL))
    normalized = normalize(whole, RUN, fetched)
    shards, collected = sharded(fanned)

    def ids(settings: Settings, path: str, column: str) -> list[str]:
        return sorted(Store.from_settings(settings).read_table(path).column(column).to_pylist())

    assert len(shards) > 3  # three sources, split further by the chunk size
    assert ids(fanned, collected["fetched"], "url") == ids(whole, fetched, "url")
    assert ids(fanned, collected["normalized"], "article_id") == ids(whole, normalized, "article_id")
    reasons = sorted((r["url"], r["reason_code"]) for r in quarantined(fanned, RUN))
    assert reasons == sorted((r["url"], r["reason_code"]) for r in quarantined(whole, RUN))


def test_nothing_left_to_fetch_still_makes_one_empty_shard(
    site: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "none.yml").write_text("sources: []\n", encoding="utf-8")
    settings = settings_for(site, tmp_path / "data", monkeypatch, sources_file=str(tmp_path / "none.yml"))

    shards, collected = sharded(settings)

    assert len(shards) == 1
    assert Store.from_settings(settings).read_table(collected["normalized"]).num_rows == 0


def test_an_article_in_two_shards_is_collected_once_in_shard_order(tmp_path: Path) -> None:
    settings = load_settings(data_root=str(tmp_path))
    store = Store.from_settings(settings)
    first = store.write_table(str(tmp_path / "a.parquet"), article_table([article_row(1), article_row(2)]))
    second = store.write_table(
        str(tmp_path / "b.parquet"), article_table([article_row(2, title="second copy"), article_row(3)])
    )
    fetched = store.write_rows(str(tmp_path / "f.parquet"), [], FETCHED)

    collected = collect(settings, RUN, [fetched, fetched], [first, second])

    rows = store.read_table(collected["normalized"]).to_pylist()
    assert [(r["article_id"], r["title"]) for r in rows] == [
        (article_row(n)["article_id"], f"Story {n}") for n in (1, 2, 3)
    ]
    assert store.count_rows(collected["fetched"]) == 0
