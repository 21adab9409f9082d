"""Concurrent Delta commits on the S3 API: what mapped fetch/normalize shards do to the quarantine table."""

from __future__ import annotations

import multiprocessing

import pytest

from pipeline.quarantine import to_table
from pipeline.records import Quarantined
from pipeline.storage.delta import arrow_dataset
from pipeline.storage.raw import Store
from pipeline.storage.side_tables import record_quarantine
from schemas import QUARANTINE
from tests.object_store import s3_store

pytestmark = pytest.mark.integration
WRITERS, COMMITS = 3, 8


def quarantine_shard(store: Store, writer: int) -> None:
    """One process committing ``COMMITS`` quarantine records one at a time, as a fetch shard would."""
    for n in range(COMMITS):
        item = Quarantined(f"http://site.example/{writer}/{n}", f"source{writer}", "fetch", "http_status", "404")
        record_quarantine(store, to_table([item], run_id="run-1"))


def test_concurrent_writers_lose_no_commit() -> None:
    with s3_store() as store:
        ctx = multiprocessing.get_context("spawn")
        writers = [ctx.Process(target=quarantine_shard, args=(store, w)) for w in range(WRITERS)]
        for process in writers:
            process.start()
        for process in writers:
            process.join(300)

        assert [p.exitcode for p in writers] == [0] * WRITERS
        urls = arrow_dataset(store, QUARANTINE).to_table(columns=["url"]).column("url").to_pylist()
        assert sorted(urls) == sorted(f"http://site.example/{w}/{n}" for w in range(WRITERS) for n in range(COMMITS))
