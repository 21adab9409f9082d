"""The data dictionary says what the columns really hold, and docs/ holds what schemas/ generates."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from pipeline.dev.sample_site import SAMPLE_SITE
from pipeline.extract.article import normalize_page
from pipeline.quality.quarantine import quarantine_id
from pipeline.records import Quarantined
from pipeline.settings import PROJECT_ROOT, load_settings
from schemas import ARTICLES, GDELT, QUARANTINE
from schemas.dictionary import render_dictionary

pytestmark = pytest.mark.unit
PAGE = SAMPLE_SITE / "aje" / "news" / "2026" / "11" / "24" / "gaza-ceasefire-talks-resume-in-cairo.html"
URL = "https://www.aljazeera.com/news/2026/11/24/gaza-ceasefire-talks-resume-in-cairo"


def stated_length(description: str) -> int:
    """The number of hex characters a hash column's description promises."""
    found = re.search(r"(\d+) hex characters", description)
    assert found, description
    return int(found.group(1))


def described(table: object, column: str) -> str:
    schema = table.schema  # type: ignore[attr-defined]
    return str(schema.field(column).metadata[b"description"].decode())


def test_hash_columns_are_as_long_as_the_dictionary_says() -> None:
    page = {
        "url": URL,
        "final_url": URL,
        "source_name": "aje",
        "feed_url": None,
        "summary": None,
        "feed_published_at": None,
        "fetched_at": datetime(2026, 11, 24, tzinfo=UTC),
        "raw_ref": "page",
    }
    row = normalize_page(page, PAGE.read_bytes(), load_settings(), "run-1")  # the row normalize stages
    failure = Quarantined(URL, "aje", "fetch", "http_status", "404")

    for value, table, column in [
        (row["article_id"], ARTICLES, "article_id"),
        (row["content_hash"], ARTICLES, "content_hash"),
        (row["article_id"], GDELT, "article_id"),  # the same key, joined on
        (quarantine_id("run-1", failure), QUARANTINE, "quarantine_id"),
    ]:
        assert re.fullmatch(r"[0-9a-f]+", value), (column, value)
        assert len(value) == stated_length(described(table, column)), (table, column, value)


def test_the_committed_dictionary_is_the_generated_one() -> None:
    committed = (PROJECT_ROOT / "docs" / "data_dictionary.md").read_text(encoding="utf-8")
    assert committed == render_dictionary(), "regenerate it: make docs"
