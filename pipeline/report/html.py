"""The run report, the page an operator opens first: did the run work, what came in, what went out, what
was quarantined and why, and where the articles' places are.

Every report is its own attempt, ``<data_root>/reports/<run>/<n>/`` (1, 2, ... in the order they were
written: a rerun, a repeated reprocess or a retried report task adds one and overwrites none), holding
``index.html``, ``summary.json`` and ``timeline.png``. ``reports/<run>/index.html`` points at the latest
attempt and lists them all, and ``reports/<run>/summary.json`` is a copy of the latest summary. The run's
validation results are on its Data Docs page (``reports/<run>/datadocs/``) and, as they stood when the
report was written, on the report itself.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from datetime import datetime
from typing import Any

from pipeline.pages import render_page
from pipeline.quality.datadocs import load_results, validation_view
from pipeline.report.figures import places_svg, timeline, timeline_png
from pipeline.sources.status import read_source_status
from pipeline.storage.raw import Store, run_key
from pipeline.storage.side_tables import quarantined_in_run

TOP_N = 10
SHOWN_QUARANTINE = 500
SHOWN_PLACES = 500
# The run's staging file (its key in ``paths``), the count's label, the stage that quarantines. An ingest run
# has candidates, a reprocess run has the published rows it selected instead; both have the rest.
STAGE_FILES = (
    ("candidates", "discovered", "discover"),
    ("selected", "selected", "select"),
    ("fetched", "fetched", "fetch"),
    ("normalized", "normalized", "normalize"),
    ("enriched", "enriched", "enrich"),
    ("validated", "validated", "validate"),
)
CHART = "timeline.png"
FETCH_DATED = "fetched_fallback"
QUARANTINE_COLUMNS = ["source", "stage", "reason_code", "reason_detail", "url", "raw_ref", "time"]


def report_dir(store: Store, run_id: str) -> str:
    return store.path("reports", run_key(run_id))


def summarize(
    store: Store,
    run_id: str,
    paths: dict[str, str],
    published: dict[str, int],
    interval: tuple[datetime, datetime] | None = None,
    pipeline_version: str | None = None,
    max_failed_share: float = 1.0,
) -> dict[str, Any]:
    """Status, counts per stage and per source, quarantine, entities, timeline and places of one run.

    The status is ``failed`` (the run fails) when every configured source failed, or when the share that
    failed is above ``max_failed_share``; ``degraded`` when fewer failed.

    Stage counts are articles (one row per article at that stage); entity counts are mentions (how often
    the texts name it) beside articles (how many articles name it)."""
    counts = {label: store.count_rows(paths[key]) for key, label, _ in STAGE_FILES if key in paths}
    quarantine = quarantined_in_run(store, run_id, QUARANTINE_COLUMNS).sort_by("time").to_pylist()
    reasons = Counter(f"{q['stage']}/{q['reason_code']}" for q in quarantine)
    by_source: dict[str, Counter[str]] = defaultdict(Counter)
    for key, label, _ in STAGE_FILES:
        if key in paths:
            for source in store.read_table(paths[key], ["source_name"]).column("source_name").to_pylist():
                by_source[source][label] += 1
    for q in quarantine:
        by_source[q["source"]][f"quarantined_{q['stage']}"] += 1
    sources = read_source_status(store, run_id)
    entities = _entities(store, paths["validated"]) if "validated" in paths else _entities_of([])
    docs = f"{report_dir(store, run_id)}/datadocs/index.html"
    return {
        "run_id": run_id,
        **_status(sources, counts, max_failed_share),
        "interval": {"start": interval[0].isoformat(), "end": interval[1].isoformat()} if interval else None,
        "pipeline_version": pipeline_version,
        "stages": counts,
        "discovered": counts.get("discovered", 0),
        "fetched": counts.get("fetched", 0),
        "normalized": counts.get("normalized", 0),
        "enriched": counts.get("enriched"),
        "validated": counts.get("validated", 0),
        "published": published,
        "quarantined": sum(reasons.values()),
        "quarantine_reasons": dict(sorted(reasons.items())),
        "quarantine": [{**q, "time": q["time"].isoformat()} for q in quarantine[:SHOWN_QUARANTINE]],
        "by_source": {source: dict(sorted(c.items())) for source, c in sorted(by_source.items())},
        "sources": sources,
        **entities,
        "dataset": store.path("published/articles"),
        "data_docs": docs if store.fs().exists(docs) else None,
        "report_html": None,
    }


def _status(sources: list[dict[str, Any]], counts: dict[str, int], max_failed_share: float) -> dict[str, str]:
    """``failed`` when every source failed or more than ``max_failed_share`` of them did, ``degraded`` when
    fewer did, ``empty`` when nothing came in."""
    failed = [s["source_name"] for s in sources if s["status"] == "failed"]
    if sources and len(failed) == len(sources):
        return {"status": "failed", "status_detail": f"every source failed ({', '.join(failed)})"}
    share = f"{len(failed)} of {len(sources)} sources failed ({', '.join(failed)})"
    if failed and len(failed) / len(sources) > max_failed_share:
        return {
            "status": "failed",
            "status_detail": f"{share}: more than NEWSFLOW_MAX_FAILED_SOURCE_SHARE={max_failed_share:g} of them",
        }
    if failed:
        return {"status": "degraded", "status_detail": share}
    if not counts.get("discovered") and not counts.get("validated"):
        return {"status": "empty", "status_detail": "no new articles in this interval"}
    return {"status": "ok", "status_detail": f"all {len(sources)} sources ok" if sources else "ok"}


def _entities(store: Store, validated: str) -> dict[str, Any]:
    columns = ["actors", "locations", "countries", "published_at", "published_at_source"]
    return _entities_of(store.read_table(validated, columns).to_pylist())


def _entities_of(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Top actors and places (mentions and articles), countries, the timeline and the map's points."""
    actor_mentions: Counter[str] = Counter()
    actor_articles: Counter[str] = Counter()
    place_mentions: Counter[str] = Counter()
    place_articles: Counter[str] = Counter()
    countries: Counter[str] = Counter()
    points: dict[str, dict[str, Any]] = {}
    for row in rows:
        for actor in row["actors"] or []:
            actor_mentions[actor["canonical"]] += actor["mentions"]
        actor_articles.update({a["canonical"] for a in row["actors"] or []})
        for place in row["locations"] or []:
            place_mentions[place["canonical"]] += place["mentions"]
            if place["latitude"] is not None and place["longitude"] is not None:
                key = f"{place['canonical']}|{place['latitude']}|{place['longitude']}"
                point = points.setdefault(
                    key,
                    {
                        "name": place["canonical"],
                        "country_code": place["country_code"],
                        "latitude": place["latitude"],
                        "longitude": place["longitude"],
                        "articles": 0,
                        "mentions": 0,
                    },
                )
                point["mentions"] += place["mentions"]
        place_articles.update({p["canonical"] for p in row["locations"] or []})
        for key in {f"{p['canonical']}|{p['latitude']}|{p['longitude']}" for p in row["locations"] or []}:
            if key in points:
                points[key]["articles"] += 1
        countries.update(set(row["countries"] or []))
    dated = [r["published_at"] for r in rows if r["published_at_source"] != FETCH_DATED]
    hours = Counter(r["published_at"].replace(minute=0, second=0, microsecond=0).isoformat() for r in rows)
    return {
        "articles_per_hour": sorted(hours.items()),
        "timeline": {**timeline(dated), "fetch_dated": len(rows) - len(dated)},
        "top_actors": actor_mentions.most_common(TOP_N),
        "top_locations": place_mentions.most_common(TOP_N),
        "actors": [
            {"name": n, "mentions": m, "articles": actor_articles[n]} for n, m in actor_mentions.most_common(TOP_N)
        ],
        "locations": [
            {"name": n, "mentions": m, "articles": place_articles[n]} for n, m in place_mentions.most_common(TOP_N)
        ],
        "countries": dict(countries.most_common()),
        "places": sorted(points.values(), key=lambda p: (-p["articles"], p["name"]))[:SHOWN_PLACES],
    }


