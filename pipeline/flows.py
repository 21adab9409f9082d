"""The order of the stages, defined once: every in-process entry point runs a flow from here.

A flow is a sequence of stage names (the task names of the DAGs); :func:`run_flow` runs them in this process
through the same registry the Airflow tasks use (``pipeline.stages.STAGES``), so ``python -m pipeline run``,
``reprocess``, ``enrich``, the bench and the tests run exactly what a DAG run does, stage by stage. The DAGs
stay wiring (one task per stage, fetch and normalize fanned out per shard) and follow the same order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pipeline.settings import Settings
from pipeline.sources.base import Interval
from pipeline.stages import stage_function

# news_ingest: an interval's new articles into the published table, then the run's report.
INGEST = ("discover", "fetch", "normalize", "enrich", "validate", "publish", "report")
# news_reprocess: the published rows of a range rebuilt from their raw payloads, offline.
REPROCESS = ("select", "normalize", "enrich", "validate", "republish", "report")
# `pipeline enrich`: an analyst's own files up to the enriched rows, nothing published.
ENRICH = ("discover", "fetch", "normalize", "enrich")


@dataclass
class Run:
    """One run of a flow: what it is given, and what each stage left (staging paths by their report key).

    ``windowed``: validate quarantines rows dated outside the window around ``interval`` (an ingest run owns
    its interval; a reprocess range selects rows by their date already, so it is not checked again).
    """

    settings: Settings
    run_id: str
    interval: Interval
    windowed: bool = True
    refetch: bool | None = None
    paths: dict[str, str] = field(default_factory=dict)
    published: dict[str, int] = field(default_factory=dict)
    summary: dict[str, Any] = field(default_factory=dict)

    def pages(self) -> str:
        """The run's file of fetched pages: what fetch wrote, or what a reprocess selected."""
        return self.paths["fetched"] if "fetched" in self.paths else self.paths["selected"]


def _stage(name: str, run: Run, *args: Any) -> Any:
    return stage_function(name)(run.settings, run.run_id, *args)


def _report(run: Run) -> None:
    from pipeline.stages.report import report_summary

    run.summary = report_summary(run.settings, run.run_id, run.paths, run.published, run.interval)


def step(name: str, run: Run) -> None:
    """Run stage ``name`` of ``run`` in this process and keep what it returned in ``run``.

    Raises what the stage raises; ``report`` raises RunFailed once the report is written when the run's
    sources failed beyond the failure policy."""
    paths, start, end = run.paths, run.interval.start, run.interval.end
    if name == "discover":
        paths["candidates"] = _stage(name, run, start, end)
    elif name == "select":
        paths["selected"] = _stage(name, run, start, end)
    elif name == "fetch":
        paths["fetched"] = _stage(name, run, paths["candidates"], run.refetch)
    elif name == "normalize":
        paths["normalized"] = _stage(name, run, run.pages())
    elif name == "enrich":
        paths["enriched"] = _stage(name, run, paths["normalized"])
    elif name == "validate":
        window = (start, end) if run.windowed else (None, None)
        paths["validated"] = _stage(name, run, paths["enriched"], *window)
    elif name in ("publish", "republish"):
        run.published = _stage(name, run, paths["validated"])
    elif name == "report":
        _report(run)
    else:
        raise KeyError(f"no stage {name!r} in a flow")


def run_flow(stages: tuple[str, ...], run: Run) -> Run:
    """Run ``stages`` in order on ``run``; returns it, holding every stage's output."""
    for name in stages:
        step(name, run)
    return run


def ingest(settings: Settings, run_id: str, interval: Interval, refetch: bool | None = None) -> Run:
    """One news_ingest run of ``interval`` in this process."""
    return run_flow(INGEST, Run(settings, run_id, interval, refetch=refetch))


def reprocess(settings: Settings, run_id: str, interval: Interval) -> Run:
    """One news_reprocess run of the published rows dated in ``interval``, in this process (no network)."""
    return run_flow(REPROCESS, Run(settings, run_id, interval, windowed=False))
