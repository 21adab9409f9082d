"""`python -m pipeline reprocess` as an operator runs it on the data of an ingest: offline, without the sources
file's ${VARS} set, counting what it selected and rebuilt (not ingest's discovered/fetched); and `--to` means the
same in `reprocess` and `dataset export` (exclusive)."""

from __future__ import annotations

import json
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pipeline.sources.base import Interval
from tests.support.cli import run_cli
from tests.support.runs import fast_settings, ingest, rows

pytestmark = pytest.mark.integration
CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "local" / "corpus"
DAY = Interval(datetime(2026, 11, 20, tzinfo=UTC), datetime(2026, 11, 21, tzinfo=UTC))
SOURCES = 'sources:\n  - {name: corpus, kind: local, path: "${NEWSFLOW_TEST_CORPUS}", country: USA}\n'


def test_reprocess_needs_no_source_variable_and_says_what_it_rebuilt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    stamp = datetime(2026, 11, 20, 9, tzinfo=UTC).timestamp()
    os.utime(corpus / "2026" / "kharkiv-energy.txt", (stamp, stamp))
    monkeypatch.setenv("NEWSFLOW_TEST_CORPUS", str(corpus))
    settings = fast_settings(tmp_path / "data", SOURCES)
    ingest(settings, "ingest", DAY)
    published = {r["article_id"] for r in rows(settings)}
    monkeypatch.delenv("NEWSFLOW_TEST_CORPUS")  # the operator's shell does not have the sources' variables
    env = {"NEWSFLOW_SOURCES_FILE": settings.sources_file, "NEWSFLOW_PIPELINE_VERSION": "0.2.0"}

    result = run_cli(tmp_path, "reprocess", "--from", "2026-11-20", "--to", "2026-11-21", "--run-id", "again", env=env)
    exported = run_cli(
        tmp_path, "dataset", "export", "--from", "2026-11-20", "--to", "2026-11-21", "--out", str(tmp_path / "snap")
    )

    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    n = len(published)
    assert f"articles: selected {n}  normalized {n}  enriched {n}  validated {n}" in result.stdout
    assert "discovered" not in result.stdout and "fetched" not in result.stdout
    assert f"0 new, {n} updated" in result.stdout
    assert {r["pipeline_version"] for r in rows(settings)} == {"0.2.0"}
    assert exported.returncode == 0, exported.stderr
    assert json.loads(exported.stdout)["rows"] == n  # the same day, [2026-11-20, 2026-11-21), in both commands


def test_an_export_whose_exclusive_end_is_its_start_says_how_to_get_that_day(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "dataset", "export", "--from", "2026-11-20", "--to", "2026-11-20", "--out", "x")

    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert "--to is exclusive" in line and "--to 2026-11-21 exports 2026-11-20" in line
