from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pipeline import stages
from pipeline.settings import load_settings
from pipeline.store import Store
from pipeline.validate import ValidationFailed, row_problem, validate_batch
from schemas import ARTICLES
from tests.articles import BASE, article_row, article_table

pytestmark = pytest.mark.integration


def test_a_good_batch_passes_both_suites() -> None:
    validate_batch(article_table([article_row(i) for i in range(6)]))


def test_an_empty_batch_passes() -> None:
    validate_batch(article_table([]))


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
        validate_batch(article_table(rows))
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
        stages.validate(settings, "run-1", enriched)

    assert not Path(store.path(ARTICLES.path)).exists()
    assert not Path(store.staging("run-1", "validated")).exists()
