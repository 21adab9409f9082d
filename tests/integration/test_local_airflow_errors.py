"""`make airflow` on a port already taken: one line saying how to pick another, before anything starts."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.settings import PROJECT_ROOT

pytestmark = pytest.mark.integration


def test_a_taken_port_is_one_line_naming_another(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "pipeline", "local-airflow", "--port", str(port)],
            cwd=PROJECT_ROOT,
            env={"PATH": "/usr/bin:/bin", "NEWSFLOW_AIRFLOW_HOME": str(tmp_path / "airflow")},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    assert result.returncode == 2, result.stderr
    assert result.stderr.strip().splitlines() == [
        f"error: 127.0.0.1:{port} is already in use (another `make airflow`?); stop it, or pick another port: "
        f"make airflow AIRFLOW_ARGS='--port {port + 1}'"
    ]
    assert not (tmp_path / "airflow").exists()  # nothing was set up
