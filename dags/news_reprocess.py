"""news_reprocess: rebuild the published rows of a date range from the raw zone, without the network.

Triggered by hand when extraction or enrichment improves (``airflow dags trigger news_reprocess --conf
'{"from": "2026-11-01T00:00:00+00:00", "to": "2026-11-08T00:00:00+00:00"}'``). Wiring only, like
news_ingest: select (published rows of the range and their raw payloads) -> normalize -> enrich ->
validate -> republish (replace rows whose content or pipeline_version changed) -> report.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from airflow.sdk import Param, dag, task
from airflow.sdk.types import OutletEventAccessorsProtocol, RuntimeTaskInstanceProtocol

from pipeline.orchestration.airflow_tasks import ARTICLES_CHANGED, NOT_RETRIED, announce

# What the UI shows on the DAG's page: written for whoever runs it (the module docstring is for developers).
OPERATOR_GUIDE = """
### news_reprocess: rebuild published articles of a date range, offline

**What it does.** Takes the published articles whose `published_at` is in `[from, to)`, runs extraction,
enrichment and validation again on their stored raw pages (no network), and replaces a row in
`<data_root>/published/articles` when its content or its `pipeline_version` changed. Run it after
extraction or enrichment improved, with a new `NEWSFLOW_PIPELINE_VERSION`.

**Schedule.** None: trigger it by hand, from the UI (Trigger, then fill the params) or with
`.venv/bin/python -m pipeline airflow dags trigger news_reprocess --conf '{"from": "...", "to": "..."}'`.
One run at a time.

**Params.** `from` (range start) and `to` (range end, excluded), ISO 8601 times with a UTC offset.

**The report.** `<data_root>/reports/<run_id>/index.html` and `summary.json`: rows rebuilt and replaced.

**When it fails.** Open the failed task's log. `select` fails when `to` is not after `from`: fix the
params and trigger again. A row whose raw page is gone (vacuumed or deleted) is quarantined as
`raw_missing` and keeps its published version. `validate` / `republish` fail like news_ingest's: the
message names the failed checks, nothing was replaced. Rerunning a range with the same version changes
nothing.
"""


def _stage(name: str, *args: Any) -> Any:
    from pipeline.stages import run_stage

    return run_stage(name, *args)


@dag(
    dag_id="news_reprocess",
    schedule=None,
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,
    default_args={"retries": 2, "retry_delay": timedelta(seconds=30), "retry_policy": NOT_RETRIED},
    tags=["newsflow", "reprocess"],
    params={
        "from": Param("2026-01-01T00:00:00+00:00", type="string", format="date-time", description="range start"),
        "to": Param("2026-01-02T00:00:00+00:00", type="string", format="date-time", description="range end (excl.)"),
    },
    doc_md=OPERATOR_GUIDE,
)
def news_reprocess() -> None:
    @task
    def select(run_id: str | None = None, params: dict[str, Any] | None = None) -> str:
        bounds = params or {}
        return _stage("select", run_id, datetime.fromisoformat(bounds["from"]), datetime.fromisoformat(bounds["to"]))

    @task
    def normalize(fetched: str, run_id: str | None = None) -> str:
        return _stage("normalize", run_id, fetched)

    @task
    def enrich(normalized: str, run_id: str | None = None) -> str:
        return _stage("enrich", run_id, normalized)

    @task
    def validate(enriched: str, run_id: str | None = None) -> str:
        return _stage("validate", run_id, enriched)

    @task(outlets=[ARTICLES_CHANGED], pool="publish")
    def republish(
        validated: str,
        run_id: str | None = None,
        ti: RuntimeTaskInstanceProtocol | None = None,
        outlet_events: OutletEventAccessorsProtocol | None = None,
    ) -> dict[str, Any]:
        published = _stage("republish", run_id, validated, ti.try_number if ti else None)
        return announce(published, outlet_events)

    @task
    def report(
        paths: dict[str, str],
        published: dict[str, int],
        run_id: str | None = None,
        params: dict[str, Any] | None = None,
    ) -> str:
        bounds = params or {}
        start, end = datetime.fromisoformat(bounds["from"]), datetime.fromisoformat(bounds["to"])
        return _stage("report", run_id, paths, published, start, end)

    selected = select()
    normalized = normalize(selected)
    enriched = enrich(normalized)
    validated = validate(enriched)
    paths = {"selected": selected, "normalized": normalized, "enriched": enriched, "validated": validated}
    report(paths, republish(validated))


dag_object = news_reprocess()

if __name__ == "__main__":
    dag_object.test()
