"""fetch (the whole batch), and shard then fetch_shard (the DAG's fan-out): every candidate's page, once.

The published table and the HTTP client are imported, and the sources built, only when there are
candidates: a run that discovered nothing writes its empty files and is done.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from pipeline.records import Page
from pipeline.settings import Settings
from pipeline.sources.base import RawPayload, Source, SourceContext, build_source
from pipeline.sources.config import load_sources
from pipeline.sources.status import count_already_published
from pipeline.stages.common import SHARDS, in_shard, quarantine_failures
from pipeline.storage.raw import RawRefError, Store, run_key
from schemas import CANDIDATES, FETCHED

if TYPE_CHECKING:
    from pipeline.net.fetcher import FetchError

LOG = logging.getLogger(__name__)


def fetch(settings: Settings, run_id: str, candidates_path: str, refetch: bool | None = None) -> str:
    """Get every candidate's page once (web sources through the Fetcher, archives from the raw zone).

    Articles already in the published table are skipped unless ``refetch`` (default: the setting) asks
    for them; failures go to quarantine with the fetcher's reason code.
    """
    store = Store.from_settings(settings)
    candidates = _unpublished(settings, store, run_id, store.read_rows(candidates_path), refetch)
    return _fetch_candidates(settings, store, run_id, candidates, "fetched")


def _unpublished(
    settings: Settings, store: Store, run_id: str, candidates: list[dict[str, Any]], refetch: bool | None
) -> list[dict[str, Any]]:
    """The candidates to fetch: all with refetch on, else those the published table does not hold yet
    (how many were left out per source goes into the run's source status)."""
    if not candidates or (settings.refetch if refetch is None else refetch):
        return candidates
    from pipeline.storage.published import already_published

    known = already_published(store, [c["url"] for c in candidates], [c["canonical_url"] for c in candidates])
    seen = [c["url"] in known or c["canonical_url"] in known for c in candidates]
    skipped = Counter(c["source_name"] for c, old in zip(candidates, seen, strict=True) if old)
    LOG.info("%d candidates already published, not fetched again (refetch off)", sum(skipped.values()))
    count_already_published(store, run_id, dict(skipped))
    return [c for c, old in zip(candidates, seen, strict=True) if not old]


def _fetch_candidates(
    settings: Settings, store: Store, run_id: str, candidates: list[dict[str, Any]], name: str
) -> str:
    """Fetch ``candidates``, keep their pages in the raw zone, quarantine failures; staging file ``name``."""
    if not candidates:
        LOG.info("nothing to fetch")
        return store.write_rows(store.staging(run_id, name), [], FETCHED)
    from pipeline.net.fetcher import Fetcher, FetchError

    sources = {c.name: build_source(c) for c in load_sources(settings.sources_file)}
    with Fetcher(settings) as fetcher:
        ctx = SourceContext(settings, store, fetcher, run_id, stage="fetch")
        results = _fetch_all(candidates, sources, ctx)
    fetched: list[dict[str, Any]] = []
    for candidate, result in zip(candidates, results, strict=True):
        if isinstance(result, FetchError):
            ctx.reject(candidate["url"], candidate["source_name"], result.reason_code, str(result))
            continue
        raw_ref = store.put_raw(run_id, result.kind, result.body)
        page = replace(Page.from_row(candidate), final_url=result.final_url, raw_ref=raw_ref)
        fetched.append(replace(page, fetched_at=result.fetched_at).to_row())
    quarantine_failures(store, run_id, ctx.failures)
    LOG.info("fetched %d pages, %d failed", len(fetched), len(ctx.failures))
    return store.write_rows(store.staging(run_id, name), fetched, FETCHED)


def _fetch_all(
    candidates: list[dict[str, Any]], sources: dict[str, Source], ctx: SourceContext
) -> list[RawPayload | FetchError]:
    """Each candidate through its source's ``fetch``, concurrently (the Fetcher enforces the caps)."""
    from pipeline.net.fetcher import FetchError, fetch_concurrently

    def one(candidate: dict[str, Any]) -> RawPayload | FetchError:
        source = sources.get(candidate["source_name"])
        if source is None:
            return FetchError(candidate["url"], "unknown_source", f"source {candidate['source_name']!r} is gone")
        try:
            return source.fetch(Page.from_row(candidate).item(), ctx)
        except FetchError as exc:
            return exc
        except (RawRefError, OSError) as exc:
            return FetchError(candidate["url"], "raw_missing", f"stored payload unreadable: {exc}")

    return fetch_concurrently(candidates, [c["url"] for c in candidates], one, ctx.settings.global_concurrency)


def plan_shards(candidates: list[dict[str, Any]], chunk_size: int) -> list[tuple[str, list[dict[str, Any]]]]:
    """Candidates split by source (sources in order of first appearance) into chunks of at most ``chunk_size``."""
    by_source: dict[str, list[dict[str, Any]]] = {}
    for candidate in candidates:
        by_source.setdefault(candidate["source_name"], []).append(candidate)
    return [
        (source, rows[start : start + chunk_size])
        for source, rows in by_source.items()
        for start in range(0, len(rows), chunk_size)
    ]


def shard(settings: Settings, run_id: str, candidates_path: str, refetch: bool | None = None) -> list[str]:
    """Split the candidates still to fetch (as fetch() chooses them) into shard files; returns their paths.

    There is always at least one shard, empty when nothing is left to fetch, so the run still validates,
    publishes and reports as a run without fan-out does.
    """
    store = Store.from_settings(settings)
    candidates = _unpublished(settings, store, run_id, store.read_rows(candidates_path), refetch)
    plan = plan_shards(candidates, settings.fetch_chunk_size) or [("none", [])]
    paths = [
        store.write_rows(store.staging(run_id, f"{SHARDS}/{i:04d}-{run_key(source)}/candidates"), rows, CANDIDATES)
        for i, (source, rows) in enumerate(plan)
    ]
    LOG.info(
        "%d candidates to fetch in %d shards (at most %d each)", len(candidates), len(paths), settings.fetch_chunk_size
    )
    return paths


def fetch_shard(settings: Settings, run_id: str, shard_path: str) -> str:
    """fetch() of one shard; shard() has already left out what is published."""
    store = Store.from_settings(settings)
    return _fetch_candidates(settings, store, run_id, store.read_rows(shard_path), in_shard(shard_path, "fetched"))
