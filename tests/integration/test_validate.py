from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.dataset as ds
import pytest
from deltalake import DeltaTable

from pipeline.quality.datadocs import build_data_docs, save_results
from pipeline.quality.suites import (
    BatchDigest,
    SuiteOutcome,
    ValidationFailed,
    Window,
    check_batch,
    check_published_table,
    raise_for_failures,
    row_problem,
    source_profile,
)
from pipeline.settings import load_settings
from pipeline.sources.base import Interval
from pipeline.stages import validate as validate_stage
from pipeline.stages.validate import validate
from pipeline.storage.raw import Store
from schemas import ARTICLES, QUARANTINE, SOURCE_YIELD
from tests.support.articles import BASE, article_row, article_table

pytestmark = pytest.mark.integration


def gate(articles: pa.Table, *, window: Window | None = None, profile: Any = None) -> list[SuiteOutcome]:
    """The batch gate as the validate stage runs it (digest the batch, run the suites, raise on failures),
    over a batch held in memory; returns the outcomes."""
    digest = BatchDigest(articles.schema)
    digest.add(articles)
    outcomes = check_batch(digest, window=window, profile=profile)
    raise_for_failures(outcomes)
    return outcomes


def test_a_good_batch_passes_the_batch_entity_and_schema_suites() -> None:
    outcomes = gate(article_table([article_row(i) for i in range(6)]))

    assert [(o.suite, o.success) for o in outcomes] == [
        ("articles_batch", True),
        ("entities_batch", True),
        ("articles_schema", True),
    ]
    assert all(o.failures == [] for o in outcomes)


def test_a_place_in_no_one_country_passes_with_no_country_code() -> None:
    """A continent ("across Africa") is a location without a country: null, which the country set admits."""
    africa = {
        **article_row(1)["locations"][0],
        "name": "Africa",
        "canonical": "Africa",
        "geonameid": 6255146,
        "country_code": None,
        "feature": "other",
    }
    outcomes = gate(article_table([article_row(1, locations=[africa])] + [article_row(i) for i in range(2, 6)]))

    assert [o.suite for o in outcomes if o.success] == ["articles_batch", "entities_batch", "articles_schema"]


def test_an_unresolved_place_passes_with_no_id_feature_or_point() -> None:
    """A county the gazetteer cannot place is a location with its written name and nulls elsewhere."""
    county = {
        "name": "Laurel County",
        "canonical": "Laurel County",
        "geonameid": None,
        "country_code": None,
        "feature": None,
        "latitude": None,
        "longitude": None,
        "mentions": 2,
    }
    outcomes = gate(article_table([article_row(1, locations=[county])] + [article_row(i) for i in range(2, 6)]))

    assert [o.suite for o in outcomes if o.success] == ["articles_batch", "entities_batch", "articles_schema"]


def test_an_empty_batch_passes_the_schema_suite_alone() -> None:
    outcomes = gate(article_table([]))

    assert [(o.suite, o.success) for o in outcomes] == [("articles_schema", True)]


def test_an_empty_batch_is_checked_by_the_schema_and_run_profile_suites_only() -> None:
    outcomes = check_batch(BatchDigest(article_table([]).schema), profile=source_profile([], [], [], set()))

    assert [outcome.suite for outcome in outcomes] == ["articles_schema", "run_profile"]
    assert all(outcome.success for outcome in outcomes)


