"""The document a text article travels in through the raw zone: a folder source writes it, normalize reads it.

Its format lives here, below the sources, so normalize reads it without importing a source (the sources
import extraction's helpers, not the other way round).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from pipeline.extract.dates import to_utc

ARTICLE_FORMAT = "newsflow.article/1"
DOC_STRINGS = ("url", "title", "summary", "text", "published_at", "path")


def from_payload(payload: bytes) -> dict[str, Any] | None:
    """A text article's document from its raw payload; None when the payload is not a well-formed one."""
    if not payload.lstrip().startswith(b"{"):
        return None
    try:
        doc = json.loads(payload)
    except ValueError:
        return None
    return doc if isinstance(doc, dict) and doc.get("format") == ARTICLE_FORMAT and _well_formed(doc) else None


def _well_formed(doc: dict[str, Any]) -> bool:
    """Whether a document has the fields a folder source writes (``pipeline.sources.local.to_payload``), with
    their types (a fetched page can look like one, so a "page" is never read as one unless it names its own
    URL; a malformed "document" is refused by normalize)."""
    if not all(isinstance(doc.get(key), str | None) for key in DOC_STRINGS):
        return False
    authors = doc.get("authors")
    if authors is not None and not (isinstance(authors, list) and all(isinstance(a, str) for a in authors)):
        return False
    if doc.get("published_at"):
        try:
            to_utc(datetime.fromisoformat(doc["published_at"]))
        except (ValueError, OverflowError):
            return False
    return True
