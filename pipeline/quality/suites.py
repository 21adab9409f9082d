"""Validation: row-level checks that quarantine single rows, then batch-level GX suites that gate publishing.

The suites are declarative files in ``expectations/`` (GX Core 1.x suite JSON), reviewed in git, and so are
their thresholds (in the expectations' kwargs and the suites' ``meta``); this module only builds the frames
they check and runs them through GX's Python API in an ephemeral context. Checks over many rows (a source's
history, the whole published table) are computed first (DuckDB, pyarrow) and GX checks the small result.
"""

from __future__ import annotations

import json
import logging
import os
import statistics
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds

LOG = logging.getLogger(__name__)
EXPECTATIONS_DIR = Path(__file__).resolve().parent / "expectations"  # package data: found by a wheel install too
FUTURE_SKEW = timedelta(days=1)
FETCHED_FALLBACK = "fetched_fallback"  # published_at_source of an article dated by its fetch time
RESULT_KEYS = ("observed_value", "unexpected_count", "unexpected_percent", "partial_unexpected_list")
WITHOUT_BODY = frozenset({"empty_text", "no_title"})
ENTITY_ROWS_PER_CHECK = 1_000_000
NAMES_ONLY_EXPECTATIONS = frozenset({"expect_table_columns_to_match_ordered_list", "expect_table_columns_to_match_set"})
Window = tuple[datetime, datetime]


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


@dataclass(frozen=True)
class SuiteOutcome:
    """One suite run: the failed expectations and GX's whole validation result (JSON-ready, for Data Docs)."""

    suite: str
    failures: list[FailedExpectation]
    result: dict[str, Any]
    part: int = 1  # a suite run over a batch in parts (entities_batch) has one outcome per part

    @property
    def success(self) -> bool:
        return not self.failures

    @property
    def label(self) -> str:
        """The suite's name, with the part number from the second part on: names this run's result."""
        return self.suite if self.part == 1 else f"{self.suite}-{self.part}"


class ValidationFailed(RuntimeError):
    """A batch failed its suite; the message lists every failed expectation and its observed value."""

    def __init__(
        self,
        failures: list[FailedExpectation],
        headline: str = "batch validation failed, nothing was published",
        data_docs: str | None = None,
    ) -> None:
        self.failures = failures
        self.data_docs = data_docs
        lines = "\n".join(f"  - {f.describe()}" for f in failures)
        where = f"\nData Docs: {data_docs}" if data_docs else ""
        super().__init__(f"{headline}:\n{lines}{where}")


class PublishedTableInvalid(ValidationFailed):
    """The published table, as the merge left it, fails published_table; ``version`` is that table version."""

    def __init__(self, failures: list[FailedExpectation], version: int, data_docs: str | None = None) -> None:
        self.version = version
        headline = (
            f"the published table at version {version} (written by this merge) failed published_table; "
            f"readers of the latest version see it, version {version - 1} is the one before this merge"
        )
        super().__init__(failures, headline, data_docs)


def published_window(start: datetime, end: datetime, directory: Path = EXPECTATIONS_DIR) -> Window:
    """[earliest, latest] published_at for a run owning [start, end), from articles_batch's meta."""
    window = load_suite_file("articles_batch", directory)["meta"]["published_at_window"]
    return start - timedelta(days=window["days_before_start"]), end + timedelta(days=window["days_after_end"])


def row_problem(row: dict[str, Any], window: Window | None = None) -> RowProblem | None:
    """The first reason a single article row cannot be published, or None."""
    published_at, fetched_at = row["published_at"], row["fetched_at"]
    if published_at > fetched_at + FUTURE_SKEW:
        return RowProblem("future_date", f"published_at {published_at.isoformat()} is after the fetch time")
    extracted = row["published_at_source"] != FETCHED_FALLBACK  # the fetch time is no extracted date to doubt
    if window is not None and extracted and not window[0] <= published_at <= window[1]:
        return RowProblem(
            "outside_window",
            f"published_at {published_at.isoformat()} is outside [{window[0].isoformat()}, {window[1].isoformat()}]",
        )
    if row["published_date"] != published_at.date():
        return RowProblem("bad_partition", "published_date is not the UTC date of published_at")
    if not row["text"].strip():
        return RowProblem("empty_text", "text is blank")
    return None


