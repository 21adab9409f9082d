"""report: the run's summary (JSON), its HTML page, and the same in plain text in the task log."""

from __future__ import annotations

import logging

from pipeline.report import format_summary, summarize, write_report_page, write_summary
from pipeline.settings import Settings
from pipeline.store import Store

LOG = logging.getLogger(__name__)


def report(settings: Settings, run_id: str, paths: dict[str, str], published: dict[str, int]) -> str:
    """Write the run summary (JSON) and the run's HTML page, log it in plain text; returns the summary's path."""
    store = Store.from_settings(settings)
    summary = summarize(store, run_id, paths, published)
    write_report_page(store, summary)
    LOG.info("run summary\n%s", format_summary(summary))
    return write_summary(store, summary)
