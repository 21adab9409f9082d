"""report: the run's page (a new attempt under reports/<run>/), its summary (JSON), and the same in plain
text in the task log; then the run's verdict: a run whose sources failed beyond the failure policy fails
here, once everything it could do is published and reported."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from pipeline.errors import RunFailed
from pipeline.report.html import format_summary, summarize, write_report
from pipeline.settings import Settings
from pipeline.sources.base import Interval
from pipeline.storage.raw import Store

LOG = logging.getLogger(__name__)


def report_summary(
    settings: Settings, run_id: str, paths: dict[str, str], published: dict[str, int], interval: Interval | None
) -> dict[str, Any]:
    """Write the run's report and summary, log it in plain text; returns the summary as written.

    Raises RunFailed after writing when the run's status is ``failed`` (every source failed, or more than
    ``max_failed_source_share`` of them): the report says which sources and why.
    """
    store = Store.from_settings(settings)
    bounds = (interval.start, interval.end) if interval is not None else None
    summary = write_report(
        store,
        summarize(store, run_id, paths, published, bounds, settings.pipeline_version, settings.max_failed_source_share),
    )
    LOG.info("run summary\n%s", format_summary(summary))
    if summary["status"] == "failed":
        raise RunFailed(f"run {run_id} failed: {summary['status_detail']}; report: {summary['report_html']}", summary)
    return summary


def report(
    settings: Settings,
    run_id: str,
    paths: dict[str, str],
    published: dict[str, int],
    start: datetime | None = None,
    end: datetime | None = None,
) -> str:
    """The report task: :func:`report_summary`, returning the path of the attempt's summary (for XCom)."""
    interval = Interval(start, end) if start is not None and end is not None else None
    summary = report_summary(settings, run_id, paths, published, interval)
    return str(summary["report_html"]).rsplit("/", 1)[0] + "/summary.json"
