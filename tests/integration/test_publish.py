from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from deltalake import DeltaTable

from pipeline.settings import PROJECT_ROOT
from pipeline.storage import articles, delta
from pipeline.storage.articles import publish_articles
from pipeline.storage.delta import arrow_dataset, open_table
from pipeline.storage.raw import StagedRows, Store
from pipeline.storage.side_tables import history
from schemas import ARTICLES, PUBLISH_LOG
from schemas.tables import TIMESTAMP_UTC
from tests.articles import article_row, article_table
from tests.publishing import batch, publish_in_child

pytestmark = pytest.mark.integration


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(str(tmp_path / "data"), {})


def read(store: Store) -> DeltaTable:
    return DeltaTable(store.path(ARTICLES.path))


def test_first_publish_creates_a_partitioned_typed_table(store: Store) -> None:
    stats = publish_articles(store, article_table([article_row(1), article_row(30)]), "run-1")
    table = read(store)
    assert stats.rows_inserted == 2
    assert table.metadata().partition_columns == ["published_date"]
    assert table.to_pyarrow_table().schema.field("published_at").type == ARTICLES.schema.field("published_at").type
    assert sorted(table.to_pyarrow_table().column("title").to_pylist()) == ["Story 1", "Story 30"]


def test_publishing_the_same_batch_twice_leaves_exactly_the_same_rows(store: Store) -> None:
    batch = article_table([article_row(i) for i in range(5)])
    publish_articles(store, batch, "run-1")
    version = DeltaTable(store.path(ARTICLES.path)).version()
    before = read(store).to_pyarrow_table().sort_by("article_id")
    again = publish_articles(store, batch, "run-1-retry")
    after = read(store).to_pyarrow_table().sort_by("article_id")
    assert (again.table_version, again.rows_inserted, again.rows_updated, again.rows_unchanged) == (version, 0, 0, 5)
    assert read(store).version() == version  # nothing to change, nothing committed
    assert after.equals(before)


def test_changed_content_updates_the_row_in_place(store: Store) -> None:
    publish_articles(store, article_table([article_row(1)]), "run-1")
    stats = publish_articles(
        store, article_table([article_row(1, title="Story 1 (updated)", content_hash="new")]), "run-2"
    )
    rows = read(store).to_pyarrow_table().to_pylist()
    assert (stats.rows_inserted, stats.rows_updated) == (0, 1)
    assert [(r["title"], r["run_id"]) for r in rows] == [("Story 1 (updated)", "test-run")]


def test_every_publish_is_logged_with_version_and_counts(store: Store) -> None:
    publish_articles(store, article_table([article_row(1)]), "run-1")
    publish_articles(store, article_table([article_row(1), article_row(2)]), "run-2")
    log = history(store)
    assert [(r["run_id"], r["rows_inserted"], r["rows_unchanged"]) for r in log] == [
        ("run-2", 1, 1),
        ("run-1", 1, 0),
    ]
    assert log[0]["table_version"] > log[1]["table_version"]


def test_every_publish_attempt_keeps_its_own_record_reruns_and_empty_ones_included(store: Store) -> None:
    first = publish_articles(store, batch(range(3)), "run-1", try_number=1)
    publish_articles(store, batch(range(3)), "run-1", try_number=2)  # a cleared task: same run, commits nothing
    publish_articles(store, batch(range(3)), "reprocess")  # outside Airflow: tries counted from the log
    publish_articles(store, batch(range(3)), "reprocess")

    log = history(store)
    assert [(r["run_id"], r["try_number"], r["committed"], r["table_version"]) for r in log] == [
        ("reprocess", 2, False, first.table_version),
        ("reprocess", 1, False, first.table_version),
        ("run-1", 2, False, first.table_version),
        ("run-1", 1, True, first.table_version),
    ]
    assert len({r["publish_id"] for r in log}) == 4
    assert [r["run_id"] for r in history(store, limit=1)] == ["reprocess"]


