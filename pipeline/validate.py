"""Validation: row-level checks that quarantine single rows, then batch-level GX suites that gate publishing.

The suites are declarative files in ``expectations/`` (GX Core 1.x suite JSON), reviewed in git; this
module only loads and runs them through GX's Python API in an ephemeral context.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from pipeline.settings import PROJECT_ROOT

LOG = logging.getLogger(__name__)
EXPECTATIONS_DIR = PROJECT_ROOT / "expectations"
FUTURE_SKEW = timedelta(days=1)
RESULT_KEYS = ("observed_value", "unexpected_count", "unexpected_percent", "partial_unexpected_list")


@dataclass(frozen=True)
class RowProblem:
    """Why one row cannot be published."""

    reason_code: str
    detail: str


@dataclass(frozen=True)
class FailedExpectation:
    """One expectation that failed on a batch, with what GX observed."""

    suite: str
    expectation: str
    column: str | None
    observed: dict[str, Any]

    def describe(self) -> str:
        where = f" on {self.column}" if self.column else ""
        seen = ", ".join(f"{k}={v!r}" for k, v in self.observed.items() if v is not None)
        return f"{self.suite}: {self.expectation}{where} failed ({seen})"


class ValidationFailed(RuntimeError):
    """A batch failed its suite; the message lists every failed expectation and its observed value."""

    def __init__(self, failures: list[FailedExpectation]) -> None:
        self.failures = failures
        lines = "\n".join(f"  - {f.describe()}" for f in failures)
        super().__init__(f"batch validation failed, nothing was published:\n{lines}")


def row_problem(row: dict[str, Any]) -> RowProblem | None:
    """The first reason a single article row cannot be published, or None."""
    published_at, fetched_at = row["published_at"], row["fetched_at"]
    if published_at > fetched_at + FUTURE_SKEW:
        return RowProblem("future_date", f"published_at {published_at.isoformat()} is after the fetch time")
    if row["published_date"] != published_at.date():
        return RowProblem("bad_partition", "published_date is not the UTC date of published_at")
    if not row["text"].strip():
        return RowProblem("empty_text", "text is blank")
    return None


def entities_frame(articles: pa.Table) -> pd.DataFrame:
    """One row per actor and per location of the batch, so GX can check the nested columns."""
    rows: list[dict[str, Any]] = []
    for article_id, actors, locations in zip(
        articles.column("article_id").to_pylist(),
        articles.column("actors").to_pylist(),
        articles.column("locations").to_pylist(),
        strict=True,
    ):
        for actor in actors or []:
            rows.append({"article_id": article_id, "entity_type": actor["type"], **_entity(actor)})
        for place in locations or []:
            rows.append({"article_id": article_id, "entity_type": "location", **_entity(place)})
    columns = [
        "article_id",
        "entity_type",
        "canonical",
        "country_code",
        "mentions",
        "feature",
        "latitude",
        "longitude",
    ]
    return pd.DataFrame(rows, columns=columns)


def _entity(value: dict[str, Any]) -> dict[str, Any]:
    keys = ("canonical", "country_code", "mentions", "feature", "latitude", "longitude")
    return {k: value.get(k) for k in keys}


def load_suite_file(name: str, directory: Path = EXPECTATIONS_DIR) -> dict[str, Any]:
    """The suite ``name`` as stored in expectations/ (GX suite JSON)."""
    with (directory / f"{name}.json").open(encoding="utf-8") as fh:
        suite: dict[str, Any] = json.load(fh)
    return suite


@lru_cache(maxsize=1)
def _gx() -> Any:
    """GX context with one pandas data source; built once per process (GX import and setup take ~3 s)."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    return context.data_sources.add_pandas("newsflow")


def run_suite(frame: pd.DataFrame, suite_def: dict[str, Any]) -> list[FailedExpectation]:
    """Validate ``frame`` against a suite definition; returns the failed expectations (empty: passed)."""
    from great_expectations.core import ExpectationSuite

    source = _gx()
    asset_name = f"{suite_def['name']}_frame"
    try:
        asset = source.get_asset(asset_name)
    except LookupError:
        asset = source.add_dataframe_asset(asset_name)
    batch_definition = asset.add_batch_definition_whole_dataframe(f"batch_{len(asset.batch_definitions)}")
    batch = batch_definition.get_batch(batch_parameters={"dataframe": frame})
    suite = ExpectationSuite(name=suite_def["name"], expectations=suite_def["expectations"])
    result = batch.validate(suite)
    failures = []
    for item in result.results:
        if item.success:
            continue
        config = item.expectation_config
        observed = {k: item.result.get(k) for k in RESULT_KEYS if item.result.get(k) is not None}
        if item.exception_info and item.exception_info.get("raised_exception"):
            observed["exception"] = item.exception_info.get("exception_message")
        failures.append(FailedExpectation(suite_def["name"], config.type, config.kwargs.get("column"), observed))
    return failures


def validate_batch(articles: pa.Table, directory: Path = EXPECTATIONS_DIR) -> None:
    """Run both batch suites; raise ValidationFailed naming every failed expectation."""
    failures = run_suite(articles.to_pandas(), load_suite_file("articles_batch", directory))
    failures += run_suite(entities_frame(articles), load_suite_file("entities_batch", directory))
    if failures:
        raise ValidationFailed(failures)
    LOG.info("batch of %d articles passed articles_batch and entities_batch", articles.num_rows)
