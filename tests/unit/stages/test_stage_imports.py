"""A task process pays only for its own stage: run_stage finds every stage by name, importing a stage's module
loads none of the heavy libraries, and a batch with nothing in it goes through without loading them either.

Each check runs in a fresh interpreter, so what it finds in sys.modules is what that code imported.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

HEAVY = ("pandas", "trafilatura", "htmldate", "great_expectations", "spacy", "datasketch", "deltalake", "matplotlib")
# Stages whose module imports only what every task needs anyway (validate, publish and report cannot do their
# work without GX, Delta or pyarrow datasets, all of which load pandas).
LIGHT_STAGES = ("discover", "shard", "fetch", "fetch_shard", "normalize", "normalize_shard", "collect", "enrich")


def heavy_loaded_by(code: str) -> dict[str, object]:
    """Run ``code`` in a fresh interpreter; it leaves its findings in ``found``, to which the heavy modules
    it loaded are added."""
    probe = f"""
import json, sys
found = {{}}
{code}
found["heavy"] = sorted({{m.split(".")[0] for m in sys.modules}} & set({HEAVY!r}))
print(json.dumps(found))
"""
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_the_stages_package_and_the_discover_module_import_nothing_heavy() -> None:
    found = heavy_loaded_by("import pipeline.stages, pipeline.stages.discover")

    assert found["heavy"] == []


def test_run_stage_resolves_every_stage_and_the_light_stages_modules_import_nothing_heavy() -> None:
    found = heavy_loaded_by(f"""
from pipeline.stages import STAGES, stage_function
found["light"] = {{name: stage_function(name).__module__ for name in {LIGHT_STAGES!r}}}
found["heavy_light"] = sorted({{m.split(".")[0] for m in sys.modules}} & set({HEAVY!r}))
found["all"] = {{name: callable(stage_function(name)) for name in STAGES}}
""")

    assert found["heavy_light"] == []
    assert found["light"]["shard"] == "pipeline.stages.fetch"
    assert found["all"] == {name: True for name in found["all"]}
    assert set(found["all"]) >= {"discover", "validate", "publish", "report", *LIGHT_STAGES}


def test_an_empty_batch_is_fetched_normalized_and_enriched_without_loading_heavy_libraries(tmp_path: Path) -> None:
    found = heavy_loaded_by(f"""
from pipeline.settings import load_settings
from schemas import CANDIDATES
from pipeline.stages.enrich import enrich
from pipeline.stages.fetch import fetch
from pipeline.stages.normalize import normalize
from pipeline.storage.raw import Store

settings = load_settings(data_root={str(tmp_path)!r}, workers=1)
store = Store.from_settings(settings)
candidates = store.write_rows(store.staging("idle", "candidates"), [], CANDIDATES)
enriched = enrich(settings, "idle", normalize(settings, "idle", fetch(settings, "idle", candidates)))
found["rows"] = store.count_rows(enriched)
""")

    assert found["rows"] == 0
    assert found["heavy"] == []
