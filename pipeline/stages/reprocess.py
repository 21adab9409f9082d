"""Re-processing: rebuild the published rows of a date range from the raw zone alone, no network.

For when extraction or enrichment improves: the raw payloads the rows came from (``raw_ref``) go through
normalize, enrich and validate again, and the new rows replace the old ones when their content or the
``pipeline_version`` that made them differs. Rerunning with the same version changes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import asdict
from datetime import datetime
from typing import Any

from pipeline.settings import Settings
from pipeline.sources.base import Interval
from pipeline.stages.common import FETCHED
from pipeline.storage.articles import publish_articles
from pipeline.storage.published import published_between
from pipeline.storage.raw import StagedRows, Store

LOG = logging.getLogger(__name__)
REBUILD_WHEN = ("content_hash", "pipeline_version")


def select(settings: Settings, run_id: str, start: datetime, end: datetime) -> str:
    """The published rows of [start, end) as a staging file of fetched pages (the ``selected`` rows of the
    run's report) pointing at their raw payloads.

    What normalize needs and the row does not keep is rebuilt from it: the feed date is known only when
    it was the date used (``published_at_source == "feed"``); the canonical URL stands in for the final
    URL of the fetch.
    """
    Interval(start, end)
    store = Store.from_settings(settings)
    pages = [
        {
            "url": row["url"],
            "canonical_url": row["canonical_url"],
            "source_name": row["source_name"],
            "source_country": None,
            "feed_url": row["feed_url"],
            "title": None,
            "summary": row["summary"],
            "feed_published_at": row["published_at"] if row["published_at_source"] == "feed" else None,
            "stored_raw_ref": row["raw_ref"],
            "captured_at": row["fetched_at"],
            "final_url": row["canonical_url"],
            "raw_ref": row["raw_ref"],
            "fetched_at": row["fetched_at"],
        }
        for row in published_between(store, start, end)
    ]
    LOG.info("re-processing %d published articles of [%s, %s)", len(pages), start, end)
    return store.write_rows(store.staging(run_id, "selected"), pages, FETCHED)


def republish(settings: Settings, run_id: str, validated_path: str, try_number: int | None = None) -> dict[str, int]:
    """Merge the rebuilt rows (a row is replaced when its content or pipeline_version changed), log the
    attempt in publish_log (``try_number``: the Airflow try) and record their signatures (a text extracted
    anew hashes anew)."""
    from pipeline.dedup.assign import record_signatures, signature_path

    store = Store.from_settings(settings)
    batch = StagedRows(store, validated_path)
    stats = publish_articles(store, batch, run_id, REBUILD_WHEN, try_number)
    if batch.num_rows:
        record_signatures(store, StagedRows(store, signature_path(store, run_id)), batch)
    LOG.info("re-published: %s", stats)
    return asdict(stats)


def reprocess(settings: Settings, run_id: str, start: datetime, end: datetime) -> dict[str, Any]:
    """select, normalize, enrich, validate, republish and report in this process; returns the summary."""
    from pipeline.report.html import read_summary
    from pipeline.stages.enrich import enrich
    from pipeline.stages.normalize import normalize
    from pipeline.stages.report import report
    from pipeline.stages.validate import validate

    paths = {"selected": select(settings, run_id, start, end)}
    paths["normalized"] = normalize(settings, run_id, paths["selected"])
    paths["enriched"] = enrich(settings, run_id, paths["normalized"])
    paths["validated"] = validate(settings, run_id, paths["enriched"])
    published = republish(settings, run_id, paths["validated"])
    return read_summary(Store.from_settings(settings), report(settings, run_id, paths, published, start, end))


STEPS: dict[str, Callable[..., Any]] = {"select": select, "republish": republish}


def run_step(name: str, run_id: str | None, *args: Any) -> Any:
    """Entry point of the news_reprocess tasks that are not shared with news_ingest."""
    from pipeline.settings import load_settings

    if not run_id:
        raise ValueError(f"step {name} needs the run id Airflow passes to the task")
    return STEPS[name](load_settings(), run_id, *args)
