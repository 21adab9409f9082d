"""The candidate/fetched staging row has one mapping to and from a source's listing."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pyarrow as pa
import pytest

from pipeline.records import CandidateItem, Page
from schemas import CANDIDATES, FETCHED

pytestmark = pytest.mark.unit

LISTED = CandidateItem(
    url="https://herald.test/a?utm_source=x",
    source_name="herald",
    feed_url="https://herald.test/feed",
    title="A",
    summary="Summary",
    published_at=datetime(2026, 11, 25, 3, tzinfo=UTC),
    raw_ref="raw/run/page/" + "0" * 64 + ".gz",
    fetched_at=datetime(2026, 11, 25, 4, tzinfo=UTC),
)


def test_a_listed_item_survives_the_candidates_file_and_comes_back_as_its_source_listed_it() -> None:
    page = Page.listed(LISTED, "https://herald.test/a", "US")
    row = pa.Table.from_pylist([page.to_row()], schema=CANDIDATES).to_pylist()[0]

    again = Page.from_row(row)

    assert again == page
    assert again.item() == LISTED
    assert (again.feed_published_at, again.stored_raw_ref, again.captured_at) == (
        LISTED.published_at,
        LISTED.raw_ref,
        LISTED.fetched_at,
    )


def test_a_fetched_page_row_holds_the_listing_and_the_fetch_under_the_fetched_schema() -> None:
    fetched_at = datetime(2026, 11, 25, 5, tzinfo=UTC)
    page = replace(Page.listed(LISTED, "https://herald.test/a", None), raw_ref="raw/r/page/x.gz", fetched_at=fetched_at)

    row = pa.Table.from_pylist([page.to_row()], schema=FETCHED).to_pylist()[0]

    assert row["fetched_at"] == fetched_at and row["captured_at"] == LISTED.fetched_at
    assert set(row) == set(FETCHED.names) == set(page.to_row())
