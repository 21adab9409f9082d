"""Near-duplicate clustering alone at a batch size: the one part of enrich whose memory grows with the batch
(every article's MinHash signature is held, as one row of a numpy matrix, until the batch is clustered).

    python -m bench.cluster [--articles 100000]

Signatures are random (no two articles alike), so the figures are those of the index, not of merging groups.
"""

from __future__ import annotations

import argparse
import resource
import time
from datetime import UTC, datetime, timedelta

import numpy as np
import psutil

from pipeline.dedup.minhash import NUM_PERM, Member, cluster
from pipeline.settings import load_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.cluster", description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    args = parser.parse_args(argv)
    rng = np.random.default_rng(7)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    members = [
        Member(f"{n:032x}", start + timedelta(seconds=n), rng.integers(0, 2**32, NUM_PERM, dtype="<u8").tobytes())
        for n in range(args.articles)
    ]
    before = psutil.Process().memory_info().rss
    began = time.perf_counter()
    assignments = cluster(members, load_settings().dedup_threshold)
    seconds = time.perf_counter() - began
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    clusters = len({assignment.duplicate_cluster for assignment in assignments.values()})
    print(
        f"{args.articles} signatures: clustered in {seconds:.1f} s, peak RSS {peak / 2**20:.0f} MB "
        f"({(peak - before) / 2**20:.0f} MB over the signatures themselves), {clusters} clusters"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
