"""What an export refuses, and what it names: the version it read (the round trip is an integration test)."""

from __future__ import annotations

from datetime import date

import pytest

from pipeline.storage.articles import publish_articles
from pipeline.storage.export import ExportError, read_range
from pipeline.storage.raw import Store
from tests.articles import article_row, article_table

pytestmark = pytest.mark.unit

DAY = date(2026, 11, 22)


def test_an_empty_range_is_refused_with_the_range_that_exports_the_day(store: Store) -> None:
    with pytest.raises(ExportError, match="--to 2026-11-23 exports 2026-11-22"):
        read_range(store, DAY, DAY)
    with pytest.raises(ExportError, match="swap them"):
        read_range(store, DAY, date(2026, 11, 21))


def test_exporting_before_anything_was_published_says_how_to_publish(store: Store) -> None:
    with pytest.raises(ExportError, match=r"no published table at .* yet"):
        read_range(store, DAY, date(2026, 11, 23))


def test_a_version_the_table_never_had_is_refused_and_an_old_one_is_read_as_it_was(store: Store) -> None:
    first = publish_articles(store, article_table([article_row(1)]), "run-1")
    publish_articles(store, article_table([article_row(2)]), "run-2")

    with pytest.raises(ExportError, match="has versions 0 to"):
        read_range(store, DAY, date(2026, 11, 24), version=first.table_version + 5)
    rows, version = read_range(store, DAY, date(2026, 11, 24), version=first.table_version)
    assert (rows.num_rows, version) == (1, first.table_version)
