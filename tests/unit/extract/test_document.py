"""The text-article document of the raw zone: what normalize accepts as one."""

from __future__ import annotations

import json

import pytest

from pipeline.extract.document import ARTICLE_FORMAT, from_payload

pytestmark = pytest.mark.unit


def _payload(**fields: object) -> bytes:
    return json.dumps({"format": ARTICLE_FORMAT, "url": "https://example.org/a", "text": "words", **fields}).encode()


def test_a_well_formed_document_is_read_with_its_fields() -> None:
    doc = from_payload(_payload(title="Title", authors=["A. Writer"], published_at="2026-11-20T08:00:00+03:00"))
    assert doc is not None
    assert (doc["title"], doc["authors"], doc["published_at"]) == ("Title", ["A. Writer"], "2026-11-20T08:00:00+03:00")


@pytest.mark.parametrize(
    "payload",
    [
        b"<!doctype html><html></html>",
        b'{"not": "ours"}',
        b"{broken",
        _payload(format="other/1"),
        _payload(title=3),
        _payload(authors="A. Writer"),
        _payload(published_at="yesterday"),
        _payload(published_at="0001-01-01T00:00:00+05:00"),
    ],
)
def test_anything_else_is_no_document(payload: bytes) -> None:
    assert from_payload(payload) is None
