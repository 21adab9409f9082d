"""The run report an operator reads: what came in, what went out, what was quarantined and why.

Every run gets ``<data_root>/reports/<run>/``: ``summary.json``, ``index.html`` (counts by source and
stage, quarantine reasons, top actors and locations, a chart of articles per hour) with
``articles_per_hour.png``, next to the GX Data Docs site of the run (``datadocs/``).
"""

from __future__ import annotations

import html
import io
import json
from collections import Counter, defaultdict
from datetime import datetime
from typing import Any

from pipeline.publish import quarantined_in_run
from pipeline.sources.status import read_source_status
from pipeline.store import Store, run_key

TOP_N = 10
STAGE_FILES = (("candidates", "discovered"), ("fetched", "fetched"), ("normalized", "normalized"))
CHART = "articles_per_hour.png"


def report_dir(store: Store, run_id: str) -> str:
    return store.path("reports", run_key(run_id))


def summarize(store: Store, run_id: str, paths: dict[str, str], published: dict[str, int]) -> dict[str, Any]:
    """Counts per stage and per source, quarantine reasons, top actors and locations of one run."""
    counts = {stage: store.count_rows(path) for stage, path in paths.items()}
    quarantine = quarantined_in_run(store, run_id, ["source", "stage", "reason_code"])
    stages, sources = quarantine["stage"].to_pylist(), quarantine["source"].to_pylist()
    reasons = Counter(f"{s}/{r}" for s, r in zip(stages, quarantine["reason_code"].to_pylist(), strict=True))
    by_source: dict[str, Counter[str]] = defaultdict(Counter)
    for stage, label in (*STAGE_FILES, ("validated", "validated")):
        if stage in paths:
            for source in store.read_table(paths[stage], ["source_name"]).column("source_name").to_pylist():
                by_source[source][label] += 1
    for source, stage in zip(sources, stages, strict=True):
        by_source[source][f"quarantined_{stage}"] += 1
    actors: Counter[str] = Counter()
    places: Counter[str] = Counter()
    hours: Counter[str] = Counter()
    if "validated" in paths:
        batch = store.read_table(paths["validated"], ["actors", "locations", "published_at"])
        for row_actors, row_places in zip(batch["actors"].to_pylist(), batch["locations"].to_pylist(), strict=True):
            actors.update({a["canonical"]: a["mentions"] for a in row_actors or []})
            places.update({p["canonical"]: p["mentions"] for p in row_places or []})
        hours.update(
            t.replace(minute=0, second=0, microsecond=0).isoformat() for t in batch["published_at"].to_pylist()
        )
    docs = f"{report_dir(store, run_id)}/datadocs/index.html"
    sources = read_source_status(store, run_id)
    return {
        "run_id": run_id,
        "discovered": counts.get("candidates", 0),
        "fetched": counts.get("fetched", 0),
        "normalized": counts.get("normalized", 0),
        "validated": counts.get("validated", 0),
        "published": published,
        "quarantined": sum(reasons.values()),
        "quarantine_reasons": dict(sorted(reasons.items())),
        "by_source": {source: dict(sorted(c.items())) for source, c in sorted(by_source.items())},
        "sources": sources,
        "articles_per_hour": sorted(hours.items()),
        "top_actors": actors.most_common(TOP_N),
        "top_locations": places.most_common(TOP_N),
        "dataset": store.path("published/articles"),
        "data_docs": docs if store.fs().exists(docs) else None,
        "report_html": f"{report_dir(store, run_id)}/index.html",
    }


def write_summary(store: Store, summary: dict[str, Any]) -> str:
    """Keep the summary as JSON under reports/<run>/ and return its path."""
    path = f"{report_dir(store, summary['run_id'])}/summary.json"
    fs = store.fs()
    fs.makedirs(path.rsplit("/", 1)[0], exist_ok=True)
    with fs.open(path, "w") as fh:
        json.dump(summary, fh, indent=2, default=str)
    return path


def write_report_page(store: Store, summary: dict[str, Any]) -> str:
    """Write index.html and the articles-per-hour chart next to the summary; returns the page's path."""
    directory = report_dir(store, summary["run_id"])
    fs = store.fs()
    fs.makedirs(directory, exist_ok=True)
    with fs.open(f"{directory}/{CHART}", "wb") as fh:
        fh.write(articles_per_hour_png(summary["articles_per_hour"]))
    with fs.open(f"{directory}/index.html", "w") as fh:
        fh.write(render_html(summary))
    return f"{directory}/index.html"


