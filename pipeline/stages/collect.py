"""collect: the fanned-out shards joined into the run's ``fetched`` and ``normalized`` batch files."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import pyarrow as pa

from pipeline.settings import Settings
from pipeline.storage.raw import Store
from schemas import ARTICLES, FETCHED

LOG = logging.getLogger(__name__)


def collect(
    settings: Settings, run_id: str, fetched_paths: Sequence[str], normalized_paths: Sequence[str]
) -> dict[str, str]:
    """Join the shards into the run's ``fetched`` and ``normalized`` files, as fetch() and normalize() of the
    whole batch write them: shards in order, one row per article_id (the first, as normalize() keeps).
    One shard is held at a time."""
    store = Store.from_settings(settings)
    seen: set[str] = set()
    paths = {
        "fetched": store.write_batches(
            store.staging(run_id, "fetched"), FETCHED, (store.read_table(path) for path in fetched_paths)
        ),
        "normalized": store.write_batches(
            store.staging(run_id, "normalized"),
            ARTICLES.schema,
            (_first_rows(store.read_table(path), seen) for path in normalized_paths),
        ),
    }
    LOG.info(
        "collected %d shards: %d fetched, %d articles",
        len(normalized_paths),
        store.count_rows(paths["fetched"]),
        store.count_rows(paths["normalized"]),
    )
    return paths


def _first_rows(shard: pa.Table, seen: set[str]) -> pa.Table:
    """The shard's rows whose article_id no earlier row had (``seen`` is updated)."""
    first = first_per_key(shard.column("article_id").to_pylist(), seen)
    if len(first) < shard.num_rows:  # only then: building the index array makes pyarrow import pandas
        return shard.take(pa.array(first, pa.int64()))
    return shard


def first_per_key(keys: list[str], seen: set[str] | None = None) -> list[int]:
    """Positions of the first occurrence of each key not already in ``seen``, in order; adds them to it."""
    known = set() if seen is None else seen
    first: list[int] = []
    for position, key in enumerate(keys):
        if key not in known:
            known.add(key)
            first.append(position)
    return first
