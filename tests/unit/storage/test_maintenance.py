"""Table upkeep: compaction keeps the rows and lowers the file count; the storage figures of every table."""

from __future__ import annotations

import pytest

from pipeline.storage.articles import publish_articles
from pipeline.storage.delta import arrow_dataset
from pipeline.storage.maintenance import compact_table, table_stats, vacuum_table
from pipeline.storage.raw import Store
from schemas import ARTICLES, TABLES
from tests.articles import article_row, article_table

pytestmark = pytest.mark.unit


def test_compaction_packs_small_files_into_fewer_and_keeps_every_row(store: Store) -> None:
    for n in range(4):
        publish_articles(store, article_table([article_row(n * 24)]), f"run-{n}")  # one partition each day
        publish_articles(store, article_table([article_row(n * 24 + 1)]), f"run-{n}b")  # a second file beside it
    before = table_stats(store)["tables"][ARTICLES.name]

    compact_table(store, ARTICLES)
    after = table_stats(store)["tables"][ARTICLES.name]

    assert after["files"] < before["files"]
    assert after["rows"] == before["rows"] == 8
    assert after["version"] == before["version"] + 1
    ids = sorted(arrow_dataset(store, ARTICLES).to_table().column("article_id").to_pylist())
    assert ids == sorted(article_row(n * 24 + k)["article_id"] for n in range(4) for k in (0, 1))


def test_the_stats_name_every_table_and_when_articles_were_last_published(store: Store) -> None:
    assert table_stats(store)["tables"][ARTICLES.name]["last_publish"] is None

    publish_articles(store, article_table([article_row(1)]), "run-1")
    stats = table_stats(store)

    assert set(stats["tables"]) == {spec.name for spec in TABLES}
    assert stats["tables"][ARTICLES.name]["rows"] == 1
    assert stats["tables"][ARTICLES.name]["last_publish"] is not None


def test_vacuum_deletes_the_files_compaction_replaced_and_keeps_those_the_table_reads(store: Store) -> None:
    publish_articles(store, article_table([article_row(1)]), "run-1")
    publish_articles(store, article_table([article_row(2)]), "run-2")
    compact_table(store, ARTICLES)

    deleted = vacuum_table(store, ARTICLES, retention_hours=0)

    assert len(deleted) == 2
    assert arrow_dataset(store, ARTICLES).count_rows() == 2