def test_a_publish_log_written_before_the_attempt_columns_takes_them(store: Store) -> None:
    old_schema = pa.schema(
        [
            field
            for field in PUBLISH_LOG.schema
            if field.name
            in ("run_id", "table_version", "rows_inserted", "rows_updated", "rows_unchanged", "published_at")
        ]
    )
    old = {
        "run_id": "old-run",
        "table_version": 0,
        "rows_inserted": 1,
        "rows_updated": 0,
        "rows_unchanged": 0,
        "published_at": datetime(2026, 11, 1, tzinfo=UTC),
    }
    DeltaTable.create(store.path(PUBLISH_LOG.path), old_schema)
    from deltalake import write_deltalake

    write_deltalake(store.path(PUBLISH_LOG.path), pa.Table.from_pylist([old], schema=old_schema), mode="append")

    publish_articles(store, batch(range(2)), "new-run")

    log = history(store)
    assert [(r["run_id"], r["committed"], r["try_number"]) for r in log] == [
        ("new-run", True, 1),
        ("old-run", None, None),
    ]
    assert DeltaTable(store.path(PUBLISH_LOG.path)).schema().to_arrow().field("published_at").type == TIMESTAMP_UTC


def test_a_batch_with_duplicate_keys_is_refused_before_writing(store: Store) -> None:
    with pytest.raises(ValueError, match="duplicate article_id"):
        publish_articles(store, article_table([article_row(1), article_row(1)]), "run-1")


def test_overlapping_batches_keep_one_row_per_article_with_the_newest_content(store: Store) -> None:
    publish_articles(store, batch(range(0, 10)), "scheduled")
    overlap = [article_row(n) for n in range(5, 15)]
    overlap[2] = article_row(7, title="Story 7 (corrected)", content_hash="corrected")
    stats = publish_articles(store, article_table(overlap), "backfill")
    rows = read(store).to_pyarrow_table().to_pylist()
    assert (stats.rows_inserted, stats.rows_updated, stats.rows_unchanged) == (5, 1, 4)
    assert sorted(r["article_id"] for r in rows) == sorted(article_row(n)["article_id"] for n in range(15))
    assert [r["title"] for r in rows if r["article_id"] == article_row(7)["article_id"]] == ["Story 7 (corrected)"]


def test_a_staging_file_merges_chunk_by_chunk_into_the_same_rows_as_the_table_in_memory(
    store: Store, tmp_path: Path
) -> None:
    rows = batch(range(5000), text="word " * 50)  # 3 merge chunks of MERGE_CHUNK_ROWS
    staged = StagedRows(store, store.write_table(str(tmp_path / "validated.parquet"), rows))
    in_memory = Store(str(tmp_path / "in-memory"), {})

    stats = publish_articles(store, staged, "run-1")
    publish_articles(in_memory, rows, "run-1")
    rerun = publish_articles(store, staged, "run-1-retry")

    assert (stats.rows_inserted, rerun.rows_inserted, rerun.rows_unchanged) == (5000, 0, 5000)
    published = read(store).to_pyarrow_table().sort_by("article_id")
    assert published.equals(DeltaTable(in_memory.path(ARTICLES.path)).to_pyarrow_table().sort_by("article_id"))


def test_a_staging_file_with_duplicate_keys_is_refused_before_writing(store: Store, tmp_path: Path) -> None:
    staged = store.write_table(str(tmp_path / "validated.parquet"), article_table([article_row(1), article_row(1)]))

    with pytest.raises(ValueError, match="duplicate article_id"):
        publish_articles(store, StagedRows(store, staged), "run-1")
    assert not Path(store.path(ARTICLES.path)).exists()


