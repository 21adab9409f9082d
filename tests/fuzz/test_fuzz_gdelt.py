"""GDELT parsing under 2,000 mutated copies of the fixture update files, indexes and zips: typed metadata
rows that fit the gdelt table's schema, or row errors with a reason in their place, never an exception."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given

from pipeline.records import CandidateItem
from pipeline.settings import Settings
from pipeline.sources.base import SourceContext
from pipeline.sources.gdelt import GdeltFileError, parse_export, parse_gkg, parse_index, unzip_capped
from pipeline.stages.discover import _add_gdelt
from pipeline.storage.raw import Store
from schemas import GDELT
from tests.fuzz.strategies import FUZZ, gdelt_fixtures, mutated, schema_errors, text_of

pytestmark = pytest.mark.unit
FILE_URL = "http://data.gdeltproject.org/gdeltv2/20261120000000.gkg.csv.zip"
ROW_REASONS = {"bad_entry"}
CAP = 64_000


def zipped(data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("20261120000000.gkg.csv", data)
    return buffer.getvalue()


def rows_of(parsed: list[Any]) -> list[dict[str, Any]]:
    """The gdelt-table rows the discover stage would merge; bad URLs and rows are rejected in ctx."""
    ctx = SourceContext(Settings(), Store("/nonexistent", {}), None, "fuzz-run")  # type: ignore[arg-type]
    table: dict[str, dict[str, Any]] = {}
    for found in parsed:
        if isinstance(found, GdeltFileError):
            assert found.reason_code in ROW_REASONS and FILE_URL in found.url
            continue
        url, meta = found
        assert meta.date.tzinfo is UTC
        _add_gdelt(table, CandidateItem(url, "gdelt", FILE_URL, published_at=meta.date, gdelt=meta), "run", ctx)
    assert {f.reason_code for f in ctx.failures} <= {"bad_url"}
    return list(table.values())


@FUZZ
@given(mutated(gdelt_fixtures(".gkg.csv")))
def test_any_gkg_file_gives_schema_exact_rows_or_row_errors(data: bytes) -> None:
    for row in rows_of(list(parse_gkg(text_of(data), FILE_URL))):
        assert schema_errors(row, GDELT.schema) == {}


@FUZZ
@given(mutated(gdelt_fixtures(".export.csv")))
def test_any_events_export_gives_schema_exact_rows_or_row_errors(data: bytes) -> None:
    for row in rows_of(list(parse_export(text_of(data), FILE_URL))):
        assert schema_errors(row, GDELT.schema) == {}


@FUZZ
@given(mutated([zipped(d) for d in gdelt_fixtures(".gkg.csv")] + [b"PK\x05\x06" + b"\x00" * 18]))
def test_any_zip_inflates_under_the_cap_or_is_refused_with_a_reason(data: bytes) -> None:
    try:
        assert len(unzip_capped(data, FILE_URL, CAP)) <= CAP
    except GdeltFileError as exc:
        assert exc.reason_code in ("parse_error", "too_large")


INDEX = b"\n".join(
    f"{1000 + n} {'0123456789abcdef' * 2} http://data.gdeltproject.org/gdeltv2/2026112000{n:02d}00.gkg.csv.zip".encode()
    for n in range(0, 60, 15)
)


@FUZZ
@given(mutated([INDEX]))
def test_any_index_lists_update_files_with_utc_stamps(data: bytes) -> None:
    for file in parse_index(text_of(data), "http://data.gdeltproject.org/gdeltv2/masterfilelist.txt"):
        assert file.stamp.tzinfo is UTC and file.stamp >= datetime(1, 1, 1, tzinfo=UTC)
        assert file.stream in ("gkg", "export", "mentions")
        assert file.size is None or file.size >= 0
