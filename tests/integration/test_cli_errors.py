"""A user's mistake on the command line is one line on stderr and exit code 2, never a traceback."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.support.cli import run_cli

pytestmark = pytest.mark.integration


def assert_one_line(result: subprocess.CompletedProcess[str], *expected: str) -> None:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for text in expected:
        assert text in lines[0]


def test_export_of_a_reversed_range_says_to_swap_the_days(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "dataset", "export", "--from", "2026-11-25", "--to", "2026-11-20", "--out", "x")

    assert_one_line(result, "empty date range", "--from 2026-11-25", "swap")


def test_export_before_any_publish_says_how_to_make_the_table(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "dataset", "export", "--from", "2026-11-20", "--to", "2026-11-25", "--out", "x")

    assert_one_line(result, "no published table", "make run")


def test_a_bad_setting_names_the_variable(tmp_path: Path) -> None:
    result = run_cli(
        tmp_path,
        "dataset",
        "export",
        "--from",
        "2026-11-20",
        "--to",
        "2026-11-25",
        "--out",
        "x",
        env={"NEWSFLOW_WORKERS": "many"},
    )

    assert_one_line(result, "NEWSFLOW_WORKERS")


def test_a_typo_in_the_sources_file_names_the_field_and_line(tmp_path: Path) -> None:
    sources = tmp_path / "sources.yml"
    sources.write_text("sources:\n  - name: wire\n    kind: rss\n    ulr: http://127.0.0.1:9/feed.xml\n")

    result = run_cli(
        tmp_path,
        "run",
        "--start",
        "2026-11-20T00:00:00",
        "--end",
        "2026-11-20T01:00:00",
        env={"NEWSFLOW_SOURCES_FILE": str(sources)},
    )

    assert_one_line(result, str(sources), "ulr", "url")


def test_a_missing_article_path_is_one_line(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "enrich", str(tmp_path / "nowhere.txt"))

    assert_one_line(result, "nowhere.txt")
