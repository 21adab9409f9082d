"""normalize_page chooses a folder source's text article by the raw kind recorded in its raw_ref, never by
what a payload looks like."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from pipeline.extract.article import extract_one, normalize_page
from pipeline.extract.text import ExtractionError
from pipeline.settings import Settings
from pipeline.sources.local import LocalArticle, to_payload

pytestmark = pytest.mark.unit

SETTINGS = Settings(min_words=30)
FETCHED_AT = datetime(2026, 11, 25, 9, tzinfo=UTC)
OWN = "https://news.example.org/world/story.html"
VICTIM = "https://voanews.com/a/victim.html"
BODY = (
    "Officials and witnesses said on Friday that the situation continued to develop across the region, "
    "as aid groups called for calm and residents described long queues for water and fuel."
)


def document(url: str) -> bytes:
    article = LocalArticle(
        path="corpus/story.txt",
        line=None,
        modified_at=FETCHED_AT,
        title="Aid groups call for calm",
        summary="Aid groups call for calm.",
        text=f"{BODY}\n{BODY}",
    )
    return to_payload(article, url)


def page(url: str, kind: str) -> dict[str, Any]:
    return {
        "url": url,
        "final_url": url,
        "source_name": "corpus",
        "feed_url": None,
        "summary": None,
        "feed_published_at": None,
        "fetched_at": FETCHED_AT,
        "raw_ref": f"raw/run/{kind}/" + "0" * 64 + ".gz",
    }


def test_a_text_article_stored_as_a_document_is_normalized_from_its_fields() -> None:
    row = normalize_page(page(OWN, "document"), document(OWN), SETTINGS, "run")
    assert (row["title"], row["canonical_url"], row["text"]) == ("Aid groups call for calm", OWN, f"{BODY}\n{BODY}")


def test_a_web_page_whose_body_is_a_document_naming_another_outlet_is_not_read_as_one() -> None:
    with pytest.raises(ExtractionError) as caught:  # extracted as HTML, where JSON holds no main text
        normalize_page(page(OWN, "page"), document(VICTIM), SETTINGS, "run")
    assert caught.value.reason_code == "empty_text"


def test_a_document_stored_under_page_before_the_document_kind_still_normalizes() -> None:
    row = normalize_page(page(OWN, "page"), document(OWN), SETTINGS, "run")
    assert (row["title"], row["canonical_url"]) == ("Aid groups call for calm", OWN)


def test_a_malformed_document_is_refused() -> None:
    with pytest.raises(ExtractionError) as caught:
        normalize_page(page(OWN, "document"), b"<html><body>not a document</body></html>", SETTINGS, "run")
    assert caught.value.reason_code == "parse_error"


def test_a_page_given_on_the_command_line_is_html_even_when_it_looks_like_a_document() -> None:
    outcome = extract_one(document(OWN), OWN, SETTINGS, feed_published_at=None, fetched_at=FETCHED_AT)
    assert outcome["rejected"] == "empty_text"  # extracted as HTML, where JSON holds no main text
