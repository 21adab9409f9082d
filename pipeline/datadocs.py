"""GX Data Docs for every run: one static site per run under ``<data_root>/reports/<run>/datadocs/``.

The stages that validate (validate, publish) keep each suite's GX result as JSON under
``reports/<run>/validations/``; the site is then rebuilt from those files in a fresh ephemeral GX context,
so a task on any worker sees every suite of the run, and a failed batch gets its page too. The site is
built in a local temporary folder and copied to the data root, which may be object storage. GX's static
images that no page references (3.4 MB of GIFs and logos) are left out, so a site weighs well under 1 MB;
the pages still load their CSS and scripts from public CDNs, so viewed offline they are plain but complete.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pipeline.store import Store, run_key
from pipeline.validate import EXPECTATIONS_DIR, SuiteOutcome, load_suite_file

LOG = logging.getLogger(__name__)
SITE_NAME = "newsflow_run"
KEPT_IMAGES = frozenset({"favicon.ico"})


def validations_dir(store: Store, run_id: str) -> str:
    return store.path("reports", run_key(run_id), "validations")


def site_dir(store: Store, run_id: str) -> str:
    return store.path("reports", run_key(run_id), "datadocs")


def save_results(store: Store, run_id: str, outcomes: Sequence[SuiteOutcome]) -> None:
    """Keep each suite's GX validation result of this run (a retried stage overwrites its own)."""
    fs = store.fs()
    directory = validations_dir(store, run_id)
    fs.makedirs(directory, exist_ok=True)
    for outcome in outcomes:
        record = {"validated_at": datetime.now(UTC).isoformat(), "label": outcome.label, "result": outcome.result}
        with fs.open(f"{directory}/{outcome.label}.json", "w") as fh:
            json.dump(record, fh, default=str)


def build_data_docs(store: Store, run_id: str, directory: Path = EXPECTATIONS_DIR) -> str:
    """(Re)build the run's Data Docs site from its saved results; returns the path of its index.html."""
    fs = store.fs()
    records = _load_results(store, run_id)
    target = site_dir(store, run_id)
    with tempfile.TemporaryDirectory(prefix="newsflow-datadocs-") as local:
        _render(records, run_id, local, directory)
        _prune_static(Path(local))
        if fs.exists(target):
            fs.rm(target, recursive=True)
        fs.makedirs(target, exist_ok=True)
        fs.put(f"{local}/", target, recursive=True)
    LOG.info("Data Docs of run %s (%d suites): %s/index.html", run_id, len(records), target)
    return f"{target}/index.html"


def _load_results(store: Store, run_id: str) -> list[dict[str, Any]]:
    fs = store.fs()
    directory = validations_dir(store, run_id)
    if not fs.exists(directory):
        return []
    records = []
    for path in sorted(fs.glob(f"{directory}/*.json")):
        with fs.open(path, "r") as fh:
            records.append(json.load(fh))
    return records


def _render(records: list[dict[str, Any]], run_id: str, local: str, directory: Path) -> None:
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    import great_expectations as gx
    from great_expectations.core import ExpectationSuite
    from great_expectations.core.expectation_validation_result import ExpectationSuiteValidationResult
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
        ValidationResultIdentifier,
    )

    context = gx.get_context(mode="ephemeral")
    context.add_data_docs_site(
        site_name=SITE_NAME,
        site_config={
            "class_name": "SiteBuilder",
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": local},
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        },
    )
    added: set[str] = set()
    for record in records:
        result = ExpectationSuiteValidationResult(**record["result"])
        if result.suite_name not in added:  # a suite checked in parts has one result per part
            suite_def = load_suite_file(result.suite_name, directory)
            context.suites.add(
                ExpectationSuite(name=suite_def["name"], expectations=suite_def["expectations"], meta=suite_def["meta"])
            )
            added.add(result.suite_name)
        key = ValidationResultIdentifier(
            ExpectationSuiteIdentifier(name=result.suite_name),
            RunIdentifier(run_name=run_key(run_id), run_time=datetime.fromisoformat(record["validated_at"])),
            record.get("label", result.suite_name),  # results saved before parts had labels
        )
        context.validation_results_store.set(key, result)
    context.build_data_docs(site_names=[SITE_NAME])


def _prune_static(site: Path) -> None:
    """Drop GX's bundled images that no generated page or stylesheet references."""
    pages = [p.read_text(encoding="utf-8") for p in site.rglob("*") if p.suffix in {".html", ".css"}]
    for image in (site / "static" / "images").glob("*"):
        if image.name not in KEPT_IMAGES and not any(image.name in page for page in pages):
            image.unlink()
