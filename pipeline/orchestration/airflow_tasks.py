"""What the DAG files share about Airflow itself: the published table's asset and when a publish announces
it, and which failures Airflow must not retry.

Only the DAG files import this module (it imports the Airflow SDK; the pipeline itself runs without it).

- A publish emits an asset event only when it committed a new table version: a declared ``Asset`` outlet
  gets an event on every successful run of its task, so the publish tasks declare the ``AssetAlias``
  ``newsflow_articles_changed`` instead and attach an event of the articles asset to it only after a
  commit (Airflow 3's way to emit events conditionally). DAGs scheduled on the articles asset run on
  those events alone.
- A ``UserInputError`` (a typo in the sources file, a bad setting) and a ``RunFailed`` verdict fail their
  task at once: retrying cannot change either, and three tries of a typo take minutes and hundreds of log
  lines. Everything else keeps the DAG's retries.
"""

from __future__ import annotations

from typing import Any

from airflow.sdk import Asset, AssetAlias, ExceptionRetryPolicy, RetryAction, RetryRule
from airflow.sdk.types import OutletEventAccessorsProtocol

from pipeline.errors import RunFailed, UserInputError

ARTICLES = Asset(name="newsflow_articles", uri="newsflow://published/articles")
ARTICLES_CHANGED = AssetAlias(name="newsflow_articles_changed")
NOT_RETRIED = ExceptionRetryPolicy(
    rules=[
        RetryRule(
            exception=[UserInputError, RunFailed],
            action=RetryAction.FAIL,
            reason="a configuration error or the run's failure verdict: retrying cannot change it",
        )
    ]
)


def announce(published: dict[str, Any], outlet_events: OutletEventAccessorsProtocol | None) -> dict[str, Any]:
    """Attach an event of the articles asset (with the new version and its counts) when the publish
    committed; a publish that committed nothing announces nothing. Returns ``published``."""
    if published.get("committed") and outlet_events is not None:
        counts = ("table_version", "rows_inserted", "rows_updated")
        outlet_events[ARTICLES_CHANGED].add(ARTICLES, extra={key: published[key] for key in counts})
    return published
