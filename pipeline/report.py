"""The run summary an operator reads: what came in, what went out, what was quarantined and why."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pyarrow.compute as pc

from pipeline.publish import open_table
from pipeline.store import Store, run_key
from schemas import QUARANTINE

TOP_N = 10


def summarize(store: Store, run_id: str, paths: dict[str, str], published: dict[str, int]) -> dict[str, Any]:
    """Counts per stage, quarantine reasons, top actors and locations of one run."""
    counts = {stage: store.read_table(path).num_rows for stage, path in paths.items()}
    quarantine = (
        open_table(store, QUARANTINE)
        .to_pyarrow_dataset()
        .to_table(filter=pc.field("run_id") == run_id, columns=["stage", "reason_code"])
    )
    reasons = Counter(
        f"{s}/{r}" for s, r in zip(quarantine["stage"].to_pylist(), quarantine["reason_code"].to_pylist(), strict=True)
    )
    actors: Counter[str] = Counter()
    places: Counter[str] = Counter()
    if "validated" in paths:
        batch = store.read_table(paths["validated"])
        for row_actors, row_places in zip(batch["actors"].to_pylist(), batch["locations"].to_pylist(), strict=True):
            actors.update({a["canonical"]: a["mentions"] for a in row_actors or []})
            places.update({p["canonical"]: p["mentions"] for p in row_places or []})
    return {
        "run_id": run_id,
        "discovered": counts.get("candidates", 0),
        "fetched": counts.get("fetched", 0),
        "normalized": counts.get("normalized", 0),
        "validated": counts.get("validated", 0),
        "published": published,
        "quarantined": sum(reasons.values()),
        "quarantine_reasons": dict(sorted(reasons.items())),
        "top_actors": actors.most_common(TOP_N),
        "top_locations": places.most_common(TOP_N),
        "dataset": store.path("published/articles"),
    }


def write_summary(store: Store, summary: dict[str, Any]) -> str:
    """Keep the summary as JSON under reports/<run>/ and return its path."""
    path = store.path("reports", run_key(summary["run_id"]), "summary.json")
    fs = store.fs()
    fs.makedirs(path.rsplit("/", 1)[0], exist_ok=True)
    with fs.open(path, "w") as fh:
        json.dump(summary, fh, indent=2, default=str)
    return path


def format_summary(summary: dict[str, Any]) -> str:
    """A short plain-text report for a terminal or a task log."""
    published = summary["published"]
    lines = [
        f"run {summary['run_id']}",
        f"  discovered {summary['discovered']}  fetched {summary['fetched']}  normalized {summary['normalized']}"
        f"  validated {summary['validated']}",
        f"  published: {published.get('rows_inserted', 0)} new, {published.get('rows_updated', 0)} updated, "
        f"{published.get('rows_unchanged', 0)} unchanged (table version {published.get('table_version')})",
        f"  quarantined {summary['quarantined']}:",
        *(f"    {reason}: {n}" for reason, n in summary["quarantine_reasons"].items()),
        "  top actors: " + ", ".join(f"{name} ({n})" for name, n in summary["top_actors"]),
        "  top locations: " + ", ".join(f"{name} ({n})" for name, n in summary["top_locations"]),
        f"  dataset: {summary['dataset']}",
    ]
    return "\n".join(lines)
