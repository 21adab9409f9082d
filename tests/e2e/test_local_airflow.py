"""The README's backfill steps as an operator follows them, on `make airflow`'s local Airflow.

The commands are read from the README's Backfills section, not copied here: the test starts the command
`make airflow` runs (on a home, a data root and a port of its own), logs in with the password it
prints, runs the dry run as written and checks the runs it lists, runs the real backfill narrowed to its
first interval, and finds that interval's article in the published table once the scheduler ran it.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import suppress
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from pipeline.demo import DAG_ID
from pipeline.settings import PROJECT_ROOT
from pipeline.storage.delta import arrow_dataset
from pipeline.storage.raw import Store
from schemas import ARTICLES

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
README = PROJECT_ROOT / "README.md"
SEED = PROJECT_ROOT / "samples" / "seed" / "seed_article.txt"
FIRST_INTERVAL = datetime(2024, 5, 1, tzinfo=UTC)
ARTICLE_TIME = datetime(2024, 5, 1, 0, 30, tzinfo=UTC)  # inside the backfill's first interval only
URL = "https://www.example.org/2024/05/01/iraq-wary-of-syria"
# Generous: on a shared 2-core machine the start took 5.5 min and one API call over 30 s while tasks ran.
START_TIMEOUT_S = 600
RUN_TIMEOUT_S = 900
API_TIMEOUT_S = 120


def backfill_commands() -> list[str]:
    """The shell commands of the README's Backfills section, continuation lines joined."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Backfills") : text.index("### Re-processing")]
    blocks = re.findall(r"```sh\n(.*?)```", section, flags=re.DOTALL)
    return [re.sub(r"\s*\\\n\s*", " ", block).strip() for block in blocks]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def make_recipe(target: str) -> str:
    """The command a make target runs (its recipe line after `@`), with $(PY) spelled out."""
    recipe = re.search(rf"^{target}:.*\n\t@(.+)$", (PROJECT_ROOT / "Makefile").read_text(), flags=re.MULTILINE)
    assert recipe, f"no `{target}` target in the Makefile"
    return recipe.group(1).replace("$(PY)", ".venv/bin/python")


@pytest.fixture
def operator_env(tmp_path: Path) -> dict[str, str]:
    """An operator's shell: the README's sources file variable pointing at a local folder of one article."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    # Dated in the document: a batch must have mostly stated dates (articles_batch), not file times alone.
    article = {"url": URL, "title": "Iraq wary of Syria", "text": SEED.read_text(), "published_at": str(ARTICLE_TIME)}
    (corpus / "articles.jsonl").write_text(json.dumps(article) + "\n", encoding="utf-8")
    sources = tmp_path / "sources.yml"
    sources.write_text(f"sources:\n  - {{name: corpus, kind: local, path: {corpus}}}\n", encoding="utf-8")
    return {
        **os.environ,
        "NEWSFLOW_SOURCES_FILE": str(sources),
        "NEWSFLOW_AIRFLOW_HOME": str(tmp_path / "airflow"),
        "NEWSFLOW_DATA_ROOT": str(tmp_path / "data"),
        # The README's option for a backfill alone: no scheduled runs compete with it on a shared machine.
        "AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE": "False",
        # The scheduler's log server listens on 8793 by default; another Airflow on the machine may hold it.
        "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": str(free_port()),
    }


@pytest.fixture
def local_airflow(operator_env: dict[str, str], tmp_path: Path) -> Iterator[tuple[str, str]]:
    """`make airflow`'s command, started as the README's step 2 says; yields (UI URL, password)."""
    start = next(c for c in backfill_commands() if c.endswith("make airflow"))
    assert start.startswith("NEWSFLOW_SOURCES_FILE="), start
    command = shlex.split(make_recipe("airflow").replace("$(AIRFLOW_ARGS)", f"--port {free_port()}"))
    out = tmp_path / "make-airflow.out"
    with out.open("w") as sink:
        process = subprocess.Popen(
            command, cwd=PROJECT_ROOT, env=operator_env, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while not (banner := re.search(r"Airflow UI: (\S+)\s+\(login admin / (\S+),", out.read_text())):
            assert process.poll() is None, f"make airflow exited ({process.returncode}):\n{out.read_text()}"
            assert time.monotonic() < deadline, f"no UI line after {START_TIMEOUT_S} s:\n{out.read_text()}"
            time.sleep(2)
        yield banner.group(1), banner.group(2)
    finally:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)  # as `kill` would: it stops its components, then exits
        process.wait(timeout=120)
    assert process.returncode == 0, out.read_text()


def readme_airflow(command: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """One of the README's `.venv/bin/python -m pipeline airflow ...` commands, run with this interpreter."""
    args = shlex.split(command)
    assert args[:4] == [".venv/bin/python", "-m", "pipeline", "airflow"], command
    return subprocess.run(
        [sys.executable, *args[1:]], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=300, check=False
    )


def test_the_readme_backfill_runs_as_written(local_airflow: tuple[str, str], operator_env: dict[str, str]) -> None:
    url, password = local_airflow
    token = httpx.post(f"{url}/auth/token", json={"username": "admin", "password": password}, timeout=API_TIMEOUT_S)
    token.raise_for_status()
    api = httpx.Client(
        base_url=f"{url}/api/v2",
        headers={"Authorization": f"Bearer {token.json()['access_token']}"},
        timeout=API_TIMEOUT_S,
    )
    assert api.get(f"/dags/{DAG_ID}").json()["is_paused"] is False

    dry_run, real = (c for c in backfill_commands() if "backfill create" in c)
    assert dry_run.endswith("--dry-run"), dry_run
    listed = readme_airflow(dry_run, operator_env)
    assert listed.returncode == 0, listed.stderr
    runs = re.findall(r"^\| (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+00:00) \|", listed.stdout, flags=re.MULTILINE)
    assert (len(runs), runs[0], runs[-1]) == (168, "2024-05-01 00:00:00+00:00", "2024-05-07 23:00:00+00:00")
    assert api.get("/backfills", params={"dag_id": DAG_ID}).json()["backfills"] == []  # a dry run creates nothing

    last = re.search(r"--to-date (\S+)", real)
    assert last, real
    created = readme_airflow(real.replace(last.group(1), FIRST_INTERVAL.isoformat()), operator_env)
    assert created.returncode == 0, created.stderr
    [backfill] = api.get("/backfills", params={"dag_id": DAG_ID}).json()["backfills"]
    deadline = time.monotonic() + RUN_TIMEOUT_S
    while not (done := api.get(f"/backfills/{backfill['id']}").json())["completed_at"]:
        assert time.monotonic() < deadline, f"backfill not done after {RUN_TIMEOUT_S} s: {done}"
        time.sleep(5)
    [run] = api.get(f"/dags/{DAG_ID}/dagRuns", params={"run_type": "backfill"}).json()["dag_runs"]
    assert run["state"] == "success", run
    assert datetime.fromisoformat(run["data_interval_start"]) == FIRST_INTERVAL, run

    store = Store(operator_env["NEWSFLOW_DATA_ROOT"], {})
    urls = arrow_dataset(store, ARTICLES).to_table(columns=["url"]).column(0).to_pylist()
    assert urls == [URL]
