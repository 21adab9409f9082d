"""dataset_maintenance's steps: compact and vacuum every published table, then check the articles table's
guarantees and keep the health report. Settings in, counts or the report's path out, like every stage."""

from __future__ import annotations

import logging
from typing import Any

from pipeline.settings import Settings
from pipeline.storage.delta import arrow_dataset
from pipeline.storage.maintenance import compact_table, table_stats, vacuum_table, write_health
from pipeline.storage.raw import Store
from schemas import ARTICLES, TABLES

LOG = logging.getLogger(__name__)


class TableUnhealthy(RuntimeError):
    """The articles table breaks a guarantee (duplicate keys, rows in the wrong partition)."""


def compact(settings: Settings, run_id: str) -> dict[str, Any]:
    """Compact every published table."""
    store = Store.from_settings(settings)
    return {spec.name: compact_table(store, spec) for spec in TABLES}


def vacuum(settings: Settings, run_id: str) -> dict[str, int]:
    """Vacuum every published table past the retention setting; returns deleted file counts."""
    store = Store.from_settings(settings)
    return {spec.name: len(vacuum_table(store, spec, settings.vacuum_retention_hours)) for spec in TABLES}


def table_health(store: Store) -> dict[str, Any]:
    """Every table's storage figures, and the articles table's partitions, duplicate keys and rows in the
    wrong partition (the published_table suite's profile)."""
    from pipeline.validate import table_profile

    health = table_stats(store)
    profile = table_profile(arrow_dataset(store, ARTICLES))
    articles = health["tables"][ARTICLES.name]
    articles["partitions"] = len(profile)
    articles["duplicate_key_rows"] = int(profile["duplicate_rows"].sum())
    articles["rows_outside_partition"] = int(profile["rows_outside_partition"].sum())
    return health


def check_health(settings: Settings, run_id: str) -> str:
    """Write the health report; fail (after writing it) when the articles table breaks a guarantee."""
    store = Store.from_settings(settings)
    health = table_health(store)
    path = write_health(store, run_id, health)
    articles = health["tables"][ARTICLES.name]
    if articles["duplicate_key_rows"] or articles["rows_outside_partition"]:
        raise TableUnhealthy(
            f"articles at version {articles['version']}: {articles['duplicate_key_rows']} rows with a duplicated "
            f"article_id, {articles['rows_outside_partition']} rows in the wrong partition (report: {path})"
        )
    LOG.info(
        "articles at version %d: %d rows in %d files, healthy (%s)",
        articles["version"],
        articles["rows"],
        articles["files"],
        path,
    )
    return path


STEPS = {"compact": compact, "vacuum": vacuum, "check_health": check_health}


def run_step(name: str, run_id: str | None) -> Any:
    """Entry point of every dataset_maintenance task: load settings at the edge, then run one step."""
    from pipeline.settings import load_settings

    if not run_id:
        raise ValueError(f"maintenance step {name} needs the run id Airflow passes to the task")
    return STEPS[name](load_settings(), run_id)
