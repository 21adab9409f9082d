"""``python -m pipeline``: the same stages the DAGs run, from a terminal."""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from pipeline.errors import RunFailed, UserInputError
from pipeline.settings import load_settings


def _utc(value: str) -> datetime:
    parsed = datetime.fromisoformat(value)
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value} is not a positive number")
    return number


def cmd_demo(args: argparse.Namespace) -> int:
    from pipeline.dev.demo import demo

    print(demo(load_settings(), args.date))
    return 0


def cmd_serve_samples(args: argparse.Namespace) -> int:
    from pipeline.dev.sample_site import serve_site

    with serve_site() as url:
        print(f"serving samples/site at {url} (export NEWSFLOW_SAMPLE_SITE={url}); Ctrl-C stops", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            return 0


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def cmd_local_airflow(args: argparse.Namespace) -> int:
    """``make airflow``: serve until Ctrl-C or until a component exits (then non-zero, with its log's tail)."""
    from pipeline.orchestration.local_airflow import LocalAirflowError, local_airflow

    signal.signal(signal.SIGTERM, _interrupt)  # `kill` stops the components too, as Ctrl-C does
    try:
        with local_airflow(load_settings(), args.host, args.port) as service:
            print(
                f"Airflow UI: {service.url}  (login {service.user} / {service.password}, kept in "
                f"{service.passwords_file})\ncomponent logs: {service.logs}/{{api-server,scheduler,dag-processor}}.log"
                "\nthe project's DAGs are unpaused; Airflow's CLI on this home: .venv/bin/python -m pipeline airflow "
                "COMMAND\nCtrl-C stops it",
                flush=True,
            )
            service.wait()
    except KeyboardInterrupt:
        return 0
    except LocalAirflowError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


def cmd_airflow(args: argparse.Namespace) -> int:
    """Airflow's own CLI with the project's environment (AIRFLOW_HOME=.airflow, its DB, the dags folder)."""
    from pipeline.dev.demo import airflow_binary
    from pipeline.orchestration.local_airflow import project_env

    done = subprocess.run([airflow_binary(), *args.airflow_args], env=project_env(load_settings()), check=False)
    return done.returncode


def cmd_run(args: argparse.Namespace) -> int:
    """All stages in this process for one interval, without Airflow (same functions the DAG calls)."""
    from pipeline.flows import ingest
    from pipeline.report.html import format_summary
    from pipeline.sources.base import Interval

    run_id = args.run_id or f"cli__{args.start.isoformat()}"
    try:
        run = ingest(load_settings(), run_id, Interval(args.start, args.end))
    except RunFailed as exc:
        print(format_summary(exc.summary))
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(format_summary(run.summary))
    return 0


def cmd_reprocess(args: argparse.Namespace) -> int:
    """Rebuild the published rows of a range from the raw zone (no network)."""
    from pipeline.flows import reprocess
    from pipeline.report.html import format_summary
    from pipeline.sources.base import Interval

    run_id = args.run_id or f"reprocess__{args.start.isoformat()}__{args.end.isoformat()}"
    print(format_summary(reprocess(load_settings(), run_id, Interval(args.start, args.end)).summary))
    return 0


def cmd_enrich(args: argparse.Namespace) -> int:
    """One JSON object per article on stdout; inputs that failed, with stage and reason, on stderr."""
    from pipeline.stages.enrich_corpus import CorpusPathError, enrich_paths

    try:
        result = enrich_paths(args.paths, load_settings(), args.default_domain)
    except CorpusPathError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for row in result.articles:
        print(json.dumps(row, default=str, ensure_ascii=False))
    for failure in result.rejected:
        print(f"rejected [{failure['stage']}/{failure['reason_code']}] {failure['reason_detail']}", file=sys.stderr)
    return 1 if result.rejected and not result.articles else 0


def cmd_extract(args: argparse.Namespace) -> int:
    """What normalize makes of one page file, as one JSON object; exit 1 when the page is rejected."""
    from pipeline.extract.article import extract_one

    try:
        payload = args.page.read_bytes()
    except OSError as exc:
        print(f"error: cannot read {args.page}: {exc.strerror}", file=sys.stderr)
        return 2
    url = args.url or args.page.resolve().as_uri()
    result = extract_one(payload, url, load_settings(), feed_published_at=args.feed_date, fetched_at=datetime.now(UTC))
    print(json.dumps(result, default=str, ensure_ascii=False))
    return 1 if "rejected" in result else 0


HISTORY_COLUMNS = (
    ("published_at", "time (UTC)"),
    ("run_id", "run"),
    ("try_number", "try"),
    ("committed", "committed"),
    ("table_version", "version"),
    ("rows_inserted", "new"),
    ("rows_updated", "updated"),
    ("rows_unchanged", "unchanged"),
)


def _history_cell(name: str, value: Any) -> str:
    if value is None:
        return "-"
    if name == "published_at":
        return f"{value:%Y-%m-%d %H:%M:%S}"
    if name == "committed":
        return "yes" if value else "no"
    return str(value)


def history_table(rows: list[dict[str, Any]]) -> str:
    """Publish attempts as an aligned text table, one line each, newest first."""
    cells = [[_history_cell(name, row[name]) for name, _ in HISTORY_COLUMNS] for row in rows]
    header = [title for _, title in HISTORY_COLUMNS]
    widths = [max(len(line[i]) for line in [header, *cells]) for i in range(len(header))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in [header, *cells]
    )


def cmd_history(args: argparse.Namespace) -> int:
    """Every publish attempt, newest first: a table, or JSON lines with --json; nothing is created."""
    from pipeline.storage.raw import Store
    from pipeline.storage.side_tables import history

    store = Store.from_settings(load_settings())
    rows = history(store, limit=args.limit)
    if not rows:
        print(f"no publishes yet under {store.root}: run `make run` or `python -m pipeline run` first")
        return 0
    if args.json:
        for row in rows:
            print(json.dumps(row, default=str))
    else:
        print(history_table(rows))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from pipeline.storage.export import export_range
    from pipeline.storage.raw import Store

    snapshot = export_range(Store.from_settings(load_settings()), args.date_from, args.date_to, args.out, args.version)
    print(json.dumps(vars(snapshot), default=str))
    return 0


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="python -m pipeline", description=__doc__)
    sub = root.add_subparsers(dest="command", required=True)
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)

    demo = sub.add_parser("demo", help="embedded Airflow + sample site: one news_ingest run and a summary")
    demo.add_argument("--date", type=_utc, default=now, help="logical date of the run (ISO 8601, UTC)")
    demo.set_defaults(func=cmd_demo)

    serve = sub.add_parser("serve-samples", help="serve the bundled sample news site on loopback")
    serve.set_defaults(func=cmd_serve_samples)

    local = sub.add_parser(
        "local-airflow", help="make airflow: API server (UI), scheduler and DAG processor on .airflow/, until Ctrl-C"
    )
    local.add_argument("--host", default="127.0.0.1", help="address of the UI and API (default 127.0.0.1)")
    local.add_argument("--port", type=int, default=8080, help="port of the UI and API (default 8080)")
    local.set_defaults(func=cmd_local_airflow)

    cli = sub.add_parser("airflow", help="Airflow's CLI on the project's .airflow/ (e.g. airflow backfill create ...)")
    cli.add_argument("airflow_args", nargs=argparse.REMAINDER, help="arguments of the airflow command")
    cli.set_defaults(func=cmd_airflow)

    run = sub.add_parser("run", help="run every stage for one interval in this process")
    run.add_argument(
        "--start", type=_utc, default=now - timedelta(hours=1), help="interval start (ISO 8601, UTC; default 1 h ago)"
    )
    run.add_argument("--end", type=_utc, default=now, help="interval end, exclusive (ISO 8601, UTC; default now)")
    run.add_argument("--run-id", default=None)
    run.set_defaults(func=cmd_run)

    again = sub.add_parser(
        "reprocess", help="rebuild published rows of [--from, --to) from the raw zone and the table, offline"
    )
    again.add_argument(
        "--from", dest="start", type=_utc, required=True, help="range start, inclusive (ISO 8601 date or time, UTC)"
    )
    again.add_argument(
        "--to",
        dest="end",
        type=_utc,
        required=True,
        help="range end, exclusive (as in dataset export): --from 2026-11-20 --to 2026-11-21 is that one day",
    )
    again.add_argument("--run-id", default=None)
    again.set_defaults(func=cmd_reprocess)

    enrich = sub.add_parser("enrich", help="enrich your own .txt/.html/.jsonl articles; one JSON object each")
    enrich.add_argument("paths", nargs="+", type=Path, help="article files or folders of them")
    enrich.add_argument(
        "--default-domain",
        default="local.invalid",
        help="source domain of articles that name none (no URL, no 'Original Source:' line)",
    )
    enrich.set_defaults(func=cmd_enrich)

    extract = sub.add_parser("extract", help="what normalize makes of one HTML page, as one JSON object")
    extract.add_argument("page", type=Path, help="the page's HTML file")
    extract.add_argument("--url", default=None, help="the page's URL (its dates and canonical link are read from it)")
    extract.add_argument("--feed-date", type=_utc, default=None, help="the date its feed gave (ISO 8601)")
    extract.set_defaults(func=cmd_extract)

    dataset = sub.add_parser("dataset", help="the published dataset")
    dataset_sub = dataset.add_subparsers(dest="dataset_command", required=True)
    hist = dataset_sub.add_parser(
        "history", help="every publish attempt, newest first: time, run, try, committed, table version, row counts"
    )
    hist.add_argument("--json", action="store_true", help="one JSON object per attempt instead of a table")
    hist.add_argument("--limit", type=_positive, default=None, metavar="N", help="only the N newest attempts")
    hist.set_defaults(func=cmd_history)
    export = dataset_sub.add_parser(
        "export", help="write a date range as plain Hive-partitioned Parquet (published_date=YYYY-MM-DD/)"
    )
    export.add_argument("--from", dest="date_from", type=date.fromisoformat, required=True, help="first day, inclusive")
    export.add_argument(
        "--to",
        dest="date_to",
        type=date.fromisoformat,
        required=True,
        help="end day, exclusive (as in reprocess): --from 2026-11-20 --to 2026-11-21 exports 2026-11-20",
    )
    export.add_argument("--out", required=True, help="folder to write (partitions of the range are replaced)")
    export.add_argument("--version", type=int, default=None, help="table version to read (default: latest)")
    export.set_defaults(func=cmd_export)
    return root


def main(argv: list[str] | None = None) -> int:
    """Run one command; a mistake of the user's is one line on stderr and exit code 2, never a traceback."""
    args = parser().parse_args(argv)
    try:
        code: int = args.func(args)
    except UserInputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader closed the pipe (`dataset history | head`): it has what it wanted. Later writes at exit
        # would raise again, so stdout goes to /dev/null.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    return code


if __name__ == "__main__":
    sys.exit(main())