def attempts(store: Store, run_id: str) -> list[int]:
    """The numbers of the run's reports written so far, in order."""
    names = [p.rstrip("/").rsplit("/", 1)[-1] for p in store.fs().glob(f"{report_dir(store, run_id)}/*")]
    return sorted(int(name) for name in names if name.isdigit())


def write_report(store: Store, summary: dict[str, Any]) -> dict[str, Any]:
    """Write a new attempt (page, chart, summary), then point the run's index and summary at it; returns
    the summary as written (with its attempt and page)."""
    attempt = max(attempts(store, summary["run_id"]), default=0) + 1
    run_dir = report_dir(store, summary["run_id"])
    directory = f"{run_dir}/{attempt}"
    summary = {**summary, "attempt": attempt, "report_html": f"{directory}/index.html"}
    summary["reports"] = f"{run_dir}/index.html"
    fs = store.fs()
    fs.makedirs(directory, exist_ok=True)
    with fs.open(f"{directory}/{CHART}", "wb") as fh:
        fh.write(timeline_png(summary["timeline"], summary["timeline"]["fetch_dated"]))
    suites = validation_view(load_results(store, summary["run_id"]))
    page = render_html(summary, suites)
    text = json.dumps(summary, indent=2, default=str)
    written = attempts(store, summary["run_id"])
    for path, content in (
        (f"{directory}/index.html", page),
        (f"{directory}/summary.json", text),
        (f"{run_dir}/summary.json", text),
        (f"{run_dir}/index.html", render_page("latest.html.j2", run_id=summary["run_id"], attempts=written)),
    ):
        with fs.open(path, "w") as fh:
            fh.write(content)
    return summary