@pytest.mark.parametrize(
    ("rows", "named"),
    [
        (
            [article_row(1), article_row(2, article_id=article_row(1)["article_id"])],
            "expect_column_values_to_be_unique on article_id",
        ),
        ([article_row(1, language="xx")], "expect_column_values_to_be_in_set on language"),
        ([article_row(1, word_count=0)], "expect_column_values_to_be_between on word_count"),
        ([article_row(1, url="ftp://x/a")], "expect_column_values_to_match_regex on url"),
        (
            [article_row(i, published_at_source="fetched_fallback") for i in range(4)],
            "expect_column_values_to_be_in_set on published_at_source",
        ),
        (
            [article_row(1, locations=[{**article_row(1)["locations"][0], "latitude": 123.0}])],
            "entities_batch: expect_column_values_to_be_between on latitude",
        ),
        (
            [article_row(1, actors=[{**article_row(1)["actors"][0], "country_code": "IQ"}])],
            "entities_batch: expect_column_values_to_be_in_set on country_code",
        ),
    ],
)
def test_a_bad_batch_fails_naming_each_failed_expectation(rows: list[dict[str, Any]], named: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        gate(article_table(rows))
    assert named in str(caught.value)
    assert "nothing was published" in str(caught.value)


def test_row_level_problems_are_caught_before_the_suite() -> None:
    assert row_problem(article_row(1)) is None
    future = article_row(1, published_at=BASE.replace(year=2027))
    assert row_problem(future).reason_code == "future_date"  # type: ignore[union-attr]
    wrong_partition = article_row(1, published_date=BASE.date().replace(day=1))
    assert row_problem(wrong_partition).reason_code == "bad_partition"  # type: ignore[union-attr]


def test_a_failing_batch_stops_before_publish_and_writes_nothing(tmp_path: Path) -> None:
    settings = load_settings(data_root=str(tmp_path / "data"))
    store = Store.from_settings(settings)
    enriched = store.write_table(store.staging("run-1", "enriched"), article_table([article_row(1, language="xx")]))

    with pytest.raises(ValidationFailed, match="expect_column_values_to_be_in_set on language"):
        validate(settings, "run-1", enriched)

    assert not Path(store.path(ARTICLES.path)).exists()
    assert not Path(store.staging("run-1", "validated")).exists()
    assert not Path(store.staging("run-1", "validating")).exists()


def test_the_validate_stage_streams_a_batch_chunk_by_chunk_and_gates_on_all_of_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(validate_stage, "VALIDATE_CHUNK_ROWS", 3)
    settings = load_settings(data_root=str(tmp_path / "data"))
    store = Store.from_settings(settings)
    rows = [article_row(n) for n in range(10)]
    rows[1]["text"] = rows[7]["text"] = "   "
    enriched = store.write_table(store.staging("run-1", "enriched"), article_table(rows))

    validated = store.read_table(validate(settings, "run-1", enriched))

    kept = [rows[n]["article_id"] for n in (0, 2, 3, 4, 5, 6, 8, 9)]
    assert validated.column("article_id").to_pylist() == kept
    assert validated.schema == ARTICLES.schema
    quarantine = DeltaTable(store.path(QUARANTINE.path)).to_pyarrow_table().to_pylist()
    assert sorted(q["url"] for q in quarantine) == sorted(rows[n]["url"] for n in (1, 7))
    assert {q["reason_code"] for q in quarantine} == {"empty_text"}

    late = [article_row(n) for n in range(7)] + [article_row(7, article_id=rows[0]["article_id"])]
    again = store.write_table(store.staging("run-2", "enriched"), article_table(late))
    with pytest.raises(ValidationFailed, match="expect_column_values_to_be_unique on article_id"):
        validate(settings, "run-2", again)  # the duplicate sits in the last chunk, its twin in the first


def test_entities_are_checked_in_parts_that_fail_exactly_where_the_whole_would(tmp_path: Path) -> None:
    rows = [article_row(n) for n in range(6)]
    rows[5]["locations"] = [{**rows[5]["locations"][0], "latitude": 123.0}]  # in the last part only
    digest = BatchDigest(article_table([]).schema, entity_rows_per_check=4)
    for start in range(0, 6, 2):
        digest.add(article_table(rows[start : start + 2]))

    outcomes = check_batch(digest)

    parts = [o for o in outcomes if o.suite == "entities_batch"]
    assert [(o.label, o.success) for o in parts] == [
        ("entities_batch", True),
        ("entities_batch-2", True),
        ("entities_batch-3", False),
    ]  # 2 articles of 2 entities a chunk: every chunk reaches the 4 rows of a part
    [failure] = parts[2].failures
    assert (failure.expectation, failure.column) == ("expect_column_values_to_be_between", "latitude")
    store = Store(str(tmp_path), {})
    save_results(store, "run-1", outcomes)
    page = Path(build_data_docs(store, "run-1")).read_text(encoding="utf-8")
    labels = re.findall(r'<h3 id="(entities_batch[-0-9]*)">', page)
    assert labels == ["entities_batch", "entities_batch-2", "entities_batch-3"]
    assert page.count('<span class="badge status-failed">failed</span></td>') == 2  # its row in both tables


WINDOW = (BASE - timedelta(days=30), BASE + timedelta(days=2))


def test_a_batch_dated_outside_the_window_around_its_interval_fails() -> None:
    rows = [article_row(1), article_row(2, published_at=BASE - timedelta(days=400))]
    with pytest.raises(ValidationFailed, match="articles_batch: expect_column_values_to_be_between on published_at"):
        gate(article_table(rows), window=WINDOW)
    assert all(o.success for o in gate(article_table([article_row(1)]), window=WINDOW))


def test_an_article_dated_by_its_fetch_time_is_not_held_to_the_window_of_an_older_interval() -> None:
    # A backfill of a past interval fetches today; an article with no date anywhere is dated by that fetch.
    fetched = BASE + timedelta(days=40)
    undated = article_row(
        2,
        published_at=fetched,
        published_date=fetched.date(),
        fetched_at=fetched,
        published_at_source="fetched_fallback",
    )
    extracted = {**undated, "published_at_source": "url"}

    assert row_problem(undated, WINDOW) is None
    assert row_problem(extracted, WINDOW).reason_code == "outside_window"  # type: ignore[union-attr]
    assert all(o.success for o in gate(article_table([article_row(1), undated]), window=WINDOW))
    with pytest.raises(ValidationFailed, match="expect_column_values_to_be_between on published_at"):
        gate(article_table([article_row(1), extracted]), window=WINDOW)


def test_a_schema_change_fails_naming_the_schema_suite() -> None:
    table = article_table([article_row(1)])
    changed = table.set_column(
        table.schema.get_field_index("word_count"), "word_count", table["word_count"].cast("int64")
    )
    with pytest.raises(ValidationFailed, match="articles_schema: expect_column_values_to_be_in_set on field"):
        gate(changed)


def test_a_source_whose_pages_mostly_lack_a_body_fails_the_run_profile() -> None:
    rejects = [("herald-sample", "empty_text")] * 3 + [("herald-sample", "no_title")]
    profile = source_profile(["voa-sample"] * 5 + ["herald-sample"], rejects, [], set())
    with pytest.raises(ValidationFailed) as caught:
        gate(article_table([article_row(1)]), profile=profile)
    assert "run_profile: expect_column_values_to_be_between on share_without_body" in str(caught.value)
    assert "herald-sample" in str(caught.value)


@pytest.mark.parametrize("batch", [[article_row(1)], []], ids=["other_sources_yield", "empty_batch"])
def test_a_source_that_usually_yields_many_and_now_yields_none_fails_the_run_profile(
    batch: list[dict[str, Any]],
) -> None:
    history = [
        {"run_id": f"run-{i}", "source_name": "herald-sample", "rows": 12, "recorded_at": BASE + timedelta(hours=i)}
        for i in range(3)
    ]
    profile = source_profile([row["source_name"] for row in batch], [], history, {"herald-sample", "voa-sample"})
    with pytest.raises(ValidationFailed) as caught:
        gate(article_table(batch), profile=profile)
    assert "run_profile: expect_column_values_to_be_between on rows" in str(caught.value)
    assert "herald-sample" in str(caught.value)


def test_the_published_table_suite_names_duplicates_and_misplaced_rows_by_partition() -> None:
    good = article_table([article_row(i) for i in range(4)])
    assert check_published_table(ds.dataset(good)).success
    bad = article_table(
        [article_row(i) for i in range(4)]
        + [article_row(1, content_hash="again"), article_row(9, published_date=date(2026, 1, 1))]
    )
    outcome = check_published_table(ds.dataset(bad))
    described = " ".join(f.describe() for f in outcome.failures)
    assert "on duplicate_rows" in described
    assert "on rows_outside_partition" in described
    assert "2026-01-01" in described


def test_the_validate_stage_quarantines_rows_outside_the_window_and_builds_data_docs(tmp_path: Path) -> None:
    settings = load_settings(data_root=str(tmp_path / "data"))
    store = Store.from_settings(settings)
    stale = article_row(9, published_at=BASE - timedelta(days=90), published_date=(BASE - timedelta(days=90)).date())
    enriched = store.write_table(store.staging("run-1", "enriched"), article_table([article_row(1), stale]))

    validated = validate(settings, "run-1", enriched, Interval(BASE, BASE + timedelta(hours=1)))

    quarantine = DeltaTable(store.path(QUARANTINE.path)).to_pyarrow_table().to_pylist()
    assert [(q["stage"], q["reason_code"]) for q in quarantine] == [("validate", "outside_window")]
    assert store.read_table(validated).num_rows == 1
    docs = Path(store.path("reports", "run-1", "datadocs", "index.html"))
    assert "articles_batch" in docs.read_text(encoding="utf-8")
    assert len(re.findall(r'<h3 id="', docs.read_text(encoding="utf-8"))) == 4
    yields = DeltaTable(store.path(SOURCE_YIELD.path)).to_pyarrow_table().to_pylist()
    assert [(y["source_name"], y["rows"], y["attempted"]) for y in yields] == [("voa-sample", 1, 2)]


def test_a_failing_batch_still_gets_its_data_docs_named_in_the_error(tmp_path: Path) -> None:
    settings = load_settings(data_root=str(tmp_path / "data"))
    store = Store.from_settings(settings)
    enriched = store.write_table(store.staging("run-1", "enriched"), article_table([article_row(1, language="xx")]))

    with pytest.raises(ValidationFailed) as caught:
        validate(settings, "run-1", enriched)

    assert caught.value.data_docs is not None
    assert Path(caught.value.data_docs).exists()
    assert f"Data Docs: {caught.value.data_docs}" in str(caught.value)
