"""`python -m pipeline dataset history` as an analyst reads it: a table of every publish attempt by default,
JSON lines with --json, the newest N with --limit, and one line (creating nothing) before any publish."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.storage.articles import publish_articles
from pipeline.storage.raw import Store
from tests.cli import run_cli
from tests.publishing import batch

pytestmark = pytest.mark.integration


def test_history_on_an_empty_data_root_says_so_in_one_line_and_creates_nothing(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "dataset", "history")

    assert result.returncode == 0, result.stderr
    [line] = result.stdout.strip().splitlines()
    assert line.startswith("no publishes yet under") and "make run" in line
    assert not (tmp_path / "data").exists()


def test_history_is_a_table_of_every_attempt_json_lines_on_request_and_limited(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    store = Store(str(tmp_path / "data"), {})
    publish_articles(store, batch(range(3)), "scheduled__1", try_number=1)
    publish_articles(store, batch(range(3)), "scheduled__1", try_number=2)  # the rerun commits nothing
    monkeypatch.setenv("NEWSFLOW_DATA_ROOT", store.root)

    assert main(["dataset", "history"]) == 0
    header, newest, oldest = capsys.readouterr().out.strip().splitlines()
    assert header.split() == ["time", "(UTC)", "run", "try", "committed", "version", "new", "updated", "unchanged"]
    assert newest.split()[2:] == ["scheduled__1", "2", "no", "1", "0", "0", "3"]
    assert oldest.split()[2:] == ["scheduled__1", "1", "yes", "1", "3", "0", "0"]

    assert main(["dataset", "history", "--json", "--limit", "1"]) == 0
    [line] = capsys.readouterr().out.strip().splitlines()
    record = json.loads(line)
    assert (record["run_id"], record["try_number"], record["committed"], record["rows_unchanged"]) == (
        "scheduled__1",
        2,
        False,
        3,
    )