def render_html(summary: dict[str, Any], suites: list[dict[str, Any]]) -> str:
    """The attempt's page; values are escaped by the template (titles, names and URLs come from the web)."""
    published = summary["published"]
    quarantined_at: Counter[str] = Counter()
    for reason, n in summary["quarantine_reasons"].items():
        quarantined_at[reason.split("/", 1)[0]] += n
    statuses = {s["source_name"]: s for s in summary["sources"]}
    names = sorted(set(statuses) | set(summary["by_source"]))
    counts = {n: summary["by_source"].get(n, {}) for n in names}
    return render_page(
        "report.html.j2",
        s=summary,
        stages=[
            (label, summary["stages"][label], quarantined_at.get(stage, 0))
            for _, label, stage in STAGE_FILES
            if label in summary["stages"]
        ],
        published_articles=published.get("rows_inserted", 0) + published.get("rows_updated", 0),
        sources=[
            {
                "name": n,
                "status": statuses.get(n),
                "counts": counts[n],
                "quarantined": sum(v for k, v in counts[n].items() if k.startswith("quarantined_")),
            }
            for n in names
        ],
        suites=suites,
        map_svg=places_svg(summary["places"], summary["countries"]),
        chart=CHART,
    )


def format_summary(summary: dict[str, Any]) -> str:
    """A short plain-text report for a terminal or a task log."""
    published = summary["published"]
    interval = summary.get("interval")
    lines = [
        f"run {summary['run_id']}" + (f" [{interval['start']}, {interval['end']})" if interval else ""),
        *([f"  status {summary['status']}: {summary['status_detail']}"] if "status" in summary else []),
        "  articles: " + "  ".join(f"{label} {n}" for label, n in summary["stages"].items()),
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
        "  top actors (mentions): " + ", ".join(f"{name} ({n})" for name, n in summary["top_actors"]),
        "  top locations (mentions): " + ", ".join(f"{name} ({n})" for name, n in summary["top_locations"]),
        f"  dataset: {summary['dataset']}",
        f"  report: {summary.get('report_html')}",
        f"  data docs: {summary.get('data_docs')}",
    ]
    return "\n".join(lines)
