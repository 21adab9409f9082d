from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from pipeline.quality.conform import conform
from schemas import ARTICLES

pytestmark = pytest.mark.unit
NOW = datetime(2026, 11, 22, 12, tzinfo=UTC)


def article(**changes: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "article_id": "0" * 32,
        "url": "http://x/a",
        "canonical_url": "http://x/a",
        "source_domain": "x",
        "source_name": "s",
        "feed_url": None,
        "title": "T",
        "summary": None,
        "text": "words here",
        "language": "en",
        "authors": ["A"],
        "published_at": NOW,
        "published_at_source": "feed",
        "published_at_local_date": date(2026, 11, 22),
        "published_utc_offset_minutes": None,
        "published_date": date(2026, 11, 22),
        "fetched_at": NOW,
        "word_count": 2,
        "actors": [
            {
                "name": "A",
                "canonical": "A",
                "type": "person",
                "country_code": None,
                "role": None,
                "mentions": 1,
            }
        ],
        "locations": [],
        "countries": ["IRQ"],
        "ner_applied": True,
        "duplicate_cluster": "0" * 32,
        "duplicate_of": None,
        "content_hash": "h",
        "run_id": "r",
        "pipeline_version": "v",
        "raw_ref": "raw/r/page/x.gz",
    }
    row.update(changes)
    return row


def test_fitting_rows_become_a_typed_table() -> None:
    table, rejected = conform([article()], ARTICLES.schema)
    assert rejected == []
    assert table.schema.equals(ARTICLES.schema, check_metadata=False)
    assert table.column("actors").to_pylist()[0][0]["canonical"] == "A"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"word_count": 1.5}, "word_count: expected an integer"),
        ({"word_count": "12"}, "word_count: expected an integer"),
        ({"word_count": True}, "word_count: expected an integer"),
        ({"word_count": 2**40}, "does not fit int32"),
        ({"title": None}, "required columns are null: title"),
        ({"published_at": datetime(2026, 11, 22)}, "timezone-aware"),
        ({"published_date": NOW}, "expected a date"),
        ({"authors": "A"}, "expected a list"),
        ({"actors": [{"name": "A", "mentions": "2"}]}, "actors: [0] .mentions expected an integer"),
        ({"actors": [{"name": "A", "weight": 1}]}, "unknown keys weight"),
        ({"locations": [{"latitude": float("nan")}]}, "finite number"),
        ({"colour": "red"}, "columns not in the schema: colour"),
    ],
)
def test_misfits_are_rejected_with_a_reason_never_coerced(change: dict[str, Any], reason: str) -> None:
    table, rejected = conform([article(), article(**change)], ARTICLES.schema)
    assert table.num_rows == 1
    assert len(rejected) == 1 and reason in rejected[0].reason
