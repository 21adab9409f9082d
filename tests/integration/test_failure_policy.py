"""When a run fails: every source failed, or more of them than NEWSFLOW_MAX_FAILED_SOURCE_SHARE allows. The run
still publishes what it got and writes its report, which says why; `python -m pipeline run` exits 1."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.cli import run_cli
from tests.support.cluster import free_port

pytestmark = pytest.mark.integration
INTERVAL = ("--start", "2026-11-20T00:00:00", "--end", "2026-11-20T01:00:00", "--run-id", "policy")


def sources(tmp_path: Path, down: list[str], healthy: int = 0) -> dict[str, str]:
    """A sources file of feeds nobody serves (``down``) and ``healthy`` empty local folders; the run's env."""
    lines = [f'  - {{name: {name}, kind: rss, url: "http://127.0.0.1:{free_port()}/feed.rss"}}' for name in down]
    for n in range(healthy):
        folder = tmp_path / f"folder-{n}"
        folder.mkdir()
        lines.append(f'  - {{name: folder-{n}, kind: local, path: "{folder}"}}')
    file = tmp_path / "sources.yml"
    file.write_text("sources:\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return {
        "NEWSFLOW_SOURCES_FILE": str(file),
        "NEWSFLOW_ALLOW_PRIVATE_NETWORKS": "true",
        "NEWSFLOW_RETRIES": "0",
        "NEWSFLOW_CONNECT_TIMEOUT_S": "0.5",
    }


def summary(tmp_path: Path) -> dict[str, object]:
    found: dict[str, object] = json.loads((tmp_path / "data" / "reports" / "policy" / "summary.json").read_text())
    return found


def test_a_run_in_which_every_source_failed_exits_1_and_its_report_says_why(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "run", *INTERVAL, env=sources(tmp_path, ["first-down", "second-down"]))

    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    [error] = result.stderr.strip().splitlines()[-1:]
    assert error.startswith("error: run policy failed: every source failed (first-down, second-down)")
    assert "status failed: every source failed" in result.stdout
    assert "SOURCE FAILED first-down" in result.stdout
    assert summary(tmp_path)["status"] == "failed"


def test_a_run_whose_failed_share_is_above_the_setting_fails_and_one_at_or_below_it_is_degraded(
    tmp_path: Path,
) -> None:
    env = sources(tmp_path, ["first-down", "second-down"], healthy=1)  # 2 of 3 failed

    failed = run_cli(tmp_path, "run", *INTERVAL, env=env)
    tolerated = run_cli(tmp_path, "run", *INTERVAL, env={**env, "NEWSFLOW_MAX_FAILED_SOURCE_SHARE": "0.7"})

    assert failed.returncode == 1, failed.stderr
    assert "2 of 3 sources failed (first-down, second-down): more than NEWSFLOW_MAX_FAILED_SOURCE_SHARE=0.5" in (
        failed.stderr
    )
    assert tolerated.returncode == 0, tolerated.stderr
    assert "status degraded: 2 of 3 sources failed" in tolerated.stdout
    assert summary(tmp_path)["status"] == "degraded"
    reports = sorted(p.name for p in (tmp_path / "data" / "reports" / "policy").iterdir() if p.name.isdigit())
    assert reports == ["1", "2"]  # the failed run's report is kept beside the rerun's
