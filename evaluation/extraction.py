"""``python -m evaluation.extraction``: the project's article text and publication day beside the libraries
it is built on, on their own public benchmarks, with time per page.

- Text, scrapinghub's article-extraction-benchmark (``--articles DIR``): the project (``python -m pipeline
  extract``'s code path, :func:`pipeline.extract.article.extract_one`) beside trafilatura's
  ``bare_extraction`` with its defaults and with ``favor_precision``, both with metadata (the project's job
  includes the title and date), scored as the benchmark's ``evaluate.py`` does (:mod:`evaluation.shingles`).
- Dates, htmldate's evaluation set (``--htmldate DIR``, its ``tests/`` folder): the project's
  ``published_at_local_date`` beside ``htmldate.find_date`` with its defaults and as htmldate's own
  evaluation runs it (``original_date=True``, fast and extensive), scored as exact day, on the whole set
  and on its Media Cloud news subset.

Every system sees the same bytes in the same run; a page the project rejects counts as empty text and no
date. No system is told the gold answer's format or anything about the benchmark.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from evaluation.benchmarks import BodyPage, DatePage, read_body_pages, read_date_pages
from evaluation.corpora import GoldFileError
from evaluation.shingles import page_counts, score_pages
from evaluation.tables import cell, format_rows
from pipeline.settings import PROJECT_ROOT, Settings, load_settings

DEFAULT_JSON = PROJECT_ROOT / "bench" / "results" / "extraction.json"
PROJECT = "project"
WORSE_BY = 0.2
ARTICLES_SOURCE = "github.com/scrapinghub/article-extraction-benchmark (the repository: html/, ground-truth.json)"
HTMLDATE_SOURCE = "github.com/adbar/htmldate (its tests/ folder: eval_*.json, test_set/, cache/, eval/)"


@dataclass
class Timed:
    """A system's outputs in page order and the seconds it spent on them."""

    outputs: list[Any] = field(default_factory=list)
    seconds: float = 0.0

    def run(self, call: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        started = time.perf_counter()
        value = call(*args, **kwargs)
        self.seconds += time.perf_counter() - started
        self.outputs.append(value)


def _project(settings: Settings, html: bytes, url: str) -> dict[str, Any]:
    from pipeline.extract.article import extract_one

    return extract_one(html, url, settings, feed_published_at=None, fetched_at=datetime.now(UTC))


def _project_text(settings: Settings, html: bytes, url: str) -> str:
    return str(_project(settings, html, url).get("text") or "")


def _trafilatura(html: bytes, url: str, **options: Any) -> str:
    import trafilatura

    doc = trafilatura.bare_extraction(html, url=url or None, with_metadata=True, **options)
    return (getattr(doc, "text", None) or "") if doc is not None else ""


def _as_htmldate_reads(html: bytes) -> str | bytes:
    """The page as htmldate's evaluation hands it over: decoded UTF-8, else the bytes for htmldate to decode."""
    try:
        return html.decode("utf-8")
    except UnicodeDecodeError:
        return html


def _htmldate(html: bytes, **options: Any) -> str | None:
    import htmldate

    return htmldate.find_date(_as_htmldate_reads(html), **options)


TEXT_BASELINES: dict[str, dict[str, Any]] = {
    "trafilatura defaults": {},
    "trafilatura favor_precision": {"favor_precision": True},
}
DATE_BASELINES: dict[str, dict[str, Any]] = {
    "htmldate defaults": {},
    "htmldate fast": {"original_date": True, "extensive_search": False},
    "htmldate extensive": {"original_date": True, "extensive_search": True},
}


def _warm_up(settings: Settings, html: bytes, url: str) -> None:
    """Load models and parsers once before timing, as a long-running normalize worker has them loaded."""
    _project(settings, html, url)
    _trafilatura(html, url)
    _htmldate(html)


def run_text(pages: Sequence[BodyPage], settings: Settings) -> tuple[dict[str, Any], str, list[dict[str, Any]]]:
    """Text scores of every system, the printed table, and the pages where the project trails a baseline."""
    systems = {PROJECT: Timed(), **{name: Timed() for name in TEXT_BASELINES}}
    for page in pages:
        systems[PROJECT].run(_project_text, settings, page.html, page.url)
        for name, options in TEXT_BASELINES.items():
            systems[name].run(_trafilatura, page.html, page.url, **options)
    summary: dict[str, Any] = {}
    rows = []
    base_seconds = systems["trafilatura defaults"].seconds
    for name, timed in systems.items():
        scores = score_pages([(p.body, text) for p, text in zip(pages, timed.outputs, strict=True)])
        ms = 1000 * timed.seconds / max(1, len(pages))
        summary[name] = {**vars(scores), "ms_per_page": ms, "x_trafilatura": timed.seconds / base_seconds}
        rows.append(
            [
                name,
                cell(scores.f1),
                cell(scores.precision),
                cell(scores.recall),
                cell(scores.accuracy),
                f"{ms:.1f}",
                f"{timed.seconds / base_seconds:.2f}x",
            ]
        )
    worse = _trailing_pages(pages, systems)
    summary[PROJECT]["pages_worse_by_0.2"] = len(worse)
    table = format_rows(["system", "F1", "precision", "recall", "accuracy", "ms/page", "time"], rows)
    lines = [
        f"Article text, article-extraction-benchmark ({len(pages)} pages)",
        table,
        f"pages where the project's F1 is more than {WORSE_BY} below a trafilatura setting: {len(worse)}",
    ]
    lines += [
        f"  {w['page']} {w['url']}: project {w['project_f1']:.3f}, {w['baseline']} {w['baseline_f1']:.3f}"
        for w in worse
    ]
    return summary, "\n".join(lines), worse


def _trailing_pages(pages: Sequence[BodyPage], systems: dict[str, Timed]) -> list[dict[str, Any]]:
    worse = []
    for index, page in enumerate(pages):
        ours = page_counts(page.body, systems[PROJECT].outputs[index]).f1
        for name in TEXT_BASELINES:
            theirs = page_counts(page.body, systems[name].outputs[index]).f1
            if theirs - ours > WORSE_BY:
                worse.append(
                    {
                        "kind": "text",
                        "page": page.page_id,
                        "url": page.url,
                        "project_f1": ours,
                        "baseline": name,
                        "baseline_f1": theirs,
                    }
                )
                break
    return worse


def _project_day(result: dict[str, Any]) -> str | None:
    day = result.get("published_at_local_date")
    return day.isoformat() if day is not None else None


def run_dates(pages: Sequence[DatePage], settings: Settings) -> tuple[dict[str, Any], str, list[dict[str, Any]]]:
    """Exact-day scores of every system on the whole set and Media Cloud, the table, the project's misses."""
    systems = {PROJECT: Timed(), **{name: Timed() for name in DATE_BASELINES}}
    sources: list[str] = []
    for page in pages:
        systems[PROJECT].run(_project, settings, page.html, page.url)
        result = systems[PROJECT].outputs[-1]
        systems[PROJECT].outputs[-1] = _project_day(result)
        sources.append(result.get("published_at_source") or result.get("rejected", "?"))
        for name, options in DATE_BASELINES.items():
            systems[name].run(_htmldate, page.html, **options)
    subsets = {
        "whole set": range(len(pages)),
        "Media Cloud": [i for i, p in enumerate(pages) if p.subset == "mediacloud"],
    }
    summary: dict[str, Any] = {}
    rows = []
    for name, timed in systems.items():
        summary[name] = {"ms_per_page": 1000 * timed.seconds / max(1, len(pages))}
        row = [name]
        for subset, indices in subsets.items():
            exact = sum(timed.outputs[i] == pages[i].day for i in indices) / max(1, len(indices))
            summary[name][subset] = exact
            row.append(cell(exact))
        rows.append([*row, f"{summary[name]['ms_per_page']:.1f}"])
    misses = [
        {
            "kind": "date",
            "url": p.url,
            "subset": p.subset,
            "gold": p.day,
            "project": systems[PROJECT].outputs[i],
            "source": sources[i],
            "htmldate_extensive": systems["htmldate extensive"].outputs[i],
        }
        for i, p in enumerate(pages)
        if systems[PROJECT].outputs[i] != p.day
    ]
    table = format_rows(["system", *(f"exact day, {s}" for s in subsets), "ms/page"], rows)
    counts = {s: len(i) for s, i in subsets.items()}
    title = (
        f"Publication day, htmldate's evaluation set ({counts['whole set']} pages, {counts['Media Cloud']} Media Cloud)"
    )
    return summary, f"{title}\n{table}", misses


def parser() -> argparse.ArgumentParser:
    cli = argparse.ArgumentParser(prog="python -m evaluation.extraction", description=__doc__.splitlines()[0])
    cli.add_argument("--articles", type=Path, default=None, help="article-extraction-benchmark folder")
    cli.add_argument("--htmldate", type=Path, default=None, help="htmldate's tests/ folder")
    cli.add_argument("--limit", type=int, default=None, help="first N pages of each benchmark (each htmldate subset)")
    cli.add_argument("--json", type=Path, default=DEFAULT_JSON, help=f"scores as JSON (default {DEFAULT_JSON})")
    cli.add_argument(
        "--errors", type=Path, default=None, help="the project's trailing pages and date misses, JSON lines"
    )
    return cli


def main(argv: Sequence[str] | None = None) -> int:
    """Score the benchmarks given; tables on stdout, progress on stderr, JSON and misses to files."""
    args = parser().parse_args(argv)
    if args.articles is None and args.htmldate is None:
        print(
            f"nothing to score: get {ARTICLES_SOURCE} and pass --articles DIR, "
            f"and/or get {HTMLDATE_SOURCE} and pass --htmldate DIR/tests"
        )
        return 2
    settings = load_settings()
    results: dict[str, Any] = {}
    errors: list[dict[str, Any]] = []
    try:
        text_pages = read_body_pages(args.articles, args.limit) if args.articles else []
        date_pages, absent = read_date_pages(args.htmldate, args.limit) if args.htmldate else ([], [])
    except GoldFileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if absent:
        print(
            f"htmldate: {len(absent)} listed pages are not in the folder and are not scored: {', '.join(absent)}",
            file=sys.stderr,
        )
    first = (text_pages or date_pages)[0]
    _warm_up(settings, first.html, first.url)
    if text_pages:
        print(f"text: {len(text_pages)} pages", file=sys.stderr, flush=True)
        results["text"], table, misses = run_text(text_pages, settings)
        errors.extend(misses)
        print(f"\n{table}", flush=True)
    if date_pages:
        print(f"dates: {len(date_pages)} pages", file=sys.stderr, flush=True)
        results["dates"], table, misses = run_dates(date_pages, settings)
        errors.extend(misses)
        print(f"\n{table}", flush=True)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"scores written to {args.json}", file=sys.stderr)
    if args.errors is not None:
        with args.errors.open("w", encoding="utf-8") as out:
            out.writelines(json.dumps(record, ensure_ascii=False, default=str) + "\n" for record in errors)
    return 0


if __name__ == "__main__":
    sys.exit(main())
