"""DAG tests run against a throwaway AIRFLOW_HOME, never the user's."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from pipeline.settings import PROJECT_ROOT

_HOME = Path(tempfile.mkdtemp(prefix="newsflow-airflow-"))
os.environ.setdefault("AIRFLOW_HOME", str(_HOME))
os.environ.setdefault("AIRFLOW__CORE__DAGS_FOLDER", str(PROJECT_ROOT / "dags"))
os.environ.setdefault("AIRFLOW__CORE__LOAD_EXAMPLES", "False")
