"""A non-editable install runs the GX suites: they are package data, not files found through the source tree.

The wheel is built from a copy of the package (so the checkout gets no build/ or egg-info) and installed
offline into a fresh venv that sees the project venv's dependencies but not the checkout.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
# Run in the installed package: every suite loads, and the schema suite passes on the published schema.
CHECK = """
import pipeline.quality.suites as suites
from schemas import ARTICLES
print(suites.__file__)
names = sorted(path.stem for path in suites.EXPECTATIONS_DIR.glob("*.json"))
assert names == ["articles_batch", "articles_schema", "entities_batch", "published_table", "run_profile"], names
for name in names:
    assert suites.load_suite_file(name)["expectations"], name
outcome = suites.run_suite(suites.schema_frame(ARTICLES.schema), suites.load_suite_file("articles_schema"))
assert outcome.success, outcome.failures
"""


def _run(*args: str | Path, cwd: Path) -> str:
    done = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_wheel_install_finds_and_runs_the_suites(tmp_path: Path) -> None:
    source = tmp_path / "src"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for folder in ("pipeline", "schemas"):
        shutil.copytree(REPO / folder, source / folder, ignore=ignore)
    shutil.copy(REPO / "pyproject.toml", source)
    _run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "-q",
        "--no-deps",
        "--no-build-isolation",
        "--no-index",
        "-w",
        tmp_path / "dist",
        source,
        cwd=tmp_path,
    )
    (wheel,) = (tmp_path / "dist").glob("newsflow-*.whl")

    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp_path)
    python = venv / "bin" / "python"
    site = Path(_run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=tmp_path).strip())
    # The dependencies come from the project venv, appended after the wheel's own site-packages (a plain path
    # line: the project venv's .pth files, its editable install among them, are not read).
    (site / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    _run(
        sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-deps", "--no-index", wheel, cwd=tmp_path
    )

    installed = _run(python, "-c", CHECK, cwd=tmp_path).splitlines()[0]
    assert Path(installed).is_relative_to(site)
