"""The articles table: a batch merged on article_id, every attempt logged, the table read back by version."""

from __future__ import annotations

import pytest

from pipeline.storage.articles import articles_at, publish_articles
from pipeline.storage.raw import Store
from pipeline.storage.side_tables import history
from tests.articles import article_row, article_table

pytestmark = pytest.mark.unit


def test_a_published_batch_is_logged_once_per_attempt_and_a_rerun_adds_no_rows(store: Store) -> None:
    batch = article_table([article_row(1), article_row(2)])

    first = publish_articles(store, batch, "run-1")
    again = publish_articles(store, batch, "run-1")

    assert (first.rows_inserted, first.committed) == (2, True)
    assert (again.rows_unchanged, again.committed) == (2, False)
    assert [(r["try_number"], r["committed"]) for r in history(store, run_id="run-1")] == [(2, False), (1, True)]


def test_a_changed_content_hash_rewrites_the_row(store: Store) -> None:
    publish_articles(store, article_table([article_row(1)]), "run-1")

    stats = publish_articles(store, article_table([article_row(1, content_hash="new", title="New")]), "run-2")

    assert stats.rows_updated == 1
    assert articles_at(store, stats.table_version).to_table().column("title").to_pylist() == ["New"]


def test_the_table_reads_back_as_any_version_it_had(store: Store) -> None:
    first = publish_articles(store, article_table([article_row(1)]), "run-1")
    publish_articles(store, article_table([article_row(2)]), "run-2")

    assert articles_at(store, first.table_version).count_rows() == 1
    assert articles_at(store, first.table_version + 1).count_rows() == 2