ENTITY_TYPES = pa.schema(
    [
        ("article_id", pa.string()),
        ("entity_type", pa.string()),
        ("canonical", pa.string()),
        ("country_code", pa.string()),
        ("mentions", pa.int32()),
        ("feature", pa.string()),
        ("latitude", pa.float64()),
        ("longitude", pa.float64()),
    ]
)


def entity_table(articles: pa.Table) -> pa.Table:
    """One row per actor and per location of ``articles`` (ENTITY_TYPES), so GX can check the nested columns.

    Flattened in Arrow: a batch has tens of entities per article, and a Python object per entity value would
    take several times the memory. Actors carry their own type; places are ``location``.
    """
    parts = []
    for column, entity_type in (("actors", None), ("locations", "location")):
        lists = articles.column(column).combine_chunks()
        flat = pc.list_flatten(lists)
        names = {field.name for field in flat.type}
        parts.append(
            pa.table(
                {
                    "article_id": articles.column("article_id").take(pc.list_parent_indices(lists)),
                    "entity_type": (
                        pc.struct_field(flat, "type") if entity_type is None else pa.repeat(entity_type, len(flat))
                    ),
                    **{
                        field.name: pc.struct_field(flat, field.name) if field.name in names else pa.nulls(len(flat))
                        for field in ENTITY_TYPES
                        if field.name not in ("article_id", "entity_type")
                    },
                }
            ).cast(ENTITY_TYPES)
        )
    return pa.concat_tables(parts)


def load_suite_file(name: str, directory: Path = EXPECTATIONS_DIR) -> dict[str, Any]:
    """The suite ``name`` as stored in expectations/ (GX suite JSON)."""
    with (directory / f"{name}.json").open(encoding="utf-8") as fh:
        suite: dict[str, Any] = json.load(fh)
    return suite


@lru_cache(maxsize=1)
def gx_datasource() -> Any:
    """GX context with one pandas data source; built once per process (importing GX and setting it up take
    ~8 s here), or once per Celery worker before it forks its tasks (pipeline.stages.preload)."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    return context.data_sources.add_pandas("newsflow")


def _bind(suite_def: dict[str, Any], parameters: dict[str, Any]) -> list[dict[str, Any]]:
    """The suite's expectations whose $PARAMETERs are all given; the others are skipped, and logged."""
    kept = []
    for expectation in suite_def["expectations"]:
        wanted = [v["$PARAMETER"] for v in expectation["kwargs"].values() if isinstance(v, dict) and "$PARAMETER" in v]
        missing = [name for name in wanted if name not in parameters]
        if missing:
            LOG.warning("%s: %s skipped, no value for %s", suite_def["name"], expectation["type"], missing)
        else:
            kept.append(expectation)
    return kept


def run_suite(frame: pd.DataFrame, suite_def: dict[str, Any], parameters: dict[str, Any] | None = None) -> SuiteOutcome:
    """Validate ``frame`` against a suite definition; the outcome lists the failed expectations (empty: passed).

    A suite whose meta names an ``index_column`` reports failing rows by that column (a source, a partition).
    """
    from great_expectations.core import ExpectationSuite

    source = gx_datasource()
    name = suite_def["name"]
    asset_name = f"{name}_frame"
    try:
        asset = source.get_asset(asset_name)
    except LookupError:
        asset = source.add_dataframe_asset(asset_name)
    batch_definition = asset.add_batch_definition_whole_dataframe(f"batch_{len(asset.batch_definitions)}")
    batch = batch_definition.get_batch(batch_parameters={"dataframe": frame})
    suite = ExpectationSuite(name=name, expectations=_bind(suite_def, parameters or {}), meta=suite_def.get("meta"))
    index_column = suite_def.get("meta", {}).get("index_column")
    result_format: dict[str, Any] = {"result_format": "SUMMARY"}
    if index_column:
        result_format["unexpected_index_column_names"] = [index_column]
    result = batch.validate(suite, result_format=result_format, expectation_parameters=parameters or {})
    keys = (*RESULT_KEYS, "partial_unexpected_index_list") if index_column else RESULT_KEYS
    failures = []
    for item in result.results:
        if item.success:
            continue
        config = item.expectation_config
        observed = {k: item.result.get(k) for k in keys if item.result.get(k) is not None}
        if item.exception_info and item.exception_info.get("raised_exception"):
            observed["exception"] = item.exception_info.get("exception_message")
        failures.append(FailedExpectation(name, config.type, config.kwargs.get("column"), observed))
    return SuiteOutcome(name, failures, result.to_json_dict())


