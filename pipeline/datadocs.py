"""Data Docs for every run: the GX validation results of each suite the run ran, pass or fail, as one
static page, ``<data_root>/reports/<run>/datadocs/index.html``.

The stages that validate (validate, publish) keep each suite's GX result as JSON under
``reports/<run>/validations/``; the page is then rendered from those files, so a task on any worker sees
every suite of the run, and a failed batch gets its page too (the validation error names it).

The page is our own (a Jinja2 template), not GX's SiteBuilder site: GX's pages load jQuery, Bootstrap,
bootstrap-table, Font Awesome and Vega from public CDNs and GX's package ships none of them, so offline
their index was blank and the status column empty, and they named the run ``__none__``. Ours needs nothing
from the network, names the Airflow run id, and lists the rows (sources, partitions) an expectation failed on.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from pipeline.pages import render_page
from pipeline.storage.raw import Store, run_key
from pipeline.validate import SuiteOutcome

LOG = logging.getLogger(__name__)
SHOWN_VALUES = 20


def validations_dir(store: Store, run_id: str) -> str:
    return store.path("reports", run_key(run_id), "validations")


def site_dir(store: Store, run_id: str) -> str:
    return store.path("reports", run_key(run_id), "datadocs")


def save_results(store: Store, run_id: str, outcomes: Sequence[SuiteOutcome]) -> None:
    """Keep each suite's GX validation result of this run (a retried stage overwrites its own)."""
    fs = store.fs()
    directory = validations_dir(store, run_id)
    fs.makedirs(directory, exist_ok=True)
    for outcome in outcomes:
        record = {"validated_at": datetime.now(UTC).isoformat(), "label": outcome.label, "result": outcome.result}
        with fs.open(f"{directory}/{outcome.label}.json", "w") as fh:
            json.dump(record, fh, default=str)


def build_data_docs(store: Store, run_id: str) -> str:
    """(Re)write the run's validation page from its saved results; returns the path of its index.html."""
    suites = validation_view(load_results(store, run_id))
    target = f"{site_dir(store, run_id)}/index.html"
    fs = store.fs()
    fs.makedirs(site_dir(store, run_id), exist_ok=True)
    with fs.open(target, "w") as fh:
        fh.write(render_page("validation.html.j2", run_id=run_id, suites=suites))
    LOG.info("Data Docs of run %s (%d suite results): %s", run_id, len(suites), target)
    return target


def load_results(store: Store, run_id: str) -> list[dict[str, Any]]:
    """The run's saved suite results, in the order the suites ran."""
    fs = store.fs()
    directory = validations_dir(store, run_id)
    if not fs.exists(directory):
        return []
    records = []
    for path in fs.glob(f"{directory}/*.json"):
        with fs.open(path, "r") as fh:
            records.append(json.load(fh))
    return sorted(records, key=lambda r: (r["validated_at"], r.get("label", "")))


def validation_view(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Plain values for the templates: per suite result, its status and every expectation's outcome."""
    suites = []
    for record in records:
        result = record["result"]
        stats = result.get("statistics", {})
        suites.append(
            {
                "label": record.get("label", result["suite_name"]),
                "suite": result["suite_name"],
                "success": bool(result["success"]),
                "validated_at": record["validated_at"],
                "evaluated": stats.get("evaluated_expectations", len(result["results"])),
                "failed": stats.get("unsuccessful_expectations", sum(not r["success"] for r in result["results"])),
                "expectations": [_expectation(r) for r in result["results"]],
            }
        )
    return suites


def _expectation(outcome: dict[str, Any]) -> dict[str, Any]:
    config = outcome["expectation_config"]
    kwargs = {k: v for k, v in config.get("kwargs", {}).items() if k not in {"batch_id", "condition_parser"}}
    found = outcome.get("result") or {}
    observed = found.get("observed_value")
    if observed is None and "unexpected_count" in found:
        observed = f"{found['unexpected_count']} unexpected of {found.get('element_count', '?')}"
    error = (outcome.get("exception_info") or {}).get("exception_message")
    return {
        "type": config["type"],
        "column": kwargs.pop("column", None),
        "arguments": ", ".join(f"{k}={_short(v)}" for k, v in sorted(kwargs.items())),
        "success": bool(outcome["success"]),
        "observed": _short(observed) if observed is not None else (error or ""),
        "failing_rows": [_row(r) for r in found.get("partial_unexpected_index_list") or []][:SHOWN_VALUES],
        "unexpected": [_short(v) for v in found.get("partial_unexpected_list") or []][:SHOWN_VALUES],
        "why": (config.get("meta") or {}).get("why", ""),
    }


def _row(index: Any) -> str:
    """A failing row named by its index columns (a source, a partition), as ``column=value``."""
    if isinstance(index, dict):
        return ", ".join(f"{k}={v}" for k, v in index.items())
    return str(index)


def _short(value: Any, limit: int = 200) -> str:
    text = value if isinstance(value, str) else json.dumps(value, default=str)
    return text if len(text) <= limit else text[: limit - 1] + "…"
