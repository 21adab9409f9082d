"""A process that preloads the stages (a Celery worker, pipeline/orchestration/celery_worker.py) forks tasks that import
no library: an hourly run with nothing new, forked from it, finds every library it needs already loaded.

The checks run in fresh interpreters, so what sys.modules holds is what the code under test imported.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.unit.stages.test_stage_imports import HEAVY

pytestmark = pytest.mark.unit


def run_probe(code: str) -> dict[str, object]:
    """Run ``code`` in a fresh interpreter; it prints one JSON line last, which is returned."""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_an_idle_run_forked_from_a_preloaded_process_imports_no_heavy_module(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    sources = tmp_path / "sources.yml"
    sources.write_text("sources:\n  - {name: herald, kind: local, path: empty, default_domain: herald.test}\n")
    found = run_probe(f"""
import json, os, sys
from datetime import datetime, UTC
from pipeline.settings import load_settings
from pipeline.sources.base import Interval
from pipeline.stages import preload

preload()
before = set(sys.modules)
read, write = os.pipe()
if os.fork() == 0:
    from pipeline.flows import ingest

    settings = load_settings(data_root={str(tmp_path)!r}, sources_file={str(sources)!r}, workers=1)
    interval = Interval(datetime(2026, 11, 25, 3, tzinfo=UTC), datetime(2026, 11, 25, 4, tzinfo=UTC))
    run = ingest(settings, "idle", interval)
    reply = {{"new": sorted(set(sys.modules) - before), "published": run.published}}
    os.write(write, json.dumps(reply).encode())
    os._exit(0)
os.close(write)
print(os.fdopen(read).read())
""")

    assert found["published"]["rows_inserted"] == 0  # type: ignore[index]
    new = found["new"]
    assert isinstance(new, list)
    assert [m for m in new if m.split(".")[0] in {*HEAVY, "httpcore"}] == []
    assert len(new) < 30, new  # stray submodules (PIL's image plugins on the first PNG, ...), not libraries


def test_the_celery_config_keeps_airflows_defaults_and_preloads_when_a_worker_starts() -> None:
    found = run_probe("""
import json
from airflow.providers.celery.executors.default_celery import DEFAULT_CELERY_CONFIG
from celery.signals import worker_init
from pipeline.orchestration.celery_worker import CELERY_CONFIG, preload_stages

receivers = [ref() for _, ref in worker_init.receivers]
print(json.dumps({"same": CELERY_CONFIG == DEFAULT_CELERY_CONFIG, "hooked": preload_stages in receivers}))
""")

    assert found == {"same": True, "hooked": True}
