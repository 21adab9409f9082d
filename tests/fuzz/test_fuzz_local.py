"""The local-file article formats (.txt seed format, .jsonl, saved .html) under 2,000 mutated copies of
the bundled corpus: articles or LocalFileErrors with a reason code, and every article either normalizes
to a schema-exact row or is refused with a reason."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.extract.article import normalize_page
from pipeline.extract.document import from_payload
from pipeline.extract.text import ExtractionError
from pipeline.net.urls import BadUrlError
from pipeline.settings import Settings
from pipeline.sources.local import (
    LocalArticle,
    LocalFileError,
    local_url,
    raw_kind_of,
    read_html,
    read_jsonl,
    read_txt,
    to_payload,
)
from tests.fuzz.strategies import FIXTURES, FUZZ, assert_publishable, mutated

pytestmark = pytest.mark.unit
CORPUS = FIXTURES / "local" / "corpus"
SEEDS = {suffix: [p.read_bytes() for p in sorted(CORPUS.rglob(f"*{suffix}"))] for suffix in (".txt", ".jsonl", ".html")}
SETTINGS = Settings(min_words=30)
FILE_REASONS = {"parse_error", "empty_text", "missing_field", "bad_date"}
READERS = {".txt": read_txt, ".html": read_html}


def articles(path: Path, data: bytes) -> list[LocalArticle | LocalFileError]:
    if path.suffix == ".jsonl":
        return read_jsonl(path, data)
    try:
        return [READERS[path.suffix](path, data)]
    except LocalFileError as exc:
        return [exc]


JSON_VALUES = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30) | st.lists(st.integers())
DATES = st.sampled_from(
    [
        "1900-01-01T00:00:00Z",
        "3000-01-01T00:00:00Z",
        "2026-02-30T12:00:00Z",
        "9999-12-31T23:59:59-05:00",
        "0001-01-01T00:00:00+05:00",
        "2026-11-24T10:00:00+01:00",
        "2026-11-24",
        "yesterday",
    ]
)
JSONL_RECORDS = st.fixed_dictionaries(
    {},
    optional={
        "url": st.sampled_from(["https://example.org/a", "file:///etc/passwd", "http://u:p@example.org/b"])
        | JSON_VALUES,
        "title": st.just("A title\x00 with \x1b[31m controls") | JSON_VALUES,
        "text": st.just("word " * 40) | JSON_VALUES,
        "published_at": DATES | JSON_VALUES,
        "summary": JSON_VALUES,
        "authors": JSON_VALUES,
    },
)
JSONL = st.lists(JSONL_RECORDS, min_size=1, max_size=4).map(
    lambda records: "\n".join(json.dumps(r) for r in records).encode()
)


def suffix_and_bytes() -> st.SearchStrategy[tuple[str, bytes]]:
    mutations = st.sampled_from(sorted(SEEDS)).flatmap(lambda s: st.tuples(st.just(s), mutated(SEEDS[s])))
    return mutations | st.tuples(st.just(".jsonl"), JSONL)


@FUZZ
@given(suffix_and_bytes())
def test_any_local_file_gives_articles_or_reasoned_errors_and_rows_fit_the_schema(
    tmp_path_factory: pytest.TempPathFactory, case: tuple[str, bytes]
) -> None:
    suffix, data = case
    path = tmp_path_factory.getbasetemp() / f"article{suffix}"
    path.touch()
    for found in articles(path, data):
        if isinstance(found, LocalFileError):
            assert found.reason_code in FILE_REASONS and str(path) in found.url
            continue
        assert found.published_at is None or found.published_at.utcoffset() is not None
        url = found.url or local_url(found.source_domain or "example.org", path.name)
        payload = to_payload(found, url)
        if found.html is None:
            assert from_payload(payload) is not None
        page = {
            "url": url,
            "final_url": url,
            "source_name": "corpus",
            "feed_url": None,
            "summary": found.summary,
            "feed_published_at": found.published_at,
            "fetched_at": datetime(2026, 11, 25, tzinfo=UTC),
            "raw_ref": f"raw/run/{raw_kind_of(found)}/" + "0" * 64 + ".gz",
        }
        try:
            row = normalize_page(page, payload, SETTINGS, "fuzz-run")
        except (ExtractionError, BadUrlError):
            continue  # quarantined with its reason by the normalize stage
        assert_publishable(row)
