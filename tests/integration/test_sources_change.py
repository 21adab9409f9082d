"""An operator changes the sources file: the sources no longer configured are not judged as gone silent."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pipeline.dev.sample_site import serve_site
from pipeline.sources.base import Interval
from tests.support.runs import fast_settings, ingest, rows
from tests.support.sample_site import CANONICAL_DOMAINS

pytestmark = pytest.mark.integration
INTERVAL = Interval(datetime(2026, 11, 25, 2, tzinfo=UTC), datetime(2026, 11, 25, 3, tzinfo=UTC))
FEEDS = {"voa-sample": "world.rss", "aljazeera-sample": "mideast.atom", "herald-sample": "wire.rss"}


def sources_file(site: str, names: list[str]) -> str:
    entries = "".join(
        f"  - {{name: {n}, kind: rss, url: '{site}/feeds/{FEEDS[n]}', canonical_domains: [{CANONICAL_DOMAINS[n]}]}}\n"
        for n in names
    )
    return f"sources:\n{entries}"


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    with serve_site() as url:
        yield url


def test_a_run_after_sources_were_removed_from_the_sources_file_publishes(site: str, tmp_path: Path) -> None:
    data = tmp_path / "data"
    everything = fast_settings(data, sources_file(site, list(FEEDS)), workers=1)
    for run in range(3):  # three runs give every source a usual yield of 5 or more (refetch re-publishes)
        ingest(everything, f"manual__all-{run}", INTERVAL, refetch=True)

    fewer = fast_settings(data, sources_file(site, ["voa-sample"]), workers=1)
    published = ingest(fewer, "manual__voa-only", INTERVAL, refetch=True)

    table = rows(fewer)
    assert published["rows_unchanged"] == sum(row["source_name"] == "voa-sample" for row in table) > 0
    assert {row["source_name"] for row in table} == set(FEEDS)