def test_a_retry_after_a_failure_past_the_commit_completes_without_duplicates(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_log = articles.log_publish

    def die_before_logging(*args: Any) -> None:
        raise ConnectionError("worker lost before logging the publish")

    monkeypatch.setattr(articles, "log_publish", die_before_logging)
    with pytest.raises(ConnectionError):
        publish_articles(store, batch(range(6)), "run-1")
    monkeypatch.setattr(articles, "log_publish", real_log)

    retry = publish_articles(store, batch(range(6)), "run-1")

    ids = read(store).to_pyarrow_table().column("article_id").to_pylist()
    assert sorted(ids) == sorted(article_row(n)["article_id"] for n in range(6))
    assert (retry.rows_inserted, retry.rows_unchanged) == (0, 6)
    assert [r["run_id"] for r in history(store)] == ["run-1"]


def test_two_publishes_racing_from_two_processes_both_land_without_duplicates(store: Store) -> None:
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(2)
    changed = {"title": "changed by b", "content_hash": "b"}
    workers = [
        context.Process(target=publish_in_child, args=(store.root, range(0, 30), "run-a", barrier, {})),
        context.Process(target=publish_in_child, args=(store.root, range(20, 50), "run-b", barrier, changed)),
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)

    assert [w.exitcode for w in workers] == [0, 0]
    rows = read(store).to_pyarrow_table().to_pylist()
    ids = [r["article_id"] for r in rows]
    assert len(ids) == len(set(ids)) == 50
    assert {r["title"] for r in rows if r["article_id"] == article_row(45)["article_id"]} == {"changed by b"}
    assert sorted(r["run_id"] for r in history(store)) == ["run-a", "run-b"]


def test_a_publish_killed_mid_write_leaves_the_previous_version_and_the_retry_completes_it(store: Store) -> None:
    publish_articles(store, batch(range(3)), "before")
    root = Path(store.path(ARTICLES.path))
    version, rows_before = read(store).version(), read(store).to_pyarrow_table().sort_by("article_id")
    known = set(root.rglob("*.parquet"))
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.publishing", store.root, "1000", "20000", "big"], cwd=PROJECT_ROOT
    )
    deadline = time.monotonic() + 60
    while not (set(root.rglob("*.parquet")) - known) and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.002)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()

    assert child.returncode == -signal.SIGKILL, "the publish finished before it could be killed"
    assert set(root.rglob("*.parquet")) - known, "the child was killed after it started writing data files"
    after_kill = read(store)
    assert after_kill.version() == version
    assert after_kill.to_pyarrow_table().sort_by("article_id").equals(rows_before)

    retry = publish_articles(store, batch(range(1000, 21000), text="word " * 300), "big")
    assert retry.rows_inserted == 20000
    assert read(store).to_pyarrow_dataset().count_rows() == 20003


def test_a_fresh_batch_is_appended_with_statistics_deltalake_reads(store: Store) -> None:
    stats = publish_articles(store, batch(range(4)), "run-1")

    table = read(store)
    actions = pa.table(table.get_add_actions(flatten=True)).to_pylist()
    assert (stats.table_version, stats.rows_inserted) == (table.version(), 4)
    assert table.history(1)[0]["operation"] == "WRITE"  # an append, not a MERGE
    assert sum(a["num_records"] for a in actions) == 4
    assert sum(a["null_count.duplicate_of"] for a in actions) == 4
    # filters on any column find the rows (a partial minValues would have made deltalake's dataset drop them)
    dataset = arrow_dataset(store, ARTICLES)
    first = article_row(0)
    assert dataset.to_table(filter=pc.field("published_at") >= first["published_at"]).num_rows == 4
    assert dataset.to_table(filter=pc.field("url") == first["url"]).num_rows == 1
    dates = {r["published_date"] for r in batch(range(4)).to_pylist()}
    assert {a["partition.published_date"] for a in actions} == dates


def test_publishes_alternating_appends_and_merges_keep_one_current_row_per_article(store: Store) -> None:
    publish_articles(store, batch(range(2)), "run-1")  # append
    publish_articles(store, article_table([article_row(1, title="new 1", content_hash="n1")]), "run-2")  # merge
    mixed = publish_articles(store, article_table([article_row(1), article_row(2)]), "run-3")  # merge, deltalake files
    fresh = publish_articles(store, batch(range(3, 5)), "run-4")  # append beside files deltalake wrote

    rows = {r["article_id"]: r for r in read(store).to_pyarrow_table().to_pylist()}
    assert (mixed.rows_inserted, mixed.rows_updated, fresh.rows_inserted) == (1, 1, 2)
    assert sorted(rows) == sorted(article_row(n)["article_id"] for n in (0, 1, 2, 3, 4))
    assert rows[article_row(1)["article_id"]]["title"] == "Story 1"