def type_name(type_: pa.DataType) -> str:
    """A type as text, without the list item names Parquet renames (``item`` becomes ``element``)."""
    if pa.types.is_list(type_) or pa.types.is_large_list(type_):
        return f"list<{type_name(type_.value_type)}>"
    if pa.types.is_struct(type_):
        return "struct<" + ", ".join(f"{f.name}: {type_name(f.type)}" for f in type_) + ">"
    return str(type_)


def schema_frame(schema: pa.Schema) -> pd.DataFrame:
    """One row per column, ``name: type [not null]``, so a suite can pin the batch's schema."""
    fields = [f"{f.name}: {type_name(f.type)}" + ("" if f.nullable else " not null") for f in schema]
    return pd.DataFrame({"field": fields})


def source_profile(
    batch_sources: Iterable[str],
    rejects: Iterable[tuple[str, str]],
    history: Sequence[dict[str, Any]],
    configured: Collection[str],
    directory: Path = EXPECTATIONS_DIR,
) -> pd.DataFrame:
    """One row per source: this batch's rows, pages attempted and without body, and its usual rows.

    ``rejects`` are (source, reason_code) of this run's pages rejected from extraction on; ``history`` holds
    earlier source_yield records; ``configured`` names the sources this run read. Sources come from the
    batch, the rejects and those configured sources of the recent history, so a configured source that went
    silent still has a row (with 0) until it drops out of the history window, while a source taken out of the
    sources file is not judged at all: removing it is the operator's decision, not a breakage.
    """
    meta = load_suite_file("run_profile", directory)["meta"]["history"]
    runs, min_runs = int(meta["runs"]), int(meta["min_runs"])
    recorded: dict[str, datetime] = {}
    for record in history:
        recorded[record["run_id"]] = max(record["recorded_at"], recorded.get(record["run_id"], record["recorded_at"]))
    window = set(sorted(recorded, key=recorded.__getitem__, reverse=True)[:runs])
    past: dict[str, list[int]] = defaultdict(list)
    for record in history:
        if record["run_id"] in window:
            past[record["source_name"]].append(int(record["rows"]))
    rows = Counter(batch_sources)
    attempted = Counter(rows)
    without_body: Counter[str] = Counter()
    for source, reason in rejects:
        attempted[source] += 1
        if reason in WITHOUT_BODY:
            without_body[source] += 1
    sources = sorted({*attempted, *(s for s, counts in past.items() if s in configured and any(counts))})
    return pd.DataFrame(
        {
            "source_name": sources,
            "rows": [rows[s] for s in sources],
            "attempted": [attempted[s] for s in sources],
            "without_body": [without_body[s] for s in sources],
            "share_without_body": [without_body[s] / attempted[s] if attempted[s] else 0.0 for s in sources],
            "usual_rows": [
                float(statistics.median(past[s])) if len(past[s]) >= min_runs else float("nan") for s in sources
            ],
        }
    )


def suite_columns(suite_def: dict[str, Any]) -> set[str]:
    """The columns whose values the suite's expectations read (not those that only check names)."""
    named: set[str] = set()
    for expectation in suite_def["expectations"]:
        for key, value in expectation["kwargs"].items():
            if expectation["type"] in NAMES_ONLY_EXPECTATIONS or not key.startswith("column"):
                continue
            named.update([value] if isinstance(value, str) else value if isinstance(value, list) else [])
    return named


