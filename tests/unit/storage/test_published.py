"""Reading the articles table back: what it holds already, and the rows of a date range to rebuild."""

from __future__ import annotations

from datetime import timedelta

import pytest

from pipeline.storage.articles import publish_articles
from pipeline.storage.published import REPROCESS_COLUMNS, already_published, published_between
from pipeline.storage.raw import Store
from tests.articles import BASE, article_row, article_table

pytestmark = pytest.mark.unit


def test_nothing_is_published_before_the_table_exists(store: Store) -> None:
    assert already_published(store, ["https://www.voanews.com/a/story-1.html"], []) == set()
    assert published_between(store, BASE, BASE + timedelta(days=1)) == []


def test_an_article_is_found_by_its_url_or_its_canonical_url(store: Store) -> None:
    canonical = "https://www.voanews.com/a/story-2"
    publish_articles(store, article_table([article_row(1), article_row(2, canonical_url=canonical)]), "run-1")

    found = already_published(store, ["https://www.voanews.com/a/story-1.html", "https://x/new"], [canonical])

    assert found >= {"https://www.voanews.com/a/story-1.html", canonical}
    assert "https://x/new" not in found


def test_the_rows_of_a_range_are_those_published_in_it_end_excluded(store: Store) -> None:
    publish_articles(store, article_table([article_row(n) for n in range(4)]), "run-1")  # BASE + n hours

    rows = published_between(store, BASE + timedelta(hours=1), BASE + timedelta(hours=3))

    assert sorted(r["published_at"] for r in rows) == [BASE + timedelta(hours=1), BASE + timedelta(hours=2)]
    assert set(rows[0]) == set(REPROCESS_COLUMNS)
