from __future__ import annotations

from typing import Any

import pytest

from pipeline.report.html import format_summary

pytestmark = pytest.mark.unit


def summary(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "run_id": "manual__1",
        "stages": {"discovered": 3, "fetched": 2, "normalized": 2, "enriched": 2, "validated": 2},
        "published": {"rows_inserted": 2, "rows_updated": 0, "rows_unchanged": 0, "table_version": 4},
        "quarantined": 1,
        "quarantine_reasons": {"fetch/http_status": 1},
        "sources": [
            {"source_name": "voa", "status": "ok", "candidates": 3, "already_published": 1, "detail": ""},
            {
                "source_name": "down",
                "status": "failed",
                "candidates": 0,
                "already_published": 0,
                "detail": "fetching http://x/feed failed: timeout",
            },
        ],
        "top_actors": [["M23", 4]],
        "top_locations": [["Goma", 3]],
        "dataset": "data/published/articles",
    }
    base.update(changes)
    return base


def test_a_failed_source_is_called_out_by_name_and_reason() -> None:
    text = format_summary(summary())
    assert "voa ok (3 new, 1 already published)" in text
    assert "SOURCE FAILED down: fetching http://x/feed failed: timeout" in text
    assert "fetch/http_status: 1" in text
    assert "2 new, 0 updated, 0 unchanged (table version 4)" in text


def test_a_healthy_run_names_no_failed_source() -> None:
    assert "SOURCE FAILED" not in format_summary(summary(sources=summary()["sources"][:1]))
