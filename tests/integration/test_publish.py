from __future__ import annotations

from pathlib import Path

import pytest
from deltalake import DeltaTable

from pipeline.publish import history, publish_articles
from pipeline.store import Store
from schemas import ARTICLES
from tests.articles import article_row, article_table

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
    before = read(store).to_pyarrow_table().sort_by("article_id")
    again = publish_articles(store, batch, "run-1-retry")
    after = read(store).to_pyarrow_table().sort_by("article_id")
    assert (again.rows_inserted, again.rows_updated, again.rows_unchanged) == (0, 0, 5)
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


def test_a_batch_with_duplicate_keys_is_refused_before_writing(store: Store) -> None:
    with pytest.raises(ValueError, match="duplicate article_id"):
        publish_articles(store, article_table([article_row(1), article_row(1)]), "run-1")
