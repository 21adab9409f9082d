from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

import pytest
from deltalake import DeltaTable, write_deltalake

from pipeline.settings import load_settings
from pipeline.stages.maintenance import TableUnhealthy, check_health
from pipeline.storage.articles import publish_articles
from pipeline.storage.maintenance import compact_table, vacuum_table
from pipeline.storage.raw import Store
from schemas import ARTICLES
from tests.articles import article_row, article_table
from tests.publishing import batch, compact_in_child, publish_in_child

pytestmark = pytest.mark.integration


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(str(tmp_path / "data"), {})


def articles(store: Store) -> DeltaTable:
    return DeltaTable(store.path(ARTICLES.path))


def small_publishes(store: Store, runs: int) -> None:
    for run in range(runs):
        publish_articles(store, batch(range(run * 4, run * 4 + 4)), f"run-{run}")


def test_compaction_packs_small_files_and_keeps_every_row(store: Store) -> None:
    small_publishes(store, 6)
    before = articles(store)
    rows_before = before.to_pyarrow_table().sort_by("article_id")

    metrics = compact_table(store, ARTICLES)

    after = articles(store)
    assert metrics["numFilesRemoved"] > metrics["numFilesAdded"] > 0
    assert len(after.file_uris()) < len(before.file_uris())
    assert after.version() == before.version() + 1
    assert after.to_pyarrow_table().sort_by("article_id").equals(rows_before)


def test_vacuum_deletes_old_and_crashed_files_but_not_the_current_ones(store: Store) -> None:
    small_publishes(store, 4)
    compact_table(store, ARTICLES)
    root = Path(store.path(ARTICLES.path))
    debris = root / "published_date=2026-11-22" / "part-00000-killed-publish.parquet"
    debris.write_bytes(b"half a parquet file")
    live = {Path(uri).name for uri in articles(store).file_uris()}

    deleted = vacuum_table(store, ARTICLES, retention_hours=0)

    on_disk = {p.name for p in root.rglob("*.parquet")}
    assert debris.name in {Path(d).name for d in deleted}
    assert on_disk == live
    assert articles(store).to_pyarrow_dataset().count_rows() == 16


def test_health_report_counts_rows_files_versions_and_fails_on_duplicate_keys(tmp_path: Path) -> None:
    settings = load_settings(data_root=str(tmp_path / "data"), vacuum_retention_hours=168)
    store = Store.from_settings(settings)
    small_publishes(store, 3)

    report = json.loads(Path(check_health(settings, "scheduled__2026-11-25")).read_text())

    health = report["tables"]["articles"]
    assert (health["rows"], health["duplicate_key_rows"], health["rows_outside_partition"]) == (12, 0, 0)
    assert health["files"] >= 3 and health["version"] == 3 and health["versions_in_log"] == 4
    assert health["last_publish"] is not None
    write_deltalake(store.path(ARTICLES.path), article_table([article_row(1)]), mode="append")
    with pytest.raises(TableUnhealthy, match="2 rows with a duplicated article_id"):
        check_health(settings, "scheduled__2026-11-26")


def test_compaction_running_while_another_process_publishes_loses_nothing(store: Store) -> None:
    small_publishes(store, 8)
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(2)
    changed = {"title": "corrected", "content_hash": "corrected"}
    workers = [
        context.Process(target=publish_in_child, args=(store.root, range(20, 60), "run-late", barrier, changed)),
        context.Process(target=compact_in_child, args=(store.root, barrier)),
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)

    assert [w.exitcode for w in workers] == [0, 0]
    rows = articles(store).to_pyarrow_table().to_pylist()
    ids = [r["article_id"] for r in rows]
    assert len(ids) == len(set(ids)) == 60
    assert {r["title"] for r in rows if r["article_id"] in {article_row(n)["article_id"] for n in range(20, 60)}} == {
        "corrected"
    }
    operations = [h["operation"] for h in articles(store).history()[:2]]
    assert sorted(operations) == ["MERGE", "OPTIMIZE"]
