"""The pipeline's stages as plain functions: paths and settings in, paths and counts out.

Each is the whole body of one Airflow task (and of one CLI step). They read the previous stage's
staging file, call the pure core, write the next staging file, and send every failure to quarantine.
Staging files are keyed by run, so a retried task overwrites its own output and nothing else.

One module per stage (or per group of stages sharing their helpers). A task process imports only the
module of its own stage, and a stage imports its heavy libraries (extraction, models, MinHash, Delta
merges) only once it has rows for them: an hourly run that finds nothing new pays for none of them.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from pipeline.settings import load_settings

# Stage name, as the DAGs call it -> "module:function" in this package.
STAGES = {
    "discover": "discover:discover_interval",
    "shard": "fetch:shard",
    "fetch": "fetch:fetch",
    "fetch_shard": "fetch:fetch_shard",
    "normalize": "normalize:normalize",
    "normalize_shard": "normalize:normalize_shard",
    "collect": "collect:collect",
    "enrich": "enrich:enrich",
    "validate": "validate:validate_interval",
    "publish": "publish:publish",
    "report": "report:report",
}


def stage_function(name: str) -> Callable[..., Any]:
    """The function of stage ``name``; its module is imported on first use only."""
    module, _, function = STAGES[name].partition(":")
    stage: Callable[..., Any] = getattr(importlib.import_module(f"{__name__}.{module}"), function)
    return stage


def run_stage(name: str, run_id: str | None, *args: Any) -> Any:
    """Entry point of every Airflow task: load settings at the edge, then run one stage."""
    if not run_id:
        raise ValueError(f"stage {name} needs the run id Airflow passes to the task")
    return stage_function(name)(load_settings(), run_id, *args)
