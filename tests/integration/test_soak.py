"""Soak: consecutive 15-minute intervals of a GDELT stream (a simulated day with ``make soak``: 96
intervals; CI runs 8) with a seeded 10% of requests failing (503 or reset), through the stage functions the
DAG's tasks call; then a backfill of the same span in hourly runs. At the end every article that was served
is published exactly once or quarantined with a reason, and served = published + quarantined exactly.

``NEWSFLOW_SOAK_INTERVALS`` sets the number of intervals, ``NEWSFLOW_SOAK_SEED`` the failure seed.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from contextlib import suppress
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from pipeline.errors import RunFailed
from pipeline.sources.base import Interval
from tests.support.runs import fast_settings, ingest, quarantined, rows
from tests.support.soak import STEP, day_stream, flaky_gdelt

pytestmark = [pytest.mark.integration, pytest.mark.slow]
INTERVALS = int(os.environ.get("NEWSFLOW_SOAK_INTERVALS", "8"))
SEED = int(os.environ.get("NEWSFLOW_SOAK_SEED", "20261124"))
FAILURE_RATE = 0.10
START = datetime(2026, 11, 24, tzinfo=UTC)


def test_a_day_of_flaky_gdelt_then_a_backfill_loses_nothing_and_duplicates_nothing(tmp_path: Path) -> None:
    files = day_stream(START, INTERVALS)
    end = START + INTERVALS * STEP
    with flaky_gdelt(files, SEED, FAILURE_RATE) as (index, server):
        source = f'sources:\n  - {{name: gdelt, kind: gdelt, index_url: "{index}", fetch_pages: true}}\n'
        settings = fast_settings(tmp_path / "data", source, retries=0, workers=1)
        started = time.monotonic()
        for file in files:
            interval = Interval(file.stamp, file.stamp + STEP)
            with suppress(RunFailed):  # an interval whose GDELT index failed fails its run; the backfill catches up
                ingest(settings, f"scheduled__{interval.end.isoformat()}", interval)
        day_seconds = time.monotonic() - started
        published_by_day = {urlsplit(r["url"]).path for r in rows(settings)}
        hour = START
        while hour < end:
            interval = Interval(hour, min(hour + timedelta(hours=1), end))
            with suppress(RunFailed):
                ingest(settings, f"backfill__{interval.end.isoformat()}", interval)
            hour += timedelta(hours=1)

    served = {path for file in files if server.served[f"/gdeltv2/{file.name}"] for path in file.articles}
    listed = {path for file in files for path in file.articles}
    published_rows = rows(settings)
    published = Counter(urlsplit(r["url"]).path for r in published_rows)
    reasons: dict[str, Counter[str]] = {}
    for record in quarantined(settings):
        path = urlsplit(record["url"]).path
        reasons.setdefault(path, Counter())[f"{record['stage']}/{record['reason_code']}"] += 1
    only_quarantined = {path for path in served if path not in published and path in reasons}
    unaccounted = served - set(published) - only_quarantined
    requests, failures = sum(server.asked.values()), sum(server.failed.values())

    table = [
        ("intervals (15 min)", INTERVALS),
        ("requests / failed (503 or reset)", f"{requests} / {failures} ({failures / requests:.1%})"),
        ("articles listed in the stream", len(listed)),
        ("articles served (their file got through)", len(served)),
        ("published after the day", len(published_by_day)),
        ("published after the backfill", len(published)),
        ("quarantined, not published", len(only_quarantined)),
        ("unaccounted", len(unaccounted)),
        ("day pass seconds", f"{day_seconds:.0f}"),
    ]
    reason_counts = Counter(r for path in only_quarantined for r in reasons[path])
    print(f"\nsoak reconciliation (seed {SEED})\n" + "\n".join(f"  {k:<44} {v}" for k, v in table))
    print(
        "  quarantine reasons of the articles left out: "
        + ", ".join(f"{r} {n}" for r, n in sorted(reason_counts.items()))
    )

    assert failures > 0
    assert set(published) <= served, "published an article no served file listed"
    assert max(published.values(), default=1) == 1, "an article was published twice"
    assert len({r["article_id"] for r in published_rows}) == len(published_rows)
    assert not unaccounted, f"served but neither published nor quarantined: {sorted(unaccounted)}"
    assert len(served) == len(published) + len(only_quarantined)
    assert len(published) >= len(published_by_day)
