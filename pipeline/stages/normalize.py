"""normalize and normalize_shard: fetched pages -> typed article rows, one per article_id."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from typing import Any

import pyarrow as pa

from pipeline.records import Quarantined
from pipeline.settings import Settings
from pipeline.sources.config import source_traits
from pipeline.stages.common import conform_rows, in_shard, quarantine_failures
from pipeline.storage.raw import Store
from pipeline.workers import map_chunks, worker_count
from schemas import ARTICLES

LOG = logging.getLogger(__name__)
NORMALIZE_CHUNK_ROWS = 50


def normalize(settings: Settings, run_id: str, fetched_path: str, *, name: str = "normalized") -> str:
    """Extract text and metadata of every fetched page into typed article rows, one per article_id.

    Pages are read, extracted (on every core) and written in chunks, so memory does not grow with the batch.
    A page keeps its own URL as its key unless its canonical URL is on its own domain or on one of its
    source's ``canonical_domains`` (a source no longer configured trusts no other domain).
    """
    store = Store.from_settings(settings)
    trusted = {name: traits.canonical_domains for name, traits in source_traits(settings.sources_file).items()}
    failed: list[Quarantined] = []
    rejected: list[Quarantined] = []
    seen: set[str] = set()

    def tables() -> Iterator[pa.Table]:
        chunks = ((settings, run_id, pages, trusted) for pages in store.iter_rows(fetched_path, NORMALIZE_CHUNK_ROWS))
        workers = worker_count(settings.workers, store.count_rows(fetched_path))
        for outcomes in map_chunks(_normalize_chunk, chunks, workers):
            rows = []
            for outcome in outcomes:
                if isinstance(outcome, Quarantined):
                    failed.append(outcome)
                elif outcome["article_id"] not in seen:
                    seen.add(outcome["article_id"])
                    rows.append(outcome)
            yield conform_rows(rows, "normalize", rejected)

    path = store.write_batches(store.staging(run_id, name), ARTICLES.schema, tables())
    LOG.info("normalized %d articles, %d failed", len(seen), len(failed))
    quarantine_failures(store, run_id, failed + rejected)
    return path


def _normalize_chunk(
    job: tuple[Settings, str, list[dict[str, Any]], Mapping[str, tuple[str, ...]]],
) -> list[dict[str, Any] | Quarantined]:
    """normalize_page over a chunk of fetched pages (in a worker process): a row or a quarantine record each.

    Extraction's libraries (trafilatura, htmldate, lingua) are imported here, with the first chunk, so a
    batch without pages never loads them.
    """
    from pipeline.stages.article import normalize_or_quarantine

    settings, run_id, pages, trusted = job
    store = Store.from_settings(settings)
    return [
        normalize_or_quarantine(store, page, settings, run_id, trusted.get(page["source_name"], ())) for page in pages
    ]


def normalize_shard(settings: Settings, run_id: str, fetched_path: str) -> str:
    """normalize() of one fetched shard."""
    return normalize(settings, run_id, fetched_path, name=in_shard(fetched_path, "normalized"))
