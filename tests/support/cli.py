"""Running ``python -m pipeline`` as a user does: a subprocess with a clean environment and a throwaway data root."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from pipeline.settings import PROJECT_ROOT


def run_cli(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {"PATH": "/usr/bin:/bin", "NEWSFLOW_DATA_ROOT": str(tmp_path / "data"), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args],
        cwd=PROJECT_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
