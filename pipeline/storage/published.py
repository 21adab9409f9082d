"""Reading the published articles table back: what is already there (so it is not fetched again) and
the rows of a date range (so they can be rebuilt from the raw zone)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import duckdb
from deltalake import DeltaTable
from deltalake.exceptions import TableNotFoundError

from pipeline.storage.delta import arrow_dataset
from pipeline.storage.raw import Store
from schemas import ARTICLES

REPROCESS_COLUMNS = (
    "article_id",
    "url",
    "canonical_url",
    "source_name",
    "feed_url",
    "summary",
    "published_at",
    "published_at_source",
    "fetched_at",
    "raw_ref",
)


def _articles(store: Store) -> DeltaTable | None:
    try:
        return DeltaTable(store.path(ARTICLES.path), storage_options=store.storage_options or None)
    except TableNotFoundError:
        return None


def already_published(store: Store, urls: list[str], canonical_urls: list[str]) -> set[str]:
    """Those of ``urls`` and ``canonical_urls`` the articles table holds (as url or canonical_url)."""
    table = _articles(store)
    if table is None or not (urls or canonical_urls):
        return set()
    found = _query(
        store,
        table,
        "SELECT url, canonical_url FROM articles WHERE url IN (SELECT unnest($1)) "
        "OR canonical_url IN (SELECT unnest($2))",
        [urls, canonical_urls],
    )
    return {value for row in found for value in (row["url"], row["canonical_url"])}


def _query(store: Store, table: DeltaTable, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    """``sql`` over the table's Arrow dataset (as ``articles``) in DuckDB.

    DuckDB rather than a pyarrow filter: deltalake writes strings as string_view, which pyarrow's
    filter pushdown on the dataset cannot compare with a string literal.
    """
    articles = arrow_dataset(store, ARTICLES, table)
    with duckdb.connect() as con:
        con.register("articles", articles)
        result = con.execute(sql, params)
        names = [d[0] for d in result.description]
        return [dict(zip(names, values, strict=True)) for values in result.fetchall()]


def published_between(store: Store, start: datetime, end: datetime) -> list[dict[str, Any]]:
    """Rows published for [start, end) (by published_at), with what re-processing needs."""
    table = _articles(store)
    if table is None:
        return []
    rows = _query(
        store,
        table,
        f"SELECT {', '.join(REPROCESS_COLUMNS)} FROM articles "
        "WHERE published_date BETWEEN $1 AND $2 AND published_at >= $3 AND published_at < $4 ORDER BY article_id",
        [start.date(), end.date(), start, end],
    )
    return rows
