"""publish: the validated batch merged into the published table, and the table checked as the merge left it."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from pipeline.settings import Settings
from pipeline.storage.articles import articles_at, publish_articles
from pipeline.storage.delta import MergeStats
from pipeline.storage.raw import StagedRows, Store

if TYPE_CHECKING:
    from pipeline.validate import SuiteOutcome

LOG = logging.getLogger(__name__)


def publish(settings: Settings, run_id: str, validated_path: str, try_number: int | None = None) -> dict[str, int]:
    """Merge the validated batch into the published table, then check the whole table as the merge left it
    (published_table suite); returns the table version, row counts and whether it committed. The attempt is
    recorded in publish_log with ``try_number`` (the Airflow try; None outside Airflow).

    The batch is read a chunk at a time, never whole. An empty batch merges nothing, so the table stays at a
    version an earlier publish already checked: the check (and GX with it) is not run again, and there are
    no signatures (nor MinHash) to record.
    """
    store = Store.from_settings(settings)
    batch = StagedRows(store, validated_path)
    stats: MergeStats = publish_articles(store, batch, run_id, try_number=try_number)
    LOG.info("published: %s", stats)
    if batch.num_rows == 0:
        return vars(stats)
    from pipeline.datadocs import build_data_docs, save_results
    from pipeline.dedup_store import record_signatures, signature_path
    from pipeline.validate import PublishedTableInvalid

    record_signatures(store, StagedRows(store, signature_path(store, run_id)), batch)
    outcome = verify_published_table(store, stats.table_version)
    save_results(store, run_id, [outcome])
    docs = build_data_docs(store, run_id)
    if not outcome.success:
        raise PublishedTableInvalid(outcome.failures, stats.table_version, docs)
    return vars(stats)


def verify_published_table(store: Store, version: int) -> SuiteOutcome:
    """Run the published_table suite over the articles table as of ``version``."""
    from pipeline.validate import check_published_table

    return check_published_table(articles_at(store, version))
