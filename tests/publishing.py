"""Helpers that publish from child processes, for the race, crash and concurrent-maintenance tests."""

from __future__ import annotations

import sys
from typing import Any

from pipeline.storage.articles import publish_articles
from pipeline.storage.maintenance import compact_table
from pipeline.storage.raw import Store
from schemas import ARTICLES
from tests.articles import article_row, article_table


def batch(numbers: range, **changes: Any) -> Any:
    return article_table([article_row(n, **changes) for n in numbers])


def publish_in_child(root: str, numbers: range, run_id: str, barrier: Any, changes: dict[str, Any]) -> None:
    """Build the batch, wait for the other process, then publish (multiprocessing target)."""
    rows = batch(numbers, **changes)
    barrier.wait()
    publish_articles(Store(root, {}), rows, run_id)


def compact_in_child(root: str, barrier: Any) -> None:
    barrier.wait()
    compact_table(Store(root, {}), ARTICLES)


if __name__ == "__main__":
    # python -m tests.publishing ROOT FIRST COUNT RUN_ID: one big publish, for the crash test
    root, first, count, run_id = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    publish_articles(Store(root, {}), batch(range(first, first + count), text="word " * 300), run_id)