class BatchDigest:
    """What the batch suites read of a batch, gathered a chunk at a time as the batch streams past: its
    schema, the columns articles_batch reads (and ``source_name`` for the run profile), and the entities.
    Never the texts, and entities only until ENTITY_ROWS_PER_CHECK of them are gathered: entities_batch then
    checks them and they are let go (every one of its expectations is row by row, without ``mostly``, so a
    batch checked in parts passes exactly when it would pass whole; a real article has ~70 entities, and
    GX over all of a 100k-article batch's at once took 3.2 GB)."""

    def __init__(
        self, schema: pa.Schema, directory: Path = EXPECTATIONS_DIR, entity_rows_per_check: int = ENTITY_ROWS_PER_CHECK
    ) -> None:
        self.schema = schema
        self.directory = directory
        self.entity_rows_per_check = entity_rows_per_check
        wanted = suite_columns(load_suite_file("articles_batch", directory)) | {"source_name"}
        self._columns = [name for name in schema.names if name in wanted]
        self._articles: list[pa.Table] = []
        self._entities: list[pa.Table] = []
        self._entity_outcomes: list[SuiteOutcome] = []

    def add(self, chunk: pa.Table) -> None:
        self._articles.append(chunk.select(self._columns))
        self._entities.append(entity_table(chunk))
        if sum(part.num_rows for part in self._entities) >= self.entity_rows_per_check:
            self._check_entities()

    def _check_entities(self) -> None:
        entities = pa.concat_tables(self._entities) if self._entities else ENTITY_TYPES.empty_table()
        self._entities = []
        outcome = run_suite(entities.to_pandas(), load_suite_file("entities_batch", self.directory))
        self._entity_outcomes.append(replace(outcome, part=len(self._entity_outcomes) + 1))

    def entity_outcomes(self) -> list[SuiteOutcome]:
        """entities_batch over every entity added: one outcome per part checked."""
        if self._entities or not self._entity_outcomes:
            self._check_entities()
        return list(self._entity_outcomes)

    @property
    def articles(self) -> pa.Table:
        """The gathered columns of every row added."""
        return pa.concat_tables(self._articles) if self._articles else self.schema.empty_table().select(self._columns)

    def articles_frame(self, suite_def: dict[str, Any]) -> pd.DataFrame:
        """The batch as the suite sees it: every column, in order, with values only in the columns its
        expectations read (the others all null)."""
        articles = self.articles
        named = suite_columns(suite_def)
        frame = articles.select([name for name in articles.column_names if name in named]).to_pandas()
        for name in self.schema.names:
            if name not in named:
                frame[name] = pd.Series([None] * articles.num_rows, dtype=object, index=frame.index)
        return frame[self.schema.names]


def check_batch(
    batch: BatchDigest,
    *,
    window: Window | None = None,
    profile: pd.DataFrame | None = None,
) -> list[SuiteOutcome]:
    """Run the batch suites and return every outcome: articles_schema always, run_profile when a profile is
    given (it holds a row for a source that went silent even when the batch is empty), articles_batch and
    entities_batch only when the batch has rows (an empty batch publishes nothing for them to guard)."""
    directory = batch.directory
    outcomes: list[SuiteOutcome] = []
    if batch.articles.num_rows:
        parameters = {} if window is None else {"published_at_min": window[0], "published_at_max": window[1]}
        batch_suite = load_suite_file("articles_batch", directory)
        outcomes += [
            run_suite(batch.articles_frame(batch_suite), batch_suite, parameters),
            *batch.entity_outcomes(),
        ]
    outcomes.append(run_suite(schema_frame(batch.schema), load_suite_file("articles_schema", directory)))
    if profile is not None:
        outcomes.append(run_suite(profile, load_suite_file("run_profile", directory)))
    return outcomes


def raise_for_failures(outcomes: Sequence[SuiteOutcome], data_docs: str | None = None) -> None:
    """Raise ValidationFailed naming every failed expectation of the outcomes, if any failed."""
    failures = [f for outcome in outcomes for f in outcome.failures]
    if failures:
        raise ValidationFailed(failures, data_docs=data_docs)


TABLE_PROFILE_SQL = """
WITH repeated AS (SELECT article_id FROM articles GROUP BY article_id HAVING count(*) > 1)
SELECT
    a.published_date,
    count(*) AS rows,
    count(r.article_id) AS duplicate_rows,
    count(*) FILTER (
        WHERE a.published_date <> DATE '1970-01-01' + CAST(floor(epoch_us(a.published_at) / 86400000000) AS INTEGER)
    ) AS rows_outside_partition,
    count(*) FILTER (WHERE a.article_id IS NULL) AS null_ids
FROM articles AS a LEFT JOIN repeated AS r ON a.article_id = r.article_id
GROUP BY a.published_date
ORDER BY a.published_date
"""


def table_profile(articles: ds.Dataset) -> pd.DataFrame:
    """One row per partition of the published table: rows, duplicated keys, rows in the wrong partition.

    DuckDB scans only the three columns it needs; the UTC date is computed from the epoch, so it does not
    depend on the session time zone.
    """
    import duckdb

    with duckdb.connect() as con:
        con.register("articles", articles)
        frame: pd.DataFrame = con.sql(TABLE_PROFILE_SQL).df()
    frame["published_date"] = frame["published_date"].astype(str)
    return frame


def check_published_table(articles: ds.Dataset, directory: Path = EXPECTATIONS_DIR) -> SuiteOutcome:
    """Run published_table over the whole table (as one version of it)."""
    return run_suite(table_profile(articles), load_suite_file("published_table", directory))
