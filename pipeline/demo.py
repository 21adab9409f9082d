"""The one-command demo: embedded Airflow (SQLite, project-local AIRFLOW_HOME), the sample site on
loopback, one ``airflow dags test`` run of news_ingest, and the run summary."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

from pipeline.report.html import format_summary
from pipeline.sample_site import serve_site
from pipeline.settings import PROJECT_ROOT, Settings

DAG_ID = "news_ingest"
PUBLISH_POOL = "publish"


def airflow_env(
    home: Path, data_root: str, sample_site: str | None = None, storage_options: dict[str, str] | None = None
) -> dict[str, str]:
    """Environment for an embedded Airflow whose files all live under ``home`` (nothing in ~); with
    ``storage_options`` (deltalake-style AWS_* keys) the data root may be on object storage."""
    env = dict(os.environ)
    env.update(
        {
            "AIRFLOW_HOME": str(home),
            "AIRFLOW__CORE__DAGS_FOLDER": str(PROJECT_ROOT / "dags"),
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            # A local Airflow runs what it is given: a paused DAG's runs (backfills too) wait silently.
            "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
            "AIRFLOW__CORE__UNIT_TEST_MODE": "False",
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home / 'airflow.db'}",
            "AIRFLOW__LOGGING__BASE_LOG_FOLDER": str(home / "logs"),
            "NEWSFLOW_DATA_ROOT": data_root,
            "GX_ANALYTICS_ENABLED": "False",
        }
    )
    if storage_options is not None:
        env["NEWSFLOW_STORAGE_OPTIONS"] = json.dumps(storage_options)
    if sample_site is not None:
        env["NEWSFLOW_SAMPLE_SITE"] = sample_site
        env["NEWSFLOW_ALLOW_PRIVATE_NETWORKS"] = "true"
        env.setdefault("NEWSFLOW_PER_HOST_MIN_INTERVAL_S", "0.05")
    return env


def airflow_binary() -> str:
    """The airflow CLI of this virtualenv (it is not on PATH unless the venv is activated)."""
    return str(Path(sys.executable).with_name("airflow"))


def airflow(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run the airflow CLI of this virtualenv; output is captured so a failure can be shown whole."""
    return subprocess.run([airflow_binary(), *args], env=env, text=True, capture_output=True, check=False)


def run_dag_once(
    home: Path,
    data_root: str,
    logical_date: datetime,
    sample_site: str | None,
    storage_options: dict[str, str] | None = None,
) -> None:
    """Migrate the metadata DB if needed and run news_ingest for the interval of ``logical_date``."""
    home.mkdir(parents=True, exist_ok=True)
    env = airflow_env(home, data_root, sample_site, storage_options)
    steps = (
        ["db", "migrate"],
        ["pools", "set", PUBLISH_POOL, "1", "serialized Delta merges"],
        ["dags", "test", DAG_ID, logical_date.isoformat()],
    )
    for args in steps:
        done = airflow(args, env)
        if done.returncode != 0:
            raise RuntimeError(f"airflow {' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")


def latest_summary(data_root: str) -> dict[str, object]:
    """The newest run summary under the data root (the demo runs one DAG run at a time)."""
    reports = sorted(Path(data_root, "reports").glob("*/summary.json"), key=lambda p: p.stat().st_mtime)
    if not reports:
        raise FileNotFoundError(f"no run summary under {data_root}/reports")
    summary: dict[str, object] = json.loads(reports[-1].read_text(encoding="utf-8"))
    return summary


def demo(settings: Settings, logical_date: datetime) -> str:
    """Run the demo end to end and return the printable summary."""
    with serve_site() as site:
        run_dag_once(Path(settings.airflow_home), settings.data_root, logical_date, site)
    return format_summary(latest_summary(settings.data_root))