def test_a_fresh_batch_that_loses_the_race_to_the_same_new_keys_is_retried_as_a_merge(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_append = delta._append
    rivals: list[Any] = []

    def append_after_a_rival(*args: Any) -> Any:
        if not rivals:  # between this publish's key check and its commit, another commits the same keys
            rivals.append(None)
            rivals[0] = publish_articles(store, batch(range(3), title="rival"), "rival")
        return real_append(*args)

    monkeypatch.setattr(delta, "_append", append_after_a_rival)
    stats = publish_articles(store, batch(range(3), title="ours", content_hash="ours"), "ours")

    rows = read(store).to_pyarrow_table().to_pylist()
    assert sorted(r["article_id"] for r in rows) == sorted(article_row(n)["article_id"] for n in range(3))
    assert {r["title"] for r in rows} == {"ours"}
    assert (stats.rows_inserted, stats.rows_updated) == (0, 3)
    assert rivals[0].rows_inserted == 3


def test_time_travel_reads_the_table_as_of_a_version_or_a_timestamp(store: Store) -> None:
    # Commits a second apart: timestamp travel resolves by commit time, and the table's creation commit
    # and the first merge would otherwise share a timestamp.
    open_table(store, ARTICLES)
    time.sleep(1.1)
    first = publish_articles(store, batch(range(5)), "run-1")
    time.sleep(1.1)
    second = publish_articles(
        store, article_table([article_row(1, title="Story 1 (updated)", content_hash="new"), article_row(5)]), "run-2"
    )
    uri = store.path(ARTICLES.path)
    commit = {h["version"]: h["timestamp"] for h in DeltaTable(uri).history()}[first.table_version]

    as_of_version = DeltaTable(uri, version=first.table_version).to_pyarrow_table()
    by_time = DeltaTable(uri)
    by_time.load_as_version(datetime.fromtimestamp(commit / 1000 + 0.5, UTC))
    polars_rows = pl.scan_delta(uri, version=first.table_version).select(pl.len()).collect().item()
    with duckdb.connect() as con:
        con.register("articles", DeltaTable(uri, version=first.table_version).to_pyarrow_dataset())
        duck = con.sql("SELECT title FROM articles WHERE title LIKE 'Story 1%'").fetchall()

    assert second.table_version > first.table_version
    assert as_of_version.num_rows == 5
    assert "Story 1 (updated)" not in as_of_version.column("title").to_pylist()
    assert by_time.version() == first.table_version
    assert polars_rows == 5
    assert duck == [("Story 1",)]
    assert "Story 1 (updated)" in DeltaTable(uri).to_pyarrow_table().column("title").to_pylist()


def test_an_articles_table_published_before_a_column_existed_takes_it_and_keeps_its_rows(store: Store) -> None:
    """An older release's table: the upgrade's first publish adds the new columns instead of dropping them."""
    added = ("canonical_claimed", "published_at_local_date")
    old_schema = pa.schema([field for field in ARTICLES.schema if field.name not in added])
    old_rows = batch(range(2)).select(old_schema.names).cast(old_schema)
    DeltaTable.create(store.path(ARTICLES.path), old_schema, partition_by=list(ARTICLES.partition_by))
    from deltalake import write_deltalake

    write_deltalake(store.path(ARTICLES.path), old_rows, mode="append")

    # Row 1 is published again with new content (MERGE), row 2 is new (append): both paths keep the column.
    claimed = article_table(
        [
            article_row(1, content_hash="f" * 64, canonical_claimed="https://other.example/1"),
            article_row(2, canonical_claimed="https://other.example/2"),
        ]
    )
    publish_articles(store, claimed, "upgrade-run")

    table = read(store).to_pyarrow_table()
    assert set(added) <= set(table.schema.names)
    by_id = {row["article_id"]: row for row in table.to_pylist()}
    assert len(by_id) == 3
    assert sorted(row["canonical_claimed"] for row in by_id.values() if row["canonical_claimed"]) == [
        "https://other.example/1",
        "https://other.example/2",
    ]
