"""Article rows for tests that need a realistic, schema-valid batch."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pyarrow as pa

from pipeline.net.urls import article_id
from schemas import ARTICLES

BASE = datetime(2026, 11, 22, 12, tzinfo=UTC)


def article_row(n: int, **changes: Any) -> dict[str, Any]:
    """A valid, enriched article row number ``n``; ``changes`` override fields."""
    url = f"https://www.voanews.com/a/story-{n}.html"
    published = BASE + timedelta(hours=n)
    row: dict[str, Any] = {
        "article_id": article_id(url),
        "url": url,
        "canonical_url": url,
        "source_domain": "voanews.com",
        "source_name": "voa-sample",
        "feed_url": "http://127.0.0.1:1/feeds/world.rss",
        "title": f"Story {n}",
        "summary": "Summary.",
        "text": "BAGHDAD — Iraqi officials met in Baghdad. " * 10,
        "language": "en",
        "authors": ["Jane Doe"],
        "published_at": published,
        "published_at_source": "metadata",
        "published_at_local_date": published.date(),
        "published_utc_offset_minutes": 0,
        "published_date": published.date(),
        "fetched_at": BASE + timedelta(days=1),
        "word_count": 60,
        "actors": [
            {
                "name": "Mohammed Shia al-Sudani",
                "canonical": "Mohammed Shia al-Sudani",
                "type": "person",
                "country_code": "IRQ",
                "role": "Prime Minister",
                "mentions": 2,
            }
        ],
        "locations": [
            {
                "name": "Baghdad",
                "canonical": "Baghdad",
                "geonameid": 98182,
                "country_code": "IRQ",
                "feature": "city",
                "latitude": 33.34058,
                "longitude": 44.40088,
                "mentions": 1,
            }
        ],
        "countries": ["IRQ"],
        "ner_applied": True,
        "duplicate_cluster": article_id(url),
        "duplicate_of": None,
        "content_hash": f"hash-{n}",
        "run_id": "test-run",
        "pipeline_version": "test",
        "raw_ref": f"raw/test-run/page/{n:064x}.gz",
    }
    row.update(changes)
    return row


def article_table(rows: list[dict[str, Any]]) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=ARTICLES.schema)
