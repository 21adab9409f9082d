"""discover -> fetch -> normalize over the bundled sample site served on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from deltalake import DeltaTable

from pipeline.sample_site import serve_site
from pipeline.settings import Settings, load_settings
from pipeline.sources.base import Interval
from pipeline.stages.discover import discover
from pipeline.stages.fetch import fetch
from pipeline.stages.normalize import normalize
from pipeline.storage.raw import Store
from pipeline.urls import canonicalize_url
from schemas import QUARANTINE
from tests.sample_site import expected_outcome, manifest_entries, parse_time

pytestmark = pytest.mark.integration
RUN = "manual__2026-11-25T03:00:00+00:00"
INTERVAL = Interval(datetime(2026, 11, 25, 2, tzinfo=UTC), datetime(2026, 11, 25, 3, tzinfo=UTC))


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    with serve_site() as url:
        yield url


@pytest.fixture
def settings(site: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("NEWSFLOW_SAMPLE_SITE", site)
    return load_settings(data_root=str(tmp_path / "data"), allow_private_networks=True, per_host_min_interval_s=0.0)


def quarantine_rows(settings: Settings) -> list[dict[str, object]]:
    store = Store.from_settings(settings)
    rows: list[dict[str, object]] = DeltaTable(store.path(QUARANTINE.path)).to_pyarrow_table().to_pylist()
    return rows


def test_normalize_yields_one_typed_row_per_article_with_the_right_date_source(settings: Settings) -> None:
    expected = expected_outcome()
    store = Store.from_settings(settings)

    candidates = discover(settings, RUN, INTERVAL)
    fetched = fetch(settings, RUN, candidates)
    rows = store.read_rows(normalize(settings, RUN, fetched))

    assert {r["article_id"] for r in rows} == set(expected.published)
    for row in rows:
        entry = expected.published[row["article_id"]]
        assert row["source_domain"] == entry["outlet_domain"]
        assert row["published_at_source"] == entry["published_at_source"], entry["path"]
        if entry["published_at"] is not None:
            assert row["published_at"] == parse_time(entry["published_at"]), entry["path"]
        assert row["language"] == "en"
        assert row["raw_ref"].startswith("raw/")
        assert store.get_raw(row["raw_ref"]).lstrip().lower().startswith((b"<!doctype html", b"<html"))


def test_failures_are_quarantined_with_their_reasons_and_the_rest_goes_on(settings: Settings) -> None:
    expected = expected_outcome()

    candidates = discover(settings, RUN, INTERVAL)
    normalize(settings, RUN, fetch(settings, RUN, candidates))

    found = {urlsplit(str(r["url"])).path: r["reason_code"] for r in quarantine_rows(settings)}
    assert found == expected.quarantined
    assert all(r["run_id"] == RUN and r["reason_detail"] for r in quarantine_rows(settings))


def test_tracking_parameter_duplicates_are_fetched_once(settings: Settings, site: str) -> None:
    store = Store.from_settings(settings)
    entries = manifest_entries()
    assert any("utm_source" in e["path"] for e in entries)

    candidates = store.read_rows(discover(settings, RUN, INTERVAL))

    distinct = {canonicalize_url(site + e["path"]) for e in entries}
    assert sorted(c["canonical_url"] for c in candidates) == sorted(distinct)


def test_entries_dated_after_the_interval_are_left_for_a_later_run(settings: Settings) -> None:
    store = Store.from_settings(settings)
    early = Interval(datetime(2026, 11, 21, tzinfo=UTC), datetime(2026, 11, 22, tzinfo=UTC))
    candidates = store.read_rows(discover(settings, "early-run", early))
    dated = [c for c in candidates if c["feed_published_at"] is not None]
    assert dated and all(c["feed_published_at"] < early.end for c in dated)
    assert len(candidates) < len(store.read_rows(discover(settings, RUN, INTERVAL)))