def articles_per_hour_png(per_hour: list[tuple[str, int]]) -> bytes:
    """A bar chart of the batch's articles by UTC hour of publication (PNG)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, date2num
    from matplotlib.figure import Figure

    figure = Figure(figsize=(9, 3), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    if per_hour:
        axes.bar(
            date2num([datetime.fromisoformat(h) for h, _ in per_hour]),
            [n for _, n in per_hour],
            width=1 / 24,
            align="edge",
        )
        locator = AutoDateLocator()
        axes.xaxis.set_major_locator(locator)
        axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    else:
        axes.text(0.5, 0.5, "no articles in this batch", ha="center", va="center", transform=axes.transAxes)
    axes.set_ylabel("articles")
    axes.set_title("Articles per hour of publication (UTC)")
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _table(header: list[str], rows: list[list[Any]]) -> str:
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def render_html(summary: dict[str, Any]) -> str:
    """The run's page; every value is escaped (titles and names come from the web)."""
    published = summary["published"]
    columns = sorted({key for counts in summary["by_source"].values() for key in counts})
    by_source = [[s, *(c.get(k, 0) for k in columns)] for s, c in summary["by_source"].items()]
    docs = '<a href="datadocs/index.html">GX Data Docs of this run</a>' if summary.get("data_docs") else "none built"
    sections = [
        f"<h1>Run {html.escape(summary['run_id'])}</h1>",
        f"<p>Validation: {docs} &middot; dataset: <code>{html.escape(summary['dataset'])}</code></p>",
        "<h2>Counts by stage</h2>",
        _table(
            ["discovered", "fetched", "normalized", "validated", "inserted", "updated", "unchanged", "table version"],
            [
                [
                    summary["discovered"],
                    summary["fetched"],
                    summary["normalized"],
                    summary["validated"],
                    published.get("rows_inserted", 0),
                    published.get("rows_updated", 0),
                    published.get("rows_unchanged", 0),
                    published.get("table_version"),
                ]
            ],
        ),
        "<h2>Counts by source and stage</h2>",
        _table(["source", *columns], by_source),
        f"<h2>Quarantined: {summary['quarantined']}</h2>",
        _table(["stage/reason", "records"], [[r, n] for r, n in summary["quarantine_reasons"].items()]),
        "<h2>Articles per hour</h2>",
        f'<img src="{CHART}" alt="bar chart of articles per hour of publication">',
        "<h2>Top actors</h2>",
        _table(["actor", "mentions"], [list(pair) for pair in summary["top_actors"]]),
        "<h2>Top locations</h2>",
        _table(["location", "mentions"], [list(pair) for pair in summary["top_locations"]]),
    ]
    style = (
        "body{font-family:sans-serif;margin:2em} table{border-collapse:collapse} "
        "td,th{border:1px solid #ccc;padding:2px 8px}"
    )
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>newsflow run '
        f"{html.escape(summary['run_id'])}</title><style>{style}</style></head><body>"
        + "\n".join(sections)
        + "</body></html>\n"
    )


def format_summary(summary: dict[str, Any]) -> str:
    """A short plain-text report for a terminal or a task log."""
    published = summary["published"]
    lines = [
        f"run {summary['run_id']}",
        f"  discovered {summary['discovered']}  fetched {summary['fetched']}  normalized {summary['normalized']}"
        f"  validated {summary['validated']}",
        f"  published: {published.get('rows_inserted', 0)} new, {published.get('rows_updated', 0)} updated, "
        f"{published.get('rows_unchanged', 0)} unchanged (table version {published.get('table_version')})",
        "  sources: "
        + ", ".join(
            f"{s['source_name']} {s['status']} ({s['candidates']} new, {s['already_published']} already published)"
            for s in summary.get("sources", [])
        ),
        *(
            f"  SOURCE FAILED {s['source_name']}: {s['detail']}"
            for s in summary.get("sources", [])
            if s["status"] == "failed"
        ),
        f"  quarantined {summary['quarantined']}:",
        *(f"    {reason}: {n}" for reason, n in summary["quarantine_reasons"].items()),
        "  top actors: " + ", ".join(f"{name} ({n})" for name, n in summary["top_actors"]),
        "  top locations: " + ", ".join(f"{name} ({n})" for name, n in summary["top_locations"]),
        f"  dataset: {summary['dataset']}",
        f"  report: {summary.get('report_html')}",
        f"  data docs: {summary.get('data_docs')}",
    ]
    return "\n".join(lines)
