"""DAG tests run against a throwaway AIRFLOW_HOME, never the user's, on one parse of the project's DAG folder."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from pipeline.settings import PROJECT_ROOT

_HOME = Path(tempfile.mkdtemp(prefix="newsflow-airflow-"))
os.environ.setdefault("AIRFLOW_HOME", str(_HOME))
os.environ.setdefault("AIRFLOW__CORE__DAGS_FOLDER", str(PROJECT_ROOT / "dags"))
os.environ.setdefault("AIRFLOW__CORE__LOAD_EXAMPLES", "False")


@pytest.fixture(scope="module")
def dagbag():  # type: ignore[no-untyped-def]
    """The project's DAG folder as Airflow's DAG processor parses it (Airflow imported only when a test asks)."""
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(PROJECT_ROOT / "dags"))
