"""Re-processing's own stages: select the published rows of a date range, republish them rebuilt.

For when extraction or enrichment improves: the raw payloads the rows came from (``raw_ref``) go through
normalize, enrich and validate again (the flow ``pipeline.flows.REPROCESS``, from the raw zone alone, no
network), and the new rows replace the old ones when their content or the ``pipeline_version`` that made
them differs. Rerunning with the same version changes nothing.
"""

from __future__ import annotations

import logging
from dataclasses import asdict
from datetime import datetime

from pipeline.records import Page
from pipeline.settings import Settings
from pipeline.sources.base import Interval
from pipeline.storage.articles import publish_articles
from pipeline.storage.published import published_between
from pipeline.storage.raw import StagedRows, Store
from schemas import FETCHED

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
        Page(
            url=row["url"],
            canonical_url=row["canonical_url"],
            source_name=row["source_name"],
            source_country=None,
            feed_url=row["feed_url"],
            summary=row["summary"],
            feed_published_at=row["published_at"] if row["published_at_source"] == "feed" else None,
            stored_raw_ref=row["raw_ref"],
            captured_at=row["fetched_at"],
            final_url=row["canonical_url"],
            raw_ref=row["raw_ref"],
            fetched_at=row["fetched_at"],
        ).to_row()
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
